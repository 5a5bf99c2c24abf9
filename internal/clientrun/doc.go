// Package clientrun runs a client under test — any program: an SDK's sample, a CLI, a script — once per
// scenario of the catalogue against the conformance server in process (HTTPS with a fresh CA), captures what
// each run did (exit code, output, duration, every request the server saw), and judges it by the registry's
// client.* checks. listkeys-conformance client is its command line; suites/clients drives curl, az rest and
// a Go program over azcore through it.
//
// # Scenarios
//
// Each scenario of the catalogue is played by a fresh conformance server (so the once-scenarios fail once
// for this client) and by the arguments the client is given: the workspace, resource group, subscription,
// api-version and token of its {url}. The scenarios a client reaches only by a request it chooses itself (no
// token, another method, a malformed parameter) or by another operation are listed as skipped, with why.
//
// # What it may use
//
// internal/arm (the listKeys URL), internal/catalogue and harness/examples (the scenarios and their names),
// harness/contract (the client checks, key shapes), internal/server (the conformance server), internal/report
// (the report v1 model) and schemas (the default api-version).
package clientrun
