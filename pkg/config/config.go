// Package config reads qbank.toml, qbank's project configuration: the bank
// paths, the difficulty labels and their per-bank minimum counts, rule
// severities, the fail threshold and the snippet sandbox's limits.
//
// A configuration file is found from the working directory upward (the
// nearest qbank.toml or .qbank.toml wins; there is no merging), or named
// with --config. Precedence is flags > configuration file > defaults: Load
// returns the file's view over the defaults, and commands apply their flags
// on top with the Set* methods, which record where each value came from so
// `qbank config` can say it.
//
// Decoding uses BurntSushi/toml. A key the configuration does not define is
// an error with its line and column and a did-you-mean suggestion, as is a
// rule, severity or label that does not exist. schema/config.schema.json
// describes the same file for editors; a test keeps the two equal.
package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	pathpkg "path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/qbank-dev/qbank/pkg/lint"
	"github.com/qbank-dev/qbank/pkg/suggest"
	"github.com/qbank-dev/qbank/pkg/tomltree"
)

// FileNames are the names discovery looks for, in order, in each directory.
var FileNames = []string{"qbank.toml", ".qbank.toml"}

// Origins of a setting.
const (
	FromDefault = "default"
	FromFlag    = "flag"
)

// Config is the effective configuration of a run.
type Config struct {
	// Path is the configuration file that was read; "" when none was.
	Path string
	// Dir is the directory relative paths of the file are resolved
	// against: the file's directory, or the working directory.
	Dir string

	// Paths are the banks linted when no PATH is given, relative to the
	// working directory (or absolute).
	Paths []string
	// Exclude are glob patterns of files that directories are not searched
	// for: with a slash, relative to Dir; without, a file or directory name
	// at any depth (see load.Options).
	Exclude []string
	// Labels are the allowed difficulty labels.
	Labels []string
	// Minimum is the least number of questions each bank must have per
	// difficulty label; labels not listed have no minimum.
	Minimum map[string]int
	// Severity overrides rule severities; keys are canonical rule codes.
	Severity map[string]lint.Severity
	// FailOn is the weakest severity that makes `qbank lint` exit 1; Off
	// means never.
	FailOn lint.Severity
	// Sandbox configures the snippet runner.
	Sandbox Sandbox

	// rules are the rules [rules] may name.
	rules []*lint.Rule

	// origin says where each setting came from, by dotted key: FromDefault,
	// FromFlag, or "<file>:<line>".
	origin map[string]string
}

// Sandbox holds the snippet runner's settings from [sandbox]. Zero values
// mean "the runner's default".
type Sandbox struct {
	// Python is the interpreter, a name on PATH or a path.
	Python string
	// CPU and Wall limit each snippet's CPU and wall-clock time.
	CPU, Wall time.Duration
	// Memory limits a snippet's address space; Output each output stream.
	Memory, Output Size
	// Require is the weakest acceptable isolation level: "full", "basic",
	// "none", or "" for any.
	Require string
}

// SandboxLevels are the values sandbox.require accepts ("" means any).
var SandboxLevels = []string{"full", "basic", "none"}

// FailOnValues are the values fail-on accepts.
var FailOnValues = []string{"error", "warning", "info", "never"}

// Default returns the configuration used without a file; rs are the rules
// that [rules] and SetSeverity may name.
func Default(rs []*lint.Rule) *Config {
	c := &Config{
		rules:    rs,
		Labels:   slices.Clone(lint.DefaultLabels),
		Minimum:  map[string]int{},
		Severity: map[string]lint.Severity{},
		FailOn:   lint.Error,
		origin:   map[string]string{},
	}
	if wd, err := os.Getwd(); err == nil {
		c.Dir = wd
	}
	return c
}

// Origin says where a setting came from: "default", "flag", or the file
// and line that set it ("qbank.toml:4"). Keys are dotted:
// "paths", "difficulty.labels", "rules.QB301", "sandbox.cpu".
func (c *Config) Origin(key string) string {
	if o, ok := c.origin[key]; ok {
		return o
	}
	return FromDefault
}

// Lint returns the configuration the rule engine needs.
func (c *Config) Lint() *lint.Config {
	return &lint.Config{Labels: slices.Clone(c.Labels), Severity: maps.Clone(c.Severity), Minimum: maps.Clone(c.Minimum)}
}

