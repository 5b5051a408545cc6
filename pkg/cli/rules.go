package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/qbank-dev/qbank/pkg/iostreams"
	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/rules"
)

// RulesOptions are the inputs of `qbank rules`.
type RulesOptions struct {
	IO     *iostreams.IOStreams
	Format string
}

// NewCmdRules builds `qbank rules`.
func NewCmdRules(f *Factory, runF func(*RulesOptions) error) *cobra.Command {
	opts := &RulesOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every lint rule",
		Long: `List every rule qbank checks: its stable code, its name, its default
severity and a one-line summary. Codes and names are both accepted in
qbank.toml, --severity, qbank:ignore comments and 'qbank explain'.`,
		Example: `  qbank rules
  qbank rules --format json | jq -r '.[].code'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Format != "text" && opts.Format != "json" {
				return Usagef("--format must be text or json, not %q", opts.Format)
			}
			if runF != nil {
				return runF(opts)
			}
			return rulesRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "text", "output format: text or json")
	return cmd
}

// RuleInfo is a rule as `qbank rules --format json` describes it.
type RuleInfo struct {
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	Severity lint.Severity `json:"severity"`
	Scope    string        `json:"scope"`
	Summary  string        `json:"summary"`
	Doc      string        `json:"doc"`
	Bad      string        `json:"bad,omitempty"`
	Good     string        `json:"good,omitempty"`
}

var scopeNames = map[lint.Scope]string{lint.ScopeBank: "bank", lint.ScopeFile: "file", lint.ScopeRun: "run"}

// RuleInfoOf describes a rule.
func RuleInfoOf(r *lint.Rule) RuleInfo {
	return RuleInfo{Code: r.Code, Name: r.Name, Severity: r.Severity, Scope: scopeNames[r.Scope],
		Summary: r.Summary, Doc: r.Doc, Bad: r.Bad, Good: r.Good}
}

func rulesRun(opts *RulesOptions) error {
	all := rules.All()
	if opts.Format == "json" {
		infos := make([]RuleInfo, 0, len(all))
		for _, r := range all {
			infos = append(infos, RuleInfoOf(r))
		}
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(infos)
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME\tSEVERITY\tSUMMARY")
	for _, r := range all {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Code, r.Name, r.Severity, r.Summary)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(opts.IO.Out, "\nSEVERITY is the default; set another in qbank.toml ([rules] QB306 = \"warning\"). 'qbank explain CODE' shows a rule's doc.")
	return nil
}
