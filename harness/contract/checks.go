package contract

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ID names one check of the registry. The set is closed: Known refuses an ID that is not registered, and
// every consumer (specs, matchers, suite.Assert, the mutation test) asks it before trusting a name.
type ID string

// The registry's IDs. A spec names a check by one of these; a name typed as a string is checked by Known.
const (
	SchemaType      ID = "schema.type"
	SchemaFormat    ID = "schema.format"
	SchemaPattern   ID = "schema.pattern"
	SchemaLength    ID = "schema.length"
	SchemaRequired  ID = "schema.required"
	SchemaEnum      ID = "schema.enum"
	SchemaOther     ID = "schema.other"
	ResponseJSON    ID = "response.json"
	ErrorCodeMsg    ID = "error.code-message"
	ErrorNoKey      ID = "error.carries-no-key"
	Undocumented    ID = "body.undocumented-property"
	ConnFormat      ID = "connection-string.format"
	ConnAPIKey      ID = "connection-string.api-key"
	ConnWorkspace   ID = "connection-string.workspace"
	KeysWhenEnabled ID = "api-key.enabled-has-keys"
	KeysDistinct    ID = "api-key.distinct"
	KeysInPast      ID = "api-key.created-in-past"
	ScenarioStatus  ID = "scenario.status"
	ScenarioCode    ID = "scenario.error-code"
	ResponseStatus  ID = "response.status"
	ContentType     ID = "headers.content-type"
	RequestIDs      ID = "headers.request-ids"
	NoCache         ID = "headers.no-cache"
	WWWAuthenticate ID = "headers.www-authenticate"
	RetryAfter      ID = "headers.retry-after"
	ClientRetry     ID = "client.retry-after"
	RequestMethod   ID = "request.method"
	RequestPath     ID = "request.path"
	RequestPathSafe ID = "request.path-safe"
	RequestParam    ID = "request.parameter"
	RequestVersion  ID = "request.api-version"
	RequestAuth     ID = "request.authorization"
	RequestBody     ID = "request.body"
	RequestAccept   ID = "request.accept"
	RequestClientID ID = "request.client-request-id"

	NotErrorResponse  ID = "result.not-error-response"
	UnsanitizedSecret ID = "recording.unsanitized-secret"

	BodyJSON        ID = "body.json"
	RequestReadable ID = "request.readable"

	ClientRequests    ID = "client.requests-conform"
	ClientCalls       ID = "client.calls"
	ClientExitSuccess ID = "client.exit-success"
	ClientExitRefusal ID = "client.exit-refusal"
	ClientErrorCode   ID = "client.error-code-shown"
	ClientTransient   ID = "client.transient"
	ClientBounded     ID = "client.bounded-attempts"
	ClientNoRetry4xx  ID = "client.no-retry-on-refusal"
	ClientNoToken     ID = "client.token-not-shown"
	ClientNoKey       ID = "client.no-key-in-refusal"
	ClientShapes      ID = "client.answer-shapes"

	RegenerateBody      ID = "regenerate.body"
	RegenerateKeysNamed ID = "regenerate.keys-named"
	RegenerateNoContent ID = "regenerate.no-content"
)

// Check is one rule of the contract: data (ID, level, source, statement) plus the function that finds its
// violations, or, for a rule no single exchange shows, the component that evaluates it. The registry below
// is the only place a rule is written; specs and commands ask for it by ID.
type Check struct {
	ID        ID     `json:"id"`
	Level     Level  `json:"level"`
	Source    string `json:"source"`
	Statement string `json:"statement"`
	// Applies lists the definitions a body check runs on; empty means all.
	Applies []string `json:"applies,omitempty"`
	// Header is the response header the check is about, so that a scenario asking for a header names its
	// check (and a header no check is about is refused).
	Header string `json:"header,omitempty"`
	// EvaluatedBy names what finds the violations of a check that has no function of its own here.
	EvaluatedBy string `json:"evaluatedBy,omitempty"`

	raw     func(*run) // on the bytes: runs even on a body that is not JSON
	body    func(*run)
	headers func(*run)
	request func(*run)
}

func (c Check) appliesTo(definition string) bool {
	return len(c.Applies) == 0 || slices.Contains(c.Applies, definition)
}

