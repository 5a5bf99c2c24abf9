package errors_test

import (
	"encoding/json"
	"fmt"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
	"github.com/listkeys-conformance/listkeys-conformance/harness/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/harness/suite"
)

// Each row of the catalogue's error table becomes one container: the expectations are data there.
var _ = Describe("The server", Label("errors"), func() {
	for _, s := range scenarios.Errors {
		labels := Label(s.Labels...)
		if s.EmulatorOnly != "" {
			labels = Label(append(s.Labels, "emulator-only")...)
		}
		Describe(s.Title, Ordered, labels, func() {
			var res *scenarios.Result
			BeforeAll(func(ctx SpecContext) { res = suite.Run(ctx, s) })

			It(fmt.Sprintf("answers %d", s.Expect.Status), func() {
				Expect(res.Status).To(Equal(s.Expect.Status), "body: %s", res.Body)
			})

			It("returns an ErrorResponse with error.code and error.message", func() {
				Expect(res.Report.Definition).To(Equal("ErrorResponse"))
				Expect(res.Report).To(matchers.BeConformant())
			})

			if s.Expect.Code != "" {
				It("says error.code "+s.Expect.Code, func() {
					var body struct{ Error struct{ Code string } }
					Expect(json.Unmarshal(res.Body, &body)).To(Succeed(), "body: %s", res.Body)
					Expect(body.Error.Code).To(Equal(s.Expect.Code))
				})
			}

			for _, h := range s.Expect.Header {
				It("carries "+h, func() {
					Expect(res.Header.Get(h)).NotTo(BeEmpty())
				})
			}

			It("returns no key", func() {
				Expect(res.Body).NotTo(SatisfyAny(
					ContainSubstring(`"primaryKey"`), ContainSubstring(`"secondaryKey"`),
					ContainSubstring("ConnectionString"), ContainSubstring("ApiKey=")),
					"an answer to a refused request must not carry keys")
			})

			It("carries the ARM request id headers", Label("extended"), func() {
				suite.Should(res.Report, "headers.request-ids")
			})
		})
	}
})
