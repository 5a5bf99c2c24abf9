package generator

import (
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xeipuuv/gojsonschema"
)

// The contract package loads the generated files exactly this way, so this is the test that they work
// together: each one is a valid draft-07 schema and every cross-file $ref resolves inside the set.
func TestGeneratedSchemasCompileAsDraft07(t *testing.T) {
	specs := []struct{ name, path, op string }{
		{"source", sourceSpec, operationID},
		{"fixture", fixtureSpec, "Things_Put"},
		{"official", officialDir + "/2025-12-15-preview/quantum.json", operationID},
		{"official 2023-11-13", officialDir + "/2023-11-13-preview/quantum.json", "Workspaces_RegenerateKeys"},
	}
	for _, spec := range specs {
		t.Run(spec.name, func(t *testing.T) {
			if _, err := os.Stat(spec.path); err != nil {
				t.Skipf("%s not available: %v", spec.path, err)
			}
			files := mustGenerate(t, spec.path, spec.op)
			compileAll(t, files)
		})
	}
}

func TestCompiledSchemasFollowReferences(t *testing.T) {
	schemas := compileAll(t, mustGenerateAll(t, sourceSpec))
	tests := []struct {
		file  string
		body  string
		valid bool
	}{
		{"ListKeysResult.schema.json", `{"apiKeyEnabled": true, "primaryKey": {"createdAt": "2025-01-01T00:00:00Z", "key": "k"}}`, true},
		{"ListKeysResult.schema.json", `{"primaryKey": {"createdAt": 5}}`, false}, // through ApiKey.schema.json
		{"ErrorResponse.schema.json", `{"error": {"code": "X", "details": [{"code": "Y"}]}}`, true},
		{"ErrorResponse.schema.json", `{"error": {"details": [{"code": 1}]}}`, false}, // through the recursion
		{"Workspaces_ListKeys.parameters.schema.json", `{"api-version": "v", "subscriptionId": "00000000-1111-2222-3333-444444444444", "resourceGroupName": "rg", "workspaceName": "ws"}`, true},
		{"Workspaces_ListKeys.parameters.schema.json", `{"api-version": "v", "subscriptionId": "00000000-1111-2222-3333-444444444444", "resourceGroupName": "rg"}`, false},
		{"ApiKeys.schema.json", `{"keys": ["Primary", "Secondary"]}`, true},
		{"ApiKeys.schema.json", `{"keys": ["Tertiary"]}`, false}, // through KeyType.schema.json
		{"Workspaces_RegenerateKeys.parameters.schema.json", `{"api-version": "v", "subscriptionId": "00000000-1111-2222-3333-444444444444", "resourceGroupName": "rg", "workspaceName": "ws", "body": {"keys": ["Primary"]}}`, true},
		{"Workspaces_RegenerateKeys.parameters.schema.json", `{"api-version": "v", "subscriptionId": "00000000-1111-2222-3333-444444444444", "resourceGroupName": "rg", "workspaceName": "ws"}`, false},
	}
	for _, tt := range tests {
		result, err := schemas[tt.file].Validate(gojsonschema.NewStringLoader(tt.body))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if result.Valid() != tt.valid {
			t.Errorf("%s on %s: valid = %v, want %v (%v)", tt.file, tt.body, result.Valid(), tt.valid, result.Errors())
		}
	}
}

// compileAll registers every file under its $id and compiles each one, checking them against the
// draft-07 meta-schema on the way.
func compileAll(t *testing.T, files map[string][]byte) map[string]*gojsonschema.Schema {
	t.Helper()
	// An unregistered $ref would make gojsonschema fetch it over the network: refuse before that.
	for name, b := range files {
		for _, ref := range refs(decodeJSON(t, b)) {
			if _, ok := files[ref]; !ok {
				t.Fatalf("%s refers to %s, which was not generated", name, ref)
			}
		}
	}
	loader := gojsonschema.NewSchemaLoader()
	loader.Validate = true
	names := slices.Sorted(maps.Keys(files))
	var loaders []gojsonschema.JSONLoader
	for _, name := range names {
		loaders = append(loaders, gojsonschema.NewBytesLoader(files[name]))
	}
	if err := loader.AddSchemas(loaders...); err != nil {
		t.Fatalf("register schemas: %v", err)
	}
	compiled := map[string]*gojsonschema.Schema{}
	for _, name := range names {
		id, _ := decodeJSON(t, files[name]).(map[string]any)["$id"].(string)
		if !strings.HasSuffix(id, "/"+name) {
			t.Fatalf("%s: $id %q does not end in its file name", name, id)
		}
		s, err := loader.Compile(gojsonschema.NewReferenceLoader(id))
		if err != nil {
			t.Errorf("%s does not compile as draft-07: %v", name, err)
			continue
		}
		compiled[name] = s
	}
	return compiled
}

// refs lists every $ref in a decoded schema.
func refs(v any) []string {
	var out []string
	switch node := v.(type) {
	case map[string]any:
		for key, value := range node {
			if s, ok := value.(string); ok && key == "$ref" {
				out = append(out, s)
				continue
			}
			out = append(out, refs(value)...)
		}
	case []any:
		for _, item := range node {
			out = append(out, refs(item)...)
		}
	}
	return out
}
