// Package suite is what every Ginkgo suite under suites/ shares: the runner set up once from the
// environment, a scenario run (or skipped, with the reason), and SHOULD checks reported as warnings.
//
// # What it may use
//
// harness/scenarios, harness/matchers, harness/contract, Ginkgo and Gomega. Only the suites under suites/ use
// it.
//
// # Stability
//
// Internal to this project: it moves under internal/ (see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package suite
