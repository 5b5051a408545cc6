package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/safetext"
)

// GitHub is GitHub Actions workflow commands, one annotation per finding:
//
//	::error file=q/a.toml,line=12,endLine=12,col=3,endColumn=9,title=QB201 id-format::message
//
// Every field is first escaped onto one line (safetext.Line), then
// escaped as actions/toolkit's command.ts does. Errors become ::error,
// warnings ::warning and infos ::notice. GitHub shows at most 10
// annotations of each kind per step (50 per job), so `qbank lint` prints
// these next to the text report rather than instead of it.
var GitHub = &Format{Name: "github", Summary: "GitHub Actions workflow commands (annotations)", Kind: Terminal,
	write: writeGitHub, commands: isAnnotation}

// isAnnotation accepts the lines GitHubAnnotation makes.
func isAnnotation(line string) bool {
	for _, c := range []string{"error", "warning", "notice"} {
		if strings.HasPrefix(line, "::"+c+" file=") {
			return true
		}
	}
	return false
}

// GitHubCommand maps a severity to a workflow command.
func GitHubCommand(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "notice"
}

func writeGitHub(w io.Writer, v *View, _ Options) error {
	bw := bufio.NewWriter(w)
	for _, d := range v.Diagnostics {
		fmt.Fprintln(bw, GitHubAnnotation(d))
	}
	return bw.Flush()
}

// GitHubAnnotation is the workflow command of one finding, on one line:
// its fields are escaped with safetext.Line, then with EscapeProperty or
// EscapeData.
func GitHubAnnotation(d lint.Diagnostic) string {
	l := safetext.Line
	props := []string{"file=" + EscapeProperty(l(d.File))}
	if d.Line > 0 {
		props = append(props, fmt.Sprintf("line=%d", d.Line))
		if d.EndLine >= d.Line {
			props = append(props, fmt.Sprintf("endLine=%d", d.EndLine))
		}
		if d.Column > 0 {
			props = append(props, fmt.Sprintf("col=%d", d.Column))
			// GitHub takes col/endColumn on single-line annotations only.
			if d.EndLine == d.Line && d.EndColumn > d.Column {
				props = append(props, fmt.Sprintf("endColumn=%d", d.EndColumn))
			}
		}
	}
	props = append(props, "title="+EscapeProperty(l(d.Code)+" "+l(d.Rule)))
	msg := l(d.Message)
	if d.Hint != "" {
		msg += "\nhint: " + l(d.Hint)
	}
	return "::" + GitHubCommand(d.Severity) + " " + strings.Join(props, ",") + "::" + EscapeData(msg)
}

// EscapeData escapes a workflow command's message as toolkit's
// escapeData: % CR LF.
func EscapeData(s string) string {
	return dataEscaper.Replace(s)
}

// EscapeProperty escapes a workflow command's property value as toolkit's
// escapeProperty: % CR LF : ,.
func EscapeProperty(s string) string {
	return propertyEscaper.Replace(s)
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)
