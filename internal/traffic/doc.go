// Package traffic reads recordings that other clients made — go-vcr cassettes, vcrpy cassettes (Azure CLI,
// Python SDK tests), Azure SDK test-proxy JSON, HAR files and the specification's x-ms-examples files — into
// plain interactions, and judges their listKeys interactions with the contract, so a client's own recordings
// can be checked without re-running it. It judges what the service did, not what the recorder did to the
// recording (docs/recorders.md).
//
// # What it may use
//
// harness/contract; nothing else of this module.
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package traffic
