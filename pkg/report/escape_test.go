package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/report"
	"github.com/qbank-dev/qbank/pkg/safetext"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// hostile are strings a bank, a file name or a snippet could put in a
// report. FuzzWriters starts from them and from its seed corpus in
// testdata/fuzz/FuzzWriters.
var hostile = []string{
	"\x1b[2J\x1b[1;1Hcleared",
	"\x1b]8;;https://evil.example/\x07click\x1b]8;;\x07",
	"\x1b]52;c;cHduZWQ=\x07",
	"bell\x07",
	"ok\rFAKE",
	"next\u0085line",
	"\u009b2J c1 csi",
	"abc\u202edcba",
	"\u2066isolate\u2069",
	"sep\u2028arator\u2029",
	"bad\xff\xfeutf8\xc3",
	"\n::stop-commands::tok",
	"\n::add-mask::secret",
	"\n::error file=a.toml,line=1::forged",
	"::error::first",
	"  \t::warning::indented",
	"\n##vso[task.setvariable variable=X]y",
	"mid ##vso[task.prependpath]/tmp",
	"##[group]g",
	"%0A::error::",
	"100% %25 %3A %2C",
	"a.toml,line=99,title=x",
	"a:b,c%d\n.toml",
	"q/\x1b[31mred\x1b[0m.toml",
	"\ufeff::notice::bom",
	"nonchar\ufffe\uffff",
	"\x00nul\x7fdel",
	"tab\there",
	"<xml attr=\"&amp;\">]]></x>",
	"",
}

var sgr = regexp.MustCompile("\x1b\\[[0-9;]*m")

// hostileInput puts its arguments in every user-derived field of a report.
func hostileInput(file, msg, hint, id, rule, extra string) *report.Input {
	src := "[bank]\nid = \"b\"\n" + extra + "\n[[question]]\nid = \"q\"\n" + msg + "\n"
	f1 := lint.NewFile(file, []byte(src))
	f2 := lint.NewFile(extra, []byte(hint+"\n"))
	qStart := strings.Index(src, "[[question]]")
	b := &bank.Bank{Path: file, ID: id}
	b.Questions = []*bank.Question{
		{Bank: b, Index: 0, ID: id, Node: &tomltree.Node{Start: qStart}},
		{Bank: b, Index: 1, ID: ""},
	}
	f1.Bank = b
	fullID := b.Questions[0].FullID()
	diags := []lint.Diagnostic{
		{File: file, Line: 3, Column: 2, EndLine: 3, EndColumn: 5, Severity: lint.Info, Code: "QB505", Rule: rule,
			Message: msg, Hint: hint, Offset: 1},
		{File: file, Line: 6, Column: 1, EndLine: 6, EndColumn: 3, Severity: lint.Error, Code: rule, Rule: rule,
			Message: msg, Hint: hint, Question: fullID, Offset: qStart + 1,
			Related: []lint.Location{{File: extra, Line: 1, Column: 1, Message: hint}, {File: file, Line: 3, Column: 1, Message: extra}}},
		{File: extra, Line: 1, Column: 1, Severity: lint.Warning, Code: "QB507", Rule: "requires", Message: extra, Question: id},
		{File: msg, Line: 1, Column: 1, Severity: lint.Error, Code: "QB510", Rule: "x", Message: id}, // a file the input does not list
	}
	return &report.Input{
		Diagnostics: diags,
		Files:       []*lint.File{f1, f2},
		Questions:   2,
		Tool:        report.Tool{Name: "qbank", Version: extra},
		Notes:       []string{extra, msg},
		Skipped:     map[string]string{fullID: hint},
	}
}

// checkFormat renders in with f and checks the escaping contract on the
// bytes it writes.
func checkFormat(t *testing.T, f *report.Format, color bool, in *report.Input) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf, in, report.Options{Color: color}); err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	out := buf.Bytes()
	text := string(out)
	if why := testtool.LogUnsafe(text, color, f == report.GitHub); why != "" {
		t.Fatalf("%s: %s", f.Name, why)
	}
	if color {
		text = sgr.ReplaceAllString(text, "")
	}
	switch f {
	case report.Concise:
		if n := strings.Count(text, "\n"); n != len(in.Diagnostics) {
			t.Fatalf("concise: %d lines for %d findings:\n%s", n, len(in.Diagnostics), text)
		}
	case report.GitHub:
		checkGitHub(t, text, in)
	case report.JSON:
		checkJSON(t, out, in)
	case report.SARIF:
		checkSARIF(t, out, in)
	case report.JUnit:
		checkJUnit(t, out, in)
	}
	return out
}

