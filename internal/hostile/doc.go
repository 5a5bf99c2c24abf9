// Package hostile makes the hostile inputs that the hostile-input tests and bench/ feed every entry point:
// bodies that multiply violations, and gzip-encoded data. One maker, so that a test and the benchmark that
// measures it use the same bytes.
//
// # What it may use
//
// The standard library only.
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md).
package hostile
