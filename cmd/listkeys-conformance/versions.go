package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

func init() {
	register("versions", "list the api-versions with an embedded contract", runVersions)
	register("contract", "contract diff V1 V2: what changed between two api-versions' contracts", runContract)
}

// runVersions is `versions`: one api-version a line, oldest first; the default is marked. With --matrix DIR
// it reads DIR/<api-version>/report.json (Ginkgo's JSON report of each version's run, as make
// conformance-all writes them) and prints a summary per version and a matrix of suites by versions; the exit
// code is 1 when a version failed or has no report.
func runVersions(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("versions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	matrix := fs.String("matrix", "", "summarize DIR/<api-version>/report.json of every api-version")
	format := fs.String("format", "text", "output format of the list: text, or json (an array, as a CI matrix takes it)")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "versions: takes no arguments (got %q)\n", fs.Arg(0))
		return exitUsage
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
		fmt.Fprintf(stderr, "versions: --format must be text or json, not %q\n", *format)
		return exitUsage
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
	if len(args) == 0 || args[0] != "diff" {
		fmt.Fprintln(stderr, "usage: listkeys-conformance contract diff [--format text|json] API_VERSION API_VERSION")
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	flags := flag.NewFlagSet("contract diff", flag.ContinueOnError)
	flags.SetOutput(stderr)
	format := flags.String("format", "text", "output format: text or json")
	if code, ok := parseFlags(flags, args[1:]); !ok {
		return code
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "contract diff: --format must be text or json, not %q\n", *format)
		return exitUsage
	}
	if flags.NArg() != 2 {
		fmt.Fprintf(stderr, "contract diff: give two api-versions (got %d arguments); embedded: %s\n", flags.NArg(), strings.Join(schemas.APIVersions(), ", "))
		return exitUsage
	}
	var sets [2]fs.FS
	for i, v := range flags.Args() {
		if _, err := contract.ForAPIVersion(v); err != nil {
			fmt.Fprintf(stderr, "contract diff: %v\n", err)
			return exitUsage
		}
		sets[i], _ = fs.Sub(schemas.FS, v) // a known version's folder
	}
	changes, err := contract.Diff(sets[0], sets[1])
	if err != nil {
		fmt.Fprintf(stderr, "contract diff: %v\n", err)
		return exitUsage
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
		}{flags.Arg(0), flags.Arg(1), observable, append([]contract.Change{}, changes...)})
	} else {
		for _, c := range changes {
			fmt.Fprintln(stdout, c)
		}
		fmt.Fprintf(stdout, "%s -> %s: %d changes, %d a client can observe\n", flags.Arg(0), flags.Arg(1), len(changes), observable)
	}
	if observable > 0 {
		return exitViolations
	}
	return exitOK
}

// ginkgoSuite is the part of a suite in Ginkgo's JSON report that the matrix counts.
type ginkgoSuite struct {
	SuitePath   string
	SpecReports []struct {
		LeafNodeType string
		State        string
	}
}

// tally counts the specs (It nodes) of one suite or one version by state.
type tally struct{ passed, failed, skipped int }

func (t tally) String() string {
	if t.failed > 0 {
		return fmt.Sprintf("FAIL %d/%d", t.failed, t.passed+t.failed)
	}
	return fmt.Sprintf("ok %d", t.passed)
}

func (t *tally) add(state string) {
	switch state {
	case "passed":
		t.passed++
	case "skipped", "pending":
		t.skipped++
	default: // failed, panicked, interrupted, aborted, timedout
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
		var report []ginkgoSuite
		data, err := os.ReadFile(file)
		if err == nil {
			err = json.Unmarshal(data, &report)
		}
		if err != nil {
			fmt.Fprintf(w, "%-20s no usable report: %v\n", v, err)
			code = exitViolations
			continue
		}
		var total tally
		for _, s := range report {
			name := filepath.Base(s.SuitePath)
			if cells[name] == nil {
				cells[name] = map[string]tally{}
				suites = append(suites, name)
			}
			t := cells[name][v]
			for _, spec := range s.SpecReports {
				if spec.LeafNodeType == "It" {
					t.add(spec.State)
					total.add(spec.State)
				} else if spec.State != "passed" {
					t.failed++ // a failed BeforeSuite or ReportAfterSuite fails the suite
					total.failed++
				}
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
