package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/suggest"
)

// NewOptions are the inputs of `qbank new`.
type NewOptions struct {
	IO    *iostreams.IOStreams
	File  string
	ID    string
	Title string
	Topic string
}

// NewCmdNew builds `qbank new FILE`.
func NewCmdNew(f *Factory, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "new FILE",
		Short: "Start a new bank file from a template",
		Long: `Write a new bank: the [bank] table and four example questions (a
conceptual one, a "what does this print?", a "what is the error?" and a
"which snippet prints this?" whose options are code), with every key
explained in comments. The template lints clean, snippets
included, so you can replace the examples one by one and lint as you go.

The bank id defaults to the file name, and a name without an extension
gets ".toml"; an existing file is never replaced.`,
		Example: `  qbank new questions/python-dicts.toml --title "Python dictionaries"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.File = args[0]
			if filepath.Ext(opts.File) == "" {
				opts.File += ".toml" // lint finds banks by their .toml
			}
			if opts.ID == "" {
				opts.ID = suggest.Kebab(strings.TrimSuffix(filepath.Base(opts.File), filepath.Ext(opts.File)))
			}
			if suggest.Kebab(opts.ID) != opts.ID {
				return Usagef("--id %q is not kebab-case (lowercase letters, digits, single hyphens)", opts.ID)
			}
			if opts.Title == "" {
				opts.Title = strings.ToUpper(opts.ID[:1]) + strings.ReplaceAll(opts.ID[1:], "-", " ")
			}
			if runF != nil {
				return runF(opts)
			}
			return newRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.ID, "id", "", "bank id (default: from the file name)")
	cmd.Flags().StringVar(&opts.Title, "title", "", "bank title")
	cmd.Flags().StringVar(&opts.Topic, "topic", "", "bank topic, e.g. Python")
	return cmd
}

func newRun(opts *NewOptions) error {
	schemaLine := "# Editors validate this file when its first line is #:schema followed by\n# the path of qbank's schema/qbank.schema.json."
	if dir, err := filepath.Abs(filepath.Dir(opts.File)); err == nil {
		// Point #:schema at the project's schema when the file sits below it.
		for d := dir; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "schema", "qbank.schema.json")); err == nil {
				if rel, err := filepath.Rel(dir, filepath.Join(d, "schema", "qbank.schema.json")); err == nil {
					schemaLine = "#:schema " + filepath.ToSlash(rel)
				}
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	topic := opts.Topic
	if topic == "" {
		topic = "Python"
	}
	text := fmt.Sprintf(template, schemaLine, opts.ID, tomlQuote(opts.Title), tomlQuote(topic))
	if err := os.MkdirAll(filepath.Dir(opts.File), 0o755); err != nil {
		return Usagef("cannot create %s: %v", filepath.Dir(opts.File), err)
	}
	f, err := os.OpenFile(opts.File, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if os.IsExist(err) {
			return Usagef("%s already exists; qbank new never replaces a file", opts.File)
		}
		return Usagef("cannot create %s: %v", opts.File, err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		os.Remove(opts.File)
		return fmt.Errorf("write %s: %w", opts.File, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", opts.File, err)
	}
	fmt.Fprintf(opts.IO.ErrOut, "qbank: wrote %s (bank %q); check it with: qbank lint %s\n", opts.File, opts.ID, opts.File)
	return nil
}

func tomlQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`)
	return `"` + r.Replace(s) + `"`
}

const template = `%s
# A qbank bank: one lesson's practice questions. Every key is described in
# the README ("The bank format"); qbank explain CODE documents each finding.

[bank]
# The id is lowercase kebab-case and unique across your banks.
id = %q
title = %s
topic = %s
tags = []
summary = """
What the lesson teaches, in a paragraph or two of Markdown.
"""
takeaways = ["The one thing to remember."]

# A conceptual question. The key is a letter, A for the first option;
# difficulty is easy, medium or hard (or the labels of qbank.toml).
[[question]]
id = "example-concept"
difficulty = "easy"
prompt = "Which keyword defines a function in Python?"
options = ["def", "func", "function", "lambda"]
answer = "A"
hint = "It is a three-letter abbreviation."
explanation = ["A function definition starts with def.", "def -> Option A"]
mistakes = ["Choosing lambda, which makes an anonymous function expression"]

# "What does this print?": qbank runs the code in a sandbox and checks that
# the keyed option is what it prints (whitespace and newlines are folded, so
# three printed lines may be written on one).
[[question]]
id = "example-output"
difficulty = "medium"
prompt = "What does this code print?"
options = ["0 1 2", "1 2 3", "0 1 2 3", "Nothing"]
answer = "A"
explanation = ["range(3) yields 0, 1 and 2.", "0 1 2 -> Option A"]

[question.code]
source = '''
for i in range(3):
    print(i)
'''
expect = "output"

# "What is the error?": the code must raise exactly this exception.
[[question]]
id = "example-error"
difficulty = "hard"
prompt = "What happens when this code runs?"
options = ["It prints 3", "TypeError", "ValueError", "SyntaxError"]
answer = "B"
explanation = ["A str and an int cannot be added.", "TypeError -> Option B"]

[question.code]
source = '''
count = 3
print("count: " + count)
'''
expect = "error"
error = "TypeError"

# "Which snippet prints this?": with run = "options" every option is code.
# qbank runs each one and checks that exactly the keyed options print output.
[[question]]
id = "example-code-options"
difficulty = "medium"
prompt = "Which snippet prints [1, 2, 3]?"
options = ["print([1, 2, 3])", "print((1, 2, 3))", "print(list(range(3)))"]
answer = "A"
explanation = ["Only a list literal prints with square brackets and these items.", "print([1, 2, 3]) -> Option A"]

[question.code]
run = "options"
expect = "output"
output = "[1, 2, 3]"
`
