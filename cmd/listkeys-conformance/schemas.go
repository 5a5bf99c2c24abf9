package main

import (
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/internal/generator"
)

func init() {
	register("schemas", "generate the JSON Schemas of operations of an OpenAPI 2.0 document", runSchemas)
}

// runSchemas is `schemas --spec OPENAPI.json --operation ID[,ID...] --out DIR`: it writes one file per line of
// stdout and removes the *.schema.json files in DIR that are no longer generated.
func runSchemas(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("schemas", stdout, stderr, "--spec OPENAPI.json --operation ID --out DIR")
	spec := fs.String("spec", "", "OpenAPI 2.0 (swagger) JSON document to read; relative $refs are followed")
	operation := fs.String("operation", "", "operationIds of the operations, comma-separated, e.g. Workspaces_ListKeys,Workspaces_RegenerateKeys")
	out := fs.String("out", "", "folder to write the *.schema.json files into (created if missing)")
	if code, ok := fs.parse(args); !ok {
		return code
	}

	var missing []string
	for _, f := range []struct{ name, value string }{{"--spec", *spec}, {"--operation", *operation}, {"--out", *out}} {
		if f.value == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fs.usageError("missing %s (see 'listkeys-conformance schemas -h')", strings.Join(missing, ", "))
	}
	if fs.NArg() > 0 {
		return fs.usageError("unexpected argument %q; all inputs are flags", fs.Arg(0))
	}

	files, err := generator.GenerateAll(*spec, strings.Split(*operation, ","))
	if err != nil {
		return fs.usageError("%v", err) // names the spec and the spot
	}
	if err := generator.WriteDir(files, *out); err != nil {
		return fs.runtimeError("%s: %v", *out, err)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		fmt.Fprintln(stdout, filepath.Join(*out, name))
	}
	return exitOK
}
