package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/listkeys-conformance/listkeys-conformance/internal/hostile"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

// serveReal serves cfg's server with its own http.Server (timeouts included) on a loopback port.
func serveReal(t *testing.T, cfg server.Config) (*server.Server, string, *syncBuffer) {
	t.Helper()
	log := &syncBuffer{}
	cfg.Log = log
	srv, err := server.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Shutdown(t.Context()) })
	return srv, l.Addr().String(), log
}

// rawExchange writes raw bytes to the server (closing the write side when close is set) and returns the
// status line of the answer, or "" when the server answered nothing.
func rawExchange(t *testing.T, addr, raw string, slow bool, closeWrite bool) string {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if slow {
		head, body, _ := strings.Cut(raw, "\r\n\r\n")
		io.WriteString(conn, head+"\r\n\r\n")
		for i := 0; i < len(body); i++ {
			if _, err := conn.Write([]byte{body[i]}); err != nil {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
	} else {
		io.WriteString(conn, raw)
	}
	if closeWrite {
		conn.(*net.TCPConn).CloseWrite()
	}
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line)
}

func request(target, extra, body string) string {
	return "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + validAuth + "\r\nUser-Agent: hostile\r\n" + extra + "\r\n" + body
}

// TestServeHostileRequests holds every hostile request of the issue: its answer, the check it breaks, and
// that no key leaves in the answer.
func TestServeHostileRequests(t *testing.T) {
	ok := workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion
	longPath := workspacePath(strings.Repeat("w", 1<<20)) + "?" + apiVersion
	tests := []struct {
		name       string
		raw        string
		slow       bool
		closeWrite bool
		status     string // the answer's status line prefix; "" when the connection is cut before one
		check      string // in the entry's failed checks
	}{
		{"a bad chunk size", request(ok, "Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n"), false, false, "HTTP/1.1 400", "request.readable"},
		{"Content-Length longer than the body", request(ok, "Content-Length: 100\r\n", "abc"), false, true, "HTTP/1.1 400", "request.readable"},
		{"a body over the cap", request(ok, fmt.Sprintf("Content-Length: %d\r\n", server.MaxBody+1), strings.Repeat("a", server.MaxBody+1)), false, false, "HTTP/1.1 413", "request.readable"},
		{"a body at 5 bytes/s past the read timeout", request(ok, "Content-Length: 10\r\n", "0123456789"), true, false, "", "request.readable"},
		{"a 1 MB path", request(longPath, "", ""), false, false, "HTTP/1.1 404", ""},
		{"a 100 KB User-Agent", strings.Replace(request(ok, "", ""), "User-Agent: hostile", "User-Agent: "+strings.Repeat("u", 100<<10), 1), false, false, "HTTP/1.1 200", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, addr, log := serveReal(t, server.Config{ReadTimeout: 500 * time.Millisecond})
			status := rawExchange(t, addr, tt.raw, tt.slow, tt.closeWrite)
			if !strings.HasPrefix(status, tt.status) || tt.status == "" && status != "" && !strings.Contains(status, "400") {
				t.Fatalf("answer %q, want %q", status, tt.status)
			}
			var r server.Report
			for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				if r = srv.Report(); r.Total > 0 {
					break
				}
			}
			if len(r.Requests) != 1 {
				t.Fatalf("%d entries, want 1", len(r.Requests))
			}
			e := r.Requests[0]
			if tt.check != "" && (e.Conformant || !slices.Contains(e.Failed, tt.check) || e.Status == http.StatusOK) {
				t.Fatalf("entry %+v; want a non-conformant answer that is no 200, failing %s", e, tt.check)
			}
			if len(e.URL) > 2200 || len(e.Client) > 300 || len(log.String()) > 4096 {
				t.Fatalf("not bounded: URL %d bytes, client %d bytes, log %d bytes", len(e.URL), len(e.Client), len(log.String()))
			}
		})
	}
}

