package examples

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

var (
	// Documented is the sample response of the documentation page, placeholders and all.
	//go:embed documented.json
	Documented []byte

	// Realistic has real-looking (made-up) keys and connection strings that name RequestURL's workspace.
	//go:embed realistic.json
	Realistic []byte

	// Error is an ErrorResponse with every documented member, nested details and additional info.
	//go:embed error.json
	Error []byte

	// RealARMOK is a vcrpy recording of one 200 to listKeys in the shape real ARM answers (header set, value
	// shapes, body), written from the public recordings described in docs/real-arm.md; every value is made up.
	// The emulator's answers are compared with it, and `drift` between it and the ok cassette reports nothing.
	//go:embed realarm/ok.yaml
	RealARMOK []byte
)

// The documented example's names, written here once: the emulator serves this workspace, the recorder keeps
// this subscription id (it is no real one), and replay asks for it when the environment names none.
const (
	SubscriptionID = "00000000-1111-2222-3333-444444444444"
	ResourceGroup  = "quantumResourcegroup"
	Workspace      = "quantumworkspace1"
	APIVersion     = "2025-12-15-preview"
)

// RequestURL is the documented sample request, which Realistic answers.
const RequestURL = "https://management.azure.com/subscriptions/" + SubscriptionID + "/resourceGroups/" + ResourceGroup +
	"/providers/Microsoft.Quantum/workspaces/" + Workspace + "/listKeys?api-version=" + APIVersion

// Mutate decodes body, applies each edit and encodes the result: the way specs derive an invalid body
// from a valid one.
func Mutate(body []byte, edits ...Edit) []byte {
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		panic(fmt.Sprintf("examples.Mutate: base body is not JSON: %v", err))
	}
	for _, e := range edits {
		doc = e(doc)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return out
}

// Edit changes a decoded body.
type Edit func(doc any) any

// Set puts value at the JSON Pointer ptr ("" replaces the whole body). The parent must exist.
func Set(ptr string, value any) Edit {
	return func(doc any) any {
		if ptr == "" {
			return value
		}
		parent, last := walk(doc, ptr)
		switch p := parent.(type) {
		case map[string]any:
			p[last] = value
		case []any:
			p[index(last, ptr)] = value
		}
		return doc
	}
}

// Delete removes the member at the JSON Pointer ptr.
func Delete(ptr string) Edit {
	return func(doc any) any {
		parent, last := walk(doc, ptr)
		if p, ok := parent.(map[string]any); ok {
			delete(p, last)
		}
		return doc
	}
}

// Get returns the value at the JSON Pointer ptr of body.
func Get(body []byte, ptr string) any {
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		panic(err)
	}
	if ptr == "" {
		return doc
	}
	parent, last := walk(doc, ptr)
	switch p := parent.(type) {
	case map[string]any:
		return p[last]
	case []any:
		return p[index(last, ptr)]
	}
	return nil
}

func walk(doc any, ptr string) (parent any, last string) {
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	cur := doc
	for _, p := range parts[:len(parts)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[unescape(p)]
		case []any:
			cur = c[index(p, ptr)]
		default:
			panic(fmt.Sprintf("examples: %s does not lead to an object or array", ptr))
		}
	}
	return cur, unescape(parts[len(parts)-1])
}

func index(s, ptr string) int {
	i, err := strconv.Atoi(s)
	if err != nil {
		panic(fmt.Sprintf("examples: %q in %s is not an array index", s, ptr))
	}
	return i
}

func unescape(s string) string {
	return strings.NewReplacer("~1", "/", "~0", "~").Replace(s)
}
