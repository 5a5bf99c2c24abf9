package suite

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
	"github.com/listkeys-conformance/listkeys-conformance/harness/scenarios"
)

// EnvStrict makes SHOULD violations fail their specs instead of skipping them as warnings.
const EnvStrict = "LISTKEYS_STRICT"

var runner *scenarios.Runner

// Setup reads the configuration once; call it from BeforeSuite. A configuration problem fails the suite's
// setup with one message naming every variable at fault.
func Setup() *scenarios.Runner {
	ginkgo.GinkgoHelper()
	r, err := scenarios.FromEnvironment(os.Getenv)
	gomega.Expect(err).NotTo(gomega.HaveOccurred(), "configuration")
	ginkgo.AddReportEntry("configuration", r.Describe())
	runner = r
	return r
}

// Run performs a scenario, or skips the spec with the reason it cannot run here.
func Run(ctx ginkgo.SpecContext, s scenarios.Scenario) *scenarios.Result {
	ginkgo.GinkgoHelper()
	gomega.Expect(runner).NotTo(gomega.BeNil(), "suite.Setup must run in BeforeSuite")
	if reason := runner.SkipReason(s); reason != "" {
		ginkgo.Skip(reason)
	}
	ginkgo.By(fmt.Sprintf("sending scenario %q in %s mode", s.Name, runner.Config.Mode))
	// Where the expected answer comes from (observed, documented or assumed), for the reports.
	ginkgo.AddReportEntry("provenance", s.Provenance.String(), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	res, err := runner.Run(ctx, s)
	gomega.Expect(err).NotTo(gomega.HaveOccurred())
	if len(res.Unused) > 0 {
		ginkgo.AddReportEntry("cassette drift: interactions never replayed", strings.Join(res.Unused, "\n"), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	}
	if res.NotJudged != "" {
		ginkgo.Skip("not judged: " + res.NotJudged) // the same words validate and serve use; skipped is not passed
	}
	ginkgo.AddReportEntry("verdict", matchers.Explain(res.Report), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	return res
}

// Should asserts that a report does not violate a SHOULD check. A violation is a warning: the spec is skipped
// with the finding (skipped is not passed), or fails when LISTKEYS_STRICT is set.
func Should(r contract.Report, check string) {
	ginkgo.GinkgoHelper()
	var found []string
	for _, v := range r.Violations {
		if v.Check == check {
			found = append(found, fmt.Sprintf("%s at %q: %s", v.Check, v.Path, v.Message))
		}
	}
	if len(found) == 0 {
		return
	}
	if strict() {
		ginkgo.Fail("SHOULD violated (strict):\n" + strings.Join(found, "\n"))
	}
	ginkgo.Skip("warning, SHOULD violated: " + strings.Join(found, "; "))
}

func strict() bool {
	switch strings.ToLower(os.Getenv(EnvStrict)) {
	case "1", "true", "yes":
		return true
	}
	return false
}

// Refusal declares the specs of a request the server must refuse, from its row in the catalogue: the
// status, the error.code, a conformant ErrorResponse, the headers the row needs, and no key in the answer.
// The errors and parameters suites share it, so a refusal is judged the same wherever it comes from.
//
// The row's level label ("core" when its expectation is observed or documented, "extended" when assumed) goes on the specs of its expected answer;
// the request-id headers are an ARM convention, "extended" whatever the row says. Labels accumulate in Ginkgo,
// so a level on the container would put a convention under "core" too.
func Refusal(s scenarios.Scenario) bool {
	labels := slices.Clone(s.Tags)
	level := ginkgo.Label(s.Provenance.Level())
	if s.EmulatorOnly != "" {
		labels = append(labels, "emulator-only")
	}
	return ginkgo.Describe(s.Title, ginkgo.Ordered, ginkgo.Label(labels...), func() {
		var res *scenarios.Result
		ginkgo.BeforeAll(func(ctx ginkgo.SpecContext) { res = Run(ctx, s) })

		ginkgo.It(fmt.Sprintf("answers %d", s.Expect.Status), level, func() {
			gomega.Expect(res.Status).To(gomega.Equal(s.Expect.Status), "body: %s", res.Body)
		})

		ginkgo.It("returns an ErrorResponse with error.code and error.message", level, func() {
			gomega.Expect(res.Report.Definition).To(gomega.Equal("ErrorResponse"))
			gomega.Expect(res.Report).To(matchers.BeConformant())
		})

		if s.Expect.Code != "" {
			ginkgo.It("says error.code "+s.Expect.Code, level, func() {
				gomega.Expect(contract.ErrorCode(res.Body)).To(gomega.Equal(s.Expect.Code), "body: %s", res.Body)
			})
		}

		for _, h := range s.Expect.Header {
			ginkgo.It("carries "+h, level, func() {
				gomega.Expect(res.Header.Get(h)).NotTo(gomega.BeEmpty())
			})
		}

		ginkgo.It("returns no key", level, func() {
			gomega.Expect(contract.CarriesKeys(res.Body)).To(gomega.BeFalse(), "an answer to a refused request must not carry keys: %s", res.Body)
		})

		ginkgo.It("carries the ARM request id headers", ginkgo.Label("extended"), func() {
			Should(res.Report, "headers.request-ids")
		})
	})
}
