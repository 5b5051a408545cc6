package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/linter"
	"github.com/qbank-dev/qbank/pkg/report"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/safetext"
	"github.com/qbank-dev/qbank/pkg/snippet"
	"github.com/qbank-dev/qbank/pkg/suggest"
)

// RunCmdOptions are the inputs of `qbank run`.
type RunCmdOptions struct {
	IO      *iostreams.IOStreams
	Version string

	// Targets are the arguments: FILE, FILE#QUESTION-ID or DIR.
	Targets    []string
	Format     string // text | json
	ConfigPath string
	Python     string
	Sandbox    string
	Require    string
}

// NewCmdRun builds `qbank run TARGET...`.
func NewCmdRun(f *Factory, runF func(*RunCmdOptions) error) *cobra.Command {
	opts := &RunCmdOptions{IO: f.IO, Version: f.Version}
	cmd := &cobra.Command{
		Use:   "run (FILE[#QUESTION-ID] | DIR)...",
		Short: "Run questions' snippets in the sandbox and show what they do",
		Long: `Run the code snippets of questions in the sandbox, never from the cache, and
show for each its stdout, stderr, the exception it raised, which option
matches, and the verdict of the snippet rules — the same findings 'qbank lint'
reports, through the same pipeline: qbank.toml's [sandbox] interpreter and
limits, [rules] severities, qbank:ignore suppressions and
[difficulty.minimum] (QB610) apply.

A target is a bank file (every question with code), FILE#ID (one question,
by its id or full id) or a directory (its banks, found as 'qbank lint' finds
them). Output of a snippet is shown with control characters escaped.

--format json writes one JSON document (schema/run.schema.json) instead.

Exit status: 0 when every key agrees with its code, 1 when a finding is at
least as severe as fail-on (default: an error), 2 on a usage error.`,
		Example: `  qbank run questions/python-loops.toml#range-step
  qbank run questions/python-loops.toml questions/errors.toml#zero-division
  qbank run --format json questions`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Targets = args
			switch opts.Format {
			case "text", "json":
			default:
				return Usagef("--format must be text or json, not %q", opts.Format)
			}
			if runF != nil {
				return runF(opts)
			}
			return runRun(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Format, "format", "text", "output format: text or json")
	fl.StringVar(&opts.ConfigPath, "config", "", "use this qbank.toml instead of the nearest one")
	fl.StringVar(&opts.Python, "python", "", pythonHelp)
	fl.StringVar(&opts.Sandbox, "sandbox", "auto", sandboxHelp)
	fl.StringVar(&opts.Require, "require-sandbox", "", requireHelp)
	return cmd
}

// runTarget is one argument of qbank run.
type runTarget struct {
	arg, path, question string
}

func runRun(opts *RunCmdOptions) error {
	ro := RunOptions{NoCache: true, Python: opts.Python, Sandbox: opts.Sandbox, Require: opts.Require}
	if err := ro.check(); err != nil {
		return err
	}
	settings, err := config.Load(opts.ConfigPath, rules.All())
	if err != nil {
		return &UsageError{Err: fmt.Errorf("configuration: %w", err)}
	}
	var targets []runTarget
	var inputs []linter.Input
	for _, a := range opts.Targets {
		p, id, _ := strings.Cut(a, "#")
		t := runTarget{arg: a, path: filepath.ToSlash(filepath.Clean(p)), question: id}
		targets = append(targets, t)
		in := linter.Path(p)
		if id != "" {
			in.Questions = []string{id}
		}
		inputs = append(inputs, in)
	}
	lo := ro.linterOptions(settings, opts.Version, nil)
	lo.KeepTrees = true // the questions' code and options are shown
	l, err := linter.Open(lo)
	if err != nil {
		return &UsageError{Err: err}
	}
	defer l.Close()
	res, err := l.Lint(context.Background(), inputs)
	if err != nil {
		return pipelineError(err)
	}
	picked, err := pickQuestions(targets, res.Files)
	if err != nil {
		return err
	}
	out := runReport(l, res, picked, opts.Version)
	if opts.Format == "json" {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		writeRunText(opts.IO.Out, out)
	}
	for _, d := range allFindings(out) {
		if settings.FailOn != lint.Off && d.Severity >= settings.FailOn {
			return ErrFindings
		}
	}
	return nil
}

// pickedQuestion is a question to show, with its file.
type pickedQuestion struct {
	file *lint.File
	q    *bank.Question
}

// pickQuestions resolves the targets to questions with code, in target
// order, each once.
func pickQuestions(targets []runTarget, files []*lint.File) ([]pickedQuestion, error) {
	byPath := map[string]*lint.File{}
	for _, f := range files {
		byPath[f.Path] = f
	}
	var out []pickedQuestion
	seen := map[*bank.Question]bool{}
	add := func(f *lint.File, q *bank.Question) {
		if !seen[q] {
			seen[q] = true
			out = append(out, pickedQuestion{f, q})
		}
	}
	for _, t := range targets {
		if f := byPath[t.path]; f != nil {
			// A file.
			if f.ReadErr != nil {
				return nil, Usagef("cannot read %s: %v", t.path, f.ReadErr)
			}
			if f.Bank == nil {
				return nil, Usagef("%s is not valid TOML: run qbank lint %s", t.path, t.path)
			}
			n := len(out)
			for _, q := range f.Bank.Questions {
				if q.Code != nil && (t.question == "" || q.ID == t.question || q.FullID() == t.question) {
					add(f, q)
				}
			}
			if len(out) == n && !slices.ContainsFunc(out, func(p pickedQuestion) bool { return p.file == f }) {
				if t.question != "" {
					return nil, Usagef("%s has no question %q with code%s", t.path, t.question, nearestIDs(f.Bank, t.question))
				}
				return nil, Usagef("%s has no question with code", t.path)
			}
			continue
		}
		// A directory: every bank under it.
		if t.question != "" {
			return nil, Usagef("%s: #ID selects a question of a file, not of a directory", t.arg)
		}
		n := len(out)
		prefix := strings.TrimSuffix(t.path, "/") + "/"
		for _, f := range files {
			if f.Bank == nil || !(strings.HasPrefix(f.Path, prefix) || t.path == ".") {
				continue
			}
			for _, q := range f.Bank.Questions {
				if q.Code != nil {
					add(f, q)
				}
			}
		}
		if len(out) == n {
			return nil, Usagef("%s has no question with code", t.arg)
		}
	}
	return out, nil
}

// compiledOnly is the summary of a snippet that compiled and, by its
// expect, was not run.
const compiledOnly = `compiled only, not run: expect = "compiles"`

// nearestIDs says, for an id that names no question with code in b, what
// was probably meant: the question exists but has no code, or the nearest
// ids of its questions with code, or (when none is near) all of them when
// there are few.
func nearestIDs(b *bank.Bank, id string) string {
	full := strings.Contains(id, "/")
	name := func(q *bank.Question) string {
		if full {
			return q.FullID()
		}
		return q.ID
	}
	type cand struct {
		id   string
		dist int
	}
	var cands []cand
	for _, q := range b.Questions {
		if name(q) == id {
			return ": that question has no [question.code]"
		}
		if q.Code != nil && q.ID != "" {
			cands = append(cands, cand{name(q), suggest.Distance(strings.ToLower(id), strings.ToLower(name(q)))})
		}
	}
	limit := max(2, utf8.RuneCountInString(id)/3)
	var near []string
	slices.SortStableFunc(cands, func(a, b cand) int { return a.dist - b.dist })
	for _, c := range cands {
		lid, lc := strings.ToLower(id), strings.ToLower(c.id)
		if (c.dist <= limit || len(lid) >= 3 && strings.Contains(lc, lid)) && len(near) < 3 {
			near = append(near, strconv.Quote(c.id))
		}
	}
	switch {
	case len(near) > 0:
		return "; did you mean " + strings.Join(near, " or ") + "?"
	case len(cands) > 0 && len(cands) <= 10:
		var all []string
		for _, q := range b.Questions {
			if q.Code != nil && q.ID != "" {
				all = append(all, name(q))
			}
		}
		return "; its questions with code are " + strings.Join(all, ", ")
	}
	return ""
}

// RunOutput is what `qbank run` shows; `--format json` writes it as
// described by schema/run.schema.json.
type RunOutput struct {
	Version  int          `json:"version"`
	Tool     report.Tool  `json:"tool"`
	Sandbox  string       `json:"sandbox,omitempty"`
	Snippets []RunSnippet `json:"snippets"`
	// Findings are the findings about the banks as a whole (QB610).
	Findings []lint.Diagnostic `json:"findings"`
}

// RunSnippet is one question's snippet and what it did.
type RunSnippet struct {
	Question string `json:"question"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Expect   string `json:"expect"`
	// Run is "options" when the options are code (each option's run is
	// in Options); absent otherwise.
	Run string `json:"run,omitempty"`
	// Stated is, for code options, what the keyed options must do: the
	// output, the error's name or the value's repr.
	Stated *string `json:"stated,omitempty"`
	RunResult
	Options  []RunOption       `json:"options"`
	Findings []lint.Diagnostic `json:"findings"`
}

// RunResult is what one snippet run did: a question's snippet, or one
// code option.
type RunResult struct {
	// Status is how far the check went: ran, compiled, not-run, stopped,
	// missing-module, sandbox-failure, tampered; "none" for expect = "none".
	// For a code-options question, its least checked option's.
	Status          string        `json:"status"`
	Summary         string        `json:"summary"`
	Stdout          *string       `json:"stdout"`
	StdoutTruncated bool          `json:"stdout_truncated"`
	Stderr          *string       `json:"stderr"`
	StderrTruncated bool          `json:"stderr_truncated"`
	Exception       *RunException `json:"exception"`
	Value           *string       `json:"value"`
	Killed          string        `json:"killed,omitempty"`
	Missing         []string      `json:"missing,omitempty"`
	Error           string        `json:"sandbox_error,omitempty"`
}

// RunException is the exception a snippet raised.
type RunException struct {
	Name        string `json:"name"` // snippet.QualifiedName
	Module      string `json:"module"`
	Type        string `json:"type"`
	Message     string `json:"message"`
	Line        int    `json:"line"`
	Where       string `json:"where"`
	CompileTime bool   `json:"compile_time"`
}

// RunOption is how an option compares with what the snippet did.
type RunOption struct {
	Letter string `json:"letter"`
	Keyed  bool   `json:"keyed"`
	// Match is the strictest level at which the option matches, within
	// the question's `match`: "exact", "normal", "loose" or "none";
	// Ignoring says what a normal or loose match ignored.
	Match    string `json:"match"`
	Ignoring string `json:"ignoring,omitempty"`
	// Run is what the option did, when the options are code: Match then
	// says how that compares with what the question states.
	Run *RunResult `json:"run,omitempty"`
	// Answer is set when the option matches at the strictest level any
	// option reached (snippet.Judgement.Answer): the answer the verdict
	// accepts. An option that matches only less closely is not one.
	Answer bool `json:"answer,omitempty"`
}

func runReport(l *linter.Linter, res *linter.Result, picked []pickedQuestion, version string) *RunOutput {
	out := &RunOutput{Version: 1, Tool: report.Tool{Name: "qbank", Version: version}, Sandbox: strings.TrimPrefix(l.Sandbox(), "sandbox: "),
		Snippets: []RunSnippet{}, Findings: []lint.Diagnostic{}}
	banks := map[string]bool{}
	for _, p := range picked {
		q := p.q
		banks[p.file.Path] = true
		s := RunSnippet{Question: safetext.Line(q.FullID()), File: safetext.Line(p.file.Path),
			Line: p.file.Position(q.Node.Start).Line, Expect: q.Code.Expect, Options: []RunOption{}, Findings: []lint.Diagnostic{}}
		for _, d := range res.Diagnostics {
			if d.File == p.file.Path && d.Question == q.FullID() && strings.HasPrefix(d.Code, "QB5") {
				s.Findings = append(s.Findings, report.EscapeDiagnostic(d, report.Data))
			}
		}
		if q.OptionsAreCode() {
			out.Snippets = append(out.Snippets, codeOptionsSnippet(p, s))
			continue
		}
		o := p.file.Outcome(q)
		if o == nil {
			s.Status, s.Summary = "none", `not run (expect = "none")`
			out.Snippets = append(out.Snippets, s)
			continue
		}
		s.RunResult = resultOf(o)
		if len(o.Runs) > 0 && o.Err == nil {
			if o.Judged() && (q.Code.Expect == "output" || q.Code.Expect == "value") {
				// The rules' verdict (rules.JudgeOptions) when the options
				// decide the question; else each option's level alone.
				j, actual, decides := rules.JudgeOptions(q, o)
				if !decides {
					actual = o.Actual()
					j = snippet.Judge(rules.OptionTexts(q), actual, rules.MatchCap(q))
				}
				for i, opt := range q.Options {
					l := j.Levels[i]
					ro := RunOption{Letter: opt.Letter, Keyed: slices.Contains(q.Answer, opt.Letter), Match: l.String(), Answer: decides && j.Answer(i)}
					if l != snippet.Exact && l != snippet.NoMatch {
						ro.Ignoring = snippet.Difference(opt.Text, actual)
					}
					s.Options = append(s.Options, ro)
				}
			}
		}
		out.Snippets = append(out.Snippets, s)
	}
	for _, d := range res.Diagnostics {
		if banks[d.File] && d.Code == rules.DifficultyMinimum.Code {
			out.Findings = append(out.Findings, report.EscapeDiagnostic(d, report.Data))
		}
	}
	return out
}

// resultOf is what a run did, escaped for showing.
func resultOf(o *snippet.Outcome) RunResult {
	var s RunResult
	s.Status, s.Summary = o.Status().String(), safetext.EscapeString(o.Summary())
	if o.Err != nil {
		s.Error = safetext.EscapeString(o.Err.Error())
	}
	if len(o.Runs) == 0 || o.Err != nil {
		return s
	}
	r := o.First()
	str := func(b []byte) *string { v := safetext.Escape(b); return &v }
	if o.Status() == snippet.Compiled {
		// Compiled only: there is no output to show, and no key was
		// compared with anything.
		if r.Exception == nil {
			s.Summary = compiledOnly
		}
	} else {
		s.Stdout, s.Stderr = str(r.Stdout), str(r.Stderr)
	}
	s.StdoutTruncated, s.StderrTruncated = r.StdoutTruncated, r.StderrTruncated
	if e := r.Exception; e != nil {
		s.Exception = &RunException{Name: safetext.Line(snippet.QualifiedName(e)), Module: safetext.Line(e.Module), Type: safetext.Line(e.Type),
			Message: safetext.EscapeString(e.Message), Line: e.Line, Where: e.Where, CompileTime: e.CompileTime}
	}
	if r.HasValue {
		s.Value = str([]byte(r.Value))
	}
	s.Killed = r.Killed
	for _, m := range r.Missing {
		s.Missing = append(s.Missing, safetext.Line(m))
	}
	return s
}

// codeOptionsSnippet fills in a code-options question: each option's run
// and how it compares with what the question states.
func codeOptionsSnippet(p pickedQuestion, s RunSnippet) RunSnippet {
	q, c := p.q, p.q.Code
	s.Run = "options"
	stated := c.Output
	switch c.Expect {
	case "error":
		stated = c.Error
	case "value":
		stated = c.Value
	}
	st := safetext.EscapeString(stated)
	s.Stated = &st
	outs := p.file.OptionOutcomes(q)
	if len(outs) != len(q.Options) {
		s.Status, s.Summary = "none", "no option run: "+rules.CodeOptionsSetup.Summary+" (QB517)"
		return s
	}
	worst := outs[0]
	for i, o := range outs {
		if o.Status() < worst.Status() {
			worst = o
		}
		r := resultOf(o)
		if e := r.Exception; e != nil && e.Where == "source" {
			e.Where = "option" // the option is the job's source
		}
		ro := RunOption{Letter: q.Options[i].Letter, Keyed: slices.Contains(q.Answer, q.Options[i].Letter), Match: "none", Run: &r}
		if o.Judged() {
			l := rules.CodeOptionLevel(q, o)
			ro.Match = l.String()
			if l != snippet.Exact && l != snippet.NoMatch {
				ro.Ignoring = snippet.Difference(stated, o.Actual())
			}
		}
		s.Options = append(s.Options, ro)
	}
	s.Status = worst.Status().String()
	s.Summary = fmt.Sprintf("ran %d code options", len(outs))
	if s.Status != snippet.Ran.String() {
		s.Summary += "; option " + q.Options[slices.Index(outs, worst)].Letter + ": " + safetext.EscapeString(worst.Summary())
	}
	return s
}

func allFindings(out *RunOutput) []lint.Diagnostic {
	ds := slices.Clone(out.Findings)
	for _, s := range out.Snippets {
		ds = append(ds, s.Findings...)
	}
	return ds
}

// writeRunText is the text layout of qbank run.
func writeRunText(w io.Writer, out *RunOutput) {
	if out.Sandbox != "" {
		fmt.Fprintf(w, "sandbox: %s\n", out.Sandbox)
	}
	for _, s := range out.Snippets {
		if s.Run == "options" {
			writeCodeOptionsText(w, s)
			continue
		}
		fmt.Fprintf(w, "\n== %s (expect = %q)\n", s.Question, s.Expect)
		if s.Status == "none" {
			fmt.Fprintln(w, s.Summary)
			continue
		}
		writeResultText(w, s.RunResult)
		var answers []string
		for _, o := range s.Options {
			if o.Answer {
				answers = append(answers, o.Letter)
			}
		}
		for _, o := range s.Options {
			mark := ""
			if o.Keyed {
				mark = " (keyed)"
			}
			if !o.Answer && len(answers) > 0 && o.Match != "none" {
				mark += ", but " + strings.Join(answers, " and ") + " matches more closely"
			}
			switch o.Match {
			case "exact":
				fmt.Fprintf(w, "option %s matches%s\n", o.Letter, mark)
			case "lines":
				fmt.Fprintf(w, "option %s matches once white space within lines is collapsed%s\n", o.Letter, mark)
			case "normal":
				fmt.Fprintf(w, "option %s matches once white space is collapsed%s\n", o.Letter, mark)
			case "loose", "spacing":
				fmt.Fprintf(w, "option %s matches loosely, ignoring %s%s\n", o.Letter, o.Ignoring, mark)
			}
		}
		for _, d := range s.Findings {
			fmt.Fprintln(w, report.Headline(d))
		}
	}
	if len(out.Findings) > 0 {
		fmt.Fprintln(w)
		for _, d := range out.Findings {
			fmt.Fprintln(w, report.Headline(d))
		}
	}
}

// writeCodeOptionsText shows a code-options question: what is stated,
// then each option's run and whether it does that.
func writeCodeOptionsText(w io.Writer, s RunSnippet) {
	fmt.Fprintf(w, "\n== %s (expect = %q, run = \"options\")\n", s.Question, s.Expect)
	if s.Stated != nil {
		fmt.Fprintf(w, "stated %s: %s\n", s.Expect, *s.Stated)
	}
	if len(s.Options) == 0 {
		fmt.Fprintln(w, s.Summary)
	}
	for _, o := range s.Options {
		mark := ""
		if o.Keyed {
			mark = " (keyed)"
		}
		verdict := "does not match"
		switch o.Match {
		case "exact":
			verdict = "matches"
		case "lines":
			verdict = "matches once white space within lines is collapsed"
		case "normal":
			verdict = "matches once white space is collapsed"
		case "loose", "spacing":
			verdict = "matches loosely, ignoring " + o.Ignoring
		}
		fmt.Fprintf(w, "-- option %s%s: %s\n", o.Letter, mark, verdict)
		writeResultText(w, *o.Run)
	}
	for _, d := range s.Findings {
		fmt.Fprintln(w, report.Headline(d))
	}
}

// writeResultText shows one run's streams, exception, value and limits.
func writeResultText(w io.Writer, r RunResult) {
	switch {
	case r.Error != "":
		fmt.Fprintf(w, "sandbox failure: %s\n", r.Error)
		return
	case r.Status == snippet.Tampered.String():
		fmt.Fprintln(w, r.Summary) // what a tampering run printed is not trusted
		return
	case r.Stdout == nil:
		fmt.Fprintln(w, r.Summary)
		if e := r.Exception; e != nil && e.CompileTime {
			fmt.Fprintf(w, "exception (compile error): %s.%s: %s (line %d of the %s)\n", e.Module, e.Type, e.Message, e.Line, e.Where)
		}
		return
	}
	section(w, "stdout", *r.Stdout, r.StdoutTruncated)
	section(w, "stderr", *r.Stderr, r.StderrTruncated)
	if e := r.Exception; e != nil {
		when := "raised"
		if e.CompileTime {
			when = "compile error"
		}
		fmt.Fprintf(w, "exception (%s): %s.%s: %s (line %d of the %s)\n", when, e.Module, e.Type, e.Message, e.Line, e.Where)
	}
	if r.Value != nil {
		fmt.Fprintf(w, "value: %s\n", *r.Value)
	}
	if r.Killed != "" {
		fmt.Fprintf(w, "stopped: %s limit\n", r.Killed)
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(w, "missing modules: %s\n", strings.Join(r.Missing, ", "))
	}
}

// section prints an escaped output stream.
func section(w io.Writer, name, text string, truncated bool) {
	if len(text) == 0 {
		fmt.Fprintf(w, "%s: (empty)\n", name)
		return
	}
	fmt.Fprintf(w, "--- %s\n%s", name, text)
	if text[len(text)-1] != '\n' {
		fmt.Fprintln(w, "⏎ (no newline at end)")
	}
	if truncated {
		fmt.Fprintln(w, "… (truncated at the output limit)")
	}
}
