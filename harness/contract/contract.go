// Package contract is the one place that knows what a conformant List Keys exchange is: the generated JSON
// Schemas, strict formats, and a registry of checks beyond the schema. Specs, the validate command and the
// conformance server all ask it, so a rule written once is enforced everywhere and reported alike.
package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"io/fs"
	"net/http"
	"net/url"
	"path"
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
func (r Report) HasCheck(id, path string) bool {
	for _, v := range r.Violations {
		if v.Check == id && v.Path == path {
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
	schemas    map[string]*gojsonschema.Schema // by definition name, plus the parameters schema
	properties map[string]map[string]propertyInfo
	parameters []Parameter
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
	In   string // path or query
}

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
		defaultContract, defaultErr = Load(sub)
	})
	return defaultContract, defaultErr
}

// ForAPIVersion returns the contract of an api-version from the embedded schemas; an api-version with no
// generated schemas is an error that lists the ones there are.
func ForAPIVersion(v string) (*Contract, error) {
	if v == schemas.DefaultAPIVersion {
		return Default()
	}
	entries, err := fs.ReadDir(schemas.FS, ".")
	if err != nil {
		return nil, err
	}
	var versions []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "source" {
			versions = append(versions, e.Name())
			if e.Name() == v {
				sub, err := fs.Sub(schemas.FS, v)
				if err != nil {
					return nil, err
				}
				return Load(sub)
			}
		}
	}
	return nil, fmt.Errorf("api-version %q has no generated schemas (embedded: %s); write schemas/source/%s/listkeys.json and run make schemas API_VERSION=%s",
		v, strings.Join(versions, ", "), v, v)
}

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
	names, err := fs.Glob(fsys, "*.schema.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, errors.New("no *.schema.json files found")
	}
	loader := gojsonschema.NewSchemaLoader()
	loader.Draft = gojsonschema.Draft7
	docs := map[string]map[string]any{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%s: not JSON: %w", name, err)
		}
		if _, ok := doc["$id"].(string); !ok {
			return nil, fmt.Errorf("%s: no $id; regenerate the schemas", name)
		}
		if err := loader.AddSchemas(gojsonschema.NewBytesLoader(data)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		docs[strings.TrimSuffix(name, ".schema.json")] = doc
	}
	c := &Contract{schemas: map[string]*gojsonschema.Schema{}, properties: map[string]map[string]propertyInfo{}, now: time.Now}
	for name, doc := range docs {
		s, err := loader.Compile(gojsonschema.NewReferenceLoader(doc["$id"].(string)))
		if err != nil {
			return nil, fmt.Errorf("%s.schema.json: %w", name, err)
		}
		c.schemas[name] = s
		if strings.HasSuffix(name, ".parameters") {
			if err := c.loadOperation(doc); err != nil {
				return nil, fmt.Errorf("%s.schema.json: %w", name, err)
			}
			continue
		}
		c.properties[name] = propertiesOf(doc)
	}
	if c.Operation.ID == "" {
		return nil, errors.New("no <operation>.parameters.schema.json with x-operation found")
	}
	for status, def := range c.Operation.Responses {
		if c.schemas[def] == nil {
			return nil, fmt.Errorf("response %s names definition %s, which has no schema", status, def)
		}
	}
	return c, nil
}

func (c *Contract) loadOperation(doc map[string]any) error {
	raw, err := json.Marshal(doc["x-operation"])
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, &c.Operation); err != nil || c.Operation.ID == "" {
		return fmt.Errorf("x-operation missing or malformed")
	}
	props, _ := doc["properties"].(map[string]any)
	for _, name := range stringsOf(doc["required"]) {
		p, _ := props[name].(map[string]any)
		in, _ := p["x-in"].(string)
		c.parameters = append(c.parameters, Parameter{Name: name, In: in})
	}
	return nil
}

func propertiesOf(doc map[string]any) map[string]propertyInfo {
	out := map[string]propertyInfo{}
	props, _ := doc["properties"].(map[string]any)
	for name, raw := range props {
		p, _ := raw.(map[string]any)
		info := propertyInfo{ref: refName(p["$ref"]), secret: p["x-ms-secret"] == true}
		if items, ok := p["items"].(map[string]any); ok {
			info.items = refName(items["$ref"])
		}
		out[name] = info
	}
	return out
}

func refName(v any) string {
	s, _ := v.(string)
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

// IsSecret reports whether the definition documents the property as a secret (x-ms-secret).
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
// calls for). The error wraps ErrInput when the body is not JSON; the report then is empty.
func (c *Contract) Validate(definition string, ex Exchange) (Report, error) {
	if definition == "" {
		definition = c.DefinitionFor(ex.Status)
		if ex.Status == 0 {
			definition = c.DefinitionFor(http.StatusOK)
		}
	}
	schema := c.schemas[definition]
	if schema == nil || strings.HasSuffix(definition, ".parameters") {
		return Report{}, fmt.Errorf("unknown definition %q (known: %s)", definition, strings.Join(c.Definitions(), ", "))
	}
	doc, strict, err := Decode(ex.Body)
	if err != nil {
		return Report{}, err
	}
	r := &run{contract: c, definition: definition, exchange: ex, doc: doc, now: c.now()}
	r.report.Violations = strict
	result, err := schema.Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		return Report{}, fmt.Errorf("validating: %w", err)
	}
	for _, e := range result.Errors() {
		r.schemaError(e)
	}
	for _, check := range registry {
		if check.body != nil && check.appliesTo(definition) {
			check.body(r)
		}
	}
	if ex.Header != nil {
		for _, check := range registry {
			if check.headers != nil {
				check.headers(r)
			}
		}
	} else {
		r.note("headers not given: header checks not run")
	}
	sortViolations(r.report.Violations)
	r.report.Violations = Bound(r.report.Violations)
	r.report.Definition = definition
	if r.report.Violations == nil {
		r.report.Violations = []Violation{}
	}
	if r.report.Notes == nil {
		r.report.Notes = []string{}
	}
	return r.report, nil
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
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return pointerEscaper.Replace(s)
}

// ErrorCode is error.code of an ErrorResponse body, or "" when the body has none (or is no ErrorResponse).
func ErrorCode(body []byte) string {
	doc, _, err := Decode(body)
	if err != nil {
		return ""
	}
	e, _ := member(doc, "error")
	code, _ := stringMember(e, "code")
	return code
}

// keyMarkers are what no answer but a ListKeysResult may hold: its key members and connection strings.
var keyMarkers = [][]byte{[]byte(`"primaryKey"`), []byte(`"secondaryKey"`), []byte("ConnectionString"), []byte("ApiKey=")}

// CarriesKeys says whether a body holds any part of a ListKeysResult's secrets, judged on the bytes so that a
// body that is not JSON is caught too. An answer that refuses a request must not.
func CarriesKeys(body []byte) bool {
	for _, m := range keyMarkers {
		if bytes.Contains(body, m) {
			return true
		}
	}
	return false
}