// Evaluated reports whether the check has a function here or names the component that evaluates it: a
// registry entry with neither would be a rule nothing enforces.
func (c Check) Evaluated() bool {
	return c.raw != nil || c.body != nil || c.headers != nil || c.request != nil || c.EvaluatedBy != ""
}

// OnRequest reports whether the check judges the request side of an exchange.
func (c Check) OnRequest() bool { return c.request != nil }

// Checks returns the registry: every rule the contract enforces, schema rules first.
func Checks() []Check { return slices.Clone(registry) }

// IDs lists every registered ID, in registry order.
func IDs() []ID {
	out := make([]ID, len(registry))
	for i, c := range registry {
		out[i] = c.ID
	}
	return out
}

// CheckByID finds a rule in the registry.
func CheckByID(id ID) (Check, bool) {
	i := slices.IndexFunc(registry, func(c Check) bool { return c.ID == id })
	if i < 0 {
		return Check{}, false
	}
	return registry[i], true
}

// Known is nil for a registered ID, and otherwise an error listing the registered ones: a spec that names a
// check that does not exist must fail, never pass.
func Known(ids ...ID) error {
	for _, id := range ids {
		if _, ok := levels[id]; !ok {
			known := make([]string, len(registry))
			for i, c := range registry {
				known[i] = string(c.ID)
			}
			return fmt.Errorf("unknown check ID %q (known: %s)", id, strings.Join(known, ", "))
		}
	}
	return nil
}

// HeaderCheck is the check about the named response header, or an error naming the headers checks are about.
func HeaderCheck(header string) (ID, error) {
	var names []string
	for _, c := range registry {
		if c.Header != "" {
			if strings.EqualFold(c.Header, header) {
				return c.ID, nil
			}
			names = append(names, c.Header)
		}
	}
	return "", fmt.Errorf("no check is about the response header %q (checks exist for: %s)", header, strings.Join(names, ", "))
}

// CreatedAtSkew is how far in the future a createdAt may lie before it is implausible: clocks differ.
const CreatedAtSkew = 5 * time.Minute

const (
	sourceSchema   = "documented definitions (generated JSON Schema)"
	sourceARMError = "ARM RPC error contract (docs/arm-errors.md)"
	sourceConn     = "connection string format of the Azure Quantum SDKs (docs/connection-string.md, docs/real-arm.md)"
	sourceARM      = "ARM RPC common API details (docs/wire.md)"
	sourceHTTP     = "RFC 9110 / RFC 6585"
	sourceParams   = "documented parameters (generated JSON Schema)"
	sourceCatalog  = "the scenario catalogue (internal/scenarios): ARM's answer for the case"
	bySchema       = "contract: the generated JSON Schema (gojsonschema), its errors mapped by keyword"
)

