package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/qbank-dev/qbank/pkg/atomicfile"
	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/formats"
	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/linter"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/safetext"
	"github.com/spf13/cobra"
)

// ExportOptions are the inputs of `qbank export`.
type ExportOptions struct {
	IO      *iostreams.IOStreams
	Version string

	Paths  []string
	Format string
	Output string
	Split  string
	Force  bool
	Filter export.Filter
	// ConfigPath is --config: the qbank.toml to use instead of the nearest.
	ConfigPath string
	// Run holds the snippet flags, as for lint: snippets run (or come from
	// the cache) so that a wrong key blocks the export and the bundle can
	// record what each snippet really did.
	Run RunOptions
}

// NewCmdExport builds `qbank export`. runF replaces the run in tests of
// flag handling.
func NewCmdExport(f *Factory, runF func(*ExportOptions) error) *cobra.Command {
	opts := &ExportOptions{IO: f.IO, Version: f.Version}
	cmd := &cobra.Command{
		Use:   "export --format FORMAT (-o FILE | --split DIR) [PATH...]",
		Short: "Export question banks as a JSON bundle, QTI 2.1, Moodle XML or GIFT",
		Long: `Export question banks for other tools.

Formats:
  json    one self-describing JSON bundle (schema/bundle.schema.json) with
          every field and a content hash per question, per bank and overall
  qti21   an IMS QTI 2.1 content package (.zip): imsmanifest.xml and one
          assessmentItem per question
  moodle  Moodle XML: a category per bank and a multichoice question each
  gift    Moodle GIFT text: a $CATEGORY per bank and a question each

PATHs are found as 'qbank lint' finds them (default: the paths of qbank.toml,
else questions/). Banks are linted first, through the same pipeline and
configuration as 'qbank lint' (snippets run, or come from the cache); a bank
with lint errors is not exported: the command lists it and exits 1, unless
--force. A field a format cannot carry is dropped with
one warning per kind of field.

Selection flags may be repeated or comma-separated; values of one flag are
alternatives, different flags must all match. --tag matches a question's
tags or its bank's; --id is a glob on the full id "bank/question".

Output is written atomically (a temporary file in the same directory, then
a rename). An existing file is replaced only with --force. "-o -" writes to
standard output.

Exit status:
  0  exported
  1  banks with lint errors (nothing written)
  2  usage error, existing or unwritable output`,
		Example: `  qbank export --format json -o pack.json
  qbank export --format qti21 -o pack.zip questions/python-loops.toml
  qbank export --format moodle --tag loops --difficulty easy,medium -o quiz.xml
  qbank export --format gift --id 'python-*/*error*' -o errors.gift
  qbank export --format json --split packs/`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if opts.Format == "" {
				return Usagef("--format is required: one of %s", strings.Join(formats.Names(), ", "))
			}
			if _, err := formats.Lookup(opts.Format); err != nil {
				return &UsageError{Err: err}
			}
			if (opts.Output == "") == (opts.Split == "") {
				return Usagef("give exactly one of -o FILE and --split DIR")
			}
			if err := opts.Filter.Validate(); err != nil {
				return &UsageError{Err: err}
			}
			if runF != nil {
				return runF(opts)
			}
			if err := opts.Run.check(); err != nil {
				return err
			}
			return exportRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Format, "format", "", "output format: "+strings.Join(formats.Names(), ", "))
	fl.StringVarP(&opts.Output, "output", "o", "", `output file ("-" for standard output)`)
	fl.StringVar(&opts.Split, "split", "", "write one file per bank into this directory, named BANK-ID.EXT")
	fl.BoolVar(&opts.Force, "force", false, "replace existing output; export banks that have lint errors")
	fl.StringSliceVar(&opts.Filter.Banks, "bank", nil, "only these bank ids")
	fl.StringSliceVar(&opts.Filter.Tags, "tag", nil, "only questions with one of these tags (question or bank tags)")
	fl.StringSliceVar(&opts.Filter.Difficulties, "difficulty", nil, "only these difficulty labels")
	fl.StringSliceVar(&opts.Filter.IDs, "id", nil, `only full ids ("bank/question") matching one of these glob patterns`)
	fl.StringVar(&opts.ConfigPath, "config", "", "use this qbank.toml instead of the nearest one")
	addRunFlags(cmd, &opts.Run)
	return cmd
}

