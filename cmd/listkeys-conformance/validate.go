package main

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

func init() {
	register("validate", "check a response body (or a recording) against the contract", runValidate)
}

// defaultMaxBody is far above a real List Keys body (~900 bytes) and far below what would hurt.
const defaultMaxBody = 10 << 20

type validateOptions struct {
	definition string
	status     int
	requestURL *url.URL
	strict     bool
	format     string
	maxBody    int64
	recording  string
	contract   *contract.Contract
	// byRequest: no --api-version or --schemas was given, so the contract is the one of the api-version each
	// request names (the default when it names none that is embedded).
	byRequest bool
}

func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("validate", stdout, stderr,
		"[--definition NAME | --status CODE] [--request-url URL] [--api-version V | --schemas DIR] [--strict] [--format text|json] [--max-body BYTES] FILE|-",
		"--recording FILE [--api-version V | --schemas DIR] [--strict] [--format text|json]")
	var (
		opts       validateOptions
		status     string
		requestURL string
		schemaDir  string
		apiVersion string
	)
	fs.StringVar(&opts.definition, "definition", "", "validate the body as this definition (e.g. ListKeysResult, ErrorResponse)")
	fs.StringVar(&status, "status", "", "the response status: 200 means ListKeysResult, 4xx/5xx ErrorResponse")
	fs.StringVar(&requestURL, "request-url", "", "the URL the response answered, to check that connection strings name that workspace")
	fs.StringVar(&schemaDir, "schemas", "", "a folder of generated *.schema.json to use instead of the embedded ones")
	fs.StringVar(&apiVersion, "api-version", "", "judge with this api-version's contract (default: the request's api-version, else "+schemas.DefaultAPIVersion+"; see 'listkeys-conformance versions')")
	fs.BoolVar(&opts.strict, "strict", false, "fail on SHOULD violations too")
	fs.StringVar(&opts.format, "format", "text", "output format: text or json")
	fs.Int64Var(&opts.maxBody, "max-body", defaultMaxBody, "refuse bodies larger than this many bytes")
	fs.StringVar(&opts.recording, "recording", "", "validate every listKeys interaction in a recording (go-vcr, vcrpy, test-proxy JSON, HAR, x-ms-examples)")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	fail := fs.usageError
	switch {
	case opts.format != "text" && opts.format != "json":
		return fail("--format must be text or json, not %q", opts.format)
	case opts.maxBody <= 0:
		return fail("--max-body must be a positive number of bytes, not %d", opts.maxBody)
	case opts.definition != "" && status != "":
		return fail("give --definition or --status, not both")
	}
	if status != "" {
		code, err := strconv.Atoi(status)
		if err != nil || code != 200 && (code < 400 || code > 599) {
			return fail("--status %q: give 200 (ListKeysResult) or an error status 400-599 (ErrorResponse)", status)
		}
		opts.status = code
	}
	if requestURL != "" {
		u, err := url.Parse(requestURL)
		if err != nil || u.Path == "" {
			return fail("--request-url %q is not a URL with a path", requestURL)
		}
		opts.requestURL = u
	}
	var err error
	switch {
	case schemaDir != "" && apiVersion != "":
		return fail("give --api-version or --schemas, not both")
	case schemaDir != "":
		opts.contract, err = contract.Load(os.DirFS(schemaDir))
		if err != nil {
			return fail("--schemas %s: %v", schemaDir, err)
		}
	case apiVersion != "":
		if opts.contract, err = contract.ForAPIVersion(apiVersion); err != nil {
			return fail("--api-version: %v", err)
		}
	default:
		opts.byRequest = true
		if opts.contract, err = contractForURL(opts.requestURL); err != nil {
			return fail("embedded schemas: %v", err)
		}
	}
	if opts.definition != "" && !contains(opts.contract.Definitions(), opts.definition) {
		return fail("--definition %q is not a definition of the contract (known: %s)", opts.definition, strings.Join(opts.contract.Definitions(), ", "))
	}

	if opts.recording != "" {
		if fs.NArg() > 0 {
			return fail("--recording takes no FILE argument (got %q)", fs.Arg(0))
		}
		return validateRecording(opts, stdout, stderr)
	}
	if fs.NArg() != 1 {
		return fail("give exactly one FILE (or - for standard input); got %d", fs.NArg())
	}
	name := fs.Arg(0)
	body, err := readCapped(name, stdin, opts.maxBody, maxBodyLimit(opts.maxBody))
	if err != nil {
		return fail("%v", err)
	}
	ex := contract.Exchange{Status: opts.status, Body: body}
	if opts.requestURL != nil {
		ex.Request = &contract.Request{Method: "POST", URL: opts.requestURL}
	}
	report, err := opts.contract.Validate(opts.definition, ex)
	if err != nil {
		return fail("%s: %v", displayName(name), err)
	}
	return printReport(stdout, opts, report)
}

