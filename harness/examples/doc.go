// Package examples holds the bodies the suites, tests and benchmarks start from: the documented example,
// a realistic response whose cross-field rules can all be checked, and a fully populated error.
//
// # What it may use
//
// Nothing of this module: the bodies are embedded files.
//
// # Stability
//
// API for other Go projects, at its import path under harness/; what is meant only for this project
// is under internal/ (see CONTRIBUTING.md). Exported names change only with a CHANGELOG.md entry.
package examples
