package generator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// location is a place in one of the documents: the file as the user can open it from where the command
// ran, and a JSON Pointer into it. Every error names one, so a bad spec can be fixed without guessing.
type location struct {
	file    string
	pointer string
}

func (l location) String() string { return l.file + "#" + l.pointer }

// child is the location of a member or item below l.
func (l location) child(tokens ...string) location {
	var b strings.Builder
	b.WriteString(l.pointer)
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(pointerEscaper.Replace(t))
	}
	return location{file: l.file, pointer: b.String()}
}

func (l location) errorf(format string, args ...any) error {
	return fmt.Errorf("%s: %s", l, fmt.Sprintf(format, args...))
}

// RFC 6901: "~" must be escaped before "/" so that "~1" in a name is not read back as "/".
var (
	pointerEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

// loader reads each document of a run once. Paths are joined lexically, as URI references are resolved,
// and kept relative when the spec path was, so messages stay short and independent of the machine.
type loader struct {
	docs     map[string]any
	patching map[string]bool // bases being loaded for a patch, so a cycle of patches ends
}

func newLoader() *loader { return &loader{docs: map[string]any{}, patching: map[string]bool{}} }

func (l *loader) load(file string) (any, error) {
	if doc, ok := l.docs[file]; ok {
		return doc, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err // *PathError already names the file
	}
	doc, err := decode(b)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", file, err)
	}
	if patch, ok := doc.(map[string]any); ok && patch[patchOf] != nil {
		if doc, err = l.patched(file, patch); err != nil {
			return nil, err
		}
	}
	l.docs[file] = doc
	return doc, nil
}

// patchOf is the member that makes a document a JSON Merge Patch (RFC 7386) of another one: the document
// read is the base with the patch applied, and its own references resolve as if it were at the patch's
// path. One definitions source can so be shared by several api-versions, each saying only what differs.
const patchOf = "x-patch-of"

func (l *loader) patched(file string, patch map[string]any) (any, error) {
	base, ok := patch[patchOf].(string)
	if !ok || base == "" || strings.Contains(base, "#") || strings.Contains(base, "://") {
		return nil, fmt.Errorf("%s#/%s: must name a local file, got %s", file, patchOf, jsonText(patch[patchOf]))
	}
	target := filepath.Join(filepath.Dir(file), filepath.FromSlash(base))
	if l.patching[target] {
		return nil, fmt.Errorf("%s#/%s: %s is patched in a cycle", file, patchOf, target)
	}
	l.patching[target] = true
	defer delete(l.patching, target)
	doc, err := l.load(target)
	if err != nil {
		return nil, fmt.Errorf("%s#/%s: %w", file, patchOf, err)
	}
	rest := maps.Clone(patch)
	delete(rest, patchOf)
	return mergePatch(doc, rest), nil
}

// mergePatch applies an RFC 7386 merge patch without changing target: objects merge member by member, null
// removes a member, anything else replaces.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, _ := target.(map[string]any)
	out := make(map[string]any, len(t)+len(p))
	maps.Copy(out, t)
	for k, v := range p {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = mergePatch(out[k], v)
	}
	return out
}

// decode keeps numbers as json.Number so that 90 is written back as 90, not 90.0 or 9e+01.
func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON document")
	}
	return v, nil
}

// resolve follows a JSON Reference found at from. A relative file part is resolved against the file that
// holds the reference, not the main spec: common-types files refer to their own neighbours.
func (l *loader) resolve(from location, ref any) (location, any, error) {
	s, ok := ref.(string)
	if !ok {
		return location{}, nil, from.errorf("$ref must be a string, got %s", kind(ref))
	}
	filePart, fragment, _ := strings.Cut(s, "#")
	if strings.Contains(filePart, "://") {
		return location{}, nil, from.errorf("$ref %q: remote references are not followed; vendor the file next to the spec", s)
	}
	target := from.file
	if filePart != "" {
		target = filepath.Join(filepath.Dir(from.file), filepath.FromSlash(filePart))
	}
	doc, err := l.load(target)
	if err != nil {
		return location{}, nil, from.errorf("$ref %q: %v", s, err)
	}
	pointer, err := url.PathUnescape(fragment)
	if err != nil {
		return location{}, nil, from.errorf("$ref %q: %v", s, err)
	}
	value, err := lookup(doc, pointer)
	if err != nil {
		return location{}, nil, from.errorf("$ref %q: %s has no %s (%v)", s, target, pointer, err)
	}
	return location{file: target, pointer: pointer}, value, nil
}

// lookup evaluates a JSON Pointer (RFC 6901) against a decoded document.
func lookup(doc any, pointer string) (any, error) {
	if pointer == "" {
		return doc, nil
	}
	if !strings.HasPrefix(pointer, "/") {
		return nil, fmt.Errorf("pointer %q does not start with /", pointer)
	}
	cur := doc
	for _, raw := range strings.Split(pointer[1:], "/") {
		token := pointerUnescaper.Replace(raw)
		switch node := cur.(type) {
		case map[string]any:
			next, ok := node[token]
			if !ok {
				return nil, fmt.Errorf("no member %q", token)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(token)
			if err != nil || i < 0 || i >= len(node) {
				return nil, fmt.Errorf("no item %q", token)
			}
			cur = node[i]
		default:
			return nil, fmt.Errorf("%q is below a %s", token, kind(cur))
		}
	}
	return cur, nil
}

// pointerTokens splits a pointer back into unescaped tokens.
func pointerTokens(pointer string) []string {
	if pointer == "" {
		return nil
	}
	tokens := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	for i, t := range tokens {
		tokens[i] = pointerUnescaper.Replace(t)
	}
	return tokens
}

// kind names a decoded JSON value's type for messages.
func kind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	default:
		return fmt.Sprintf("%T", v)
	}
}