var registry = []Check{
	{ID: SchemaType, Level: MUST, Source: sourceSchema, EvaluatedBy: bySchema, Statement: "Every value has the documented JSON type."},
	{ID: SchemaFormat, Level: MUST, Source: sourceSchema, EvaluatedBy: bySchema, Statement: "Every value with a documented format has it (date-time is RFC 3339 §5.6, uuid is 8-4-4-4-12 hex)."},
	{ID: SchemaPattern, Level: MUST, Source: sourceSchema, EvaluatedBy: bySchema, Statement: "Every value with a documented pattern matches it."},
	{ID: SchemaLength, Level: MUST, Source: sourceSchema, EvaluatedBy: bySchema, Statement: "Every string with documented length limits keeps within them."},
	{ID: SchemaRequired, Level: MUST, Source: sourceSchema, EvaluatedBy: bySchema, Statement: "Every documented required member is present."},
	{ID: SchemaEnum, Level: MUST, Source: sourceSchema, EvaluatedBy: bySchema, Statement: "Every value with documented allowed values is one of them."},
	{ID: SchemaOther, Level: MUST, Source: sourceSchema, EvaluatedBy: bySchema, Statement: "Every other constraint of the generated schema holds."},
	{
		ID: ResponseJSON, Level: MUST, Source: "documented produces (application/json)",
		EvaluatedBy: "contract: the strict decoder, before every other body check (Contract.Judge)",
		Statement:   "A response body is one JSON value (ListKeysResult or ErrorResponse), so that a client can read it.",
	},
	{
		ID: ErrorCodeMsg, Level: MUST, Source: sourceARMError, Applies: []string{"ErrorResponse"},
		Statement: "An error body has an error object whose code and message are non-empty strings, at every level of details.",
		body:      checkErrorCodeMessage,
	},
	{
		ID: ErrorNoKey, Level: MUST, Source: "documented operation: only a ListKeysResult carries keys", Applies: []string{"ErrorResponse"},
		Statement: "An answer that refuses the request holds no key: no key member, no connection string, no ApiKey=.",
		raw:       checkCarriesNoKey,
	},
	{
		ID: Undocumented, Level: SHOULD, Source: sourceSchema,
		Statement: "A body carries only documented properties.",
		body:      checkUndocumented,
	},
	{
		ID: ConnFormat, Level: MUST, Source: sourceConn, Applies: []string{"ListKeysResult"},
		Statement: "Each connection string is SubscriptionId=…;ResourceGroupName=…;WorkspaceName=…;ApiKey=…;QuantumEndpoint=https://{location}.quantum.azure.com/; in that order.",
		body:      checkConnectionStringFormat,
	},
	{
		ID: ConnAPIKey, Level: MUST, Source: sourceConn, Applies: []string{"ListKeysResult"},
		Statement: "The ApiKey inside each connection string is the matching key (primary with primary, secondary with secondary).",
		body:      checkConnectionStringKey,
	},
	{
		ID: ConnWorkspace, Level: MUST, Source: sourceConn, Applies: []string{"ListKeysResult"},
		Statement: "SubscriptionId, ResourceGroupName and WorkspaceName in each connection string name the requested workspace (case-insensitively).",
		body:      checkConnectionStringWorkspace,
	},
	{
		ID: KeysWhenEnabled, Level: SHOULD, Source: "plausibility", Applies: []string{"ListKeysResult"},
		Statement: "When apiKeyEnabled is true, both primaryKey.key and secondaryKey.key are present.",
		body:      checkEnabledHasKeys,
	},
	{
		ID: KeysDistinct, Level: SHOULD, Source: "plausibility (two keys exist for seamless regeneration)", Applies: []string{"ListKeysResult"},
		Statement: "The primary and secondary keys differ.",
		body:      checkDistinctKeys,
	},
	{
		ID: KeysInPast, Level: SHOULD, Source: "plausibility", Applies: []string{"ListKeysResult"},
		Statement: fmt.Sprintf("No createdAt lies more than %s in the future.", readableDuration(CreatedAtSkew)),
		body:      checkCreatedInPast,
	},
	{
		ID: ScenarioStatus, Level: MUST, Source: sourceCatalog,
		Statement: "The answer has the status the scenario calls for (judged only when a scenario is known).",
		raw:       checkScenarioStatus,
	},
	{
		ID: ScenarioCode, Level: MUST, Source: sourceCatalog, Applies: []string{"ErrorResponse"},
		Statement: "A refusal says the error.code the scenario calls for (judged only when a scenario is known).",
		body:      checkScenarioCode,
	},
	{
		ID: ResponseStatus, Level: SHOULD, Source: "documented responses",
		Statement: "The status is 200 (ListKeysResult) or an error status 4xx/5xx (ErrorResponse). Where a scenario is known, scenario.status judges the status instead.",
		raw:       checkStatus,
	},
	{
		ID: ContentType, Level: SHOULD, Source: sourceARM, Header: "Content-Type",
		Statement: "A response with a body declares Content-Type application/json.",
		headers:   checkContentType,
	},
	{
		ID: RequestIDs, Level: SHOULD, Source: sourceARM,
		Statement: "A response carries x-ms-request-id and x-ms-correlation-request-id.",
		headers:   checkRequestIDs,
	},
	{
		ID: NoCache, Level: SHOULD, Source: sourceARM, Header: "Cache-Control",
		Statement: "A 200 response, which carries secrets, is marked Cache-Control no-cache or no-store.",
		headers:   checkNoCache,
	},
	{
		ID: WWWAuthenticate, Level: MUST, Source: "RFC 9110 §11.6.1 (a 401 MUST send WWW-Authenticate)", Header: "WWW-Authenticate",
		Statement: "A 401 response carries a WWW-Authenticate Bearer challenge.",
		headers:   checkWWWAuthenticate,
	},
	{
		// RFC 6585 §4 lets a 429 omit Retry-After (MAY); ARM's throttling guidance says it sends one. A client
		// must cope without it, so its absence is a warning, in the registry and in every spec alike.
		ID: RetryAfter, Level: SHOULD, Source: "RFC 6585 §4 (MAY); ARM throttling guidance", Header: "Retry-After",
		Statement: "A 429 response carries Retry-After with a number of seconds or an HTTP date.",
		headers:   checkRetryAfter,
	},
	// Hostile input: strict JSON bodies and readable requests.
	{
		ID: BodyJSON, Level: MUST, Source: "RFC 8259 §2, §8.1; I-JSON (RFC 7493 §2.1-2.3)",
		EvaluatedBy: "contract: the strict decoder (decode.go), for every body it reads",
		Statement:   "A body is one JSON value with nothing after it, no member name twice in one object, and no lone surrogate in a string.",
	},
	{
		ID: RequestReadable, Level: MUST, Source: "RFC 9112 §6 (message body length); RFC 9110 §15.5.14 (413)",
		EvaluatedBy: "serve: it reads every request body, under a time and a size limit",
		Statement:   "The request can be read whole: its body is framed correctly (Content-Length kept, valid chunked encoding), arrives in time, and is no larger than the server accepts.",
	},
	{
		ID: ClientRetry, Level: SHOULD, Source: "RFC 9110 §10.2.3; ARM throttling guidance",
		EvaluatedBy: "serve: it sees the series of requests from one client and their timing",
		Statement:   "After an answer with Retry-After, the client waits at least that long before sending the same request again.",
	},
	{ID: RequestMethod, Level: MUST, Source: "documented operation", Statement: "The request method is POST.", request: checkRequestMethod},
	{ID: RequestPath, Level: MUST, Source: "documented operation", Statement: "The request path is the documented template, segment for segment (literal segments case-insensitively).", request: checkRequestPath},
	{ID: RequestPathSafe, Level: MUST, Source: "RFC 3986 §3.3 and §5.2.4 (dot segments, reserved characters)", Statement: "No path value is a dot segment or holds a character some hop may split, cut or decode again (/ \\ ? # %) or a control character.", request: checkRequestPathSafe},
	{ID: RequestParam, Level: MUST, Source: sourceParams, Statement: "Every documented parameter is present once and meets its documented constraints.", request: checkRequestParameters},
	{ID: RequestVersion, Level: SHOULD, Source: "documented operation", Statement: "The request asks for the api-version under test.", request: checkRequestAPIVersion},
	{ID: RequestAuth, Level: MUST, Source: "documented security (azure_auth, OAuth2)", Statement: "The request carries Authorization: Bearer <token>.", request: checkAuthorization},
	{ID: RequestBody, Level: SHOULD, Source: "documented operation (no body parameter)", Statement: "The request has no body.", request: checkRequestBody},
	{ID: RequestAccept, Level: SHOULD, Source: "documented produces (application/json)", Statement: "Accept, when sent, admits application/json.", request: checkAccept},
	{ID: RequestClientID, Level: SHOULD, Source: sourceARM, Statement: "x-ms-client-request-id, when sent, is a GUID.", request: checkClientRequestID},

	// Real traffic: what real answers and foreign recordings need judged (docs/recorders.md).
	{
		ID: NotErrorResponse, Level: MUST, Source: "documented responses (200: ListKeysResult; errors: ErrorResponse)", Applies: []string{"ListKeysResult"},
		Statement: "A 200 carries a ListKeysResult, never an ErrorResponse ({\"error\": …}).",
		body:      checkNotErrorResponse,
	},
	{
		ID: UnsanitizedSecret, Level: SHOULD, Source: "recorders' sanitizers (docs/recorders.md)",
		EvaluatedBy: "traffic: validate --recording scans every interaction of the recording it reads",
		Statement:   "A recording meant for publication holds no key material: every key, ApiKey= value and bearer token in it is a placeholder. A finding about the recording, not the API: it does not change the verdict.",
	},
}

