package contract

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/url"
	"strings"
	"unicode"

	"github.com/xeipuuv/gojsonschema"
)

// PathParameters matches a request URL's path against the documented template and returns the path
// parameters, unescaped. Literal segments compare case-insensitively, as ARM routes them. Segments are split
// on the escaped path, so an encoded "/" stays inside its value (where the parameter checks refuse it).
func (c *Contract) PathParameters(u *url.URL) (map[string]string, error) {
	params := map[string]string{}
	if err := c.pathParameters(u, func(name, value string) { params[name] = value }); err != nil {
		return nil, err
	}
	return params, nil
}

// pathParameters is PathParameters giving each parameter to param rather than to a map: the segments are
// walked in place, not split into slices.
func (c *Contract) pathParameters(u *url.URL, param func(name, value string)) error {
	template := strings.Trim(c.Operation.Path, "/")
	path := strings.Trim(u.EscapedPath(), "/")
	n := strings.Count(template, "/") + 1
	if got := strings.Count(path, "/") + 1; got != n {
		return fmt.Errorf("path %q has %d segments; the documented path %s has %d", u.EscapedPath(), got, c.Operation.Path, n)
	}
	for i := range n {
		var w, g string
		w, template, _ = strings.Cut(template, "/")
		g, path, _ = strings.Cut(path, "/")
		if strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}") {
			value, err := url.PathUnescape(g)
			if err != nil {
				return fmt.Errorf("segment %d (%s): %v", i+1, w, err)
			}
			param(strings.Trim(w, "{}"), value)
			continue
		}
		if !strings.EqualFold(g, w) {
			return fmt.Errorf("segment %d is %q; the documented path has %q there", i+1, g, w)
		}
	}
	return nil
}

// ValidateParameters checks parameter values against the generated parameters schema. A name absent from
// values is a missing parameter; an empty string is a present, empty one. Each violation names the
// parameter, its value (quoted) and the constraint it breaks.
func (c *Contract) ValidateParameters(values map[string]string) []Violation {
	doc := make(map[string]any, len(values))
	for _, p := range c.parameters {
		if v, ok := values[p.Name]; ok {
			doc[p.Name] = v
		}
	}
	result, err := c.schema(c.Operation.ID + ".parameters").Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		return []Violation{newViolation(RequestParam, "/request", err.Error())}
	}
	var out []Violation
	for _, e := range result.Errors() {
		name := e.Field()
		if e.Type() == "required" {
			name = fmt.Sprint(e.Details()["property"])
		}
		if name == c.body.Name && c.body.Name != "" {
			continue // the body is no string value; ValidateRequest judges it (regenerate.body)
		}
		out = append(out, newViolation(RequestParam, c.parameterPath(name), schemaMessage(e, name)))
	}
	sortViolations(out)
	return out
}

func (c *Contract) parameterPath(name string) string {
	for _, p := range c.parameters {
		if p.Name == name {
			return "/request/" + p.In + "/" + escapePointer(name)
		}
	}
	return "/request/" + escapePointer(name)
}

// requestParts is the request taken apart once for all request checks.
type requestParts struct {
	req     Request
	pathErr error             // why the path is not the documented template ("" URL included)
	path    map[string]string // the path parameters, unescaped, when the path fits the template
	values  map[string]string // every parameter given once, path and query
	repeats map[string]int    // query parameters given more than once, and how often
}

// ValidateRequest checks the request side of an exchange: method, path, parameters, api-version,
// authorization, body and the headers a client sends. Each request check of the registry runs.
func (c *Contract) ValidateRequest(req Request) Report {
	parts := &requestParts{req: req, values: map[string]string{}, repeats: map[string]int{}}
	if req.URL == nil {
		parts.pathErr = errors.New("the request has no URL")
	} else if params, err := c.PathParameters(req.URL); err != nil {
		parts.pathErr = err
	} else {
		parts.path = params
		maps.Copy(parts.values, params)
	}
	if req.URL != nil {
		query := req.URL.Query()
		for _, p := range c.parameters {
			if p.In != "query" {
				continue
			}
			switch got := query[p.Name]; {
			case len(got) == 1:
				parts.values[p.Name] = got[0]
			case len(got) > 1:
				parts.repeats[p.Name] = len(got)
			}
		}
	}
	r := &run{contract: c, definition: "request", req: parts}
	for _, check := range registry {
		if check.request != nil {
			check.request(r)
		}
	}
	r.definition = "request"
	return r.finish()
}

