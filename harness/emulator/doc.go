// Package emulator is a loopback stand-in for Azure Resource Manager and the Microsoft.Quantum provider,
// serving the one operation under test: POST .../workspaces/{workspaceName}/listKeys.
//
// It exists so that every mode of the suite, every error path and every client can be exercised without an
// Azure subscription. A client under test picks a behaviour by the bearer token it sends and by the
// workspace it names (see DefaultConfig); the answers follow the shapes ARM is known to use (docs/wire.md, docs/arm-errors.md).
//
// # What it may use
//
// The standard library and the shared catalogue of names and behaviours; never harness/contract, harness/arm
// or harness/recording: a stand-in must not judge itself with the code it is used to test, and what real ARM
// is asked (harness/scenarios) must never depend on the stand-in.
//
// # Stability
//
// API for other Go projects: emulator stays at its import path when the packages meant only for this project
// move under internal/ (see CONTRIBUTING.md). Exported names change only with a CHANGELOG.md entry.
package emulator
