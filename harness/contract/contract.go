package contract

import (
	"encoding/json"
	"errors"
	"fmt"

	"io/fs"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/xeipuuv/gojsonschema"

	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// Level says how much a violation weighs. MUST violations make an exchange non-conformant; SHOULD
// violations are warnings unless the caller is strict.
type Level string

const (
	MUST   Level = "MUST"
	SHOULD Level = "SHOULD"
)

// Violation is one broken rule, located by a JSON Pointer (RFC 6901) into the body, or /headers/<name>,
// or /request/... for a rule about the request.
type Violation struct {
	Check   string `json:"check"`
	Level   Level  `json:"level"`
	Path    string `json:"path"`
	Message string `json:"message"`
}

// Report is the verdict on one body or exchange.
type Report struct {
	Definition string      `json:"definition"`
	Violations []Violation `json:"violations"`
	// Notes say what was not checked and why (placeholders, missing context), so nothing passes silently.
	Notes []string `json:"notes"`
	// NotChecked are the checks that could not be judged on this exchange, each with its reason.
	NotChecked []Unchecked `json:"notChecked,omitempty"`
	// NotJudged says why the input could not be read at all (a recorded body a sanitizer broke); no check
	// was judged then.
	NotJudged string `json:"notJudged,omitempty"`
}

// Unchecked is a check not judged on an exchange: a placeholder stood where the value should be, the value
// was sanitized, the request URL or the headers were not recorded.
type Unchecked struct {
	Check  ID     `json:"check"`
	Path   string `json:"path,omitempty"`
	Reason string `json:"reason"`
}

// Result is what became of one check on one exchange. Only Pass passes: not checked and not judged never
// count as passed.
type Result string

const (
	Pass       Result = "pass"
	Fail       Result = "fail"        // at the check's level: MUST, or SHOULD (a warning unless strict)
	NotChecked Result = "not checked" // the check could not be applied here (Reason says why)
	NotJudged  Result = "not judged"  // the input could not be read (Reason says why)
)

// Outcome is one check's result on one exchange: the one model validate, validate --recording, serve and
// the suites report.
type Outcome struct {
	Check      ID          `json:"check"`
	Level      Level       `json:"level"`
	Result     Result      `json:"result"`
	Reason     string      `json:"reason,omitempty"`
	Violations []Violation `json:"violations,omitempty"`
}

// Outcome is the result of the check on the exchange the report judged. A violation makes it a fail even
// where the check was also not checked elsewhere in the body (one connection string a placeholder, the
// other wrong).
func (r Report) Outcome(id ID) Outcome {
	o := Outcome{Check: id, Level: levels[id], Result: Pass}
	for _, v := range r.Violations {
		if v.Check == string(id) {
			o.Violations = append(o.Violations, v)
		}
	}
	switch {
	case len(o.Violations) > 0:
		o.Result = Fail
	case r.NotJudged != "":
		o.Result, o.Reason = NotJudged, r.NotJudged
	default:
		var reasons []string
		for _, u := range r.NotChecked {
			if u.Check == id && !slices.Contains(reasons, u.Reason) {
				reasons = append(reasons, u.Reason)
			}
		}
		if len(reasons) > 0 {
			o.Result, o.Reason = NotChecked, strings.Join(reasons, "; ")
		}
	}
	return o
}

// Failed lists the IDs of the checks the report has violations of, each once, sorted.
func (r Report) Failed() []ID {
	var out []ID
	for _, v := range r.Violations {
		if !slices.Contains(out, ID(v.Check)) {
			out = append(out, ID(v.Check))
		}
	}
	slices.Sort(out)
	return out
}

// Conformant reports whether no MUST violation was found or, when strict, no violation at all.
func (r Report) Conformant(strict bool) bool {
	for _, v := range r.Violations {
		if strict || v.Level == MUST {
			return false
		}
	}
	return true
}

// HasCheck reports whether a violation of the check with this ID was found at path.
func (r Report) HasCheck(id ID, path string) bool {
	for _, v := range r.Violations {
		if v.Check == string(id) && v.Path == path {
			return true
		}
	}
	return false
}

// Operation is what the generated parameters schema says about the operation itself.
type Operation struct {
	ID         string            `json:"operationId"`
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	APIVersion string            `json:"apiVersion"`
	Responses  map[string]string `json:"responses"`
}

// Contract is one compiled set of schemas. Validation is safe for concurrent use.
type Contract struct {
	Operation  Operation
	set        *schemaSet // the schemas by definition name, plus the parameters schemas
	properties map[string]map[string]propertyInfo
	parameters []Parameter
	keywords   map[string]bool      // the validation keywords the response definitions use
	body       Parameter            // the operation's body parameter; Name "" when it takes none
	operations map[string]*Contract // every operation of the set by ID, each a view sharing the schemas
	now        func() time.Time
}

// propertyInfo is what the checks beyond the schema need to know of one documented property.
type propertyInfo struct {
	ref    string // the definition it refers to, or ""
	items  string // for arrays: the definition of the items, or ""
	secret bool
}

// Parameter is one documented parameter of the operation.
type Parameter struct {
	Name string
	In   string // path, query or body
	// Definition is what a body parameter carries.
	Definition string
}

// ListKeys is the operation a set of schemas is first about; Load makes it the contract's Operation.
const ListKeys = "Workspaces_ListKeys"

var (
	defaultOnce     sync.Once
	defaultContract *Contract
	defaultErr      error
)

// Default returns the contract for the default api-version from the schemas embedded in the binary.
func Default() (*Contract, error) {
	defaultOnce.Do(func() {
		sub, err := fs.Sub(schemas.FS, schemas.DefaultAPIVersion)
		if err != nil {
			defaultErr = err
			return
		}
		defaultContract, defaultErr = load(sub)
	})
	return defaultContract, defaultErr
}

// ForAPIVersion returns the contract of an api-version from the embedded schemas; an api-version with no
// generated schemas is an error that lists the ones there are.
func ForAPIVersion(v string) (*Contract, error) {
	if v == schemas.DefaultAPIVersion {
		return Default()
	}
	versions := schemas.APIVersions()
	if !slices.Contains(versions, v) {
		return nil, fmt.Errorf("api-version %q has no generated schemas (embedded: %s); write schemas/source/%s/listkeys.json and run make schemas",
			v, strings.Join(versions, ", "), v)
	}
	byVersionMu.Lock()
	vc, ok := byVersion[v]
	if !ok {
		vc = &versionContract{}
		byVersion[v] = vc
	}
	byVersionMu.Unlock()
	vc.once.Do(func() {
		sub, err := fs.Sub(schemas.FS, v)
		if err != nil {
			vc.err = err
			return
		}
		vc.c, vc.err = load(sub)
	})
	return vc.c, vc.err
}

// versionContract compiles an api-version's schemas once per process, as Default does for the default one.
type versionContract struct {
	once sync.Once
	c    *Contract
	err  error
}

var (
	byVersionMu sync.Mutex
	byVersion   = map[string]*versionContract{}
)

// MustDefault is Default for tests and benchmarks, where the embedded schemas not loading is a bug.
func MustDefault() *Contract {
	c, err := Default()
	if err != nil {
		panic(err)
	}
	return c
}

// Load compiles every *.schema.json in fsys (one generated set). Every schema is registered by its $id
// before anything is compiled, so cross-file $refs resolve without the network.
func Load(fsys fs.FS) (*Contract, error) {
	c, err := load(fsys)
	if err != nil {
		return nil, err
	}
	if err := c.set.compileAll(); err != nil {
		return nil, err
	}
	return c, nil
}

// load reads a generated set without compiling its schemas: each is compiled when first used. The embedded
// sets load this way, so that a command judging one body compiles only the definitions that body needs;
// TestEmbeddedSchemasCompile holds every embedded set to compiling whole.
func load(fsys fs.FS) (*Contract, error) {
	names, err := fs.Glob(fsys, "*.schema.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("no *.schema.json files found")
	}
	loader := gojsonschema.NewSchemaLoader()
	loader.Draft = gojsonschema.Draft7
	set := &schemaSet{loader: loader, byName: map[string]*lazySchema{}}
	docs := map[string]map[string]any{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		doc, err := decodeSchema(data)
		if err != nil {
			return nil, fmt.Errorf("%s: not JSON: %w", name, err)
		}
		id, ok := doc["$id"].(string)
		if !ok {
			return nil, fmt.Errorf("%s: no $id; regenerate the schemas", name)
		}
		name = strings.TrimSuffix(name, ".schema.json")
		docs[name] = doc
		set.files = append(set.files, name)
		set.byName[name] = &lazySchema{id: id, doc: doc, refs: refsIn(doc)}
	}
	base := &Contract{set: set, properties: map[string]map[string]propertyInfo{},
		keywords: map[string]bool{}, operations: map[string]*Contract{}, now: time.Now}
	for _, name := range set.files {
		doc := docs[name]
		if strings.HasSuffix(name, ".parameters") {
			op, err := base.loadOperation(doc)
			if err != nil {
				return nil, fmt.Errorf("%s.schema.json: %w", name, err)
			}
			base.operations[op.Operation.ID] = op
			continue
		}
		base.properties[name] = propertiesOf(name, doc)
	}
	if len(base.operations) == 0 {
		return nil, errors.New("no <operation>.parameters.schema.json with x-operation found")
	}
	// The keywords of what answers can hold: the response definitions and what they refer to. A request
	// body's definitions (ApiKeys, KeyType) are the request checks' business.
	var pending []string
	for _, op := range base.operations {
		for _, def := range op.Operation.Responses {
			pending = append(pending, def)
		}
	}
	seen := map[string]bool{}
	for len(pending) > 0 {
		name := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		if name == "" || seen[name] || docs[name] == nil {
			continue
		}
		seen[name] = true
		words := map[string]bool{}
		collectKeywords(docs[name], words)
		for w := range words {
			base.keywords[w] = true
		}
		pending = append(pending, refsIn(docs[name])...)
	}
	for _, op := range base.operations {
		for status, def := range op.Operation.Responses {
			if def != "" && set.byName[def] == nil {
				return nil, fmt.Errorf("%s: response %s names definition %s, which has no schema", op.Operation.ID, status, def)
			}
		}
		op.operations = base.operations // every view reaches the others
	}
	if c, ok := base.operations[ListKeys]; ok {
		return c, nil
	}
	if len(base.operations) > 1 {
		return nil, fmt.Errorf("%d operations and none is %s: which one is the contract's is unclear", len(base.operations), ListKeys)
	}
	for _, c := range base.operations {
		return c, nil
	}
	panic("unreachable")
}

// loadOperation returns the view of the set for the operation a parameters schema describes.
func (c *Contract) loadOperation(doc map[string]any) (*Contract, error) {
	op := *c
	op.parameters = nil
	var ok bool
	if op.Operation, ok = plainOperation(doc["x-operation"]); !ok {
		raw, err := json.Marshal(doc["x-operation"])
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(raw, &op.Operation); err != nil {
			op.Operation.ID = ""
		}
	}
	if op.Operation.ID == "" {
		return nil, fmt.Errorf("x-operation missing or malformed")
	}
	props, _ := doc["properties"].(map[string]any)
	for _, name := range stringsOf(doc["required"]) {
		p, _ := props[name].(map[string]any)
		in, _ := p["x-in"].(string)
		param := Parameter{Name: name, In: in}
		if in == "body" {
			param.Definition = refName(p["$ref"])
			op.body = param
		}
		op.parameters = append(op.parameters, param)
	}
	return &op, nil
}

// plainOperation reads an x-operation as the generator writes it (its members named exactly as Operation's
// JSON tags, each a string, the responses an object of strings or nulls) without a round trip through encoding/json,
// whose first use costs a fresh process more than the rest of loading; false for anything else, which
// loadOperation leaves to encoding/json. TestPlainOperation holds the two to the same answers.
func plainOperation(v any) (Operation, bool) {
	var op Operation
	m, ok := v.(map[string]any)
	if !ok {
		return op, false
	}
	for name, value := range m {
		if name == "responses" {
			responses, ok := value.(map[string]any)
			if !ok {
				return op, false
			}
			op.Responses = make(map[string]string, len(responses))
			for status, def := range responses {
				if op.Responses[status], ok = def.(string); !ok && def != nil { // null reads as "" (204: no body)
					return op, false
				}
			}
			continue
		}
		s, ok := value.(string)
		switch {
		case !ok:
			return op, false
		case name == "operationId":
			op.ID = s
		case name == "method":
			op.Method = s
		case name == "path":
			op.Path = s
		case name == "apiVersion":
			op.APIVersion = s
		default:
			return op, false
		}
	}
	return op, true
}

// refsIn lists the definitions a schema document refers to ($ref, by file name).
func refsIn(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			if k == "$ref" {
				out = append(out, refName(child))
			} else {
				out = append(out, refsIn(child)...)
			}
		}
	case []any:
		for _, child := range v {
			out = append(out, refsIn(child)...)
		}
	}
	return out
}

