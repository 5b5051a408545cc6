package snippetrun

import "testing"

func TestMayVary(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"print(1)", false},
		{"for i in range(3):\n    print(i)", false},
		{"print(f'{x}')  # a set {1}", false},
		{"s = {'a', 'b'}\nprint(s)", true},
		{"print(set('abc'))", true},
		{"import random\nprint(random.random())", true},
		{"print(\"time is {now}\")", false},
		{"d = {}\nprint(d)", true},
		{"print(id(x))", true},
		{"x = 'it''s'\nprint(x)", false},
		{"x = 'a\\'b'\nprint(x)", false},
	}
	for _, tt := range tests {
		if got := MayVary(tt.code); got != tt.want {
			t.Errorf("MayVary(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}
