package report_test

import (
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/report"
)

// The escapes of actions/toolkit packages/core/src/command.ts.
func TestGitHubEscapes(t *testing.T) {
	for _, tc := range []struct{ in, data, prop string }{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"k: v, w", "k: v, w", "k%3A v%2C w"},
		{"%0A", "%250A", "%250A"},
		{"::error::", "::error::", "%3A%3Aerror%3A%3A"},
	} {
		if got := report.EscapeData(tc.in); got != tc.data {
			t.Errorf("EscapeData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := report.EscapeProperty(tc.in); got != tc.prop {
			t.Errorf("EscapeProperty(%q) = %q, want %q", tc.in, got, tc.prop)
		}
	}
}

func TestGitHubAnnotation(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    lint.Diagnostic
		want string
	}{
		{"error one line", lint.Diagnostic{File: "q/a.toml", Line: 12, Column: 3, EndLine: 12, EndColumn: 9, Severity: lint.Error,
			Code: "QB101", Rule: "unknown-key", Message: "unknown key \"optoins\""},
			`::error file=q/a.toml,line=12,endLine=12,col=3,endColumn=9,title=QB101 unknown-key::unknown key "optoins"`},
		{"warning with hint and odd path", lint.Diagnostic{File: "q/a,b:c%.toml", Line: 2, Column: 1, EndLine: 4, EndColumn: 2, Severity: lint.Warning,
			Code: "QB306", Rule: "duplicate-option", Message: "50% done", Hint: "fix it"},
			`::warning file=q/a%2Cb%3Ac%25.toml,line=2,endLine=4,col=1,title=QB306 duplicate-option::50%25 done%0Ahint: fix it`},
		{"info is a notice", lint.Diagnostic{File: "a.toml", Line: 1, Column: 1, EndLine: 1, EndColumn: 1, Severity: lint.Info,
			Code: "QB999", Rule: "x", Message: "m"},
			`::notice file=a.toml,line=1,endLine=1,col=1,title=QB999 x::m`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := report.GitHubAnnotation(tc.d); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestGitHubFixture(t *testing.T) {
	dir := pkgDir(t)
	in := fixtureInput(t)
	out := render(t, report.GitHub, in)
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(in.Diagnostics) {
		t.Fatalf("%d lines for %d findings", len(lines), len(in.Diagnostics))
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "::error file=") && !strings.HasPrefix(l, "::warning file=") {
			t.Errorf("not a workflow command: %s", l)
		}
	}
	ciGolden(t, dir, "fixture.github", out)
}
