package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

func init() {
	register("checks", "list the contract's checks: ID, level, source, statement", runChecks)
}

func runChecks(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("checks", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text or json")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "checks: takes no arguments (got %q)\n", fs.Arg(0))
		return exitUsage
	}
	checks := contract.Checks()
	switch *format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(checks)
	case "text":
		for _, c := range checks {
			fmt.Fprintf(stdout, "%-28s %-6s %s\n%-35s source: %s\n", c.ID, c.Level, c.Statement, "", c.Source)
			if c.EvaluatedBy != "" {
				fmt.Fprintf(stdout, "%-35s evaluated by: %s\n", "", c.EvaluatedBy)
			}
		}
	default:
		fmt.Fprintf(stderr, "checks: --format must be text or json, not %q\n", *format)
		return exitUsage
	}
	return exitOK
}
