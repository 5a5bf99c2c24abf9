package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

const apiVersion = "api-version=2025-12-15-preview"

var validAuth = "Bearer " + emulator.ValidToken

func keysPath(sub, group, workspace string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + group + "/providers/Microsoft.Quantum/workspaces/" + workspace + "/listKeys"
}

func workspacePath(workspace string) string {
	return keysPath(emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, workspace)
}

// clock is a settable clock, so the Retry-After tests need not sleep.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// syncBuffer is a log that concurrent handlers may write while a test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type harness struct {
	srv  *server.Server
	http *httptest.Server
	log  *syncBuffer
}

// start serves cfg's server on a loopback port; the log goes to a buffer the test can read.
func start(t *testing.T, cfg server.Config) *harness {
	t.Helper()
	log := &syncBuffer{}
	cfg.Log = log
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &harness{srv: srv, http: hs, log: log}
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

// call sends one request; header values replace the client's defaults, and a nil body sends none.
func call(t *testing.T, client *http.Client, method, url string, header http.Header, body []byte) answer {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatalf("building %s %s: %v", method, url, err)
	}
	for name, values := range header {
		req.Header[name] = values
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the answer of %s %s: %v", method, url, err)
	}
	return answer{resp.StatusCode, resp.Header, data}
}

func (h *harness) post(t *testing.T, target string, header http.Header, body []byte) answer {
	t.Helper()
	return call(t, h.http.Client(), http.MethodPost, h.http.URL+target, header, body)
}

// last returns the newest report entry.
func (h *harness) last(t *testing.T) server.Entry {
	t.Helper()
	r := h.srv.Report()
	if len(r.Requests) == 0 {
		t.Fatal("the report has no entries")
	}
	return r.Requests[len(r.Requests)-1]
}

func auth(value string) http.Header { return http.Header{"Authorization": {value}} }

func TestRequestVerdicts(t *testing.T) {
	tests := []struct {
		name         string
		strict       bool
		target       string
		header       http.Header
		body         []byte
		wantStatus   int
		wantCode     string
		wantOK       bool
		wantFailed   []string
		wantWarnings []string
	}{
		{name: "a conformant request is answered and recorded as conformant",
			target: workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion, header: auth(validAuth),
			wantStatus: 200, wantOK: true},
		{name: "a request without Authorization gets ARM's 401 and fails request.authorization",
			target:     workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion,
			wantStatus: 401, wantCode: "AuthenticationFailed", wantFailed: []string{"request.authorization"}},
		{name: "an api-version not served gets ARM's 400 and a request.api-version warning",
			target: workspacePath(emulator.DefaultWorkspace) + "?api-version=2020-01-01", header: auth(validAuth),
			wantStatus: 400, wantCode: "NoRegisteredProviderFound", wantOK: true, wantWarnings: []string{"request.api-version"}},
		{name: "a malformed api-version gets ARM's 400 and a request.api-version warning",
			target: workspacePath(emulator.DefaultWorkspace) + "?api-version=latest", header: auth(validAuth),
			wantStatus: 400, wantCode: "InvalidApiVersionParameter", wantOK: true, wantWarnings: []string{"request.api-version"}},
		{name: "a request without api-version fails request.parameter",
			target: workspacePath(emulator.DefaultWorkspace), header: auth(validAuth),
			wantStatus: 400, wantCode: "MissingApiVersionParameter", wantFailed: []string{"request.parameter"}},
		{name: "a request with a body is answered and warned about with request.body",
			target: workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion, header: auth(validAuth), body: []byte(`{}`),
			wantStatus: 200, wantOK: true, wantWarnings: []string{"request.body"}},
		{name: "with strict, a request with a body fails request.body", strict: true,
			target: workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion, header: auth(validAuth), body: []byte(`{}`),
			wantStatus: 200, wantFailed: []string{"request.body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := start(t, server.Config{Strict: tt.strict})
			got := h.post(t, tt.target, tt.header, tt.body)
			if got.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", got.status, tt.wantStatus, got.body)
			}
			e := h.last(t)
			if e.Status != tt.wantStatus || e.ErrorCode != tt.wantCode || e.Conformant != tt.wantOK {
				t.Errorf("entry status %d code %q conformant %v; want %d %q %v", e.Status, e.ErrorCode, e.Conformant, tt.wantStatus, tt.wantCode, tt.wantOK)
			}
			if !equalIDs(e.Failed, tt.wantFailed) || !equalIDs(e.Warnings, tt.wantWarnings) {
				t.Errorf("failed %v warnings %v; want %v %v\nrequest verdict %+v\nresponse verdict %+v", e.Failed, e.Warnings, tt.wantFailed, tt.wantWarnings, e.Request, e.Response)
			}
			if len(e.Response.Violations) != 0 {
				t.Errorf("the emulator's answer was judged non-conformant: %+v", e.Response.Violations)
			}
			if !strings.Contains(h.log.String(), " "+e.Method+" ") || strings.Count(h.log.String(), "\n") != 1 {
				t.Errorf("want one log line for the request, got %q", h.log.String())
			}
		})
	}
}

