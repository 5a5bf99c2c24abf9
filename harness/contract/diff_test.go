package contract

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

func versionFS(t *testing.T, v string) fs.FS {
	t.Helper()
	sub, err := fs.Sub(schemas.FS, v)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func TestDiffOfTheSecretMarksIsNotObservable(t *testing.T) {
	changes, err := Diff(versionFS(t, "2025-11-01-preview"), versionFS(t, "2025-12-15-preview"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range changes {
		if c.Observable {
			t.Errorf("observable: %s", c)
		}
		got = append(got, c.File+"#"+c.Pointer)
	}
	want := "ApiKey.schema.json#/properties/key/format ApiKey.schema.json#/properties/key/x-ms-secret " +
		"ListKeysResult.schema.json#/properties/primaryConnectionString/format ListKeysResult.schema.json#/properties/primaryConnectionString/x-ms-secret " +
		"ListKeysResult.schema.json#/properties/secondaryConnectionString/format ListKeysResult.schema.json#/properties/secondaryConnectionString/x-ms-secret"
	if strings.Join(got, " ") != want {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, " "), want)
	}
}

func TestDiffFindsValidationChanges(t *testing.T) {
	base := `{"$id":"x/a","title":"T","description":"d","type":"object","required":["a"],
		"properties":{"a":{"type":"string","pattern":"^a$"},"description":{"type":"string"}}}`
	tests := []struct {
		name, to, want string
		observable     bool
	}{
		{"nothing but prose and identity", `{"$id":"y/a","title":"U","description":"e","type":"object","required":["a"],
			"properties":{"a":{"type":"string","pattern":"^a$","description":"new"},"description":{"type":"string"}}}`, "", false},
		{"type", strings.Replace(base, `"type":"string","pattern"`, `"type":"integer","pattern"`, 1), "T.schema.json#/properties/a/type", true},
		{"pattern", strings.Replace(base, `^a$`, `^b$`, 1), "T.schema.json#/properties/a/pattern", true},
		{"required", strings.Replace(base, `"required":["a"],`, ``, 1), "T.schema.json#/required", true},
		{"a member named description", strings.Replace(base, `,"description":{"type":"string"}`, ``, 1), "T.schema.json#/properties/description", true},
		{"format", strings.Replace(base, `"pattern":"^a$"`, `"pattern":"^a$","format":"uuid"`, 1), "T.schema.json#/properties/a/format", true},
		{"secret mark", strings.Replace(base, `"pattern":"^a$"`, `"pattern":"^a$","x-ms-secret":true`, 1), "T.schema.json#/properties/a/x-ms-secret", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			changes, err := Diff(fstest.MapFS{"T.schema.json": {Data: []byte(base)}}, fstest.MapFS{"T.schema.json": {Data: []byte(tt.to)}})
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if len(changes) != 0 {
					t.Errorf("changes %v, want none", changes)
				}
				return
			}
			if len(changes) != 1 || changes[0].File+"#"+changes[0].Pointer != tt.want || changes[0].Observable != tt.observable {
				t.Errorf("changes %v, want one at %s (observable %v)", changes, tt.want, tt.observable)
			}
		})
	}
	added, err := Diff(fstest.MapFS{"T.schema.json": {Data: []byte(base)}},
		fstest.MapFS{"T.schema.json": {Data: []byte(base)}, "U.schema.json": {Data: []byte(`{"type":"object"}`)}})
	if err != nil || len(added) != 1 || added[0].File != "U.schema.json" || added[0].Old != nil || !added[0].Observable {
		t.Errorf("a new file: %v, %v", added, err)
	}
	if _, err := Diff(fstest.MapFS{}, fstest.MapFS{}); err == nil {
		t.Error("an empty set must be an error")
	}
}
