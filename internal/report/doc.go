// Package report is the one report format of a conformance run (listkeys-conformance/report/v1) and its
// renderings: report.json, a self-contained report.html, report.md for an issue or a pull request, junit.xml
// for CI, and the summary a run ends with. A report is made from Ginkgo's JSON report of the suites
// (FromGinkgo) or from serve's verdicts; every rendering is made from the Report value alone, so a saved
// report.json re-renders to the same files.
//
// # What it may use
//
// harness/contract (the registry's statements and levels), internal/recording (sanitizing the evidence),
// schemas (the contract's digest) and the standard library. Not Ginkgo: its JSON report is read with types of
// our own (ginkgojson.go), so that the CLI does not link Ginkgo into every command; the tests hold them to
// Ginkgo's types.
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md); other projects read the
// report.json it writes, whose JSON Schema is report.schema.json.
package report
