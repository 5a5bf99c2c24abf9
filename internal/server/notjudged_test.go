package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

// A body a recorder's sanitizer broke gets the verdict validate and validate --recording give it: not
// judged, with the same reason, and no violation.
func TestProxyDoesNotJudgeASanitizerBrokenBody(t *testing.T) {
	up, _ := recordingUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"apiKeyEnabled":REDACTED,"primaryKey":{"key":"REDACTED"}}`))
	}))
	h := start(t, server.Config{Upstream: mustURL(t, up.URL)})
	call(t, h.http.Client(), http.MethodPost, h.http.URL+workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion, http.Header{"Authorization": {validAuth}}, nil)
	e := h.last(t)
	const reason = "the body is not JSON: an unquoted placeholder REDACTED at byte 17; the recorder's sanitizer broke the JSON"
	if e.NotJudged != reason || len(e.Response.Violations) != 0 || len(e.Failed) != 0 {
		t.Errorf("entry not judged %q, violations %+v, failed %v", e.NotJudged, e.Response.Violations, e.Failed)
	}
	if !strings.Contains(h.log.String(), "NOT-JUDGED "+reason) {
		t.Errorf("log %q", h.log.String())
	}
	v1 := h.srv.Report().V1()
	if v1.Summary.States[report.Pass] != 0 || v1.Summary.States[report.Skip] != 1 || !strings.Contains(v1.Scenarios[0].Results[0].Message, "not judged: "+reason) {
		t.Errorf("report.json must show it not judged (skipped), never passed: %+v %+v", v1.Summary, v1.Scenarios)
	}
	junit, err := h.srv.Report().JUnit()
	if err != nil || !strings.Contains(string(junit), `<skipped message="not judged: the body is not JSON`) {
		t.Errorf("JUnit must show it skipped: %v\n%s", err, junit)
	}
}
