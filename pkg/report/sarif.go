package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/qbank-dev/qbank/pkg/lint"
)

// SARIF is a SARIF 2.1.0 log for code scanning (GitHub, Azure DevOps,
// IDE viewers): one run, the rules' metadata in tool.driver.rules, one
// result per finding.
//
// Locations: artifactLocation.uri is the file's path as reported, relative
// to the directory qbank ran in (uriBaseId %SRCROOT%), with forward
// slashes; regions are 1-based with columns in UTF-16 code units
// (run.columnKind "utf16CodeUnits"), as GitHub expects, converted from the
// character columns of the other formats. partialFingerprints["qbank/v1"]
// hashes the rule, the file, the question and the message, not the line, so
// an alert keeps its identity when lines move above it.
//
// Text (messages, rule names of findings, the question property, notes) is
// escaped with safetext.EscapeString; the URI percent-encodes the real path
// and the fingerprint hashes the raw values (see the package doc).
var SARIF = NewFormat("sarif", "SARIF 2.1.0 log for code scanning", Data, writeSARIF)

// SARIF constants.
const (
	SARIFVersion = "2.1.0"
	SARIFSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// SARIFFingerprint is the key of qbank's partial fingerprint.
	SARIFFingerprint = "qbank/v1"
	toolURI          = "https://github.com/qbank-dev/qbank"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	ColumnKind  string            `json:"columnKind"`
	Results     []sarifResult     `json:"results"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifMultiText  `json:"help"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           map[string]any  `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Enabled bool   `json:"enabled"`
	Level   string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifMultiText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifMessage         `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// SARIFLevel maps a severity to a SARIF level.
func SARIFLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	case lint.Info:
		return "note"
	}
	return "none"
}

func writeSARIF(w io.Writer, v *View, _ Options) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: orDefault(v.Tool.Name, "qbank"), Version: v.Tool.Version,
			InformationURI: orDefault(v.Tool.URI, toolURI),
			Rules:          []sarifRule{},
		}},
		ColumnKind: "utf16CodeUnits",
		Results:    []sarifResult{},
	}
	index := map[string]int{}
	for _, r := range v.Rules {
		index[r.Code] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(r))
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, n := range v.Notes {
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "note", Message: sarifMessage{Text: n}})
	}
	run.Invocations = []sarifInvocation{inv}

	seen := map[string]int{}
	for i, d := range v.Diagnostics {
		raw := v.raw[i]
		ri, ok := index[d.Code]
		if !ok {
			// A rule the input does not describe: describe it minimally so
			// ruleIndex stays valid.
			ri = len(run.Tool.Driver.Rules)
			index[d.Code] = ri
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
				ID: d.Code, Name: d.Rule, ShortDescription: sarifText{d.Rule}, FullDescription: sarifText{d.Rule},
				Help: sarifMultiText{Text: d.Rule}, DefaultConfiguration: sarifRuleConfig{Enabled: true, Level: SARIFLevel(d.Severity)},
			})
		}
		msg := d.Message
		if d.Hint != "" {
			msg += "\nhint: " + d.Hint
		}
		res := sarifResult{
			RuleID: d.Code, RuleIndex: ri, Level: SARIFLevel(d.Severity),
			Message:   sarifMessage{Text: msg},
			Locations: []sarifLocation{{PhysicalLocation: physical(v.file(raw.File), raw.File, d.Line, d.Column, d.EndLine, d.EndColumn)}},
		}
		for j, r := range d.Related {
			id := j + 1
			rawPath := raw.Related[j].File
			loc := sarifLocation{ID: &id, PhysicalLocation: physical(v.file(rawPath), rawPath, r.Line, r.Column, 0, 0)}
			if r.Message != "" {
				loc.Message = &sarifMessage{Text: r.Message}
			}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		fp := fingerprint(raw)
		seen[fp]++
		if n := seen[fp]; n > 1 {
			fp = fmt.Sprintf("%s:%d", fp, n)
		}
		res.PartialFingerprints = map[string]string{SARIFFingerprint: fp}
		if d.Question != "" {
			res.Properties = map[string]any{"question": d.Question}
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: SARIFVersion, Runs: []sarifRun{run}})
}

