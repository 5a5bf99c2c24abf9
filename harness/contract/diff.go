package contract

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Change is one difference between two generated sets of schemas, in validation terms: a member added or
// removed, or a keyword (type, format, pattern, required, enum, lengths, readOnly, x-ms-secret, $ref, x-in...)
// that differs.
type Change struct {
	File    string `json:"file"`    // the schema file, e.g. ApiKey.schema.json
	Pointer string `json:"pointer"` // JSON Pointer of the keyword or member inside it
	Old     any    `json:"old"`     // nil when added
	New     any    `json:"new"`     // nil when removed
	// Observable is false for a change no client can see on the wire: a secret mark (x-ms-secret, or the
	// format password, which constrains nothing).
	Observable bool `json:"observable"`
}

func (c Change) String() string {
	what := "changed"
	switch {
	case c.Old == nil:
		what = "added"
	case c.New == nil:
		what = "removed"
	}
	kind := "validation"
	if !c.Observable {
		kind = "secret mark"
	}
	return fmt.Sprintf("%s#%s: %s %s (%s -> %s)", c.File, c.Pointer, kind, what, diffText(c.Old), diffText(c.New))
}

func diffText(v any) string {
	if v == nil {
		return "absent"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// notValidation are the keywords that say nothing a validator checks: prose, the file's identity and the
// api-version it was generated for (which is what two sets being compared differ in by definition).
var notValidation = []string{"description", "title", "$id", "$schema", "apiVersion"}

// Diff compares two generated sets of schemas (each a folder of *.schema.json) and lists every change,
// sorted by file and pointer.
func Diff(from, to fs.FS) ([]Change, error) {
	a, err := readSchemas(from)
	if err != nil {
		return nil, err
	}
	b, err := readSchemas(to)
	if err != nil {
		return nil, err
	}
	var out []Change
	files := slices.Sorted(maps.Keys(a))
	for name := range b {
		if _, ok := a[name]; !ok {
			files = append(files, name)
		}
	}
	slices.Sort(files)
	for _, file := range files {
		diffValue(file, "", a[file], b[file], &out)
	}
	return out, nil
}

func diffValue(file, pointer string, a, b any, out *[]Change) {
	am, aIsMap := a.(map[string]any)
	bm, bIsMap := b.(map[string]any)
	if aIsMap && bIsMap {
		keys := slices.Sorted(maps.Keys(am))
		for k := range bm {
			if _, ok := am[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if slices.Contains(notValidation, k) && !strings.HasSuffix(pointer, "/properties") {
				continue
			}
			diffValue(file, pointer+"/"+escapePointer(k), am[k], bm[k], out)
		}
		return
	}
	if reflect.DeepEqual(a, b) {
		return
	}
	*out = append(*out, Change{File: file, Pointer: pointer, Old: a, New: b, Observable: observable(pointer, a, b)})
}

// observable says whether a client could tell the difference: x-ms-secret and format password only tell a
// recorder what to redact.
func observable(pointer string, a, b any) bool {
	keyword := pointer[strings.LastIndex(pointer, "/")+1:]
	switch keyword {
	case "x-ms-secret":
		return false
	case "format":
		return !((a == nil || a == "password") && (b == nil || b == "password"))
	}
	return true
}

func readSchemas(fsys fs.FS) (map[string]any, error) {
	names, err := fs.Glob(fsys, "*.schema.json")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no *.schema.json files found")
	}
	out := map[string]any{}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%s: not JSON: %w", name, err)
		}
		out[name] = doc
	}
	return out, nil
}
