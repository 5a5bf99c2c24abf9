package values

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
)

// Loopback is a TLS server on loopback that keeps the request target of each request it receives and
// answers it 404 with an ErrorResponse. It shows what reaches the wire once azcore's pipeline and Go's HTTP
// client have handled a URL, and how a server parses it: arm's unit tests see only the URL string it builds.
type Loopback struct {
	srv *httptest.Server

	mu     sync.Mutex
	target string
}

// NewLoopback starts the server; Close stops it.
func NewLoopback() *Loopback {
	l := &Loopback{}
	l.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.target = r.RequestURI
		l.mu.Unlock()
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"code":"NotFound","message":"loopback"}}`))
	}))
	return l
}

// Close stops the server.
func (l *Loopback) Close() { l.srv.Close() }

// ArrivesAsDocumented is the property that each case, sent unchecked through arm's client, reaches the server
// as the documented path template filled in (SentAsDocumented). Requests go one at a time.
func (l *Loopback) ArrivesAsDocumented(ctx context.Context, c *contract.Contract) (Property, error) {
	cfg := arm.Config{Mode: arm.Live, APIVersion: c.Operation.APIVersion, Cloud: arm.AzurePublic, Endpoint: l.srv.URL}
	client, err := arm.NewClient(cfg, arm.StaticCredential("loopback-token"), l.srv.Client(),
		arm.WithRetry(policy.RetryOptions{MaxRetries: -1}), arm.WithContract(c))
	if err != nil {
		return nil, err
	}
	return func(cs Case) error {
		u, err := client.UnsafeURL(cs.Params)
		if err != nil {
			return fail("no request", "%v", err)
		}
		l.mu.Lock()
		l.target = "" // so that a request that never arrives is not judged by the one before
		l.mu.Unlock()
		if _, err := client.Send(ctx, u); err != nil {
			return fail("not sent", "%v", err)
		}
		l.mu.Lock()
		target := l.target
		l.mu.Unlock()
		return SentAsDocumented(c, target, cs.Params)
	}, nil
}