func checkRequestMethod(r *run) {
	if !strings.EqualFold(r.req.req.Method, r.contract.Operation.Method) {
		r.add(RequestMethod, "/request/method", "the method is %q; the operation is %s", r.req.req.Method, r.contract.Operation.Method)
	}
}

func checkRequestPath(r *run) {
	if r.req.pathErr != nil {
		r.add(RequestPath, "/request/path", "%v", r.req.pathErr)
	}
}

func checkRequestPathSafe(r *run) {
	for _, p := range r.contract.parameters {
		v, ok := r.req.path[p.Name]
		if !ok || p.In != "path" {
			continue
		}
		if problem := PathSafety(v); problem != "" {
			r.add(RequestPathSafe, r.contract.parameterPath(p.Name), "%s %q %s", p.Name, v, problem)
		}
	}
}

func checkRequestParameters(r *run) {
	for _, p := range r.contract.parameters {
		if n := r.req.repeats[p.Name]; n > 1 {
			r.add(RequestParam, r.contract.parameterPath(p.Name), "%s is given %d times; give it once", p.Name, n)
		}
	}
	if r.req.req.URL == nil || len(r.req.values) == 0 {
		return
	}
	// A value a recorder replaced by a placeholder (docs/recorders.md) says nothing about what the client
	// sent: it is not checked.
	placeholders := map[string]bool{}
	for _, p := range r.contract.parameters {
		if v, ok := r.req.values[p.Name]; ok && IsPlaceholder(v) {
			path := r.contract.parameterPath(p.Name)
			placeholders[path] = true
			r.notChecked(RequestParam, path, "%s is a placeholder in the recorded request (%s): not checked", path, v)
		}
	}
	for _, v := range r.contract.ValidateParameters(r.req.values) {
		// A path that is not the template has no path parameters to judge: request.path reports it.
		if r.req.pathErr != nil && strings.HasPrefix(v.Path, "/request/path/") || placeholders[v.Path] {
			continue
		}
		r.report.Violations = append(r.report.Violations, v)
	}
	if r.req.pathErr != nil {
		r.unchecked(RequestParam, "/request/path", "the path is not the documented template: its parameters not checked")
	}
}

func checkRequestAPIVersion(r *run) {
	if v, ok := r.req.values["api-version"]; ok && v != "" && v != r.contract.Operation.APIVersion {
		r.add(RequestVersion, "/request/query/api-version", "api-version is %q; the contract under test is %s", v, r.contract.Operation.APIVersion)
	}
}

func checkAuthorization(r *run) {
	auth := r.req.req.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(auth, " ")
	switch {
	case auth == "":
		r.add(RequestAuth, "/request/headers/authorization", "the request has no Authorization header")
	case !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "":
		r.add(RequestAuth, "/request/headers/authorization", "Authorization is not \"Bearer <token>\" (scheme %q)", scheme)
	}
}

func checkRequestBody(r *run) {
	req := r.req.req
	switch body, takesBody := r.contract.Body(); {
	case takesBody:
		r.contract.checkRegenerateBody(r, body, req.Body)
	case len(req.Body) > 0:
		r.add(RequestBody, "/request/body", "the request has a %d-byte body; the operation takes none", len(req.Body))
	}
}

func checkAccept(r *run) {
	if accept := r.req.req.Header.Get("Accept"); accept != "" && !acceptsJSON(accept) {
		r.add(RequestAccept, "/request/headers/accept", "Accept %q does not admit application/json", accept)
	}
}

func checkClientRequestID(r *run) {
	if id := r.req.req.Header.Get("x-ms-client-request-id"); id != "" && checkUUID(id) != nil {
		r.add(RequestClientID, "/request/headers/x-ms-client-request-id", "x-ms-client-request-id %q is not a GUID", id)
	}
}