// SetPaths sets the bank paths from the command line.
func (c *Config) SetPaths(paths []string) {
	c.Paths = slices.Clone(paths)
	c.origin["paths"] = FromFlag
}

// SetFailOn sets the fail threshold from the command line.
func (c *Config) SetFailOn(v string) error {
	s, err := ParseFailOn(v)
	if err != nil {
		return err
	}
	c.FailOn = s
	c.origin["fail-on"] = FromFlag
	return nil
}

// SetSeverity sets one rule's severity from the command line, by code or
// name.
func (c *Config) SetSeverity(rule, severity string) error {
	code, err := c.ruleCode(rule)
	if err != nil {
		return err
	}
	s, err := parseSeverity(severity)
	if err != nil {
		return err
	}
	c.Severity[code] = s
	c.origin["rules."+code] = FromFlag
	return nil
}

// ParseFailOn reads a fail-on value: error, warning, info or never.
func ParseFailOn(v string) (lint.Severity, error) {
	switch strings.ToLower(v) {
	case "never", "none", "off":
		return lint.Off, nil
	case "error", "warning", "info":
		s, _ := lint.ParseSeverity(v)
		return s, nil
	}
	return lint.Off, fmt.Errorf("unknown fail-on value %q (want %s)%s", v, strings.Join(FailOnValues, ", "), didYouMean(v, FailOnValues))
}

// FailOnName is the fail-on value's name.
func FailOnName(s lint.Severity) string {
	if s == lint.Off {
		return "never"
	}
	return s.String()
}

// Error is a problem in a configuration file, placed at a line and column
// when it can be.
type Error struct {
	Path      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Find returns the configuration file nearest to dir: dir itself, then its
// parents up to the root. It returns "" when there is none.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("find configuration: %w", err)
	}
	for {
		for _, name := range FileNames {
			p := filepath.Join(dir, name)
			st, err := os.Stat(p)
			if err == nil && !st.IsDir() {
				return p, nil
			}
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("find configuration: %w", err)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Load returns the effective configuration before flags: the file at
// explicit when it is not "", else the one Find discovers from the working
// directory, else the defaults.
func Load(explicit string, rs []*lint.Rule) (*Config, error) {
	path := explicit
	if path == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("find configuration: %w", err)
		}
		if path, err = Find(wd); err != nil {
			return nil, err
		}
		if path == "" {
			return Default(rs), nil
		}
		// Name it relative to the working directory in messages.
		if rel, err := filepath.Rel(wd, path); err == nil {
			path = rel
		}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read configuration: %w", err)
	}
	return Parse(path, src, rs)
}

// file is qbank.toml as written. Keep it, schema/config.schema.json and
// the reference in the README in step (a test checks the schema).
type file struct {
	Paths      []string `toml:"paths"`
	Exclude    []string `toml:"exclude"`
	FailOn     *string  `toml:"fail-on"`
	Difficulty *struct {
		Labels  []string       `toml:"labels"`
		Minimum map[string]int `toml:"minimum"`
	} `toml:"difficulty"`
	Rules   map[string]string `toml:"rules"`
	Sandbox *struct {
		Python  *string   `toml:"python"`
		CPU     *Duration `toml:"cpu"`
		Wall    *Duration `toml:"wall"`
		Memory  *Size     `toml:"memory"`
		Output  *Size     `toml:"output"`
		Require *string   `toml:"require"`
	} `toml:"sandbox"`
}

// knownKeys are the keys of each table of the file, for suggestions.
var knownKeys = map[string][]string{
	"":           {"paths", "exclude", "fail-on", "difficulty", "rules", "sandbox"},
	"difficulty": {"labels", "minimum"},
	"sandbox":    {"python", "cpu", "wall", "memory", "output", "require"},
}