// byClient is what evaluates the client checks: they are about a run of a client (its exit code, its output,
// the series of requests it sent), which no recording holds.
const byClient = "clientrun: listkeys-conformance client runs the client once per scenario and judges the run"

// clientChecks are the rules for a client under test (listkeys-conformance client).
var clientChecks = []Check{
	{ID: ClientCalls, Level: MUST, EvaluatedBy: byClient, Source: "the scenario: a client given a listKeys URL calls it",
		Statement: "The client sends at least one request to the server in every scenario."},
	{ID: ClientRequests, Level: MUST, EvaluatedBy: byClient, Source: "documented operation (the request checks serve applies)",
		Statement: "Every request the client sends passes the request checks (request.*) at level MUST."},
	{ID: ClientExitSuccess, Level: MUST, EvaluatedBy: byClient, Source: "POSIX exit status convention",
		Statement: "When the service answers 200 with the keys, the client exits 0."},
	{ID: ClientExitRefusal, Level: MUST, EvaluatedBy: byClient, Source: "POSIX exit status convention",
		Statement: "When the service refuses (every error answer that stays an error), the client exits non-zero."},
	{ID: ClientErrorCode, Level: MUST, EvaluatedBy: byClient, Source: "ARM error format (error.code)",
		Statement: "When the service refuses, the ARM error.code reaches the user: it appears on the client's stdout or stderr."},
	{ID: ClientTransient, Level: MUST, EvaluatedBy: byClient, Source: "RFC 6585 §4 (429), RFC 9110 §15.6.4 (503); ARM throttling guidance",
		Statement: "After one 429 (with Retry-After) or one 503, the client either retries and succeeds (exit 0) or fails naming the cause (non-zero exit, error.code shown)."},
	{ID: ClientBounded, Level: MUST, EvaluatedBy: byClient, Source: "ARM throttling guidance (no retry storm)",
		Statement: "The client sends at most a bounded number of requests in one run, even when every answer is 429 or 500."},
	{ID: ClientNoRetry4xx, Level: MUST, EvaluatedBy: byClient, Source: "RFC 9110 §15.5 (4xx: the request itself is wrong)",
		Statement: "After a 400, 401, 403 or 404 the client does not send the request again."},
	{ID: ClientNoToken, Level: MUST, EvaluatedBy: byClient, Source: "OAuth 2.0 bearer token usage (RFC 6750 §5.3: protect bearer tokens)",
		Statement: "The bearer token never appears in the client's stdout or stderr."},
	{ID: ClientNoKey, Level: MUST, EvaluatedBy: byClient, Source: "secret handling: a refusal carries no key",
		Statement: "When the service refuses, nothing key-shaped (a key or an ApiKey= value) appears in the client's output: there is none to print, so any is a leak of something else."},
	{ID: ClientShapes, Level: MUST, EvaluatedBy: byClient, Source: "the answers real ARM sends (keys disabled, both shapes; gzip and chunked)",
		Statement: "The client handles every answer shape the service sends: keys disabled with keys listed, keys disabled with none, gzip-encoded and chunked bodies; it exits 0 on them."},
}

