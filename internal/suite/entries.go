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

	"github.com/onsi/ginkgo/v2"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/recording"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
)

// The report entries below are read by `listkeys-conformance report --from-ginkgo` (internal/report), which
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
		ginkgo.Fail("encoding the run's configuration: " + err.Error())
	}
	ginkgo.AddReportEntry(report.EntryRun, string(data), ginkgo.ReportEntryVisibilityNever)
}

// SafeBody is the answer's body as a failure message may show it: sanitized by the cassettes' rules, since in
// record and live mode it holds the real keys, and a failure message reaches the console and the CI log.
func SafeBody(res *scenarios.Result) []byte {
	c, err := contract.ForAPIVersion(runner.Config.APIVersion)
	if err != nil {
		return []byte("(body not shown: " + err.Error() + ")")
	}
	ex, err := recording.SanitizeExchange(c, res.Exchange.Exchange)
	if err != nil {
		return []byte("(body not shown: it could not be sanitized: " + err.Error() + ")")
	}
	return ex.Body
}

// ReportExchange records the exchange a spec judged as its evidence, sanitized by the cassettes' rules (in
// record and live mode the caller holds the real keys). An exchange that cannot be sanitized is left out,
// saying why.
func ReportExchange(ex contract.Exchange) {
	ginkgo.GinkgoHelper()
	c, err := contract.ForAPIVersion(runner.Config.APIVersion)
	if err == nil {
		ex, err = recording.SanitizeExchange(c, ex)
	}
	if err != nil {
		ginkgo.AddReportEntry("exchange left out of the report", err.Error(), ginkgo.ReportEntryVisibilityFailureOrVerbose)
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
	ginkgo.AddReportEntry(report.EntryExchange, string(data), ginkgo.ReportEntryVisibilityNever)
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
