package response_test

import (
	"encoding/json"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

type ids = []contract.ID

// Each spec judges one part of the same answer on its own: a wrong status hides none of the others. Labels
// accumulate in Ginkgo, so each spec carries its own level: the documented and observed ones "core", the
// conventions and plausibility "extended".
var _ = Describe("List Keys on the workspace under test", Ordered, ContinueOnFailure, func() {
	ok := scenarios.OK
	core := Label(ok.Provenance.Level())
	suite.Spec("answers 200 OK", ok, ids{contract.ScenarioStatus}, core)
	suite.Spec("returns a body that conforms to ListKeysResult", ok, suite.Definition(), core)
	suite.Spec("returns a ListKeysResult, never an ErrorResponse", ok, ids{contract.NotErrorResponse}, core)

	It("returns each key's createdAt as an RFC 3339 date-time", core, suite.Checks(contract.SchemaFormat), func(ctx SpecContext) {
		res := suite.Judged(ctx, ok)
		Expect(res.Report).NotTo(matchers.HaveViolation(contract.SchemaFormat, "/primaryKey/createdAt"))
		Expect(res.Report).NotTo(matchers.HaveViolation(contract.SchemaFormat, "/secondaryKey/createdAt"))
	})

	suite.Spec("returns connection strings in the documented format", ok, ids{contract.ConnFormat}, core)
	suite.Spec("returns connection strings that carry their own keys", ok, ids{contract.ConnAPIKey}, core)
	suite.Spec("returns connection strings that name the requested workspace", ok, ids{contract.ConnWorkspace}, core)

	Context("by ARM convention and plausibility", Label("extended"), func() {
		suite.Spec("returns two different keys", ok, ids{contract.KeysDistinct})
		suite.Spec("returns both keys when API keys are enabled", ok, ids{contract.KeysWhenEnabled})
		suite.Spec("returns no key created in the future", ok, ids{contract.KeysInPast})
		suite.Spec("carries only documented properties", ok, ids{contract.Undocumented})
		suite.Spec("declares its body as application/json", ok, ids{contract.ContentType})
		suite.Spec("carries x-ms-request-id and x-ms-correlation-request-id", ok, ids{contract.RequestIDs})
		suite.Spec("marks the answer, which holds secrets, as not cacheable", ok, ids{contract.NoCache})
	})
})

// A workspace with API keys disabled was answered two ways (both are what the service sends): in 2025 with
// both keys listed, in 2024 without keys and with empty connection strings.
var _ = Describe("List Keys on a workspace with API keys disabled", func() {
	for _, s := range []scenarios.Scenario{scenarios.KeysDisabled, scenarios.KeysWithheld} {
		Describe(s.Title, Ordered, ContinueOnFailure, Label(s.Labels()...), func() {
			suite.Spec("answers 200 OK", s, ids{contract.ScenarioStatus})
			suite.Spec("returns a body that conforms to ListKeysResult", s, suite.Definition())
			suite.Spec("returns connection strings in the documented format, or empty ones", s, ids{contract.ConnFormat})

			// What apiKeyEnabled says is the scenario's own expectation, beyond any registry check.
			It("says apiKeyEnabled false", func(ctx SpecContext) {
				res := suite.Judged(ctx, s)
				var body struct {
					APIKeyEnabled *bool `json:"apiKeyEnabled"`
				}
				Expect(json.Unmarshal(res.Body, &body)).To(Succeed(), "body: %s", suite.SafeBody(res))
				Expect(body.APIKeyEnabled).To(HaveValue(BeFalse()), "body: %s", suite.SafeBody(res))
			})
		})
	}
})
