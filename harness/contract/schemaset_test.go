package contract

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"reflect"
	"sync"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// The embedded sets are compiled lazily, a schema when it is first used; a broken one would only show then.
func TestEmbeddedSchemasCompile(t *testing.T) {
	for _, v := range schemas.APIVersions() {
		c, err := ForAPIVersion(v)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if err := c.set.compileAll(); err != nil {
			t.Errorf("%s: %v", v, err)
		}
		sub, _ := fs.Sub(schemas.FS, v)
		if _, err := Load(sub); err != nil {
			t.Errorf("Load(%s): %v", v, err)
		}
		// Compiled first and alone, each schema finds every file it refers to registered.
		for _, name := range c.set.files {
			fresh, _ := load(sub)
			if _, err := fresh.set.compile(name); err != nil {
				t.Errorf("%s: %s alone: %v", v, name, err)
			}
		}
	}
}

// Goroutines that judge a fresh contract's definitions at once compile each schema once, without a race
// (go test -race), and get the verdicts of a contract compiled whole.
func TestLazySchemasUnderConcurrency(t *testing.T) {
	sub, _ := fs.Sub(schemas.FS, schemas.DefaultAPIVersion)
	whole, err := Load(sub)
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := load(sub)
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[string][]byte{
		"ListKeysResult": examples.Mutate(examples.Realistic, examples.Set("/primaryKey/createdAt", "2024-02-30T00:00:00Z")),
		"ErrorResponse":  []byte(`{"error":{"code":"NotFound","message":"no such workspace","details":[{"code":1}]}}`),
		"ApiKeys":        []byte(`{"keys":["Tertiary"]}`),
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		for def, body := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := lazy.ValidateBody(def, body)
				want, wantErr := whole.ValidateBody(def, body)
				if err != wantErr || len(got.Violations) == 0 || !sameViolations(got.Violations, want.Violations) {
					t.Errorf("%s: lazily compiled %v (%v), compiled whole %v (%v)", def, got.Violations, err, want.Violations, wantErr)
				}
			}()
		}
	}
	wg.Wait()
	if p := lazy.ValidateParameters(map[string]string{"api-version": "x"}); len(p) == 0 {
		t.Error("the lazily compiled parameters schema finds nothing wrong with a lone api-version \"x\"")
	}
}

func sameViolations(a, b []Violation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDecodeSchemaErrorsAreUnmarshals(t *testing.T) {
	for _, data := range []string{``, `{`, `{} x`, `[]`, `"s"`, `{"a":1,}`, `{"a":01}`} {
		_, got := decodeSchema([]byte(data))
		var doc map[string]any
		want := json.Unmarshal([]byte(data), &doc)
		if got == nil || want == nil || got.Error() != want.Error() {
			t.Errorf("decodeSchema(%q): %v, json.Unmarshal: %v", data, got, want)
		}
	}
	doc, err := decodeSchema([]byte(`{"minLength": 3, "$id": "x"}`))
	if n, ok := doc["minLength"].(json.Number); err != nil || !ok || n != "3" {
		t.Errorf("decodeSchema keeps numbers as json.Number: %#v, %v", doc, err)
	}
}

// decodeSchema reads a schema with the package's strict decoder where it finds nothing odd; the value must
// be the one encoding/json gives (as gojsonschema decodes, numbers as json.Number), whatever the file.
func FuzzDecodeSchema(f *testing.F) {
	entries, _ := fs.Glob(schemas.FS, "*/*.schema.json")
	for _, name := range entries {
		data, _ := fs.ReadFile(schemas.FS, name)
		f.Add(data)
	}
	for _, s := range []string{`{"a":1e3,"b":[true,null,-0.5],"c":"\u00e9\ud83d\ude00"}`, `{"a":1,"a":2}`, `{"s":"\ud800"}`, `{} {}`, `{"x":"\xff"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeSchema(data)
		var want map[string]any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		wantErr := json.Unmarshal(data, &map[string]any{})
		if wantErr == nil {
			wantErr = dec.Decode(&want)
		}
		if (err == nil) != (wantErr == nil) || err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("decodeSchema(%q) = %#v, %v; encoding/json: %#v, %v", data, got, err, want, wantErr)
		}
	})
}

// plainOperation reads what it accepts as encoding/json does (Marshal, then Unmarshal into Operation).
func TestPlainOperation(t *testing.T) {
	docs := []string{
		`{"operationId":"Workspaces_ListKeys","method":"POST","path":"/x","apiVersion":"2025-12-15-preview","responses":{"200":"ListKeysResult","default":"ErrorResponse"}}`,
		`{"operationId":"A"}`, `{}`, `{"responses":{}}`, `{"responses":{"204":""}}`, `{"responses":{"204":null}}`, `{"OperationId":"A"}`, `{"operationid":"A"}`,
		`{"operationId":1}`, `{"responses":{"200":1}}`, `{"responses":null}`, `{"responses":[]}`, `{"other":"x","operationId":"A"}`,
		`{"operationId":null}`, `[]`, `"op"`, `null`,
	}
	odd := len(docs)
	entries, _ := fs.Glob(schemas.FS, "*/*.parameters.schema.json")
	for _, name := range entries {
		data, _ := fs.ReadFile(schemas.FS, name)
		var doc map[string]any
		json.Unmarshal(data, &doc)
		op, _ := json.Marshal(doc["x-operation"])
		docs = append(docs, string(op))
	}
	for i, d := range docs {
		var v any
		if err := json.Unmarshal([]byte(d), &v); err != nil {
			t.Fatal(d, err)
		}
		got, ok := plainOperation(v)
		if !ok {
			if i >= odd {
				t.Errorf("the generated x-operation %s is not read without encoding/json", d)
			}
			continue
		}
		var want Operation
		raw, _ := json.Marshal(v)
		if err := json.Unmarshal(raw, &want); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: plainOperation %+v, encoding/json %+v (%v)", d, got, want, err)
		}
	}
}
