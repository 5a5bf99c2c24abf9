package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/generator"
)

func init() {
	register("schemas", "generate the JSON Schemas of operations of an OpenAPI 2.0 document", runSchemas)
}

// runSchemas is `schemas --spec OPENAPI.json --operation ID[,ID...] --out DIR`: it writes one file per line of
// stdout and removes the *.schema.json files in DIR that are no longer generated.
func runSchemas(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("listkeys-conformance schemas", flag.ContinueOnError)
	fs.SetOutput(stderr)
	spec := fs.String("spec", "", "OpenAPI 2.0 (swagger) JSON document to read; relative $refs are followed")
	operation := fs.String("operation", "", "operationIds of the operations, comma-separated, e.g. Workspaces_ListKeys,Workspaces_RegenerateKeys")
	out := fs.String("out", "", "folder to write the *.schema.json files into (created if missing)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}

	var missing []string
	for _, f := range []struct{ name, value string }{{"--spec", *spec}, {"--operation", *operation}, {"--out", *out}} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "listkeys-conformance schemas: missing %s (see 'listkeys-conformance schemas -h')\n", strings.Join(missing, ", "))
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "listkeys-conformance schemas: unexpected argument %q; all inputs are flags\n", fs.Arg(0))
		return exitUsage
	}

	files, err := generator.GenerateAll(*spec, strings.Split(*operation, ","))
	if err != nil {
		fmt.Fprintf(stderr, "listkeys-conformance schemas: %v\n", err) // names the spec and the spot
		return exitUsage
	}
	if err := generator.WriteDir(files, *out); err != nil {
		fmt.Fprintf(stderr, "listkeys-conformance schemas: %s: %v\n", *out, err)
		return exitUsage
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintln(stdout, filepath.Join(*out, name))
	}
	return exitOK
}
