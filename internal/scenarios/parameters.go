package scenarios

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
)

func subscription(v string) func(Target) arm.Params {
	return with(func(p *arm.Params) { p.SubscriptionID = v })
}

func group(v string) func(Target) arm.Params {
	return with(func(p *arm.Params) { p.ResourceGroup = v })
}

func workspace(v string) func(Target) arm.Params {
	return with(func(p *arm.Params) { p.Workspace = v })
}

func apiVersion(v string) func(Target) arm.Params {
	return with(func(p *arm.Params) { p.APIVersion = v })
}

// The parameter rows are tagged "parameters". Where ARM's documented errors (docs/arm-errors.md) give the
// answer for the case, the row is documented (label "core"); where the answer is this suite's decision, it is
// assumed (label "extended"): a live recording settles it, one row at a time.
var (
	parameters = []string{"parameters"}
	documented = catalogue.Document(catalogue.ARMErrors)
)

// Answers a parameter row can call for.
var (
	invalidSubscription = Expect{Status: http.StatusBadRequest, Code: "InvalidSubscriptionId"}
	invalidGroup        = Expect{Status: http.StatusBadRequest, Code: "InvalidResourceGroup"}
	groupNotFound       = Expect{Status: http.StatusNotFound, Code: "ResourceGroupNotFound"}
	workspaceNotFound   = Expect{Status: http.StatusNotFound, Code: "ResourceNotFound"}
	invalidAPIVersion   = Expect{Status: http.StatusBadRequest, Code: "InvalidApiVersionParameter"}
)

