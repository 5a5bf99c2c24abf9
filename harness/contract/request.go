package contract

import (
	"bytes"
	"fmt"
	"mime"
	"net/url"
	"strings"

	"github.com/xeipuuv/gojsonschema"
)

// PathParameters matches a request URL's path against the documented template and returns the path
// parameters, unescaped. Literal segments compare case-insensitively, as ARM routes them. Segments are split
// on the escaped path, so an encoded "/" stays inside its value (where the parameter checks refuse it).
func (c *Contract) PathParameters(u *url.URL) (map[string]string, error) {
	want := strings.Split(strings.Trim(c.Operation.Path, "/"), "/")
	got := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	if len(got) != len(want) {
		return nil, fmt.Errorf("path %q has %d segments; the documented path %s has %d", u.EscapedPath(), len(got), c.Operation.Path, len(want))
	}
	params := map[string]string{}
	for i, w := range want {
		if strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}") {
			value, err := url.PathUnescape(got[i])
			if err != nil {
				return nil, fmt.Errorf("segment %d (%s): %v", i+1, w, err)
			}
			params[strings.Trim(w, "{}")] = value
			continue
		}
		if !strings.EqualFold(got[i], w) {
			return nil, fmt.Errorf("segment %d is %q; the documented path has %q there", i+1, got[i], w)
		}
	}
	return params, nil
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
	result, err := c.schemas[c.Operation.ID+".parameters"].Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		return []Violation{newViolation("request.parameter", "/request", err.Error())}
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
		out = append(out, newViolation("request.parameter", c.parameterPath(name), schemaMessage(e, name)))
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

// ValidateRequest checks the request side of an exchange: method, path, parameters, api-version,
// authorization, body and the headers a client sends.
func (c *Contract) ValidateRequest(req Request) Report {
	r := &run{contract: c, definition: "request"}
	if !strings.EqualFold(req.Method, c.Operation.Method) {
		r.add("request.method", "/request/method", "the method is %q; the operation is %s", req.Method, c.Operation.Method)
	}
	values := map[string]string{}
	if req.URL == nil {
		r.add("request.path", "/request/path", "the request has no URL")
	} else if params, err := c.PathParameters(req.URL); err != nil {
		r.add("request.path", "/request/path", "%v", err)
	} else {
		values = params
	}
	if req.URL != nil {
		query := req.URL.Query()
		for _, p := range c.parameters {
			if p.In != "query" {
				continue
			}
			switch got := query[p.Name]; {
			case len(got) == 1:
				values[p.Name] = got[0]
			case len(got) > 1:
				r.add("request.parameter", c.parameterPath(p.Name), "%s is given %d times; give it once", p.Name, len(got))
			}
		}
		if v, ok := values["api-version"]; ok && v != "" && v != c.Operation.APIVersion {
			r.add("request.api-version", "/request/query/api-version", "api-version is %q; the contract under test is %s", v, c.Operation.APIVersion)
		}
	}
	if req.URL != nil && len(values) > 0 {
		r.report.Violations = append(r.report.Violations, c.ValidateParameters(values)...)
	}
	checkAuthorization(r, req)
	switch body, takesBody := c.Body(); {
	case takesBody:
		c.checkRegenerateBody(r, body, req.Body)
	case len(req.Body) > 0:
		r.add("request.body", "/request/body", "the request has a %d-byte body; the operation takes none", len(req.Body))
	}
	if accept := req.Header.Get("Accept"); accept != "" && !acceptsJSON(accept) {
		r.add("request.accept", "/request/headers/accept", "Accept %q does not admit application/json", accept)
	}
	if id := req.Header.Get("x-ms-client-request-id"); id != "" && checkUUID(id) != nil {
		r.add("request.client-request-id", "/request/headers/x-ms-client-request-id", "x-ms-client-request-id %q is not a GUID", id)
	}
	sortViolations(r.report.Violations)
	r.report.Definition = "request"
	return r.report
}

func checkAuthorization(r *run, req Request) {
	auth := req.Header.Get("Authorization")
	scheme, token, _ := strings.Cut(auth, " ")
	switch {
	case auth == "":
		r.add("request.authorization", "/request/headers/authorization", "the request has no Authorization header")
	case !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "":
		r.add("request.authorization", "/request/headers/authorization", "Authorization is not \"Bearer <token>\" (scheme %q)", scheme)
	}
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
		r.add("regenerate.body", "/request/body", "the request has no body; %s is required (%s)", param.Name, param.Definition)
		return
	}
	doc, err := decode(body)
	if err != nil {
		r.add("regenerate.body", "/request/body", "the body is not usable JSON: %v", err)
		return
	}
	result, err := c.schemas[param.Definition].Validate(gojsonschema.NewRawLoader(doc))
	if err != nil {
		r.add("regenerate.body", "/request/body", "validating: %v", err)
		return
	}
	for _, e := range result.Errors() {
		ptr := "/request/body" + pointerOf(e.Context())
		r.add("regenerate.body", ptr, "%s", schemaMessage(e, displayPointer(ptr)))
	}
	keys, _ := member(doc, "keys")
	list, isList := keys.([]any)
	seen := map[any]bool{}
	for _, k := range list {
		if seen[k] {
			r.add("regenerate.keys-named", "/request/body/keys", "%v is named twice", k)
		}
		seen[k] = true
	}
	if isList && len(list) == 0 || keys == nil && result.Valid() {
		r.add("regenerate.keys-named", "/request/body/keys", "no key is named: nothing would be regenerated")
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
		r.add("regenerate.no-content", "", "the status is %d; a successful Regenerate Keys answers 204", ex.Status)
	case len(bytes.TrimSpace(ex.Body)) > 0:
		r.add("regenerate.no-content", "", "the 204 has a %d-byte body; it must have none", len(ex.Body))
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

// ValidateAnswer judges a response by what the operation documents: Validate for List Keys,
// ValidateRegenerate for an operation whose success has no body.
func (c *Contract) ValidateAnswer(ex Exchange) (Report, error) {
	if def, ok := c.Operation.Responses["204"]; ok && def == "" {
		return c.ValidateRegenerate(ex)
	}
	return c.Validate("", ex)
}
