package scenarios

import (
	"slices"

	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
	"github.com/listkeys-conformance/listkeys-conformance/internal/recording"
)

// Auth says what the request carries in its Authorization header.
type Auth int

const (
	Credential Auth = iota // the configured credential's bearer token
	NoAuth                 // no Authorization header at all
	RawAuth                // Scenario.Authorization verbatim (a malformed header)
	Token                  // "Bearer " + Scenario.Token
)

// Target is the workspace under test: from the environment in record/live, the documented example's
// (which the emulator also serves) in replay unless the environment says otherwise.
type Target = arm.Params

// Expect is the answer the scenario calls for.
type Expect struct {
	Status int
	Code   string   // error.code, for an error status
	Header []string // headers the answer must carry (beyond the contract's own header checks)
}

// Scenario is one request the suites send and the answer it must get.
type Scenario struct {
	Name  string // the cassette's name
	Title string // what the server does, as a sentence for the report
	// Params derives the request's parameters from the target.
	Params func(Target) arm.Params
	// Unvalidated sends Params without client-side validation, to probe how the server answers what the
	// client would refuse.
	Unvalidated bool
	// OmitAPIVersion sends no api-version at all (an empty Params.APIVersion sends "api-version=").
	OmitAPIVersion bool
	Auth           Auth
	Token          string
	Authorization  string
	Expect         Expect
	// Provenance says where the expected answer comes from; it decides the level label (Labels).
	Provenance catalogue.Provenance
	// Tags are labels beyond the level, e.g. "parameters".
	Tags []string
	// EmulatorOnly, when set, says why real ARM cannot be made to produce the scenario on demand; such a
	// scenario runs against the emulator only and is skipped live.
	EmulatorOnly string
}

// Labels are the scenario's Ginkgo labels: its tags, then "core" when the expectation is observed or
// documented, "extended" when it is assumed.
func (s Scenario) Labels() []string {
	return append(slices.Clone(s.Tags), s.Provenance.Level())
}

// Shared provenances of the rows below.
var (
	observed   = catalogue.Observe(catalogue.CLIRecordings)
	errorsDocs = catalogue.Document(catalogue.ARMErrors)
)

// Names no real workspace has. The unknown subscription is the zero GUID because the sanitizer writes every
// other subscription id as the zero GUID: any other choice would not replay.
const (
	unknownSubscription = recording.ZeroGUID
	unknownGroup        = "listkeys-conformance-no-such-group"
	unknownWorkspace    = "listkeys-conformance-no-such-workspace"
)

func same(t Target) arm.Params { return t }

func with(edit func(*arm.Params)) func(Target) arm.Params {
	return func(t Target) arm.Params {
		edit(&t)
		return t
	}
}

// OK is the documented call: the workspace under test, the credential's token.
var OK = Scenario{
	Name: "ok", Title: "returns the workspace's keys and connection strings",
	Params: same, Expect: Expect{Status: 200}, Provenance: observed,
}

// KeysDisabled is a workspace whose API keys are disabled, answered as in 2025: the keys still listed.
var KeysDisabled = Scenario{
	Name: "keys-disabled", Title: "returns apiKeyEnabled false for a workspace with API keys disabled",
	Params:       with(func(p *arm.Params) { p.Workspace = catalogue.KeysDisabledWorkspace }),
	Expect:       Expect{Status: 200},
	Provenance:   observed,
	EmulatorOnly: "needs a second workspace with API keys disabled",
}

// KeysWithheld is a workspace whose API keys are disabled, answered as in 2024: no keys, empty connection
// strings.
var KeysWithheld = Scenario{
	Name: "keys-disabled-empty", Title: "returns apiKeyEnabled false without keys for a workspace with API keys disabled",
	Params:       with(func(p *arm.Params) { p.Workspace = catalogue.KeysWithheldWorkspace }),
	Expect:       Expect{Status: 200},
	Provenance:   observed,
	EmulatorOnly: "needs a workspace with API keys disabled that the service answers in its 2024 shape",
}

