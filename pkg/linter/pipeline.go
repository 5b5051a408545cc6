package linter

import (
	"context"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/discover"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/snippet"
	"github.com/qbank-dev/qbank/pkg/snippetrun"
)

// unit is one file of a lint: a candidate found on disk, an in-memory
// source, or a path that could not be walked.
type unit struct {
	cand    discover.Candidate
	src     []byte // an in-memory source
	problem error  // the path could not be walked
	only    []string
}

// checked is what the pipeline keeps of a unit once it is checked.
type checked struct {
	file      *lint.File // nil when the unit is not a bank
	selected  bool
	diags     []lint.Diagnostic
	attention []Attention
}

// Lint checks inputs. Files are read, parsed and checked in a bounded
// pool, each released once checked (see Options.KeepTrees); the
// cross-bank rules and the suppressions then run over what is kept.
func (l *Linter) Lint(ctx context.Context, inputs []Input) (*Result, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	units, plan := l.units(inputs)

	// Selection: --shard by position among the files, --changed-since by
	// git, decided before anything is parsed.
	var changed map[string]bool
	why, base, top := "", "", ""
	if l.opts.ChangedSince != "" {
		var err error
		if changed, base, top, err = changedFiles(l.opts.ChangedSince); err != nil {
			return nil, &GitError{Err: err}
		}
		why = l.everything(changed, units)
	}
	isChanged := func(p string) bool { return changed != nil && changed[absReal(p)] }
	selected := func(i int, p string) bool {
		return l.inShard(i) && (changed == nil || why != "" || isChanged(p))
	}

	var perFile, cross []*lint.Rule
	for _, r := range l.rules {
		if r.Scope == lint.ScopeRun {
			cross = append(cross, r)
		} else {
			perFile = append(perFile, r)
		}
	}
	cfg := l.cfg
	if changed != nil {
		c := *cfg
		c.Focus = map[string]bool{}
		for _, u := range units {
			if isChanged(u.cand.Path) {
				c.Focus[u.cand.Path] = true
			}
		}
		cfg = &c
	}

	res := &Result{Skipped: map[string]string{}}
	var (
		mu       sync.Mutex
		sum      snippetrun.Summary
		start    = time.Now()
		ranAny   bool
		out      = make([]checked, len(units))
		work     = make(chan int)
		wg       sync.WaitGroup
		firstErr error
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	check := func(i int) {
		u := units[i]
		sel := selected(i, u.cand.Path)
		key := l.memoKey(u)
		if key != "" {
			mu.Lock()
			e, hit := l.memo[u.cand.Path]
			if hit && e.key == key && e.selected == sel {
				out[i] = e.checked
				e.delta.addTo(res, &sum, true)
				mu.Unlock()
				return
			}
			mu.Unlock()
		}
		var f *lint.File
		switch {
		case u.problem != nil:
			f = lint.UnreadableFile(u.cand.Path, u.problem)
		case u.src != nil:
			f, _ = load.Classify(lint.NewFile(u.cand.Path, u.src), true)
		default:
			var keep bool
			if f, keep = load.Read(u.cand); !keep {
				return
			}
		}
		c := checked{file: f, selected: sel}
		var d delta
		if c.selected {
			s, ran, err := l.runSnippets(ctx, f, u.only)
			if err != nil {
				fail(err)
				return
			}
			one := lint.Run([]*lint.File{f}, perFile, cfg)
			if err := rules.SchemaError(f); err != nil {
				fail(fmt.Errorf("schema check of %s: %w", f.Path, err))
				return
			}
			c.diags = one.Diagnostics
			if isChanged(f.Path) {
				c.attention = attention(f, base, top)
			}
			d = deltaOf(f, one.Questions, s)
			mu.Lock()
			d.addTo(res, &sum, false)
			ranAny = ranAny || ran
			mu.Unlock()
		}
		if !l.opts.KeepTrees {
			c.file = f.Release()
		}
		out[i] = c
		if key != "" && d.reusable {
			mu.Lock()
			l.memo[u.cand.Path] = memoEntry{key: key, selected: sel, checked: c, delta: d}
			mu.Unlock()
		}
	}
	workers := runtime.GOMAXPROCS(0)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				if ctx.Err() == nil {
					check(i)
				}
			}
		}()
	}
	for i := range units {
		work <- i
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if firstErr != nil {
		return nil, firstErr
	}

	// Forget the files that are gone.
	seen := map[string]bool{}
	for _, u := range units {
		seen[u.cand.Path] = true
	}
	for p := range l.memo {
		if !seen[p] {
			delete(l.memo, p)
		}
	}

	// Paths given that hold nothing.
	found := map[string]int{}
	var files, sel []*lint.File
	var diags []lint.Diagnostic
	for i, c := range out {
		if c.file == nil {
			continue
		}
		for _, from := range units[i].cand.From {
			found[from]++
		}
		files = append(files, c.file)
		if c.selected {
			sel = append(sel, c.file)
			diags = append(diags, c.diags...)
			res.Attention = append(res.Attention, c.attention...)
		}
	}
	if plan != nil {
		if empty := plan.Empty(found); len(empty) > 0 {
			return nil, &NoBanksError{Paths: empty}
		}
	}
	res.Counts.Total = len(files)

	// Cross-bank rules over every file; suppressions over every file, so a
	// cross-bank finding in an unselected file still meets its
	// qbank:ignore.
	all := &lint.Result{Files: files, Diagnostics: append(diags, lint.Run(files, cross, cfg).Diagnostics...)}
	suppressed := rules.Suppress(all, cfg)
	res.Diagnostics, res.Suppressed = l.keep(files, sel, cross, all.Diagnostics, suppressed)
	res.Files = sel
	res.Counts.Files = len(sel)
	for _, f := range sel {
		if f.Bank != nil {
			res.Counts.Banks++
		}
	}
	res.Counts.Snippets, res.Counts.Executed, res.Counts.Cached = sum.Snippets, sum.Executed, sum.Cached

	res.Notes = append(res.Notes, l.box.notes(sum, res.Counts)...)
	if changed != nil {
		note := fmt.Sprintf("--changed-since %s: linted %d of %d banks", l.opts.ChangedSince, len(sel), len(files))
		if why != "" {
			note += " (" + why + ")"
		}
		res.Notes = append(res.Notes, note)
	}
	if l.opts.Shard.N > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("--shard %d/%d: linted %d of %d banks", l.opts.Shard.I, l.opts.Shard.N, len(sel), len(files)))
	}
	if n := len(res.Suppressed); n > 0 {
		word := "findings"
		if n == 1 {
			word = "finding"
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%d %s suppressed by qbank:ignore comments", n, word))
	}
	if ranAny && l.opts.Progress != nil {
		fmt.Fprintf(l.opts.Progress, "qbank: snippets: %d runs executed, %d from cache, in %.1fs\n",
			sum.Executed, sum.Cached, time.Since(start).Seconds())
	}
	return res, nil
}

