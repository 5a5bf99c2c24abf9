package contract

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Check is one rule of the contract: data (ID, level, source, statement) plus the function that finds its
// violations. The registry below is the only place a rule is written; specs and commands ask for it by ID.
type Check struct {
	ID        string `json:"id"`
	Level     Level  `json:"level"`
	Source    string `json:"source"`
	Statement string `json:"statement"`
	// Applies lists the definitions a body check runs on; empty means all.
	Applies []string `json:"applies,omitempty"`

	body    func(*run)
	headers func(*run)
}

func (c Check) appliesTo(definition string) bool {
	return len(c.Applies) == 0 || slices.Contains(c.Applies, definition)
}

// Checks returns the registry: every rule the contract enforces, schema rules first.
func Checks() []Check { return slices.Clone(registry) }

// CheckByID finds a rule in the registry.
func CheckByID(id string) (Check, bool) {
	i := slices.IndexFunc(registry, func(c Check) bool { return c.ID == id })
	if i < 0 {
		return Check{}, false
	}
	return registry[i], true
}

// CreatedAtSkew is how far in the future a createdAt may lie before it is implausible: clocks differ.
const CreatedAtSkew = 5 * time.Minute

const (
	sourceSchema   = "documented definitions (generated JSON Schema)"
	sourceARMError = "ARM RPC error contract"
	sourceConn     = "connection string format of the Azure Quantum SDKs (FACTS §2)"
	sourceARM      = "ARM RPC common API details"
	sourceHTTP     = "RFC 9110 / RFC 6585"
	sourceParams   = "documented parameters (generated JSON Schema)"
)

var registry = []Check{
	{ID: "schema.type", Level: MUST, Source: sourceSchema, Statement: "Every value has the documented JSON type."},
	{ID: "schema.format", Level: MUST, Source: sourceSchema, Statement: "Every value with a documented format has it (date-time is RFC 3339 §5.6, uuid is 8-4-4-4-12 hex)."},
	{ID: "schema.pattern", Level: MUST, Source: sourceSchema, Statement: "Every value with a documented pattern matches it."},
	{ID: "schema.length", Level: MUST, Source: sourceSchema, Statement: "Every string with documented length limits keeps within them."},
	{ID: "schema.required", Level: MUST, Source: sourceSchema, Statement: "Every documented required member is present."},
	{ID: "schema.enum", Level: MUST, Source: sourceSchema, Statement: "Every value with documented allowed values is one of them."},
	{ID: "schema.other", Level: MUST, Source: sourceSchema, Statement: "Every other constraint of the generated schema holds."},
	{
		ID: "error.code-message", Level: MUST, Source: sourceARMError, Applies: []string{"ErrorResponse"},
		Statement: "An error body has an error object whose code and message are non-empty strings, at every level of details.",
		body:      checkErrorCodeMessage,
	},
	{
		ID: "body.undocumented-property", Level: SHOULD, Source: sourceSchema,
		Statement: "A body carries only documented properties.",
		body:      checkUndocumented,
	},
	{
		ID: "connection-string.format", Level: MUST, Source: sourceConn, Applies: []string{"ListKeysResult"},
		Statement: "Each connection string is SubscriptionId=…;ResourceGroupName=…;WorkspaceName=…;ApiKey=…;QuantumEndpoint=https://{location}.quantum.azure.com/; in that order.",
		body:      checkConnectionStringFormat,
	},
	{
		ID: "connection-string.api-key", Level: MUST, Source: sourceConn, Applies: []string{"ListKeysResult"},
		Statement: "The ApiKey inside each connection string is the matching key (primary with primary, secondary with secondary).",
		body:      checkConnectionStringKey,
	},
	{
		ID: "connection-string.workspace", Level: MUST, Source: sourceConn, Applies: []string{"ListKeysResult"},
		Statement: "SubscriptionId, ResourceGroupName and WorkspaceName in each connection string name the requested workspace (case-insensitively).",
		body:      checkConnectionStringWorkspace,
	},
	{
		ID: "api-key.enabled-has-keys", Level: SHOULD, Source: "plausibility", Applies: []string{"ListKeysResult"},
		Statement: "When apiKeyEnabled is true, both primaryKey.key and secondaryKey.key are present.",
		body:      checkEnabledHasKeys,
	},
	{
		ID: "api-key.distinct", Level: SHOULD, Source: "plausibility (two keys exist for seamless regeneration)", Applies: []string{"ListKeysResult"},
		Statement: "The primary and secondary keys differ.",
		body:      checkDistinctKeys,
	},
	{
		ID: "api-key.created-in-past", Level: SHOULD, Source: "plausibility", Applies: []string{"ListKeysResult"},
		Statement: fmt.Sprintf("No createdAt lies more than %s in the future.", CreatedAtSkew),
		body:      checkCreatedInPast,
	},
	{
		ID: "response.status", Level: SHOULD, Source: "documented responses",
		Statement: "The status is 200 (ListKeysResult) or an error status 4xx/5xx (ErrorResponse).",
		headers:   checkStatus,
	},
	{
		ID: "headers.content-type", Level: SHOULD, Source: sourceARM,
		Statement: "A response with a body declares Content-Type application/json.",
		headers:   checkContentType,
	},
	{
		ID: "headers.request-ids", Level: SHOULD, Source: sourceARM,
		Statement: "A response carries x-ms-request-id and x-ms-correlation-request-id.",
		headers:   checkRequestIDs,
	},
	{
		ID: "headers.no-cache", Level: SHOULD, Source: sourceARM,
		Statement: "A 200 response, which carries secrets, is marked Cache-Control no-cache or no-store.",
		headers:   checkNoCache,
	},
	{
		ID: "headers.www-authenticate", Level: MUST, Source: sourceHTTP,
		Statement: "A 401 response carries a WWW-Authenticate Bearer challenge.",
		headers:   checkWWWAuthenticate,
	},
	{
		ID: "headers.retry-after", Level: SHOULD, Source: sourceARM,
		Statement: "A 429 response carries Retry-After with a number of seconds or an HTTP date.",
		headers:   checkRetryAfter,
	},
	{ID: "response.json", Level: MUST, Source: "documented produces (application/json)", Statement: "A response body is one JSON value (ListKeysResult or ErrorResponse), so that a client can read it."},
	// Hostile input: strict JSON bodies and readable requests.
	{ID: checkBodyJSON, Level: MUST, Source: "RFC 8259 §2, §8.1; I-JSON (RFC 7493 §2.1-2.3)", Statement: "A body is one JSON value with nothing after it, no member name twice in one object, and no lone surrogate in a string."},
	{ID: "request.readable", Level: MUST, Source: "RFC 9112 §6 (message body length); RFC 9110 §15.5.14 (413)", Statement: "The request can be read whole: its body is framed correctly (Content-Length kept, valid chunked encoding), arrives in time, and is no larger than the server accepts."},
	{ID: "client.retry-after", Level: SHOULD, Source: "RFC 9110 §10.2.3; ARM throttling guidance", Statement: "After an answer with Retry-After, the client waits at least that long before sending the same request again."},
	{ID: "request.method", Level: MUST, Source: "documented operation", Statement: "The request method is POST."},
	{ID: "request.path", Level: MUST, Source: "documented operation", Statement: "The request path is the documented template, segment for segment (literal segments case-insensitively)."},
	{ID: "request.parameter", Level: MUST, Source: sourceParams, Statement: "Every documented parameter is present once and meets its documented constraints."},
	{ID: "request.api-version", Level: SHOULD, Source: "documented operation", Statement: "The request asks for the api-version under test."},
	{ID: "request.authorization", Level: MUST, Source: "documented security (azure_auth, OAuth2)", Statement: "The request carries Authorization: Bearer <token>."},
	{ID: "request.body", Level: SHOULD, Source: "documented operation (no body parameter)", Statement: "The request has no body."},
	{ID: "request.accept", Level: SHOULD, Source: "documented produces (application/json)", Statement: "Accept, when sent, admits application/json."},
	{ID: "request.client-request-id", Level: SHOULD, Source: sourceARM, Statement: "x-ms-client-request-id, when sent, is a GUID."},
}