func sarifRuleOf(r *lint.Rule) sarifRule {
	full := r.Doc
	if full == "" {
		full = r.Summary
	}
	text, md := ruleHelp(r)
	return sarifRule{
		ID: r.Code, Name: r.Name,
		ShortDescription:     sarifText{Text: r.Summary},
		FullDescription:      sarifText{Text: oneParagraph(full)},
		Help:                 sarifMultiText{Text: text, Markdown: md},
		HelpURI:              toolURI + "#" + strings.ToLower(r.Code),
		DefaultConfiguration: sarifRuleConfig{Enabled: r.Severity != lint.Off, Level: SARIFLevel(r.Severity)},
		Properties:           map[string]any{"tags": []string{"qbank"}},
	}
}

// ruleHelp is a rule's doc with its examples, as text and Markdown.
func ruleHelp(r *lint.Rule) (string, string) {
	var t, m strings.Builder
	fmt.Fprintf(&t, "%s %s: %s\n\n%s\n", r.Code, r.Name, r.Summary, r.Doc)
	fmt.Fprintf(&m, "**%s %s**: %s\n\n%s\n", r.Code, r.Name, r.Summary, r.Doc)
	if r.Bad != "" {
		fmt.Fprintf(&t, "\nFails:\n%s\n", indent(r.Bad, "    "))
		fmt.Fprintf(&m, "\nFails:\n\n```toml\n%s\n```\n", r.Bad)
	}
	if r.Good != "" {
		fmt.Fprintf(&t, "\nPasses:\n%s\n", indent(r.Good, "    "))
		fmt.Fprintf(&m, "\nPasses:\n\n```toml\n%s\n```\n", r.Good)
	}
	fmt.Fprintf(&t, "\nSuppress one finding with: # qbank:ignore %s -- reason\n", r.Code)
	fmt.Fprintf(&m, "\nSuppress one finding with `# qbank:ignore %s -- reason`.\n", r.Code)
	return t.String(), m.String()
}

func indent(s, pad string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = pad + l
	}
	return strings.Join(lines, "\n")
}

// oneParagraph joins a doc's hard-wrapped lines.
func oneParagraph(s string) string {
	paras := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paras, "\n\n")
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// SARIFURI turns a reported path into an artifact URI: a relative
// reference with forward slashes and percent-escapes, or a file: URI for an
// absolute path. Every control, space, non-ASCII byte and colon of the
// path is percent-encoded, so the URI is the real path, safe to print.
func SARIFURI(path string) (uri string, relative bool) {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) || strings.HasPrefix(p, "/") {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x -> /C:/x
		}
		return (&url.URL{Scheme: "file", Path: p}).String(), false
	}
	p = strings.TrimPrefix(p, "./")
	// A colon is escaped too: in the first segment of a relative reference
	// it would read as a scheme ("::x.toml", "c:x.toml").
	return strings.ReplaceAll((&url.URL{Path: p}).EscapedPath(), ":", "%3A"), true
}

// physical is a location; path is the raw path, which the URI
// percent-encodes.
func physical(f *ViewFile, path string, line, col, endLine, endCol int) sarifPhysicalLocation {
	uri, rel := SARIFURI(path)
	al := sarifArtifactLocation{URI: uri}
	if rel {
		al.URIBaseID = "%SRCROOT%"
	}
	line = max(line, 1)
	reg := sarifRegion{StartLine: line, StartColumn: utf16Col(f, line, max(col, 1))}
	if endLine >= line && endLine > 0 {
		reg.EndLine = endLine
		reg.EndColumn = utf16Col(f, endLine, max(endCol, 1))
		if reg.EndLine == reg.StartLine && reg.EndColumn < reg.StartColumn {
			reg.EndColumn = reg.StartColumn
		}
	}
	return sarifPhysicalLocation{ArtifactLocation: al, Region: reg}
}

// utf16Col converts a 1-based column in characters into one in UTF-16
// code units, using the file's text; without it the column is kept.
func utf16Col(f *ViewFile, line, col int) int {
	if f == nil || f.src.Doc == nil || f.src.Doc.Src == nil {
		return col
	}
	runes := []rune(f.src.Doc.Line(line))
	n := 1
	for i := 0; i < col-1; i++ {
		if i < len(runes) {
			n += len(utf16.Encode(runes[i : i+1]))
		} else {
			n++ // past the end (the newline)
		}
	}
	return n
}

// fingerprint identifies a finding across runs without its line number.
func fingerprint(d lint.Diagnostic) string {
	h := sha256.New()
	for _, s := range []string{d.Code, filepath.ToSlash(d.File), d.Question, d.Message} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
