package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/config"
	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/rules"
	"github.com/qbank-dev/qbank/pkg/suggest"
)

// ExplainOptions are the inputs of `qbank explain`.
type ExplainOptions struct {
	IO   *iostreams.IOStreams
	Rule string
}

// NewCmdExplain builds `qbank explain`.
func NewCmdExplain(f *Factory, runF func(*ExplainOptions) error) *cobra.Command {
	opts := &ExplainOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "explain CODE|NAME",
		Short: "Explain a lint rule",
		Long: `Print a rule's documentation: what it checks, why it matters, a TOML
example that fails it and one that passes, and how to configure or
suppress it. The rule is named by code (QB301) or name (answer-letter),
in any case.`,
		Example: `  qbank explain QB301
  qbank explain duplicate-option`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return Usagef("explain takes one rule code or name, e.g. 'qbank explain QB301' ('qbank rules' lists them)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Rule = args[0]
			if runF != nil {
				return runF(opts)
			}
			return explainRun(opts)
		},
	}
	return cmd
}

func explainRun(opts *ExplainOptions) error {
	r := rules.Lookup(strings.TrimSpace(opts.Rule))
	if r == nil {
		msg := fmt.Sprintf("unknown rule %q", opts.Rule)
		if g := suggest.Closest(opts.Rule, config.RuleWords(rules.All())); g != "" {
			msg += fmt.Sprintf("; did you mean %q?", g)
		}
		return Usagef("%s ('qbank rules' lists every rule)", msg)
	}
	return WriteExplain(opts.IO.Out, r)
}

// WriteExplain prints a rule's full documentation.
func WriteExplain(w io.Writer, r *lint.Rule) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s %s\n", r.Code, r.Name)
	fmt.Fprintf(bw, "%s\n\n", strings.Repeat("=", len(r.Code)+1+len(r.Name)))
	fmt.Fprintf(bw, "%s.\n\n", upperFirst(r.Summary))
	fmt.Fprintf(bw, "Default severity: %s\n", r.Severity)
	fmt.Fprintf(bw, "Checks:           %s\n\n", scopeText[r.Scope])
	fmt.Fprintf(bw, "%s\n", strings.TrimSpace(r.Doc))
	if r.Bad != "" {
		fmt.Fprintf(bw, "\nFails:\n\n%s\n", indentLines(r.Bad))
	}
	if r.Good != "" {
		fmt.Fprintf(bw, "\nPasses:\n\n%s\n", indentLines(r.Good))
	}
	fmt.Fprintf(bw, "\nConfigure in qbank.toml:\n\n    [rules]\n    %s = \"warning\"   # or error, info, off; the name %s works too\n", r.Code, r.Name)
	fmt.Fprintf(bw, "\nSuppress one finding (on its line, or alone on the line above):\n\n    # qbank:ignore %s -- why this is fine\n", r.Code)
	return bw.Flush()
}

var scopeText = map[lint.Scope]string{
	lint.ScopeBank: "each bank that parses",
	lint.ScopeFile: "each file, parsed or not",
	lint.ScopeRun:  "all banks of a run together",
}

func indentLines(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "    " + l
		}
	}
	return strings.Join(lines, "\n")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
