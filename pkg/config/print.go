package config

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/qbank-dev/qbank/pkg/safetext"
)

// WriteTOML prints the effective configuration as a qbank.toml that would
// reproduce it, each setting followed by a comment saying where it came
// from: "default", "flag", or the file and line.
func (c *Config) WriteTOML(w io.Writer) error {
	bw := bufio.NewWriter(w)
	line := func(setting, origin string) {
		fmt.Fprintf(bw, "%-44s # %s\n", setting, safetext.Line(origin))
	}
	fmt.Fprintln(bw, "# Effective qbank configuration (flags > configuration file > defaults).")
	if c.Path != "" {
		fmt.Fprintf(bw, "# Configuration file: %s\n", safetext.Line(c.Path))
	} else {
		fmt.Fprintf(bw, "# Configuration file: none found (looked for %s from the working directory upward)\n", strings.Join(FileNames, " or "))
	}
	fmt.Fprintln(bw)

	if c.Paths != nil {
		line("paths = "+tomlStrings(c.Paths), c.Origin("paths"))
	} else {
		fmt.Fprintln(bw, "# paths: not set; `qbank lint` without PATH lints ./questions  # default")
	}
	if c.Exclude != nil {
		line("exclude = "+tomlStrings(c.Exclude), c.Origin("exclude"))
	}
	line("fail-on = "+tomlString(FailOnName(c.FailOn)), c.Origin("fail-on"))

	fmt.Fprintln(bw, "\n[difficulty]")
	line("labels = "+tomlStrings(c.Labels), c.Origin("difficulty.labels"))
	if len(c.Minimum) > 0 {
		fmt.Fprintln(bw, "\n[difficulty.minimum]")
		for _, l := range slices.Sorted(maps.Keys(c.Minimum)) {
			line(tomlKey(l)+" = "+fmt.Sprint(c.Minimum[l]), c.Origin("difficulty.minimum."+l))
		}
	} else {
		fmt.Fprintln(bw, "# minimum: not set; no label needs a number of questions  # default")
	}

	fmt.Fprintln(bw, "\n[rules]")
	fmt.Fprintln(bw, "# every rule with its effective severity")
	for _, r := range c.rules {
		s := r.Severity
		if v, ok := c.Severity[r.Code]; ok {
			s = v
		}
		line(fmt.Sprintf("%s = %s", r.Code, tomlString(s.String())), r.Name+"; "+c.Origin("rules."+r.Code))
	}

	fmt.Fprintln(bw, "\n[sandbox]")
	sb := c.Sandbox
	opt := func(key, val string, set bool) {
		if set {
			line(key+" = "+val, c.Origin("sandbox."+key))
		} else {
			fmt.Fprintf(bw, "# %s: not set; the snippet runner's default  # default\n", key)
		}
	}
	opt("python", tomlString(sb.Python), sb.Python != "")
	opt("cpu", tomlString(duration(sb.CPU)), sb.CPU != 0)
	opt("wall", tomlString(duration(sb.Wall)), sb.Wall != 0)
	opt("memory", tomlString(sb.Memory.String()), sb.Memory != 0)
	opt("output", tomlString(sb.Output.String()), sb.Output != 0)
	opt("require", tomlString(sb.Require), sb.Require != "")
	return bw.Flush()
}

func duration(d time.Duration) string { return d.String() }

func tomlStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = tomlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// tomlKey writes a bare key when it can, else a quoted one.
func tomlKey(k string) string {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return tomlString(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

// tomlString writes a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || safetext.Unsafe(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
