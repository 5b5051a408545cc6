package linter_test

import (
	"context"
	"fmt"

	"github.com/qbank-dev/qbank/pkg/linter"
)

// An editor lints the buffer it holds, without running snippets, through
// a Linter it keeps open between keystrokes.
func Example() {
	l, err := linter.Open(linter.Options{NoRun: true})
	if err != nil {
		panic(err)
	}
	defer l.Close()
	buffer := []byte(`[bank]
id = "loops"
title = "Loops"

[[question]]
id = "range"
difficulty = "easy"
prompt = "What does range(3) count?"
options = ["0 1 2", "1 2 3"]
answer = "C"
`)
	res, err := l.Lint(context.Background(), []linter.Input{linter.Source("loops.toml", buffer)})
	if err != nil {
		panic(err)
	}
	for _, d := range res.Diagnostics {
		fmt.Printf("%s:%d:%d: %s %s\n", d.File, d.Line, d.Column, d.Code, d.Message)
	}
	fmt.Println(res.Counts.Banks, "bank,", res.Counts.Questions, "question")
	// Output:
	// loops.toml:10:10: QB301 answer "C" names no option: the options are A to B
	// 1 bank, 1 question
}
