// Package cli is qbank's command line: the root command, one small file per
// subcommand (an options struct, a NewCmd function and a run function, in
// the manner of the GitHub CLI), and the single place where errors become
// exit codes.
package cli

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/safetext"
)

// Exit codes.
const (
	ExitOK       = 0 // no errors (warnings allowed)
	ExitFindings = 1 // findings at or above the failing severity
	ExitUsage    = 2 // usage, configuration or internal error
)

// Factory holds what commands depend on, so tests can replace it.
type Factory struct {
	IO      *iostreams.IOStreams
	Version string
}

// NewFactory returns the factory for a real process.
func NewFactory() *Factory {
	return &Factory{IO: iostreams.System(), Version: Version()}
}

// Version is qbank's version: the module version when installed with go
// install, "dev" in a work tree.
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// ErrFindings is returned by a command whose report already said what
// failed; it only sets the exit code.
var ErrFindings = errors.New("findings")

// UsageError is a bad command line or configuration: exit code 2.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// Main runs qbank with the process's arguments and returns its exit code.
func Main() int {
	return Run(NewFactory(), os.Args[1:])
}

// Run runs qbank with args and returns the exit code.
func Run(f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	err := root.Execute()
	return exitCode(f, err)
}

func exitCode(f *Factory, err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, ErrFindings) {
		return ExitFindings
	}
	fmt.Fprintf(f.IO.ErrOut, "qbank: error: %s\n", safetext.EscapeString(err.Error()))
	var ue *UsageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	// Anything else is an internal error or a flag cobra rejected.
	return ExitUsage
}

// NewCmdRoot builds the root command with every subcommand.
func NewCmdRoot(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "qbank",
		Short: "Lint, prove and export quiz question banks",
		Long: `qbank checks quiz question banks written in TOML: structure against the JSON
Schema, answer keys, difficulty labels, and every Python snippet run in a
sandbox to prove the keyed answer. It exports banks for other tools.`,
		Version:       f.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &UsageError{Err: fmt.Errorf("%w (see '%s --help')", err, c.CommandPath())}
	})
	// Every command, in one list.
	root.AddCommand(
		NewCmdLint(f, nil),
		NewCmdRun(f, nil),
		NewCmdExport(f, nil),
		NewCmdFmt(f, nil),
		NewCmdNew(f, nil),
		NewCmdRules(f, nil),
		NewCmdExplain(f, nil),
		NewCmdConfig(f, nil),
		NewCmdCache(f),
	)
	return root
}
