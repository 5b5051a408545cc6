package testtool

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// Golden compares got with the golden file at path or, when update is set
// (each package's -update flag), rewrites the file. On a difference it
// shows the output when it is short text, its size otherwise.
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	if len(got) < 8<<10 && utf8.Valid(got) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it); got:\n%s", path, got)
		return
	}
	t.Errorf("%s differs from the golden file (%d bytes, want %d); go test -update rewrites it", path, len(got), len(want))
}