func equalIDs(got, want []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	return slices.Equal(got, want)
}

func TestLogLineNamesStatusVerdictAndChecks(t *testing.T) {
	h := start(t, server.Config{})
	h.post(t, workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion, nil, nil)
	line := h.log.String()
	for _, want := range []string{"#1 POST " + workspacePath(emulator.DefaultWorkspace) + " 401 AuthenticationFailed NOT-CONFORMANT failed=request.authorization"} {
		if !strings.Contains(line, want) {
			t.Errorf("log line %q does not contain %q", line, want)
		}
	}
	if strings.Contains(line, "api-version") {
		t.Errorf("the log line should name the path only, not the query: %q", line)
	}
}

// TestScenarios plays every row of the documented table against the default emulator, so the table and the
// emulator cannot drift apart.
func TestScenarios(t *testing.T) {
	type request struct {
		method, target, authorization string
		body                          []byte
	}
	ok := func(workspace string) request {
		return request{"POST", workspacePath(workspace) + "?" + apiVersion, validAuth, nil}
	}
	regenerate := strings.TrimSuffix(workspacePath(emulator.RotationWorkspace), "listKeys") + "regenerateKey?" + apiVersion
	requests := map[string]request{
		"ok":                      ok(emulator.DefaultWorkspace),
		"keys-disabled":           ok(emulator.KeysDisabledWorkspace),
		"throttled-once":          ok(emulator.ThrottledOnceWorkspace),
		"transient-503":           ok(emulator.Transient503Workspace),
		"transient-500":           ok(emulator.Transient500Workspace),
		"internal-error":          ok(emulator.InternalErrorWorkspace),
		"throttled":               ok(emulator.ThrottledWorkspace),
		"keys-disabled-empty":     ok(emulator.KeysWithheldWorkspace),
		"unknown-workspace":       ok("someone-elses"),
		"rotation":                {"POST", regenerate, validAuth, []byte(`{"keys":["Primary"]}`)},
		"regenerate-no-body":      {"POST", regenerate, validAuth, nil},
		"unknown-resource-group":  {"POST", keysPath(emulator.DefaultSubscriptionID, "otherGroup", emulator.DefaultWorkspace) + "?" + apiVersion, validAuth, nil},
		"invalid-resource-group":  {"POST", keysPath(emulator.DefaultSubscriptionID, "bad%21group", emulator.DefaultWorkspace) + "?" + apiVersion, validAuth, nil},
		"unknown-subscription":    {"POST", keysPath("AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE", emulator.DefaultResourceGroup, emulator.DefaultWorkspace) + "?" + apiVersion, validAuth, nil},
		"invalid-subscription":    {"POST", keysPath("not-a-guid", emulator.DefaultResourceGroup, emulator.DefaultWorkspace) + "?" + apiVersion, validAuth, nil},
		"missing-api-version":     {"POST", workspacePath(emulator.DefaultWorkspace), validAuth, nil},
		"invalid-api-version":     {"POST", workspacePath(emulator.DefaultWorkspace) + "?api-version=latest", validAuth, nil},
		"unsupported-api-version": {"POST", workspacePath(emulator.DefaultWorkspace) + "?api-version=2020-01-01", validAuth, nil},
		"no-token":                {"POST", workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion, "", nil},
		"malformed-authorization": {"POST", workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion, "Basic dXNlcjpwYXNz", nil},
		"invalid-token":           {"POST", workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion, "Bearer nobody-knows-me", nil},
		"expired-token":           {"POST", workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion, "Bearer " + emulator.ExpiredToken, nil},
		"wrong-audience-token":    {"POST", workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion, "Bearer " + emulator.WrongAudienceToken, nil},
		"no-permission":           {"POST", workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion, "Bearer " + emulator.NoPermissionToken, nil},
		"wrong-method":            {"GET", workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion, validAuth, nil},
		"unknown-path":            {"POST", "/subscriptions/" + emulator.DefaultSubscriptionID + "?" + apiVersion, validAuth, nil},
	}
	scenarios := server.Scenarios()
	if len(scenarios) != len(requests) {
		t.Errorf("the table has %d scenarios; this test plays %d", len(scenarios), len(requests))
	}
	h := start(t, server.Config{})
	for _, s := range scenarios {
		t.Run(s.Name, func(t *testing.T) {
			req, known := requests[s.Name]
			if !known {
				t.Fatalf("no request for scenario %q: add one to this test", s.Name)
			}
			send := func() answer {
				var header http.Header
				if req.authorization != "" {
					header = auth(req.authorization)
				}
				return call(t, h.http.Client(), req.method, h.http.URL+req.target, header, req.body)
			}
			got := send()
			if got.status != s.Status || codeOf(got.body) != s.Code {
				t.Errorf("first answer %d %q, the table says %d %q: %s", got.status, codeOf(got.body), s.Status, s.Code, got.body)
			}
			if s.Then != 0 {
				if again := send(); again.status != s.Then {
					t.Errorf("the retry got %d, the table says %d", again.status, s.Then)
				}
			}
		})
	}
}

