// Package suite is what every Ginkgo suite under suites/ shares: the runner set up once from the
// environment, a scenario run (or skipped, with the reason), and SHOULD checks reported as warnings.
package suite

import (
	"fmt"
	"os"
	"slices"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

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
	GinkgoHelper()
	r, err := scenarios.FromEnvironment(os.Getenv)
	Expect(err).NotTo(HaveOccurred(), "configuration")
	runner = r
	reportRun(r)
	return r
}

// Run performs a scenario, or skips the spec with the reason it cannot run here.
func Run(ctx SpecContext, s scenarios.Scenario) *scenarios.Result {
	GinkgoHelper()
	Expect(runner).NotTo(BeNil(), "suite.Setup must run in BeforeSuite")
	ReportScenario(s.Name)
	progressCount.Add(1)
	if reason := runner.SkipReason(s); reason != "" {
		progress(s, "skipped: "+reason)
		Skip(reason)
	}
	By(fmt.Sprintf("sending scenario %q in %s mode", s.Name, runner.Config.Mode))
	committed, compare := committedCassette(s)
	progress(s, "calling "+runner.Config.ARMEndpoint())
	res, err := runner.Run(ctx, s)
	Expect(err).NotTo(HaveOccurred())
	progress(s, fmt.Sprintf("answered %d", res.Status))
	ReportExchange(res.Exchange.Exchange)
	if compare {
		reportDrift(committed, res)
	}
	if len(res.Unused) > 0 {
		AddReportEntry("cassette drift: interactions never replayed", strings.Join(res.Unused, "\n"), ReportEntryVisibilityFailureOrVerbose)
	}
	AddReportEntry("verdict", matchers.Explain(res.Report), ReportEntryVisibilityFailureOrVerbose)
	return res
}

// Should asserts that a report does not violate a SHOULD check. A violation is a warning: the spec is skipped
// with the finding (skipped is not passed), or fails when LISTKEYS_STRICT is set.
func Should(r contract.Report, check string) {
	GinkgoHelper()
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
		Fail("SHOULD violated (strict):\n" + strings.Join(found, "\n"))
	}
	Skip("warning, SHOULD violated: " + strings.Join(found, "; "))
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
func Refusal(s scenarios.Scenario) bool {
	labels := s.Labels
	if s.EmulatorOnly != "" {
		labels = append(slices.Clone(labels), "emulator-only")
	}
	return Describe(s.Title, Ordered, Label(labels...), func() {
		var res *scenarios.Result
		BeforeAll(func(ctx SpecContext) { res = Run(ctx, s) })

		It(fmt.Sprintf("answers %d", s.Expect.Status), func() {
			Expect(res.Status).To(Equal(s.Expect.Status), "body: %s", res.Body)
		})

		It("returns an ErrorResponse with error.code and error.message", func() {
			Expect(res.Report.Definition).To(Equal("ErrorResponse"))
			Expect(res.Report).To(matchers.BeConformant())
		})

		if s.Expect.Code != "" {
			It("says error.code "+s.Expect.Code, func() {
				Expect(contract.ErrorCode(res.Body)).To(Equal(s.Expect.Code), "body: %s", res.Body)
			})
		}

		for _, h := range s.Expect.Header {
			It("carries "+h, func() {
				Expect(res.Header.Get(h)).NotTo(BeEmpty())
			})
		}

		It("returns no key", func() {
			Expect(contract.CarriesKeys(res.Body)).To(BeFalse(), "an answer to a refused request must not carry keys: %s", res.Body)
		})

		It("carries the ARM request id headers", Label("extended"), func() {
			Should(res.Report, "headers.request-ids")
		})
	})
}
