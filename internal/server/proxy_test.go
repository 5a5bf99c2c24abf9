package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// seen is what an upstream received.
type seen struct {
	header http.Header
	body   []byte
	uri    string
}

// recordingUpstream serves handler and keeps what each request carried.
func recordingUpstream(t *testing.T, handler http.Handler) (*httptest.Server, func() []seen) {
	t.Helper()
	var (
		mu   sync.Mutex
		reqs []seen
	)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		reqs = append(reqs, seen{r.Header.Clone(), body, r.RequestURI})
		mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		handler.ServeHTTP(w, r)
	}))
	t.Cleanup(up.Close)
	return up, func() []seen {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(reqs)
	}
}

// perCall are the emulator's headers that differ on every call by design (new ids for a request sent again).
var perCall = []string{"X-Ms-Request-Id", "X-Ms-Correlation-Request-Id", "X-Ms-Routing-Request-Id",
	"Mise-Correlation-Id", "X-Msedge-Ref", "Set-Cookie"}

func TestProxyPassesTrafficThroughUnchanged(t *testing.T) {
	cfg := emulator.DefaultConfig()
	cfg.Now = func() time.Time { return time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) }
	up, received := recordingUpstream(t, emulator.New(cfg))
	h := start(t, server.Config{Upstream: mustURL(t, up.URL)})

	target := workspacePath("QuantumWorkspace1") + "?" + apiVersion + "&extra=%2Fkept"
	header := http.Header{
		"Authorization":          {validAuth},
		"User-Agent":             {"proxy-test/1.0"},
		"Accept":                 {"application/json"},
		"X-Ms-Client-Request-Id": {"3f1c2b9e-0c64-4c1e-9d3f-1b2a3c4d5e6f"},
		"X-Custom":               {"one", "two"},
	}
	body := []byte("a body the operation does not take, \x00 byte for byte")
	direct := call(t, up.Client(), http.MethodPost, up.URL+target, header, body)
	proxied := call(t, h.http.Client(), http.MethodPost, h.http.URL+target, header, body)

	if proxied.status != direct.status || !bytes.Equal(proxied.body, direct.body) {
		t.Errorf("proxied %d %s\ndirect %d %s", proxied.status, proxied.body, direct.status, direct.body)
	}
	for _, h := range []http.Header{direct.header, proxied.header} {
		for _, name := range perCall {
			h.Del(name)
		}
	}
	if !equalHeaders(direct.header, proxied.header) {
		t.Errorf("answer headers differ\nproxied %v\ndirect  %v", proxied.header, direct.header)
	}

	reqs := received()
	if len(reqs) != 2 {
		t.Fatalf("the upstream received %d requests, want 2", len(reqs))
	}
	if !equalHeaders(reqs[0].header, reqs[1].header) || !bytes.Equal(reqs[0].body, reqs[1].body) || reqs[0].uri != reqs[1].uri {
		t.Errorf("what the upstream received differs\nproxied %s %v %q\ndirect  %s %v %q", reqs[1].uri, reqs[1].header, reqs[1].body, reqs[0].uri, reqs[0].header, reqs[0].body)
	}

	e := h.last(t)
	if e.Status != 200 || !e.Conformant || !slices.Equal(e.Warnings, []string{"request.body"}) {
		t.Errorf("entry status %d conformant %v warnings %v; want 200, true, [request.body]", e.Status, e.Conformant, e.Warnings)
	}
}

func equalHeaders(a, b http.Header) bool {
	if len(a) != len(b) {
		return false
	}
	for name, values := range a {
		if !slices.Equal(values, b[name]) {
			return false
		}
	}
	return true
}

