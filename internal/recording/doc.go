// Package recording puts go-vcr v3 under every mode of the suite, so the same specs run from cassettes
// (replay: no network, no credentials), against the real service while writing a sanitized cassette
// (record), or against the real service writing nothing (live). Only the transport azcore gets differs.
//
// Sanitizing happens only when a cassette is saved (go-vcr's BeforeSaveHook): the caller of a live or
// recording run always sees the real values. After saving, the file is read back and searched for every
// secret seen while recording, raw and in the encodings a leak usually takes; a hit keeps the cassette off
// disk.
//
// A cassette recorded against a real subscription holds ZeroGUID in its place (the documented example's
// subscription, which the emulator serves, is kept), so a replay asks for that subscription. Hosts are not
// matched: a replay may be configured with any endpoint.
//
// # What it may use
//
// internal/arm (for Mode), harness/contract (which properties are secrets, the placeholders), harness/examples
// (the documented example's public subscription id, kept in cassettes) and go-vcr.
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package recording
