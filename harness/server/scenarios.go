package server

import (
	"fmt"
	"math"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
)

// Scenario is one behaviour of the default emulator and how a client under test chooses it.
type Scenario struct {
	Name   string `json:"name"`
	Choice string `json:"choice"` // what the client sends
	Status int    `json:"status"` // the first answer
	Code   string `json:"code,omitempty"`
	Then   int    `json:"then,omitempty"` // the answer to the same request sent again, when it differs
	Note   string `json:"note,omitempty"`
}

// Scenarios is the table of the package documentation, as data: the workspace scenarios first, then the
// errors a client reaches by its own choices. Names not given in Choice are the defaults: subscription
// emulator.DefaultSubscriptionID, resource group emulator.DefaultResourceGroup, workspace
// emulator.DefaultWorkspace, api-version the contract's, Authorization "Bearer emulator.ValidToken", POST.
func Scenarios() []Scenario {
	retryAfter := int(math.Ceil(emulator.DefaultConfig().RetryAfter.Seconds()))
	ws := func(name string) string { return "workspace " + name }
	return []Scenario{
		{Name: "ok", Choice: ws(emulator.DefaultWorkspace), Status: 200, Note: "the keys and their connection strings"},
		{Name: "keys-disabled", Choice: ws(emulator.KeysDisabledWorkspace), Status: 200, Note: "apiKeyEnabled is false"},
		{Name: "throttled-once", Choice: ws(emulator.ThrottledOnceWorkspace), Status: 429, Code: "SubscriptionRequestsThrottled", Then: 200,
			Note: fmt.Sprintf("Retry-After: %d; the report says whether the client waited that long (%s)", retryAfter, checkClientRetryAfter)},
		{Name: "transient-503", Choice: ws(emulator.Transient503Workspace), Status: 503, Code: "ServiceUnavailable", Then: 200},
		{Name: "transient-500", Choice: ws(emulator.Transient500Workspace), Status: 500, Code: "InternalServerError", Then: 200},
		{Name: "internal-error", Choice: ws(emulator.InternalErrorWorkspace), Status: 500, Code: "InternalServerError", Note: "every time"},
		{Name: "throttled", Choice: ws(emulator.ThrottledWorkspace), Status: 429, Code: "SubscriptionRequestsThrottled",
			Note: fmt.Sprintf("every time, with Retry-After: %d: a client must give up in the end", retryAfter)},
		{Name: "rotation", Choice: "POST .../workspaces/{workspace}/regenerateKey with {\"keys\": [\"Primary\"|\"Secondary\", ...]} (any workspace; " + ws(emulator.RotationWorkspace) + " is kept for it)", Status: 204,
			Note: "no body; the next listKeys shows the new key, a later createdAt and its connection string, the other key untouched. Per workspace, for as long as serve runs"},
		{Name: "regenerate-no-body", Choice: "regenerateKey with no body (a key type other than Primary and Secondary: 400 InvalidKeyType)", Status: 400, Code: "InvalidRequestContent"},
		{Name: "unknown-workspace", Choice: "any other workspace name", Status: 404, Code: "ResourceNotFound"},
		{Name: "unknown-resource-group", Choice: "another resource group; also " + emulator.EmptyResourceGroup + " (known, empty), or any group in subscription " + emulator.EmptySubscriptionID + " (known, empty)", Status: 404, Code: "ResourceGroupNotFound"},
		{Name: "invalid-resource-group", Choice: "a resource group name with characters ARM refuses", Status: 400, Code: "InvalidResourceGroup"},
		{Name: "unknown-subscription", Choice: "another well-formed subscription GUID", Status: 404, Code: "SubscriptionNotFound"},
		{Name: "invalid-subscription", Choice: "a subscription that is not a GUID", Status: 400, Code: "InvalidSubscriptionId"},
		{Name: "missing-api-version", Choice: "no api-version", Status: 400, Code: "MissingApiVersionParameter"},
		{Name: "invalid-api-version", Choice: "an api-version not shaped yyyy-mm-dd[-preview]", Status: 400, Code: "InvalidApiVersionParameter"},
		{Name: "unsupported-api-version", Choice: "a well-formed api-version the emulator does not serve, e.g. 2020-01-01", Status: 400, Code: "NoRegisteredProviderFound"},
		{Name: "no-token", Choice: "no Authorization header", Status: 401, Code: "AuthenticationFailed"},
		{Name: "malformed-authorization", Choice: `Authorization that is not "Bearer <token>"`, Status: 401, Code: "AuthenticationFailedInvalidHeader"},
		{Name: "invalid-token", Choice: "an unknown bearer token", Status: 401, Code: "InvalidAuthenticationToken"},
		{Name: "expired-token", Choice: "Bearer " + emulator.ExpiredToken, Status: 401, Code: "ExpiredAuthenticationToken"},
		{Name: "wrong-audience-token", Choice: "Bearer " + emulator.WrongAudienceToken, Status: 401, Code: "InvalidAuthenticationTokenAudience"},
		{Name: "no-permission", Choice: "Bearer " + emulator.NoPermissionToken, Status: 403, Code: "AuthorizationFailed"},
		{Name: "wrong-method", Choice: "a method other than POST", Status: 405, Code: "MethodNotAllowed"},
		{Name: "unknown-path", Choice: "any other path", Status: 404, Code: "NotFound"},
	}
}