// TestServeHistoryIsBounded: the report lists the last --history requests and counts them all.
func TestServeHistoryIsBounded(t *testing.T) {
	h := start(t, server.Config{History: 5})
	for i := range 20 {
		h.post(t, workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion, http.Header{"Authorization": {validAuth}, "User-Agent": {fmt.Sprint("c", i%2)}}, nil)
	}
	r := h.srv.Report()
	if r.Total != 20 || r.Dropped != 15 || len(r.Requests) != 5 || r.Requests[0].Seq != 16 || r.Requests[4].Seq != 20 {
		t.Fatalf("total %d, dropped %d, listed %d (first seq %d)", r.Total, r.Dropped, len(r.Requests), r.Requests[0].Seq)
	}
	if len(r.Clients) != 2 || r.Clients[0].Total != 10 || len(r.Clients[0].Requests)+len(r.Clients[1].Requests) != 5 {
		t.Fatalf("clients %+v", r.Clients)
	}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil || !strings.Contains(buf.String(), `"dropped": 15`) {
		t.Fatalf("WriteJSON: %v\n%s", err, buf.String())
	}
}

// TestServeUpstreamHostileAnswers holds every hostile answer of the issue an upstream can give: what the
// client gets, and the check the entry fails.
func TestServeUpstreamHostileAnswers(t *testing.T) {
	realistic := examples.Realistic
	bomb := hostile.Gzip(make([]byte, server.MaxBody+1))
	tests := []struct {
		name     string
		status   int
		encoding string
		body     []byte
		stall    time.Duration // before the headers; a negative value: after a part of the body
		answer   int           // what the client gets
		check    string
	}{
		{"trailing data", 200, "", append(bytes.Clone(realistic), " x"...), 0, 200, "body.json"},
		{"trailing NULs", 200, "", append(bytes.Clone(realistic), 0, 0), 0, 200, "body.json"},
		{"a duplicate createdAt hiding garbage", 200, "", []byte(strings.Replace(string(realistic), `"createdAt"`, `"createdAt":"garbage","createdAt"`, 1)), 0, 200, "schema.format"},
		{"a lone surrogate", 200, "", []byte(strings.Replace(string(realistic), `"apiKeyEnabled"`, `"x":"\ud800","apiKeyEnabled"`, 1)), 0, 200, "body.json"},
		{"a gzip bomb", 200, "gzip", bomb, 0, 200, "response.json"},
		{"truncated gzip", 200, "gzip", hostile.Gzip(realistic)[:30], 0, 200, "response.json"},
		{"an unknown Content-Encoding", 200, "br", realistic, 0, 200, "response.json"},
		{"a UTF-8 byte order mark", 200, "", append([]byte("\xef\xbb\xbf"), realistic...), 0, 200, "response.json"},
		{"10 MB of details", 400, "", hostile.Details(server.MaxBody - 100), 0, 400, "response.json"},
		{"headers that never come", 200, "", realistic, 5 * time.Second, 504, ""},
		{"a body that never ends", 200, "", realistic, -5 * time.Second, 504, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.stall > 0 {
					select {
					case <-time.After(tt.stall):
					case <-r.Context().Done():
					}
				}
				w.Header().Set("Content-Type", "application/json")
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				if tt.stall < 0 {
					w.Header().Set("Content-Length", fmt.Sprint(len(tt.body)))
				}
				w.WriteHeader(tt.status)
				if tt.stall < 0 {
					w.Write(tt.body[:10])
					w.(http.Flusher).Flush()
					select {
					case <-time.After(-tt.stall):
					case <-r.Context().Done():
					}
					return
				}
				w.Write(tt.body)
			}))
			defer up.Close()
			h := start(t, server.Config{Upstream: mustURL(t, up.URL), UpstreamHeaderTimeout: 300 * time.Millisecond, UpstreamTimeout: 600 * time.Millisecond})
			// Accept-Encoding set by hand: the client then passes the bytes on as they came.
			a := h.post(t, workspacePath(emulator.DefaultWorkspace)+"?"+apiVersion, http.Header{"Authorization": {validAuth}, "Accept-Encoding": {"gzip"}}, nil)
			if a.status != tt.answer {
				t.Fatalf("answered %d, want %d", a.status, tt.answer)
			}
			e := h.last(t)
			if e.Conformant {
				t.Fatalf("entry judged conformant: %+v", e)
			}
			if tt.check != "" && !slices.Contains(e.Failed, tt.check) {
				t.Fatalf("failed %v, want %s; entry %+v", e.Failed, tt.check, e.Response)
			}
			if tt.answer == 504 {
				r, err := contract.MustDefault().Validate("", contract.Exchange{Status: a.status, Body: a.body})
				if err != nil || !r.Conformant(false) || contract.ErrorCode(a.body) != "GatewayTimeout" {
					t.Fatalf("the 504 is no conformant ErrorResponse: %v %+v %s", err, r, a.body)
				}
			}
			if n := len(e.Response.Violations) + len(e.Response.Notes); n > 50 {
				t.Fatalf("%d violations and notes in one entry", n)
			}
		})
	}
}

