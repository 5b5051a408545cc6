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
// rather than silently skipped.
package load

import (
	"bytes"

	"github.com/qbank-dev/qbank/pkg/discover"
	"github.com/qbank-dev/qbank/pkg/lint"
)

// Banks returns the bank files under paths, each parsed once, plus a file
// entry with a read error for every path that could not be walked or read.
func Banks(paths []string) []*lint.File {
	cands, problems := discover.Files(paths)
	names := make([]string, len(cands))
	for i, c := range cands {
		names[i] = c.Path
	}
	var out []*lint.File
	for i, f := range lint.ReadFiles(names) {
		if cands[i].Explicit || IsBank(f) {
			out = append(out, f)
		}
	}
	for _, p := range problems {
		out = append(out, lint.UnreadableFile(p.Path, p.Err))
	}
	return out
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
