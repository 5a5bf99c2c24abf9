package server_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

// FuzzServeHTTP: whatever a client sends, the server answers without panicking, files one bounded entry,
// answers a refusal without keys, and never gives keys to a request the contract finds a MUST fault in.
func FuzzServeHTTP(f *testing.F) {
	ok := workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion
	f.Add("POST", ok, validAuth, "", []byte(nil))
	f.Add("GET", ok, validAuth, "ua", []byte("{}"))
	f.Add("POST", workspacePath("..")+"?api-version=x&api-version=y", "Bearer", "", []byte("x"))
	f.Add("POST", "/_conformance/report", "", "", []byte(nil))
	f.Add("post", strings.ToUpper(ok), validAuth+" ", strings.Repeat("u", 300), []byte(nil))
	srv, err := server.New(server.Config{History: 10})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, method, target, authorization, userAgent string, body []byte) {
		u, err := url.ParseRequestURI(target)
		if err != nil || method == "" || strings.ContainsAny(method, " \t\r\n") {
			return
		}
		r := &http.Request{Method: method, URL: u, RequestURI: target, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Authorization": {authorization}, "User-Agent": {userAgent}}, Host: "127.0.0.1",
			Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), RemoteAddr: "127.0.0.1:1"}
		before := srv.Report().Total
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if strings.HasPrefix(u.Path, "/_conformance/") {
			return
		}
		rep := srv.Report()
		if rep.Total != before+1 || len(rep.Requests) == 0 {
			t.Fatalf("total %d after %d: the request was not filed", rep.Total, before)
		}
		e := rep.Requests[len(rep.Requests)-1]
		if len(e.URL) > 2100 || len(e.Client) > 300 || len(e.Request.Violations) > 40 {
			t.Fatalf("entry not bounded: URL %d, client %d, %d violations", len(e.URL), len(e.Client), len(e.Request.Violations))
		}
		// Judged as a refusal, an answer with any key in it fails error.carries-no-key.
		asRefusal := contract.MustDefault().Judge(contract.Exchange{Status: w.Code, Body: w.Body.Bytes(), Expect: &contract.Expectation{Status: 400}})
		keys := asRefusal.Outcome(contract.ErrorNoKey).Result == contract.Fail
		if keys && w.Code >= 400 {
			t.Fatalf("a %d carries keys: %s", w.Code, w.Body.Bytes())
		}
		if keys && w.Code == 200 {
			for _, v := range e.Request.Violations {
				if v.Level == contract.MUST {
					t.Fatalf("keys given to a request with a MUST fault: %+v", v)
				}
			}
		}
	})
}

// BenchmarkServeOK is one judged "ok" exchange through the handler (the load bench's request).
func BenchmarkServeOK(b *testing.B) {
	srv, err := server.New(server.Config{})
	if err != nil {
		b.Fatal(err)
	}
	target := workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, target, nil)
		r.Header.Set("Authorization", validAuth)
		srv.ServeHTTP(httptest.NewRecorder(), r)
	}
}
