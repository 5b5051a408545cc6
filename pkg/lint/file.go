package lint

import (
	"errors"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// File is one bank file of a run.
type File struct {
	Path string
	// ReadErr is set when the file could not be read.
	ReadErr error
	// Doc is the parsed file; on a syntax error it holds the source only.
	Doc *tomltree.Document
	// SyntaxErr is set when the file is not valid TOML.
	SyntaxErr *tomltree.SyntaxError
	// Bank is the decoded bank; nil when the file did not parse.
	Bank *bank.Bank
	// Facts holds per-file results shared by several rules.
	Facts map[string]any
}

// NewFile parses src into a File. It never fails: problems are kept on the
// File for the rules to report.
func NewFile(path string, src []byte) *File {
	f := &File{Path: path, Facts: map[string]any{}}
	doc, err := tomltree.Parse(src)
	f.Doc = doc
	if err != nil {
		var se *tomltree.SyntaxError
		if errors.As(err, &se) {
			f.SyntaxErr = se
		} else {
			f.SyntaxErr = &tomltree.SyntaxError{Start: 0, End: 0, Related: -1, Msg: err.Error()}
		}
		return f
	}
	f.Bank = bank.Decode(path, doc)
	return f
}

// UnreadableFile records a file that could not be read.
func UnreadableFile(path string, err error) *File {
	return &File{Path: path, ReadErr: err, Doc: &tomltree.Document{Root: &tomltree.Node{Kind: tomltree.Table}}, Facts: map[string]any{}}
}

// Position converts a byte offset of the file into a line and column.
func (f *File) Position(off int) tomltree.Position {
	if f.Doc == nil || f.Doc.Src == nil {
		return tomltree.Position{Line: 1, Col: 1}
	}
	return f.Doc.Position(off)
}