// Errors are the scenarios in which the server must refuse, each with the ARM error it must give.
var Errors = []Scenario{
	{
		Name: "error-invalid-subscription-id", Title: "refuses a subscription id that is not a GUID with 400 InvalidSubscriptionId",
		Params: with(func(p *arm.Params) { p.SubscriptionID = "not-a-guid" }), Unvalidated: true,
		Expect: Expect{Status: 400, Code: "InvalidSubscriptionId"}, Provenance: errorsDocs,
	},
	{
		Name: "error-missing-api-version", Title: "refuses a request without api-version with 400 MissingApiVersionParameter",
		Params: same, OmitAPIVersion: true,
		Expect: Expect{Status: 400, Code: "MissingApiVersionParameter"}, Provenance: errorsDocs,
	},
	{
		Name: "error-unsupported-api-version", Title: "refuses an api-version it does not serve with 400 NoRegisteredProviderFound",
		Params: with(func(p *arm.Params) { p.APIVersion = "2000-01-01-preview" }), Unvalidated: true,
		Expect: Expect{Status: 400, Code: "NoRegisteredProviderFound"}, Provenance: errorsDocs,
	},
	{
		Name: "error-subscription-not-found", Title: "answers an unknown subscription with 404 SubscriptionNotFound",
		Params: with(func(p *arm.Params) { p.SubscriptionID = unknownSubscription }),
		Expect: Expect{Status: 404, Code: "SubscriptionNotFound"}, Provenance: errorsDocs,
	},
	{
		Name: "error-resource-group-not-found", Title: "answers an unknown resource group with 404 ResourceGroupNotFound",
		Params: with(func(p *arm.Params) { p.ResourceGroup = unknownGroup }),
		Expect: Expect{Status: 404, Code: "ResourceGroupNotFound"}, Provenance: errorsDocs,
	},
	{
		Name: "error-workspace-not-found", Title: "answers an unknown workspace with 404 ResourceNotFound",
		Params: with(func(p *arm.Params) { p.Workspace = unknownWorkspace }),
		Expect: Expect{Status: 404, Code: "ResourceNotFound"}, Provenance: errorsDocs,
	},
	{
		Name: "error-no-token", Title: "refuses a request without Authorization with 401 AuthenticationFailed and a Bearer challenge",
		Params: same, Auth: NoAuth,
		Expect: Expect{Status: 401, Code: "AuthenticationFailed", Header: []string{"WWW-Authenticate"}}, Provenance: errorsDocs,
	},
	{
		Name: "error-malformed-authorization", Title: "refuses a malformed Authorization header with 401 AuthenticationFailedInvalidHeader",
		Params: same, Auth: RawAuth, Authorization: "Bearer",
		Expect: Expect{Status: 401, Code: "AuthenticationFailedInvalidHeader", Header: []string{"WWW-Authenticate"}}, Provenance: errorsDocs,
	},
	{
		Name: "error-invalid-token", Title: "refuses a token it cannot read with 401 InvalidAuthenticationToken",
		Params: same, Auth: Token, Token: "listkeys-conformance-invalid-token",
		Expect: Expect{Status: 401, Code: "InvalidAuthenticationToken", Header: []string{"WWW-Authenticate"}}, Provenance: errorsDocs,
	},
	{
		Name: "error-expired-token", Title: "refuses an expired token with 401 ExpiredAuthenticationToken",
		Params: same, Auth: Token, Token: catalogue.ExpiredToken,
		Expect:       Expect{Status: 401, Code: "ExpiredAuthenticationToken", Header: []string{"WWW-Authenticate"}},
		Provenance:   errorsDocs,
		EmulatorOnly: "needs an expired token, which the suite cannot mint for real ARM",
	},
	{
		Name: "error-wrong-audience-token", Title: "refuses a token for another audience with 401 InvalidAuthenticationTokenAudience",
		Params: same, Auth: Token, Token: catalogue.WrongAudienceToken,
		Expect:       Expect{Status: 401, Code: "InvalidAuthenticationTokenAudience", Header: []string{"WWW-Authenticate"}},
		Provenance:   errorsDocs,
		EmulatorOnly: "needs a token for another audience, which the suite does not request live",
	},
	{
		Name: "error-no-permission", Title: "refuses a principal without listKeys permission with 403 AuthorizationFailed",
		Params: same, Auth: Token, Token: catalogue.NoPermissionToken,
		Expect:       Expect{Status: 403, Code: "AuthorizationFailed"},
		Provenance:   errorsDocs,
		EmulatorOnly: "needs a second principal without the listKeys action",
	},
	{
		Name: "error-throttled", Title: "throttles with 429 and says when to retry in Retry-After",
		Params:       with(func(p *arm.Params) { p.Workspace = catalogue.ThrottledWorkspace }),
		Expect:       Expect{Status: 429, Code: "SubscriptionRequestsThrottled", Header: []string{"Retry-After"}},
		Provenance:   errorsDocs,
		EmulatorOnly: "real ARM throttles only under load the suite must not generate",
	},
	{
		Name: "error-internal", Title: "reports its own failure as 500 with an ErrorResponse",
		Params:       with(func(p *arm.Params) { p.Workspace = catalogue.InternalErrorWorkspace }),
		Expect:       Expect{Status: 500, Code: "InternalServerError"},
		Provenance:   catalogue.Assume("real ARM fails only by accident: the answer follows the ARM error format"),
		EmulatorOnly: "real ARM fails only by accident",
	},
}

// All is every scenario, the order the suites and `make record-emulator` take them in.
func All() []Scenario {
	return append(append([]Scenario{OK, KeysDisabled, KeysWithheld}, Errors...), InvalidParameters...)
}
