package response_test

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
	"github.com/listkeys-conformance/listkeys-conformance/harness/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/harness/suite"
)

type ids = []contract.ID

// Each spec judges one part of the same answer on its own: a wrong status hides none of the others.
var _ = Describe("List Keys on the workspace under test", Ordered, ContinueOnFailure, Label("core"), func() {
	ok := scenarios.OK
	suite.Spec("answers 200 OK", ok, ids{"scenario.status"})
	suite.Spec("returns a body that conforms to ListKeysResult", ok, suite.Definition())

	It("returns each key's createdAt as an RFC 3339 date-time", suite.Checks("schema.format"), func(ctx SpecContext) {
		res := suite.Judged(ctx, ok)
		Expect(res.Report).NotTo(matchers.HaveViolation("schema.format", "/primaryKey/createdAt"))
		Expect(res.Report).NotTo(matchers.HaveViolation("schema.format", "/secondaryKey/createdAt"))
	})

	suite.Spec("returns connection strings in the documented format", ok, ids{"connection-string.format"})
	suite.Spec("returns connection strings that carry their own keys", ok, ids{"connection-string.api-key"})
	suite.Spec("returns connection strings that name the requested workspace", ok, ids{"connection-string.workspace"})

	Context("by ARM convention and plausibility", Label("extended"), func() {
		suite.Spec("returns two different keys", ok, ids{"api-key.distinct"})
		suite.Spec("returns both keys when API keys are enabled", ok, ids{"api-key.enabled-has-keys"})
		suite.Spec("returns no key created in the future", ok, ids{"api-key.created-in-past"})
		suite.Spec("carries only documented properties", ok, ids{"body.undocumented-property"})
		suite.Spec("declares its body as application/json", ok, ids{"headers.content-type"})
		suite.Spec("carries x-ms-request-id and x-ms-correlation-request-id", ok, ids{"headers.request-ids"})
		suite.Spec("marks the answer, which holds secrets, as not cacheable", ok, ids{"headers.no-cache"})
	})
})

var _ = Describe("List Keys on a workspace with API keys disabled", Ordered, ContinueOnFailure, Label("extended"), func() {
	disabled := scenarios.KeysDisabled
	suite.Spec("answers 200 OK", disabled, ids{"scenario.status"})
	suite.Spec("returns a body that conforms to ListKeysResult", disabled, suite.Definition())

	// What apiKeyEnabled says is the scenario's own expectation, beyond any registry check.
	It("says apiKeyEnabled false", func(ctx SpecContext) {
		res := suite.Judged(ctx, disabled)
		var body struct {
			APIKeyEnabled *bool `json:"apiKeyEnabled"`
		}
		Expect(json.Unmarshal(res.Body, &body)).To(Succeed(), "body: %s", res.Body)
		Expect(body.APIKeyEnabled).To(HaveValue(BeFalse()), "body: %s", res.Body)
	})
})
