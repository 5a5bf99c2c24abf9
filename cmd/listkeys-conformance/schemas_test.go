package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sourceSpec = "../../schemas/source/2025-12-15-preview/listkeys.json"

func TestSchemasCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "schemas")
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string // substrings
		wantStderr []string
	}{
		{
			name:       "writes every file and names it",
			args:       []string{"--spec", sourceSpec, "--operation", "Workspaces_ListKeys", "--out", out},
			wantCode:   exitOK,
			wantStdout: []string{filepath.Join(out, "ListKeysResult.schema.json"), filepath.Join(out, "Workspaces_ListKeys.parameters.schema.json")},
		},
		{
			name:       "missing flags are named",
			args:       []string{"--spec", sourceSpec},
			wantCode:   exitUsage,
			wantStderr: []string{"missing --operation, --out"},
		},
		{
			name:       "a spec that is not there",
			args:       []string{"--spec", "no/such/spec.json", "--operation", "Workspaces_ListKeys", "--out", out},
			wantCode:   exitUsage,
			wantStderr: []string{"no/such/spec.json", "no such file"},
		},
		{
			name:       "an operation that is not there",
			args:       []string{"--spec", sourceSpec, "--operation", "Workspaces_Delete", "--out", out},
			wantCode:   exitUsage,
			wantStderr: []string{sourceSpec, `no operation has operationId "Workspaces_Delete"`},
		},
		{
			name:       "an unknown flag",
			args:       []string{"--spec", sourceSpec, "--bogus"},
			wantCode:   exitUsage,
			wantStderr: []string{"-bogus"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"schemas"}, tt.args...), strings.NewReader(""), &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tt.wantCode, &stdout, &stderr)
			}
			for _, want := range tt.wantStdout {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("stdout %q does not contain %q", &stdout, want)
				}
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr %q does not contain %q", &stderr, want)
				}
			}
			if tt.wantCode != exitOK && stdout.Len() > 0 {
				t.Errorf("a failure wrote to stdout: %q", &stdout)
			}
		})
	}
}

func TestSchemasCommandWritesTheCommittedFiles(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"schemas", "--spec", sourceSpec, "--operation", "Workspaces_ListKeys,Workspaces_RegenerateKeys", "--out", out}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit code %d: %s", code, &stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 9 {
		t.Fatalf("printed %d lines, want one per file (9):\n%s", len(lines), &stdout)
	}
	for _, written := range lines {
		got, err := os.ReadFile(written)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("../../schemas/2025-12-15-preview", filepath.Base(written)))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the committed file (run make schemas)", written)
		}
	}
}