// TestScrubberHasNoBypass: secrets longer than messages quote, holding quotes, backslashes or control
// characters, and keys under undocumented members never reach the log or the report.
func TestScrubberHasNoBypass(t *testing.T) {
	long := strings.Repeat("LongSecret-", 20)
	odd := `odd"sec\ret` + "\x01" + strings.Repeat("z", 130)
	shaped := strings.Repeat("Ab3-_x", 12) + "Zz09" + "AZQU" + "Qq1w-_"
	token := strings.Repeat("T0ken\\\"", 30)
	esc := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	body := `{"apiKeyEnabled":true,"primaryKey":{"createdAt":` + esc(odd) + `,"key":` + esc(odd) + `},` +
		`"secondaryKey":{"createdAt":"` + long + `","key":"` + long + `"},"keys":[{"value":"` + shaped + `"}],` +
		`"extra":"` + shaped + `x"}`
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	defer up.Close()
	h := start(t, server.Config{Upstream: mustURL(t, up.URL)})
	h.post(t, workspacePath(shaped)+"?"+apiVersion, http.Header{"Authorization": {"Bearer " + token}, "User-Agent": {"ua " + token}}, nil)
	h.post(t, workspacePath("w")+"?"+apiVersion, http.Header{"Authorization": {token}}, nil)
	var out bytes.Buffer
	h.srv.Report().WriteJSON(&out)
	junit, _ := h.srv.Report().JUnit()
	for where, text := range map[string]string{"the log": h.log.String(), "the report": out.String(), "the JUnit report": string(junit)} {
		for _, secret := range []string{long[:16], odd[:8], `odd\"sec`, "zzzzzzzzzzzzzz", shaped[:16], token[:16], `T0ken\\\\\"`} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds %q:\n%s", where, secret, text)
			}
		}
	}
	if !strings.Contains(out.String(), "schema.format") {
		t.Errorf("the verdicts were lost: %s", out.String())
	}
}

// TestServeEntriesKeepNoRequest: the history keeps entries, not the requests they came from (net/http's
// strings are slices of the request line: one short field kept would keep a 1 MB path alive).
func TestServeEntriesKeepNoRequest(t *testing.T) {
	srv, err := server.New(server.Config{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 24
	target := workspacePath(strings.Repeat("w", 1<<20)) + "?" + apiVersion
	for range n {
		raw := "POST " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + validAuth + "\r\n\r\n"
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil {
			t.Fatal(err)
		}
		r.RemoteAddr = "127.0.0.1:1"
		srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	if m.HeapAlloc > n/2<<20 {
		t.Fatalf("%d MB in use after %d requests with a 1 MB path: the history keeps them", m.HeapAlloc>>20, n)
	}
	if r := srv.Report(); r.Total != n {
		t.Fatalf("total %d", r.Total)
	}
}
