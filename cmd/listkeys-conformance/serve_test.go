package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"encoding/xml"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

const serveKeysPath = "/subscriptions/" + emulator.DefaultSubscriptionID + "/resourceGroups/" + emulator.DefaultResourceGroup +
	"/providers/Microsoft.Quantum/workspaces/" + emulator.DefaultWorkspace + "/listKeys?api-version=2025-12-15-preview"

// lockedBuffer is a stderr the server writes while the test may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// running is a serve command started in process.
type running struct {
	url    string
	cancel context.CancelFunc
	done   chan int
	stderr *lockedBuffer
}

// startServe runs the command with args until stop, and waits for its "listening on" line.
func startServe(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, stdout := io.Pipe()
	r := &running{cancel: cancel, done: make(chan int, 1), stderr: &lockedBuffer{}}
	go func() {
		code := serve(ctx, args, stdout, r.stderr)
		stdout.Close()
		r.done <- code
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	go io.Copy(io.Discard, out)
	if !strings.HasPrefix(line, "listening on ") {
		cancel()
		t.Fatalf("first stdout line %q (%v), want \"listening on URL\"; stderr: %s", line, err, r.stderr.String())
	}
	r.url = strings.TrimSpace(strings.TrimPrefix(line, "listening on "))
	t.Cleanup(cancel)
	return r
}

// stop asks the command to stop, as SIGINT does, and returns its exit code and stderr.
func (r *running) stop(t *testing.T) (int, string) {
	t.Helper()
	r.cancel()
	select {
	case code := <-r.done:
		return code, r.stderr.String()
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
		return 0, ""
	}
}

func post(t *testing.T, client *http.Client, url, authorization string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

func readReport(t *testing.T, dir string) report.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, server.JSONFile))
	if err != nil {
		t.Fatalf("the JSON report: %v", err)
	}
	r, err := report.Decode(data)
	if err != nil {
		t.Fatalf("the JSON report is not a v1 report: %v", err)
	}
	return r
}

func TestServeBadFlags(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--bogus"}, "-bogus"},
		{"an argument", []string{"extra"}, "takes no arguments"},
		{"self-signed with a certificate", []string{"--tls-self-signed", "ca.pem", "--tls-cert", "c", "--tls-key", "k"}, "not both"},
		{"certificate without key", []string{"--tls-cert", "c"}, "go together"},
		{"token with upstream", []string{"--upstream", "http://127.0.0.1:1", "--token", "x"}, "--token"},
		{"token with white space", []string{"--token", "a b"}, "white space"},
		{"upstream not http", []string{"--upstream", "ftp://example.com"}, "upstream ftp://example.com"},
		{"upstream with credentials", []string{"--upstream", "https://u:p@example.com"}, "credentials"},
		{"addr without port", []string{"--addr", "127.0.0.1"}, "--addr"},
		{"history zero", []string{"--history", "0"}, "--history must be a positive number"},
		{"a timeout that is no duration", []string{"--read-timeout", "soon"}, "-read-timeout"},
		{"a negative timeout", []string{"--upstream-timeout", "-1s"}, "must be positive durations"},
		{"report-dir empty", []string{"--report-dir", ""}, "--report-dir"},
		{"certificate files missing", []string{"--addr", "127.0.0.1:0", "--report-dir", dir, "--tls-cert", filepath.Join(dir, "no.pem"), "--tls-key", filepath.Join(dir, "no.key")}, "--tls-cert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := invoke(t, nil, append([]string{"serve"}, tt.args...)...)
			if code != exitUsage || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and one line naming %q", code, out, errOut, exitUsage, tt.want)
			}
		})
	}
}

func TestServeAddressInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	code, _, errOut := invoke(t, nil, "serve", "--addr", l.Addr().String(), "--report-dir", t.TempDir())
	if code != exitRuntime || !strings.Contains(errOut, "--addr") {
		t.Errorf("exit %d, stderr %q; want %d naming --addr", code, errOut, exitRuntime)
	}
}

// A report folder that cannot be made is the machine's fault, not the command line's: exit 3.
func TestServeReportDirCannotBeMade(t *testing.T) {
	file := writeFile(t, "file", nil)
	code, _, errOut := invoke(t, nil, "serve", "--addr", "127.0.0.1:0", "--report-dir", filepath.Join(file, "sub"))
	if code != exitRuntime || !strings.HasPrefix(errOut, "listkeys-conformance serve: --report-dir") {
		t.Errorf("exit %d, stderr %q; want %d naming --report-dir", code, errOut, exitRuntime)
	}
}

func TestServeListScenarios(t *testing.T) {
	code, out, _ := invoke(t, nil, "serve", "--list-scenarios")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	unwrapped := strings.Join(strings.Fields(out), " ") // sources are wrapped to fit the width
	for _, s := range server.Scenarios() {
		row := ""
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, s.Name+": ") {
				row = line
			}
		}
		if row == "" || !strings.HasSuffix(row, " ("+string(s.Basis)+")") {
			t.Errorf("the listing has no row for %s saying %s:\n%s", s.Name, s.Basis, out)
		}
		if !strings.Contains(unwrapped, strings.Join(strings.Fields(s.Source), " ")) {
			t.Errorf("the listing does not say where %s's answer comes from (%s):\n%s", s.Name, s.Source, out)
		}
	}
}

