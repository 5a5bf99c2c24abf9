package suite

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	. "github.com/onsi/ginkgo/v2"

	"github.com/listkeys-conformance/listkeys-conformance/harness/arm"
	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/recording"
	"github.com/listkeys-conformance/listkeys-conformance/harness/report"
	"github.com/listkeys-conformance/listkeys-conformance/harness/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/harness/traffic"
)

// The report entries below are read by `listkeys-conformance report --from-ginkgo` (harness/report), which
// makes the reports; the suites need not know the formats. They are never printed: the run's summary says
// what they hold, once.

// reportRun records the run's configuration, secrets masked and paths relative to the repository, once per
// suite; the summary at the end of the run echoes it once.
func reportRun(r *scenarios.Runner) {
	root := moduleRoot()
	run := report.Run{
		Mode: string(r.Config.Mode), APIVersion: r.Config.APIVersion, Strict: strict(),
		Target: report.Target{Endpoint: r.Config.ARMEndpoint(), Subscription: arm.Mask(r.Target.SubscriptionID),
			ResourceGroup: r.Target.ResourceGroup, Workspace: r.Target.Workspace},
	}
	for _, line := range strings.Split(r.Describe(), "\n") {
		name, value, ok := strings.Cut(line, "=")
		if n, v, colon := strings.Cut(line, ": "); colon && (!ok || len(n) < len(name)) {
			name, value, ok = n, v, true
		}
		if !ok {
			continue
		}
		if filepath.IsAbs(value) { // a report holds no absolute path: relative to the repository, else the base name
			value = report.RelativePath(root, value)
		}
		run.Configuration = append(run.Configuration, report.Setting{Name: name, Value: value})
	}
	strictValue := "not set"
	if strict() {
		strictValue = "1"
	}
	run.Configuration = append(run.Configuration, report.Setting{Name: EnvStrict, Value: strictValue})
	data, err := json.Marshal(run)
	if err != nil {
		Fail("encoding the run's configuration: " + err.Error())
	}
	AddReportEntry(report.EntryRun, string(data), ReportEntryVisibilityNever)
}

// ReportScenario names the scenario the current spec judges.
func ReportScenario(name string) {
	AddReportEntry(report.EntryScenario, name, ReportEntryVisibilityNever)
}

// ReportExchange records the exchange a spec judged as its evidence, sanitized by the cassettes' rules (in
// record and live mode the caller holds the real keys). An exchange that cannot be sanitized is left out,
// saying why.
func ReportExchange(ex contract.Exchange) {
	GinkgoHelper()
	c, err := contract.ForAPIVersion(runner.Config.APIVersion)
	if err == nil {
		ex, err = recording.SanitizeExchange(c, ex)
	}
	if err != nil {
		AddReportEntry("exchange left out of the report", err.Error(), ReportEntryVisibilityFailureOrVerbose)
		return
	}
	out := report.Exchange{Response: report.ExchangeResponse{Status: ex.Status, Headers: headers(ex.Header), Body: string(ex.Body)}}
	if req := ex.Request; req != nil {
		out.Request = report.ExchangeRequest{Method: req.Method, Headers: headers(req.Header)}
		if req.URL != nil {
			out.Request.URL = req.URL.String()
		}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return
	}
	AddReportEntry(report.EntryExchange, string(data), ReportEntryVisibilityNever)
}

func headers(h http.Header) map[string][]string {
	out := map[string][]string{}
	for name, values := range h {
		out[name] = values
	}
	return out
}

var progressCount atomic.Int64

// progress says, in record and live mode, which scenario is being called and how far along the suite is
// (these runs wait on the network), on stderr, which Ginkgo passes through as it comes.
func progress(s scenarios.Scenario, what string) {
	if !runner.Config.Mode.Network() {
		return
	}
	suiteName := "suite"
	if dir, err := os.Getwd(); err == nil { // ginkgo runs each suite in its own folder
		suiteName = filepath.Base(dir)
	}
	// The leading newline ends the line of Ginkgo's progress dots.
	fmt.Fprintf(os.Stderr, "\n%s %s %s, scenario %d: %s %s\n", time.Now().UTC().Format("15:04:05"), runner.Config.Mode, suiteName, progressCount.Load(), s.Name, what)
}

// committedCassette reads the scenario's committed cassette before a record run may overwrite it: the answer
// is compared with it afterwards. ok is false outside record and live mode, or when there is none.
func committedCassette(s scenarios.Scenario) (traffic.Recording, bool) {
	if !runner.Config.Mode.Network() {
		return traffic.Recording{}, false
	}
	path := filepath.Join(moduleRoot(), "cassettes", runner.Config.APIVersion, s.Name+".yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		return traffic.Recording{}, false
	}
	rec, err := traffic.Read(path, data)
	if err != nil || len(rec.Interactions) == 0 {
		return traffic.Recording{}, false
	}
	return rec, true
}

// reportDrift compares the answer with the committed cassette (status, error.code, body members, header
// names). A difference is Drift: the spec's state, unless a check fails it, with what changed.
func reportDrift(committed traffic.Recording, res *scenarios.Result) {
	last := committed.Interactions[len(committed.Interactions)-1]
	was := traffic.Recording{Interactions: []traffic.Interaction{last}}
	now := traffic.Recording{Interactions: []traffic.Interaction{{Status: res.Status, Header: res.Header, Body: res.Body}}}
	lines := traffic.Drift(was, now)
	if len(lines) == 0 {
		return
	}
	AddReportEntry(report.EntryState, string(report.Drift), ReportEntryVisibilityNever)
	AddReportEntry(report.EntryDrift, strings.Join(lines, "\n"), ReportEntryVisibilityFailureOrVerbose)
}

// moduleRoot is the folder holding go.mod above the working directory (each suite runs in its own folder).
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}
