// Package catalogue is the one source of what the emulator plays and what the suites expect of it: the names
// of the emulator's world beyond the documented example's (harness/examples), the behaviours a client picks
// by workspace name or bearer token, and where each expected answer comes from (Provenance).
//
// Both sides read it: harness/emulator builds its default configuration from it, internal/server lists it
// (serve --list-scenarios), and internal/scenarios takes its names from it. It depends on nothing of the
// project but the documented example's names, so the fake (the emulator) depends on the catalogue, never the catalogue on the fake.
//
// # What it may use
//
// harness/examples (the documented example's names) and the standard library; nothing that judges or sends.
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md), shared by the emulator and the suites.
package catalogue
