package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/listkeys-conformance/listkeys-conformance/internal/recording"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
)

func find(t *testing.T, r report.Report, statementPart string) (report.Scenario, report.Result) {
	t.Helper()
	for _, sc := range r.Scenarios {
		for _, res := range sc.Results {
			if strings.Contains(res.Statement, statementPart) {
				return sc, res
			}
		}
	}
	t.Fatalf("no result %q in %+v", statementPart, r.Scenarios)
	return report.Scenario{}, report.Result{}
}

func TestFromGinkgo(t *testing.T) {
	r := fromFixture(t)
	if r.Format != report.Format || r.Mode != "live" || r.Contract.APIVersion != "2025-12-15-preview" || r.Target.Subscription != "****4444" {
		t.Fatalf("run: %+v", r)
	}
	if !strings.HasPrefix(r.Contract.SchemaDigest, "sha256:") || len(r.Contract.SchemaDigest) != 7+64 {
		t.Errorf("schema digest %q", r.Contract.SchemaDigest)
	}
	if r.DurationSeconds != 3 {
		t.Errorf("duration %v, want 3 (first start to last end)", r.DurationSeconds)
	}
	want := map[report.State]int{report.Pass: 0, report.Drift: 1, report.Fail: 1, report.Skip: 1, report.Error: 3}
	for s, n := range want {
		if r.Summary.States[s] != n {
			t.Errorf("%s: %d, want %d (summary %+v)", s, r.Summary.States[s], n, r.Summary)
		}
	}
	if r.Summary.Total != 6 {
		t.Errorf("total %d, want 6: the specs the label filter and --skip excluded are not part of the run", r.Summary.Total)
	}
	if got := r.Summary.Levels["MUST"][report.Fail]; got != 1 {
		t.Errorf("MUST fail %d, want 1", got)
	}
	if got := r.Summary.Levels["SHOULD"][report.Skip]; got != 1 {
		t.Errorf("SHOULD skip %d, want 1", got)
	}

	sc, res := find(t, r, "createdAt")
	if sc.Name != "ok" || sc.Group != "response" {
		t.Errorf("the spec after the scenario's first belongs to its scenario: %q/%q", sc.Group, sc.Name)
	}
	if res.State != report.Fail || res.Level != "MUST" || res.Pointer != "/primaryKey/createdAt" || len(res.Violations) != 1 {
		t.Errorf("failure: %+v", res)
	}
	if res.Location != "internal/suite/suite.go:7" {
		t.Errorf("location %q, want relative to the root", res.Location)
	}
	if sc.State != report.Fail || sc.Exchange == nil || sc.Exchange.Response.Status != 200 {
		t.Errorf("scenario: %+v", sc)
	}
	if len(sc.Drift) != 2 || sc.Drift[0] != "#1 header x-ms-new is new" {
		t.Errorf("drift: %q", sc.Drift)
	}
	if _, res := find(t, r, "x-ms-request-id"); res.State != report.Skip || res.Pointer != "/headers/x-ms-request-id" || res.Violations[0].Level != "SHOULD" {
		t.Errorf("warning: %+v", res)
	}
	if sc, res := find(t, r, "answers 401"); res.State != report.Error || sc.Name != "error-no-token" {
		t.Errorf("harness error: %+v in %q", res, sc.Name)
	}
	if sc, res := find(t, r, "BeforeSuite"); res.State != report.Error || res.Location != "suite.go:3" || !strings.Contains(sc.Name, "setup") ||
		!strings.Contains(res.Message, "(76 specs of the suite did not run)") {
		t.Errorf("failed setup: %+v in %q (a file outside the root goes by its base name)", res, sc.Name)
	}
	// The harness kept it from running: an Error, not a skip.
	if _, res := find(t, r, "answers 404"); res.State != report.Error || !strings.Contains(res.Message, "setup failed (configuration: LISTKEYS_WORKSPACE is missing)") {
		t.Errorf("skipped by the failed setup: %+v", res)
	}
	if r.Scenarios[0].State != report.Error {
		t.Errorf("scenarios are worst first: %q first", r.Scenarios[0].State)
	}
	if len(r.Registry) != 3 {
		t.Errorf("registry holds the checks named: %+v", r.Registry)
	}
}

