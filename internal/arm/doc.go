// Package arm is how the suite reaches Azure Resource Manager: the run's configuration (read once from the
// environment), the listKeys request filled in from the documented path template, and a client on azcore's
// ARM pipeline that hands back whole exchanges (status, headers, body, the request as sent) for the contract
// to judge. An error status is an answer to examine, not a Go error.
//
// # What it may use
//
// harness/contract (which checks the parameters), package schemas, azcore and azidentity. It defines Mode, the
// one type for LISTKEYS_MODE that internal/recording and internal/scenarios take too.
//
// # Stability
//
// Internal to this project (under internal/, see CONTRIBUTING.md); other projects use the command
// line, or the public packages contract, matchers, emulator and examples.
package arm
