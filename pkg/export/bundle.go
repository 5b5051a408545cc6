package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"

	"github.com/qbank-dev/qbank/pkg/bank"
)

// BundleFormat and BundleVersion identify the JSON bundle; the version
// changes only when a reader would have to change.
const (
	BundleFormat  = "qbank-bundle"
	BundleVersion = 1
	// BundleSchemaID is the $id of schema/bundle.schema.json.
	BundleSchemaID = "https://github.com/qbank-dev/qbank/schema/bundle.schema.json"
)

// Bundle is the JSON bundle: a self-describing document of banks.
//
// Hashes are "sha256:" and 64 hex digits, over the canonical JSON (RFC 8785
// style: no insignificant white space, object members sorted by name,
// strings with only the escapes JSON requires) of, as a hash tree:
//   - a question: the question object without its "hash" member;
//   - a bank: the bank object without its "hash" member and with
//     "questions" replaced by the array of its questions' hashes;
//   - the bundle: {"format", "format_version", "banks"} with "banks" the
//     array of the banks' hashes. The generator is left out, so a new
//     qbank version does not change the hash of the same content.
type Bundle struct {
	Schema        string        `json:"$schema"`
	Format        string        `json:"format"`
	FormatVersion int           `json:"format_version"`
	Generator     Generator     `json:"generator"`
	Hash          string        `json:"hash"`
	Banks         []*BundleBank `json:"banks"`
}

// BundleBank is one bank with its metadata.
type BundleBank struct {
	ID        string            `json:"id"`
	Title     string            `json:"title"`
	Topic     string            `json:"topic,omitempty"`
	Summary   string            `json:"summary,omitempty"`
	Tags      []string          `json:"tags"`
	Takeaways []string          `json:"takeaways"`
	Version   string            `json:"version,omitempty"`
	Authors   []string          `json:"authors,omitempty"`
	Language  string            `json:"language,omitempty"`
	Match     string            `json:"match,omitempty"`
	Hash      string            `json:"hash,omitempty"`
	Questions []*BundleQuestion `json:"questions"`
}

// BundleQuestion is one question with every field of the bank.
type BundleQuestion struct {
	ID          string         `json:"id"`
	FullID      string         `json:"full_id"`
	Type        string         `json:"type"`
	Difficulty  string         `json:"difficulty"`
	Points      *float64       `json:"points,omitempty"`
	Prompt      string         `json:"prompt"`
	Options     []BundleOption `json:"options"`
	Answer      []string       `json:"answer"`
	Hint        string         `json:"hint,omitempty"`
	Explanation []string       `json:"explanation"`
	Mistakes    []string       `json:"mistakes"`
	Tags        []string       `json:"tags"`
	Code        *BundleCode    `json:"code,omitempty"`
	Hash        string         `json:"hash,omitempty"`
}

// BundleOption is an answer option.
type BundleOption struct {
	Letter   string `json:"letter"`
	Text     string `json:"text"`
	Key      bool   `json:"key"`
	Feedback string `json:"feedback,omitempty"`
}

// BundleCode is a question's snippet with what it is expected to do.
type BundleCode struct {
	Language string  `json:"language"`
	Source   string  `json:"source"`
	Expect   string  `json:"expect"`
	Output   *string `json:"output,omitempty"`
	Error    string  `json:"error,omitempty"`
	Of       string  `json:"of,omitempty"`
	// Run is "options" when every option is a snippet (shown as a code
	// block in the learning-platform formats); omitted for "source".
	Run      string   `json:"run,omitempty"`
	Value    *string  `json:"value,omitempty"`
	Match    string   `json:"match,omitempty"`
	Stdin    string   `json:"stdin,omitempty"`
	Before   string   `json:"before,omitempty"`
	After    string   `json:"after,omitempty"`
	Requires []string `json:"requires,omitempty"`
	// Verified is what the snippet really did when qbank ran it; nil when
	// it was not run. It is not part of the question's hash: the hash
	// covers what the author wrote, so it does not change with --no-run
	// or the interpreter.
	Verified *Verified `json:"verified,omitempty"`
}

// Verified is the observed result of running a snippet.
type Verified struct {
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
	// Match is how closely the key (the keyed option, or the question's
	// output) matches Output: "exact", "normal", "loose", or "none" when
	// it does not or another option matches more closely; "" when the key
	// is not compared with the output.
	Match string `json:"match,omitempty"`
}

// JSON is the bundle format.
var JSON Format = jsonFormat{}

type jsonFormat struct{}

func (jsonFormat) Name() string { return "json" }
func (jsonFormat) Ext() string  { return ".json" }

