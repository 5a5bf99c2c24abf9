package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigIsOneMessage(t *testing.T) {
	t.Setenv("LISTKEYS_MODE", "replay")
	t.Setenv("AZURE_CLOUD", "Mars")
	code, stdout, stderr := invoke(t, nil, "config")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, `AZURE_CLOUD="Mars"`) || strings.Contains(stderr, "{") {
		t.Errorf("config with a bad variable: %d %q %q; want exit 2 and one plain message naming it", code, stdout, stderr)
	}
	t.Setenv("AZURE_CLOUD", "")
	if code, stdout, _ := invoke(t, nil, "config"); code != exitOK || !strings.Contains(stdout, "LISTKEYS_MODE=replay") {
		t.Errorf("config: %d %q", code, stdout)
	}
}

func TestJUnitFromGinkgoJSON(t *testing.T) {
	report := writeFile(t, "report.json", []byte(`[{"SuiteDescription":"Errors","SuitePath":"/s","SpecReports":[
		{"LeafNodeType":"It","LeafNodeText":"returns no key","LeafNodeLabels":["check:error.carries-no-key"],"State":"failed",
		 "Failure":{"Message":"harness error: cassette x.yaml: no such file"},
		 "ReportEntries":[{"Name":"state","Value":{"AsJSON":"\"error\"","Representation":"error"}}]}]}]`))
	out := filepath.Join(t.TempDir(), "junit.xml")
	if code, _, stderr := invoke(t, nil, "junit", "--json", report, "--out", out); code != exitOK {
		t.Fatalf("junit: %d %s", code, stderr)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	data := string(raw)
	if !strings.Contains(data, `<error message="harness error: cassette x.yaml: no such file" type="harness"`) || !strings.Contains(data, `value="error.carries-no-key"`) {
		t.Errorf("junit.xml:\n%s", data)
	}
	if code, _, stderr := invoke(t, nil, "junit", "--json", out, "--out", out+".2"); code != exitUsage || !strings.Contains(stderr, "not a Ginkgo JSON report") {
		t.Errorf("junit on XML: %d %q", code, stderr)
	}
}