// contractForURL is the embedded contract of the api-version a request URL names, or the default one when
// it names none that is embedded (the request.api-version check then says so).
func contractForURL(u *url.URL) (*contract.Contract, error) {
	if u != nil {
		if c, err := contract.ForAPIVersion(u.Query().Get("api-version")); err == nil {
			return c, nil
		}
	}
	return contract.Default()
}

// readCapped reads a file (or standard input for "-") refusing more than max bytes, so a huge body is a
// clear error instead of memory exhaustion; tooLarge says what the limit is (and how to raise it, where one
// can).
func readCapped(name string, stdin io.Reader, max int64, tooLarge string) ([]byte, error) {
	r := stdin
	if name != "-" || stdin == nil { // a command that reads no standard input takes "-" as a file name
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if info, err := f.Stat(); err == nil && info.IsDir() {
			return nil, fmt.Errorf("%s is a folder, not a file", name)
		}
		r = f
	}
	body, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", displayName(name), err)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("%s: larger than %s", displayName(name), tooLarge)
	}
	return body, nil
}

// maxBodyLimit is the limit --max-body sets, as readCapped says it.
func maxBodyLimit(max int64) string {
	return fmt.Sprintf("--max-body (%d bytes); raise --max-body if it is meant to be", max)
}

func displayName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return name
}

// jsonReport is the documented --format json shape.
type jsonReport struct {
	Conformant bool                 `json:"conformant"`
	Definition string               `json:"definition"`
	Violations []contract.Violation `json:"violations"`
	Notes      []string             `json:"notes"`
	// NotChecked and NotJudged are the outcomes other than pass and fail (contract.Outcome), by check.
	NotChecked []contract.Unchecked `json:"notChecked,omitempty"`
	NotJudged  string               `json:"notJudged,omitempty"`
}

func printReport(w io.Writer, opts validateOptions, r contract.Report) int {
	ok := r.Conformant(opts.strict)
	if opts.format == "json" {
		writeJSON(w, jsonReport{Conformant: ok, Definition: r.Definition, Violations: r.Violations, Notes: r.Notes, NotChecked: r.NotChecked, NotJudged: r.NotJudged})
	} else {
		printText(w, "", r, ok)
	}
	if !ok {
		return exitViolations
	}
	return exitOK
}

func printText(w io.Writer, title string, r contract.Report, ok bool) {
	verdict := "conformant"
	if !ok {
		verdict = "NOT conformant"
	}
	if title != "" {
		title += ": "
	}
	fmt.Fprintf(w, "%s%s: %s (%s)\n", title, r.Definition, verdict, countLevels(r.Violations))
	for _, v := range r.Violations {
		path := v.Path
		if path == "" {
			path = "(body)"
		}
		fmt.Fprintf(w, "  %-6s %-28s %-28s %s\n", v.Level, v.Check, path, v.Message)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

func countLevels(vs []contract.Violation) string {
	must, should := 0, 0
	for _, v := range vs {
		if v.Level == contract.MUST {
			must++
		} else {
			should++
		}
	}
	return fmt.Sprintf("%d MUST, %d SHOULD %s", must, should, plural(should, "violation"))
}

func contains(list []string, s string) bool {
	for _, item := range list {
		if item == s {
			return true
		}
	}
	return false
}
