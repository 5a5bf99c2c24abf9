package catalogue

import (
	"fmt"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// Basis says what an expected answer rests on.
type Basis string

const (
	// Observed: a public recording of real ARM shows it (Source names the recording).
	Observed Basis = "observed"
	// Documented: ARM's public documentation says so (Source names it).
	Documented Basis = "documented"
	// Assumed: this project's decision where neither a recording nor a document tells (Source gives the reason).
	Assumed Basis = "assumed"
)

// Provenance is where an expected answer comes from. The facts behind each source are in docs/real-arm.md
// (recordings) and docs/arm-errors.md (ARM's documented errors), each with its public source.
type Provenance struct {
	Basis  Basis  `json:"basis"`
	Source string `json:"source"`
}

func (p Provenance) String() string { return string(p.Basis) + ": " + p.Source }

// Level is the label the expectation runs under: "core" for observed and documented behaviour, "extended"
// for conventions and assumptions.
func (p Provenance) Level() string {
	if p.Basis == Assumed {
		return "extended"
	}
	return "core"
}

// Valid says the provenance names a basis and a source.
func (p Provenance) Valid() error {
	switch p.Basis {
	case Observed, Documented, Assumed:
	default:
		return fmt.Errorf("basis %q is none of %s, %s, %s", p.Basis, Observed, Documented, Assumed)
	}
	if p.Source == "" {
		return fmt.Errorf("%s without a source (name the recording, the document or the reason)", p.Basis)
	}
	return nil
}

// The public sources, named once (docs/real-arm.md and docs/arm-errors.md describe each).
const (
	// CLIRecordings are the Azure CLI quantum extension's test recordings against real ARM (2024-03 to 2025-09).
	CLIRecordings = "Azure CLI quantum extension test recordings (docs/real-arm.md)"
	// JSRecording is the Azure SDK for JS test-proxy recording of a Microsoft.Quantum workspace, headers unfiltered.
	JSRecording = "Azure SDK for JS test-proxy recording (docs/real-arm.md)"
	// ARMErrors are ARM's documented error codes for client mistakes.
	ARMErrors = "ARM error codes for client mistakes (docs/arm-errors.md)"
)

// Observe, Document and Assume build a Provenance.
func Observe(source string) Provenance  { return Provenance{Observed, source} }
func Document(source string) Provenance { return Provenance{Documented, source} }
func Assume(reason string) Provenance   { return Provenance{Assumed, reason} }

// Names of the emulator's world beyond the documented example's workspace.
const (
	EmptySubscriptionID = "11111111-2222-3333-4444-555555555555" // known, without resource groups
	EmptyResourceGroup  = "emptyGroup"                           // known, without workspaces
	TenantID            = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" // fake, never a real tenant
	// Location is the documented workspace's region; its QuantumEndpoint names EndpointRegion, another one,
	// as a real westus2 workspace's did (docs/real-arm.md).
	Location       = "westus2"
	EndpointRegion = "westcentralus"
	// FrontEndRegion is ARM's front end that answers, named in x-ms-routing-request-id: not the workspace's.
	FrontEndRegion = "southeastasia"
)

// Bearer tokens the emulator knows; any other is invalid.
const (
	ValidToken         = "emulator-token"
	ExpiredToken       = "expired-token"
	WrongAudienceToken = "wrong-audience-token"
	NoPermissionToken  = "no-permission-token"
)

// Workspaces that play a behaviour, in the documented example's subscription and resource group.
const (
	DefaultWorkspace       = examples.Workspace
	KeysDisabledWorkspace  = "keys-disabled"
	KeysWithheldWorkspace  = "keys-disabled-empty"
	ThrottledOnceWorkspace = "throttled-once"
	Transient503Workspace  = "transient-503"
	Transient500Workspace  = "transient-500"
	InternalErrorWorkspace = "internal-error"
	ThrottledWorkspace     = "throttled"
	RotationWorkspace      = "rotation"
)

// Key types of Workspaces_RegenerateKeys (the documented KeyType enum).
const (
	PrimaryKeyType   = "Primary"
	SecondaryKeyType = "Secondary"
)

// RetryAfter is what a throttled answer asks the client to wait.
const RetryAfter = time.Second

// Clock is the emulator's default clock: it stands still, so that recording twice gives the same bytes. It is
// the createdAt of the observed answer the emulator's default keys copy (docs/real-arm.md), plus a day.
var Clock = time.Date(2025, 3, 5, 23, 3, 39, 0, time.UTC)

// Key creation times of the default workspaces: whole seconds, the two keys regenerated apart.
var (
	PrimaryCreated   = time.Date(2025, 3, 4, 23, 3, 39, 0, time.UTC)
	SecondaryCreated = time.Date(2025, 3, 4, 23, 3, 41, 0, time.UTC)
)

// Play is how a workspace answers a request that passed every ARM check.
type Play int

const (
	OK                   Play = iota // 200 with the keys, every time
	KeysDisabled                     // 200, apiKeyEnabled false, keys and connection strings present (2025)
	KeysDisabledWithheld             // 200, apiKeyEnabled false, no keys, empty connection strings (2024)
	ThrottledOnce                    // the first call 429 with Retry-After, then 200
	TransientOnce503                 // the first call 503, then 200
	Transient500Once                 // the first call 500, then 200
	AlwaysInternalError              // 500 every time
	AlwaysThrottled                  // 429 with Retry-After every time
)

// Behaviour is one thing the emulator does, how a client picks it, and what it answers.
type Behaviour struct {
	Name   string
	Choice string // what the client sends
	// Workspace, when set, is the workspace that plays Play; the other behaviours follow from the request.
	Workspace string
	Play      Play
	Status    int // the first answer
	Code      string
	Then      int // the answer to the same request sent again, when it differs
	Note      string
	Provenance
}

// Behaviours is the emulator's table: the workspace behaviours first, then the errors a client reaches by its
// own choices. Names not given in Choice are the defaults: the documented example's subscription, resource
// group and workspace, the contract's api-version, Authorization "Bearer " + ValidToken, POST.
func Behaviours() []Behaviour {
	retryAfter := int(RetryAfter / time.Second)
	ws := func(name string) string { return "workspace " + name }
	assumeFailure := Assume("real ARM fails only by accident: the answer follows the ARM error format")
	return []Behaviour{
		{Name: "ok", Choice: ws(DefaultWorkspace), Workspace: DefaultWorkspace, Play: OK, Status: 200,
			Note: "the keys and their connection strings (QuantumEndpoint in another region than the location)", Provenance: Observe(CLIRecordings)},
		{Name: "keys-disabled", Choice: ws(KeysDisabledWorkspace), Workspace: KeysDisabledWorkspace, Play: KeysDisabled, Status: 200,
			Note: "apiKeyEnabled false, keys still listed (as answered in 2025)", Provenance: Observe(CLIRecordings)},
		{Name: "keys-disabled-empty", Choice: ws(KeysWithheldWorkspace), Workspace: KeysWithheldWorkspace, Play: KeysDisabledWithheld, Status: 200,
			Note: "apiKeyEnabled false, no keys, empty connection strings (as answered in 2024)", Provenance: Observe(CLIRecordings)},
		{Name: "throttled-once", Choice: ws(ThrottledOnceWorkspace), Workspace: ThrottledOnceWorkspace, Play: ThrottledOnce,
			Status: 429, Code: "SubscriptionRequestsThrottled", Then: 200,
			Note: fmt.Sprintf("Retry-After: %d; the report says whether the client waited that long", retryAfter), Provenance: Document(ARMErrors)},
		{Name: "transient-503", Choice: ws(Transient503Workspace), Workspace: Transient503Workspace, Play: TransientOnce503,
			Status: 503, Code: "ServiceUnavailable", Then: 200, Provenance: assumeFailure},
		{Name: "transient-500", Choice: ws(Transient500Workspace), Workspace: Transient500Workspace, Play: Transient500Once,
			Status: 500, Code: "InternalServerError", Then: 200, Provenance: assumeFailure},
		{Name: "internal-error", Choice: ws(InternalErrorWorkspace), Workspace: InternalErrorWorkspace, Play: AlwaysInternalError,
			Status: 500, Code: "InternalServerError", Note: "every time", Provenance: assumeFailure},
		{Name: "throttled", Choice: ws(ThrottledWorkspace), Workspace: ThrottledWorkspace, Play: AlwaysThrottled,
			Status: 429, Code: "SubscriptionRequestsThrottled",
			Note: fmt.Sprintf("every time, with Retry-After: %d: a client must give up in the end", retryAfter), Provenance: Document(ARMErrors)},
		{Name: "rotation", Choice: "POST .../workspaces/{workspace}/regenerateKey with {\"keys\": [\"Primary\"|\"Secondary\", ...]} (any workspace; " + ws(RotationWorkspace) + " is kept for it)",
			Workspace: RotationWorkspace, Play: OK, Status: 204,
			Note:       "no body; the next listKeys shows the new key, a later createdAt and its connection string, the other key untouched. Per workspace, for as long as serve runs",
			Provenance: Observe(CLIRecordings)},
		{Name: "regenerate-no-body", Choice: "regenerateKey with no body (a key type other than Primary and Secondary: 400 InvalidKeyType)",
			Status: 400, Code: "InvalidRequestContent",
			Provenance: Assume("no public recording shows ARM refusing a Regenerate Keys body; the codes follow ARM's error format")},
		{Name: "unknown-workspace", Choice: "any other workspace name", Status: 404, Code: "ResourceNotFound",
			Note: "from ARM itself: x-ms-failure-cause: gateway", Provenance: Document(ARMErrors)},
		{Name: "unknown-resource-group", Choice: "another resource group; also " + EmptyResourceGroup + " (known, empty), or any group in subscription " + EmptySubscriptionID + " (known, empty)",
			Status: 404, Code: "ResourceGroupNotFound", Provenance: Document(ARMErrors)},
		{Name: "invalid-resource-group", Choice: "a resource group name with characters ARM refuses", Status: 400, Code: "InvalidResourceGroup",
			Note: "the status is unverified", Provenance: Document(ARMErrors)},
		{Name: "unknown-subscription", Choice: "another well-formed subscription GUID", Status: 404, Code: "SubscriptionNotFound", Provenance: Document(ARMErrors)},
		{Name: "invalid-subscription", Choice: "a subscription that is not a GUID", Status: 400, Code: "InvalidSubscriptionId", Provenance: Document(ARMErrors)},
		{Name: "missing-api-version", Choice: "no api-version", Status: 400, Code: "MissingApiVersionParameter", Provenance: Document(ARMErrors)},
		{Name: "invalid-api-version", Choice: "an api-version not shaped yyyy-mm-dd[-preview]", Status: 400, Code: "InvalidApiVersionParameter",
			Note: "the status is unverified", Provenance: Document(ARMErrors)},
		{Name: "unsupported-api-version", Choice: "a well-formed api-version the emulator does not serve, e.g. 2020-01-01", Status: 400, Code: "NoRegisteredProviderFound", Provenance: Document(ARMErrors)},
		{Name: "no-token", Choice: "no Authorization header", Status: 401, Code: "AuthenticationFailed", Provenance: Document(ARMErrors)},
		{Name: "malformed-authorization", Choice: `Authorization that is not "Bearer <token>"`, Status: 401, Code: "AuthenticationFailedInvalidHeader", Provenance: Document(ARMErrors)},
		{Name: "invalid-token", Choice: "an unknown bearer token", Status: 401, Code: "InvalidAuthenticationToken", Provenance: Document(ARMErrors)},
		{Name: "expired-token", Choice: "Bearer " + ExpiredToken, Status: 401, Code: "ExpiredAuthenticationToken", Provenance: Document(ARMErrors)},
		{Name: "wrong-audience-token", Choice: "Bearer " + WrongAudienceToken, Status: 401, Code: "InvalidAuthenticationTokenAudience", Provenance: Document(ARMErrors)},
		{Name: "no-permission", Choice: "Bearer " + NoPermissionToken, Status: 403, Code: "AuthorizationFailed", Provenance: Document(ARMErrors)},
		{Name: "wrong-method", Choice: "a method other than POST", Status: 405, Code: "MethodNotAllowed",
			Provenance: Assume("ARM's answer to another method on an action is not public; 405 is HTTP's")},
		{Name: "unknown-path", Choice: "any other path", Status: 404, Code: "NotFound",
			Provenance: Assume("the emulator serves one operation; ARM's answer for other paths is out of scope")},
	}
}
