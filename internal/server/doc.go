// Package server is the conformance server and validating proxy that teams point their own List Keys client
// at. It stands between the client and a backend — the built-in emulator, or a real endpoint given as an
// upstream — passes every exchange through, and judges both directions with the contract: per request the
// request's verdict, the response's verdict and the IDs of the checks that failed, grouped by client
// (User-Agent), served live at GET /_conformance/report and written as JSON and JUnit XML at the end.
//
// # Scenarios
//
// With the emulator as backend a client picks a behaviour by what it sends: Scenarios returns the table (the
// command prints it with serve --list-scenarios), taken from internal/catalogue, which the emulator plays.
//
// The once-scenarios fail once per server run, whichever client comes first: restart the server to play
// them again. After an answer with Retry-After the report says whether the client waited that long before
// sending the same request again (check client.retry-after).
//
// # What passes through
//
// Invalid requests are answered by the backend (the emulator answers as ARM does); the server only adds its
// verdict. As a proxy it adds nothing to the traffic: headers go through both ways except the hop-by-hop
// ones (RFC 9110 §7.6.1), bodies byte for byte. Only what cannot be otherwise differs: the Host is the
// upstream's, and the framing (Content-Length, Transfer-Encoding) is the server's own for the same bytes.
//
// # Secrets
//
// Nothing secret reaches the log or the report: neither is given headers or bodies, and every string they
// do carry (URL, messages, notes) is scrubbed of the Authorization credential, of the values at the
// contract's secret paths, of every ApiKey inside a connection string, and of the emulator's own keys. Query
// parameters other than api-version are masked, as a client may put anything there.
//
// # What it may use
//
// harness/contract, harness/emulator (its built-in backend), internal/catalogue (the scenarios it lists) and
// internal/report (the report format and renderings it writes).
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package server
