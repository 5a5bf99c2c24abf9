package main

import (
	"fmt"
	"io"

	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

func init() {
	register("junit", "write the suites' JUnit XML from Ginkgo's JSON report (harness errors as <error>, check IDs as properties)", runJUnit)
}

func runJUnit(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("junit", stdout, stderr, "--json REPORT.json --out junit.xml")
	in := fs.String("json", "", "Ginkgo's JSON report (--json-report)")
	out := fs.String("out", "", "the JUnit XML file to write")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if *in == "" || *out == "" || fs.NArg() > 0 {
		return fs.usageError("give --json REPORT.json and --out junit.xml, and nothing else")
	}
	if err := suite.WriteJUnit(*in, *out); err != nil {
		return fs.usageError("%v", err)
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return exitOK
}
