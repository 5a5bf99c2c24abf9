// Package schemas holds the JSON Schemas generated from the definitions source (schemas/source), embedded so
// that the binary validates with no file paths and no network at run time.
package schemas

import (
	"embed"
	"io/fs"
	"slices"
)

// DefaultAPIVersion is the api-version the suite tests when nothing else is configured.
const DefaultAPIVersion = "2025-12-15-preview"

// FS holds one folder per api-version with the generated *.schema.json files, and source/ with the
// definitions source they were generated from (the drift check regenerates from it).
//
//go:embed */*.schema.json source
var FS embed.FS

// sourceDir is the folder of the definitions source in FS; every other folder is an api-version.
const sourceDir = "source"

// APIVersions lists the api-versions with generated schemas, oldest first (their names sort by date).
func APIVersions() []string {
	entries, _ := fs.ReadDir(FS, ".") // the root of an embed.FS always reads
	var out []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != sourceDir {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out
}