// Parse reads a configuration file's contents. path names it in errors and
// is the base of its relative paths.
func Parse(path string, src []byte, rs []*lint.Rule) (*Config, error) {
	c := Default(rs)
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("configuration %s: %w", path, err)
	}
	c.Path = path
	c.Dir = filepath.Dir(abs)

	// The positioned tree places errors; BurntSushi decodes.
	doc, perr := tomltree.Parse(src)
	if perr != nil {
		var se *tomltree.SyntaxError
		if errors.As(perr, &se) {
			p := doc.Position(se.Start)
			return nil, &Error{Path: path, Line: p.Line, Col: p.Col, Msg: "invalid TOML: " + se.Msg}
		}
		return nil, &Error{Path: path, Msg: "invalid TOML: " + perr.Error()}
	}
	at := func(key ...string) (int, int) {
		n := doc.Root
		for _, k := range key {
			next := n.Get(k)
			if next == nil {
				break
			}
			n = next
		}
		off := n.Start
		if n.KeyStart >= 0 {
			off = n.KeyStart
		}
		if n == doc.Root {
			return 0, 0
		}
		p := doc.Position(off)
		return p.Line, p.Col
	}
	errAt := func(msg string, key ...string) error {
		l, col := at(key...)
		return &Error{Path: path, Line: l, Col: col, Msg: msg}
	}
	set := func(key ...string) {
		l, _ := at(key...)
		c.origin[strings.Join(key, ".")] = fmt.Sprintf("%s:%d", path, l)
	}

	var f file
	md, err := toml.Decode(string(src), &f)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &Error{Path: path, Line: pe.Position.Line, Col: pe.Position.Col, Msg: pe.Message}
		}
		if m := typeErrRe.FindStringSubmatch(err.Error()); m != nil {
			return nil, errAt(m[1]+": "+strings.Replace(m[2], "destination has type", "want", 1), strings.Split(m[1], ".")...)
		}
		return nil, &Error{Path: path, Msg: err.Error()}
	}
	if und := md.Undecoded(); len(und) > 0 {
		k := und[0]
		parent := strings.Join(k[:len(k)-1], ".")
		name := k[len(k)-1]
		msg := fmt.Sprintf("unknown key %q", k.String())
		if known, ok := knownKeys[parent]; ok {
			msg += didYouMean(name, known)
			if !strings.Contains(msg, "did you mean") {
				where := "top level"
				if parent != "" {
					where = "[" + parent + "]"
				}
				msg += fmt.Sprintf(" (known keys at %s: %s)", where, strings.Join(known, ", "))
			}
		}
		return nil, errAt(msg, k...)
	}

	if f.Paths != nil {
		c.Paths = nil
		for _, p := range f.Paths {
			if p == "" {
				return nil, errAt("paths: an empty path", "paths")
			}
			c.Paths = append(c.Paths, relToWD(c.Dir, p))
		}
		set("paths")
	}
	if f.Exclude != nil {
		for _, p := range f.Exclude {
			if _, err := pathpkg.Match(p, ""); err != nil || p == "" {
				return nil, errAt(fmt.Sprintf("exclude: %q is not a glob pattern", p), "exclude")
			}
		}
		c.Exclude = f.Exclude
		set("exclude")
	}
	if f.FailOn != nil {
		s, err := ParseFailOn(*f.FailOn)
		if err != nil {
			return nil, errAt(err.Error(), "fail-on")
		}
		c.FailOn = s
		set("fail-on")
	}
	if d := f.Difficulty; d != nil {
		if d.Labels != nil {
			if len(d.Labels) == 0 {
				return nil, errAt("difficulty.labels: at least one label is needed", "difficulty", "labels")
			}
			seen := map[string]bool{}
			for _, l := range d.Labels {
				if strings.TrimSpace(l) == "" {
					return nil, errAt("difficulty.labels: an empty label", "difficulty", "labels")
				}
				if seen[l] {
					return nil, errAt(fmt.Sprintf("difficulty.labels: %q is listed twice", l), "difficulty", "labels")
				}
				seen[l] = true
			}
			c.Labels = slices.Clone(d.Labels)
			set("difficulty", "labels")
		}
		for _, l := range slices.Sorted(maps.Keys(d.Minimum)) {
			n := d.Minimum[l]
			if !slices.Contains(c.Labels, l) {
				return nil, errAt(fmt.Sprintf("difficulty.minimum: %q is not a difficulty label (labels: %s)%s",
					l, strings.Join(c.Labels, ", "), didYouMean(l, c.Labels)), "difficulty", "minimum", l)
			}
			if n < 0 {
				return nil, errAt(fmt.Sprintf("difficulty.minimum.%s: %d is negative", l, n), "difficulty", "minimum", l)
			}
			c.Minimum[l] = n
			set("difficulty", "minimum", l)
		}
	}
	// Rules in file order, so the first bad one is reported.
	for _, k := range md.Keys() {
		if len(k) != 2 || k[0] != "rules" {
			continue
		}
		code, err := c.ruleCode(k[1])
		if err != nil {
			return nil, errAt(err.Error(), k...)
		}
		s, err := parseSeverity(f.Rules[k[1]])
		if err != nil {
			return nil, errAt(fmt.Sprintf("rules.%s: %s", k[1], err), k...)
		}
		if prev, dup := c.Severity[code]; dup && prev != s {
			return nil, errAt(fmt.Sprintf("rules.%s: %s is already set to %q", k[1], code, prev), k...)
		}
		c.Severity[code] = s
		set(k...)
		c.origin["rules."+code] = c.origin[k.String()]
	}
	if sb := f.Sandbox; sb != nil {
		if sb.Python != nil {
			if *sb.Python == "" {
				return nil, errAt("sandbox.python: an empty interpreter", "sandbox", "python")
			}
			c.Sandbox.Python = *sb.Python
			set("sandbox", "python")
		}
		for _, d := range []struct {
			key string
			v   *Duration
			dst *time.Duration
		}{{"cpu", sb.CPU, &c.Sandbox.CPU}, {"wall", sb.Wall, &c.Sandbox.Wall}} {
			if d.v == nil {
				continue
			}
			if *d.v <= 0 {
				return nil, errAt(fmt.Sprintf("sandbox.%s: must be positive", d.key), "sandbox", d.key)
			}
			*d.dst = time.Duration(*d.v)
			set("sandbox", d.key)
		}
		for _, s := range []struct {
			key string
			v   *Size
			dst *Size
		}{{"memory", sb.Memory, &c.Sandbox.Memory}, {"output", sb.Output, &c.Sandbox.Output}} {
			if s.v == nil {
				continue
			}
			if *s.v <= 0 {
				return nil, errAt(fmt.Sprintf("sandbox.%s: must be positive", s.key), "sandbox", s.key)
			}
			*s.dst = *s.v
			set("sandbox", s.key)
		}
		if sb.Require != nil {
			if *sb.Require != "" && !slices.Contains(SandboxLevels, *sb.Require) {
				return nil, errAt(fmt.Sprintf("sandbox.require: unknown level %q (want %s)%s",
					*sb.Require, strings.Join(SandboxLevels, ", "), didYouMean(*sb.Require, SandboxLevels)), "sandbox", "require")
			}
			c.Sandbox.Require = *sb.Require
			set("sandbox", "require")
		}
	}
	return c, nil
}

