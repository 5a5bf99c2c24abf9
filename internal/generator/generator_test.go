package generator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

const (
	operationID  = "Workspaces_ListKeys"
	sourceDir    = "../../schemas/source"
	sourceSpec   = sourceDir + "/2025-12-15-preview/listkeys.json"
	committedDir = "../../schemas"
	// CI checks shared/ out beside the clone; from this folder that is three levels up.
	officialDir = "../../../shared/azure-specs/specification/quantum/resource-manager/Microsoft.Quantum/Quantum/preview"
	fixtureSpec = "testdata/multi/main.json"
	badSpec     = "testdata/bad/bad.json"
)

// operations are the ones every api-version's schemas are generated for (make schemas).
var operations = []string{"Workspaces_ListKeys", "Workspaces_RegenerateKeys"}

// sourceVersions lists the api-versions with a definitions source: every folder of schemas/source but the
// shared base.
func sourceVersions(t *testing.T) []string {
	t.Helper()
	specs, err := filepath.Glob(filepath.Join(sourceDir, "*", "listkeys.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range specs {
		if v := filepath.Base(filepath.Dir(s)); v != "common" {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no definitions source under %s", sourceDir)
	}
	return out
}

func TestCommittedSchemasMatchTheSource(t *testing.T) {
	versions := sourceVersions(t)
	for _, v := range versions {
		t.Run(v, func(t *testing.T) {
			got := mustGenerateAll(t, filepath.Join(sourceDir, v, "listkeys.json"))
			dir := filepath.Join(committedDir, v)
			if diff := diffFiles(got, readSchemaDir(t, dir)); diff != "" {
				t.Fatalf("schemas in %s are stale (run make schemas):\n%s", dir, diff)
			}
			if id := decodeJSON(t, got["ApiKey.schema.json"]).(map[string]any)["$id"]; !strings.Contains(id.(string), "/"+v+"/") {
				t.Errorf("the source of %s names another api-version: $id %s", v, id)
			}
		})
	}
	dirs, err := filepath.Glob(filepath.Join(committedDir, "*", "*.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range dirs {
		if v := filepath.Base(filepath.Dir(f)); !slices.Contains(versions, v) {
			t.Errorf("%s has no definitions source (schemas/source/%s/listkeys.json)", f, v)
		}
	}
}

func mustGenerateAll(t *testing.T, spec string) map[string][]byte {
	t.Helper()
	files, err := GenerateAll(spec, operations)
	if err != nil {
		t.Fatalf("GenerateAll(%s): %v", spec, err)
	}
	return files
}

func TestGenerateIsDeterministic(t *testing.T) {
	for _, spec := range []struct{ path, op string }{{sourceSpec, operationID}, {fixtureSpec, "Things_Put"}} {
		first := mustGenerate(t, spec.path, spec.op)
		for range 5 { // map order varies between runs; several tries make a leak of it likely to show
			if diff := diffFiles(mustGenerate(t, spec.path, spec.op), first); diff != "" {
				t.Fatalf("%s: two runs differ:\n%s", spec.path, diff)
			}
		}
	}
}

// annotations are the keywords allowed to differ between the official spec and our source: prose written
// in our own words (description, title) and default, which draft-07 does not validate and which a server
// applies rather than checks. Everything else must agree: the validation keywords; format (the contract
// registers a checker per format); readOnly and x-ms-secret (what the server makes, what a recording must
// redact); $id (both describe the same api-version); x-in and x-operation (where each parameter travels,
// which definition answers which status). Other x-ms-* extensions never reach the output.
var annotations = []string{"description", "title", "default"}

func TestOfficialSpecAgreesWithTheSource(t *testing.T) {
	for _, v := range sourceVersions(t) {
		t.Run(v, func(t *testing.T) {
			officialSpec := filepath.Join(officialDir, v, "quantum.json")
			if _, err := os.Stat(officialSpec); err != nil {
				t.Skipf("official spec of %s not available (%v); CI checks out shared/ beside the clone", v, err)
			}
			official := mustGenerateAll(t, officialSpec)
			ours := mustGenerateAll(t, filepath.Join(sourceDir, v, "listkeys.json"))
			if got, want := slices.Sorted(maps.Keys(official)), slices.Sorted(maps.Keys(ours)); !slices.Equal(got, want) {
				t.Fatalf("official spec gives files %v, our source %v", got, want)
			}
			for name := range ours {
				o, s := stripAnnotations(decodeJSON(t, official[name])), stripAnnotations(decodeJSON(t, ours[name]))
				if !reflect.DeepEqual(o, s) {
					t.Errorf("%s: validation differs between the official spec and our source\nofficial: %s\nsource:   %s",
						name, compact(t, o), compact(t, s))
				}
			}
		})
	}
}

func TestMergePatchSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("base/spec.json", `{"swagger":"2.0","info":{"version":"base"},
		"paths":{"/x":{"get":{"operationId":"X_Get","responses":{"200":{"schema":{"$ref":"#/definitions/Thing"}}}}}},
		"definitions":{"Thing":{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}}}}}`)
	v1 := write("v1/spec.json", `{"x-patch-of":"../base/spec.json","info":{"version":"v1"},
		"definitions":{"Thing":{"properties":{"a":{"format":"password","x-ms-secret":true},"b":null}}}}`)
	files := mustGenerate(t, v1, "X_Get")
	thing := decodeJSON(t, files["Thing.schema.json"]).(map[string]any)
	if got := compact(t, thing["properties"]); got != `{"a":{"format":"password","type":"string","x-ms-secret":true}}` {
		t.Errorf("patched properties = %s: a patched member merges, null removes one", got)
	}
	if got := thing["$id"]; !strings.Contains(got.(string), "/v1/") {
		t.Errorf("$id = %v, want the patch's version", got)
	}
	// The base is unchanged for the next reader.
	base := mustGenerate(t, filepath.Join(dir, "base/spec.json"), "X_Get")
	if got := compact(t, decodeJSON(t, base["Thing.schema.json"]).(map[string]any)["properties"]); !strings.Contains(got, `"b"`) {
		t.Errorf("patching changed the base: %s", got)
	}

	for _, tt := range []struct{ name, text, want string }{
		{"cycle", `{"x-patch-of":"cycle.json","info":{"version":"c"}}`, "patched in a cycle"},
		{"not a string", `{"x-patch-of":7}`, "x-patch-of: must name a local file, got 7"},
		{"remote", `{"x-patch-of":"https://example.invalid/s.json"}`, "must name a local file"},
		{"missing base", `{"x-patch-of":"nope.json"}`, "no such file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := write(tt.name+"/cycle.json", tt.text)
			_, err := Generate(spec, "X_Get")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), spec) {
				t.Errorf("error %v, want one naming %s and saying %q", err, spec, tt.want)
			}
		})
	}
}

