package snippetrun

import (
	"testing"

	"github.com/qbank-dev/qbank/pkg/snippetio"
)

// TestCacheKeepsOnlyTrustworthyResults: a result stopped by the wall clock
// or one that tampered with the sandbox is never returned from the cache,
// even when an entry for it exists (written by an older qbank, or by hand).
func TestCacheKeepsOnlyTrustworthyResults(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	for _, tc := range []struct {
		name string
		r    snippetio.Result
		keep bool
	}{
		{"ran", snippetio.Result{Stdout: []byte("1\n")}, true},
		{"cpu", snippetio.Result{Killed: "cpu"}, true},
		{"wall", snippetio.Result{Killed: "wall"}, false},
		{"tampered", snippetio.Result{Stdout: []byte("B\n"), Tampered: "the zygote was changed: RLIMIT_AS"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := CacheKey("run", snippetio.Job{Source: tc.name})
			c.Put(key, tc.r)
			got, ok := c.Get(key)
			if ok != tc.keep {
				t.Fatalf("Get after Put: ok = %v, want %v (%+v)", ok, tc.keep, got)
			}
			if ok && string(got.Stdout) != string(tc.r.Stdout) {
				t.Errorf("got %q", got.Stdout)
			}
		})
	}
}
