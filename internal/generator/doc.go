// Package generator turns one operation of an OpenAPI 2.0 (swagger) document into the draft-07 JSON
// Schemas that harness/contract validates with: one file per definition the operation reaches and one for
// its parameters. The output is committed under schemas/<api-version>/, and a test regenerates it from the
// definitions source to catch drift.
//
// # What it may use
//
// harness/contract (for the formats it knows); nothing else of this module.
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package generator
