package export_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/qbank-dev/qbank/internal/testtool"
	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/export"
	"github.com/qbank-dev/qbank/pkg/export/internal/exporttest"
)

func bundleSchema(t *testing.T) string {
	return filepath.Join(testtool.RepoRoot(t), "schema", "bundle.schema.json")
}

// validateGo validates a bundle with santhosh-tekuri/jsonschema (draft-07).
func validateGo(t *testing.T, data []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	c.AssertFormat = true
	sch, err := c.Compile(bundleSchema(t))
	if err != nil {
		t.Fatalf("compile bundle schema: %v", err)
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("bundle is not JSON: %v", err)
	}
	if err := sch.Validate(v); err != nil {
		t.Fatalf("bundle does not match schema/bundle.schema.json: %#v", err)
	}
}

// validateAjv validates a bundle file with the independent ajv-cli.
func validateAjv(t *testing.T, file string) {
	t.Helper()
	ajv := testtool.Require(t, "ajv")
	cmd := exec.Command(ajv, "validate", "--spec=draft7", "-c", "ajv-formats", "-s", bundleSchema(t), "-d", file)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "valid") {
		t.Fatalf("ajv validate %s: %v\n%s", file, err, out)
	}
}

func TestBundleProjectBanks(t *testing.T) {
	banks := exporttest.ProjectBanks(t)
	data, env := exporttest.Export(t, "json", banks)
	exporttest.Golden(t, "bundle.json", data)
	validateGo(t, data)
	file := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	validateAjv(t, file)
	if w := env.Drops.Warnings("json"); len(w) > 0 {
		t.Errorf("the JSON bundle dropped fields: %v", w)
	}

	var b export.Bundle
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	if b.Format != export.BundleFormat || b.FormatVersion != export.BundleVersion || b.Generator.Name != "qbank" || b.Generator.Version != "test" {
		t.Errorf("header = %q %d %+v", b.Format, b.FormatVersion, b.Generator)
	}
	byID := map[string]*bank.Question{}
	for _, bk := range banks {
		for _, q := range bk.Questions {
			byID[q.FullID()] = q
		}
	}
	n := 0
	for i, bb := range b.Banks {
		if i > 0 && b.Banks[i-1].ID >= bb.ID {
			t.Errorf("banks not sorted: %s before %s", b.Banks[i-1].ID, bb.ID)
		}
		for _, bq := range bb.Questions {
			n++
			q := byID[bq.FullID]
			if q == nil {
				t.Errorf("%s: not in the source banks", bq.FullID)
				continue
			}
			if bq.Prompt != q.Prompt || bq.Type != q.Type || bq.Difficulty != q.Difficulty || bq.Hint != q.Hint ||
				!slices.Equal(bq.Answer, q.Answer) || !slices.Equal(bq.Explanation, q.Explanation) ||
				!slices.Equal(bq.Mistakes, q.Mistakes) || !slices.Equal(bq.Tags, nonNil(q.Tags)) {
				t.Errorf("%s: fields differ from the source", bq.FullID)
			}
			if len(bq.Options) != len(q.Options) {
				t.Fatalf("%s: %d options, want %d", bq.FullID, len(bq.Options), len(q.Options))
			}
			for j, o := range q.Options {
				bo := bq.Options[j]
				if bo.Letter != o.Letter || bo.Text != o.Text || bo.Feedback != o.Feedback || bo.Key != slices.Contains(q.Answer, o.Letter) {
					t.Errorf("%s option %s differs: %+v", bq.FullID, o.Letter, bo)
				}
			}
			if (q.Code == nil) != (bq.Code == nil) {
				t.Errorf("%s: code presence differs", bq.FullID)
			} else if q.Code != nil {
				c := bq.Code
				if c.Source != q.Code.Source || c.Expect != q.Code.Expect || c.Error != q.Code.Error ||
					(c.Output != nil) != q.Code.HasOutput || (c.Output != nil && *c.Output != q.Code.Output) {
					t.Errorf("%s: code differs: %+v", bq.FullID, c)
				}
				if c.Verified != nil {
					t.Errorf("%s: verified set although nothing ran", bq.FullID)
				}
			}
		}
	}
	if n != 36 {
		t.Errorf("%d questions, want 36", n)
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// TestBundleDeterministic: the same banks in any order give the same bytes.
func TestBundleDeterministic(t *testing.T) {
	banks := exporttest.ProjectBanks(t)
	want, _ := exporttest.Export(t, "json", banks)
	rev := slices.Clone(banks)
	slices.Reverse(rev)
	for i, order := range [][]*bank.Bank{rev, {banks[1], banks[2], banks[0]}, banks} {
		got, _ := exporttest.Export(t, "json", order)
		if !bytes.Equal(got, want) {
			t.Errorf("order %d: bytes differ", i)
		}
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(s[:])
}

// canonicalOf recomputes a hash the way a platform would: decode, drop
// "hash", canonical JSON, sha256.
func canonicalOf(t *testing.T, raw json.RawMessage, set map[string]any, drop ...string) string {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	delete(m, "hash")
	for _, k := range drop {
		delete(m, k)
	}
	for k, v := range set {
		m[k] = v
	}
	var buf bytes.Buffer
	if err := export.Canonical(&buf, m); err != nil {
		t.Fatal(err)
	}
	return sha(buf.Bytes())
}

func TestBundleHashes(t *testing.T) {
	banks := exporttest.ProjectBanks(t)
	data, _ := exporttest.Export(t, "json", banks)
	var raw struct {
		Hash  string `json:"hash"`
		Banks []struct {
			Hash      string            `json:"hash"`
			Questions []json.RawMessage `json:"questions"`
		} `json:"banks"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	_ = json.Unmarshal(data, &all)
	var banksRaw []json.RawMessage
	_ = json.Unmarshal(all["banks"], &banksRaw)
	var bankHashes []any
	for i, br := range banksRaw {
		var qHashes []any
		for j, qr := range raw.Banks[i].Questions {
			var q struct{ Hash string }
			_ = json.Unmarshal(qr, &q)
			if got := canonicalOf(t, qr, nil); got != q.Hash {
				t.Errorf("bank %d question %d hash %s, recomputed %s", i, j, q.Hash, got)
			}
			qHashes = append(qHashes, q.Hash)
		}
		if got := canonicalOf(t, br, map[string]any{"questions": qHashes}); got != raw.Banks[i].Hash {
			t.Errorf("bank %d hash %s, recomputed %s", i, raw.Banks[i].Hash, got)
		}
		bankHashes = append(bankHashes, raw.Banks[i].Hash)
	}
	if got := canonicalOf(t, data, map[string]any{"banks": bankHashes}, "generator", "$schema"); got != raw.Hash {
		t.Errorf("bundle hash %s, recomputed %s", raw.Hash, got)
	}

	// Changing one question changes its hash, its bank's and the bundle's,
	// and nothing else; a new generator version changes no hash.
	b0, _ := export.BuildBundle(export.Sorted(banks), export.Generator{Name: "qbank", Version: "1"})
	mod := export.Sorted(banks)
	c := *mod[0]
	c.Questions = slices.Clone(c.Questions)
	q := *c.Questions[0]
	q.Hint += "!"
	c.Questions[0] = &q
	mod[0] = &c
	b1, _ := export.BuildBundle(mod, export.Generator{Name: "qbank", Version: "2"})
	if b0.Hash == b1.Hash || b0.Banks[0].Hash == b1.Banks[0].Hash || b0.Banks[0].Questions[0].Hash == b1.Banks[0].Questions[0].Hash {
		t.Error("changing a hint did not change the hashes")
	}
	if b0.Banks[0].Questions[1].Hash != b1.Banks[0].Questions[1].Hash || b0.Banks[1].Hash != b1.Banks[1].Hash {
		t.Error("changing one question changed another's hash")
	}
	b2, _ := export.BuildBundle(export.Sorted(banks), export.Generator{Name: "qbank", Version: "2"})
	if b0.Hash != b2.Hash {
		t.Error("the generator version changed the bundle hash")
	}
}

func TestCanonical(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{`{"b":1,"a":[true,null,"x"]}`, `{"a":[true,null,"x"],"b":1}`},
		{`{"s":"<&>\u2028é\u0001\n\"\\"}`, "{\"s\":\"<&>\u2028é\\u0001\\n\\\"\\\\\"}"},
		{`{"n":[1.0,0.5,-3,1e2]}`, `{"n":[1,0.5,-3,100]}`},
		{`{"é":1,"z":2,"A":3}`, `{"A":3,"z":2,"é":1}`},
	}
	for _, tt := range tests {
		d := json.NewDecoder(strings.NewReader(tt.in))
		d.UseNumber()
		var v any
		if err := d.Decode(&v); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := export.Canonical(&buf, v); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("Canonical(%s) = %s, want %s", tt.in, buf.String(), tt.want)
		}
	}
}

func TestSelect(t *testing.T) {
	banks := exporttest.ProjectBanks(t)
	count := func(bs []*bank.Bank) int { return export.CountQuestions(bs) }
	tests := []struct {
		name   string
		filter export.Filter
		check  func(q *bank.Question) bool
		min    int
	}{
		{"all", export.Filter{}, func(*bank.Question) bool { return true }, 36},
		{"bank", export.Filter{Banks: []string{"git-basics"}}, func(q *bank.Question) bool { return q.Bank.ID == "git-basics" }, 12},
		{"difficulty", export.Filter{Difficulties: []string{"easy", "hard"}}, func(q *bank.Question) bool { return q.Difficulty != "medium" }, 1},
		{"question tag", export.Filter{Tags: []string{"finally"}}, func(q *bank.Question) bool { return slices.Contains(q.Tags, "finally") }, 1},
		{"bank tag", export.Filter{Tags: []string{"git"}}, func(q *bank.Question) bool { return q.Bank.ID == "git-basics" }, 12},
		{"id glob", export.Filter{IDs: []string{"python-*/*-error*", "git-basics/what-*"}}, func(q *bank.Question) bool {
			return strings.HasPrefix(q.FullID(), "python-") || strings.HasPrefix(q.FullID(), "git-basics/what-")
		}, 1},
		{"and", export.Filter{Banks: []string{"git-basics"}, Difficulties: []string{"easy"}}, func(q *bank.Question) bool {
			return q.Bank.ID == "git-basics" && q.Difficulty == "easy"
		}, 1},
		{"none", export.Filter{Banks: []string{"nope"}}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := export.Select(banks, tt.filter)
			if n := count(got); n < tt.min || (tt.min == 0 && n != 0) {
				t.Fatalf("selected %d questions, want at least %d", n, tt.min)
			}
			for _, b := range got {
				for _, q := range b.Questions {
					if !tt.check(q) {
						t.Errorf("%s selected", q.FullID())
					}
				}
			}
		})
	}
	if count(banks) != 36 {
		t.Error("Select modified its input")
	}
	if err := (export.Filter{IDs: []string{"[a-"}}).Validate(); err == nil {
		t.Error("a bad glob was accepted")
	}
}

func TestCleanXML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain\ttext\nwith\rbreaks é", "plain\ttext\nwith\rbreaks é"},
		{"a\x00b\x1bc", `a\x00b\x1bc`},
		{"x\uFFFEy\uFFFF", `x\uFFFEy\uFFFF`},
		{"bad\xffutf8", `bad\xffutf8`},
		{"\u0085 and \uFFFD stay", "\u0085 and \uFFFD stay"},
	}
	for _, tt := range tests {
		got, changed := export.CleanXML(tt.in)
		if got != tt.want || changed != (tt.in != tt.want) {
			t.Errorf("CleanXML(%q) = %q, %v; want %q", tt.in, got, changed, tt.want)
		}
	}
}

func TestWeights(t *testing.T) {
	valid := map[string]bool{"0": true}
	for _, p := range export.MoodlePercents {
		valid[p], valid["-"+p] = true, true
	}
	for options := 1; options <= 25; options++ {
		for keys := 1; keys <= options; keys++ {
			var idx []int
			for i := range keys {
				idx = append(idx, i)
			}
			w, ok := export.Weights(true, options, idx)
			if ok != (keys <= 20) {
				t.Errorf("%d/%d: ok = %v", keys, options, ok)
			}
			sum, neg := 0.0, 0.0
			for i, p := range w {
				if !valid[p] {
					t.Errorf("%d/%d: %q is not a Moodle grade", keys, options, p)
				}
				f, _ := strconv.ParseFloat(p, 64)
				if i < keys {
					sum += f
				} else {
					neg += f
				}
			}
			if ok && (sum < 99.99 || sum > 100.01) {
				t.Errorf("%d keys of %d: keys sum to %v", keys, options, sum)
			}
			if options-keys <= 20 && neg < -100.0001 {
				t.Errorf("%d keys of %d: penalties sum to %v", keys, options, neg)
			}
		}
	}
	if w, ok := export.Weights(false, 4, []int{2}); !ok || !slices.Equal(w, []string{"0", "0", "100", "0"}) {
		t.Errorf("single: %v %v", w, ok)
	}
}

func TestDropsWarnings(t *testing.T) {
	banks := exporttest.ProjectBanks(t)
	d := export.NewDrops()
	for _, q := range banks[0].Questions {
		d.Question(export.DropHint, q)
		d.Question(export.DropHint, q) // counted once
		d.Question(export.DropMistakes, q)
	}
	d.Bank(export.DropBankTopic, banks[0])
	got := d.Warnings("gift")
	want := []string{
		"gift cannot carry hint (12 questions)",
		"gift cannot carry mistakes (12 questions)",
		"gift cannot carry bank topic (1 bank)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Warnings = %q, want %q", got, want)
	}
}

// TestBundleSchemaRejects proves both validators are live: a bundle with a
// malformed hash and a missing key flag fails each of them.
func TestBundleSchemaRejects(t *testing.T) {
	data, _ := exporttest.Export(t, "json", exporttest.ProjectBanks(t))
	bad := bytes.Replace(data, []byte(`"hash": "sha256:`), []byte(`"hash": "md5:`), 1)
	bad = bytes.Replace(bad, []byte(`"key": false,`), []byte(``), 1)
	var v any
	if err := json.Unmarshal(bad, &v); err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft7
	sch, err := c.Compile(bundleSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(v); err == nil {
		t.Error("jsonschema/v5 accepted a broken bundle")
	}
	file := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(file, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	ajv := testtool.Require(t, "ajv")
	out, err := exec.Command(ajv, "validate", "--spec=draft7", "-c", "ajv-formats", "-s", bundleSchema(t), "-d", file).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "invalid") {
		t.Errorf("ajv accepted a broken bundle: %s", out)
	}
}

// TestQuestionHashFastPath: the reflection-free question hash equals the
// generic canonical-JSON hash on every kind of question.
func TestQuestionHashFastPath(t *testing.T) {
	sets := [][]*bank.Bank{exporttest.ProjectBanks(t), {exporttest.Nasty(t)}, exporttest.Synth(t, 60, 30)}
	for _, banks := range sets {
		b, err := export.BuildBundle(export.Sorted(banks), export.Generator{Name: "qbank", Version: "t"})
		if err != nil {
			t.Fatal(err)
		}
		for _, bb := range b.Banks {
			for _, q := range bb.Questions {
				fast := q.Hash
				q.Hash = ""
				if generic, _ := export.HashOf(q); generic != fast {
					t.Errorf("%s: fast %s, generic %s", q.FullID, fast, generic)
				}
			}
		}
	}
}
