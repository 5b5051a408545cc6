// Command qbank lints, proves and exports quiz question banks.
package main

import (
	"os"

	"github.com/qbank-dev/qbank/pkg/cli"
	"github.com/qbank-dev/qbank/pkg/sandbox"
)

func main() {
	// When this process is the sandbox helper (qbank re-executes itself to
	// build the sandbox), Init never returns.
	sandbox.Init()
	os.Exit(cli.Main())
}