func codeOf(body []byte) string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	json.Unmarshal(body, &e)
	return e.Error.Code
}

func TestRetryAfterWait(t *testing.T) {
	throttled := workspacePath(emulator.ThrottledOnceWorkspace) + "?" + apiVersion
	tests := []struct {
		name       string
		strict     bool
		wait       time.Duration
		wantWaited bool
		wantOK     bool
	}{
		{name: "a client that retries at once has not waited (a warning)", wait: 0, wantWaited: false, wantOK: true},
		{name: "with strict, a client that retries too soon fails", strict: true, wait: 999 * time.Millisecond, wantWaited: false, wantOK: false},
		{name: "a client that waits Retry-After has waited", wait: time.Second, wantWaited: true, wantOK: true},
		{name: "a client that waits longer has waited", wait: 3 * time.Second, wantWaited: true, wantOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock()
			h := start(t, server.Config{Now: c.Now, Strict: tt.strict})
			if got := h.post(t, throttled, auth(validAuth), nil); got.status != 429 || got.header.Get("Retry-After") != "1" {
				t.Fatalf("first call: %d Retry-After %q, want 429 with Retry-After 1", got.status, got.header.Get("Retry-After"))
			}
			c.Advance(tt.wait)
			if got := h.post(t, throttled, auth(validAuth), nil); got.status != 200 {
				t.Fatalf("retry: %d, want 200", got.status)
			}
			e := h.last(t)
			if e.Retry == nil {
				t.Fatalf("the retry's entry says nothing about the wait: %+v", e)
			}
			if e.Retry.After != 1 || e.Retry.RetryAfter != "1" || e.Retry.RequiredSeconds != 1 || e.Retry.WaitedSeconds != tt.wait.Seconds() {
				t.Errorf("retry %+v; want after #1, Retry-After 1, required 1s, waited %s", *e.Retry, tt.wait)
			}
			if e.Retry.WaitedEnough != tt.wantWaited || e.Conformant != tt.wantOK {
				t.Errorf("waitedEnough %v conformant %v; want %v %v", e.Retry.WaitedEnough, e.Conformant, tt.wantWaited, tt.wantOK)
			}
			flagged := slices.Contains(append(e.Failed, e.Warnings...), "client.retry-after")
			if flagged == tt.wantWaited {
				t.Errorf("%s flagged %v, want %v (failed %v, warnings %v)", "client.retry-after", flagged, !tt.wantWaited, e.Failed, e.Warnings)
			}
		})
	}
}

