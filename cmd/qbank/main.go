// Command qbank lints, proves and exports quiz question banks.
package main

import (
	"os"

	"github.com/qbank-dev/qbank/pkg/cli"
)

func main() {
	os.Exit(cli.Main())
}