// collectKeywords notes every member name of a schema document and its subschemas: the keywords it uses.
func collectKeywords(v any, into map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, child := range v {
			into[k] = true
			collectKeywords(child, into)
		}
	case []any:
		for _, child := range v {
			collectKeywords(child, into)
		}
	}
}

// schemaKeywords are the JSON Schema keywords behind each schema check; schema.other stands for the rest.
var schemaKeywords = map[ID][]string{
	SchemaType:     {"type"},
	SchemaFormat:   {"format"},
	SchemaPattern:  {"pattern"},
	SchemaLength:   {"minLength", "maxLength"},
	SchemaRequired: {"required"},
	SchemaEnum:     {"enum"},
	SchemaOther: {"const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems",
		"maxItems", "uniqueItems", "contains", "minProperties", "maxProperties", "additionalProperties",
		"patternProperties", "propertyNames", "dependencies", "allOf", "anyOf", "oneOf", "not", "if"},
}

// ResponsesCanViolate reports whether a response could violate the check under this contract: false only for
// a schema check whose keywords no response definition uses (this api-version documents no pattern, say).
// The mutation test asks it, so a contract that gains such a keyword demands a mutant for it.
func (c *Contract) ResponsesCanViolate(id ID) bool {
	words, isSchema := schemaKeywords[id]
	if !isSchema {
		return true
	}
	for _, w := range words {
		if c.keywords[w] {
			return true
		}
	}
	return false
}