func TestRetryAfterBindsOnlyTheSameClient(t *testing.T) {
	c := newClock()
	h := start(t, server.Config{Now: c.Now})
	throttled := workspacePath(emulator.ThrottledOnceWorkspace) + "?" + apiVersion
	h.post(t, throttled, http.Header{"Authorization": {validAuth}, "User-Agent": {"client-a"}}, nil)
	h.post(t, throttled, http.Header{"Authorization": {validAuth}, "User-Agent": {"client-b"}}, nil)
	if e := h.last(t); e.Retry != nil {
		t.Errorf("another client's request was judged as a retry: %+v", *e.Retry)
	}
	r := h.srv.Report()
	if len(r.Clients) != 2 || r.Clients[0].Name != "client-a" || r.Clients[1].Name != "client-b" {
		t.Errorf("clients %+v, want client-a and client-b", r.Clients)
	}
}

func TestReportEndpointIsNeitherForwardedNorRecorded(t *testing.T) {
	var forwarded atomic.Int32
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { forwarded.Add(1) }))
	t.Cleanup(upstream.Close)
	h := start(t, server.Config{Upstream: mustURL(t, upstream.URL)})
	got := call(t, h.http.Client(), http.MethodGet, h.http.URL+server.ReportPath, nil, nil)
	var r server.Report
	if err := json.Unmarshal(got.body, &r); err != nil || got.status != 200 {
		t.Fatalf("GET %s: %d, %v\n%s", server.ReportPath, got.status, err, got.body)
	}
	if r.Total != 0 || forwarded.Load() != 0 || r.Backend != "upstream "+upstream.URL {
		t.Errorf("total %d, forwarded %d, backend %q; want 0, 0, upstream %s", r.Total, forwarded.Load(), r.Backend, upstream.URL)
	}
	if got := call(t, h.http.Client(), http.MethodPost, h.http.URL+server.ReportPath, nil, nil); got.status != 405 {
		t.Errorf("POST %s: %d, want 405", server.ReportPath, got.status)
	}
	if got := call(t, h.http.Client(), http.MethodGet, h.http.URL+"/_conformance/other", nil, nil); got.status != 404 || forwarded.Load() != 0 {
		t.Errorf("GET /_conformance/other: %d (forwarded %d), want 404 and not forwarded", got.status, forwarded.Load())
	}
}

func TestConcurrentRequestsAreAllRecorded(t *testing.T) {
	h := start(t, server.Config{})
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			header := auth(validAuth)
			if i%2 == 1 {
				header = nil
			}
			req, _ := http.NewRequest(http.MethodPost, h.http.URL+workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion, nil)
			for k, v := range header {
				req.Header[k] = v
			}
			if resp, err := h.http.Client().Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			h.srv.Report() // readers run beside writers
		})
	}
	wg.Wait()
	r := h.srv.Report()
	seqs := map[int]bool{}
	for _, e := range r.Requests {
		seqs[e.Seq] = true
	}
	if r.Total != n || len(seqs) != n || r.NonConformant != n/2 || r.Conformant {
		t.Errorf("total %d, distinct seqs %d, non-conformant %d, conformant %v; want %d, %d, %d, false", r.Total, len(seqs), r.NonConformant, r.Conformant, n, n, n/2)
	}
	h.srv.FlushLog() // the log is buffered: its last lines are written within logFlushDelay
	if lines := strings.Count(h.log.String(), "\n"); lines != n {
		t.Errorf("%d log lines, want %d", lines, n)
	}
}

// The emulator's gzip answer reaches the client as the emulator sends it, gzip-encoded and chunked, and is
// judged unpacked; a client that does not ask for gzip gets the body as it is, with its length.
func TestGzipAnswersPassThroughChunkedAndAreJudged(t *testing.T) {
	h := start(t, server.Config{})
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, accept := range []string{"gzip", ""} {
		req, _ := http.NewRequest(http.MethodPost, h.http.URL+workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion, nil)
		req.Header.Set("Authorization", validAuth)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		resp, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		gzipped := resp.Header.Get("Content-Encoding") == "gzip"
		chunked := slices.Equal(resp.TransferEncoding, []string{"chunked"})
		if gzipped != (accept != "") || chunked != (accept != "") || (resp.ContentLength >= 0) == (accept != "") {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, Transfer-Encoding %v, length %d", accept,
				resp.Header.Get("Content-Encoding"), resp.TransferEncoding, resp.ContentLength)
		}
		if e := h.last(t); !e.Conformant || len(e.Response.Notes) != 0 {
			t.Errorf("Accept-Encoding %q: the answer was not judged conformant: %+v", accept, e)
		}
	}
}