func (jsonFormat) Write(w io.Writer, banks []*bank.Bank, env *Env) error {
	b, err := BuildBundle(banks, env.Generator)
	if err != nil {
		return err
	}
	if env.Verify != nil {
		for i, bb := range b.Banks {
			for j, bq := range bb.Questions {
				if bq.Code != nil {
					bq.Code.Verified = env.Verify(banks[i].Questions[j])
				}
			}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// BuildBundle makes the bundle of banks (in the order given) with every
// hash filled in.
func BuildBundle(banks []*bank.Bank, gen Generator) (*Bundle, error) {
	out := &Bundle{
		Schema: BundleSchemaID, Format: BundleFormat, FormatVersion: BundleVersion,
		Generator: gen, Banks: make([]*BundleBank, len(banks)),
	}
	for i, b := range banks {
		out.Banks[i] = bundleBank(b)
	}
	// Question hashes are independent: compute them in parallel.
	var jobs []*BundleQuestion
	for _, bb := range out.Banks {
		jobs = append(jobs, bb.Questions...)
	}
	_ = Parallel(len(jobs), func(i int) error {
		jobs[i].Hash = questionHash(jobs[i])
		return nil
	})
	bankHashes := make([]any, len(out.Banks))
	for i, bb := range out.Banks {
		qh := make([]any, len(bb.Questions))
		for j, q := range bb.Questions {
			qh[j] = q.Hash
		}
		meta := *bb
		meta.Questions = nil
		h, err := hashWith(&meta, map[string]any{"questions": qh})
		if err != nil {
			return nil, err
		}
		bb.Hash = h
		bankHashes[i] = h
	}
	h, err := hashWith(map[string]any{}, map[string]any{
		"format": out.Format, "format_version": json.Number(strconv.Itoa(out.FormatVersion)), "banks": bankHashes,
	})
	if err != nil {
		return nil, err
	}
	out.Hash = h
	return out, nil
}

// Parallel runs f(0) … f(n-1) on GOMAXPROCS workers and returns the
// first error.
func Parallel(n int, f func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			if err := f(i); err != nil {
				return err
			}
		}
		return nil
	}
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if err := f(i); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func bundleBank(b *bank.Bank) *BundleBank {
	m := MetaOf(b)
	bb := &BundleBank{
		ID: b.ID, Title: b.Title, Topic: b.Topic, Summary: b.Summary,
		Tags: nonNil(b.Tags), Takeaways: nonNil(b.Takeaways),
		Version: m.Version, Authors: m.Authors, Language: m.Language, Match: b.Match,
		Questions: make([]*BundleQuestion, len(b.Questions)),
	}
	for i, q := range b.Questions {
		bb.Questions[i] = bundleQuestion(q)
	}
	return bb
}

func bundleQuestion(q *bank.Question) *BundleQuestion {
	keys := map[int]bool{}
	var answer []string
	for _, k := range q.KeyIndexes() {
		keys[k] = true
		answer = append(answer, q.Options[k].Letter)
	}
	bq := &BundleQuestion{
		ID: q.ID, FullID: q.FullID(), Type: q.Type, Difficulty: q.Difficulty,
		Prompt: q.Prompt, Answer: nonNil(answer), Hint: q.Hint,
		Explanation: nonNil(q.Explanation), Mistakes: nonNil(q.Mistakes), Tags: nonNil(q.Tags),
		Options: make([]BundleOption, len(q.Options)),
	}
	if p, ok := Points(q); ok {
		bq.Points = &p
	}
	for i, o := range q.Options {
		bq.Options[i] = BundleOption{Letter: o.Letter, Text: o.Text, Key: keys[i], Feedback: o.Feedback}
	}
	if c := q.Code; c != nil {
		bc := &BundleCode{
			Language: c.Language, Source: c.Source, Expect: c.Expect, Error: c.Error,
			Of: c.Of, Stdin: c.Stdin, Before: c.Before, After: c.After, Requires: c.Requires,
			Match: c.Match,
		}
		if c.Run != "" && c.Run != "source" {
			bc.Run = c.Run
		}
		if c.HasValue {
			v := c.Value
			bc.Value = &v
		}
		if c.HasOutput {
			o := c.Output
			bc.Output = &o
		}
		bq.Code = bc
	}
	return bq
}

// HashOf returns "sha256:<hex>" of the canonical JSON of v with its
// top-level "hash" member removed.
func HashOf(v any) (string, error) { return hashWith(v, nil) }

// hashWith is HashOf with top-level members replaced by those of set.
func hashWith(v any, set map[string]any) (string, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("hash: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return "", fmt.Errorf("hash: %w", err)
	}
	if m, ok := tree.(map[string]any); ok {
		delete(m, "hash")
		for k, x := range set {
			m[k] = x
		}
	}
	var buf bytes.Buffer
	if err := Canonical(&buf, tree); err != nil {
		return "", err
	}
	sum := sha256.Sum256(buf.Bytes())
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}
