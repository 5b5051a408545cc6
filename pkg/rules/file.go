package rules

import (
	"errors"
	"io/fs"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/load"
	"github.com/qbank-dev/qbank/pkg/tomltree"
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
		f := lint.Finding{Span: lint.Span{Start: se.Start, End: se.End}, Message: se.Msg, Hint: se.Hint}
		if se.Related >= 0 {
			f.Related = &lint.RelatedFinding{Span: lint.Span{Start: se.Related, End: se.Related}, Message: "first defined here"}
		}
		p.Report(f)
	},
}

// NearMissBank reports .toml files that look like banks with misspelt
// headers.
var NearMissBank = &lint.Rule{
	Code: "QB003", Name: "near-miss-bank", Severity: lint.Error, Scope: lint.ScopeFile,
	Summary: "a .toml file whose tables nearly name a bank, so it was not taken as one",
	Doc: `In a directory, a .toml file is a bank when its top level has a [bank] table
or [[question]] tables (names are case-sensitive). A file whose top-level
tables are a near miss of these ("[Bank]", "[[Question]]", "[[questions]]",
"[banks]") would otherwise be skipped in silence, and its questions never
checked. The finding sits on the first such header and says what to write.
To keep a TOML file that is not a bank in a linted directory, list it in
exclude of qbank.toml.`,
	Bad: `[Bank]
id = "loops"

[[questions]]
id = "sum"`,
	Good: `[bank]
id = "loops"

[[question]]
id = "sum"`,
	Run: func(p *lint.Pass) {
		if p.File.NotBank == "" {
			return
		}
		span := lint.Span{}
		if root := p.File.Doc.Root; root != nil {
			for _, k := range root.Keys {
				if load.NearMiss(k) == "" {
					continue
				}
				n := root.Get(k)
				if n.Kind == tomltree.Array && len(n.Items) > 0 {
					n = n.Items[0]
				}
				span = lint.ValueSpan(n)
				break
			}
		}
		p.Report(lint.Finding{Span: span, Message: p.File.NotBank,
			Hint: "name the tables [bank] and [[question]], or list the file in exclude of qbank.toml"})
	},
}