// rotationChecks are the rules of Workspaces_RegenerateKeys, the operation that rotates the keys: its
// request (ValidateRequest on the operation's contract, see ForOperation) and its answer (ValidateRegenerate).
var rotationChecks = []Check{
	{ID: RegenerateBody, Level: MUST, EvaluatedBy: "contract: ValidateRequest on the Workspaces_RegenerateKeys contract (checkRegenerateBody)", Source: "documented operation Workspaces_RegenerateKeys (body ApiKeys, required)",
		Statement: "A Regenerate Keys request carries a JSON body that is an ApiKeys: {\"keys\": [...]}, each key Primary or Secondary."},
	{ID: RegenerateKeysNamed, Level: SHOULD, EvaluatedBy: "contract: ValidateRequest on the Workspaces_RegenerateKeys contract (checkRegenerateBody)", Source: "plausibility (an empty list regenerates nothing)",
		Statement: "A Regenerate Keys request names at least one key, and each key once."},
	{ID: RegenerateNoContent, Level: MUST, EvaluatedBy: "contract: ValidateRegenerate, the answer to Workspaces_RegenerateKeys", Source: "documented responses of Workspaces_RegenerateKeys (204, no schema)",
		Statement: "A successful Regenerate Keys answers 204 with an empty body."},
}

// run is one validation in progress: the decoded body and what the checks found.
type run struct {
	contract   *Contract
	definition string
	exchange   Exchange
	doc        any
	now        time.Time
	report     Report
	conns      []parsedConnection // the connection strings, once connections parsed them
	connsBuf   [2]parsedConnection
	req        *requestParts // the request's parts, for the request checks
}

