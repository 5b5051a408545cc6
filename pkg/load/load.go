// Package load turns the paths of a command line into the bank files of a
// run: it finds the candidates (package discover), reads and parses each
// file once, and keeps the ones that are banks.
//
// A file named on the command line is always kept. A file found in a
// directory is kept when its top level has a [bank] table or [[question]]
// tables — decided on the parsed tree, so a pyproject.toml or a TOML file
// whose multi-line string happens to contain a "[bank]" line is never
// mistaken for a bank. A file that does not parse is kept when a line of it
// starts with a [bank] or [[question]] header, so a broken bank is reported
// rather than silently skipped. A file whose top-level tables are a near
// miss of those ("[Bank]", "[[questions]]") is kept too, marked NotBank,
// so that rule QB003 says why it is not a bank. Files matching an exclude
// pattern of qbank.toml are skipped on purpose.
package load

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/qbank-dev/qbank/pkg/discover"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/suggest"
)

// Banks returns the bank files under paths, each parsed once, plus a file
// entry with a read error for every path that could not be walked or read.
func Banks(paths []string) []*lint.File {
	set := Load(paths, Options{})
	return set.Files
}

// Options tune Load.
type Options struct {
	// Exclude are glob patterns (path.Match syntax, slash-separated). A
	// pattern with a slash is matched against a found file's path relative
	// to Base and against each of its parent directories ("questions/old",
	// "*/scratch-*.toml"); one without, against the name of the file and of
	// each parent directory, at any depth ("drafts", "*.wip.toml"). Files
	// named on the command line are never excluded.
	Exclude []string
	// Base is the directory Exclude patterns are relative to (qbank.toml's
	// directory); "" means the working directory.
	Base string
}

// Set is what Load found.
type Set struct {
	// Files are the banks, near misses (NotBank) and unreadable paths, in
	// path order.
	Files []*lint.File
	// Empty are the given paths that hold no bank, no near miss and no
	// unreadable file, each with what was searched.
	Empty []EmptyPath
	// Excluded counts the files skipped by Exclude.
	Excluded int
}

// EmptyPath is a given path in which nothing was found.
type EmptyPath struct {
	Path string
	// Candidates is how many .toml files were searched; Excluded how many
	// of the files under it an exclude pattern skipped.
	Candidates, Excluded int
}

