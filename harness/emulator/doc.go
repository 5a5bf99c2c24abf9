// Package emulator is a loopback stand-in for Azure Resource Manager and the Microsoft.Quantum provider,
// serving the one operation under test: POST .../workspaces/{workspaceName}/listKeys.
//
// It exists so that every mode of the suite, every error path and every client can be exercised without an
// Azure subscription. A client under test picks a behaviour by the bearer token it sends and by the
// workspace it names (DefaultConfig, built from internal/catalogue). Its answers copy what public recordings
// of real ARM show — body shape, header set and value shapes, gzip when asked — and follow ARM's documented
// errors where no recording exists; docs/real-arm.md and docs/arm-errors.md hold those facts and their
// sources.
//
// Its answers are a function of the request and the configuration alone: the default clock stands still,
// ids and keys are derived from the request and the names (seeded, not random), so that recording the same
// requests twice gives the same bytes.
//
// # What it may use
//
// The standard library, harness/examples and internal/catalogue (the shared names and behaviours), schemas
// (which api-versions it serves); never harness/contract, internal/arm
// or internal/recording: a stand-in must not judge itself with the code it is used to test, and what real ARM
// is asked (internal/scenarios) must never depend on the stand-in.
//
// # Stability
//
// API for other Go projects, at its import path under harness/; what is meant only for this project
// is under internal/ (see CONTRIBUTING.md). Exported names change only with a CHANGELOG.md entry.
package emulator