// PathUnsafe are the characters a path value may not hold even escaped, besides control characters: some
// hop may decode and split on them ("/", "\"), end the path at them ("?", "#"), or decode them again ("%").
const PathUnsafe = `/\?#%`

// PathSafety names what makes v unfit for a path segment even when escaped — a dot segment, a PathUnsafe
// character, a control character — or is "" for a safe value. It is request.path-safe: the client builder
// refuses such a value before sending, and the request checks (serve, recordings) report one received.
func PathSafety(v string) string {
	if v == "." || v == ".." {
		return "is a dot segment, which would change the request path"
	}
	for _, r := range v {
		switch {
		case strings.ContainsRune(PathUnsafe, r):
			return fmt.Sprintf("contains %q, which may not appear in a path segment", r)
		case unicode.IsControl(r):
			return fmt.Sprintf("contains the control character %U, which may not appear in a path segment", r)
		}
	}
	return ""
}

func acceptsJSON(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		media, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch media {
		case "application/json", "application/*", "*/*":
			return true
		}
	}
	return false
}

// checkRegenerateBody judges the body of a Regenerate Keys request against its definition (ApiKeys).
func (c *Contract) checkRegenerateBody(r *run, param Parameter, body []byte) {
	if len(bytes.TrimSpace(body)) == 0 {
		r.add(RegenerateBody, "/request/body", "the request has no body; %s is required (%s)", param.Name, param.Definition)
		return
	}
	doc, strict, err := Decode(body)
	if err != nil {
		r.add(RegenerateBody, "/request/body", "the body is not usable JSON: %v", err)
		return
	}
	for _, v := range strict { // JSON that clients read differently: trailing data, a name twice
		r.add(RegenerateBody, "/request/body"+v.Path, "%s", v.Message)
	}
	result, err := c.schema(param.Definition).Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		r.add(RegenerateBody, "/request/body", "validating: %v", err)
		return
	}
	for _, e := range result.Errors() {
		ptr := "/request/body" + pointerOf(e.Context())
		r.add(RegenerateBody, ptr, "%s", schemaMessage(e, displayPointer(ptr)))
	}
	keys, _ := member(doc, "keys")
	list, isList := keys.([]any)
	seen := map[any]bool{}
	for _, k := range list {
		if seen[k] {
			r.add(RegenerateKeysNamed, "/request/body/keys", "%v is named twice", k)
		}
		seen[k] = true
	}
	if isList && len(list) == 0 || keys == nil && result.Valid() {
		r.add(RegenerateKeysNamed, "/request/body/keys", "no key is named: nothing would be regenerated")
	}
}

// ValidateRegenerate judges the answer to a Regenerate Keys request: 204 with an empty body, or an
// ErrorResponse for an error status.
func (c *Contract) ValidateRegenerate(ex Exchange) (Report, error) {
	if ex.Status >= 400 {
		return c.Validate(c.Operation.Responses["default"], ex)
	}
	r := &run{contract: c, definition: "Workspaces_RegenerateKeys response"}
	switch {
	case ex.Status != 204:
		r.add(RegenerateNoContent, "", "the status is %d; a successful Regenerate Keys answers 204", ex.Status)
	case len(bytes.TrimSpace(ex.Body)) > 0:
		r.add(RegenerateNoContent, "", "the 204 has a %d-byte body; it must have none", len(ex.Body))
	}
	r.report.Definition = r.definition
	r.report.Violations = append([]Violation{}, r.report.Violations...)
	r.report.Notes = []string{}
	return r.report, nil
}

// ForRequest is the operation of the set a request URL is for, by its path's last segment (listKeys or
// regenerateKey, case-insensitively, as ARM routes); c itself when the path names no other operation.
func (c *Contract) ForRequest(u *url.URL) *Contract {
	if u == nil {
		return c
	}
	path := strings.TrimRight(u.EscapedPath(), "/")
	last := path[strings.LastIndex(path, "/")+1:]
	for _, op := range c.operations {
		p := op.Operation.Path
		if strings.EqualFold(p[strings.LastIndex(p, "/")+1:], last) {
			view := *op
			view.now = c.now
			return &view
		}
	}
	return c
}
