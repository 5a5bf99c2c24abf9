package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/listkeys-conformance/listkeys-conformance/internal/clientrun"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

func init() {
	register("client", "run a client under test through every scenario against the in-process conformance server, and report on it", runClient)
}

// clientExitCodes is what the client command's exit status means.
const clientExitCodes = "client: 0 the client passed every check, 1 it failed one, 2 unusable command line (no command,\n" +
	"a command that is not found, an unknown scenario), 3 the runs could not take place or the reports not be written.\n"

// runClient runs COMMAND once per scenario with the placeholders expanded, judges each run by the client.*
// checks and writes report.json, report.html, report.md and junit.xml into --report-dir.
func runClient(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("client", stdout, stderr, "[--scenarios LIST] [--timeout D] [--report-dir DIR] -- COMMAND [ARG...]")
	scenarios := fs.String("scenarios", "", "comma-separated scenario names to play (default: all; see serve --list-scenarios)")
	timeout := fs.Duration("timeout", clientrun.DefaultTimeout, "how long one run of the client may take; then its process group is killed")
	dir := fs.String("report-dir", "reports/client", "the folder to write report.json, report.html, report.md and junit.xml into")
	apiVersion := fs.String("api-version", schemas.DefaultAPIVersion, "the api-version given as {apiVersion} and in {url}")
	if code, ok := fs.parse(args); !ok {
		if code == exitOK {
			io.WriteString(stdout, "\nThe command's arguments may name "+strings.Join(clientrun.Placeholders, " ")+";\n"+
				"its environment gets SSL_CERT_FILE, REQUESTS_CA_BUNDLE, NODE_EXTRA_CA_CERTS and CURL_CA_BUNDLE (the fresh CA),\n"+
				"LISTKEYS_ENDPOINT and LISTKEYS_TOKEN.\n"+clientExitCodes)
		}
		return code
	}
	command := fs.Args()
	switch {
	case len(command) == 0:
		return fs.usageError("no command to run: give it after --, e.g. client -- curl --fail-with-body -X POST -H 'Authorization: Bearer {token}' {url}")
	case *timeout <= 0:
		return fs.usageError("--timeout %s: give a positive duration such as 30s", *timeout)
	}
	if _, err := exec.LookPath(command[0]); err != nil {
		return fs.usageError("command %q: %v", command[0], unwrapExec(err))
	}
	if !slices.Contains(schemas.APIVersions(), *apiVersion) {
		return fs.usageError("--api-version %s: not one of the embedded api-versions (%s)", *apiVersion, strings.Join(schemas.APIVersions(), ", "))
	}
	var names []string
	if *scenarios != "" {
		for _, n := range strings.Split(*scenarios, ",") {
			names = append(names, strings.TrimSpace(n))
		}
	}
	if err := clientrun.CheckScenarios(names); err != nil {
		return fs.usageError("--scenarios: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := clientrun.Execute(ctx, clientrun.Options{Command: command, Scenarios: names, Timeout: *timeout, APIVersion: *apiVersion})
	if err != nil {
		return fs.runtimeError("%v", err)
	}
	for _, run := range res.Runs {
		state, failed := "PASS", ""
		for _, v := range run.Verdicts() {
			if v.State == report.Fail {
				state, failed = "FAIL", failed+" "+string(v.Check)
			}
		}
		if run.Skipped != "" {
			state = "SKIP"
		}
		if failed != "" {
			failed = " — failed:" + failed
		}
		fmt.Fprintf(stdout, "%s %-24s %s%s\n", state, run.Scenario.Name, run.Did(), failed)
	}
	r := res.Report(report.Tool{Name: "listkeys-conformance client", Version: toolVersion()})
	paths, err := r.Write(*dir, report.DefaultNames)
	if err != nil {
		return fs.runtimeError("%v", err)
	}
	r.WriteSummary(stdout, paths)
	return verdict(r)
}

// unwrapExec is the reason exec.LookPath gives, without repeating the name.
func unwrapExec(err error) error {
	if e, ok := err.(*exec.Error); ok {
		return e.Err
	}
	return err
}
