package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const committedCassettes = "../../cassettes/2025-12-15-preview"

func TestDriftAgainstItselfIsUnchanged(t *testing.T) {
	code, out, errOut := invoke(t, nil, "drift", "--committed", committedCassettes, "--recorded", committedCassettes)
	if code != exitOK || strings.Contains(out, "is new") || !strings.Contains(out, "ok.yaml: unchanged") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}

func TestDriftSaysWhatChanged(t *testing.T) {
	fresh := t.TempDir()
	data, err := os.ReadFile(filepath.Join(committedCassettes, "error-workspace-not-found.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte("ResourceNotFound"), []byte("WorkspaceNotFound"), -1)
	if err := os.WriteFile(filepath.Join(fresh, "error-workspace-not-found.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := invoke(t, nil, "drift", "--committed", committedCassettes, "--recorded", fresh)
	for _, want := range []string{
		`error-workspace-not-found.yaml: #1 error.code "WorkspaceNotFound", committed "ResourceNotFound"`,
		"ok.yaml: not recorded this run",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code != exitDrift {
		t.Errorf("exit %d, want %d (drift, not violations)", code, exitDrift)
	}
}

func TestDriftBadCommandLine(t *testing.T) {
	for _, args := range [][]string{
		{"drift"},
		{"drift", "--committed", committedCassettes},
		{"drift", "--committed", t.TempDir(), "--recorded", committedCassettes},
	} {
		if code, _, errOut := invoke(t, nil, args...); code != exitUsage || !strings.HasPrefix(errOut, "drift: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}