func (r *run) add(id ID, path, format string, args ...any) {
	r.report.Violations = append(r.report.Violations, newViolation(id, path, fmt.Sprintf(format, args...)))
}

func (r *run) note(format string, args ...any) {
	r.report.Notes = append(r.report.Notes, fmt.Sprintf(format, args...))
}

// notChecked records that a check could not be judged on this exchange, and why, and says so in a note.
func (r *run) notChecked(id ID, path, format string, args ...any) {
	reason := fmt.Sprintf(format, args...)
	r.unchecked(id, path, reason)
	r.report.Notes = append(r.report.Notes, reason)
}

// unchecked records that a check could not be judged, without a note of its own (one note says it for all).
func (r *run) unchecked(id ID, path, reason string) {
	if r.report.NotChecked == nil {
		r.report.NotChecked = make([]Unchecked, 0, 8) // room for the usual: every header check, when no headers are given
	}
	r.report.NotChecked = append(r.report.NotChecked, Unchecked{Check: id, Path: path, Reason: reason})
}

// levels indexes the registry by ID. It is filled in init because the registry's functions report through
// it, which Go would otherwise see as an initialization cycle.
var levels = map[ID]Level{}

func init() {
	registry = append(append(registry, rotationChecks...), clientChecks...)
	for _, c := range registry {
		if _, dup := levels[c.ID]; dup {
			panic("contract: check " + string(c.ID) + " registered twice")
		}
		levels[c.ID] = c.Level
	}
}

// NewViolation is a violation of a registered check, for callers that find it outside the contract's own
// functions (a server that sees a series of requests, a reader of recordings). The level comes from the
// registry; an unregistered ID is a programming error.
func NewViolation(id ID, path, message string) Violation { return newViolation(id, path, message) }

func newViolation(id ID, path, message string) Violation {
	level, ok := levels[id]
	if !ok {
		panic("contract: violation of unregistered check " + string(id)) // a programming error, caught by the unit tests
	}
	return Violation{Check: string(id), Level: level, Path: path, Message: message}
}

// member returns obj[name] when v is an object holding it.
func member(v any, name string) (any, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	m, ok := obj[name]
	return m, ok
}

func stringMember(v any, name string) (string, bool) {
	m, _ := member(v, name)
	s, ok := m.(string)
	return s, ok
}

func checkErrorCodeMessage(r *run) {
	if _, ok := r.doc.(map[string]any); !ok {
		return // schema.type reports it
	}
	detail, ok := member(r.doc, "error")
	if !ok {
		r.add(ErrorCodeMsg, "/error", "the error body has no \"error\" member; ARM errors are {\"error\": {\"code\": …, \"message\": …}}")
		return
	}
	var walk func(detail any, path string, depth int)
	walk = func(detail any, path string, depth int) {
		if _, ok := detail.(map[string]any); !ok || depth > MaxDepth {
			return
		}
		for _, name := range []string{"code", "message"} {
			v, present := member(detail, name)
			s, isString := v.(string)
			switch {
			case !present:
				r.add(ErrorCodeMsg, path+"/"+name, "the error has no %q", name)
			case isString && strings.TrimSpace(s) == "":
				r.add(ErrorCodeMsg, path+"/"+name, "the error's %q is empty", name)
			}
		}
		details, _ := member(detail, "details")
		list, _ := details.([]any)
		for i, d := range list {
			walk(d, fmt.Sprintf("%s/details/%d", path, i), depth+1)
		}
	}
	walk(detail, "/error", 0)
}

func checkUndocumented(r *run) { r.undocumented(r.doc, r.definition, "", 0) }

// undocumented reports the members of v, a value of the definition at path, that the definition does not
// document, and those of the documented values below it that have a definition of their own.
func (r *run) undocumented(v any, definition, path string, depth int) {
	obj, ok := v.(map[string]any)
	props := r.contract.properties[definition]
	if !ok || props == nil || depth > MaxDepth {
		return
	}
	// Members in map order: finish sorts the violations by path, and each member has a path of its own.
	for name, value := range obj {
		p, documented := props[name]
		switch {
		case !documented && path == "" && name == "error" && r.definition == "ListKeysResult" && isObject(value):
			// An ErrorResponse in a 200: result.not-error-response says so, once.
		case !documented:
			r.add(Undocumented, path+"/"+escapePointer(name), "%q is not a documented property of %s", name, definition)
		case p.ref != "":
			// Only a definition with properties has members to judge: its pointer is not built for nothing.
			if r.contract.properties[p.ref] != nil {
				r.undocumented(value, p.ref, path+"/"+escapePointer(name), depth+1)
			}
		case p.items != "":
			list, _ := value.([]any)
			for i, item := range list {
				r.undocumented(item, p.items, fmt.Sprintf("%s/%s/%d", path, escapePointer(name), i), depth+1)
			}
		}
	}
}

