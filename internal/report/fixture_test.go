package report_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
)

const root = "/work/repo"

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

func entry(name string, value any) types.ReportEntry {
	return types.ReportEntry{Name: name, Value: types.WrapEntryValue(value)}
}

func spec(containers []string, text string, state types.SpecState, msg string, entries ...types.ReportEntry) types.SpecReport {
	s := types.SpecReport{
		ContainerHierarchyTexts: containers,
		LeafNodeType:            types.NodeTypeIt,
		LeafNodeText:            text,
		LeafNodeLocation:        types.CodeLocation{FileName: root + "/suites/response/01_keys_test.go", LineNumber: 20},
		State:                   state,
		StartTime:               t0,
		EndTime:                 t0.Add(time.Millisecond),
		RunTime:                 time.Millisecond,
		ReportEntries:           entries,
	}
	if msg != "" {
		s.Failure = types.Failure{Message: msg, Location: types.CodeLocation{FileName: root + "/internal/suite/suite.go", LineNumber: 7}}
	}
	return s
}

const exchangeJSON = `{"request":{"method":"POST","url":"https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws/listKeys?api-version=2025-12-15-preview","headers":{"Authorization":["Bearer <redacted:listkeys-conformance>"]}},"response":{"status":200,"headers":{"Content-Type":["application/json; charset=utf-8"]},"body":"{\"apiKeyEnabled\":true}"}}`

// fixture is a Ginkgo JSON report with one of everything: a pass, a MUST failure with a JSON Pointer, a SHOULD
// warning (skipped), a harness error, a drift, a spec the label filter excluded, and a suite whose setup
// failed, in Ginkgo's own types.
func ginkgoFixture() []types.Report {
	keys := []string{"List Keys on the workspace under test"}
	run := report.Run{
		Mode: "live", APIVersion: "2025-12-15-preview", Strict: false,
		Target:        report.Target{Endpoint: "https://management.azure.com", Subscription: "****4444", ResourceGroup: "rg", Workspace: "ws"},
		Configuration: []report.Setting{{Name: "LISTKEYS_MODE", Value: "live"}, {Name: "AZURE_SUBSCRIPTION_ID", Value: "****4444"}},
	}
	runJSON, _ := json.Marshal(run)
	setup := types.SpecReport{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed,
		ReportEntries: []types.ReportEntry{entry(report.EntryRun, string(runJSON))}}
	filtered := spec([]string{"The Azure CLI"}, "exits 0", types.SpecStateSkipped, "")
	filtered.ContainerHierarchyLabels = [][]string{{"clients"}}
	response := types.Report{
		SuitePath: root + "/suites/response", SuiteDescription: "Response", StartTime: t0, EndTime: t0.Add(1500 * time.Millisecond),
		SuiteConfig: types.SuiteConfig{LabelFilter: "!clients", SkipStrings: []string{"slow"}},
		SpecReports: types.SpecReports{
			setup,
			spec(keys, "answers 200 OK", types.SpecStatePassed, "",
				entry(report.EntryScenario, "ok"), entry(report.EntryCheck, "response.status"), entry(report.EntryExchange, exchangeJSON),
				entry(report.EntryState, "drift"), entry(report.EntryDrift, "#1 header x-ms-new is new\n#1 body member /extra is new")),
			spec(keys, "returns each key's createdAt as an RFC 3339 date-time", types.SpecStateFailed,
				"Expected the ListKeysResult not to have a violation of schema.format at \"/primaryKey/createdAt\"; it has:\n  MUST schema.format at \"/primaryKey/createdAt\": \"2024-03-01\" is not an RFC 3339 date-time\n",
				entry(report.EntryCheck, "schema.format")),
			spec(keys, "carries x-ms-request-id", types.SpecStateSkipped,
				`warning, SHOULD violated: headers.request-ids at "/headers/x-ms-request-id": missing`,
				entry(report.EntryCheck, "headers.request-ids")),
			spec([]string{"The server", "refuses a request without a token"}, "answers 401", types.SpecStateFailed,
				"harness error: cassette cassettes/x/error-no-token.yaml: not found", entry(report.EntryScenario, "error-no-token"), entry(report.EntryState, "error")),
			filtered,
			spec(keys, "is slow", types.SpecStateSkipped, ""),
		},
	}
	broken := types.Report{
		SuitePath: root + "/suites/errors", StartTime: t0.Add(2 * time.Second), EndTime: t0.Add(3 * time.Second),
		PreRunStats: types.PreRunStats{TotalSpecs: 77, SpecsThatWillRun: 77},
		SpecReports: types.SpecReports{
			{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStateFailed,
				Failure: types.Failure{Message: "configuration: LISTKEYS_WORKSPACE is missing", Location: types.CodeLocation{FileName: "/elsewhere/suite.go", LineNumber: 3}}},
			spec([]string{"The server"}, "answers 404", types.SpecStateSkipped, ""),
		},
	}
	return []types.Report{response, broken}
}

// fixture is the fixture as FromGinkgo reads it: through JSON, as the file ginkgo writes.
func fixture(t testing.TB) []report.GinkgoSuite { return throughJSON(t, ginkgoFixture()) }

// throughJSON writes Ginkgo's report as ginkgo --json-report does and reads it back with ReadGinkgo.
func throughJSON(t testing.TB, suites []types.Report) []report.GinkgoSuite {
	t.Helper()
	data, err := json.Marshal(suites)
	if err != nil {
		t.Fatal(err)
	}
	read, err := report.ReadGinkgo(data)
	if err != nil {
		t.Fatal(err)
	}
	return read
}

func fromFixture(t *testing.T) report.Report {
	t.Helper()
	return report.FromGinkgo(fixture(t), report.Options{Tool: report.Tool{Name: "listkeys-conformance", Version: "test"}, Root: root})
}
