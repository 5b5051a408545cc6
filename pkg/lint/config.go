package lint

// Config is what a run is told by the user.
type Config struct {
	// Labels are the difficulty labels a question may carry.
	Labels []string
	// Severity overrides a rule's default severity, by code or by name.
	Severity map[string]Severity
	// Minimum is the least number of questions a bank must have per
	// difficulty label ([difficulty.minimum] of qbank.toml).
	Minimum map[string]int
	// Focus, when set, names the files a selective run (--changed-since)
	// is about: a cross-bank rule places a finding that involves one of
	// them on it rather than on an unchanged file.
	Focus map[string]bool
}

// DefaultLabels are the difficulty labels used when none are configured.
var DefaultLabels = []string{"easy", "medium", "hard"}

// DefaultConfig returns the configuration used without a qbank.toml.
func DefaultConfig() *Config {
	return &Config{Labels: append([]string(nil), DefaultLabels...)}
}

// SeverityOf returns the severity the configuration gives a rule.
func (c *Config) SeverityOf(r *Rule) Severity {
	if c != nil {
		if s, ok := c.Severity[r.Code]; ok {
			return s
		}
		if s, ok := c.Severity[r.Name]; ok {
			return s
		}
	}
	return r.Severity
}
