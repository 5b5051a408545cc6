package formats

import (
	"slices"
	"testing"
)

func TestList(t *testing.T) {
	names := Names()
	if want := []string{"gift", "json", "moodle", "qti21"}; !slices.Equal(names, want) {
		t.Fatalf("Names() = %v, want %v (sorted, each once)", names, want)
	}
	for _, n := range names {
		f, err := Lookup(n)
		if err != nil || f.Name() != n {
			t.Errorf("Lookup(%q) = %v, %v", n, f, err)
		}
	}
	if _, err := Lookup("qti12"); err == nil {
		t.Error("an unknown format should be an error")
	}
}
