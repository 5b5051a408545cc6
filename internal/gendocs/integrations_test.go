package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qbank-dev/qbank/internal/testtool"
)

// yamlJSON converts a YAML file of the repository to JSON with js-yaml
// (installed by .ci/run with the other npm tools).
func yamlJSON(t *testing.T, name string, v any) string {
	t.Helper()
	jsYAML := testtool.Require(t, "js-yaml")
	out, err := exec.Command(jsYAML, filepath.Join(testtool.RepoRoot(t), name)).Output()
	if err != nil {
		t.Fatalf("%s is not valid YAML: %v", name, err)
	}
	if err := json.Unmarshal(out, v); err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestIntegrations checks the ready-made integrations at the repository
// root: the pre-commit hook and the composite GitHub Action.
func TestIntegrations(t *testing.T) {
	var hooks []struct {
		ID, Entry, Language string
		Types               []string
	}
	yamlJSON(t, ".pre-commit-hooks.yaml", &hooks)
	want := map[string]string{"qbank-lint": "qbank lint", "qbank-fmt": "qbank fmt"}
	for _, h := range hooks {
		if want[h.ID] != h.Entry || h.Language != "golang" || len(h.Types) != 1 || h.Types[0] != "toml" {
			t.Errorf(".pre-commit-hooks.yaml: unexpected hook %+v", h)
		}
		delete(want, h.ID)
	}
	if len(want) > 0 {
		t.Errorf(".pre-commit-hooks.yaml lacks %v", want)
	}

	var action struct {
		Name string
		Runs struct {
			Using string
			Steps []struct {
				Uses, Run string
			}
		}
	}
	raw := yamlJSON(t, "action.yml", &action)
	if action.Runs.Using != "composite" {
		t.Errorf("action.yml runs.using = %q", action.Runs.Using)
	}
	var install, lint, upload bool
	for _, s := range action.Runs.Steps {
		install = install || strings.Contains(s.Run, "go install ./cmd/qbank")
		lint = lint || strings.Contains(s.Run, "--output \"sarif=")
		upload = upload || strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@")
	}
	if !install || !lint || !upload {
		t.Errorf("action.yml: install %v, lint with SARIF %v, upload %v\n%s", install, lint, upload, raw)
	}
}
