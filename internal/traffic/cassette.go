package traffic

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// readYAML reads the two cassette formats, go-vcr and vcrpy. They share the outer shape
// (interactions of request and response) and differ inside: go-vcr has request.url, response.code and
// bodies as strings; vcrpy has request.uri, response.status{code,message} and response.body{string}.
func readYAML(data []byte) (source, error) {
	doc, err := parseYAML(data)
	if err != nil {
		return source{}, unknown("it is neither JSON nor YAML: %v", err)
	}
	return readCassette(doc, len(data))
}

func readCassette(doc *yaml.Node, size int) (source, error) {
	y := &yamlReader{budget: 8*size + 1<<20}
	top := y.resolve(doc)
	if top != nil && top.Kind == yaml.DocumentNode && len(top.Content) > 0 {
		top = y.resolve(top.Content[0])
	}
	if top == nil || top.Kind != yaml.MappingNode {
		return source{}, unknown("it is YAML, but its top level is %s, not a mapping", kindName(top))
	}
	interactions := y.lookup(top, "interactions")
	if interactions == nil {
		return source{}, unknown("it is YAML with %s, but no \"interactions\" (go-vcr, vcrpy)", describeKeys(y.keys(top)))
	}
	if interactions.Kind != yaml.SequenceNode && !isNull(interactions) {
		return source{}, unknown("its \"interactions\" is %s, not a list", kindName(interactions))
	}
	format, err := y.cassetteFormat(top, interactions)
	if err != nil {
		return source{}, err
	}
	// Each interaction's nodes are dropped once it is read: the tree shrinks as the file is judged.
	items := interactions.Content
	return source{format: format, n: len(items), at: func(i int) (Interaction, error) {
		item := items[i]
		items[i] = nil
		in, err := y.interaction(format, y.resolve(item))
		if err != nil {
			return Interaction{}, fmt.Errorf("%s cassette: interaction %d: %w", format, i+1, err)
		}
		return in, nil
	}}, nil
}

// parseYAML guards the parser: the file comes from anywhere, and a parser bug must be an error here, not a
// crash of the whole run.
func parseYAML(data []byte) (doc *yaml.Node, err error) {
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, fmt.Errorf("the YAML parser failed: %v", p)
		}
	}()
	doc = &yaml.Node{}
	if err := yaml.Unmarshal(data, doc); err != nil {
		return nil, errors.New(oneLine(err.Error()))
	}
	return doc, nil
}

// cassetteFormat tells go-vcr from vcrpy: version 2 is go-vcr's alone; otherwise the shape of the first
// interaction decides (go-vcr version 1 has the same shape as its version 2).
func (y *yamlReader) cassetteFormat(top, interactions *yaml.Node) (Format, error) {
	version := ""
	if v := y.lookup(top, "version"); v != nil {
		version = v.Value
	}
	switch version {
	case "", "1":
	case "2":
		return GoVCR, nil
	default:
		return "", unknown("it has interactions, but version %q is no cassette version known (go-vcr 1 and 2, vcrpy 1)", version)
	}
	for _, item := range interactions.Content {
		item = y.resolve(item)
		req, resp := y.lookup(item, "request"), y.lookup(item, "response")
		switch {
		case y.lookup(req, "uri") != nil, y.lookup(resp, "status") != nil && y.lookup(resp, "status").Kind == yaml.MappingNode:
			return VCRPy, nil
		case y.lookup(req, "url") != nil, y.lookup(resp, "code") != nil:
			return GoVCR, nil
		}
	}
	if len(interactions.Content) == 0 {
		return VCRPy, nil // an empty version-1 cassette: either; it has no listKeys interaction anyway
	}
	return "", unknown("it has interactions, but their requests have neither \"url\" (go-vcr) nor \"uri\" (vcrpy)")
}

func (y *yamlReader) interaction(format Format, item *yaml.Node) (Interaction, error) {
	if item == nil || item.Kind != yaml.MappingNode {
		return Interaction{}, fmt.Errorf("it is %s, not a mapping with request and response", kindName(item))
	}
	req, resp := y.lookup(item, "request"), y.lookup(item, "response")
	for _, part := range []struct {
		name string
		node *yaml.Node
	}{{"request", req}, {"response", resp}} {
		if part.node == nil || part.node.Kind != yaml.MappingNode {
			return Interaction{}, fmt.Errorf("its %s is %s, not a mapping", part.name, kindName(part.node))
		}
	}
	urlKey := "url"
	if format == VCRPy {
		urlKey = "uri"
	}
	method, err := y.requiredString(req, "request", "method")
	if err != nil {
		return Interaction{}, err
	}
	rawURL, err := y.requiredString(req, "request", urlKey)
	if err != nil {
		return Interaction{}, err
	}
	status, err := y.status(format, resp)
	if err != nil {
		return Interaction{}, err
	}
	reqHeader, err := y.header(y.lookup(req, "headers"), "request")
	if err != nil {
		return Interaction{}, err
	}
	header, err := y.header(y.lookup(resp, "headers"), "response")
	if err != nil {
		return Interaction{}, err
	}
	reqBody, err := y.body(y.lookup(req, "body"), "request")
	if err != nil {
		return Interaction{}, err
	}
	respBody := y.lookup(resp, "body")
	if format == VCRPy && respBody != nil && respBody.Kind == yaml.MappingNode {
		respBody = y.lookup(respBody, "string")
	}
	body, err := y.body(respBody, "response")
	if err != nil {
		return Interaction{}, err
	}
	if reqHeader == nil {
		reqHeader = http.Header{} // an absent request header map is the same as an empty one for the checks
	}
	return newInteraction(method, rawURL, reqHeader, reqBody, status, header, body), nil
}

