// Package server is the conformance server and validating proxy that teams point their own List Keys client
// at. It stands between the client and a backend — the built-in emulator, or a real endpoint given as an
// upstream — passes every exchange through, and judges both directions with the contract: per request the
// request's verdict, the response's verdict and the IDs of the checks that failed, grouped by client
// (User-Agent), served live at GET /_conformance/report and written as JSON and JUnit XML at the end.
//
// # Scenarios
//
// With the emulator as backend a client picks a behaviour by what it sends; Scenarios returns this table
// as data (the command prints it with serve --list-scenarios). The workspaces live in subscription
// 00000000-1111-2222-3333-444444444444, resource group quantumResourcegroup; the valid token is
// emulator-token.
//
//	scenario                 the client sends                                    first answer                 a retry
//	ok                       workspace quantumworkspace1                         200 (keys)
//	keys-disabled            workspace keys-disabled                             200 (apiKeyEnabled false)
//	throttled-once           workspace throttled-once                            429 + Retry-After: 1         200
//	transient-503            workspace transient-503                             503 ServiceUnavailable       200
//	transient-500            workspace transient-500                             500 InternalServerError      200
//	internal-error           workspace internal-error                            500 InternalServerError      500
//	throttled                workspace throttled                                 429 + Retry-After: 1         429
//	unknown-workspace        any other workspace name                            404 ResourceNotFound
//	unknown-resource-group   another resource group (or emptyGroup)              404 ResourceGroupNotFound
//	invalid-resource-group   a group name with characters ARM refuses            400 InvalidResourceGroup
//	unknown-subscription     another well-formed subscription GUID               404 SubscriptionNotFound
//	invalid-subscription     a subscription that is not a GUID                   400 InvalidSubscriptionId
//	missing-api-version      no api-version                                      400 MissingApiVersionParameter
//	invalid-api-version      an api-version not shaped yyyy-mm-dd[-preview]      400 InvalidApiVersionParameter
//	unsupported-api-version  a well-formed api-version not served (2020-01-01)   400 NoRegisteredProviderFound
//	no-token                 no Authorization header                             401 AuthenticationFailed
//	malformed-authorization  Authorization that is not "Bearer <token>"          401 AuthenticationFailedInvalidHeader
//	invalid-token            an unknown bearer token                             401 InvalidAuthenticationToken
//	expired-token            Bearer expired-token                                401 ExpiredAuthenticationToken
//	wrong-audience-token     Bearer wrong-audience-token                         401 InvalidAuthenticationTokenAudience
//	no-permission            Bearer no-permission-token                          403 AuthorizationFailed
//	wrong-method             a method other than POST                            405 MethodNotAllowed
//	unknown-path             any other path                                      404 NotFound
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
// harness/contract and harness/emulator (its built-in backend).
//
// # Stability
//
// Internal to this project: it moves under internal/ (see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package server
