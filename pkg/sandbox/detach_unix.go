//go:build !linux && unix

package sandbox

import "syscall"

// detached starts the zygote in a session of its own.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
