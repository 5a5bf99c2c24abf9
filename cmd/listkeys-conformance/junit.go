package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/listkeys-conformance/listkeys-conformance/harness/suite"
)

func init() {
	register("junit", "write the suites' JUnit XML from Ginkgo's JSON report (harness errors as <error>, check IDs as properties)", runJUnit)
}

func runJUnit(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("junit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	in := fs.String("json", "", "Ginkgo's JSON report (--json-report)")
	out := fs.String("out", "", "the JUnit XML file to write")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *in == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "junit: usage: listkeys-conformance junit --json REPORT.json --out junit.xml")
		return exitUsage
	}
	if err := suite.WriteJUnit(*in, *out); err != nil {
		fmt.Fprintf(stderr, "junit: %v\n", err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %s\n", *out)
	return exitOK
}