// InvalidParameters sends the server, unchecked, one value of each class the client refuses (and of each
// class where ARM's rules and the documented pattern differ), and says how the server must answer it. Every
// value goes escaped into its own path segment (UnsafeURL), so it reaches the server as a value, never as
// another path. The values are fixed, not derived from the workspace under test, so no real name can reach a
// cassette through them.
//
// Covered elsewhere, in Errors: a subscription id that is no GUID at all (error-invalid-subscription-id), a
// missing api-version (error-missing-api-version) and a well-formed one that is not served
// (error-unsupported-api-version).
var InvalidParameters = []Scenario{
	// subscriptionId. ARM checks that it is a GUID before it looks anything up: 400 InvalidSubscriptionId.
	{
		Name: "param-subscription-braces", Title: "refuses a subscription id in braces with 400 InvalidSubscriptionId",
		Params: subscription("{" + examples.SubscriptionID + "}"), Unvalidated: true, Expect: invalidSubscription,
		// Decided: .NET's Guid.TryParse reads the braced form. If ARM parses subscription ids that way, a live
		// recording answers 404 SubscriptionNotFound, and this row becomes that.
		Tags: parameters, Provenance: catalogue.Assume("ARM may read the braced form as .NET's Guid.TryParse does (then 404 SubscriptionNotFound)"),
	},
	{
		Name: "param-subscription-no-dashes", Title: "refuses a subscription id without dashes with 400 InvalidSubscriptionId",
		Params: subscription(strings.ReplaceAll(examples.SubscriptionID, "-", "")), Unvalidated: true, Expect: invalidSubscription,
		// Decided, as for braces: .NET reads 32 digits without dashes as a GUID too.
		Tags: parameters, Provenance: catalogue.Assume("ARM may read 32 digits without dashes as .NET's Guid.TryParse does"),
	},
	{
		Name: "param-subscription-35-characters", Title: "refuses a subscription id of 35 characters with 400 InvalidSubscriptionId",
		Params: subscription(examples.SubscriptionID[:35]), Unvalidated: true, Expect: invalidSubscription,
		Tags: parameters, Provenance: documented,
	},
	{
		Name: "param-subscription-37-characters", Title: "refuses a subscription id of 37 characters with 400 InvalidSubscriptionId",
		Params: subscription(examples.SubscriptionID + "4"), Unvalidated: true, Expect: invalidSubscription,
		Tags: parameters, Provenance: documented,
	},
	{
		Name: "param-subscription-non-hex", Title: "refuses a subscription id with a digit that is not hexadecimal with 400 InvalidSubscriptionId",
		Params: subscription("0000000g" + examples.SubscriptionID[8:]), Unvalidated: true, Expect: invalidSubscription,
		Tags: parameters, Provenance: documented,
	},
	{
		Name: "param-subscription-empty", Title: "refuses an empty subscription id with 400 InvalidSubscriptionId",
		Params: subscription(""), Unvalidated: true, Expect: invalidSubscription,
		// Decided. The path then has an empty segment (/subscriptions//resourceGroups/...), which HTTP allows. A
		// hop that merges the slashes shifts every segment, and ARM reads "resourceGroups" as the subscription
		// id: a malformed one either way.
		Tags: parameters, Provenance: catalogue.Assume("an empty path segment: a hop that merges slashes shifts the segments"),
	},

	// resourceGroupName. ARM's documented errors give 400 InvalidResourceGroup for characters outside ARM's set (status
	// unverified); the suite expects the same for a wrong length and a trailing ".", which ARM's rules also
	// forbid.
	{
		Name: "param-resource-group-empty", Title: "refuses an empty resource group name with 400 InvalidResourceGroup",
		Params: group(""), Unvalidated: true, Expect: invalidGroup,
		// Decided. An empty segment (.../resourceGroups//providers/...) that a hop merges leaves a path one
		// segment short, which ARM would not route at all (a 404 of another code): a live recording tells.
		Tags: parameters, Provenance: catalogue.Assume("an empty path segment: a hop that merges slashes leaves a path ARM does not route"),
	},
	{
		Name: "param-resource-group-91-characters", Title: "refuses a resource group name of 91 characters with 400 InvalidResourceGroup",
		Params: group(strings.Repeat("g", 91)), Unvalidated: true, Expect: invalidGroup,
		Tags: parameters, Provenance: catalogue.Assume("ARM documents 1 to 90 characters; its answer to 91 is not public"),
	},
	{
		Name: "param-resource-group-space", Title: "refuses a resource group name with a space with 400 InvalidResourceGroup",
		Params: group("listkeys conformance"), Unvalidated: true, Expect: invalidGroup,
		Tags: parameters, Provenance: documented,
	},
	{
		Name: "param-resource-group-trailing-dot", Title: "refuses a resource group name ending in '.' with 400 InvalidResourceGroup, though the documented pattern admits it",
		Params: group("listkeys-conformance."), Unvalidated: true, Expect: invalidGroup,
		// ARM's documented rule; the client follows the documented pattern and sends it. The code is
		// the one ARM gives for a bad name; unverified for this case.
		Tags: parameters, Provenance: catalogue.Assume("ARM documents that a name may not end in '.'; its answer to one is not public"),
	},
	{
		Name: "param-resource-group-unicode", Title: "answers a resource group name with Unicode letters, which ARM allows, with 404 ResourceGroupNotFound",
		Params: group("listkeys-conformance-grüppe"), Unvalidated: true, Expect: groupNotFound,
		// ARM allows Unicode letters, though the documented pattern (Go's ASCII \w) refuses them: the
		// name is well-formed, and no such group exists.
		Tags: parameters, Provenance: documented,
	},
	// Path safety. The client refuses these before sending; sent anyway, each stays escaped in its segment
	// (%2F, %3F, %23, %25, %2E%2E, %0D%0A, %00, %1B), so the server must read it as a name with characters
	// ARM does not allow. Unverified: a front end before ARM (http.sys, a WAF) may refuse some of them itself,
	// with a body that is no ErrorResponse, which the suite would report as non-conformant.
	{
		Name: "param-resource-group-slash", Title: "refuses a resource group name with an escaped '/' with 400 InvalidResourceGroup",
		Params: group("listkeys/conformance"), Unvalidated: true, Expect: invalidGroup, Tags: parameters, Provenance: catalogue.Assume("a front end before ARM may refuse the escaped character itself, with a body that is no ErrorResponse"),
	},
	{
		Name: "param-resource-group-question-mark", Title: "refuses a resource group name with an escaped '?' with 400 InvalidResourceGroup",
		Params: group("listkeys?conformance"), Unvalidated: true, Expect: invalidGroup, Tags: parameters, Provenance: catalogue.Assume("a front end before ARM may refuse the escaped character itself, with a body that is no ErrorResponse"),
	},
	{
		Name: "param-resource-group-hash", Title: "refuses a resource group name with an escaped '#' with 400 InvalidResourceGroup",
		Params: group("listkeys#conformance"), Unvalidated: true, Expect: invalidGroup, Tags: parameters, Provenance: catalogue.Assume("a front end before ARM may refuse the escaped character itself, with a body that is no ErrorResponse"),
	},
	{
		Name: "param-resource-group-percent", Title: "refuses a resource group name holding '%2F', sent as %252F, with 400 InvalidResourceGroup",
		Params: group("listkeys%2Fconformance"), Unvalidated: true, Expect: invalidGroup, Tags: parameters, Provenance: catalogue.Assume("a front end before ARM may refuse the escaped character itself, with a body that is no ErrorResponse"),
	},
	{
		Name: "param-resource-group-dot-dot", Title: "refuses the resource group name '..', sent escaped, with 400 InvalidResourceGroup",
		Params: group(".."), Unvalidated: true, Expect: invalidGroup, Tags: parameters, Provenance: catalogue.Assume("a front end before ARM may refuse the escaped character itself, with a body that is no ErrorResponse"),
	},
	{
		Name: "param-resource-group-line-break", Title: "refuses a resource group name with an escaped CR LF with 400 InvalidResourceGroup",
		Params: group("listkeys\r\nconformance"), Unvalidated: true, Expect: invalidGroup, Tags: parameters, Provenance: catalogue.Assume("a front end before ARM may refuse the escaped character itself, with a body that is no ErrorResponse"),
	},
	{
		Name: "param-resource-group-nul", Title: "refuses a resource group name with an escaped NUL with 400 InvalidResourceGroup",
		Params: group("listkeys\x00conformance"), Unvalidated: true, Expect: invalidGroup, Tags: parameters, Provenance: catalogue.Assume("a front end before ARM may refuse the escaped character itself, with a body that is no ErrorResponse"),
	},
	{
		Name: "param-resource-group-control", Title: "refuses a resource group name with an escaped control character with 400 InvalidResourceGroup",
		Params: group("listkeys\x1bconformance"), Unvalidated: true, Expect: invalidGroup, Tags: parameters, Provenance: catalogue.Assume("a front end before ARM may refuse the escaped character itself, with a body that is no ErrorResponse"),
	},

	// workspaceName. Decided: ARM documents nothing about names that break the documented pattern. ARM hands the action
	// to the provider, which owns the name; a name that breaks the pattern names no workspace, so the suite
	// expects the provider's not-found answer, 404 ResourceNotFound. A provider that checks names first answers
	// 400 (InvalidResourceName or the like): a live recording that shows it changes these rows.
	{
		Name: "param-workspace-leading-hyphen", Title: "answers a workspace name that starts with '-' with 404 ResourceNotFound",
		Params: workspace("-listkeys"), Unvalidated: true, Expect: workspaceNotFound, Tags: parameters, Provenance: catalogue.Assume("ARM documents nothing about workspace names: the provider's not-found answer is expected"),
	},
	{
		Name: "param-workspace-trailing-hyphen", Title: "answers a workspace name that ends with '-' with 404 ResourceNotFound",
		Params: workspace("listkeys-"), Unvalidated: true, Expect: workspaceNotFound, Tags: parameters, Provenance: catalogue.Assume("ARM documents nothing about workspace names: the provider's not-found answer is expected"),
	},
	{
		Name: "param-workspace-underscore", Title: "answers a workspace name with '_' with 404 ResourceNotFound",
		Params: workspace("listkeys_conformance"), Unvalidated: true, Expect: workspaceNotFound, Tags: parameters, Provenance: catalogue.Assume("ARM documents nothing about workspace names: the provider's not-found answer is expected"),
	},
	{
		Name: "param-workspace-dot", Title: "answers a workspace name with '.' with 404 ResourceNotFound",
		Params: workspace("listkeys.conformance"), Unvalidated: true, Expect: workspaceNotFound, Tags: parameters, Provenance: catalogue.Assume("ARM documents nothing about workspace names: the provider's not-found answer is expected"),
	},
	{
		Name: "param-workspace-unicode", Title: "answers a workspace name with Unicode letters with 404 ResourceNotFound",
		Params: workspace("listkeys-wörkspace"), Unvalidated: true, Expect: workspaceNotFound, Tags: parameters, Provenance: catalogue.Assume("ARM documents nothing about workspace names: the provider's not-found answer is expected"),
	},
	{
		Name: "param-workspace-empty", Title: "answers an empty workspace name with 404 ResourceNotFound",
		Params: workspace(""), Unvalidated: true, Expect: workspaceNotFound,
		// Decided, as for the other names; the empty segment (.../workspaces//listKeys) is one HTTP allows.
		Tags: parameters, Provenance: catalogue.Assume("ARM documents nothing about workspace names: the provider's not-found answer is expected"),
	},

	// api-version. ARM's documented errors: a malformed one is 400 InvalidApiVersionParameter (status unverified). The client
	// sends all but the empty one: the contract documents api-version only as a non-empty string.
	{
		Name: "param-api-version-empty", Title: "refuses an empty api-version with 400 InvalidApiVersionParameter",
		Params: apiVersion(""), Unvalidated: true, Expect: invalidAPIVersion,
		// Decided: ARM may take "api-version=" for a missing one (400 MissingApiVersionParameter); a live
		// recording tells.
		Tags: parameters, Provenance: catalogue.Assume("ARM may take an empty api-version for a missing one (MissingApiVersionParameter)"),
	},
	{
		Name: "param-api-version-whitespace", Title: "refuses an api-version of white space with 400 InvalidApiVersionParameter",
		Params: apiVersion(" "), Unvalidated: true, Expect: invalidAPIVersion,
		// Decided, as for the empty one.
		Tags: parameters, Provenance: catalogue.Assume("ARM may take a blank api-version for a missing one (MissingApiVersionParameter)"),
	},
	{
		Name: "param-api-version-malformed", Title: "refuses an api-version that is not a date with 400 InvalidApiVersionParameter",
		Params: apiVersion("not-a-version"), Unvalidated: true, Expect: invalidAPIVersion,
		Tags: parameters, Provenance: documented,
	},
}

