package server_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

// junitDoc is the part of JUnit XML that CI systems read.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name    string `xml:"name,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestReportFiles(t *testing.T) {
	h := start(t, server.Config{})
	ok := workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion
	h.post(t, ok, http.Header{"Authorization": {validAuth}, "User-Agent": {"good-client"}}, nil)
	h.post(t, ok, http.Header{"User-Agent": {"careless-client"}}, nil)
	h.post(t, ok, http.Header{"Authorization": {validAuth}, "User-Agent": {"careless-client"}, "Accept": {"text/html"}}, nil)

	dir := filepath.Join(t.TempDir(), "reports")
	paths, err := h.srv.Report().WriteFiles(dir)
	if err != nil || len(paths) != 4 {
		t.Fatalf("WriteFiles: %v, %v", paths, err)
	}

	data, err := os.ReadFile(filepath.Join(dir, server.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Decode(data)
	if err != nil {
		t.Fatalf("%s is not a v1 report: %v", server.JSONFile, err)
	}
	if r.Source != "serve" || len(r.Scenarios) != 3 || r.Conformant() || r.Summary.States[report.Fail] != 1 || r.Summary.States[report.Skip] != 1 || r.Summary.States[report.Pass] != 1 {
		t.Fatalf("report: %d scenarios, summary %+v; want 3 requests: one pass, one MUST failure, one SHOULD warning", len(r.Scenarios), r.Summary)
	}
	byState := map[report.State][]string{}
	for _, sc := range r.Scenarios {
		for _, res := range sc.Results {
			byState[res.State] = append(byState[res.State], sc.Group+" "+strings.Join(res.Checks, ","))
		}
	}
	if strings.Join(byState[report.Fail], ";") != "careless-client request.authorization" ||
		strings.Join(byState[report.Skip], ";") != "careless-client request.accept" || strings.Join(byState[report.Pass], ";") != "good-client " {
		t.Errorf("results by state: %q", byState)
	}
	for _, name := range []string{"serve-report.html", "serve-report.md"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}

	data, err = os.ReadFile(filepath.Join(dir, server.JUnitFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s does not parse: %v\n%s", server.JUnitFile, err, data)
	}
	// The v1 report's JUnit: worst client first, one testcase per result, the warning skipped.
	if doc.Tests != 3 || doc.Failures != 1 || doc.Skipped != 1 || len(doc.Suites) != 2 || doc.Suites[0].Name != "careless-client" || len(doc.Suites[0].Cases) != 2 {
		t.Fatalf("JUnit tests %d failures %d skipped %d suites %d; want 3, 1, 1, 2 (one per client, careless-client first)\n%s", doc.Tests, doc.Failures, doc.Skipped, len(doc.Suites), data)
	}
	failure := doc.Suites[0].Cases[0].Failure
	if failure == nil || !strings.HasPrefix(failure.Message, "request.authorization at /request/headers/authorization: ") ||
		!strings.Contains(failure.Text, "the request has no Authorization header") || !strings.HasPrefix(doc.Suites[0].Cases[0].Name, "[request.authorization] ") {
		t.Errorf("failure %+v; want the check ID and its JSON Pointer in the message, the reason in the text", failure)
	}
	if doc.Suites[0].Cases[1].Failure != nil {
		t.Errorf("a SHOULD violation failed the testcase: %+v", doc.Suites[0].Cases[1].Failure)
	}
}

func TestJUnitWithoutRequestsParses(t *testing.T) {
	h := start(t, server.Config{})
	data, err := h.srv.Report().JUnit()
	if err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(data, &doc); err != nil || doc.Tests != 0 || len(doc.Suites) != 1 {
		t.Errorf("JUnit without requests: %v, %s", err, data)
	}
}

func TestServeWithSelfSignedTLS(t *testing.T) {
	tlsCfg, caPEM, err := server.SelfSignedTLS(server.LoopbackHosts, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.Config{TLS: tlsCfg})
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	t.Cleanup(func() {
		srv.Shutdown(context.Background())
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})

	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatalf("the CA is not PEM: %s", caPEM)
	}
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, host := range []string{"127.0.0.1", "localhost"} {
		url := "https://" + strings.Replace(l.Addr().String(), "127.0.0.1", host, 1) + workspacePath(emulator.DefaultWorkspace) + "?" + apiVersion
		if got := call(t, trusting, http.MethodPost, url, auth(validAuth), nil); got.status != 200 {
			t.Errorf("via %s: %d %s", host, got.status, got.body)
		}
	}
	if _, err := http.Post("https://"+l.Addr().String()+"/", "", nil); err == nil {
		t.Error("a client that does not trust the CA got through")
	}
}