// checkGitHub parses each annotation as the runner does and checks that a
// field cannot add properties, end the command or change its text.
func checkGitHub(t *testing.T, text string, in *report.Input) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != len(in.Diagnostics) {
		t.Fatalf("github: %d lines for %d findings:\n%s", len(lines), len(in.Diagnostics), text)
	}
	unprop := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	undata := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%")
	for i, l := range lines {
		d := in.Diagnostics[i]
		if !strings.HasPrefix(l, "::") {
			t.Fatalf("github: not a command: %q", l)
		}
		end := strings.Index(l[2:], "::")
		if end < 0 {
			t.Fatalf("github: unterminated command: %q", l)
		}
		info, data := l[2:2+end], l[4+end:]
		cmd, props, _ := strings.Cut(info, " ")
		if cmd != report.GitHubCommand(d.Severity) {
			t.Fatalf("github: command %q for %v", cmd, d.Severity)
		}
		got := map[string]string{}
		var keys []string
		for _, p := range strings.Split(props, ",") {
			k, v, _ := strings.Cut(p, "=")
			keys = append(keys, k)
			got[k] = unprop.Replace(v)
		}
		for _, k := range keys {
			if !slices.Contains([]string{"file", "line", "endLine", "col", "endColumn", "title"}, k) {
				t.Fatalf("github: injected property %q in %q", k, l)
			}
		}
		if len(keys) != len(got) {
			t.Fatalf("github: repeated property in %q", l)
		}
		if want := safetext.Line(d.File); got["file"] != want {
			t.Fatalf("github: file = %q, want %q (line %q)", got["file"], want, l)
		}
		if want := safetext.Line(d.Code) + " " + safetext.Line(d.Rule); got["title"] != want {
			t.Fatalf("github: title = %q, want %q", got["title"], want)
		}
		want := safetext.Line(d.Message)
		if d.Hint != "" {
			want += "\nhint: " + safetext.Line(d.Hint)
		}
		if undata.Replace(data) != want {
			t.Fatalf("github: message = %q, want %q", undata.Replace(data), want)
		}
	}
}

func esc(s string) string { return safetext.EscapeString(s) }

