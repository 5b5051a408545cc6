//go:build windows

package sandbox

import "syscall"

// detached is never used on Windows: chooseLevel refuses first.
func detached() *syscall.SysProcAttr { return nil }
