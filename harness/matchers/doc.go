// Package matchers holds Gomega matchers over contract reports, so that a spec reads
// Expect(report).To(BeConformant()) and a failure lists check IDs, JSON Pointers and messages.
//
// # What it may use
//
// harness/contract and Gomega; nothing else of this module.
//
// # Stability
//
// API for other Go projects, at its import path under harness/; what is meant only for this project
// is under internal/ (see CONTRIBUTING.md). Exported names change only with a CHANGELOG.md entry.
package matchers