func checkJSON(t *testing.T, out []byte, in *report.Input) {
	t.Helper()
	var r struct {
		Tool        report.Tool       `json:"tool"`
		Notes       []string          `json:"notes"`
		Diagnostics []lint.Diagnostic `json:"diagnostics"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("json: invalid: %v\n%s", err, out)
	}
	if len(r.Diagnostics) != len(in.Diagnostics) {
		t.Fatalf("json: %d findings, want %d", len(r.Diagnostics), len(in.Diagnostics))
	}
	for i, d := range in.Diagnostics {
		g := r.Diagnostics[i]
		for _, c := range [][2]string{{g.File, d.File}, {g.Code, d.Code}, {g.Rule, d.Rule}, {g.Message, d.Message}, {g.Hint, d.Hint}, {g.Question, d.Question}} {
			if c[0] != esc(c[1]) {
				t.Fatalf("json: field %q, want %q", c[0], esc(c[1]))
			}
		}
		if len(g.Related) != len(d.Related) {
			t.Fatalf("json: related %v", g.Related)
		}
		for j, rl := range d.Related {
			if g.Related[j].File != esc(rl.File) || g.Related[j].Message != esc(rl.Message) || g.Related[j].Line != rl.Line {
				t.Fatalf("json: related %+v, want escaped %+v", g.Related[j], rl)
			}
		}
	}
	for i, n := range in.Notes {
		if r.Notes[i] != esc(n) {
			t.Fatalf("json: note %q, want %q", r.Notes[i], esc(n))
		}
	}
	if r.Tool.Version != esc(in.Tool.Version) {
		t.Fatalf("json: tool version %q", r.Tool.Version)
	}
}

func checkSARIF(t *testing.T, out []byte, in *report.Input) {
	t.Helper()
	var log struct {
		Runs []struct {
			Results []struct {
				Message   struct{ Text string } `json:"message"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				Related []struct {
					Message *struct{ Text string } `json:"message"`
				} `json:"relatedLocations"`
				Properties map[string]string `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatalf("sarif: invalid JSON: %v\n%s", err, out)
	}
	res := log.Runs[0].Results
	for i, d := range in.Diagnostics {
		want := esc(d.Message)
		if d.Hint != "" {
			want += "\nhint: " + esc(d.Hint)
		}
		if res[i].Message.Text != want {
			t.Fatalf("sarif: message %q, want %q", res[i].Message.Text, want)
		}
		if d.Question != "" && res[i].Properties["question"] != esc(d.Question) {
			t.Fatalf("sarif: question %q", res[i].Properties["question"])
		}
		for j, r := range d.Related {
			if m := res[i].Related[j].Message; r.Message != "" && (m == nil || m.Text != esc(r.Message)) {
				t.Fatalf("sarif: related message %+v, want %q", m, esc(r.Message))
			}
		}
		// The URI percent-encodes the real path.
		uri := res[i].Locations[0].PhysicalLocation.ArtifactLocation.URI
		u, err := url.Parse(uri)
		if err != nil {
			t.Fatalf("sarif: uri %q: %v", uri, err)
		}
		if u.Scheme == "" && u.Path != strings.TrimPrefix(d.File, "./") {
			t.Fatalf("sarif: uri %q decodes to %q, want %q", uri, u.Path, d.File)
		}
	}
}

func checkJUnit(t *testing.T, out []byte, in *report.Input) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("junit: not well-formed XML: %v\n%s", err, out)
		}
	}
	var doc junitDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("junit: %v", err)
	}
	var texts strings.Builder
	for i, f := range in.Files {
		s := doc.Suites[i]
		if s.Name != esc(f.Path) {
			t.Fatalf("junit: suite %q, want %q", s.Name, esc(f.Path))
		}
		for _, c := range s.Cases {
			if c.Failure != nil {
				texts.WriteString(c.Failure.Text)
			}
		}
		if f.Bank == nil {
			continue
		}
		for j, q := range f.Bank.Questions {
			c := s.Cases[j+1]
			name, class := esc(q.ID), esc(f.Bank.ID)
			if name == "" {
				name = fmt.Sprintf("question #%d", q.Index+1)
			}
			if class == "" {
				class = esc(f.Path)
			}
			if c.Name != name || c.Classname != class {
				t.Fatalf("junit: case %q class %q, want %q %q", c.Name, c.Classname, name, class)
			}
		}
	}
	for _, d := range in.Diagnostics {
		if d.Severity < lint.Warning || !slices.ContainsFunc(in.Files, func(f *lint.File) bool { return f.Path == d.File }) {
			continue
		}
		e := d
		e.File, e.Code, e.Rule, e.Message = esc(d.File), esc(d.Code), esc(d.Rule), esc(d.Message)
		if h := report.Headline(e); !strings.Contains(texts.String(), h) {
			t.Fatalf("junit: no failure holds %q:\n%s", h, out)
		}
	}
}

// eachFormat runs do for every format, with and without colour.
func eachFormat(t *testing.T, do func(f *report.Format, color bool)) {
	for _, name := range report.Names() {
		f, err := report.Lookup(name)
		if err != nil {
			t.Fatal(err)
		}
		do(f, false)
		if f == report.Text {
			do(f, true)
		}
	}
}

// TestHostileFields puts each hostile string in each field, alone, and
// checks every format.
func TestHostileFields(t *testing.T) {
	fields := []string{"file", "message", "hint", "id", "rule", "extra"}
	for fi, field := range fields {
		for _, h := range hostile {
			args := []string{"q/a.toml", "a message", "a hint", "an-id", "a-rule", "q/b.toml"}
			args[fi] = h
			in := hostileInput(args[0], args[1], args[2], args[3], args[4], args[5])
			eachFormat(t, func(f *report.Format, color bool) {
				t.Run(field+"/"+f.Name, func(t *testing.T) { checkFormat(t, f, color, in) })
			})
		}
	}
}

// TestEscapedExamples pins what a few hostile strings become.
func TestEscapedExamples(t *testing.T) {
	in := hostileInput("a.toml,line=9::x\n", "m\x1b[2J\n::stop-commands::t", "h\u202e", "id\u0085", "r", "b ##vso[x]")
	for _, tc := range []struct {
		f    *report.Format
		want []string
	}{
		{report.Concise, []string{`a.toml,line=9::x\n:3:2: info QB505 r: m\x1b[2J\n::stop-commands::t` + "\n", `b ##vso\x5bx]:1:1: warning QB507 requires: b ##vso\x5bx]`}},
		{report.Text, []string{` = hint: h\u202e`, `= note: b ##vso\x5bx]:1:1: h\u202e`, ` r: m\x1b[2J\n::stop-commands::t` + "\n", " 6 | m\uFFFD[2J\n"}},
		{report.GitHub, []string{`::notice file=a.toml%2Cline=9%3A%3Ax\n,line=3,endLine=3,col=2,endColumn=5,title=QB505 r::m\x1b[2J\n::stop-commands::t%0Ahint: h\u202e`}},
		{report.JSON, []string{`"question": "id\\u0085/id\\u0085"`, `"message": "m\\x1b[2J\n| ::stop-commands::t"`}},
		{report.JUnit, []string{`name="id\u0085"`, `file="a.toml,line=9::x&#xA;"`}},
		{report.SARIF, []string{`"uri": "a.toml,line=9%3A%3Ax%0A"`, `"text": "b ##vso\\x5bx]"`, `"uri": "b%20%23%23vso%5Bx%5D"`}},
	} {
		var buf bytes.Buffer
		if err := tc.f.Write(&buf, in, report.Options{}); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("%s output lacks %q:\n%s", tc.f.Name, w, buf.String())
			}
		}
	}
	// Hostile relative paths still give a log valid for the official schema
	// (artifactLocation.uri is a uri-reference).
	validateSARIF(t, render(t, report.SARIF, in))
}