func TestGenerateAllSharesDefinitions(t *testing.T) {
	files := mustGenerateAll(t, sourceSpec)
	for _, want := range []string{"ErrorResponse.schema.json", "ApiKeys.schema.json", "KeyType.schema.json",
		"Workspaces_ListKeys.parameters.schema.json", "Workspaces_RegenerateKeys.parameters.schema.json"} {
		if files[want] == nil {
			t.Errorf("GenerateAll made no %s", want)
		}
	}
	if _, err := GenerateAll(sourceSpec, nil); err == nil {
		t.Error("GenerateAll with no operation must be an error")
	}
	if _, err := GenerateAll(fixtureSpec, []string{"Things_Put", "Things_Nope"}); err == nil || !strings.Contains(err.Error(), "Things_Nope") {
		t.Errorf("an unknown second operation: %v", err)
	}
}

// stripAnnotations removes annotations where they are keywords, and only there: a property may well be
// called "description".
func stripAnnotations(v any) any {
	schema, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for key, value := range schema {
		if slices.Contains(annotations, key) {
			continue
		}
		switch key {
		case "properties":
			props := map[string]any{}
			for name, p := range value.(map[string]any) {
				props[name] = stripAnnotations(p)
			}
			out[key] = props
		case "items", "additionalProperties":
			out[key] = stripAnnotations(value)
		case "allOf":
			var members []any
			for _, m := range value.([]any) {
				members = append(members, stripAnnotations(m))
			}
			out[key] = members
		default:
			out[key] = value
		}
	}
	return out
}

