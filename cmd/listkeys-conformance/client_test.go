package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
)

func TestClientCommandLine(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"client"}, "no command to run"},
		{[]string{"client", "--", "/nonexistent/client", "{url}"}, `command "/nonexistent/client": `},
		{[]string{"client", "--scenarios", "ok,nosuch", "--", "true"}, `--scenarios: unknown scenario "nosuch"`},
		{[]string{"client", "--timeout", "0s", "--", "true"}, "--timeout 0s: give a positive duration"},
		{[]string{"client", "--api-version", "1999-01-01", "--", "true"}, "--api-version 1999-01-01: not one of"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(c.args, nil, &stdout, &stderr)
		if code != exitUsage || !strings.HasPrefix(stderr.String(), "listkeys-conformance client: "+c.want) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr.String(), c.want)
		}
	}
	var stdout bytes.Buffer
	if code := run([]string{"client", "-h"}, nil, &stdout, &bytes.Buffer{}); code != exitOK || !strings.Contains(stdout.String(), "{resourceGroup}") ||
		!strings.Contains(stdout.String(), "client: 0 the client passed every check") {
		t.Errorf("-h: exit %d\n%s", code, stdout.String())
	}
}

// curl, as the README gives it, passes; the bad fixture client fails with exit 1; both write the four reports.
func TestClientCommandRunsCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not found: install the Debian package curl (.ci/install does)")
	}
	fixture, err := filepath.Abs("../../internal/clientrun/testdata/client.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		command []string
		code    int
	}{
		{"curl", []string{"curl", "-q", "--silent", "--show-error", "--fail-with-body", "--compressed", "-X", "POST", "-H", "Authorization: Bearer {token}", "{url}"}, exitOK},
		{"bad", []string{"sh", fixture, "bad", "{url}", "{token}"}, exitViolations},
	} {
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		args := append([]string{"client", "--scenarios", "ok,keys-disabled-empty,unknown-workspace,throttled-once", "--report-dir", dir, "--"}, c.command...)
		if code := run(args, nil, &stdout, &stderr); code != c.code {
			t.Errorf("%s: exit %d, want %d\n%s%s", c.name, code, c.code, stdout.String(), stderr.String())
		}
		data, err := os.ReadFile(filepath.Join(dir, report.JSONFile))
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.Decode(data)
		if err != nil || r.Source != "client" || len(r.Scenarios) != 4 {
			t.Errorf("%s: report.json: %v, source %q, %d scenarios", c.name, err, r.Source, len(r.Scenarios))
		}
		if bytes.Contains(data, []byte("emulator-token")) {
			t.Errorf("%s: report.json holds the token", c.name)
		}
		for _, f := range []string{report.HTMLFile, report.MarkdownFile, report.JUnitFile} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Error(err)
			}
		}
	}
}