// status reads go-vcr's code (or, lacking it, the number leading its status "200 OK") or vcrpy's
// status.code.
func (y *yamlReader) status(format Format, resp *yaml.Node) (int, error) {
	node, where := y.lookup(resp, "code"), "response.code"
	if format == VCRPy {
		node, where = y.lookup(y.lookup(resp, "status"), "code"), "response.status.code"
	}
	if node == nil && format == GoVCR {
		node, where = y.lookup(resp, "status"), "response.status"
	}
	if node == nil || node.Kind != yaml.ScalarNode {
		return 0, fmt.Errorf("%s is %s, not a status code", where, kindName(node))
	}
	number, _, _ := strings.Cut(strings.TrimSpace(node.Value), " ") // go-vcr's status is "200 OK"
	code, err := strconv.Atoi(number)
	if err != nil || code < 0 || code > 999 {
		return 0, fmt.Errorf("%s %q is not a status code", where, clip(node.Value))
	}
	return code, nil
}

func (y *yamlReader) requiredString(m *yaml.Node, where, key string) (string, error) {
	n := y.lookup(m, key)
	if n == nil || n.Kind != yaml.ScalarNode || isNull(n) {
		return "", fmt.Errorf("%s.%s is %s, not a string", where, key, kindName(n))
	}
	return n.Value, y.spend(len(n.Value))
}

// header reads a mapping of name to a list of values (or one value). A missing map is nil, so the
// contract notes that headers were not recorded instead of reporting each as missing.
func (y *yamlReader) header(n *yaml.Node, where string) (http.Header, error) {
	if n == nil || isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s headers are %s, not a mapping", where, kindName(n))
	}
	h := http.Header{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		name := y.resolve(n.Content[i])
		values := y.resolve(n.Content[i+1])
		if name == nil || name.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("%s headers: a header name is %s", where, kindName(name))
		}
		list := []*yaml.Node{values}
		if values != nil && values.Kind == yaml.SequenceNode {
			list = values.Content
		}
		for _, v := range list {
			v = y.resolve(v)
			if v == nil || v.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("%s header %q has a value that is %s, not a string", where, clip(name.Value), kindName(v))
			}
			if err := y.spend(len(name.Value) + len(v.Value)); err != nil {
				return nil, err
			}
			h.Add(name.Value, v.Value)
		}
	}
	return h, nil
}

// body reads a body stored as a string, as !!binary (base64, which both PyYAML and go-yaml write for bytes
// that are not UTF-8), or as null.
func (y *yamlReader) body(n *yaml.Node, where string) ([]byte, error) {
	if n == nil || isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.ScalarNode {
		return nil, fmt.Errorf("%s body is %s, not a string", where, kindName(n))
	}
	if err := y.spend(len(n.Value)); err != nil {
		return nil, err
	}
	if n.Tag == "!!binary" {
		b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(n.Value), ""))
		if err != nil {
			return nil, fmt.Errorf("%s body is !!binary but not base64: %v", where, err)
		}
		return b, nil
	}
	return []byte(n.Value), nil
}

// yamlReader walks a parsed document. Aliases are followed, and everything copied out of the tree is
// charged to a budget, so a few aliases cannot expand a small file into gigabytes.
type yamlReader struct {
	budget int
}

func (y *yamlReader) spend(n int) error {
	y.budget -= n
	if y.budget < 0 {
		return fmt.Errorf("the file expands (through YAML aliases) far beyond its size; refusing it")
	}
	return nil
}

func (y *yamlReader) resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 64; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

func (y *yamlReader) lookup(m *yaml.Node, key string) *yaml.Node {
	m = y.resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := y.resolve(m.Content[i]); k != nil && k.Kind == yaml.ScalarNode && k.Value == key {
			return y.resolve(m.Content[i+1])
		}
	}
	return nil
}

func (y *yamlReader) keys(m *yaml.Node) []string {
	var keys []string
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := y.resolve(m.Content[i]); k != nil && k.Kind == yaml.ScalarNode {
			keys = append(keys, k.Value)
		}
	}
	return keys
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func kindName(n *yaml.Node) string {
	switch {
	case n == nil:
		return "missing"
	case isNull(n):
		return "null"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf("the scalar %q", clip(n.Value))
	case n.Kind == yaml.AliasNode:
		return "an alias"
	}
	return "empty (no YAML content)"
}

// clip keeps a value quoted in a message short: it may be anything, including a secret.
func clip(s string) string {
	if utf8.RuneCountInString(s) > 24 {
		return string([]rune(s)[:24]) + "…"
	}
	return s
}

// oneLine folds a multi-line parser message into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
