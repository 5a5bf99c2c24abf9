// Package matchers holds Gomega matchers over contract reports, so that a spec reads
// Expect(report).To(BeConformant()) and a failure lists check IDs, JSON Pointers and messages.
//
// # What it may use
//
// harness/contract and Gomega; nothing else of this module.
//
// # Stability
//
// API for other Go projects: matchers stays at its import path when the packages meant only for this project
// move under internal/ (see CONTRIBUTING.md). Exported names change only with a CHANGELOG.md entry.
package matchers
