package suggest

import "testing"

func TestClosest(t *testing.T) {
	labels := []string{"easy", "medium", "hard"}
	keys := []string{"id", "type", "difficulty", "prompt", "options", "answer", "hint"}
	tests := []struct {
		word       string
		candidates []string
		want       string
	}{
		{"Medium", labels, "medium"},
		{"hrad", labels, "hard"},
		{"eazy", labels, "easy"},
		{"impossible", labels, ""},
		{"optoins", keys, "options"},
		{"answers", keys, "answer"},
		{"dificulty", keys, "difficulty"},
		{"xyz", keys, ""},
		{"", keys, ""},
	}
	for _, tt := range tests {
		if got := Closest(tt.word, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "ab", 2}, {"kitten", "sitting", 3},
		{"hrad", "hard", 1}, {"ab", "ba", 1}, {"ü", "u", 1},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{"Loop_Basics": "loop-basics", "double--hyphen": "double-hyphen", "  ": "my-id", "Python 3 Dicts": "python-3-dicts"} {
		if got := Kebab(in); got != want {
			t.Errorf("Kebab(%q) = %q, want %q", in, got, want)
		}
	}
}