func TestServeSelfSignedTLSAndReports(t *testing.T) {
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	reports := filepath.Join(dir, "reports")
	r := startServe(t, "--addr", "127.0.0.1:0", "--tls-self-signed", caFile, "--report-dir", reports, "--token", "az-rest-token")
	if !strings.HasPrefix(r.url, "https://127.0.0.1:") {
		t.Fatalf("listening URL %q, want https on loopback", r.url)
	}
	caPEM, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatalf("%s holds no PEM certificate", caFile)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	for _, token := range []string{emulator.ValidToken, "az-rest-token"} {
		if status, _, body := post(t, client, r.url+serveKeysPath, "Bearer "+token); status != 200 {
			t.Errorf("listKeys with %s: %d %s", token, status, body)
		}
	}

	code, errOut := r.stop(t)
	if code != exitOK {
		t.Errorf("exit %d after conformant requests, want %d; stderr:\n%s", code, exitOK, errOut)
	}
	if n := strings.Count(errOut, " POST "); n != 2 {
		t.Errorf("%d request log lines, want 2:\n%s", n, errOut)
	}
	if strings.Contains(errOut, "az-rest-token") {
		t.Errorf("stderr echoes the --token value:\n%s", errOut)
	}
	if rep := readReport(t, reports); len(rep.Scenarios) != 2 || !rep.Conformant() {
		t.Errorf("report requests %d conformant %v, want 2 true", len(rep.Scenarios), rep.Conformant())
	}
	data, err := os.ReadFile(filepath.Join(reports, server.JUnitFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests int `xml:"tests,attr"`
		Cases []struct {
			Name string `xml:"name,attr"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil || doc.Tests != 2 || len(doc.Cases) != 2 {
		t.Errorf("JUnit: %v, tests %d, cases %d\n%s", err, doc.Tests, len(doc.Cases), data)
	}
}

func TestServeExitsOneWhenARequestFails(t *testing.T) {
	reports := t.TempDir()
	r := startServe(t, "--addr", "127.0.0.1:0", "--report-dir", reports)
	if status, _, _ := post(t, http.DefaultClient, r.url+serveKeysPath, ""); status != 401 {
		t.Errorf("no token: %d, want 401", status)
	}
	code, errOut := r.stop(t)
	if code != exitViolations || !strings.Contains(errOut, "failed=request.authorization") {
		t.Errorf("exit %d, want %d, with the failed check in the log:\n%s", code, exitViolations, errOut)
	}
	if rep := readReport(t, reports); len(rep.Scenarios) != 1 || rep.Conformant() {
		t.Errorf("report requests %d conformant %v, want 1 false", len(rep.Scenarios), rep.Conformant())
	}
}

func TestServeWithCertificateFiles(t *testing.T) {
	tlsCfg, caPEM, err := server.SelfSignedTLS(nil, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cert := tlsCfg.Certificates[0]
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	var certPEM []byte
	for _, der := range cert.Certificate {
		certPEM = append(certPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, certPEM, 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600)

	r := startServe(t, "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile, "--report-dir", dir)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if status, _, body := post(t, client, r.url+serveKeysPath, "Bearer "+emulator.ValidToken); status != 200 {
		t.Errorf("listKeys: %d %s", status, body)
	}
	if code, errOut := r.stop(t); code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, errOut)
	}
}

// perCallHeaders differ on every call by design: fresh GUIDs, and the time.
var perCallHeaders = []string{"Date", "X-Ms-Request-Id", "X-Ms-Correlation-Request-Id", "X-Ms-Routing-Request-Id",
	"Mise-Correlation-Id", "X-Msedge-Ref", "Set-Cookie"}

func TestServeAsProxy(t *testing.T) {
	upstream := httptest.NewServer(emulator.New(emulator.DefaultConfig()))
	defer upstream.Close()
	reports := t.TempDir()
	r := startServe(t, "--addr", "127.0.0.1:0", "--upstream", upstream.URL, "--report-dir", reports)

	directStatus, directHeader, directBody := post(t, upstream.Client(), upstream.URL+serveKeysPath, "Bearer "+emulator.ValidToken)
	status, header, body := post(t, http.DefaultClient, r.url+serveKeysPath, "Bearer "+emulator.ValidToken)
	if status != directStatus || !bytes.Equal(body, directBody) {
		t.Errorf("proxied %d %s\ndirect %d %s", status, body, directStatus, directBody)
	}
	for _, h := range []http.Header{header, directHeader} {
		for _, name := range perCallHeaders {
			if h.Get(name) == "" {
				t.Errorf("%s missing", name)
			}
			h.Del(name)
		}
	}
	if len(header) != len(directHeader) {
		t.Errorf("headers differ\nproxied %v\ndirect  %v", header, directHeader)
	}
	for name := range directHeader {
		if header.Get(name) != directHeader.Get(name) {
			t.Errorf("header %s: proxied %q, direct %q", name, header.Get(name), directHeader.Get(name))
		}
	}

	code, errOut := r.stop(t)
	if code != exitOK {
		t.Errorf("exit %d; stderr:\n%s", code, errOut)
	}
	rep := readReport(t, reports)
	if len(rep.Scenarios) != 1 || !rep.Conformant() || rep.Target.Endpoint != "upstream "+upstream.URL || !strings.HasSuffix(rep.Scenarios[0].Name, "-> 200") {
		t.Errorf("report %+v", rep)
	}
}
