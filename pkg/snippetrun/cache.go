package snippetrun

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/qbank-dev/qbank/pkg/snippetio"
)

// Cache keeps snippet results on disk, keyed by a hash of everything the
// result depends on: the job (source, hidden code, stdin, expectation,
// seed), the interpreter and its version, the limits, qbank's release
// version and the sandbox's version (sandbox.Version: its zygote and
// behaviour).
// A second lint of an unchanged bank runs no snippet. Failures to read or
// write the cache are silent: it is only ever a shortcut.
type Cache struct {
	Dir string
}

// DefaultCacheDir is $QBANK_CACHE_DIR, else qbank/ in the user cache
// directory (~/.cache/qbank on Linux).
func DefaultCacheDir() (string, error) {
	if d := os.Getenv("QBANK_CACHE_DIR"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "qbank"), nil
}

// CacheKey hashes a run's identity and a job.
func CacheKey(runKey string, job snippetio.Job) string {
	h := sha256.New()
	b, _ := json.Marshal(struct {
		Run string
		Job snippetio.Job
	}{runKey, job})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Cache) path(key string) string {
	return filepath.Join(c.Dir, "snippets", key[:2], key+".json")
}

// Get returns a cached result. An entry that may not be reused (see
// Cacheable: written by hand, or by an older qbank) is ignored.
func (c *Cache) Get(key string) (snippetio.Result, bool) {
	var r snippetio.Result
	b, err := os.ReadFile(c.path(key))
	if err != nil || json.Unmarshal(b, &r) != nil || !Cacheable(r) {
		return snippetio.Result{}, false
	}
	return r, true
}

// Put stores a result, atomically (temporary file, then rename).
func (c *Cache) Put(key string, r snippetio.Result) {
	b, err := json.Marshal(r)
	if err != nil {
		return
	}
	p := c.path(key)
	if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}

// Clean removes every cached result.
func (c *Cache) Clean() error {
	err := os.RemoveAll(filepath.Join(c.Dir, "snippets"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
