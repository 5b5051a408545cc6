package snippet

import (
	"testing"

	"github.com/qbank-dev/qbank/pkg/sandbox"
)

// TestCacheKeepsOnlyTrustworthyResults: a result stopped by the wall clock
// or one that tampered with the sandbox is never returned from the cache,
// even when an entry for it exists (written by an older qbank, or by hand).
func TestCacheKeepsOnlyTrustworthyResults(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	for _, tc := range []struct {
		name string
		r    sandbox.Result
		keep bool
	}{
		{"ran", sandbox.Result{Stdout: []byte("1\n")}, true},
		{"cpu", sandbox.Result{Killed: "cpu"}, true},
		{"wall", sandbox.Result{Killed: "wall"}, false},
		{"tampered", sandbox.Result{Stdout: []byte("B\n"), Tampered: "the zygote was changed: RLIMIT_AS"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key := CacheKey("run", sandbox.Job{Source: tc.name})
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