// keyPairs names, for each connection string, the key it must carry.
var keyPairs = []struct{ conn, key string }{
	{"primaryConnectionString", "primaryKey"},
	{"secondaryConnectionString", "secondaryKey"},
}

// parsedConnection is one connection string of the body, parsed once per validation for all its checks.
type parsedConnection struct {
	conn, key string // the member and the key member it must carry
	raw       string
	cs        ConnectionString
	err       error
}

// connections parses the body's connection strings that are present, strings, not empty and not
// placeholders as a whole (those are noted once, here). A placeholder inside one — a redacted ApiKey — is
// noted too; the string is still parsed and every other part checked.
func (r *run) connections() []parsedConnection {
	if r.conns != nil {
		return r.conns
	}
	out := r.connsBuf[:0] // one per keyPairs, and never nil: parsed, even when there is none
	for _, p := range keyPairs {
		raw, ok := stringMember(r.doc, p.conn)
		if !ok || raw == "" {
			continue // an empty one is checkConnectionStringFormat's
		}
		if IsPlaceholder(raw) {
			r.notChecked(ConnFormat, "/"+p.conn, "/%s is a placeholder (%s): connection string not checked", p.conn, raw)
			r.unchecked(ConnAPIKey, "/"+p.conn, "the connection string is a placeholder")
			r.unchecked(ConnWorkspace, "/"+p.conn, "the connection string is a placeholder")
			continue
		}
		cs, err := ParseConnectionString(raw)
		if err == nil {
			for _, part := range cs.Placeholders() {
				r.note("%s in /%s is a placeholder: the checks that need it are not run; the rest of the string is checked", part, p.conn)
			}
		}
		out = append(out, parsedConnection{conn: p.conn, key: p.key, raw: raw, cs: cs, err: err})
	}
	r.conns = out
	return out
}

// connectionStrings yields each connection string that parses.
func (r *run) connectionStrings(yield func(conn, key string, cs ConnectionString)) {
	for _, p := range r.connections() {
		if p.err == nil {
			yield(p.conn, p.key, p.cs)
		}
	}
}

// checkConnectionStringFormat parses each connection string. An empty one is what the service answers with
// API keys disabled (docs/real-arm.md), both with and without key objects; it is a violation only where a
// client needs the string: apiKeyEnabled is true and the key it would carry is there.
func checkConnectionStringFormat(r *run) {
	enabled, _ := member(r.doc, "apiKeyEnabled")
	for _, p := range keyPairs {
		raw, ok := stringMember(r.doc, p.conn)
		_, hasKey := stringMember(mustMember(r.doc, p.key), "key")
		if ok && raw == "" && enabled == true && hasKey {
			r.add("connection-string.format", "/"+p.conn, "%s is empty although apiKeyEnabled is true and %s.key is present", p.conn, p.key)
		}
	}
	for _, p := range r.connections() {
		if p.err != nil {
			r.add(ConnFormat, "/"+p.conn, "%s: %v", p.conn, p.err)
		}
	}
}

func checkConnectionStringKey(r *run) {
	r.connectionStrings(func(conn, keyName string, cs ConnectionString) {
		raw, present := member(mustMember(r.doc, keyName), "key")
		key, isString := raw.(string)
		switch {
		case present && !isString:
			return // schema.type reports it
		case !present:
			r.add(ConnAPIKey, "/"+keyName+"/key", "%s carries an ApiKey but %s.key is missing", conn, keyName)
		case IsPlaceholder(key) || IsPlaceholder(cs.APIKey):
			r.notChecked(ConnAPIKey, "/"+conn, "/%s/key or the ApiKey in /%s is a placeholder: their equality not checked", keyName, conn)
		case key != cs.APIKey:
			r.add(ConnAPIKey, "/"+conn, "the ApiKey in %s is not %s.key", conn, keyName)
		}
	})
}

