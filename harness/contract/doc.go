// Package contract is the one place that knows what a conformant List Keys exchange is: the generated JSON
// Schemas, strict formats, and a registry of checks beyond the schema. Specs, the validate command and the
// conformance server all ask it, so a rule written once is enforced everywhere and reported alike.
//
// # What it may use
//
// The generated schemas (package schemas) and gojsonschema; nothing else of this module. Everything else
// depends on it, so it must stay free of transport, recording and test frameworks.
//
// # Stability
//
// API for other Go projects, at its import path under harness/; what is meant only for this project
// is under internal/ (see CONTRIBUTING.md). Exported names change only with a CHANGELOG.md entry.
package contract
