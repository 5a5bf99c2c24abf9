package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
)

// ginkgoReport writes a Ginkgo JSON report with one passing and, when failing, one failing spec.
func ginkgoReport(t *testing.T, failing bool) string {
	t.Helper()
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	specs := types.SpecReports{{
		ContainerHierarchyTexts: []string{"List Keys on the workspace under test"}, LeafNodeType: types.NodeTypeIt,
		LeafNodeText: "answers 200 OK", State: types.SpecStatePassed,
		LeafNodeLocation: types.CodeLocation{FileName: "/somewhere/suites/response/01_keys_test.go", LineNumber: 3},
	}}
	if failing {
		specs = append(specs, types.SpecReport{
			ContainerHierarchyTexts: []string{"List Keys on the workspace under test"}, LeafNodeType: types.NodeTypeIt,
			LeafNodeText: "returns a body that conforms to ListKeysResult", State: types.SpecStateFailed,
			Failure: types.Failure{Message: "Expected the ListKeysResult to conform; it has:\n  MUST schema.format at \"/primaryKey/createdAt\": not a date-time\n"},
		})
	}
	data, err := json.Marshal([]types.Report{{SuitePath: "/somewhere/suites/response", StartTime: now, EndTime: now.Add(time.Second), SpecReports: specs}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ginkgo.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReportFromGinkgo(t *testing.T) {
	for _, failing := range []bool{false, true} {
		out := filepath.Join(t.TempDir(), "reports")
		code, stdout, stderr := invoke(t, nil, "report", "--from-ginkgo", ginkgoReport(t, failing), "--out", out)
		want := exitOK
		if failing {
			want = exitViolations
		}
		if code != want {
			t.Errorf("failing=%v: exit %d, want %d\n%s%s", failing, code, want, stdout, stderr)
		}
		for _, name := range []string{report.JSONFile, report.HTMLFile, report.MarkdownFile, report.JUnitFile} {
			if _, err := os.Stat(filepath.Join(out, name)); err != nil {
				t.Errorf("failing=%v: %s not written: %v", failing, name, err)
			}
		}
		data, err := os.ReadFile(filepath.Join(out, report.JSONFile))
		if err != nil {
			t.Fatal(err)
		}
		if err := report.Validate(data); err != nil {
			t.Errorf("failing=%v: report.json: %v", failing, err)
		}
		if strings.Contains(string(data), "/somewhere") {
			t.Errorf("failing=%v: an absolute path in report.json", failing)
		}
		if !strings.Contains(stdout, "reports: "+filepath.Join(out, report.JSONFile)) {
			t.Errorf("failing=%v: the summary does not say where the reports are:\n%s", failing, stdout)
		}
		if failing && !strings.Contains(stdout, "FAIL  schema.format at /primaryKey/createdAt") {
			t.Errorf("the summary does not list the failure:\n%s", stdout)
		}
	}
}

func TestReportRerenders(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := invoke(t, nil, "report", "--from-ginkgo", ginkgoReport(t, true), "--out", dir); code != exitViolations {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	saved := filepath.Join(dir, report.JSONFile)
	html, md := filepath.Join(dir, "again.html"), filepath.Join(dir, "again.md")
	code, out, errOut := invoke(t, nil, "report", saved, "--html", html, "--md", md)
	if code != exitViolations {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	for _, pair := range [][2]string{{html, report.HTMLFile}, {md, report.MarkdownFile}} {
		again, err1 := os.ReadFile(pair[0])
		first, err2 := os.ReadFile(filepath.Join(dir, pair[1]))
		if err1 != nil || err2 != nil || string(again) != string(first) {
			t.Errorf("%s re-rendered from report.json differs from the one written first (%v, %v)", pair[0], err1, err2)
		}
	}
}

func TestReportBadInput(t *testing.T) {
	dir := t.TempDir()
	notJSON := filepath.Join(dir, "not.json")
	os.WriteFile(notJSON, []byte("{"), 0o644)
	ginkgo := ginkgoReport(t, false)
	for _, args := range [][]string{
		{"report"},
		{"report", filepath.Join(dir, "missing.json")},
		{"report", notJSON},
		{"report", ginkgo},
		{"report", "--from-ginkgo", notJSON},
		{"report", "--from-ginkgo", dir},
		{"report", "--from-ginkgo", ginkgo, ginkgo},
		{"report", "--from-ginkgo", ginkgo, "--html", filepath.Join(dir, "x.html")},
		{"report", "--bogus"},
	} {
		code, _, errOut := invoke(t, nil, args...)
		if code != exitUsage || !strings.Contains(errOut, "report") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errOut)
		}
	}
}
