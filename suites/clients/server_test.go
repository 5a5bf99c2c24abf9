package clients_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/arm"
	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/harness/server"
	"github.com/listkeys-conformance/listkeys-conformance/harness/suite"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// shutdownTimeout bounds a server's shutdown: the clients have exited by then, so nothing should be in flight.
const shutdownTimeout = 10 * time.Second

// conformanceServer is what `listkeys-conformance serve --tls-self-signed` runs, in process: the emulator
// behind the conformance server, over HTTPS with a throwaway CA, on a free loopback port. Each one is fresh,
// so the once-scenarios (throttled-once) play for the client under test.
type conformanceServer struct {
	URL    string // https://127.0.0.1:PORT, the ARM endpoint to give a client
	CAFile string // the CA in PEM, for clients that read a file (curl --cacert, REQUESTS_CA_BUNDLE)
	Roots  *x509.CertPool
	srv    *server.Server
	keys   map[string]string // workspace name -> its primary key, seeded so a printed body can be traced back

	mu             sync.Mutex
	acceptEncoding []string // per request, in arrival order: what the client said it accepts
}

// setup ends the spec as a harness error when the harness could not set up what it needs: not the client's
// fault, so an Error, not a Fail.
func setup(err error, what string) {
	GinkgoHelper()
	if err != nil {
		suite.HarnessError(fmt.Errorf("%s: %w", what, err))
	}
}

// startServer serves ecfg's emulator until the end of the enclosing container, then writes the server's
// report files to a folder named name under reportRoot.
func startServer(name string, ecfg emulator.Config) *conformanceServer {
	GinkgoHelper()
	dir := filepath.Join(reportRoot, name)
	setup(os.MkdirAll(dir, 0o755), "the report folder")

	tlsCfg, caPEM, err := server.SelfSignedTLS(nil, time.Hour)
	setup(err, "a throwaway CA")
	caFile := filepath.Join(dir, "ca.pem")
	setup(os.WriteFile(caFile, caPEM, 0o644), "the CA file")
	roots := x509.NewCertPool()
	Expect(roots.AppendCertsFromPEM(caPEM)).To(BeTrue(), "the CA's PEM")

	keys := map[string]string{}
	ecfg.Workspaces = append([]emulator.Workspace(nil), ecfg.Workspaces...)
	for i := range ecfg.Workspaces {
		w := &ecfg.Workspaces[i]
		if w.PrimaryKey == "" {
			w.PrimaryKey = newKey()
		}
		keys[w.Name] = w.PrimaryKey
	}

	srv, err := server.New(server.Config{Emulator: &ecfg, Log: GinkgoWriter})
	setup(err, "server.New")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	setup(err, "a loopback port")
	cs := &conformanceServer{URL: "https://" + l.Addr().String(), CAFile: caFile, Roots: roots, srv: srv, keys: keys}
	// The same server, behind a handler that notes what each client accepts: whether it gets gzip is the
	// client's choice, which the server's report does not keep.
	hs := &http.Server{TLSConfig: tlsCfg, ReadHeaderTimeout: shutdownTimeout, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.mu.Lock()
		cs.acceptEncoding = append(cs.acceptEncoding, r.Header.Get("Accept-Encoding"))
		cs.mu.Unlock()
		srv.ServeHTTP(w, r)
	})}
	served := make(chan error, 1)
	go func() { served <- hs.ServeTLS(l, "", "") }()

	DeferCleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		Expect(hs.Shutdown(ctx)).To(Succeed(), "stopping the server")
		Expect(<-served).To(MatchError(http.ErrServerClosed), "serving")
		paths, err := srv.Report().WriteFiles(dir)
		Expect(err).NotTo(HaveOccurred(), "writing the server report")
		AddReportEntry("server report "+name, paths, ReportEntryVisibilityFailureOrVerbose)
	})
	return cs
}

// AcceptEncoding is what each request so far said it accepts (Accept-Encoding), in arrival order.
func (s *conformanceServer) AcceptEncoding() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.acceptEncoding)
}

