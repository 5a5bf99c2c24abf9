package clients_test

import (
	"fmt"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/internal/clientrun"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

// adapter is a client under test as a command line for the runner (listkeys-conformance client), with the
// environment it runs in.
type adapter struct {
	command []string
	env     []string
}

// describeClient runs the adapter setup gives through every scenario, once, with the runner; then one spec
// per scenario asserts that its run passes every client check, and more specs (more) what is known of this
// client in particular. Each client's report (JSON, HTML, Markdown, JUnit) is written under reportRoot.
func describeClient(name string, label string, setup func(SpecContext) adapter, more func(result func() *clientrun.Result)) bool {
	return Describe(name, Label("clients", label), Ordered, ContinueOnFailure, func() {
		var res *clientrun.Result
		BeforeAll(func(ctx SpecContext) {
			a := setup(ctx)
			var err error
			res, err = clientrun.Execute(ctx, clientrun.Options{Command: a.command, Env: a.env})
			if err != nil {
				suite.HarnessError(err)
			}
			paths, err := res.Report(report.Tool{Name: "suites/clients"}).Write(filepath.Join(reportRoot, label), report.DefaultNames)
			Expect(err).NotTo(HaveOccurred(), "writing the client report")
			AddReportEntry("client report", strings.Join(paths, " "), ReportEntryVisibilityFailureOrVerbose)
		})
		for _, scenario := range clientrun.Played() {
			It(scenario+": passes every client check", func() {
				AddReportEntry(report.EntryScenario, scenario, ReportEntryVisibilityFailureOrVerbose)
				run := runOf(res, scenario)
				for _, v := range run.Verdicts() {
					suite.ReportCheck(v.Check)
					Expect(v.State).To(Equal(report.Pass), "%s: %s\nexpected: %s\n%s", v.Check, v.Message, run.Expectation(), details(run))
				}
			})
		}
		more(func() *clientrun.Result { return res })
	})
}

// runOf is the run of the scenario.
func runOf(res *clientrun.Result, scenario string) clientrun.Run {
	GinkgoHelper()
	run, ok := res.Run(scenario)
	Expect(ok).To(BeTrue(), "no run of %s", scenario)
	return run
}

// details is a run for a failure message: what it did, its command line (token masked) and its output.
func details(run clientrun.Run) string {
	return fmt.Sprintf("did: %s\ncommand: %s\nstdout:\n%s\nstderr:\n%s", run.Did(), strings.Join(run.MaskedArgs(), " "), run.Stdout, run.Stderr)
}

// askedGzip reports whether every request of the run accepted gzip.
func askedGzip(run clientrun.Run) bool {
	for _, a := range run.AcceptEncoding {
		if !strings.Contains(a, "gzip") {
			return false
		}
	}
	return len(run.AcceptEncoding) > 0
}