// run is one validation in progress: the decoded body and what the checks found.
type run struct {
	contract   *Contract
	definition string
	exchange   Exchange
	doc        any
	now        time.Time
	report     Report
	parsed     *[]parsedConnection
}

func (r *run) add(id, path, format string, args ...any) {
	r.report.Violations = append(r.report.Violations, newViolation(id, path, fmt.Sprintf(format, args...)))
}

func (r *run) note(format string, args ...any) {
	r.report.Notes = append(r.report.Notes, fmt.Sprintf(format, args...))
}

// levels indexes the registry by ID. It is filled in init because the registry's functions report through
// it, which Go would otherwise see as an initialization cycle.
var levels = map[string]Level{}

func init() {
	for _, c := range registry {
		if _, dup := levels[c.ID]; dup {
			panic("contract: check " + c.ID + " registered twice")
		}
		levels[c.ID] = c.Level
	}
}

// NewViolation is a violation of a registered check, for callers that find it outside the contract's own
// functions (a server that sees a series of requests, a reader of recordings). The level comes from the
// registry; an unregistered ID is a programming error.
func NewViolation(id, path, message string) Violation { return newViolation(id, path, message) }

func newViolation(id, path, message string) Violation {
	level, ok := levels[id]
	if !ok {
		panic("contract: violation of unregistered check " + id) // a programming error, caught by the unit tests
	}
	return Violation{Check: id, Level: level, Path: path, Message: message}
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
		r.add("error.code-message", "/error", "the error body has no \"error\" member; ARM errors are {\"error\": {\"code\": …, \"message\": …}}")
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
				r.add("error.code-message", path+"/"+name, "the error has no %q", name)
			case isString && strings.TrimSpace(s) == "":
				r.add("error.code-message", path+"/"+name, "the error's %q is empty", name)
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

func checkUndocumented(r *run) {
	var walk func(v any, definition, path string, depth int)
	walk = func(v any, definition, path string, depth int) {
		obj, ok := v.(map[string]any)
		props := r.contract.properties[definition]
		if !ok || props == nil || depth > MaxDepth {
			return
		}
		for _, name := range sortedKeys(obj) {
			p, documented := props[name]
			ptr := path + "/" + escapePointer(name)
			switch {
			case !documented:
				r.add("body.undocumented-property", ptr, "%q is not a documented property of %s", name, definition)
			case p.ref != "":
				walk(obj[name], p.ref, ptr, depth+1)
			case p.items != "":
				list, _ := obj[name].([]any)
				for i, item := range list {
					walk(item, p.items, fmt.Sprintf("%s/%d", ptr, i), depth+1)
				}
			}
		}
	}
	walk(r.doc, r.definition, "", 0)
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

// connections parses the body's connection strings that are present, strings and not placeholders (those
// are noted once, here).
func (r *run) connections() []parsedConnection {
	if r.parsed != nil {
		return *r.parsed
	}
	var out []parsedConnection
	for _, p := range keyPairs {
		raw, ok := stringMember(r.doc, p.conn)
		if !ok {
			continue
		}
		if IsPlaceholder(raw) {
			r.note("/%s is a placeholder (%s): connection string not checked", p.conn, raw)
			continue
		}
		cs, err := ParseConnectionString(raw)
		out = append(out, parsedConnection{conn: p.conn, key: p.key, raw: raw, cs: cs, err: err})
	}
	r.parsed = &out
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

func checkConnectionStringFormat(r *run) {
	for _, p := range r.connections() {
		if p.err != nil {
			r.add("connection-string.format", "/"+p.conn, "%s: %v", p.conn, p.err)
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
			r.add("connection-string.api-key", "/"+keyName+"/key", "%s carries an ApiKey but %s.key is missing", conn, keyName)
		case IsPlaceholder(key) || IsPlaceholder(cs.APIKey):
			r.note("/%s/key or the ApiKey in /%s is a placeholder: their equality not checked", keyName, conn)
		case key != cs.APIKey:
			r.add("connection-string.api-key", "/"+conn, "the ApiKey in %s is not %s.key", conn, keyName)
		}
	})
}

func mustMember(v any, name string) any {
	m, _ := member(v, name)
	return m
}

func checkConnectionStringWorkspace(r *run) {
	if r.exchange.Request == nil || r.exchange.Request.URL == nil {
		r.note("no request URL given: connection-string.workspace not checked (pass --request-url)")
		return
	}
	want, err := r.contract.PathParameters(r.exchange.Request.URL)
	if err != nil {
		r.note("request URL %s is not the documented path: connection-string.workspace not checked", r.exchange.Request.URL.Redacted())
		return
	}
	r.connectionStrings(func(conn, _ string, cs ConnectionString) {
		for _, f := range []struct{ part, got, param string }{
			{"SubscriptionId", cs.SubscriptionID, "subscriptionId"},
			{"ResourceGroupName", cs.ResourceGroupName, "resourceGroupName"},
			{"WorkspaceName", cs.WorkspaceName, "workspaceName"},
		} {
			if !strings.EqualFold(f.got, want[f.param]) {
				r.add("connection-string.workspace", "/"+conn, "%s in %s is %q but the request named %q", f.part, conn, f.got, want[f.param])
			}
		}
	})
}

func checkEnabledHasKeys(r *run) {
	if enabled, _ := member(r.doc, "apiKeyEnabled"); enabled != true {
		return
	}
	for _, name := range []string{"primaryKey", "secondaryKey"} {
		if _, ok := stringMember(mustMember(r.doc, name), "key"); !ok {
			r.add("api-key.enabled-has-keys", "/"+name+"/key", "apiKeyEnabled is true but %s.key is missing", name)
		}
	}
}

func checkDistinctKeys(r *run) {
	primary, ok1 := stringMember(mustMember(r.doc, "primaryKey"), "key")
	secondary, ok2 := stringMember(mustMember(r.doc, "secondaryKey"), "key")
	if ok1 && ok2 && primary == secondary && !IsPlaceholder(primary) {
		r.add("api-key.distinct", "/secondaryKey/key", "the secondary key is the same as the primary key")
	}
}

func checkCreatedInPast(r *run) {
	for _, name := range []string{"primaryKey", "secondaryKey"} {
		raw, ok := stringMember(mustMember(r.doc, name), "createdAt")
		if !ok {
			continue
		}
		t, err := ParseDateTime(raw)
		if err != nil {
			continue // schema.format reports it
		}
		if t.After(r.now.Add(CreatedAtSkew)) {
			r.add("api-key.created-in-past", "/"+name+"/createdAt", "%s.createdAt %s lies %s in the future", name, raw, t.Sub(r.now).Round(time.Second))
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