func mustMember(v any, name string) any {
	m, _ := member(v, name)
	return m
}

// checkConnectionStringWorkspace compares the names in each connection string with the request's. A
// recorder that sanitized the request's subscription (the zero GUID, a placeholder) left nothing to compare
// the SubscriptionId with, while the body kept the real one (docs/recorders.md): that part is noted, the
// resource group and workspace are still compared.
func checkConnectionStringWorkspace(r *run) {
	if r.exchange.Request == nil || r.exchange.Request.URL == nil {
		r.notChecked(ConnWorkspace, "", "no request URL given: connection-string.workspace not checked (pass --request-url)")
		return
	}
	var subscription, group, workspace string // what the request named
	err := r.contract.pathParameters(r.exchange.Request.URL, func(name, value string) {
		switch name {
		case "subscriptionId":
			subscription = value
		case "resourceGroupName":
			group = value
		case "workspaceName":
			workspace = value
		}
	})
	if err != nil {
		r.notChecked(ConnWorkspace, "", "request URL %s is not the documented path: connection-string.workspace not checked", r.exchange.Request.URL.Redacted())
		return
	}
	sanitized := IsSanitizedSubscription(subscription)
	if sanitized && len(r.connections()) > 0 {
		r.note("the request's subscription %s was sanitized by the recorder: SubscriptionId in the connection strings not compared with it", subscription)
	}
	r.connectionStrings(func(conn, _ string, cs ConnectionString) {
		for _, f := range [...]struct {
			part, got, want string
			compared        bool
		}{
			{"SubscriptionId", cs.SubscriptionID, subscription, !sanitized},
			{"ResourceGroupName", cs.ResourceGroupName, group, true},
			{"WorkspaceName", cs.WorkspaceName, workspace, true},
		} {
			if !f.compared || IsPlaceholder(f.got) {
				continue // noted above or in connections
			}
			if !strings.EqualFold(f.got, f.want) {
				r.add(ConnWorkspace, "/"+conn, "%s in %s is %q but the request named %q", f.part, conn, f.got, f.want)
			}
		}
	})
}

// IsSanitizedSubscription says whether a request's subscription id is what a recorder writes in place of the
// real one: the zero GUID or a placeholder.
func IsSanitizedSubscription(id string) bool {
	return id == ZeroGUID || IsPlaceholder(id)
}

// checkNotErrorResponse catches an error body taken for a 200: without it, {"error": …} passes as a
// ListKeysResult with one undocumented property, because every ListKeysResult member is optional.
func checkNotErrorResponse(r *run) {
	if detail, ok := member(r.doc, "error"); ok && isObject(detail) {
		code, _ := stringMember(detail, "code")
		r.add(NotErrorResponse, "/error", "a 200 must not carry an ErrorResponse: the body is {\"error\": …} (error.code %q)", code)
	}
}

func isObject(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

func checkEnabledHasKeys(r *run) {
	if enabled, _ := member(r.doc, "apiKeyEnabled"); enabled != true {
		return
	}
	for _, name := range []string{"primaryKey", "secondaryKey"} {
		if _, present := member(mustMember(r.doc, name), "key"); !present {
			r.add(KeysWhenEnabled, "/"+name+"/key", "apiKeyEnabled is true but %s.key is missing", name)
		}
	}
}

func checkDistinctKeys(r *run) {
	primary, ok1 := stringMember(mustMember(r.doc, "primaryKey"), "key")
	secondary, ok2 := stringMember(mustMember(r.doc, "secondaryKey"), "key")
	if ok1 && ok2 && primary == secondary && !IsPlaceholder(primary) {
		r.add(KeysDistinct, "/secondaryKey/key", "the secondary key is the same as the primary key")
	}
}

func checkCreatedInPast(r *run) {
	for _, name := range []string{"primaryKey", "secondaryKey"} {
		raw, ok := stringMember(mustMember(r.doc, name), "createdAt")
		if !ok {
			continue
		}
		t, _, err := parseDateTime(raw)
		if err != nil {
			continue // schema.format reports it
		}
		if t.After(r.now.Add(CreatedAtSkew)) {
			r.add(KeysInPast, "/"+name+"/createdAt", "%s.createdAt %s lies %s in the future", name, raw, readableDuration(t.Sub(r.now)))
		}
	}
}
