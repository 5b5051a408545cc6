package config_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/rules"
)

const full = `paths = ["questions", "extra/bank.toml"]
exclude = ["drafts", "*/scratch-*.toml"]
fail-on = "warning"

[difficulty]
labels = ["easy", "medium", "hard", "expert"]

[difficulty.minimum]
hard = 3
expert = 1

[rules]
QB306 = "warning"
answer-letter = "info"
QB601 = "off"

[sandbox]
python = "python3.12"
cpu = "2s"
wall = "1500ms"
memory = "512MiB"
output = 65536
require = "full"
`

func TestParseFull(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	c, err := config.Parse("qbank.toml", []byte(full), rules.All())
	if err != nil {
		t.Fatal(err)
	}
	want := config.Sandbox{Python: "python3.12", CPU: 2 * time.Second, Wall: 1500 * time.Millisecond,
		Memory: 512 << 20, Output: 64 << 10, Require: "full"}
	if c.Sandbox != want {
		t.Errorf("sandbox %+v, want %+v", c.Sandbox, want)
	}
	if !slices.Equal(c.Paths, []string{"questions", "extra/bank.toml"}) || c.FailOn != lint.Warning {
		t.Errorf("paths %v fail-on %v", c.Paths, c.FailOn)
	}
	if !slices.Equal(c.Exclude, []string{"drafts", "*/scratch-*.toml"}) {
		t.Errorf("exclude %v", c.Exclude)
	}
	if c.Minimum["hard"] != 3 || c.Minimum["expert"] != 1 || len(c.Labels) != 4 {
		t.Errorf("difficulty %v %v", c.Labels, c.Minimum)
	}
	wantSev := map[string]lint.Severity{"QB306": lint.Warning, "QB301": lint.Info, "QB601": lint.Off}
	if !reflect.DeepEqual(c.Severity, wantSev) {
		t.Errorf("severity %v", c.Severity)
	}
	if o := c.Origin("rules.QB301"); o != "qbank.toml:14" {
		t.Errorf("origin of rules.QB301 = %q", o)
	}
	if o := c.Origin("sandbox.cpu"); o != "qbank.toml:19" {
		t.Errorf("origin of sandbox.cpu = %q", o)
	}
	// Flags win and say so.
	if err := c.SetSeverity("duplicate-option", "error"); err != nil || c.Severity["QB306"] != lint.Error || c.Origin("rules.QB306") != config.FromFlag {
		t.Errorf("SetSeverity: %v %v", err, c.Severity)
	}
	if err := c.SetFailOn("never"); err != nil || c.FailOn != lint.Off {
		t.Errorf("SetFailOn: %v", err)
	}
}

