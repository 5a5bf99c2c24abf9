package server_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/xml"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/harness/server"
)

// junitDoc is the part of JUnit XML that CI systems read.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
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
	if err != nil || len(paths) != 2 {
		t.Fatalf("WriteFiles: %v, %v", paths, err)
	}

	data, err := os.ReadFile(filepath.Join(dir, server.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var r server.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s is not JSON: %v", server.JSONFile, err)
	}
	if r.Total != 3 || r.NonConformant != 1 || r.Conformant || len(r.Clients) != 2 {
		t.Fatalf("report total %d, non-conformant %d, conformant %v, clients %d; want 3, 1, false, 2", r.Total, r.NonConformant, r.Conformant, len(r.Clients))
	}
	careless := r.Clients[1]
	if careless.Name != "careless-client" || careless.Conformant || careless.Total != 2 ||
		strings.Join(careless.Failed, ",") != "request.authorization" || strings.Join(careless.Warnings, ",") != "request.accept" {
		t.Errorf("careless-client: %+v", careless)
	}
	if !r.Clients[0].Conformant {
		t.Errorf("good-client: %+v", r.Clients[0])
	}

	data, err = os.ReadFile(filepath.Join(dir, server.JUnitFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s does not parse: %v\n%s", server.JUnitFile, err, data)
	}
	if doc.Tests != 3 || doc.Failures != 1 || len(doc.Suites) != 2 || len(doc.Suites[1].Cases) != 2 {
		t.Fatalf("JUnit tests %d failures %d suites %d; want 3, 1, 2 (one per client)\n%s", doc.Tests, doc.Failures, len(doc.Suites), data)
	}
	failure := doc.Suites[1].Cases[0].Failure
	if failure == nil || failure.Message != "request.authorization at /request/headers/authorization" ||
		!strings.Contains(failure.Text, "the request has no Authorization header") {
		t.Errorf("failure %+v; want the check ID and its JSON Pointer in the message, the reason in the text", failure)
	}
	if doc.Suites[1].Cases[1].Failure != nil {
		t.Errorf("a SHOULD violation failed the testcase: %+v", doc.Suites[1].Cases[1].Failure)
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
