package report

import (
	"encoding/json"
	"io"

	"github.com/qbank-dev/qbank/pkg/lint"
)

// JSONVersion is the version of the JSON report format; fields are only
// ever added within a version. Its schema is schema/report.schema.json.
const JSONVersion = 1

// JSON is the machine report described by schema/report.schema.json.
// Its strings are escaped with safetext.EscapeString (see the package doc).
var JSON = NewFormat("json", "machine report (schema/report.schema.json)", Data, writeJSON)

type jsonReport struct {
	Version     int               `json:"version"`
	Tool        Tool              `json:"tool"`
	Summary     jsonSummary       `json:"summary"`
	Notes       []string          `json:"notes"`
	Diagnostics []lint.Diagnostic `json:"diagnostics"`
}

type jsonSummary struct {
	Files     int `json:"files"`
	Questions int `json:"questions"`
	Errors    int `json:"errors"`
	Warnings  int `json:"warnings"`
	Infos     int `json:"infos"`
	// Snippets is absent when the run had no snippet.
	Snippets *SnippetCounts `json:"snippets,omitempty"`
}

func writeJSON(w io.Writer, v *View, _ Options) error {
	c := lint.Count(v.Diagnostics)
	r := jsonReport{
		Version:     JSONVersion,
		Tool:        v.Tool,
		Summary:     jsonSummary{Files: len(v.Files), Questions: v.Questions, Errors: c.Errors, Warnings: c.Warnings, Infos: c.Infos, Snippets: v.Snippets},
		Notes:       v.Notes,
		Diagnostics: v.Diagnostics,
	}
	if r.Diagnostics == nil {
		r.Diagnostics = []lint.Diagnostic{}
	}
	if r.Notes == nil {
		r.Notes = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
