package suite_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

// The entries a suite leaves for `listkeys-conformance report`, from a replay of the committed ok cassette.
func TestEntries(t *testing.T) {
	t.Setenv("LISTKEYS_MODE", "replay")
	RegisterFailHandler(Fail)
	RunSpecs(t, "suite: the report entries the suites emit")
}

var _ = BeforeSuite(func() { suite.Setup() })

func entryValues(entries types.ReportEntries, name string) []string {
	var out []string
	for _, e := range entries {
		if e.Name == name {
			out = append(out, e.GetRawValue().(string))
		}
	}
	return out
}

var _ = It("names the scenario and keeps its exchange, sanitized, as evidence", func(ctx SpecContext) {
	res := suite.Judged(ctx, scenarios.OK)
	entries := CurrentSpecReport().ReportEntries
	Expect(entryValues(entries, report.EntryScenario)).To(Equal([]string{"ok"}))
	exchanges := entryValues(entries, report.EntryExchange)
	Expect(exchanges).To(HaveLen(1))
	var ex report.Exchange
	Expect(json.Unmarshal([]byte(exchanges[0]), &ex)).To(Succeed())
	Expect(ex.Request.Method).To(Equal("POST"))
	Expect(ex.Request.URL).To(ContainSubstring("/listKeys?api-version="))
	Expect(ex.Response.Status).To(Equal(res.Status))
	Expect(ex.Response.Body).To(ContainSubstring("<redacted:listkeys-conformance>"))
	Expect(strings.Join(ex.Request.Headers["Authorization"], "")).NotTo(ContainSubstring("replay-mode-token"))
	Expect(entryValues(entries, report.EntryState)).To(BeEmpty(), "replay compares nothing with the committed cassette")
})

var _ = ReportAfterSuite("the run's configuration, once per suite, masked and with relative paths", func(r Report) {
	var runs []report.Run
	for _, spec := range r.SpecReports {
		for _, v := range entryValues(spec.ReportEntries, report.EntryRun) {
			var run report.Run
			Expect(json.Unmarshal([]byte(v), &run)).To(Succeed())
			runs = append(runs, run)
		}
	}
	Expect(runs).To(HaveLen(1))
	Expect(runs[0].Mode).To(Equal("replay"))
	Expect(runs[0].Target.Subscription).To(HavePrefix("****"))
	Expect(runs[0].Configuration).To(ContainElement(report.Setting{Name: "LISTKEYS_CASSETTES", Value: "cassettes/2025-12-15-preview"}))
})

// A failure message shows the answer's body, which in record and live mode holds the real keys: redacted.
var _ = It("shows a failure's body with its keys redacted", func() {
	key := strings.Repeat("k", 76) + "AZQU" + "kkkkkk"
	res := &scenarios.Result{Exchange: &arm.Exchange{}}
	res.Exchange.Exchange = contract.Exchange{Status: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"apiKeyEnabled":true,"primaryKey":{"createdAt":"2025-03-04T23:03:39Z","key":"` + key +
		`"},"primaryConnectionString":"SubscriptionId=00000000-1111-2222-3333-444444444444;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=` + key + `;QuantumEndpoint=https://westus.quantum.azure.com/;"}`)}
	body := string(suite.SafeBody(res))
	Expect(body).NotTo(ContainSubstring(key))
	Expect(body).To(ContainSubstring(`"key":"` + contract.Redacted + `"`))
})