// TestHeadlineEscapes: Headline is public (qbank run prints it).
func TestHeadlineEscapes(t *testing.T) {
	d := lint.Diagnostic{File: "a\x1b.toml", Line: 1, Column: 2, Severity: lint.Error, Code: "QB505", Rule: "raises",
		Message: "raised Err\u202e: boom\n::add-mask::x"}
	want := `a\x1b.toml:1:2: error QB505 raises: raised Err\u202e: boom\n::add-mask::x`
	if got := report.Headline(d); got != want {
		t.Errorf("Headline = %q, want %q", got, want)
	}
	for file, want := range map[string]string{
		":":               "| ::1:2: error QB505 raises: m",
		"::error::x.toml": "| ::error::x.toml:1:2: error QB505 raises: m",
		"##vso[x].toml":   `##vso\x5bx].toml:1:2: error QB505 raises: m`,
	} {
		d := lint.Diagnostic{File: file, Line: 1, Column: 2, Severity: lint.Error, Code: "QB505", Rule: "raises", Message: "m"}
		if got := report.Headline(d); got != want {
			t.Errorf("Headline(file %q) = %q, want %q", file, got, want)
		}
	}
}

// TestFrameDefused: a source line with a logging command is shown defused,
// with the caret still under the span.
func TestFrameDefused(t *testing.T) {
	src := "x = \"##vso[task.complete]\" # \x1b[2J \"here\"\n"
	f := lint.NewFile("a.toml", []byte(src))
	col := len([]rune(src[:strings.Index(src, `"here"`)])) + 1
	in := &report.Input{Files: []*lint.File{f}, Diagnostics: []lint.Diagnostic{{File: "a.toml", Line: 1, Column: col,
		EndLine: 1, EndColumn: col + 6, Severity: lint.Error, Code: "QB101", Rule: "r", Message: "m"}}}
	out := string(checkFormat(t, report.Text, false, in))
	lines := strings.Split(out, "\n")
	frame, caret := lines[1], lines[2]
	if !strings.Contains(frame, `"##vso\x5btask.complete]" # `+"\uFFFD"+`[2J "here"`) {
		t.Fatalf("frame %q", frame)
	}
	if strings.Index(caret, "^") != utf8.RuneCountInString(frame[:strings.Index(frame, `"here"`)]) || strings.Count(caret, "^") != 6 {
		t.Fatalf("caret not under the span:\n%s\n%s", frame, caret)
	}
}

// TestOneLinePerFinding: a newline in a message stays visible, on its line.
func TestOneLinePerFinding(t *testing.T) {
	in := hostileInput("a.toml", "one\ntwo\r\nthree", "h", "id", "r", "b.toml")
	var buf bytes.Buffer
	report.Concise.Write(&buf, in, report.Options{})
	if !strings.Contains(buf.String(), `one\ntwo\r\nthree`) {
		t.Errorf("concise output lost the newlines:\n%s", buf.String())
	}
}

// FuzzWriters drives every registered format with fuzzed strings in every
// user-derived field and checks the escaping contract on its bytes.
func FuzzWriters(f *testing.F) {
	for i, h := range hostile {
		f.Add(h, hostile[(i+1)%len(hostile)], hostile[(i+2)%len(hostile)], hostile[(i+3)%len(hostile)], hostile[(i+4)%len(hostile)], hostile[(i+5)%len(hostile)])
	}
	f.Fuzz(func(t *testing.T, file, msg, hint, id, rule, extra string) {
		in := hostileInput(file, msg, hint, id, rule, extra)
		eachFormat(t, func(fm *report.Format, color bool) { checkFormat(t, fm, color, in) })
	})
}
