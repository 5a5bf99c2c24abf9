package report

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/xeipuuv/gojsonschema"

	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// SchemaJSON is the JSON Schema of report.json (format v1), committed as report.schema.json beside this file.
//
//go:embed report.schema.json
var SchemaJSON []byte

var (
	schemaOnce sync.Once
	schema     *gojsonschema.Schema
	schemaErr  error
)

// Validate checks a report.json against the v1 schema and returns every problem found, one per line.
func Validate(data []byte) error {
	schemaOnce.Do(func() {
		schema, schemaErr = gojsonschema.NewSchema(gojsonschema.NewBytesLoader(SchemaJSON))
	})
	if schemaErr != nil {
		return fmt.Errorf("report.schema.json: %w", schemaErr)
	}
	res, err := schema.Validate(gojsonschema.NewBytesLoader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	if res.Valid() {
		return nil
	}
	var problems []string
	for _, e := range res.Errors() {
		problems = append(problems, e.String())
	}
	return errors.New("does not match " + Format + ": " + strings.Join(problems, "; "))
}

// SchemaDigest is "sha256:" and the digest of the api-version's generated schemas (each file's name and
// content, by name), or "" when the binary embeds none for it.
func SchemaDigest(apiVersion string) string {
	if apiVersion == "" {
		return ""
	}
	names, err := fs.Glob(schemas.FS, apiVersion+"/*.schema.json")
	if err != nil || len(names) == 0 {
		return ""
	}
	slices.Sort(names)
	h := sha256.New()
	for _, name := range names {
		data, err := fs.ReadFile(schemas.FS, name)
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
		h.Write(data)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}
