// Command qbank lints, proves and exports quiz question banks.
package main

import (
	"os"
	"runtime/debug"

	"github.com/qbank-dev/qbank/pkg/cli"
	"github.com/qbank-dev/qbank/pkg/sandbox"
)

func main() {
	// When this process is the sandbox helper (qbank re-executes itself to
	// build the sandbox), Init never returns.
	sandbox.Init()
	// A lint streams parse trees that die young beside a small, growing set
	// of kept results; collecting at 50% growth instead of 100% keeps the
	// peak near the live set (100,000 questions: 176 MB instead of
	// 200–218 MB, in the same time; BENCHMARKS.md). GOGC still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	os.Exit(cli.Main())
}
