package cli

import (
	"os"
	"testing"

	"github.com/qbank-dev/qbank/pkg/sandbox"
)

func TestMain(m *testing.M) {
	sandbox.Init() // the test binary is re-executed as the sandbox helper
	os.Exit(m.Run())
}
