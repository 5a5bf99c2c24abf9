// Package scenarios is the catalogue of what the suites ask of the server — one scenario per cassette — and
// the runner that performs a scenario in the configured mode (replay, record or live). The expected answer
// of each scenario is data here, in one place: a live recording that disagrees changes one row, not a spec.
//
// # What it may use
//
// harness/arm, harness/contract, harness/recording and the shared catalogue of names; never harness/emulator:
// what real ARM is asked in record and live mode must not depend on the stand-in.
//
// # Stability
//
// Internal to this project: it moves under internal/ (see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package scenarios
