package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/listkeys-conformance/listkeys-conformance/harness/scenarios"
)

func init() {
	register("config", "check the suites' configuration from the environment and echo it, secrets masked", runConfig)
}

// runConfig is what make runs before the suites: a configuration error is then one message for the whole
// run, not one per suite.
func runConfig(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "config: takes no arguments (got %q)\n", fs.Arg(0))
		return exitUsage
	}
	r, err := scenarios.FromEnvironment(os.Getenv)
	if err != nil {
		fmt.Fprintf(stderr, "config: %v\n", err)
		return exitUsage
	}
	fmt.Fprintln(stdout, r.Describe())
	return exitOK
}
