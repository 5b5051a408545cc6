package main

import (
	"flag"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/qbank-dev/qbank/pkg/cli"
	"github.com/qbank-dev/qbank/pkg/sandbox"
)

var update = flag.Bool("update", false, "rewrite cmp files in the scripts")

func TestMain(m *testing.M) {
	sandbox.Init() // the test binary is re-executed as the sandbox helper
	testscript.Main(m, map[string]func(){
		"qbank": func() { os.Exit(cli.Main()) },
	})
}

// TestScript runs the end-to-end stories in testdata/script: the real
// binary's exit codes, output formats, colour and multi-file runs.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		UpdateScripts:       *update,
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			// A clean environment: no colour forcing from the caller.
			env.Setenv("NO_COLOR", "")
			env.Setenv("FORCE_COLOR", "")
			env.Setenv("CLICOLOR_FORCE", "")
			env.Setenv("GITHUB_ACTIONS", "")
			// Snippet results are cached per script, never in the user's cache.
			env.Setenv("QBANK_CACHE_DIR", env.WorkDir+"/.cache/qbank")
			return nil
		},
	})
}
