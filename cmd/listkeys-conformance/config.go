package main

import (
	"io"
	"os"

	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
)

func init() {
	register("config", "check the suites' configuration from the environment and echo it, secrets masked", runConfig)
}

// runConfig is what make runs before the suites: a configuration error is then one message for the whole
// run, not one per suite.
func runConfig(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("config", stdout, stderr, "")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return fs.usageError("takes no arguments (got %q)", fs.Arg(0))
	}
	r, err := scenarios.FromEnvironment(os.Getenv)
	if err != nil {
		return fs.usageError("%v", err)
	}
	io.WriteString(stdout, r.Describe()+"\n")
	return exitOK
}
