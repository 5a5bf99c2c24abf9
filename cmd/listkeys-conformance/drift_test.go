package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
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
	missing := filepath.Join(t.TempDir(), "missing")
	file := writeFile(t, "file.yaml", []byte("not a folder"))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"drift"}, "give --committed DIR and --recorded DIR"},
		{[]string{"drift", "--committed", committedCassettes}, "give --committed DIR and --recorded DIR"},
		{[]string{"drift", "--committed", t.TempDir(), "--recorded", committedCassettes}, "no *.yaml cassettes in it"},
		{[]string{"drift", "--committed", committedCassettes, "--recorded", missing}, "--recorded " + missing + ": the folder does not exist"},
		{[]string{"drift", "--committed", file, "--recorded", committedCassettes}, "not a folder"},
	} {
		code, _, errOut := invoke(t, nil, tt.args...)
		if code != exitUsage || !strings.HasPrefix(errOut, "listkeys-conformance drift: ") || !strings.Contains(errOut, tt.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line saying %q", tt.args, code, errOut, exitUsage, tt.want)
		}
	}
}

func TestDriftUnreadableFolder(t *testing.T) {
	if os.Getuid() == 0 {
		t.Skip("root reads every folder")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	code, _, errOut := invoke(t, nil, "drift", "--committed", committedCassettes, "--recorded", dir)
	if code != exitRuntime || !strings.Contains(errOut, "permission denied") {
		t.Errorf("exit %d, stderr %q; want exit %d, permission denied", code, errOut, exitRuntime)
	}
}

// A 200 in the shape real ARM answers (written from the public recordings) against the ok cassette the
// emulator recorded: nothing differs but values, so drift reports the scenario unchanged.
func TestDriftBetweenTheRealShapeAndTheOKCassetteIsNone(t *testing.T) {
	real, recorded := t.TempDir(), t.TempDir()
	ok, err := os.ReadFile(filepath.Join(committedCassettes, "ok.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for dir, data := range map[string][]byte{real: examples.RealARMOK, recorded: ok} {
		if err := os.WriteFile(filepath.Join(dir, "ok.yaml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := invoke(t, nil, "drift", "--committed", real, "--recorded", recorded)
	if code != exitOK || strings.TrimSpace(out) != "ok.yaml: unchanged" {
		t.Errorf("exit %d, want %d with ok.yaml unchanged:\n%s%s", code, exitOK, out, errOut)
	}
}
