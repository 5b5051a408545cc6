package rules

import (
	"errors"
	"io/fs"

	"github.com/qbank-dev/qbank/pkg/lint"
)

// ReadError reports files that could not be read.
var ReadError = &lint.Rule{
	Code: "QB001", Name: "read-error", Severity: lint.Error, Scope: lint.ScopeFile,
	Summary: "the file could not be read",
	Doc: `A bank file that cannot be read (permissions, a broken symlink, a directory
loop) is reported here, and the run goes on with the other files.`,
	Run: func(p *lint.Pass) {
		if p.File.ReadErr == nil {
			return
		}
		f := lint.Finding{Message: "cannot read file: " + p.File.ReadErr.Error()}
		if errors.Is(p.File.ReadErr, fs.ErrPermission) {
			f.Hint = "check the file's permissions"
		}
		p.Report(f)
	},
}

// TOMLSyntax reports files that are not valid TOML.
var TOMLSyntax = &lint.Rule{
	Code: "QB002", Name: "toml-syntax", Severity: lint.Error, Scope: lint.ScopeFile,
	Summary: "the file is not valid TOML",
	Doc: `The file must be valid TOML 1.0 in UTF-8: the rest of the checks cannot run
until it parses. Besides syntax errors this covers TOML's own rules: a key
defined twice, a table defined twice, adding to an inline table.`,
	Bad: `[bank]
id = "loops"
id = "loops-2"   # a key may be defined once`,
	Good: `[bank]
id = "loops"`,
	Run: func(p *lint.Pass) {
		se := p.File.SyntaxErr
		if se == nil {
			return
		}
		f := lint.Finding{Span: lint.Span{Start: se.Start, End: se.End}, Message: se.Msg}
		if se.Related >= 0 {
			f.Related = &lint.RelatedFinding{Span: lint.Span{Start: se.Related, End: se.Related}, Message: "first defined here"}
		}
		p.Report(f)
	},
}

func init() { register(ReadError, TOMLSyntax) }
