package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/linter"
)

// RunOptions are the flags of `qbank lint` that govern running snippets.
type RunOptions struct {
	NoRun   bool
	NoCache bool
	Python  string
	Sandbox string // auto | full | basic | none
	Require string // full | basic | none | ""
}

// Help texts of the sandbox flags, shared by lint, run and export.
const (
	sandboxHelp = "isolation: auto (the strongest available; full when CI=true or GITHUB_ACTIONS=true; never basic as root unless asked), full, basic, or none (no isolation: only for code you trust)"
	requireHelp = "fail (exit 2) unless this isolation level is reached: full, basic or none"
	pythonHelp  = "Python interpreter for snippets (default: [sandbox] python, else python3 on PATH)"
)

func addRunFlags(cmd *cobra.Command, o *RunOptions) {
	f := cmd.Flags()
	f.BoolVar(&o.NoRun, "no-run", false, "do not execute snippets (they are reported as not run, never as passed)")
	f.BoolVar(&o.NoCache, "no-cache", false, "run every snippet again instead of reusing cached results")
	f.StringVar(&o.Python, "python", "", pythonHelp)
	f.StringVar(&o.Sandbox, "sandbox", "auto", sandboxHelp)
	f.StringVar(&o.Require, "require-sandbox", "", requireHelp)
}

func (o *RunOptions) check() error {
	switch o.Sandbox {
	case "auto", "full", "basic", "none":
	default:
		return Usagef("--sandbox must be auto, full, basic or none, not %q", o.Sandbox)
	}
	switch o.Require {
	case "", "full", "basic", "none":
	default:
		return Usagef("--require-sandbox must be full, basic or none, not %q", o.Require)
	}
	return nil
}

// linterOptions are the pipeline's options from the snippet flags and the
// configuration.
func (o RunOptions) linterOptions(settings *config.Config, version string, progress io.Writer) linter.Options {
	return linter.Options{
		Config: settings, NoRun: o.NoRun, NoCache: o.NoCache, Python: o.Python,
		Sandbox: o.Sandbox, Require: o.Require, Version: version, Progress: progress,
	}
}