func exportRun(opts *ExportOptions) error {
	format, err := formats.Lookup(opts.Format)
	if err != nil {
		return &UsageError{Err: err}
	}
	settings, err := config.Load(opts.ConfigPath, rules.All())
	if err != nil {
		return &UsageError{Err: fmt.Errorf("configuration: %w", err)}
	}
	paths, err := bankPaths(opts.Paths, settings.Paths)
	if err != nil {
		return err
	}
	lo := opts.Run.linterOptions(settings, opts.Version, opts.IO.ErrOut)
	lo.KeepTrees = true // the banks are exported
	l, err := linter.Open(lo)
	if err != nil {
		return &UsageError{Err: err}
	}
	defer l.Close()
	res, err := l.Lint(context.Background(), linter.Paths(paths))
	if err != nil {
		return pipelineError(err)
	}
	banks, err := exportableBanks(opts, res)
	if err != nil {
		return err
	}
	if len(banks) == 0 {
		return Usagef("no question matches the selection")
	}

	env := export.NewEnv(opts.Version)
	env.Verify = verifier(res)
	type target struct {
		path  string
		banks []*bank.Bank
	}
	var targets []target
	if opts.Split != "" {
		if err := os.MkdirAll(opts.Split, 0o755); err != nil {
			return Usagef("cannot create --split directory: %v", err)
		}
		seen := map[string]string{}
		for _, b := range export.Sorted(banks) {
			name := splitName(b) + format.Ext()
			if prev, dup := seen[name]; dup {
				return Usagef("--split: banks %s and %s would both be written to %s", prev, b.Path, name)
			}
			seen[name] = b.Path
			targets = append(targets, target{filepath.Join(opts.Split, name), []*bank.Bank{b}})
		}
	} else {
		targets = []target{{opts.Output, banks}}
	}
	// Refuse before writing anything, so a run never half-replaces a set.
	if !opts.Force {
		for _, t := range targets {
			if t.path == "-" {
				continue
			}
			if _, err := os.Lstat(t.path); err == nil {
				return Usagef("%s already exists; use --force to replace it", t.path)
			}
		}
	}
	for _, t := range targets {
		var buf bytes.Buffer
		if err := export.Write(&buf, format, t.banks, env); err != nil {
			return err
		}
		if t.path == "-" {
			if _, err := opts.IO.Out.Write(buf.Bytes()); err != nil {
				return fmt.Errorf("write standard output: %w", err)
			}
			continue
		}
		if err := atomicfile.Write(t.path, buf.Bytes()); err != nil {
			return &UsageError{Err: err}
		}
	}
	for _, w := range env.Drops.Warnings(format.Name()) {
		fmt.Fprintf(opts.IO.ErrOut, "qbank: warning: %s\n", safetext.Line(w))
	}
	dest := opts.Output
	if opts.Split != "" {
		dest = fmt.Sprintf("%d files in %s", len(targets), opts.Split)
	} else if dest == "-" {
		dest = "standard output"
	}
	fmt.Fprintf(opts.IO.ErrOut, "qbank: exported %d questions from %d banks to %s (%s)\n",
		export.CountQuestions(banks), len(banks), safetext.Line(dest), format.Name())
	return nil
}

// verifier returns what each question's snippet did in this run, for the
// JSON bundle's "verified": the output it printed (or its value, for
// expect = "value"), the exception it raised (snippet.Outcome.Verdict, the
// interpretation the rules use) and how closely the key matches it
// (rules.KeyMatch, the rules' verdict). Snippets that were not run, failed
// in the sandbox or hit a limit have none.
func verifier(res *linter.Result) func(q *bank.Question) *export.Verified {
	files := map[*bank.Bank]*lint.File{}
	for _, f := range res.Files {
		if f.Bank != nil {
			files[f.Bank] = f
		}
	}
	return func(q *bank.Question) *export.Verified {
		f := files[q.Bank]
		if f == nil {
			return nil
		}
		o := f.Outcome(q)
		v := o.Verdict()
		if v == nil {
			return nil
		}
		ver := &export.Verified{Output: v.Output, Error: v.Error}
		if l, ok := rules.KeyMatch(q, o); ok {
			ver.Match = l.Setting()
		}
		return ver
	}
}

func exportableBanks(opts *ExportOptions, res *linter.Result) ([]*bank.Bank, error) {
	errs := map[string]int{}
	for _, d := range res.Diagnostics {
		if d.Severity == lint.Error {
			errs[d.File]++
		}
	}
	var decoded []*bank.Bank
	var blocked []string
	var unusable []string
	for _, f := range res.Files {
		if f.Bank == nil {
			// Unreadable or not TOML: it can never be exported.
			if len(opts.Filter.Banks) == 0 {
				blocked = append(blocked, f.Path)
				unusable = append(unusable, f.Path)
			}
			continue
		}
		sel := export.Select([]*bank.Bank{f.Bank}, opts.Filter)
		if len(sel) == 0 {
			continue
		}
		if errs[f.Path] > 0 {
			blocked = append(blocked, f.Path)
		}
		decoded = append(decoded, sel...)
	}
	if len(blocked) > 0 {
		sort.Strings(blocked)
		w := opts.IO.ErrOut
		if !opts.Force {
			fmt.Fprintf(w, "qbank: %d bank(s) with lint errors are not exported (run 'qbank lint' for details, or --force):\n", len(blocked))
			for _, p := range blocked {
				fmt.Fprintf(w, "  %s: %s\n", safetext.Line(p), plural(errs[p], "error"))
			}
			return nil, ErrFindings
		}
		for _, p := range blocked {
			fmt.Fprintf(w, "qbank: warning: %s has %s; exported anyway (--force)\n", safetext.Line(p), plural(errs[p], "lint error"))
		}
		for _, p := range unusable {
			fmt.Fprintf(w, "qbank: warning: %s could not be read as a bank; skipped\n", safetext.Line(p))
		}
	}
	return decoded, nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// splitName is the file name of a bank in --split: its id, or the file's
// base name when the id is empty or not a safe file name.
func splitName(b *bank.Bank) string {
	id := b.ID
	ok := id != "" && id != "." && id != ".."
	for _, r := range id {
		if !(r == '-' || r == '_' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			ok = false
		}
	}
	if ok {
		return id
	}
	return strings.TrimSuffix(filepath.Base(b.Path), filepath.Ext(b.Path))
}