func TestProxyDropsHopByHopHeadersOnly(t *testing.T) {
	up, received := recordingUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "X-Upstream-Hop")
		w.Header().Set("X-Upstream-Hop", "dropped")
		w.Header().Set("X-Upstream-End", "kept")
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"error":{"code":"C","message":"m"}}`))
	}))
	h := start(t, server.Config{Upstream: mustURL(t, up.URL)})
	got := call(t, h.http.Client(), http.MethodPost, h.http.URL+workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion,
		http.Header{"Authorization": {validAuth}, "Connection": {"X-Client-Hop"}, "X-Client-Hop": {"dropped"}, "Proxy-Authorization": {"Basic eDp5"}, "X-Client-End": {"kept"}}, nil)
	r := received()[0].header
	if r.Get("X-Client-Hop") != "" || r.Get("Proxy-Authorization") != "" || r.Get("X-Client-End") != "kept" || r.Get("Authorization") != validAuth {
		t.Errorf("the upstream received %v", r)
	}
	for _, name := range []string{"X-Forwarded-For", "Forwarded", "Via"} {
		if r.Get(name) != "" {
			t.Errorf("the proxy added %s: %q", name, r.Get(name))
		}
	}
	if got.header.Get("X-Upstream-Hop") != "" || got.header.Get("X-Upstream-End") != "kept" {
		t.Errorf("the client received %v", got.header)
	}
}

// TestProxyAddsNoUserAgent: a client that sends none reaches the upstream without one (Go's client would
// add its own), and one that sends its own keeps it.
func TestProxyAddsNoUserAgent(t *testing.T) {
	up, received := recordingUpstream(t, emulator.New(emulator.DefaultConfig()))
	h := start(t, server.Config{Upstream: mustURL(t, up.URL)})
	target := h.http.URL + workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion
	call(t, h.http.Client(), http.MethodPost, target, http.Header{"Authorization": {validAuth}, "User-Agent": {""}}, nil)
	call(t, h.http.Client(), http.MethodPost, target, http.Header{"Authorization": {validAuth}, "User-Agent": {"client/1"}}, nil)
	reqs := received()
	if len(reqs) != 2 {
		t.Fatalf("the upstream received %d requests, want 2", len(reqs))
	}
	if ua, ok := reqs[0].header["User-Agent"]; ok {
		t.Errorf("a request without User-Agent reached the upstream with %q", ua)
	}
	if got := reqs[1].header.Get("User-Agent"); got != "client/1" {
		t.Errorf("the client's User-Agent reached the upstream as %q", got)
	}
}

func TestProxyKeepsCompressedBodiesAndJudgesThemUnpacked(t *testing.T) {
	var packed bytes.Buffer
	zw := gzip.NewWriter(&packed)
	zw.Write([]byte(`{"error":{"code":"C"}}`)) // no message: error.code-message must be found inside the gzip
	zw.Close()
	up, _ := recordingUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(404)
		w.Write(packed.Bytes())
	}))
	h := start(t, server.Config{Upstream: mustURL(t, up.URL)})
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	got := call(t, client, http.MethodPost, h.http.URL+workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion,
		http.Header{"Authorization": {validAuth}, "Accept-Encoding": {"gzip"}}, nil)
	if !bytes.Equal(got.body, packed.Bytes()) || got.header.Get("Content-Encoding") != "gzip" {
		t.Errorf("the client got other bytes than the upstream sent (Content-Encoding %q)", got.header.Get("Content-Encoding"))
	}
	if e := h.last(t); !e.Response.HasCheck("error.code-message", "/error/message") {
		t.Errorf("the unpacked body was not judged: %+v", e.Response)
	}
}

func TestProxyReportsANonConformantUpstream(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantCheck   contract.ID
		wantPath    string
	}{
		{"a key of the wrong type", 200, "application/json", `{"apiKeyEnabled":"yes"}`, "schema.type", "/apiKeyEnabled"},
		{"an error without a message", 500, "application/json", `{"error":{"code":"Oops"}}`, "error.code-message", "/error/message"},
		{"an answer that is not JSON", 502, "text/html", `<html>bad gateway</html>`, "response.json", ""},
		{"an empty answer", 503, "", ``, "response.json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, _ := recordingUpstream(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.WriteHeader(tt.status)
				io.WriteString(w, tt.body)
			}))
			h := start(t, server.Config{Upstream: mustURL(t, up.URL)})
			got := h.post(t, workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion, auth(validAuth), nil)
			if got.status != tt.status || string(got.body) != tt.body {
				t.Errorf("the client got %d %q, want the upstream's %d %q", got.status, got.body, tt.status, tt.body)
			}
			if tt.contentType == "" && got.header.Get("Content-Type") != "" {
				t.Errorf("the proxy added Content-Type %q", got.header.Get("Content-Type"))
			}
			e := h.last(t)
			if e.Conformant || !e.Response.HasCheck(tt.wantCheck, tt.wantPath) || !slices.Contains(e.Failed, string(tt.wantCheck)) {
				t.Errorf("conformant %v, failed %v, response verdict %+v; want %s at %q", e.Conformant, e.Failed, e.Response, tt.wantCheck, tt.wantPath)
			}
		})
	}
}

func TestProxyToAnUpstreamThatIsDown(t *testing.T) {
	up := httptest.NewServer(http.NotFoundHandler())
	upURL := up.URL
	up.Close()
	h := start(t, server.Config{Upstream: mustURL(t, upURL)})
	got := h.post(t, workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion, auth(validAuth), nil)
	if got.status != http.StatusBadGateway || codeOf(got.body) != "BadGateway" {
		t.Errorf("got %d %s, want 502 BadGateway", got.status, got.body)
	}
	e := h.last(t)
	if e.Conformant || e.Error == "" {
		t.Errorf("a request nobody answered was judged conformant: %+v", e)
	}
	if !strings.Contains(h.log.String(), "NOT-JUDGED") {
		t.Errorf("the log does not say the request was not judged: %q", h.log.String())
	}
}

func TestUpstreamURLMustBeUsable(t *testing.T) {
	for _, raw := range []string{"ftp://host", "http://", "https://user:pw@host", "https://host/?q=1"} {
		if _, err := server.New(server.Config{Upstream: mustURL(t, raw)}); err == nil {
			t.Errorf("upstream %q accepted", raw)
		}
	}
}

// The default upstream transport keeps a connection per concurrent client: under steady load the proxy
// dials the upstream no more often than clients are in flight (http.DefaultTransport's 2 idle connections
// per host dialled about every second request).
func TestProxyReusesUpstreamConnections(t *testing.T) {
	var dials sync.Map
	up := httptest.NewUnstartedServer(emulator.New(emulator.DefaultConfig()))
	up.Config.ConnState = func(c net.Conn, state http.ConnState) {
		if state == http.StateNew {
			dials.Store(c.RemoteAddr().String(), true)
		}
	}
	up.Start()
	t.Cleanup(up.Close)
	h := start(t, server.Config{Upstream: mustURL(t, up.URL)})
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	const clients, rounds = 16, 10
	for range rounds {
		var wg sync.WaitGroup
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, h.http.URL+workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion, nil)
				req.Header.Set("Authorization", validAuth)
				resp, err := client.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}()
		}
		wg.Wait()
	}
	n := 0
	dials.Range(func(_, _ any) bool { n++; return true })
	if n > clients {
		t.Errorf("the proxy opened %d connections to the upstream for %d rounds of %d concurrent requests; want at most %d", n, rounds, clients, clients)
	}
}