func TestGenerateFollowsReferencesAcrossFiles(t *testing.T) {
	files := mustGenerate(t, fixtureSpec, "Things_Put")

	wantFiles := []string{
		"Base.schema.json", "ErrorAdditionalInfo.schema.json", "ErrorDetail.schema.json",
		"ErrorResponse.schema.json", "Node.schema.json", "Thing.schema.json", "Things_Put.parameters.schema.json",
	}
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, wantFiles) {
		t.Fatalf("files = %v, want %v (Unreached must not be generated)", got, wantFiles)
	}

	tests := []struct {
		why     string
		file    string
		pointer string
		want    string // JSON; "absent" for a member that must not exist
	}{
		{"allOf members are converted", "Thing", "/allOf", `[{"$ref":"Base.schema.json"}]`},
		{"a $ref keeps its description", "Thing", "/properties/tree", `{"$ref":"Node.schema.json","description":"A recursive tree."}`},
		{"recursion becomes a self reference", "Node", "/properties/children/items", `{"$ref":"Node.schema.json"}`},
		{"x-ms-secret and readOnly are kept", "Thing", "/properties/secret", `{"format":"password","readOnly":true,"type":"string","x-ms-secret":true}`},
		{"other x-ms-* are dropped", "Thing", "/properties/kind/x-ms-enum", "absent"},
		{"a property named title survives, its swagger title does not", "Thing", "/properties/title", `{"type":"string"}`},
		{"additionalProperties schemas are converted", "Thing", "/properties/labels/additionalProperties", `{"maxLength":256,"type":"string"}`},
		{"exclusiveMaximum becomes the bound", "Thing", "/properties/ratio", `{"exclusiveMaximum":1,"format":"double","minimum":0,"type":"number"}`},
		{"the definition's title is its name", "Thing", "/title", `"Thing"`},
		{"the $id carries the api-version", "Thing", "/$id", `"https://listkeys-conformance.invalid/schemas/2030-01-01-preview/Thing.schema.json"`},
		{"a ref in a sub-folder file resolves against that file", "ErrorResponse", "/properties/error", `{"$ref":"ErrorDetail.schema.json","description":"What went wrong."}`},
		{"a recursive definition in a third file", "ErrorDetail", "/properties/details/items", `{"$ref":"ErrorDetail.schema.json"}`},
		{"a local ref in the third file", "ErrorDetail", "/properties/additionalInfo/items", `{"$ref":"ErrorAdditionalInfo.schema.json"}`},
		{"the operation's parameter overrides the path item's", "Things_Put.parameters", "/properties/thingName",
			`{"description":"Overrides the path-level parameter of the same name and location.","pattern":"^[a-z]+$","type":"string","x-in":"path"}`},
		{"a body parameter carries its schema", "Things_Put.parameters", "/properties/thing",
			`{"$ref":"Thing.schema.json","description":"The thing to store.","x-in":"body"}`},
		{"exclusiveMinimum becomes the bound", "Things_Put.parameters", "/properties/limit",
			`{"default":10,"exclusiveMinimum":0,"format":"int32","maximum":100,"type":"integer","x-in":"query"}`},
		{"a parameter from another file", "Things_Put.parameters", "/properties/api-version",
			`{"description":"API version of the request.","minLength":1,"type":"string","x-in":"query"}`},
		{"required in order: operation's, then the path item's", "Things_Put.parameters", "/required", `["thingName","thing","api-version"]`},
		{"responses by status; a response $ref; no body is null", "Things_Put.parameters", "/x-operation/responses",
			`{"200":"Thing","204":null,"default":"ErrorResponse"}`},
		{"method in upper case", "Things_Put.parameters", "/x-operation/method", `"PUT"`},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			doc := decodeJSON(t, files[tt.file+".schema.json"])
			got, err := lookup(doc, tt.pointer)
			if tt.want == "absent" {
				if err == nil {
					t.Fatalf("%s#%s = %s, want it absent", tt.file, tt.pointer, compact(t, got))
				}
				return
			}
			if err != nil {
				t.Fatalf("%s#%s: %v", tt.file, tt.pointer, err)
			}
			if !reflect.DeepEqual(got, decodeJSON(t, []byte(tt.want))) {
				t.Errorf("%s#%s = %s, want %s", tt.file, tt.pointer, compact(t, got), tt.want)
			}
		})
	}
}

