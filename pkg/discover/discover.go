// Package discover finds the candidate bank files under the paths of a
// command line.
//
// A path that is a file is a candidate whatever its name (Explicit). A
// directory is walked recursively, following symlinks (a directory that
// contains itself is reported as a loop, one reached twice is walked once),
// skipping hidden directories, node_modules, vendor, testdata and
// __pycache__. In it a file is a candidate when its name ends in ".toml" and
// it is not a known tool's configuration (pyproject.toml, Cargo.toml,
// qbank.toml, taplo.toml, …). Package load then keeps the candidates whose
// content is a bank.
package discover

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Problem is a path that could not be walked or read.
type Problem struct {
	Path string
	Err  error
	From string // the given path it was found under
}

// ErrLoop is reported for a directory reached again through a symlink.
var ErrLoop = errors.New("directory symlink loop")

// notBanks are TOML files of other tools that a directory may hold.
var notBanks = []string{
	"pyproject.toml", "cargo.toml", "qbank.toml", ".qbank.toml", "taplo.toml",
	".taplo.toml", "ruff.toml", ".ruff.toml", "netlify.toml", "config.toml",
	"rustfmt.toml", "clippy.toml", "deny.toml", "poetry.lock", "pdm.toml",
}

var skipDirs = []string{"node_modules", "vendor", "testdata", "__pycache__"}

// Candidate is a file that may be a bank.
type Candidate struct {
	Path string // cleaned, with forward slashes
	// Explicit is set for a file named as a path rather than found in a
	// directory.
	Explicit bool
	// From are the given paths (as given) it was found under.
	From []string
}

// Files returns the candidate bank files under paths, sorted by path and
// without repeats, plus the paths that could not be walked.
func Files(paths []string) ([]Candidate, []Problem) {
	w := &walker{seen: map[string]int{}, visited: map[fileID]bool{}, ancestors: map[fileID]bool{}}
	for _, given := range paths {
		w.from = given
		p := filepath.Clean(given)
		info, err := os.Stat(p)
		if err != nil {
			w.problems = append(w.problems, Problem{Path: slashed(p), Err: err, From: given})
			continue
		}
		if !info.IsDir() {
			w.add(p, true)
			continue
		}
		w.dir(p, info, true)
	}
	slices.SortFunc(w.files, func(a, b Candidate) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(w.problems, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	return w.files, w.problems
}

type walker struct {
	from     string // the given path being walked
	files    []Candidate
	problems []Problem
	seen     map[string]int
	visited  map[fileID]bool
	// ancestors are the directories being walked, outermost first.
	ancestors map[fileID]bool
}

func (w *walker) add(p string, explicit bool) {
	p = slashed(p)
	i, seen := w.seen[p]
	if !seen {
		w.seen[p] = len(w.files)
		w.files = append(w.files, Candidate{Path: p, Explicit: explicit, From: []string{w.from}})
		return
	}
	c := &w.files[i]
	c.Explicit = c.Explicit || explicit
	if !slices.Contains(c.From, w.from) {
		c.From = append(c.From, w.from)
	}
}

func (w *walker) dir(p string, info fs.FileInfo, top bool) {
	if !top {
		name := filepath.Base(p)
		if strings.HasPrefix(name, ".") || slices.Contains(skipDirs, name) {
			return
		}
	}
	// A directory that contains itself through a symlink is a loop; one
	// reached twice by different routes is walked once.
	if id, ok := idOf(info); ok {
		if w.ancestors[id] {
			w.problems = append(w.problems, Problem{Path: slashed(p), Err: ErrLoop, From: w.from})
			return
		}
		if w.visited[id] {
			return
		}
		w.visited[id] = true
		w.ancestors[id] = true
		defer delete(w.ancestors, id)
	}
	entries, err := os.ReadDir(p)
	if err != nil {
		w.problems = append(w.problems, Problem{Path: slashed(p), Err: err, From: w.from})
		return
	}
	for _, e := range entries {
		child := filepath.Join(p, e.Name())
		if e.Type()&fs.ModeSymlink != 0 || e.IsDir() {
			ci, err := os.Stat(child)
			if err != nil {
				w.problems = append(w.problems, Problem{Path: slashed(child), Err: err, From: w.from})
				continue
			}
			if ci.IsDir() {
				w.dir(child, ci, false)
				continue
			}
		}
		if IsBankName(e.Name()) {
			w.add(child, false)
		}
	}
}

// IsBankName reports whether a file name can be a bank found in a directory.
func IsBankName(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".toml") && !strings.HasPrefix(name, ".") && !slices.Contains(notBanks, lower)
}

func slashed(p string) string { return filepath.ToSlash(p) }
