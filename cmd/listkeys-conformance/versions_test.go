package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

func TestVersionsCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"versions"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit code %d: %s", code, &stderr)
	}
	want := "2023-11-13-preview\n2025-01-01-preview\n2025-08-11-preview\n2025-11-01-preview\n2025-12-15-preview (default)\n2026-06-15-preview\n"
	if stdout.String() != want {
		t.Errorf("versions printed\n%s\nwant\n%s", &stdout, want)
	}
	stdout.Reset()
	if code := run([]string{"versions", "--format", "json"}, nil, &stdout, &stderr); code != exitOK ||
		stdout.String() != `["2023-11-13-preview","2025-01-01-preview","2025-08-11-preview","2025-11-01-preview","2025-12-15-preview","2026-06-15-preview"]`+"\n" {
		t.Errorf("versions --format json: %d %s", code, &stdout)
	}
	if code := run([]string{"versions", "extra"}, nil, &stdout, &stderr); code != exitUsage {
		t.Errorf("an argument: exit %d, want %d", code, exitUsage)
	}
}

func TestContractDiffCommand(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string
		wantStderr string
	}{
		{"the secret marks only", []string{"2025-11-01-preview", "2025-12-15-preview"}, exitOK,
			[]string{"ApiKey.schema.json#/properties/key/x-ms-secret: secret mark added (absent -> true)",
				"6 changes, 0 a client can observe"}, ""},
		{"nothing", []string{"2023-11-13-preview", "2026-06-15-preview"}, exitOK, []string{"0 changes"}, ""},
		{"an unknown api-version", []string{"2023-11-13-preview", "2022-04-05-preview"}, exitUsage, nil,
			`api-version "2022-04-05-preview" has no generated schemas (embedded: 2023-11-13-preview`},
		{"one api-version", []string{"2023-11-13-preview"}, exitUsage, nil, "give two api-versions"},
		{"a bad format", []string{"--format", "xml", "2023-11-13-preview", "2026-06-15-preview"}, exitUsage, nil, "--format must be text or json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"contract", "diff"}, tt.args...), nil, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, &stdout, &stderr)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout %q does not contain %q", &stdout, want)
				}
			}
			if !strings.Contains(stderr.String(), tt.wantStderr) {
				t.Errorf("stderr %q does not contain %q", &stderr, tt.wantStderr)
			}
		})
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"contract", "diff", "--format", "json", "2025-11-01-preview", "2025-12-15-preview"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("json: exit %d: %s", code, &stderr)
	}
	var doc struct {
		Observable int `json:"observable"`
		Changes    []struct {
			Observable bool `json:"observable"`
		} `json:"changes"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil || len(doc.Changes) != 6 || doc.Observable != 0 {
		t.Errorf("json output %s (%v)", &stdout, err)
	}
	if code := run([]string{"contract", "merge"}, nil, &stdout, &stderr); code != exitUsage {
		t.Errorf("contract merge: exit %d, want %d", code, exitUsage)
	}
}

func TestVersionsMatrix(t *testing.T) {
	dir := t.TempDir()
	write := func(v string, states ...report.State) {
		r := report.Report{Tool: report.Tool{Name: "listkeys-conformance", Version: "test"}, Source: "suites", Mode: "replay",
			Contract: report.Contract{APIVersion: v}, Configuration: []report.Setting{}, Registry: []report.Check{}}
		sc := report.Scenario{Name: "ok", Group: "response"}
		for _, st := range states {
			sc.Results = append(sc.Results, report.Result{Statement: "a spec", Checks: []string{}, Level: report.NoLevel, State: st})
		}
		r.Scenarios = []report.Scenario{sc}
		r.Finish()
		data, err := r.JSON()
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Join(dir, v), 0o755)
		os.WriteFile(filepath.Join(dir, v, "report.json"), data, 0o644)
	}
	versions := schemas.APIVersions()
	for _, v := range versions {
		write(v, report.Pass, report.Pass, report.Skip)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"versions", "--matrix", dir}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("all passing: exit %d\n%s", code, &stdout)
	}
	if !strings.Contains(stdout.String(), "PASS: 2 passed, 0 failed, 1 skipped") || !strings.Contains(stdout.String(), "| response | ok 2 |") {
		t.Errorf("summary and matrix:\n%s", &stdout)
	}
	write(versions[0], report.Pass, report.Fail)
	os.Remove(filepath.Join(dir, versions[1], "report.json"))
	stdout.Reset()
	if code := run([]string{"versions", "--matrix", dir}, nil, &stdout, &stderr); code != exitViolations {
		t.Errorf("a failure and a missing report: exit %d, want %d", code, exitViolations)
	}
	out := stdout.String()
	if !strings.Contains(out, versions[0]+"   FAIL: 1 passed, 1 failed") || !strings.Contains(out, "FAIL 1/2") || !strings.Contains(out, versions[1]+"   no usable report") {
		t.Errorf("matrix with a failure:\n%s", out)
	}
}