func TestEveryReportWeWriteValidates(t *testing.T) {
	for name, r := range map[string]report.Report{"fixture": fromFixture(t), "empty": report.FromGinkgo(nil, report.Options{})} {
		data, err := r.JSON()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := report.Validate(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if bytes.Contains(data, []byte(root)) {
			t.Errorf("%s: an absolute path in report.json", name)
		}
		back, err := report.Decode(data)
		if err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
		again, err := back.JSON()
		if err != nil || !bytes.Equal(again, data) {
			t.Errorf("%s: a saved report does not re-render the same (%v)", name, err)
		}
	}
}

// The schema can fail: each mutant of a valid report.json is refused.
func TestSchemaRefuses(t *testing.T) {
	data, err := fromFixture(t).JSON()
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(m map[string]any){
		"another format": func(m map[string]any) { m["format"] = "listkeys-conformance/report/v2" },
		"an unmasked id": func(m map[string]any) {
			m["target"].(map[string]any)["subscription"] = "00000000-1111-2222-3333-444444444444"
		},
		"an absolute path":  func(m map[string]any) { result(m)["location"] = "/home/me/suites/x_test.go:3" },
		"an unknown state":  func(m map[string]any) { result(m)["state"] = "passed" },
		"a bad pointer":     func(m map[string]any) { result(m)["pointer"] = "primaryKey" },
		"a member too many": func(m map[string]any) { m["extra"] = true },
		"a count missing":   func(m map[string]any) { delete(m["summary"].(map[string]any)["states"].(map[string]any), "drift") },
		"no scenarios":      func(m map[string]any) { delete(m, "scenarios") },
		"a negative total":  func(m map[string]any) { m["summary"].(map[string]any)["total"] = -1 },
		"a status not HTTP": func(m map[string]any) { exchange(m)["response"].(map[string]any)["status"] = "200" },
	} {
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		mutant, _ := json.Marshal(m)
		if report.Validate(mutant) == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}

func result(m map[string]any) map[string]any {
	return m["scenarios"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
}

func exchange(m map[string]any) map[string]any {
	for _, sc := range m["scenarios"].([]any) {
		if ex, ok := sc.(map[string]any)["exchange"]; ok {
			return ex.(map[string]any)
		}
	}
	panic("no exchange in the fixture")
}

func TestDecodeRefuses(t *testing.T) {
	for name, data := range map[string]string{
		"not JSON":          "{",
		"a Ginkgo report":   `[{"SuitePath":"/x"}]`,
		"another format":    `{"format":"other"}`,
		"v1 but incomplete": `{"format":"listkeys-conformance/report/v1"}`,
	} {
		if _, err := report.Decode([]byte(data)); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

func TestReason(t *testing.T) {
	for msg, want := range map[string]string{
		"Unexpected error:\n    <*fmt.wrapError | 0xc0>: \n    recording: cassette x.yaml: no such file\n    {": "Unexpected error: recording: cassette x.yaml: no such file",
		"Expected\n    <int>: 401\nto equal\n    <int>: 200":                                                    "Expected <int>: 401 to equal <int>: 200",
		"one line": "one line",
		"configuration\nUnexpected error:\n    <*fmt.wrapError | 0x39>: \n    LISTKEYS_API_VERSION: api-version \"1999-01-01\" has no generated schemas\n    {": "configuration Unexpected error: LISTKEYS_API_VERSION: api-version \"1999-01-01\" has no generated schemas",
		"": "",
	} {
		if got := report.Reason(report.Result{Message: msg}); got != want {
			t.Errorf("Reason(%q) = %q, want %q", msg, got, want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	md := string(fromFixture(t).Markdown())
	for _, want := range []string{
		"**not conformant**: 1 failed, 3 errors",
		"| MUST | 0 | 1 | 0 | 0 | 0 | 1 |",
		"| **all** | **0** | **1** | **1** | **3** | **1** | **6** |",
		"| Fail | ` schema.format ` | ` /primaryKey/createdAt ` | response/ok |",
		"#1 header x-ms-new is new",
		"warning, SHOULD violated: headers.request-ids",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md)
		}
	}
}

func TestJUnit(t *testing.T) {
	data, err := fromFixture(t).JUnit()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Errors   int `xml:"errors,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Type    string `xml:"type,attr"`
				} `xml:"failure"`
				Error *struct{} `xml:"error"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("junit.xml does not parse: %v\n%s", err, data)
	}
	if doc.Tests != 6 || doc.Failures != 1 || doc.Errors != 3 || doc.Skipped != 1 {
		t.Errorf("totals %+v", doc)
	}
	found := false
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				found = true
				if !strings.HasPrefix(c.Name, "[schema.format] ") || c.Failure.Type != "MUST" || !strings.HasPrefix(c.Failure.Message, "schema.format at /primaryKey/createdAt: ") {
					t.Errorf("failure case %+v %+v", c, c.Failure)
				}
			}
		}
	}
	if !found {
		t.Error("no <failure>")
	}
}

// TestJUnitStates follows each state from Ginkgo's report to junit.xml: the check IDs (entries, and labels
// for a spec that never ran) as properties and in the name, the scenario and state as properties, a harness
// error as <error>, and the specs Ginkgo skipped after a BeforeAll the harness could not run as <error> too.
func TestJUnitStates(t *testing.T) {
	label := func(ids ...string) []string {
		var out []string
		for _, id := range ids {
			out = append(out, report.CheckLabel+id)
		}
		return out
	}
	refused := []string{"The server", "refuses a request without a token"}
	curl := []string{"curl"}
	beforeAll := spec(curl, "sends one request", types.SpecStateFailed, "harness error: a loopback port: no", entry(report.EntryScenario, "ok"))
	beforeAll.Failure.FailureNodeType, beforeAll.Failure.FailureNodeContext = types.NodeTypeBeforeAll, types.FailureNodeInContainer
	kept := spec(curl, "exits 0", types.SpecStateSkipped, "Spec skipped because an earlier spec in an ordered container failed")
	kept.LeafNodeLabels = label("client.exit-status")
	ordinary := spec([]string{"wget"}, "exits 0", types.SpecStateSkipped, "Spec skipped because an earlier spec in an ordered container failed")
	notHarness := spec([]string{"wget"}, "sends one request", types.SpecStateFailed, "Expected 1 request, got 2", entry(report.EntryScenario, "ok"))
	notHarness.Failure.FailureNodeType, notHarness.Failure.FailureNodeContext = types.NodeTypeBeforeAll, types.FailureNodeInContainer
	noKey := spec(refused, "returns no key", types.SpecStateFailed, "MUST violated: error.carries-no-key",
		entry(report.EntryCheck, "error.carries-no-key"), entry(report.EntryScenario, "error-no-token"))
	status := spec(refused, "answers 401", types.SpecStateFailed, "harness error: cassette x.yaml: no such file", entry(report.EntryState, "error"))
	status.LeafNodeLabels = label("scenario.status")
	suites := []types.Report{{SuitePath: root + "/suites/errors", SuiteDescription: "Errors", StartTime: t0, EndTime: t0.Add(time.Second),
		SpecReports: types.SpecReports{
			{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed},
			noKey, status,
			spec([]string{"List Keys"}, "answers 200", types.SpecStatePassed, "", entry(report.EntryScenario, "ok"),
				entry(report.EntryState, "drift"), entry(report.EntryDrift, "#1 header x-new is new")),
			spec([]string{"List Keys"}, "warns", types.SpecStateSkipped, "warning, SHOULD violated"),
			beforeAll, kept, notHarness, ordinary,
		}}}
	data, err := report.FromGinkgo(throughJSON(t, suites), report.Options{Root: root}).JUnit()
	if err != nil {
		t.Fatal(err)
	}
	xml := string(data)
	for _, want := range []string{
		`tests="8" failures="2" errors="3" skipped="2"`,
		`name="[client.exit-status] curl exits 0"`,
		`<error message="client.exit-status: not run: its container&#39;s setup failed (harness error: a loopback port: no)" type="harness"`,
		`<property name="check" value="client.exit-status">`,
		`name="[error.carries-no-key] The server refuses a request without a token returns no key"`,
		`<property name="check" value="error.carries-no-key">`,
		`<property name="scenario" value="error-no-token">`,
		`<failure message="error.carries-no-key: MUST violated: error.carries-no-key" type="MUST"`,
		`<error message="scenario.status: harness error: cassette x.yaml: no such file" type="harness"`,
		`<property name="check" value="scenario.status">`,
		`<property name="state" value="drift">`,
		"#1 header x-new is new",
		`<skipped message="warning, SHOULD violated">`,
		`<skipped message="Spec skipped because an earlier spec in an ordered container failed">`,
	} {
		if !strings.Contains(xml, want) {
			t.Errorf("JUnit lacks %s:\n%s", want, xml)
		}
	}
	if strings.Contains(xml, "BeforeSuite") {
		t.Error("a passing setup node is no test case")
	}
}

func TestSummary(t *testing.T) {
	var b strings.Builder
	fromFixture(t).WriteSummary(&b, []string{"reports/report.json"})
	out := b.String()
	for _, want := range []string{
		"live mode, api-version 2025-12-15-preview, 6 results",
		"  LISTKEYS_MODE=live\n",
		"  all           0      1      1      3      1      6\n",
		"FAIL  schema.format at /primaryKey/createdAt [response/ok]",
		"ERROR (no check ID) [response/error-no-token]",
		"     1  warning, SHOULD violated",
		"  ok: #1 header x-ms-new is new\n",
		"reports: reports/report.json\n",
		"\nlive: 1 passed, 4 failed, 1 skipped\n", // the plain count CI reads: errors are failures, drift passes
		"NOT CONFORMANT: 1 failed, 3 errors",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "configuration (secrets masked)") != 1 {
		t.Errorf("the configuration is echoed once:\n%s", out)
	}
}

// report.html fetches nothing: no external reference, and a policy that forbids any fetch.
func TestHTMLSelfContained(t *testing.T) {
	page, err := fromFixture(t).HTML()
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if !strings.Contains(html, `content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`) {
		t.Error("no Content-Security-Policy forbidding fetches")
	}
	if m := regexp.MustCompile(`(?i)(src|href|action)\s*=|url\(|@import|<link|<iframe|<img`).FindString(html); m != "" {
		t.Errorf("report.html references something outside itself: %q", m)
	}
	for _, want := range []string{`data-level="all" data-state="fail"><strong>1</strong>`, `data-level="all" data-state="total"><strong>6</strong>`, "/primaryKey/createdAt", "Evidence: the sanitized request and answer (POST → 200)", "#1 header x-ms-new is new"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if strings.Index(html, "Error</span> error-no-token") > strings.Index(html, "Drift</span> ok") && strings.Contains(html, "Drift</span> ok") {
		t.Error("failures first")
	}
}

// A failure message that quotes the body a live run got, keys included, reaches no report.
func TestSecretsInMessagesAreScrubbed(t *testing.T) {
	const key = "cHJpbWFyeS10ZXN0LWtleS1ub3QtYS1zZWNyZXQtMDAwMDAwMDA="
	const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQifQ.c2lnbmF0dXJl"
	suites := ginkgoFixture()
	for i := range suites[0].SpecReports {
		s := &suites[0].SpecReports[i]
		if s.State.Is(types.SpecStateFailed) {
			s.Failure.Message += `body: {"primaryKey":{"key":"` + key + `"},"primaryConnectionString":"SubscriptionId=x;ApiKey=` + key + `;"} ` +
				"Authorization: Bearer " + jwt + " x-ms-quantum-api-key: " + key
		}
	}
	r := report.FromGinkgo(throughJSON(t, suites), report.Options{Root: root})
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	page, _ := r.HTML()
	junit, _ := r.JUnit()
	for name, out := range map[string][]byte{"report.json": data, "report.html": page, "report.md": r.Markdown(), "junit.xml": junit} {
		if bytes.Contains(out, []byte(key)) || bytes.Contains(out, []byte("c2lnbmF0dXJl")) {
			t.Errorf("%s holds a secret the failure message quoted", name)
		}
		// The renderings escape markup: read them as text, so that an escaped placeholder reads as one.
		if findings := recording.ScanForSecrets([]byte(html.UnescapeString(string(out)))); len(findings) > 0 {
			t.Errorf("%s: %v", name, findings)
		}
	}
	if !bytes.Contains(data, []byte("ApiKey=<redacted:listkeys-conformance>;")) {
		t.Errorf("the message lost its shape while scrubbed:\n%s", data)
	}
}