// ForOperation returns the contract of another operation of the same set (same api-version, same schemas),
// e.g. Workspaces_RegenerateKeys; false when the set does not document it.
func (c *Contract) ForOperation(id string) (*Contract, bool) {
	op, ok := c.operations[id]
	if !ok {
		return nil, false
	}
	view := *op
	view.now = c.now
	return &view, true
}

// Operations lists the IDs of the operations of the set.
func (c *Contract) Operations() []string {
	out := slices.Collect(maps.Keys(c.operations))
	sort.Strings(out)
	return out
}

// Body is the operation's body parameter; ok is false when it takes none.
func (c *Contract) Body() (Parameter, bool) { return c.body, c.body.Name != "" }

// keySecrets are the members that carry an API key in every api-version, whether its definitions mark them
// x-ms-secret or not: only 2025-12-15-preview's official definitions do, and the JSON on the wire is the
// same in all. What is redacted must not depend on a mark that most versions lack.
var keySecrets = map[string][]string{
	"ApiKey":         {"key"},
	"ListKeysResult": {"primaryConnectionString", "secondaryConnectionString"},
}

func propertiesOf(definition string, doc map[string]any) map[string]propertyInfo {
	out := map[string]propertyInfo{}
	props, _ := doc["properties"].(map[string]any)
	for name, raw := range props {
		p, _ := raw.(map[string]any)
		secret := p["x-ms-secret"] == true || slices.Contains(keySecrets[definition], name)
		info := propertyInfo{ref: refName(p["$ref"]), secret: secret}
		if items, ok := p["items"].(map[string]any); ok {
			info.items = refName(items["$ref"])
		}
		out[name] = info
	}
	return out
}

