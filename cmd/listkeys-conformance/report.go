package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
)

func init() {
	register("report", "render a saved report.json as HTML or Markdown, or make the reports from Ginkgo's JSON report", runReport)
}

// maxReport bounds a report read from disk: a full run's Ginkgo JSON report is about 1 MB.
const maxReport = 256 << 20

// runReport re-renders a saved report (without --html or --md it prints the summary), or makes report.json,
// report.html, report.md and junit.xml from a Ginkgo JSON report and prints the run's summary. It exits 0
// when nothing failed or errored, 1 when something did, 2 when the input is unusable.
func runReport(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("report", stdout, stderr, "FILE.json [--html OUT] [--md OUT]", "--from-ginkgo GINKGO.json [--out DIR]")
	htmlOut := fs.String("html", "", "write the report as one self-contained HTML file here")
	mdOut := fs.String("md", "", "write the report as GitHub-flavoured Markdown here")
	fromGinkgo := fs.String("from-ginkgo", "", "make the reports from this Ginkgo JSON report (ginkgo --json-report)")
	out := fs.String("out", "reports", "with --from-ginkgo: the folder to write report.json, report.html, report.md and junit.xml into")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	files := fs.Args()
	fail := fs.usageError
	switch {
	case *fromGinkgo != "" && len(files) > 0:
		return fail("give either FILE.json or --from-ginkgo, not both")
	case *fromGinkgo != "":
		return reportFromGinkgo(*fromGinkgo, *out, *htmlOut, *mdOut, stdout, stderr)
	case len(files) != 1:
		return fail("give one saved report.json (got %d)", len(files))
	}
	data, err := readReportFile(files[0])
	if err != nil {
		return fail("%v", err)
	}
	r, err := report.Decode(data)
	if err != nil {
		return fail("%s: %v", files[0], err)
	}
	var written []string
	for _, f := range []struct {
		path   string
		render func() ([]byte, error)
	}{{*htmlOut, r.HTML}, {*mdOut, func() ([]byte, error) { return r.Markdown(), nil }}} {
		if f.path == "" {
			continue
		}
		page, err := f.render()
		if err != nil {
			return fail("%v", err)
		}
		if err := report.WriteFile(f.path, page); err != nil {
			return fail("%v", err)
		}
		written = append(written, f.path)
	}
	r.WriteSummary(stdout, written)
	return verdict(r)
}

func reportFromGinkgo(in, dir, htmlOut, mdOut string, stdout, stderr io.Writer) int {
	if htmlOut != "" || mdOut != "" {
		fmt.Fprintf(stderr, "listkeys-conformance report: --from-ginkgo writes every report into --out; --html and --md re-render a saved report.json\n")
		return exitUsage
	}
	data, err := readReportFile(in)
	if err != nil {
		fmt.Fprintf(stderr, "listkeys-conformance report: %v\n", err)
		return exitUsage
	}
	suites, err := report.ReadGinkgo(data)
	if err != nil {
		fmt.Fprintf(stderr, "listkeys-conformance report: %s: %v\n", in, err)
		return exitUsage
	}
	root, _ := os.Getwd()
	if mod := moduleRoot(root); mod != "" {
		root = mod
	}
	r := report.FromGinkgo(suites, report.Options{Tool: report.Tool{Name: "listkeys-conformance", Version: toolVersion()}, Root: root})
	paths, err := r.Write(dir, report.DefaultNames)
	if err != nil {
		fmt.Fprintf(stderr, "listkeys-conformance report: %v\n", err)
		return exitUsage
	}
	r.WriteSummary(stdout, paths)
	return verdict(r)
}

func verdict(r report.Report) int {
	if r.Conformant() {
		return exitOK
	}
	return exitViolations
}

func readReportFile(name string) ([]byte, error) {
	return readCapped(name, nil, maxReport, fmt.Sprintf("%d MiB, which no report of this suite is", maxReport>>20))
}

// moduleRoot is the folder holding go.mod at or above dir, or "".
func moduleRoot(dir string) string {
	for d := dir; d != ""; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return ""
}

// toolVersion is the module version the binary was built from, or its VCS revision, or "devel".
func toolVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	version, dirty := "devel", false
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && len(s.Value) >= 12:
			version = s.Value[:12]
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = true
		}
	}
	if dirty {
		version += "+dirty"
	}
	return version
}