func TestGenerateNamesTheSpotOfAnError(t *testing.T) {
	tests := []struct {
		name string
		spec string
		op   string
		want []string // all must appear in the message
	}{
		{"unknown format", badSpec, "Bad_UnknownFormat",
			[]string{`bad.json#/definitions/WithBadFormat/properties/createdAt: unknown format "datetime"`}},
		{"missing file", badSpec, "Bad_MissingFile",
			[]string{`bad.json#/paths/~1missing-file/get/responses/200/schema: $ref "nowhere/types.json#/definitions/Thing"`, "no such file"}},
		{"missing pointer", badSpec, "Bad_MissingPointer",
			[]string{`bad.json#/paths/~1missing-pointer/get/responses/200/schema: $ref "#/definitions/Nope"`, "has no /definitions/Nope"}},
		{"missing pointer in another file", badSpec, "Bad_MissingPointerElsewhere",
			[]string{`bad.json#/paths/~1missing-pointer-elsewhere/get/parameters/0: $ref "other/err.json#/parameters/Nope"`, "has no /parameters/Nope"}},
		{"unknown operation", fixtureSpec, "Things_Delete",
			[]string{`main.json: no operation has operationId "Things_Delete"`}},
		{"same name, different content", badSpec, "Bad_Conflict",
			[]string{`definition "ErrorDetail" differs between`, "bad.json#/definitions/ErrorDetail", "other/err.json#/definitions/ErrorDetail"}},
		{"file parameter", badSpec, "Bad_FileParameter",
			[]string{`bad.json#/paths/~1file/post/parameters/0: type "file" is not supported`}},
		{"collectionFormat", badSpec, "Bad_CollectionFormat",
			[]string{`bad.json#/paths/~1collection/get/parameters/0: array parameters are serialized by collectionFormat`}},
		{"exclusiveMinimum without minimum", badSpec, "Bad_ExclusiveWithoutBound",
			[]string{`bad.json#/paths/~1exclusive/get/parameters/0: exclusiveMinimum is true but there is no minimum`}},
		{"unknown keyword", badSpec, "Bad_UnknownKeyword",
			[]string{`bad.json#/definitions/WithUnknownKeyword/properties/maybe: unknown keyword "nullable"`}},
		{"inline response schema", badSpec, "Bad_InlineResponse",
			[]string{`bad.json#/paths/~1inline-response/get/responses/200/schema: a response schema must be a $ref`}},
		{"missing spec", "testdata/nope.json", "Things_Put", []string{"testdata/nope.json", "no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, err := Generate(tt.spec, tt.op)
			if err == nil {
				t.Fatalf("Generate(%s, %s) = %d files, want an error", tt.spec, tt.op, len(files))
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q\ndoes not contain %q", err, want)
				}
			}
		})
	}
}

func TestWriteDirRemovesStaleSchemas(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out") // not there yet: WriteDir creates it
	if err := WriteDir(map[string][]byte{"Old.schema.json": []byte("{}\n")}, dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	files := mustGenerate(t, sourceSpec, operationID)
	if err := WriteDir(files, dir); err != nil {
		t.Fatal(err)
	}
	got := readSchemaDir(t, dir)
	if diff := diffFiles(got, files); diff != "" {
		t.Errorf("written folder differs from what was generated:\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err != nil {
		t.Errorf("a file that is not a schema was touched: %v", err)
	}
}

func TestWriteDirRefusesPathsOutsideTheFolder(t *testing.T) {
	for _, name := range []string{"../Escape.schema.json", "sub/X.schema.json", "notes.txt"} {
		if err := WriteDir(map[string][]byte{name: []byte("{}")}, t.TempDir()); err == nil {
			t.Errorf("WriteDir accepted %q", name)
		}
	}
}

func mustGenerate(t *testing.T, spec, op string) map[string][]byte {
	t.Helper()
	files, err := Generate(spec, op)
	if err != nil {
		t.Fatalf("Generate(%s, %s): %v", spec, op, err)
	}
	return files
}

func readSchemaDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	return files
}

// diffFiles describes how got differs from want: missing and extra files, and the first differing line
// of each changed file. Empty means identical.
func diffFiles(got, want map[string][]byte) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[name]
		switch {
		case !ok:
			b.WriteString("  missing " + name + "\n")
		case !bytes.Equal(g, want[name]):
			b.WriteString("  differs " + name + ": " + firstDifference(g, want[name]) + "\n")
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			b.WriteString("  extra   " + name + "\n")
		}
	}
	return b.String()
}

func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, gl, wl)
		}
	}
	return "same lines, different bytes"
}

func decodeJSON(t *testing.T, b []byte) any {
	t.Helper()
	v, err := decode(b)
	if err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}

func compact(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
