package lint

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
)

// Result is the outcome of a run.
type Result struct {
	Diagnostics []Diagnostic
	Files       []*File
	Questions   int
}

// Run checks files with rules. Files are sorted by path first, so "the
// first" of two duplicates is the same whatever order they were given in.
// Per-file rules run in parallel across files. Rules read what several of
// them share from typed values: the file's Schema (computed once, on first
// use), its Snippets, and cfg.
func Run(files []*File, rules []*Rule, cfg *Config) *Result {
	if cfg == nil {
		cfg = DefaultConfig()
	}
	files = slices.Clone(files)
	slices.SortStableFunc(files, func(a, b *File) int { return cmp.Compare(a.Path, b.Path) })

	perFile := make([][]Diagnostic, len(files))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, f := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var out []Diagnostic
			for _, r := range rules {
				sev := cfg.SeverityOf(r)
				if sev == Off || r.Run == nil {
					continue
				}
				if r.Scope == ScopeRun || (r.Scope == ScopeBank && f.Bank == nil) {
					continue
				}
				pass := &Pass{Rule: r, Config: cfg, File: f, Bank: f.Bank, Files: files}
				pass.report = func(fd Finding) { out = append(out, place(r, sev, f, fd)) }
				r.Run(pass)
			}
			perFile[i] = out
		}()
	}
	wg.Wait()

	res := &Result{Files: files}
	for _, ds := range perFile {
		res.Diagnostics = append(res.Diagnostics, ds...)
	}
	for _, r := range rules {
		sev := cfg.SeverityOf(r)
		if r.Scope != ScopeRun || sev == Off || r.Run == nil {
			continue
		}
		pass := &Pass{Rule: r, Config: cfg, Files: files}
		pass.report = func(fd Finding) {
			res.Diagnostics = append(res.Diagnostics, place(r, sev, fd.File, fd))
		}
		r.Run(pass)
	}
	for _, f := range files {
		if f.Bank != nil {
			res.Questions += len(f.Bank.Questions)
		}
	}
	Sort(res.Diagnostics)
	return res
}

// place turns a finding into a diagnostic with line and column.
func place(r *Rule, sev Severity, f *File, fd Finding) Diagnostic {
	if fd.File != nil {
		f = fd.File
	}
	start, end := f.Position(fd.Span.Start), f.Position(fd.Span.End)
	d := Diagnostic{
		File: f.Path, Line: start.Line, Column: start.Col, EndLine: end.Line, EndColumn: end.Col,
		Severity: sev, Code: r.Code, Rule: r.Name, Message: fd.Message, Hint: fd.Hint,
		Offset: fd.Span.Start, EndOffset: fd.Span.End,
	}
	if fd.Question != nil {
		d.Question = fd.Question.FullID()
	}
	if rel := fd.Related; rel != nil {
		rf := rel.File
		if rf == nil {
			rf = f
		}
		p := rf.Position(rel.Span.Start)
		d.Related = append(d.Related, Location{File: rf.Path, Line: p.Line, Column: p.Col, Message: rel.Message})
	}
	return d
}
