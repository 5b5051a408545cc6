package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/check"
	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/report"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/safetext"
	"github.com/qbank-dev/qbank/pkg/sandbox"
)

// RunCmdOptions are the inputs of `qbank run`.
type RunCmdOptions struct {
	IO      *iostreams.IOStreams
	Version string

	File     string
	Question string // "" = every question with code
	Python   string
	Sandbox  string
}

func init() {
	extraCommands = append(extraCommands, func(f *Factory) *cobra.Command { return NewCmdRun(f, nil) })
}

// NewCmdRun builds `qbank run FILE[#QUESTION-ID]`.
func NewCmdRun(f *Factory, runF func(*RunCmdOptions) error) *cobra.Command {
	opts := &RunCmdOptions{IO: f.IO, Version: f.Version}
	cmd := &cobra.Command{
		Use:   "run FILE[#QUESTION-ID]",
		Short: "Run a question's snippet in the sandbox and show what it does",
		Long: `Run the code snippet of one question (or of every question of FILE) in the
sandbox, never from the cache, and show its stdout, stderr, the exception it
raised, which option matches, and the findings of the snippet rules. Output
of the snippet is shown with control characters escaped.

Exit status: 0 when the key agrees with the code, 1 when a snippet rule
reports an error, 2 on a usage error.`,
		Example: `  qbank run questions/python-loops.toml#range-step`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File, opts.Question, _ = strings.Cut(args[0], "#")
			if runF != nil {
				return runF(opts)
			}
			return runRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Python, "python", "", "Python interpreter (default: python3 on PATH)")
	cmd.Flags().StringVar(&opts.Sandbox, "sandbox", "auto", "isolation: auto, full, basic or none")
	return cmd
}

func runRun(opts *RunCmdOptions) error {
	files := load.Banks([]string{opts.File})
	f := files[0]
	if f.ReadErr != nil {
		return Usagef("cannot read %s: %v", opts.File, f.ReadErr)
	}
	if f.Bank == nil {
		return Usagef("%s is not valid TOML: run qbank lint %s", opts.File, opts.File)
	}
	var picked []*bank.Question
	for _, q := range f.Bank.Questions {
		if q.Code == nil {
			continue
		}
		if opts.Question == "" || q.ID == opts.Question || q.FullID() == opts.Question {
			picked = append(picked, q)
		}
	}
	if len(picked) == 0 {
		if opts.Question != "" {
			return Usagef("%s has no question %q with code", opts.File, opts.Question)
		}
		return Usagef("%s has no question with code", opts.File)
	}
	pool, err := sandbox.Open(sandbox.Options{Python: opts.Python, Mode: opts.Sandbox})
	if err != nil {
		return &UsageError{Err: err}
	}
	defer pool.Close()
	// Keep only the picked questions, so that only they run.
	keep := map[int]bool{}
	for _, q := range picked {
		keep[q.Index] = true
	}
	all := f.Bank.Questions
	f.Bank.Questions = picked
	check.Run(context.Background(), []*lint.File{f}, check.Options{Runner: pool, Python: "Python " + pool.Interpreter().Version})
	res := lint.Run([]*lint.File{f}, rules.All(), nil, rules.Prepare)
	f.Bank.Questions = all

	w := opts.IO.Out
	fmt.Fprintf(w, "sandbox: %s, Python %s\n", pool.Level(), pool.Interpreter().Version)
	failed := false
	for _, q := range picked {
		fmt.Fprintf(w, "\n== %s (expect = %q)\n", q.FullID(), q.Code.Expect)
		o := check.OutcomeOf(f, q)
		switch {
		case o == nil:
			fmt.Fprintln(w, "not run (expect = \"none\")")
			continue
		case o.Err != nil:
			fmt.Fprintf(w, "sandbox failure: %v\n", o.Err)
			failed = true
			continue
		}
		r := o.Runs[0]
		section(w, "stdout", r.Stdout, r.StdoutTruncated)
		section(w, "stderr", r.Stderr, r.StderrTruncated)
		if e := r.Exception; e != nil {
			when := "raised"
			if e.CompileTime {
				when = "compile error"
			}
			fmt.Fprintf(w, "exception (%s): %s.%s: %s (line %d of the %s)\n", when, e.Module, e.Type, safetext.Escape([]byte(e.Message)), e.Line, e.Where)
		}
		if r.HasValue {
			fmt.Fprintf(w, "value: %s\n", safetext.Escape([]byte(r.Value)))
		}
		if r.Killed != "" {
			fmt.Fprintf(w, "stopped: %s limit\n", r.Killed)
		}
		if len(r.Missing) > 0 {
			fmt.Fprintf(w, "missing modules: %s\n", strings.Join(r.Missing, ", "))
		}
		if q.Code.Expect == "output" || q.Code.Expect == "value" {
			actual := string(r.Stdout)
			if q.Code.Expect == "value" {
				actual = r.Value
			}
			for _, opt := range q.Options {
				level := check.Compare(opt.Text, actual)
				mark := ""
				for _, k := range q.Answer {
					if k == opt.Letter {
						mark = " (keyed)"
					}
				}
				switch level {
				case check.Exact:
					fmt.Fprintf(w, "option %s matches%s\n", opt.Letter, mark)
				case check.Loose:
					fmt.Fprintf(w, "option %s matches loosely, ignoring %s%s\n", opt.Letter, check.Difference(opt.Text, actual), mark)
				}
			}
		}
		for _, d := range res.Diagnostics {
			if d.Question == q.FullID() && strings.HasPrefix(d.Code, "QB5") {
				fmt.Fprintln(w, report.Headline(d))
				if d.Severity == lint.Error {
					failed = true
				}
			}
		}
	}
	if failed {
		return ErrFindings
	}
	return nil
}

func section(w io.Writer, name string, b []byte, truncated bool) {
	if len(b) == 0 {
		fmt.Fprintf(w, "%s: (empty)\n", name)
		return
	}
	fmt.Fprintf(w, "--- %s\n%s", name, safetext.Escape(b))
	if b[len(b)-1] != '\n' {
		fmt.Fprintln(w, "⏎ (no newline at end)")
	}
	if truncated {
		fmt.Fprintln(w, "… (truncated at the output limit)")
	}
}
