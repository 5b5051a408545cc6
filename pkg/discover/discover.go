// Package discover finds the bank files that a run should check.
//
// The rule: a path given as an argument that is a file is always a bank,
// whatever its name. Inside a directory (walked recursively, following
// symlinks, skipping hidden directories, node_modules and vendor) a file is
// a bank when its name ends in ".toml", it is not a known tool's
// configuration (pyproject.toml, Cargo.toml, qbank.toml, taplo.toml, …),
// and a line of it starts with a "[bank]" or "[[question]]" table header.
// So a pyproject.toml or a settings file next to the banks is never
// mistaken for one.
package discover

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
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

// Files returns the bank files under paths, cleaned, with forward slashes,
// sorted and without repeats, plus the paths that could not be walked.
func Files(paths []string) ([]string, []Problem) {
	w := &walker{seen: map[string]bool{}, visited: map[fileID]bool{}, ancestors: map[fileID]bool{}}
	for _, p := range paths {
		p = filepath.Clean(p)
		info, err := os.Stat(p)
		if err != nil {
			w.problems = append(w.problems, Problem{Path: slashed(p), Err: err})
			continue
		}
		if !info.IsDir() {
			w.add(p)
			continue
		}
		w.dir(p, info, true)
	}
	slices.Sort(w.files)
	slices.SortFunc(w.problems, func(a, b Problem) int { return strings.Compare(a.Path, b.Path) })
	return w.files, w.problems
}

type walker struct {
	files    []string
	problems []Problem
	seen     map[string]bool
	visited  map[fileID]bool
	// ancestors are the directories being walked, outermost first.
	ancestors map[fileID]bool
}

func (w *walker) add(p string) {
	p = slashed(p)
	if !w.seen[p] {
		w.seen[p] = true
		w.files = append(w.files, p)
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
			w.problems = append(w.problems, Problem{Path: slashed(p), Err: ErrLoop})
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
		w.problems = append(w.problems, Problem{Path: slashed(p), Err: err})
		return
	}
	for _, e := range entries {
		child := filepath.Join(p, e.Name())
		if e.Type()&fs.ModeSymlink != 0 || e.IsDir() {
			ci, err := os.Stat(child)
			if err != nil {
				w.problems = append(w.problems, Problem{Path: slashed(child), Err: err})
				continue
			}
			if ci.IsDir() {
				w.dir(child, ci, false)
				continue
			}
		}
		if IsBankName(e.Name()) {
			isBank, err := looksLikeBank(child)
			if err != nil {
				w.problems = append(w.problems, Problem{Path: slashed(child), Err: err})
				continue
			}
			if isBank {
				w.add(child)
			}
		}
	}
}

// IsBankName reports whether a file name can be a bank found in a directory.
func IsBankName(name string) bool {
	lower := strings.ToLower(name)
	return strings.HasSuffix(lower, ".toml") && !strings.HasPrefix(name, ".") && !slices.Contains(notBanks, lower)
}

// looksLikeBank reports whether a line of the file starts with a [bank] or
// [[question]] header.
func looksLikeBank(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for {
		line, err := r.ReadSlice('\n')
		t := bytes.TrimLeft(line, " \t\ufeff")
		t = bytes.TrimPrefix(t, []byte("\xef\xbb\xbf"))
		if bytes.HasPrefix(t, []byte("[bank]")) || bytes.HasPrefix(t, []byte("[[question]]")) ||
			bytes.HasPrefix(t, []byte("[ bank ]")) || bytes.HasPrefix(t, []byte("[[ question ]]")) {
			return true, nil
		}
		switch {
		case err == bufio.ErrBufferFull:
			// a very long line: skip the rest of it
			for err == bufio.ErrBufferFull {
				_, err = r.ReadSlice('\n')
			}
			if err == io.EOF {
				return false, nil
			}
			if err != nil {
				return false, fmt.Errorf("read: %w", err)
			}
		case err == io.EOF:
			return false, nil
		case err != nil:
			return false, fmt.Errorf("read: %w", err)
		}
	}
}

func slashed(p string) string { return filepath.ToSlash(p) }
