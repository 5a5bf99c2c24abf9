package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

const (
	draft07      = "http://json-schema.org/draft-07/schema#"
	idBase       = "https://listkeys-conformance.invalid/schemas/"
	schemaSuffix = ".schema.json"
)

// fileName limits definition names, operationIds and versions to what is safe in a file name and a URL.
var fileName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`) })

// methods in a fixed order, so a duplicated operationId is reported the same way every time.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch"}

var parameterLocations = []string{"query", "header", "path", "formData", "body"}

// generator holds one run: the documents read so far and the definitions reached from the operation.
type generator struct {
	*loader
	queued map[string]bool // definition locations already queued, so recursive definitions end
	queue  []pending
	defs   map[string]definition // by name, which is also the output file name
}

type pending struct {
	at   location
	name string
	node any
}

type definition struct {
	at     location
	schema map[string]any
}

type operation struct {
	at       location
	node     map[string]any
	method   string
	path     string
	pathItem location
	item     map[string]any
}

type parameter struct {
	at   location
	node map[string]any
	name string
	in   string
}

// Generate reads the swagger document at specPath and returns the schemas of the operation operationID,
// keyed by file name: "<Definition>.schema.json" for each definition reachable from its parameters and
// responses, and "<operationID>.parameters.schema.json": an object with one property per parameter (x-in
// says where it travels) and x-operation, which maps each response status to its definition's name, or to
// null when no body is documented. The same input always gives the same bytes.
// Errors name the files involved, and the offending spot as file#/json/pointer where there is one; paths
// are specPath joined with the $refs followed, so they open from where the caller runs.
func Generate(specPath, operationID string) (map[string][]byte, error) {
	g := &generator{loader: newLoader(), queued: map[string]bool{}, defs: map[string]definition{}}
	root := location{file: filepath.Clean(specPath)}
	if !fileName().MatchString(operationID) {
		return nil, fmt.Errorf("%s: operationId %q cannot be used as a file name", root.file, operationID)
	}
	spec, err := g.load(root.file)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err) // names the file
	}
	doc, ok := spec.(map[string]any)
	if !ok || doc["swagger"] != "2.0" {
		return nil, fmt.Errorf("%s: not an OpenAPI 2.0 document: it needs \"swagger\": \"2.0\"", root.file)
	}
	version, _ := lookupString(doc, "info", "version")
	if !fileName().MatchString(version) {
		return nil, root.child("info", "version").errorf("api version %q cannot be used in a file name and URL", version)
	}
	op, err := findOperation(root, doc, operationID)
	if err != nil {
		return nil, err
	}
	properties, required, err := g.parameters(op)
	if err != nil {
		return nil, err
	}
	responses, err := g.responses(op)
	if err != nil {
		return nil, err
	}
	if err := g.drain(); err != nil {
		return nil, err
	}

	files := map[string][]byte{}
	for name, def := range g.defs {
		file := name + schemaSuffix
		b, err := document(version, file, name, def.schema)
		if err != nil {
			return nil, err
		}
		files[file] = b
	}
	params := map[string]any{
		"type":                 "object",
		"properties":           properties,
		"additionalProperties": false,
		"x-operation": map[string]any{
			"operationId": operationID,
			"method":      strings.ToUpper(op.method),
			"path":        op.path,
			"apiVersion":  version,
			"responses":   responses,
		},
	}
	if len(required) > 0 {
		params["required"] = required
	}
	file := operationID + ".parameters" + schemaSuffix
	if _, clash := files[file]; clash {
		return nil, fmt.Errorf("%s: a definition and the parameters of %s would both be written to %s", root.file, operationID, file)
	}
	b, err := document(version, file, operationID+" parameters", params)
	if err != nil {
		return nil, err
	}
	files[file] = b
	return files, nil
}

// GenerateAll is Generate for several operations of one document, their files together: a definition two
// operations reach (ErrorResponse) is one file, and must come out the same for both.
func GenerateAll(specPath string, operationIDs []string) (map[string][]byte, error) {
	if len(operationIDs) == 0 {
		return nil, fmt.Errorf("%s: no operationId given", specPath)
	}
	files := map[string][]byte{}
	for _, id := range operationIDs {
		one, err := Generate(specPath, id)
		if err != nil {
			return nil, err
		}
		for name, b := range one {
			if prev, ok := files[name]; ok && !bytes.Equal(prev, b) {
				return nil, fmt.Errorf("%s: %s differs between the operations %s", specPath, name, strings.Join(operationIDs, ", "))
			}
			files[name] = b
		}
	}
	return files, nil
}

func findOperation(root location, doc map[string]any, id string) (operation, error) {
	var found []operation
	// x-ms-paths holds operations whose paths differ only in the query string.
	for _, section := range []string{"paths", "x-ms-paths"} {
		paths, _ := doc[section].(map[string]any)
		for _, path := range slices.Sorted(maps.Keys(paths)) {
			item, _ := paths[path].(map[string]any)
			itemAt := root.child(section, path)
			for _, method := range methods {
				node, _ := item[method].(map[string]any)
				if node != nil && node["operationId"] == id {
					found = append(found, operation{
						at: itemAt.child(method), node: node, method: method, path: path,
						pathItem: itemAt, item: item,
					})
				}
			}
		}
	}
	switch len(found) {
	case 0:
		return operation{}, fmt.Errorf("%s: no operation has operationId %q", root.file, id)
	case 1:
		return found[0], nil
	default:
		return operation{}, fmt.Errorf("operationId %q is used twice: at %s and at %s", id, found[0].at, found[1].at)
	}
}

// parameters returns the properties of the parameters schema and the names of the required ones, in the
// operation's order followed by the path item's parameters it does not override.
func (g *generator) parameters(op operation) (map[string]any, []string, error) {
	own, err := g.parameterList(op.at.child("parameters"), op.node["parameters"])
	if err != nil {
		return nil, nil, err
	}
	shared, err := g.parameterList(op.pathItem.child("parameters"), op.item["parameters"])
	if err != nil {
		return nil, nil, err
	}
	params := own
	for _, s := range shared {
		// Swagger: an operation's parameter overrides the path item's with the same name and location.
		overridden := slices.ContainsFunc(own, func(p parameter) bool { return p.name == s.name && p.in == s.in })
		if !overridden {
			params = append(params, s)
		}
	}

	properties := map[string]any{}
	seen := map[string]location{}
	var required []string
	for _, p := range params {
		if prev, dup := seen[p.name]; dup {
			return nil, nil, p.at.errorf("parameter %q is also defined at %s; both would be property %q", p.name, prev, p.name)
		}
		seen[p.name] = p.at
		prop, err := g.parameter(p)
		if err != nil {
			return nil, nil, err
		}
		properties[p.name] = prop
		switch r := p.node["required"].(type) {
		case nil:
		case bool:
			if r {
				required = append(required, p.name)
			}
		default:
			return nil, nil, p.at.errorf("required must be a boolean on a parameter, got %s", kind(r))
		}
	}
	return properties, required, nil
}

func (g *generator) parameterList(at location, value any) ([]parameter, error) {
	if value == nil {
		return nil, nil
	}
	items, ok := value.([]any)
	if !ok {
		return nil, at.errorf("parameters must be an array, got %s", kind(value))
	}
	var params []parameter
	for i, item := range items {
		p := parameter{at: at.child(strconv.Itoa(i))}
		node, _ := item.(map[string]any)
		if ref, isRef := node["$ref"]; isRef {
			// The parameter's own references resolve against the file that defines it.
			target, value, err := g.resolve(p.at, ref)
			if err != nil {
				return nil, err
			}
			p.at = target
			node, _ = value.(map[string]any)
		}
		if node == nil {
			return nil, p.at.errorf("a parameter must be an object")
		}
		p.node = node
		p.name, _ = node["name"].(string)
		p.in, _ = node["in"].(string)
		if p.name == "" || !slices.Contains(parameterLocations, p.in) {
			return nil, p.at.errorf("a parameter needs a name and an in (one of %s)", strings.Join(parameterLocations, ", "))
		}
		params = append(params, p)
	}
	return params, nil
}

// parameter converts one parameter to the schema of its property; x-in records where it travels.
func (g *generator) parameter(p parameter) (map[string]any, error) {
	var prop map[string]any
	if p.in == "body" {
		for _, key := range slices.Sorted(maps.Keys(p.node)) {
			switch {
			case key == "name", key == "in", key == "required", key == "description", key == "schema":
			case strings.HasPrefix(key, "x-"):
			default:
				return nil, p.at.errorf("%q does not belong on a body parameter; put it in its schema", key)
			}
		}
		schema, ok := p.node["schema"]
		if !ok {
			return nil, p.at.errorf("a body parameter needs a schema")
		}
		var err error
		if prop, err = g.convert(p.at.child("schema"), schema); err != nil {
			return nil, err
		}
		if d, ok := p.node["description"]; ok {
			if err := checkValue(p.at, "description", d); err != nil {
				return nil, err
			}
			prop["description"] = d // the parameter's own words win over the referenced schema's
		}
	} else {
		if p.node["type"] == "array" {
			return nil, p.at.errorf("array parameters are serialized by collectionFormat, which is not translated")
		}
		keywords := maps.Clone(p.node)
		delete(keywords, "name")
		delete(keywords, "in")
		delete(keywords, "required") // a boolean here; the parameters schema lists it in required instead
		var err error
		if prop, err = g.convert(p.at, keywords); err != nil {
			return nil, err
		}
	}
	prop["x-in"] = p.in
	return prop, nil
}

// responses maps each documented status to the name of its body's definition, or null without a body.
func (g *generator) responses(op operation) (map[string]any, error) {
	at := op.at.child("responses")
	responses, ok := op.node["responses"].(map[string]any)
	if !ok {
		return nil, at.errorf("an operation needs responses")
	}
	out := map[string]any{}
	for _, status := range slices.Sorted(maps.Keys(responses)) {
		if strings.HasPrefix(status, "x-") {
			continue
		}
		rat, node := at.child(status), responses[status]
		if r, _ := node.(map[string]any); r["$ref"] != nil {
			var err error
			if rat, node, err = g.resolve(rat, r["$ref"]); err != nil {
				return nil, err
			}
		}
		r, ok := node.(map[string]any)
		if !ok {
			return nil, rat.errorf("a response must be an object, got %s", kind(node))
		}
		schema, ok := r["schema"]
		if !ok {
			out[status] = nil
			continue
		}
		s, _ := schema.(map[string]any)
		if s["$ref"] == nil {
			return nil, rat.child("schema").errorf("a response schema must be a $ref to a definition: the contract validates a body against a named definition")
		}
		name, err := g.reference(rat.child("schema"), s["$ref"])
		if err != nil {
			return nil, err
		}
		out[status] = name
	}
	return out, nil
}

// reference resolves a schema $ref, queues the definition it names and returns that name.
func (g *generator) reference(at location, ref any) (string, error) {
	target, node, err := g.resolve(at, ref)
	if err != nil {
		return "", err
	}
	tokens := pointerTokens(target.pointer)
	if len(tokens) != 2 || tokens[0] != "definitions" {
		return "", at.errorf("$ref %s: only references to #/definitions/NAME are supported", jsonText(ref))
	}
	name := tokens[1]
	if !fileName().MatchString(name) {
		return "", at.errorf("$ref %s: definition name %q cannot be used as a file name", jsonText(ref), name)
	}
	if !g.queued[target.String()] {
		g.queued[target.String()] = true
		g.queue = append(g.queue, pending{at: target, name: name, node: node})
	}
	return name, nil
}

// drain converts queued definitions until none is left; converting one may queue more.
func (g *generator) drain() error {
	for len(g.queue) > 0 {
		next := g.queue[0]
		g.queue = g.queue[1:]
		schema, err := g.convert(next.at, next.node)
		if err != nil {
			return err
		}
		if ref, alias := schema["$ref"]; alias {
			// draft-07 ignores every sibling of $ref, $id included, so an alias would lose its identity.
			delete(schema, "$ref")
			schema["allOf"] = []any{map[string]any{"$ref": ref}}
		}
		if prev, ok := g.defs[next.name]; ok {
			if !reflect.DeepEqual(prev.schema, schema) {
				return fmt.Errorf("definition %q differs between %s and %s; both would be written to %s%s",
					next.name, prev.at, next.at, next.name, schemaSuffix)
			}
			continue
		}
		g.defs[next.name] = definition{at: next.at, schema: schema}
	}
	return nil
}

// document adds the identity of one output file and encodes it in the committed format: sorted keys,
// two-space indent, trailing newline.
func document(version, file, title string, schema map[string]any) ([]byte, error) {
	doc := maps.Clone(schema)
	doc["$schema"] = draft07
	doc["$id"] = idBase + version + "/" + file
	doc["title"] = title
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep patterns and prose readable: "<" rather than "\u003c"
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("encode %s: %w", file, err)
	}
	return buf.Bytes(), nil
}

func lookupString(doc map[string]any, keys ...string) (string, bool) {
	var cur any = doc
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		cur = m[k]
	}
	s, ok := cur.(string)
	return s, ok
}