// units lists the files of a lint in path order: the candidates under the
// paths, the in-memory sources (which replace a candidate of the same
// path) and the paths that could not be walked.
func (l *Linter) units(inputs []Input) ([]unit, *load.Plan) {
	var paths []string
	only := map[string][]string{}
	sources := map[string][]byte{}
	for _, in := range inputs {
		p := filepath.ToSlash(filepath.Clean(in.Path))
		if len(in.Questions) > 0 {
			only[p] = append(only[p], in.Questions...)
		}
		if in.Src != nil {
			sources[p] = in.Src
		} else {
			paths = append(paths, in.Path)
		}
	}
	var units []unit
	var plan *load.Plan
	if len(paths) > 0 {
		plan = load.Find(paths, load.Options{Exclude: l.settings.Exclude, Base: l.settings.Dir})
		for _, c := range plan.Candidates {
			if _, ok := sources[c.Path]; !ok {
				units = append(units, unit{cand: c, only: only[c.Path]})
			}
		}
		for _, p := range plan.Problems {
			units = append(units, unit{cand: discover.Candidate{Path: p.Path, From: []string{p.From}}, problem: p.Err})
		}
	}
	for name, src := range sources {
		units = append(units, unit{cand: discover.Candidate{Path: name, Explicit: true}, src: src, only: only[name]})
	}
	slices.SortStableFunc(units, func(a, b unit) int { return strings.Compare(a.cand.Path, b.cand.Path) })
	return units, plan
}

func (l *Linter) inShard(i int) bool {
	n := l.opts.Shard.N
	return n == 0 || i%n == l.opts.Shard.I-1
}

// keep returns the findings a selective lint reports: those on a selected
// file, and cross-bank ones that involve a selected file (each reported by
// the shard that owns its file).
func (l *Linter) keep(files, sel []*lint.File, cross []*lint.Rule, ds, suppressed []lint.Diagnostic) (kept, keptSuppressed []lint.Diagnostic) {
	selected := map[string]bool{}
	for _, f := range sel {
		selected[f.Path] = true
	}
	owner := map[string]bool{}
	for i, f := range files {
		if l.inShard(i) {
			owner[f.Path] = true
		}
	}
	crossCodes := map[string]bool{}
	for _, r := range cross {
		crossCodes[r.Code] = true
	}
	involves := func(d lint.Diagnostic) bool {
		if selected[d.File] {
			return true
		}
		for _, r := range d.Related {
			if selected[r.File] {
				return true
			}
		}
		return false
	}
	keep := func(d lint.Diagnostic) bool {
		if crossCodes[d.Code] {
			return owner[d.File] && involves(d) || selected[d.File]
		}
		return selected[d.File]
	}
	for _, d := range ds {
		if keep(d) {
			kept = append(kept, d)
		}
	}
	for _, d := range suppressed {
		if keep(d) {
			keptSuppressed = append(keptSuppressed, d)
		}
	}
	lint.Sort(kept)
	return kept, keptSuppressed
}

