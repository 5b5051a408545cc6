package linter

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/qbank-dev/qbank/pkg/bank"
	"github.com/qbank-dev/qbank/pkg/lint"
)

// Attention is a question a reviewer should look at under --changed-since:
// its key changed while its code did not, or the reverse.
type Attention struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Question string `json:"question"`
	// What changed: "key" (the answer, the keyed options or the expected
	// output/error, with the code unchanged) or "code" (the snippet, with
	// the key unchanged).
	Changed string `json:"changed"`
}

// Message says what changed, for a summary line.
func (a Attention) Message() string {
	if a.Changed == "key" {
		return "the key changed, the code did not"
	}
	return "the code changed, the key did not"
}

// everything says why a change since the ref makes every bank worth
// linting — qbank.toml changed, or a schema that it or a bank names with
// "#:schema" — or "".
func (l *Linter) everything(changed map[string]bool, units []unit) string {
	if p := l.settings.Path; p != "" {
		if changed[absReal(p)] {
			return filepath.Base(p) + " changed"
		}
		if s := schemaRef(p, nil); s != "" && changed[absReal(s)] {
			return s + " changed"
		}
	}
	seen := map[string]bool{}
	for _, u := range units {
		s := schemaRef(u.cand.Path, u.src)
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		if changed[absReal(s)] {
			return s + " changed"
		}
	}
	return ""
}

// schemaRef returns the local schema a TOML file names on a leading
// "#:schema PATH" line, resolved against the file's directory; src nil
// means read it. URLs are not local.
func schemaRef(path string, src []byte) string {
	if src == nil {
		b, err := readHead(path)
		if err != nil {
			return ""
		}
		src = b
	}
	for _, line := range strings.SplitN(string(src), "\n", 8) {
		line = strings.TrimSpace(line)
		ref, ok := strings.CutPrefix(line, "#:schema")
		if !ok {
			continue
		}
		ref = strings.TrimSpace(ref)
		if ref == "" || strings.Contains(ref, "://") {
			return ""
		}
		if !filepath.IsAbs(ref) {
			ref = filepath.Join(filepath.Dir(path), filepath.FromSlash(ref))
		}
		return filepath.ToSlash(filepath.Clean(ref))
	}
	return ""
}

// attention compares a changed bank with its version at the merge base
// (in the work tree whose top directory is top).
func attention(f *lint.File, base, top string) []Attention {
	if f.Bank == nil {
		return nil
	}
	rel, err := filepath.Rel(top, absReal(f.Path))
	if err != nil {
		return nil
	}
	old, err := git("show", base+":"+filepath.ToSlash(rel))
	if err != nil {
		return nil // a new file
	}
	before := lint.NewFile(f.Path, []byte(old))
	if before.Bank == nil {
		return nil
	}
	prev := map[string]*bank.Question{}
	for _, q := range before.Bank.Questions {
		prev[q.ID] = q
	}
	var out []Attention
	for _, q := range f.Bank.Questions {
		p := prev[q.ID]
		if p == nil || q.Code == nil || p.Code == nil {
			continue
		}
		key, code := keyOf(q) != keyOf(p), codeOf(q) != codeOf(p)
		if key == code {
			continue
		}
		a := Attention{File: f.Path, Line: f.Position(q.Node.Start).Line, Question: q.FullID(), Changed: "key"}
		if code {
			a.Changed = "code"
		}
		out = append(out, a)
	}
	return out
}

// keyOf is what a question claims its code does: the keyed letters and
// options, and the expected output and error.
func keyOf(q *bank.Question) string {
	parts := []string{strings.Join(q.Answer, ","), q.Code.Expect, q.Code.Output, q.Code.Error}
	for _, i := range q.KeyIndexes() {
		parts = append(parts, q.Options[i].Text)
	}
	return strings.Join(parts, "\x00")
}

// codeOf is what runs.
func codeOf(q *bank.Question) string {
	c := q.Code
	return strings.Join(append([]string{c.Language, c.Source, c.Before, c.After, c.Stdin, c.Of}, c.Requires...), "\x00")
}

// absReal is a path made absolute with symlinks resolved, to compare with
// git's paths.
func absReal(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// mergeBase returns the merge base of ref and HEAD (ref itself when there
// is none) and the work tree's top directory.
func mergeBase(ref string) (base, top string, err error) {
	top, err = git("rev-parse", "--show-toplevel")
	if err != nil {
		return "", "", fmt.Errorf("not in a git work tree: %w", err)
	}
	top = strings.TrimSpace(top)
	if real, err := filepath.EvalSymlinks(top); err == nil {
		top = real
	}
	if _, err := git("rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}"); err != nil {
		return "", "", fmt.Errorf("unknown git ref %q (in a shallow clone fetch it first, e.g. actions/checkout with fetch-depth: 0)", ref)
	}
	base = ref
	if mb, err := git("merge-base", ref, "HEAD"); err == nil {
		base = strings.TrimSpace(mb)
	}
	return base, top, nil
}

// changedFiles returns the files changed since ref, as absReal paths: the
// changes between the merge base of ref and HEAD and the working tree
// (commits of the branch, staged and unstaged edits), plus untracked files
// that are not ignored; and the merge base and the work tree's top.
func changedFiles(ref string) (changed map[string]bool, base, top string, err error) {
	base, top, err = mergeBase(ref)
	if err != nil {
		return nil, "", "", err
	}
	diff, err := git("diff", "--name-only", "-z", "--no-renames", base, "--")
	if err != nil {
		return nil, "", "", err
	}
	untracked, err := git("ls-files", "-z", "--others", "--exclude-standard", "--full-name")
	if err != nil {
		return nil, "", "", err
	}
	out := map[string]bool{}
	for _, p := range strings.Split(diff+untracked, "\x00") {
		if p != "" {
			out[filepath.Join(top, filepath.FromSlash(p))] = true
		}
	}
	return out, base, top, nil
}

// git runs git in the working directory and returns its standard output.
func git(args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-c", "core.quotepath=off"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), msg)
	}
	return stdout.String(), nil
}

// readHead reads the first bytes of a file, where a #:schema line is.
func readHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, err := io.ReadFull(f, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	return buf[:n], err
}
