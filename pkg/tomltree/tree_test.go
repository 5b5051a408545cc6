package tomltree

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

func TestTableRules(t *testing.T) {
	tests := []struct {
		name, src string
		err       string // substring of the error; "" = valid
	}{
		{"dup key", "a = 1\na = 2", `key "a" is defined twice`},
		{"dup table", "[a]\n[a]", `table [a] is defined twice`},
		{"super table later", "[a.b]\nx = 1\n[a]\ny = 2", ""},
		{"super table twice", "[a.b]\n[a]\n[a]", `table [a] is defined twice`},
		{"dotted then header", "[fruit]\napple.color = 'red'\n[fruit.apple]", `table [fruit.apple] is defined twice`},
		{"dotted subtable header", "[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true", ""},
		{"dotted into header table", "[a.b]\nz = 1\n[a]\nb.y = 2", `cannot add to table "b" with a dotted key`},
		{"inline frozen by header", "a = {x = 1}\n[a.b]", `cannot extend inline table "a"`},
		{"inline frozen by dotted", "a = {x = 1}\na.y = 2", `cannot extend inline table "a"`},
		{"inline dotted inside", "a = {b.c = 1, b.d = 2}", ""},
		{"inline dup", "a = {b = 1, b = 2}", `key "b" is defined twice`},
		{"static array append", "a = [1]\n[[a]]", `cannot append to array "a"`},
		{"aot then table", "[[a]]\n[a]", `key "a" is already an array, not a table`},
		{"aot subtable", "[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2", ""},
		{"table then aot", "[a]\n[[a]]", `not an array of tables`},
		{"value then table", "a = 1\n[a]", `already an integer`},
		{"value then subtable", "a = 1\n[a.b]", `already an integer`},
		{"leading zero", "a = 012", "leading zero"},
		{"int overflow", "a = 9223372036854775808", "does not fit"},
		{"hex", "a = 0xff", ""},
		{"bad float", "a = 1.", ""}, // the parser rejects it with its own message
		{"date", "a = 1979-05-27", ""},
		{"bad date", "a = 1979-13-27", "invalid date"},
		{"datetime", "a = 1979-05-27T07:32:00Z", ""},
		{"nul", "a = \"x\x00\"", "NUL"},
		{"invalid utf8", "a = \"\xff\"", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			switch {
			case tt.name == "bad float":
				if err == nil {
					t.Fatal("want an error")
				}
			case tt.err == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestPositions(t *testing.T) {
	src := "# x\r\n[bank]\r\nid = \"ü-1\" # c\r\ntags = [\r\n  \"a\", # c2\r\n  { k = [1, []] },\r\n]\r\n[[question]]\r\ncode.source = '''\r\n[[question]]\r\nx = 1\r\n'''\r\n[[question]]\r\nid = \"two\"\r\n"
	doc, err := Parse([]byte("\ufeff" + src))
	if err != nil {
		t.Fatal(err)
	}
	at := func(ptr string) (*Node, Position, Position) {
		n, ok := doc.Lookup(ptr)
		if !ok {
			t.Fatalf("no node at %s", ptr)
		}
		k := Position{}
		if n.KeyStart >= 0 {
			k = doc.Position(n.KeyStart)
		}
		return n, k, doc.Position(n.Start)
	}
	tests := []struct {
		ptr       string
		key, val  Position
		wantValue string
	}{
		{"/bank", Position{2, 2}, Position{2, 1}, "[bank]"},
		{"/bank/id", Position{3, 1}, Position{3, 6}, `"ü-1"`},
		{"/bank/tags", Position{4, 1}, Position{4, 8}, ""},
		{"/bank/tags/0", Position{}, Position{5, 3}, `"a"`},
		{"/bank/tags/1", Position{}, Position{6, 3}, "{ k = [1, []] }"},
		{"/bank/tags/1/k/1", Position{}, Position{6, 13}, "[]"},
		{"/question/0/code/source", Position{9, 6}, Position{9, 15}, ""},
		{"/question/1/id", Position{14, 1}, Position{14, 6}, `"two"`},
	}
	for _, tt := range tests {
		n, k, v := at(tt.ptr)
		if k != tt.key || v != tt.val {
			t.Errorf("%s: key %v value %v, want %v %v", tt.ptr, k, v, tt.key, tt.val)
		}
		if tt.wantValue != "" && string(doc.Src[n.Start:n.End]) != tt.wantValue {
			t.Errorf("%s: span %q, want %q", tt.ptr, doc.Src[n.Start:n.End], tt.wantValue)
		}
	}
	src0, _ := doc.Lookup("/question/0/code/source")
	if got := doc.Position(src0.ContentStart); got != (Position{10, 1}) {
		t.Errorf("content of the multi-line string starts at %v, want 10:1", got)
	}
	if src0.Str != "[[question]]\r\nx = 1\r\n" {
		t.Errorf("source = %q", src0.Str)
	}
	if len(doc.Comments) != 3 {
		t.Errorf("comments = %v", doc.Comments)
	}
	if got := doc.Line(3); got != `id = "ü-1" # c` {
		t.Errorf("Line(3) = %q", got)
	}
}

func TestErrorPosition(t *testing.T) {
	doc, err := Parse([]byte("[bank]\nid = \"x\"\ntitle = \n"))
	se, ok := err.(*SyntaxError)
	if !ok {
		t.Fatalf("err = %v", err)
	}
	if p := doc.Position(se.Start); p.Line != 3 {
		t.Errorf("error at %v, want line 3", p)
	}
}

// normalize makes BurntSushi's decoded values comparable with Interface().
func normalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			out[k] = normalize(x)
		}
		return out
	case []map[string]any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalize(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = normalize(x)
		}
		return out
	case float64:
		if math.IsNaN(v) {
			return "NaN"
		}
		return v
	}
	return v
}

// FuzzParse checks that Parse never panics, that every span lies inside the
// input, and that wherever BurntSushi/toml accepts a document without
// dates, both decoders agree on its data.
func FuzzParse(f *testing.F) {
	seeds := []string{
		"a = 1", "[a]\nb = 'x'", "[[q]]\nid = \"x\"\n[[q]]\nid = \"y\"",
		"a = [1, [2, {b = 3}], ]", "a.b.c = true\n[d]\ne = 1.5e3",
		"s = '''\n[[question]]\n'''", "x = \"\\u00e9\\n\"", "a = {b = 1}\n[a.c]",
		"\ufeffa = 1\r\n", "a = [\n# c\n1, # d\n]", "[a.b]\n[a]\nc = 1",
		"a = inf\nb = -nan\nc = 0x1f\nd = 0o7\ne = 0b1",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := Parse(src)
		if err != nil {
			se := err.(*SyntaxError)
			if se.Start < 0 || se.Start > len(src) {
				t.Fatalf("error offset %d outside input of %d bytes", se.Start, len(src))
			}
			doc.Position(se.Start)
			return
		}
		var walk func(n *Node)
		walk = func(n *Node) {
			if n.Start < 0 || n.End > len(src) || n.Start > n.End {
				t.Fatalf("span %d-%d outside input of %d bytes", n.Start, n.End, len(src))
			}
			for _, it := range n.Items {
				walk(it)
			}
			for _, k := range n.Keys {
				walk(n.Get(k))
			}
		}
		walk(doc.Root)
		var want map[string]any
		if _, err := toml.Decode(string(src), &want); err != nil {
			return // TOML 1.1 extensions and BurntSushi's own limits
		}
		if strings.ContainsAny(string(src), ":-") && hasDatetime(doc.Root) {
			return // datetimes decode to time.Time there and to text here
		}
		got := normalize(doc.Root.Interface())
		if !reflect.DeepEqual(got, normalize(want)) {
			t.Fatalf("decoders disagree\n got %#v\nwant %#v", got, normalize(want))
		}
	})
}

func hasDatetime(n *Node) bool {
	switch n.Kind {
	case Datetime, LocalDatetime, LocalDate, LocalTime:
		return true
	}
	for _, it := range n.Items {
		if hasDatetime(it) {
			return true
		}
	}
	for _, k := range n.Keys {
		if hasDatetime(n.Get(k)) {
			return true
		}
	}
	return false
}
