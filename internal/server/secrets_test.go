package server_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

// Canaries: if any of these shows up in a log, a report or a report file, a secret has leaked.
const (
	canaryPrimary   = "CANARYprimaryKEY0000000000000000000000000000="
	canarySecondary = "CANARYsecondaryKEY00000000000000000000000000="
	canaryToken     = "CANARY-bearer-token-0000"
	canaryBare      = "CANARY-bare-credential-0000"
	canaryQuery     = "CANARY-query-value-0000"
	canaryDataKey   = "CANARY-data-plane-key-0000"
)

var canaries = []string{canaryPrimary, canarySecondary, canaryToken, canaryBare, canaryQuery, canaryDataKey}

func assertNoCanary(t *testing.T, where, text string) {
	t.Helper()
	for _, c := range canaries {
		if strings.Contains(text, c) {
			t.Errorf("%s leaks the canary %s", where, c)
		}
	}
}

func TestSecretsNeverReachLogOrReport(t *testing.T) {
	cfg := emulator.DefaultConfig()
	cfg.Workspaces[0].PrimaryKey, cfg.Workspaces[0].SecondaryKey = canaryPrimary, canarySecondary
	cfg.Tokens[canaryToken] = emulator.Valid
	h := start(t, server.Config{Emulator: &cfg})

	ok := workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion
	got := h.post(t, ok+"&code="+canaryQuery, http.Header{"Authorization": {"Bearer " + canaryToken}, "X-Ms-Quantum-Api-Key": {canaryDataKey}}, nil)
	if got.status != 200 || !strings.Contains(string(got.body), canaryPrimary) {
		t.Fatalf("the client should get the canary keys (the server passes answers through): %d %s", got.status, got.body)
	}
	// A credential without a scheme is quoted by the request.authorization message.
	h.post(t, ok, auth(canaryBare), nil)
	h.post(t, workspacePath(canaryPrimary), auth(validAuth), nil)

	assertNoCanary(t, "the log", h.log.String())
	live := call(t, h.http.Client(), http.MethodGet, h.http.URL+server.ReportPath, nil, nil)
	assertNoCanary(t, server.ReportPath, string(live.body))
	if !strings.Contains(string(live.body), "request.authorization") {
		t.Errorf("the report lost the verdicts while masking: %s", live.body)
	}
	dir := t.TempDir()
	paths, err := h.srv.Report().WriteFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		assertNoCanary(t, filepath.Base(p), string(data))
	}
}

// TestSecretsQuotedByViolationsAreMasked makes a non-conformant upstream put keys where the checks quote
// values: a misplaced key in a date-time, a malformed connection string.
func TestSecretsQuotedByViolationsAreMasked(t *testing.T) {
	body := `{"apiKeyEnabled":true,` +
		`"primaryKey":{"createdAt":"` + canaryPrimary + `","key":"` + canaryPrimary + `"},` +
		`"secondaryKey":{"createdAt":"2023-11-13T23:06:09Z","key":"` + canarySecondary + `"},` +
		`"primaryConnectionString":"ApiKey=` + canaryPrimary + `;broken",` +
		`"secondaryConnectionString":"SubscriptionId=x;ResourceGroupName=y;WorkspaceName=z;ApiKey=` + canarySecondary + `;QuantumEndpoint=nope;"}`
	up, _ := recordingUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	h := start(t, server.Config{Upstream: mustURL(t, up.URL)})
	h.post(t, workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion, auth(validAuth), nil)

	e := h.last(t)
	if e.Conformant || !e.Response.HasCheck("schema.format", "/primaryKey/createdAt") {
		t.Fatalf("the bad createdAt was not reported: %+v", e.Response)
	}
	report := call(t, h.http.Client(), http.MethodGet, h.http.URL+server.ReportPath, nil, nil)
	assertNoCanary(t, server.ReportPath, string(report.body))
	assertNoCanary(t, "the log", h.log.String())
	junit, err := h.srv.Report().JUnit()
	if err != nil {
		t.Fatal(err)
	}
	assertNoCanary(t, "the JUnit report", string(junit))
}
