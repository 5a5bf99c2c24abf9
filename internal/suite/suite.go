package suite

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/onsi/ginkgo/v2"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
)

// EnvStrict makes SHOULD violations fail their specs instead of skipping them as warnings.
const EnvStrict = "LISTKEYS_STRICT"

var runner *scenarios.Runner

// Setup reads the configuration once; call it from BeforeSuite. A configuration problem is a harness error
// of the suite: one message naming every variable at fault, no Go values dumped.
func Setup() *scenarios.Runner {
	ginkgo.GinkgoHelper()
	r, err := scenarios.FromEnvironment(os.Getenv)
	if err != nil {
		HarnessError(err)
	}
	runner = r
	reportRun(r)
	return r
}

// HarnessError ends the spec (or setup node) in the Error state: the harness could not run it —
// configuration, credentials, network, a missing or corrupt cassette — which is not the service's fault.
func HarnessError(err error) {
	ginkgo.GinkgoHelper()
	ginkgo.AddReportEntry(report.EntryState, string(report.Error), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	ginkgo.Fail(report.HarnessErrorPrefix + err.Error())
}

// ReportCheck records that the spec asserts the check. An ID the registry does not know fails the spec.
func ReportCheck(id contract.ID) {
	ginkgo.GinkgoHelper()
	if err := contract.Known(id); err != nil {
		ginkgo.Fail(err.Error())
	}
	for _, e := range ginkgo.CurrentSpecReport().ReportEntries {
		if e.Name == report.EntryCheck && e.StringRepresentation() == string(id) {
			return
		}
	}
	ginkgo.AddReportEntry(report.EntryCheck, string(id), ginkgo.ReportEntryVisibilityFailureOrVerbose)
}

// Checks is the decorator of a spec that asserts these checks: a label per ID (a stable part of the spec's
// identity, and a filter), and the "check" report entries, added before the spec runs. An unknown ID stops
// the tree from being built, with the list of known IDs: such a spec never runs, let alone passes.
func Checks(ids ...contract.ID) ginkgo.Labels {
	if len(ids) == 0 {
		panic("suite.Checks: name at least one check")
	}
	if err := contract.Known(ids...); err != nil {
		panic(err.Error())
	}
	labels := make(ginkgo.Labels, len(ids))
	for i, id := range ids {
		labels[i] = report.CheckLabel + string(id)
	}
	return labels
}

// CheckIDs are the check IDs of a spec's labels, in order.
func CheckIDs(labels []string) []contract.ID {
	var out []contract.ID
	for _, l := range labels {
		if id, ok := strings.CutPrefix(l, report.CheckLabel); ok && !slices.Contains(out, contract.ID(id)) {
			out = append(out, contract.ID(id))
		}
	}
	return out
}

// Every spec reports the checks its labels name, so that a spec declared with Checks needs no more.
var _ = ginkgo.BeforeEach(func() {
	for _, id := range CheckIDs(ginkgo.CurrentSpecReport().Labels()) {
		ginkgo.AddReportEntry(report.EntryCheck, string(id), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	}
})

// judged is each scenario's run, once per process: its specs judge the same exchange, each on its own.
var (
	judgedMu sync.Mutex
	judged   = map[string]*judgement{}
)

type judgement struct {
	once sync.Once
	res  *scenarios.Result
	err  error
}

// Judged is the scenario's result, run the first time a spec asks (the later ones share it). A scenario
// that cannot run here skips the spec with the reason; one the harness could not run ends the spec as an
// Error — every spec that needs it, not only the first.
func Judged(ctx ginkgo.SpecContext, s scenarios.Scenario) *scenarios.Result {
	ginkgo.GinkgoHelper()
	ginkgo.AddReportEntry(report.EntryScenario, s.Name, ginkgo.ReportEntryVisibilityFailureOrVerbose)
	// Where the expected answer comes from (observed, documented or assumed), for the reports.
	ginkgo.AddReportEntry("provenance", s.Provenance.String(), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	if runner == nil {
		HarnessError(errors.New("suite.Setup did not run in BeforeSuite"))
	}
	if reason := runner.SkipReason(s); reason != "" {
		ginkgo.Skip(reason)
	}
	judgedMu.Lock()
	j := judged[s.Name]
	if j == nil {
		j = &judgement{}
		judged[s.Name] = j
	}
	judgedMu.Unlock()
	j.once.Do(func() {
		ginkgo.By(fmt.Sprintf("sending scenario %q in %s mode", s.Name, runner.Config.Mode))
		progressCount.Add(1)
		progress(s, "calling "+runner.Config.ARMEndpoint())
		j.res, j.err = runner.Run(ctx, s)
		if j.err == nil {
			progress(s, fmt.Sprintf("answered %d", j.res.Status))
		}
	})
	if j.err != nil {
		HarnessError(j.err)
	}
	ReportExchange(j.res.Exchange.Exchange)
	if len(j.res.Unused) > 0 {
		ginkgo.AddReportEntry("cassette drift: interactions never replayed", strings.Join(j.res.Unused, "\n"), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	}
	ginkgo.AddReportEntry("verdict", matchers.Explain(j.res.Report), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	return j.res
}

// Spec declares a spec that asserts the checks on the scenario's judgement, each outcome as Assert says.
func Spec(title string, s scenarios.Scenario, ids []contract.ID, decorators ...any) bool {
	args := append([]any{Checks(ids...), ginkgo.Offset(1)}, decorators...)
	args = append(args, func(ctx ginkgo.SpecContext) { Assert(Judged(ctx, s), ids...) })
	return ginkgo.It(title, args...)
}

// Assert judges the checks on a scenario's result: a MUST fail fails the spec; a SHOULD fail is a warning
// (the spec skips with the finding, or fails when LISTKEYS_STRICT is set); a check not checked skips the spec
// with the reason (skipped is not passed); not judged is a harness error. A spec that passes on a record or
// live answer that differs from the committed cassette ends as Drift.
func Assert(res *scenarios.Result, ids ...contract.ID) {
	ginkgo.GinkgoHelper()
	var must, should, notChecked, notJudged []string
	for _, id := range ids {
		if err := contract.Known(id); err != nil {
			ginkgo.Fail(err.Error())
		}
		o := res.Report.Outcome(id)
		switch {
		case o.Result == contract.Fail && o.Level == contract.MUST:
			must = append(must, describe(o))
		case o.Result == contract.Fail:
			should = append(should, describe(o))
		case o.Result == contract.NotChecked:
			notChecked = append(notChecked, fmt.Sprintf("%s not checked: %s", id, o.Reason))
		case o.Result == contract.NotJudged:
			notJudged = append(notJudged, fmt.Sprintf("%s not judged: %s", id, o.Reason))
		}
	}
	switch {
	case len(must) > 0:
		ginkgo.Fail(fmt.Sprintf("MUST violated:\n%s\nbody: %s", strings.Join(must, "\n"), excerpt(SafeBody(res))))
	case len(should) > 0:
		warn(should)
	case len(notJudged) > 0:
		HarnessError(errors.New(strings.Join(notJudged, "; ")))
	case len(notChecked) > 0:
		ginkgo.Skip(strings.Join(notChecked, "; "))
	}
	if len(res.Drift) > 0 {
		ginkgo.AddReportEntry(report.EntryState, string(report.Drift), ginkgo.ReportEntryVisibilityNever)
		ginkgo.AddReportEntry(report.EntryDrift, strings.Join(res.Drift, "\n"), ginkgo.ReportEntryVisibilityFailureOrVerbose)
	}
}

func describe(o contract.Outcome) string {
	var parts []string
	for _, v := range o.Violations {
		parts = append(parts, fmt.Sprintf("  %s %s at %q: %s", v.Level, v.Check, v.Path, v.Message))
	}
	return strings.Join(parts, "\n")
}

func excerpt(body []byte) string {
	const max = 600
	if len(body) > max {
		return fmt.Sprintf("%q…", body[:max])
	}
	return fmt.Sprintf("%q", body)
}

func warn(found []string) {
	ginkgo.GinkgoHelper()
	if strict() {
		ginkgo.Fail("SHOULD violated (strict):\n" + strings.Join(found, "\n"))
	}
	ginkgo.Skip("warning, SHOULD violated:\n" + strings.Join(found, "\n"))
}

func strict() bool {
	switch strings.ToLower(os.Getenv(EnvStrict)) {
	case "1", "true", "yes":
		return true
	}
	return false
}

// schemaChecks are what "conforms to the documented definition" asserts: the body is JSON, and every
// schema rule holds.
var schemaChecks = []contract.ID{contract.ResponseJSON, contract.SchemaType, contract.SchemaFormat, contract.SchemaPattern,
	contract.SchemaLength, contract.SchemaRequired, contract.SchemaEnum, contract.SchemaOther}

// Definition is the checks that a body conforms to its documented definition.
func Definition() []contract.ID { return slices.Clone(schemaChecks) }

// Refusal declares the specs of a request the server must refuse, from its row in the catalogue: the
// status, a conformant ErrorResponse with error.code and error.message, the error.code, the headers the row
// needs, and no key in the answer. Each spec judges one part of the same recorded answer on its own, so a
// wrong status hides none of the others. The errors and parameters suites share it.
//
// The row's level label ("core" when its expectation is observed or documented, "extended" when assumed) goes
// on the specs of its expected answer; the request-id headers are an ARM convention, "extended" whatever the
// row says. Labels accumulate in Ginkgo, so a level on the container would put a convention under "core" too.
func Refusal(s scenarios.Scenario) bool {
	labels := slices.Clone(s.Tags)
	if s.EmulatorOnly != "" {
		labels = append(labels, "emulator-only")
	}
	level := ginkgo.Label(s.Provenance.Level())
	var headers []contract.ID
	for _, h := range s.Expect.Header {
		id, err := contract.HeaderCheck(h)
		if err != nil {
			panic(fmt.Sprintf("scenario %s: %v", s.Name, err))
		}
		headers = append(headers, id)
	}
	return ginkgo.Describe(s.Title, ginkgo.Ordered, ginkgo.ContinueOnFailure, ginkgo.Label(labels...), func() {
		Spec(fmt.Sprintf("answers %d", s.Expect.Status), s, []contract.ID{contract.ScenarioStatus}, level)
		Spec("returns a body that conforms to ErrorResponse", s, Definition(), level)
		Spec("returns an ErrorResponse with error.code and error.message", s, []contract.ID{contract.ErrorCodeMsg}, level)
		if s.Expect.Code != "" {
			Spec("says error.code "+s.Expect.Code, s, []contract.ID{contract.ScenarioCode}, level)
		}
		for i, h := range s.Expect.Header {
			Spec("carries "+h, s, []contract.ID{headers[i]}, level)
		}
		Spec("returns no key", s, []contract.ID{contract.ErrorNoKey}, level)
		Spec("carries the ARM request id headers", s, []contract.ID{contract.RequestIDs}, ginkgo.Label("extended"))
	})
}