// Generated is where generated parameter values go. They are too many to keep a cassette each, so they are
// never recorded. In record and live mode they go to the configured endpoint, a few of them (real ARM is
// not to be flooded); in replay mode, which has no endpoint, to an emulator in this process.
type Generated struct {
	Client *arm.Client
	// Target is the workspace the values vary from, one parameter at a time.
	Target Target
	// Where says, for the report, which server answers.
	Where string
	// Invalid and Valid are how many values of each kind to send; Shrink, how many more requests may go to
	// shrinking a counterexample.
	Invalid, Valid, Shrink int
	close                  func()
}

// Close releases the in-process emulator, if any.
func (g *Generated) Close() {
	if g.close != nil {
		g.close()
	}
}

// Counts of generated values sent to a server, and of requests spent shrinking.
const (
	generatedInvalid, generatedValid, generatedShrink                      = 300, 100, 200
	generatedInvalidNetwork, generatedValidNetwork, generatedShrinkNetwork = 24, 8, 16
)

// Generated returns where this run sends generated values: the configured endpoint in record and live mode,
// local (the caller's emulator, served here over loopback TLS) in replay. A retry would hide the answer under
// test, so there is none: a 429 or 5xx is what is judged.
func (r *Runner) Generated(local http.Handler) (*Generated, error) {
	noRetry := arm.WithRetry(policy.RetryOptions{MaxRetries: -1})
	if r.Config.Mode.Network() {
		var transport policy.Transporter
		if r.transport != nil {
			transport = &http.Client{Transport: r.transport}
		}
		client, err := arm.NewClient(r.Config, r.cred, transport, noRetry)
		if err != nil {
			return nil, err
		}
		return &Generated{Client: client, Target: r.Target, Where: fmt.Sprintf("the configured endpoint %s (%s mode; not recorded)", client.Endpoint(), r.Config.Mode),
			Invalid: generatedInvalidNetwork, Valid: generatedValidNetwork, Shrink: generatedShrinkNetwork}, nil
	}
	if local == nil {
		return nil, fmt.Errorf("replay mode has no endpoint for generated values: give an emulator to send them to")
	}
	srv := httptest.NewTLSServer(local)
	cfg := arm.Config{Mode: arm.Live, APIVersion: r.Config.APIVersion, Cloud: r.Config.Cloud, Endpoint: srv.URL}
	client, err := arm.NewClient(cfg, arm.StaticCredential(catalogue.ValidToken), srv.Client(), noRetry)
	if err != nil {
		srv.Close()
		return nil, err
	}
	target := withDocumentedDefaults(Target{APIVersion: r.Config.APIVersion})
	return &Generated{Client: client, Target: target, Where: "an emulator in this process (replay mode has no endpoint)",
		Invalid: generatedInvalid, Valid: generatedValid, Shrink: generatedShrink, close: srv.Close}, nil
}