// runSnippets runs a file's snippets (only those of the question ids in
// only, when given) and hands the outcomes to it. ran reports whether the
// sandbox was used.
func (l *Linter) runSnippets(ctx context.Context, f *lint.File, only []string) (snippetrun.Summary, bool, error) {
	if f.Bank == nil {
		return snippetrun.Summary{}, false, nil
	}
	has := false
	for _, q := range f.Bank.Questions {
		if len(snippetrun.Jobs(q)) > 0 || len(snippetrun.OptionJobs(q)) > 0 {
			has = true
			break
		}
	}
	if !has {
		return snippetrun.Summary{}, false, nil
	}
	opts, err := l.box.options()
	if err != nil {
		return snippetrun.Summary{}, false, err
	}
	if len(only) > 0 {
		opts.Select = func(q *bank.Question) bool {
			return slices.Contains(only, q.ID) || slices.Contains(only, q.FullID())
		}
	}
	outs, sum, err := snippetrun.RunAll(ctx, []*bank.Bank{f.Bank}, opts)
	if err != nil {
		return sum, false, err
	}
	f.Snippets, f.OptionSnippets = outs[0].Source, outs[0].Options
	return sum, !l.opts.NoRun, nil
}

// delta is what a checked file adds to a lint's counts.
type delta struct {
	questions int
	counts    Counts
	sum       snippetrun.Summary
	skipped   map[string]string
	// reusable: nothing in the file's result depends on the moment (a
	// sandbox failure, a wall-clock kill), so a kept-open Linter may reuse
	// it while the file is unchanged.
	reusable bool
}

func deltaOf(f *lint.File, questions int, sum snippetrun.Summary) delta {
	d := delta{questions: questions, sum: sum, skipped: map[string]string{}, reusable: true}
	if f.Bank == nil {
		return d
	}
	for _, q := range f.Bank.Questions {
		o := f.Outcome(q)
		if opts := f.OptionOutcomes(q); o == nil && len(opts) > 0 {
			// A code-options question counts once, as its least checked option.
			o = opts[0]
			for _, oo := range opts {
				for _, r := range oo.Runs {
					if !snippetrun.Cacheable(r) {
						d.reusable = false
					}
				}
				if oo.Status() < o.Status() {
					o = oo
				}
			}
		}
		if o == nil {
			continue
		}
		for _, r := range o.Runs {
			if !snippetrun.Cacheable(r) {
				d.reusable = false
			}
		}
		switch o.Status() {
		case snippet.NotRun:
			d.counts.NotRun++
			d.skipped[q.FullID()] = "snippet not run (--no-run): its key is unchecked"
			if o.NoSandbox {
				d.skipped[q.FullID()] = "snippet not run: no sandbox on this system"
			}
		case snippet.Compiled:
			d.counts.Compiled++
		case snippet.Ran:
			d.counts.Verified++
		case snippet.Failed:
			d.counts.Failed++
			d.reusable = false
		case snippet.Tampered:
			d.counts.Tampered++
			d.reusable = false
		default:
			d.counts.Stopped++
		}
	}
	return d
}

// addTo adds the delta to a lint's result; reused, its snippet runs count
// as coming from the cache. The caller holds the lock.
func (d delta) addTo(res *Result, sum *snippetrun.Summary, reused bool) {
	res.Counts.Questions += d.questions
	c := &res.Counts
	c.Verified += d.counts.Verified
	c.Compiled += d.counts.Compiled
	c.NotRun += d.counts.NotRun
	c.Stopped += d.counts.Stopped
	c.Failed += d.counts.Failed
	c.Tampered += d.counts.Tampered
	for k, v := range d.skipped {
		res.Skipped[k] = v
	}
	sum.Snippets += d.sum.Snippets
	sum.Skipped += d.sum.Skipped
	sum.Failed += d.sum.Failed
	if reused {
		sum.Cached += d.sum.Executed + d.sum.Cached
		return
	}
	sum.Executed += d.sum.Executed
	sum.Cached += d.sum.Cached
}

// memoEntry is a file's checked result, kept by an open Linter for the
// next lint: a file whose key (its size and modification time, or the
// hash of an in-memory source) and selection are unchanged is not read
// again.
type memoEntry struct {
	key      string
	selected bool
	checked  checked
	delta    delta
}

// memoKey identifies a unit's content; "" when it is not to be reused
// (qbank run's question selection, unreadable paths).
func (l *Linter) memoKey(u unit) string {
	if len(u.only) > 0 || u.problem != nil {
		return ""
	}
	if u.src != nil {
		return fmt.Sprintf("src %x %v", maphash.Bytes(l.seed, u.src), u.cand.Explicit)
	}
	st, err := os.Stat(u.cand.Path)
	if err != nil || !st.Mode().IsRegular() {
		return ""
	}
	return fmt.Sprintf("file %d %d %v", st.Size(), st.ModTime().UnixNano(), u.cand.Explicit)
}