// refName is the definition a $ref names, or "" when there is none (path.Base would make it ".").
func refName(v any) string {
	s, _ := v.(string)
	if s == "" {
		return ""
	}
	return strings.TrimSuffix(path.Base(s), ".schema.json")
}

func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, item := range list {
		if s, ok := item.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// WithClock returns a copy of the contract that uses now as the current time (for the createdAt check).
func (c *Contract) WithClock(now func() time.Time) *Contract {
	copy := *c
	copy.now = now
	return &copy
}

// Definitions lists the definitions the contract has schemas for.
func (c *Contract) Definitions() []string {
	var out []string
	for name := range c.properties {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// Parameters lists the operation's parameters in documented order.
func (c *Contract) Parameters() []Parameter { return c.parameters }

// DefinitionFor names the definition a response with this status carries: the documented one for the
// status, else the default (ErrorResponse).
func (c *Contract) DefinitionFor(status int) string {
	if def, ok := c.Operation.Responses[fmt.Sprint(status)]; ok {
		return def
	}
	return c.Operation.Responses["default"]
}

// IsSecret reports whether the property is a secret: marked x-ms-secret, or one of the key members, which
// are secrets in every api-version whether marked or not.
func (c *Contract) IsSecret(definition, property string) bool {
	return c.properties[definition][property].secret
}

// SecretPaths lists the JSON Pointers of every property a body of the definition carries as a secret,
// following nested definitions (not arrays). The sanitizer uses it, so a newly documented secret is redacted
// without code changes.
func (c *Contract) SecretPaths(definition string) []string {
	var out []string
	var walk func(def, prefix string, depth int)
	walk = func(def, prefix string, depth int) {
		if depth > 8 {
			return
		}
		for name, p := range c.properties[def] {
			ptr := prefix + "/" + escapePointer(name)
			if p.secret {
				out = append(out, ptr)
			}
			if p.ref != "" {
				walk(p.ref, ptr, depth+1)
			}
		}
	}
	walk(definition, "", 0)
	sort.Strings(out)
	return out
}

// Exchange is what the contract looks at: a response body, and when known its status, headers and the
// request that produced it. Unknown parts are left zero; the checks that need them are then noted as not run.
// Validate uses the request only to know what was asked for; ValidateRequest judges the request itself.
type Exchange struct {
	Status  int
	Header  http.Header
	Body    []byte
	Request *Request
	// NotRecorded names the response headers the exchange's recorder is known to remove
	// (docs/recorders.md): a check that misses one notes it as not recorded instead of reporting it.
	NotRecorded []string
	// Parsed, when set, is Body already decoded (Parse(Body)), so that a caller that reads the body too
	// decodes it once.
	Parsed *Parsed
	// Expect is what the scenario that sent the request calls for, when one did: the answer is then judged as
	// that answer (its definition, its status-dependent headers) whatever status it came with.
	Expect *Expectation
}

// Expectation is the answer a scenario calls for.
type Expectation struct {
	Status int
	Code   string // error.code, for a refusal
	// Refused, with no Status, asks for any 4xx: the request is the client's mistake (a generated invalid
	// value, whose exact ARM answer no table states).
	Refused bool
}

// Request is the request side of an exchange.
type Request struct {
	Method string
	URL    *url.URL
	Header http.Header
	Body   []byte
}

// ErrInput marks a body that is not usable JSON at all (as opposed to JSON of the wrong shape).
var ErrInput = errors.New("unusable input")

// ValidateBody validates a bare body as the named definition.
func (c *Contract) ValidateBody(definition string, body []byte) (Report, error) {
	return c.Validate(definition, Exchange{Body: body})
}

// Validate checks an exchange against the named definition (or, when definition is "", the one its status
// calls for). The error wraps ErrInput when the body is not JSON; the report then is empty. It is a
// *NotJudgedError when a recorder's sanitizer broke the JSON: the body is then not judged at all.
func (c *Contract) Validate(definition string, ex Exchange) (Report, error) {
	r, err := c.validate(definition, ex)
	if err != nil {
		return Report{}, notJudged(ex.Body, err)
	}
	return r.report, nil
}

// Judge checks a live answer: the definition its scenario's (or else its own) status calls for. A body that
// is not JSON is a fail of response.json, the checks on the bytes (error.carries-no-key) still judged: the
// service sent it, so it is the service's fault, never "not judged".
//
// The one exception is a body a recorder's sanitizer broke (an unquoted placeholder): the same body is not
// judged wherever it is read — validate, validate --recording, serve and the suites — since what breaks it
// is the recorder's edit, not the service's answer.
func (c *Contract) Judge(ex Exchange) Report {
	if def, ok := c.Operation.Responses["204"]; ok && def == "" && (ex.Status < 400 || ex.Expect != nil && ex.Expect.Status == 204) {
		r, _ := c.ValidateRegenerate(ex) // an operation whose success has no body: Regenerate Keys
		return r
	}
	r, err := c.validate("", ex)
	var broken *NotJudgedError
	if err != nil && errors.As(notJudged(ex.Body, err), &broken) {
		return Report{Definition: r.definition, Violations: []Violation{}, NotJudged: broken.Reason, Notes: []string{broken.Error()}}
	}
	if errors.Is(err, ErrInput) {
		r.add(ResponseJSON, "", "%s", strings.TrimPrefix(err.Error(), ErrInput.Error()+": "))
		// What reads the body or comes after it was never judged: not checked, never a vacuous pass.
		for _, check := range registry {
			if check.raw == nil && check.request == nil && check.ID != ResponseJSON && check.ID != ClientRetry {
				r.unchecked(check.ID, "", "the body is not JSON (response.json)")
			}
		}
		return r.finish()
	}
	if err != nil {
		return Report{Definition: r.definition, Violations: []Violation{}, NotJudged: err.Error(), Notes: []string{"not judged: " + err.Error()}}
	}
	return r.report
}

func (c *Contract) validate(definition string, ex Exchange) (*run, error) {
	if definition == "" {
		status := ex.Status
		switch {
		case ex.Expect != nil && ex.Expect.Status != 0:
			status = ex.Expect.Status
		case ex.Expect != nil && ex.Expect.Refused:
			status = http.StatusBadRequest
		}
		if status == 0 {
			status = http.StatusOK
		}
		definition = c.DefinitionFor(status)
	}
	r := &run{contract: c, definition: definition, exchange: ex, now: c.now()}
	schema := c.schema(definition)
	if schema == nil || strings.HasSuffix(definition, ".parameters") {
		return r, fmt.Errorf("unknown definition %q (known: %s)", definition, strings.Join(c.Definitions(), ", "))
	}
	for i := range registry {
		check := &registry[i] // by reference: a Check is large to copy
		if check.raw != nil && check.appliesTo(definition) {
			check.raw(r)
		}
	}
	parsed := ex.Parsed
	if parsed == nil {
		parsed = Parse(ex.Body)
	}
	if parsed.Err != nil {
		return r, parsed.Err
	}
	r.doc = parsed.Doc
	r.report.Violations = append(r.report.Violations, parsed.Strict...)
	result, err := schema.Validate(gojsonschema.NewRawLoader(r.doc))
	if err != nil {
		return r, fmt.Errorf("validating: %w", err)
	}
	for _, e := range result.Errors() {
		r.schemaError(e)
	}
	for i := range registry {
		check := &registry[i]
		if check.body != nil && check.appliesTo(definition) {
			check.body(r)
		}
	}
	if ex.Header != nil {
		for i := range registry {
			check := &registry[i]
			if check.headers != nil {
				check.headers(r)
			}
		}
	} else {
		r.report.Notes = append(r.report.Notes, "headers not given: header checks not run")
		for i := range registry {
			check := &registry[i]
			if check.headers != nil {
				r.unchecked(check.ID, "/headers", "headers not given")
			}
		}
	}
	r.finish()
	return r, nil
}

// finish sorts the findings and makes the lists non-nil, for JSON.
func (r *run) finish() Report {
	sortViolations(r.report.Violations)
	r.report.Violations = Bound(r.report.Violations)
	r.report.Definition = r.definition
	if r.report.Violations == nil {
		r.report.Violations = []Violation{}
	}
	if r.report.Notes == nil {
		r.report.Notes = []string{}
	}
	return r.report
}

// InvalidUTF8At is the byte offset of the first byte that is not UTF-8, or -1.
func InvalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return -1
}

func sortViolations(vs []Violation) {
	sort.SliceStable(vs, func(i, j int) bool {
		if vs[i].Path != vs[j].Path {
			return vs[i].Path < vs[j].Path
		}
		return vs[i].Check < vs[j].Check
	})
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func escapePointer(s string) string {
	if strings.IndexByte(s, '~') < 0 && strings.IndexByte(s, '/') < 0 {
		return s
	}
	return pointerEscaper.Replace(s)
}

// ErrorCode is error.code of an ErrorResponse body, or "" when the body has none (or is no ErrorResponse).
func ErrorCode(body []byte) string { return Parse(body).ErrorCode() }

func errorCodeOf(doc any) string {
	e, _ := member(doc, "error")
	code, _ := stringMember(e, "code")
	return code
}
