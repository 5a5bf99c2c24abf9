// Package suite is what every Ginkgo suite under suites/ shares: the runner set up once from the
// environment, each scenario run once and judged, specs that each assert registry checks by ID on that
// judgement, and the states a spec ends in (Pass, Fail, Skip, Error, Drift). internal/report makes the
// reports (junit.xml among them) from what the specs leave in Ginkgo's JSON report.
//
// A spec reports structured facts as Ginkgo report entries, which reach Ginkgo's JSON report:
//   - "check": a check ID the spec asserts (one entry per ID);
//   - "state": "error" when the harness could not run the spec (the spec fails with "harness error: ..."),
//     or "drift" when a record/live answer conforms but differs from the committed cassette (the spec passes
//     and a "drift" entry holds one line per difference); no entry: the Ginkgo state counts;
//   - "scenario": the scenario the spec judged.
//
// # What it may use
//
// internal/scenarios, harness/matchers, harness/contract, internal/report (the report entries it emits),
// internal/recording and internal/arm (sanitized, masked evidence), Ginkgo and Gomega. Only the suites under
// suites/ use it.
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package suite
