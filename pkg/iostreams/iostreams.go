// Package iostreams carries a command's standard streams and decides,
// per stream, whether output goes to a terminal and may be coloured.
//
// Colour policy, strongest first: --color=always|never; NO_COLOR (any
// non-empty value) turns colour off; FORCE_COLOR or CLICOLOR_FORCE (non-empty,
// not "0") turns it on; otherwise colour is on only when the stream is a
// terminal (and TERM is not "dumb").
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// IOStreams are a command's input and outputs.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY, errTTY bool
	// ColorMode is "auto", "always" or "never".
	ColorMode string
	// Getenv reads the environment; tests replace it.
	Getenv func(string) string
}

// System returns the process's streams.
func System() *IOStreams {
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		outTTY:    isTerminal(os.Stdout),
		errTTY:    isTerminal(os.Stderr),
		ColorMode: "auto",
		Getenv:    os.Getenv,
	}
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Test returns streams backed by buffers, none of them a terminal, with an
// empty environment.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, ColorMode: "auto",
		Getenv: func(string) string { return "" }}, in, out, errOut
}

// SetStdoutTTY pretends standard output is (or is not) a terminal.
func (s *IOStreams) SetStdoutTTY(v bool) { s.outTTY = v }

// SetStderrTTY pretends standard error is (or is not) a terminal.
func (s *IOStreams) SetStderrTTY(v bool) { s.errTTY = v }

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.outTTY }

// IsStderrTTY reports whether standard error is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.errTTY }

func (s *IOStreams) getenv(k string) string {
	if s.Getenv == nil {
		return ""
	}
	return s.Getenv(k)
}

func (s *IOStreams) color(tty bool) bool {
	switch s.ColorMode {
	case "always":
		return true
	case "never":
		return false
	}
	if s.getenv("NO_COLOR") != "" {
		return false
	}
	for _, k := range []string{"FORCE_COLOR", "CLICOLOR_FORCE"} {
		if v := s.getenv(k); v != "" && v != "0" {
			return true
		}
	}
	return tty && s.getenv("TERM") != "dumb"
}

// ColorOut reports whether standard output may be coloured.
func (s *IOStreams) ColorOut() bool { return s.color(s.outTTY) }

// ColorErr reports whether standard error may be coloured.
func (s *IOStreams) ColorErr() bool { return s.color(s.errTTY) }
