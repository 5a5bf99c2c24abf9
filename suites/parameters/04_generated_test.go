package parameters_test

import (
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
	"github.com/listkeys-conformance/listkeys-conformance/internal/values"
)

// generator makes values from the run's seed (LISTKEYS_SEED, default values.DefaultSeed), varying base one
// parameter at a time, and puts the seed in the report.
func generator(base arm.Params) *values.Generator {
	GinkgoHelper()
	seed, err := values.SeedFromEnvironment()
	if err != nil {
		suite.HarnessError(err)
	}
	AddReportEntry("seed", fmt.Sprintf("%d (set %s to change it)", seed, values.EnvSeed), ReportEntryVisibilityFailureOrVerbose)
	return values.NewGenerator(rules, base, seed)
}

// holds fails the spec with the counterexample, shrunk, and how to generate the same values again.
func holds(seed uint64, cx *values.Counterexample) {
	GinkgoHelper()
	if cx == nil {
		return
	}
	AddReportEntry("counterexample", cx.String())
	Fail(fmt.Sprintf("seed %d (run again with %s=%d):\n%s", seed, values.EnvSeed, seed, cx))
}

var _ = Describe("Generated parameter values", Label("parameters", "generated"), func() {
	// Too many to keep a cassette each: in replay they go to an emulator in this process, in record and live
	// mode (a few of them) to the configured endpoint, unrecorded.
	Context("on the server side", Label("extended"), func() {
		var g *scenarios.Generated
		BeforeEach(func() {
			var err error
			g, err = runner.Generated(emulator.New(emulator.DefaultConfig()))
			if err != nil {
				suite.HarnessError(err)
			}
			DeferCleanup(g.Close)
			AddReportEntry("server", g.Where, ReportEntryVisibilityFailureOrVerbose)
		})

		It("are each answered when invalid with a 4xx and a conformant ErrorResponse that carries no key", func(ctx SpecContext) {
			gen := generator(g.Target)
			cases, err := gen.Invalid(g.Invalid)
			Expect(err).NotTo(HaveOccurred())
			holds(gen.Seed, values.Falsify(cases, values.Sent(ctx, g.Client, theContract, values.ErrorAnswer), g.Shrink))
		})

		It("are never refused as malformed when valid: the answer is 200, 403 or 404", func(ctx SpecContext) {
			gen := generator(g.Target)
			cases, err := gen.Valid(g.Valid)
			Expect(err).NotTo(HaveOccurred())
			holds(gen.Seed, values.Falsify(cases, values.Sent(ctx, g.Client, theContract, values.ValidAnswer), g.Shrink))
		})
	})
})
