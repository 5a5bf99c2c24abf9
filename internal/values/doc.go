// Package values is the operation's parameter values as the generated parameters schema constrains them:
// the rules read from that schema, values generated from a seed on both sides of every rule (each invalid
// one made to break one documented constraint: format, length, pattern, path safety), a shrinker that cuts a
// failing value down to a small counterexample, and the checks of how each side treats a value — the client
// refuses it naming the parameter, the value and the constraint (Rules.Refused), the server answers a 4xx
// with a conformant ErrorResponse (ErrorAnswer), and what reaches the wire is the documented path template
// with each value in a segment of its own (SentAsDocumented).
//
// The rules are read from the schema, never written here: a changed contract changes what is generated.
// What the schema cannot say (the uuid grammar, which characters are unsafe in a path, ARM's rules beyond the
// documented pattern) is data in this package, each piece with its reason.
//
// # What it may use
//
// internal/arm (the request builder and client it puts values through), harness/contract and package schemas.
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package values
