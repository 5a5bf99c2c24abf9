package scenarios

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// The committed cassettes redact the ApiKey inside each connection string. That must hide the key and
// nothing else: a replay of a copy of the ok cassette whose connection string names another workspace gets
// the verdict the response suite fails on ("returns connection strings that name the requested workspace").
func TestReplayChecksConnectionStringsBehindRedaction(t *testing.T) {
	src := filepath.Join(fromModuleRoot(filepath.Join("cassettes", schemas.DefaultAPIVersion)), OK.Name+".yaml")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	const workspace = "WorkspaceName=quantumworkspace1;ApiKey=<redacted:listkeys-conformance>;"
	if strings.Count(string(data), workspace) != 2 {
		t.Fatalf("%s no longer holds two connection strings with a redacted ApiKey; this test edits them", src)
	}
	replay := func(t *testing.T, cassette string) *Result {
		t.Helper()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, OK.Name+".yaml"), []byte(cassette), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := FromEnvironment(func(k string) string { return map[string]string{arm.EnvCassettes: dir}[k] })
		if err != nil {
			t.Fatal(err)
		}
		res, err := r.Run(context.Background(), OK)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	t.Run("as committed", func(t *testing.T) {
		res := replay(t, string(data))
		if !res.Report.Conformant(false) || !strings.Contains(strings.Join(res.Report.Notes, "\n"), "ApiKey in /primaryConnectionString is a placeholder") {
			t.Errorf("the committed cassette must conform with its ApiKey noted as not checked: %+v %q", res.Report.Violations, res.Report.Notes)
		}
	})
	t.Run("another WorkspaceName", func(t *testing.T) {
		edited := strings.Replace(string(data), workspace, "WorkspaceName=otherworkspace;ApiKey=<redacted:listkeys-conformance>;", 1)
		res := replay(t, edited)
		if !res.Report.HasCheck("connection-string.workspace", "/primaryConnectionString") || res.Report.Conformant(false) {
			t.Errorf("a wrong WorkspaceName behind the redacted ApiKey must fail: %+v", res.Report.Violations)
		}
	})
	t.Run("no trailing semicolon", func(t *testing.T) {
		edited := strings.Replace(string(data), `.quantum.azure.com/;"`, `.quantum.azure.com/"`, 1)
		if edited == string(data) {
			t.Fatal("the edit changed nothing: the cassette's connection strings look different now")
		}
		if res := replay(t, edited); !res.Report.HasCheck("connection-string.format", "/primaryConnectionString") {
			t.Errorf("a format error behind the redacted ApiKey must fail: %+v", res.Report.Violations)
		}
	})
	t.Run("a sanitizer-broken body", func(t *testing.T) {
		edited := strings.Replace(string(data), `{"apiKeyEnabled":true,`, `{"apiKeyEnabled":REDACTED,`, 1)
		res := replay(t, edited)
		want := "the body is not JSON: an unquoted placeholder REDACTED at byte 17; the recorder's sanitizer broke the JSON"
		if res.NotJudged != want || len(res.Report.Violations) != 0 {
			t.Errorf("not judged %q, violations %+v; want %q, the words validate and serve use", res.NotJudged, res.Report.Violations, want)
		}
	})
}

// The same, end to end: the response suite itself, replaying the edited copy, fails on the connection string.
func TestResponseSuiteFailsOnAnEditedCassette(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on suites/response (seconds): not with -short")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	data, err := os.ReadFile(filepath.Join(fromModuleRoot(filepath.Join("cassettes", schemas.DefaultAPIVersion)), OK.Name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	edited := strings.Replace(string(data), "WorkspaceName=quantumworkspace1;ApiKey=", "WorkspaceName=otherworkspace;ApiKey=", 1)
	if err := os.WriteFile(filepath.Join(dir, OK.Name+".yaml"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool, "test", "-count=1", "./suites/response", "-ginkgo.no-color")
	cmd.Dir = fromModuleRoot(".")
	// The suite's own configuration only: none of the caller's workspace, endpoint or mode.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LISTKEYS_") && !strings.HasPrefix(kv, "AZURE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, arm.EnvCassettes+"="+dir, arm.EnvMode+"=replay")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), `MUST connection-string.workspace at "/primaryConnectionString": WorkspaceName in primaryConnectionString is "otherworkspace"`) {
		t.Errorf("the response suite must fail on the edited cassette (err %v):\n%s", err, out)
	}
}
