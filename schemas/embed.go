// Package schemas holds the JSON Schemas generated from the definitions source (schemas/source), embedded so
// that the binary validates with no file paths and no network at run time.
package schemas

import "embed"

// DefaultAPIVersion is the api-version the suite tests when nothing else is configured.
const DefaultAPIVersion = "2025-12-15-preview"

// FS holds one folder per api-version with the generated *.schema.json files, and source/ with the
// definitions source they were generated from (the drift check regenerates from it).
//
//go:embed 2025-12-15-preview/*.schema.json source
var FS embed.FS
