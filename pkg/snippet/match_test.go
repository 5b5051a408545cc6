package snippet

import "testing"

func TestCompare(t *testing.T) {
	tests := []struct {
		option, actual string
		want           Level
	}{
		{"0 1 2", "0\n1\n2\n", Exact},
		{"`0 1 2`", "0\n1\n2\n", Exact},
		{"```\n0\n1\n```", "0\n1\n", Exact},
		{"```python\n[1, 2]\n```", "[1, 2]\n", Exact},
		{"Hello  World", "Hello World\r\n", Exact},
		{"hello", "Hello\n", NoMatch},
		{"[1,3,4,5]", "[1, 3, 4, 5]\n", Loose},
		{"'Tokyo'", "Tokyo\n", Loose},
		{"`Setup`, `Using resource`, `Cleanup`", "Setup\nUsing resource\nCleanup\n", Loose},
		{"Done.", "Done\n", Loose},
		{"3", "4\n", NoMatch},
		{"", "\n", Exact},
		{"Nothing", "", NoMatch},
		{"", "x", NoMatch},
		{"1 2", "1 2 3", NoMatch},
	}
	for _, tt := range tests {
		if got := Compare(tt.option, tt.actual); got != tt.want {
			t.Errorf("Compare(%q, %q) = %v, want %v", tt.option, tt.actual, got, tt.want)
		}
	}
}

func TestDifference(t *testing.T) {
	tests := []struct{ option, actual, want string }{
		{"'Tokyo'", "Tokyo", "quotes"},
		{"[1,3]", "[1, 3]", "spacing around punctuation"},
		{"a, b", "a\nb", "commas or semicolons"},
		{"Done.", "Done", "a final full stop"},
	}
	for _, tt := range tests {
		if got := Difference(tt.option, tt.actual); got != tt.want {
			t.Errorf("Difference(%q, %q) = %q, want %q", tt.option, tt.actual, got, tt.want)
		}
	}
}
