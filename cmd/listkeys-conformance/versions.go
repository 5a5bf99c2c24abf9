package main

import (
	"encoding/json"

	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

func init() {
	register("versions", "list the api-versions with an embedded contract", runVersions)
	register("contract", "contract diff V1 V2: what changed between two api-versions' contracts", runContract)
}

// runVersions is `versions`: one api-version a line, oldest first; the default is marked. With --matrix DIR
// it reads DIR/<api-version>/report.json (the report of each version's run, as make conformance-all writes
// them) and prints a summary per version and a matrix of suites by versions; the exit
// code is 1 when a version failed or has no report.
func runVersions(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := newFlagSet("versions", stdout, stderr, "[--format text|json] [--matrix REPORT_DIR]")
	matrix := flags.String("matrix", "", "summarize DIR/<api-version>/report.json of every api-version")
	format := flags.String("format", "text", "output format of the list: text, or json (an array, as a CI matrix takes it)")
	if code, ok := flags.parse(args); !ok {
		return code
	}
	if flags.NArg() > 0 {
		return flags.usageError("takes no arguments (got %q)", flags.Arg(0))
	}
	if *matrix != "" {
		return printMatrix(*matrix, stdout)
	}
	switch *format {
	case "json":
		json.NewEncoder(stdout).Encode(schemas.APIVersions())
		return exitOK
	case "text":
	default:
		return flags.usageError("--format must be text or json, not %q", *format)
	}
	for _, v := range schemas.APIVersions() {
		if v == schemas.DefaultAPIVersion {
			fmt.Fprintln(stdout, v+" (default)")
			continue
		}
		fmt.Fprintln(stdout, v)
	}
	return exitOK
}

// runContract is `contract diff [--format text|json] V1 V2`. Exit 0 when no change a client can observe
// (secret marks only, or nothing), 1 when one can, 2 for an unknown api-version or a bad command line.
func runContract(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	flags := newFlagSet("contract", stdout, stderr, "diff [--format text|json] API_VERSION API_VERSION")
	format := flags.String("format", "text", "output format: text or json")
	if code, ok := flags.parse(args); !ok {
		return code
	}
	if flags.NArg() == 0 || flags.Arg(0) != "diff" {
		return flags.usageError("the one subcommand is diff: contract diff [--format text|json] API_VERSION API_VERSION")
	}
	if *format != "text" && *format != "json" {
		return flags.usageError("--format must be text or json, not %q", *format)
	}
	versions := flags.Args()[1:]
	if len(versions) != 2 {
		return flags.usageError("diff: give two api-versions (got %d); embedded: %s", len(versions), strings.Join(schemas.APIVersions(), ", "))
	}
	var sets [2]fs.FS
	for i, v := range versions {
		if _, err := contract.ForAPIVersion(v); err != nil {
			return flags.usageError("diff: %v", err)
		}
		sets[i], _ = fs.Sub(schemas.FS, v) // a known version's folder
	}
	changes, err := contract.Diff(sets[0], sets[1])
	if err != nil {
		return flags.usageError("diff: %v", err)
	}
	observable := 0
	for _, c := range changes {
		if c.Observable {
			observable++
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			From       string            `json:"from"`
			To         string            `json:"to"`
			Observable int               `json:"observable"`
			Changes    []contract.Change `json:"changes"`
		}{versions[0], versions[1], observable, append([]contract.Change{}, changes...)})
	} else {
		for _, c := range changes {
			fmt.Fprintln(stdout, c)
		}
		fmt.Fprintf(stdout, "%s -> %s: %d changes, %d a client can observe\n", versions[0], versions[1], len(changes), observable)
	}
	if observable > 0 {
		return exitViolations
	}
	return exitOK
}

// tally counts the results of one suite or one version by state.
type tally struct{ passed, failed, skipped int }

func (t tally) String() string {
	if t.failed > 0 {
		return fmt.Sprintf("FAIL %d/%d", t.failed, t.passed+t.failed)
	}
	return fmt.Sprintf("ok %d", t.passed)
}

func (t *tally) add(state report.State) {
	switch state {
	case report.Pass, report.Drift:
		t.passed++
	case report.Skip:
		t.skipped++
	default: // fail, error
		t.failed++
	}
}

func printMatrix(dir string, w io.Writer) int {
	versions := schemas.APIVersions()
	cells := map[string]map[string]tally{} // suite -> version -> tally
	var suites []string
	code := exitOK
	for _, v := range versions {
		file := filepath.Join(dir, v, "report.json")
		var r report.Report
		data, err := os.ReadFile(file)
		if err == nil {
			r, err = report.Decode(data)
		}
		if err != nil {
			fmt.Fprintf(w, "%-20s no usable report: %v\n", v, err)
			code = exitViolations
			continue
		}
		var total tally
		for _, sc := range r.Scenarios {
			name := sc.Group
			if cells[name] == nil {
				cells[name] = map[string]tally{}
				suites = append(suites, name)
			}
			t := cells[name][v]
			for _, res := range sc.Results {
				t.add(res.State)
				total.add(res.State)
			}
			cells[name][v] = t
		}
		verdict := "PASS"
		if total.failed > 0 {
			verdict, code = "FAIL", exitViolations
		}
		fmt.Fprintf(w, "%-20s %s: %d passed, %d failed, %d skipped\n", v, verdict, total.passed, total.failed, total.skipped)
	}
	slices.Sort(suites)
	fmt.Fprintf(w, "\n| suite | %s |\n|---|%s\n", strings.Join(versions, " | "), strings.Repeat("---|", len(versions)))
	for _, s := range suites {
		row := make([]string, len(versions))
		for i, v := range versions {
			if t, ok := cells[s][v]; ok {
				row[i] = t.String()
			} else {
				row[i] = "-"
			}
		}
		fmt.Fprintf(w, "| %s | %s |\n", s, strings.Join(row, " | "))
	}
	return code
}
