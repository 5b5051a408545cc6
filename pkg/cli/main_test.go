package cli

import (
	"os"
	"testing"

	"github.com/qbank-dev/qbank/pkg/sandbox"
)

func TestMain(m *testing.M) {
	sandbox.Init() // the test binary is re-executed as the sandbox helper
	// Snippet results of the tests go to a private cache, never the user's.
	dir, err := os.MkdirTemp("", "qbank-cli-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("QBANK_CACHE_DIR", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