func (e EmptyPath) String() string {
	s := fmt.Sprintf("%s (%d .toml %s searched", e.Path, e.Candidates, plural(e.Candidates, "file", "files"))
	if e.Excluded > 0 {
		s += fmt.Sprintf(", %d excluded by qbank.toml", e.Excluded)
	}
	return s + ")"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Plan is what a run will read: the candidate files under the given paths,
// minus the excluded ones, and the paths that could not be walked.
type Plan struct {
	Paths      []string
	Candidates []discover.Candidate
	Problems   []discover.Problem
	// Excluded counts the files skipped by Options.Exclude.
	Excluded      int
	excludedUnder map[string]int
	searched      map[string]int
}

// Find lists the candidates under paths without reading them.
func Find(paths []string, opts Options) *Plan {
	p := &Plan{Paths: paths, excludedUnder: map[string]int{}, searched: map[string]int{}}
	cands, problems := discover.Files(paths)
	p.Problems = problems
	for _, c := range cands {
		if !c.Explicit && excluded(c.Path, opts) {
			p.Excluded++
			for _, from := range c.From {
				p.excludedUnder[from]++
			}
			continue
		}
		p.Candidates = append(p.Candidates, c)
		for _, from := range c.From {
			p.searched[from]++
		}
	}
	return p
}

// Empty returns the given paths under which nothing was kept; found counts
// the kept files (and problems) by the given path they came from.
func (p *Plan) Empty(found map[string]int) []EmptyPath {
	var out []EmptyPath
	for _, g := range p.Paths {
		if found[g] == 0 {
			out = append(out, EmptyPath{Path: g, Candidates: p.searched[g], Excluded: p.excludedUnder[g]})
		}
	}
	return out
}

// Read reads and parses a candidate, and says whether the run keeps it:
// a bank, a file named on the command line, or a near miss (marked
// NotBank).
func Read(c discover.Candidate) (*lint.File, bool) {
	src, err := os.ReadFile(c.Path)
	if err != nil {
		return lint.UnreadableFile(c.Path, err), true
	}
	return Classify(lint.NewFile(c.Path, src), c.Explicit)
}

// Classify says whether a parsed file is kept (see Read), marking a near
// miss.
func Classify(f *lint.File, explicit bool) (*lint.File, bool) {
	switch {
	case explicit || IsBank(f):
		return f, true
	case f.SyntaxErr == nil:
		if why := nearMissFile(f); why != "" {
			f.NotBank = why
			f.Bank = nil
			return f, true
		}
	}
	return f, false
}

// Load finds, reads and parses the bank files under paths, all at once
// (package linter streams them instead).
func Load(paths []string, opts Options) *Set {
	plan := Find(paths, opts)
	set := &Set{Excluded: plan.Excluded}
	names := make([]string, len(plan.Candidates))
	for i, c := range plan.Candidates {
		names[i] = c.Path
	}
	found := map[string]int{}
	for i, f := range lint.ReadFiles(names) {
		c := plan.Candidates[i]
		if f.ReadErr == nil {
			var keep bool
			if f, keep = Classify(f, c.Explicit); !keep {
				continue
			}
		}
		for _, from := range c.From {
			found[from]++
		}
		set.Files = append(set.Files, f)
	}
	for _, p := range plan.Problems {
		set.Files = append(set.Files, lint.UnreadableFile(p.Path, p.Err))
		found[p.From]++
	}
	set.Empty = plan.Empty(found)
	return set
}

// excluded reports whether a found file matches an exclude pattern.
func excluded(p string, opts Options) bool {
	if len(opts.Exclude) == 0 {
		return false
	}
	rel := filepath.ToSlash(p)
	if abs, err := filepath.Abs(p); err == nil && opts.Base != "" {
		if r, err := filepath.Rel(opts.Base, abs); err == nil {
			rel = filepath.ToSlash(r)
		}
	}
	rel = strings.TrimPrefix(rel, "./")
	for _, pat := range opts.Exclude {
		pat = strings.TrimSuffix(strings.TrimPrefix(pat, "./"), "/")
		anywhere := !strings.Contains(pat, "/")
		for s := rel; s != "." && s != "/" && s != ""; s = path.Dir(s) {
			name := s
			if anywhere {
				name = path.Base(s)
			}
			if ok, _ := path.Match(pat, name); ok {
				return true
			}
		}
	}
	return false
}

// IsBank reports whether a file found in a directory is a bank.
func IsBank(f *lint.File) bool {
	switch {
	case f.ReadErr != nil:
		return true
	case f.SyntaxErr == nil:
		return f.Doc.Root.Get("bank") != nil || f.Doc.Root.Get("question") != nil
	}
	return hasBankHeader(f.Doc.Src)
}

// nearMissFile says why a parsed file that is not a bank looks like one,
// or "".
func nearMissFile(f *lint.File) string {
	for _, k := range f.Doc.Root.Keys {
		if want := NearMiss(k); want != "" {
			return fmt.Sprintf("not taken as a bank: its top-level table %q is not %q (a bank has a [bank] table or [[question]] tables; names are case-sensitive)", k, want)
		}
	}
	return ""
}

// NearMiss returns the header a top-level key nearly spells ("bank" or
// "question") when it is a near miss of it — another case, a plural, a
// small misspelling — and "" otherwise, also for the exact names.
func NearMiss(key string) string {
	for _, want := range []string{"bank", "question"} {
		if key == want {
			return ""
		}
		k := strings.ToLower(key)
		if k == want || k == want+"s" || suggest.Distance(k, want) <= len(want)/4 {
			return want
		}
	}
	return ""
}

func hasBankHeader(src []byte) bool {
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		line = bytes.TrimLeft(bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")), " \t")
		if bytes.HasPrefix(line, []byte("[bank]")) || bytes.HasPrefix(line, []byte("[[question]]")) {
			return true
		}
	}
	return false
}
