// Package scenarios is the catalogue of what the suites ask of the server — one scenario per cassette — and
// the runner that performs a scenario in the configured mode (replay, record or live). The expected answer
// of each scenario is data here, in one place, with where it comes from (Provenance): a live recording that
// disagrees changes one row, not a spec. It asks real ARM in record and live mode, so it knows nothing of the
// emulator: the names it shares with the emulator (workspaces that play a behaviour, tokens) come from
// internal/catalogue and harness/examples.
//
// # What it may use
//
// internal/arm, harness/contract, internal/recording, internal/traffic (drift against the committed cassette),
// harness/examples and internal/catalogue (the shared names);
// never harness/emulator:
// what real ARM is asked in record and live mode must not depend on the stand-in.
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package scenarios
