package main

import (
	"fmt"
	"io"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

func init() {
	register("checks", "list the contract's checks: ID, level, source, statement", runChecks)
}

func runChecks(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("checks", stdout, stderr, "[--format text|json]")
	format := fs.String("format", "text", "output format: text or json")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return fs.usageError("takes no arguments (got %q)", fs.Arg(0))
	}
	checks := contract.Checks()
	switch *format {
	case "json":
		writeJSON(stdout, checks)
	case "text":
		for _, c := range checks {
			fmt.Fprintf(stdout, "%-28s %-6s %s\n%-35s source: %s\n", c.ID, c.Level, c.Statement, "", c.Source)
			if c.EvaluatedBy != "" {
				fmt.Fprintf(stdout, "%-35s evaluated by: %s\n", "", c.EvaluatedBy)
			}
		}
	default:
		return fs.usageError("--format must be text or json, not %q", *format)
	}
	return exitOK
}