// The printed configuration is itself a valid qbank.toml that gives the
// same settings.
func TestWriteTOMLRoundTrip(t *testing.T) {
	t.Chdir(t.TempDir())
	c, err := config.Parse("qbank.toml", []byte(full), rules.All())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.WriteTOML(&buf); err != nil {
		t.Fatal(err)
	}
	c2, err := config.Parse("printed.toml", buf.Bytes(), rules.All())
	if err != nil {
		t.Fatalf("printed config does not parse: %v\n%s", err, buf.String())
	}
	if !slices.Equal(c.Paths, c2.Paths) || c.FailOn != c2.FailOn || c.Sandbox != c2.Sandbox ||
		!reflect.DeepEqual(c.Minimum, c2.Minimum) || !slices.Equal(c.Labels, c2.Labels) {
		t.Errorf("round trip differs:\n%s", buf.String())
	}
	for code, s := range c.Severity {
		if c2.Severity[code] != s {
			t.Errorf("%s: %v after the round trip, want %v", code, c2.Severity[code], s)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"pahts = []", `qbank.toml:1:1: unknown key "pahts"; did you mean "paths"?`},
		{"zzz = 1", `unknown key "zzz" (known keys at top level: paths, exclude, fail-on, difficulty, rules, sandbox)`},
		{"[difficulty]\nlabel = []", `qbank.toml:2:1: unknown key "difficulty.label"; did you mean "labels"?`},
		{"[difficulty]\nlabels = []", `at least one label is needed`},
		{"[difficulty]\nlabels = [\"a\", \"a\"]", `"a" is listed twice`},
		{"[difficulty.minimum]\nhard = -1", `is negative`},
		{"[rules]\nQB306 = \"warning\"\nduplicate-option = \"error\"", `qbank.toml:3:1: rules.duplicate-option: QB306 is already set to "warning"`},
		{"[rules]\nnope-rule = \"off\"", `unknown rule "nope-rule"`},
		{"[sandbox]\nmemory = \"lots\"", `invalid size "lots"`},
		{"[sandbox]\nwall = \"-1s\"", `sandbox.wall: must be positive`},
		{"[sandbox]\nrequire = \"ful\"", `unknown level "ful" (want full, basic, none); did you mean "full"?`},
		{"[sandbox]\npython = 3", `qbank.toml:2:1: sandbox.python: incompatible types: TOML value has type int64; want string`},
		{"fail-on = \"sometimes\"", `unknown fail-on value "sometimes"`},
		{"[rules", `qbank.toml:1:`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			_, err := config.Parse("qbank.toml", []byte(tc.src), rules.All())
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b", "c")
	os.MkdirAll(deep, 0o755)
	if p, err := config.Find(deep); err != nil || p != "" {
		t.Errorf("no file: %q %v", p, err)
	}
	os.WriteFile(filepath.Join(root, "qbank.toml"), nil, 0o644)
	os.WriteFile(filepath.Join(root, "a", ".qbank.toml"), nil, 0o644)
	if p, _ := config.Find(deep); p != filepath.Join(root, "a", ".qbank.toml") {
		t.Errorf("nearest: %q", p)
	}
	os.WriteFile(filepath.Join(root, "a", "qbank.toml"), nil, 0o644)
	if p, _ := config.Find(deep); p != filepath.Join(root, "a", "qbank.toml") {
		t.Errorf("qbank.toml before .qbank.toml: %q", p)
	}
	// Paths are relative to the file, reported relative to the working
	// directory.
	t.Chdir(deep)
	os.WriteFile(filepath.Join(root, "a", "qbank.toml"), []byte(`paths = ["questions"]`), 0o644)
	c, err := config.Load("", rules.All())
	if err != nil {
		t.Fatal(err)
	}
	if c.Path != "../../qbank.toml" || !slices.Equal(c.Paths, []string{"../../questions"}) {
		t.Errorf("path %q paths %v", c.Path, c.Paths)
	}
}

func TestSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want config.Size
	}{{"1024", 1024}, {"64KiB", 64 << 10}, {"64k", 64 << 10}, {"512 MB", 512 << 20}, {"1GiB", 1 << 30}, {"10B", 10}} {
		got, err := config.ParseSize(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "x", "-1", "1.5MiB", "1TB"} {
		if _, err := config.ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q): no error", bad)
		}
	}
	if s := config.Size(512 << 20).String(); s != "512MiB" {
		t.Errorf("String = %q", s)
	}
}

// schema/config.schema.json describes the same file as the decoder: it
// accepts the full example and the CI fixture's qbank.toml, rejects an
// unknown key, and names exactly the keys the decoder knows.
func TestSchema(t *testing.T) {
	path := filepath.Join("..", "..", "schema", "config.schema.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("file:///config.schema.json", bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("file:///config.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	validate := func(src string) error {
		var v map[string]any
		if _, err := toml.Decode(src, &v); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(v) // TOML ints as JSON numbers
		var j any
		json.Unmarshal(b, &j)
		return s.Validate(j)
	}
	fixture, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ci", "repo", "qbank.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ok := range []string{full, string(fixture), ""} {
		if err := validate(ok); err != nil {
			t.Errorf("schema rejects a valid config: %v\n%s", err, ok)
		}
	}
	for _, bad := range []string{"pahts = []", "[sandbox]\ncpu = 2", "[rules]\nQB301 = \"warn\"", "[sandbox]\nrequire = \"ful\""} {
		if validate(bad) == nil {
			t.Errorf("schema accepts %q", bad)
		}
		if _, err := config.Parse("qbank.toml", []byte(bad), rules.All()); err == nil {
			t.Errorf("Parse accepts %q", bad)
		}
	}
	// The schema's keys are the decoder's keys.
	var doc struct {
		Properties map[string]struct {
			Properties map[string]any `json:"properties"`
		} `json:"properties"`
	}
	json.Unmarshal(raw, &doc)
	keys := func(m map[string]struct {
		Properties map[string]any `json:"properties"`
	}) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		return ks
	}
	if got, want := keys(doc.Properties), []string{"difficulty", "exclude", "fail-on", "paths", "rules", "sandbox"}; !slices.Equal(got, want) {
		t.Errorf("schema top-level keys %v, want %v", got, want)
	}
	for table, want := range map[string][]string{"difficulty": {"labels", "minimum"}, "sandbox": {"cpu", "memory", "output", "python", "require", "wall"}} {
		var got []string
		for k := range doc.Properties[table].Properties {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("schema [%s] keys %v, want %v", table, got, want)
		}
		for _, k := range want {
			if _, err := config.Parse("qbank.toml", []byte("["+table+"]\n"+k+"x = 1"), rules.All()); err == nil || !strings.Contains(err.Error(), `did you mean "`+k+`"`) {
				t.Errorf("[%s] %sx: %v", table, k, err)
			}
		}
	}
}