// newKey is a key shaped like the service's (and the emulator's): 64 random bytes in base64url, AZQU at
// offset 76.
func newKey() string {
	b := make([]byte, 64)
	rand.Read(b) // never fails since Go 1.24
	key := []byte(base64.RawURLEncoding.EncodeToString(b))
	copy(key[76:], "AZQU")
	return string(key)
}

// apiKeyEnabled is apiKeyEnabled of a printed ListKeysResult (nil when absent).
func apiKeyEnabled(body []byte) *bool {
	GinkgoHelper()
	var result struct {
		APIKeyEnabled *bool `json:"apiKeyEnabled"`
	}
	Expect(json.Unmarshal(body, &result)).To(Succeed(), "the printed body:\n%s", body)
	return result.APIKeyEnabled
}

// ListKeysURL is the documented request URL for a workspace of the emulator's default subscription and
// resource group, at the api-version under test.
func (s *conformanceServer) ListKeysURL(workspace string) string {
	GinkgoHelper()
	u, err := arm.URL(s.URL, arm.Params{
		SubscriptionID: emulator.DefaultSubscriptionID,
		ResourceGroup:  emulator.DefaultResourceGroup,
		Workspace:      workspace,
		APIVersion:     schemas.DefaultAPIVersion,
	})
	Expect(err).NotTo(HaveOccurred(), "the listKeys URL for %s", workspace)
	return u
}

// Requests is the server's report so far: one entry per request, in arrival order.
func (s *conformanceServer) Requests() []server.Entry { return s.srv.Report().Requests }

// PrimaryKey is the primary key the server hands out for a workspace.
func (s *conformanceServer) PrimaryKey(workspace string) string { return s.keys[workspace] }

// scenario is the emulator's documented behaviour of that name (serve --list-scenarios), so that expected
// statuses and codes come from the same table users read.
func scenario(name string) server.Scenario {
	for _, s := range server.Scenarios() {
		if s.Name == name {
			return s
		}
	}
	panic("no scenario " + name + " in server.Scenarios()") // a typo in a spec, found when the tree is built
}

// judgePrinted is the contract's verdict on a body a client printed, taken as the answer with that status to
// a POST to u (so the connection strings are checked against the workspace asked for). The client printed
// no headers, so header checks are not run.
func judgePrinted(status int, body []byte, u string) contract.Report {
	GinkgoHelper()
	target, err := url.Parse(u)
	Expect(err).NotTo(HaveOccurred())
	report, err := contract.MustDefault().Validate("", contract.Exchange{
		Status:  status,
		Body:    body,
		Request: &contract.Request{Method: http.MethodPost, URL: target},
	})
	Expect(err).NotTo(HaveOccurred(), "the printed body:\n%s", body)
	return report
}

// armError is the error member of an ARM error body.
type armError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// errorIn finds the ARM error body a client printed among its own words (az writes
// "ERROR: Not Found({...})"): the JSON object from the first '{' to the last '}'.
func errorIn(output []byte) armError {
	GinkgoHelper()
	start, end := bytes.IndexByte(output, '{'), bytes.LastIndexByte(output, '}')
	Expect(start).To(BeNumerically(">=", 0), "no JSON object in the output:\n%s", output)
	Expect(end).To(BeNumerically(">", start), "no JSON object in the output:\n%s", output)
	var body struct {
		Error armError `json:"error"`
	}
	Expect(json.Unmarshal(output[start:end+1], &body)).To(Succeed(), "the error body in the output:\n%s", output)
	return body.Error
}

// keyOf is primaryKey.key of a printed ListKeysResult.
func keyOf(body []byte) string {
	GinkgoHelper()
	var result struct {
		PrimaryKey struct {
			Key string `json:"key"`
		} `json:"primaryKey"`
	}
	Expect(json.Unmarshal(body, &result)).To(Succeed(), "the printed body:\n%s", body)
	return result.PrimaryKey.Key
}