// typeErrRe matches BurntSushi/toml's type errors, which carry the key but
// not the column.
var typeErrRe = regexp.MustCompile(`^toml: (?:line \d+ )?\(last key "(.*)"\): (.*)$`)

// relToWD resolves a path of the file against its directory and returns
// it relative to the working directory when that is shorter to read.
func relToWD(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	abs := filepath.Join(dir, filepath.FromSlash(p))
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, abs); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return abs
}

// ruleCode returns the code of a rule named by code or name.
func (c *Config) ruleCode(codeOrName string) (string, error) {
	for _, r := range c.rules {
		if strings.EqualFold(r.Code, codeOrName) || strings.EqualFold(r.Name, codeOrName) {
			return r.Code, nil
		}
	}
	return "", fmt.Errorf("unknown rule %q%s", codeOrName, didYouMean(codeOrName, RuleWords(c.rules)))
}

// RuleWords are every rule's code and name, for suggestions.
func RuleWords(rs []*lint.Rule) []string {
	var ws []string
	for _, r := range rs {
		ws = append(ws, r.Code, r.Name)
	}
	return ws
}

var severityWords = []string{"error", "warning", "info", "off"}

func parseSeverity(v string) (lint.Severity, error) {
	s, err := lint.ParseSeverity(v)
	if err != nil {
		return s, fmt.Errorf("unknown severity %q (want error, warning, info or off)%s", v, didYouMean(v, severityWords))
	}
	return s, nil
}

// didYouMean returns `; did you mean "x"?` or "".
func didYouMean(word string, candidates []string) string {
	if g := suggest.Closest(word, candidates); g != "" {
		return fmt.Sprintf("; did you mean %q?", g)
	}
	return ""
}
