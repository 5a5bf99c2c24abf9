package response_test

import (
	"encoding/json"
	"net/http"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
	"github.com/listkeys-conformance/listkeys-conformance/harness/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/harness/suite"
)

var _ = Describe("List Keys on the workspace under test", Ordered, func() {
	var res *scenarios.Result
	BeforeAll(func(ctx SpecContext) { res = suite.Run(ctx, scenarios.OK) })

	It("answers 200 OK", Label("core"), func() {
		Expect(res.Status).To(Equal(http.StatusOK), "body: %s", res.Body)
	})

	It("returns a body that conforms to ListKeysResult", Label("core"), func() {
		Expect(res.Report.Definition).To(Equal("ListKeysResult"))
		Expect(res.Report).To(matchers.BeConformant())
	})

	It("returns each key's createdAt as an RFC 3339 date-time", Label("core"), func() {
		Expect(res.Report).NotTo(matchers.HaveViolation("schema.format", "/primaryKey/createdAt"))
		Expect(res.Report).NotTo(matchers.HaveViolation("schema.format", "/secondaryKey/createdAt"))
	})

	It("returns connection strings in the documented format", Label("core"), func() {
		Expect(res.Report).NotTo(matchers.ViolateCheck("connection-string.format"))
	})

	It("returns connection strings that carry their own keys", Label("core"), func() {
		Expect(res.Report).NotTo(matchers.ViolateCheck("connection-string.api-key"))
	})

	It("returns connection strings that name the requested workspace", Label("core"), func() {
		Expect(res.Report).NotTo(matchers.ViolateCheck("connection-string.workspace"))
	})

	Context("by ARM convention and plausibility", Label("extended"), func() {
		It("returns two different keys", func() { suite.Should(res.Report, "api-key.distinct") })
		It("returns both keys when API keys are enabled", func() { suite.Should(res.Report, "api-key.enabled-has-keys") })
		It("returns no key created in the future", func() { suite.Should(res.Report, "api-key.created-in-past") })
		It("carries only documented properties", func() { suite.Should(res.Report, "body.undocumented-property") })
		It("declares its body as application/json", func() { suite.Should(res.Report, "headers.content-type") })
		It("carries x-ms-request-id and x-ms-correlation-request-id", func() { suite.Should(res.Report, "headers.request-ids") })
		It("marks the answer, which holds secrets, as not cacheable", func() { suite.Should(res.Report, "headers.no-cache") })
	})
})

// A workspace with API keys disabled was answered two ways (both are what the service sends): in 2025 with
// both keys listed, in 2024 without keys and with empty connection strings.
var _ = Describe("List Keys on a workspace with API keys disabled", func() {
	for _, s := range []scenarios.Scenario{scenarios.KeysDisabled, scenarios.KeysWithheld} {
		Describe(s.Title, Ordered, Label(s.Labels()...), func() {
			var res *scenarios.Result
			BeforeAll(func(ctx SpecContext) { res = suite.Run(ctx, s) })

			It("answers 200 OK with a body that conforms to ListKeysResult", func() {
				Expect(res.Status).To(Equal(http.StatusOK), "body: %s", res.Body)
				Expect(res.Report).To(matchers.BeConformant())
			})

			It("says apiKeyEnabled false", func() {
				var body struct {
					APIKeyEnabled *bool `json:"apiKeyEnabled"`
				}
				Expect(json.Unmarshal(res.Body, &body)).To(Succeed())
				Expect(body.APIKeyEnabled).To(HaveValue(BeFalse()), "body: %s", res.Body)
			})
		})
	}
})
