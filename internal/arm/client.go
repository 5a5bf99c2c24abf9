package arm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// The suite as azcore's telemetry names it: User-Agent azsdk-go-listkeys-conformance/v0.1.0 (go...; os).
const (
	moduleName    = "github.com/listkeys-conformance/listkeys-conformance"
	moduleVersion = "v0.1.0"
)

// MaxBody caps what is kept of a response body. A listKeys answer is about 900 bytes; a body past the cap is
// cut there and marked Truncated, so the contract reports it as cut short rather than the suite running out
// of memory.
const MaxBody = 10 << 20

// Exchange is one call as the contract takes it (pass ex.Exchange to Contract.Validate), plus what the
// transport saw. Request is the last attempt as it went to the transport, Authorization masked.
type Exchange struct {
	contract.Exchange
	Attempts  int  // requests that reached the transport: 1 plus the retries
	Truncated bool // the body was longer than MaxBody and is cut there
}

// RetryOptions is the retry policy a mode gets. Replay does not retry: a request missing from a cassette must
// fail at once, not after azcore's backoff (about 9 s). Record and live keep azcore's default, which is what a
// real client does: 3 retries on 408, 429, 500, 502, 503, 504 and transport errors, honouring Retry-After.
func RetryOptions(m Mode) policy.RetryOptions {
	if m.Network() {
		return policy.RetryOptions{}
	}
	return policy.RetryOptions{MaxRetries: -1}
}

// Option adjusts NewClient.
type Option func(*options)

type options struct {
	retry     policy.RetryOptions
	contract  *contract.Contract
	requestID string
}

// WithClientRequestID makes every call carry x-ms-client-request-id id instead of a new GUID per call: a
// recording against the emulator then comes out the same on every run.
func WithClientRequestID(id string) Option { return func(o *options) { o.requestID = id } }

// WithRetry replaces the mode's retry policy (RetryOptions), e.g. to shorten the backoff in a test.
func WithRetry(r policy.RetryOptions) Option { return func(o *options) { o.retry = r } }

// WithContract builds URLs from c instead of the contract of the default api-version.
func WithContract(c *contract.Contract) Option { return func(o *options) { o.contract = c } }

// Client sends listKeys through azcore's ARM pipeline, and probes through the same policies and transport
// without the bearer policy. It is safe for concurrent use.
type Client struct {
	endpoint   string
	builder    *Builder
	regenerate *Builder // Workspaces_RegenerateKeys of the same contract; nil when it has none
	pipeline   runtime.Pipeline
	probes     runtime.Pipeline
	requestID  string
}

// NewClient builds the client for cfg: cfg's cloud (its ARM endpoint, or LISTKEYS_ENDPOINT, and its token
// audience), the mode's retries, and transport at the bottom of both pipelines (a recorder in replay and
// record, an http.Client otherwise; nil means http.DefaultClient). The bearer policy refuses plain http, so
// a loopback server must speak TLS.
func NewClient(cfg Config, cred azcore.TokenCredential, transport policy.Transporter, opts ...Option) (*Client, error) {
	if cred == nil {
		return nil, errors.New("arm client: no credential (use DefaultCredential, or StaticCredential in replay)")
	}
	o := options{retry: RetryOptions(cfg.Mode)}
	for _, opt := range opts {
		opt(&o)
	}
	b, err := defaultBuilder()
	if o.contract != nil {
		b, err = NewBuilder(o.contract)
	}
	if err != nil {
		return nil, fmt.Errorf("arm client: %w", err)
	}
	var regenerate *Builder
	if rc, ok := b.contract.ForOperation(RegenerateKeysOperation); ok {
		if regenerate, err = NewBuilder(rc); err != nil {
			return nil, fmt.Errorf("arm client: %s: %w", RegenerateKeysOperation, err)
		}
	}
	conf, err := cfg.CloudConfiguration()
	if err != nil {
		return nil, fmt.Errorf("arm client: %w", err)
	}
	if transport == nil {
		transport = http.DefaultClient
	}
	clientOptions := policy.ClientOptions{
		Cloud:     conf,
		Transport: capturingTransport{next: transport},
		Retry:     o.retry,
		// Real clients send one x-ms-client-request-id per call (retries repeat it); ARM echoes it back.
		PerCallPolicies: []policy.Policy{runtime.NewRequestIDPolicy()},
	}
	client, err := arm.NewClient(moduleName, moduleVersion, cred, &arm.ClientOptions{
		ClientOptions: clientOptions,
		// The policy would answer a 409 MissingSubscriptionRegistration by registering Microsoft.Quantum on
		// the subscription: a write nobody asked for, and extra interactions in a cassette.
		DisableRPRegistration: true,
	})
	if err != nil {
		return nil, fmt.Errorf("arm client: %w", err)
	}
	return &Client{
		endpoint:   client.Endpoint(),
		builder:    b,
		regenerate: regenerate,
		pipeline:   client.Pipeline(),
		probes:     runtime.NewPipeline(moduleName, moduleVersion, runtime.PipelineOptions{}, &clientOptions),
		requestID:  o.requestID,
	}, nil
}

// Endpoint is the ARM endpoint requests go to.
func (c *Client) Endpoint() string { return c.endpoint }

// URL is the checked request URL for p at the client's endpoint (see Builder.URL).
func (c *Client) URL(p Params) (string, error) { return c.builder.URL(c.endpoint, p) }

// UnsafeURL is the unchecked request URL for p at the client's endpoint (see Builder.UnsafeURL).
func (c *Client) UnsafeURL(p Params) (string, error) { return c.builder.UnsafeURL(c.endpoint, p) }

// ListKeys checks p, then POSTs listKeys with a bearer token from the credential. Any answer, 4xx and 5xx
// included, is an Exchange; the error is a *ParamError (or several joined) for p, or a failure to get an
// answer at all (transport, credential, context).
func (c *Client) ListKeys(ctx context.Context, p Params) (*Exchange, error) {
	u, err := c.URL(p)
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, u)
}

// Send POSTs to u as ListKeys does, for a URL ListKeys would refuse to build: UnsafeURL's, or one a spec
// wrote by hand (a raw path, a missing or repeated api-version).
func (c *Client) Send(ctx context.Context, u string) (*Exchange, error) {
	return c.do(ctx, c.pipeline, u, nil, nil)
}

// RegenerateKeysOperation is the operation that rotates the keys.
const RegenerateKeysOperation = "Workspaces_RegenerateKeys"

// RegenerateKeys checks p, then POSTs regenerateKey with the body {"keys": keys}. It invalidates the keys
// it names at once: a caller against real ARM must mean it.
func (c *Client) RegenerateKeys(ctx context.Context, p Params, keys ...string) (*Exchange, error) {
	if c.regenerate == nil {
		return nil, fmt.Errorf("the contract of api-version %s has no %s", p.APIVersion, RegenerateKeysOperation)
	}
	u, err := c.regenerate.URL(c.endpoint, p)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(struct {
		Keys []string `json:"keys"`
	}{append([]string{}, keys...)})
	if err != nil {
		return nil, err
	}
	return c.SendBody(ctx, u, body)
}

// SendBody POSTs a JSON body to u through the credential's pipeline (a Regenerate Keys request, valid or not).
func (c *Client) SendBody(ctx context.Context, u string, body []byte) (*Exchange, error) {
	return c.do(ctx, c.pipeline, u, nil, body)
}

// Authorization is what a probe carries in its Authorization header.
type Authorization struct {
	values []string
}

// NoAuthorization sends no Authorization header.
var NoAuthorization = Authorization{}

// RawAuthorization sends value as it is, malformed or not.
func RawAuthorization(value string) Authorization { return Authorization{values: []string{value}} }

// BearerToken sends "Bearer <token>", for a token the credential would not give (expired, wrong audience).
func BearerToken(token string) Authorization { return RawAuthorization("Bearer " + token) }

// Probe POSTs to u with the given Authorization instead of the credential's token, through the same
// transport and policies as ListKeys, so it records and replays like any other call.
func (c *Client) Probe(ctx context.Context, u string, auth Authorization) (*Exchange, error) {
	return c.do(ctx, c.probes, u, auth.values, nil)
}

func (c *Client) do(ctx context.Context, pipeline runtime.Pipeline, u string, authorization []string, body []byte) (*Exchange, error) {
	sent := &sentRequests{}
	req, err := runtime.NewRequest(context.WithValue(ctx, sentKey{}, sent), http.MethodPost, u)
	if err != nil {
		return nil, fmt.Errorf("listKeys request: %w", err)
	}
	req.Raw().Header.Set("Accept", "application/json")
	if c.requestID != "" {
		req.Raw().Header.Set("x-ms-client-request-id", c.requestID) // the request-id policy keeps one that is set
	}
	if body != nil {
		if err := req.SetBody(streaming.NopCloser(bytes.NewReader(body)), "application/json"); err != nil {
			return nil, fmt.Errorf("request body: %w", err)
		}
	}
	if authorization != nil {
		req.Raw().Header["Authorization"] = authorization
	}
	// The body is read here, under MaxBody, instead of whole by azcore.
	runtime.SkipBodyDownload(req)
	resp, err := pipeline.Do(req)
	if err != nil {
		return nil, fmt.Errorf("listKeys after %d attempt(s): %w", sent.attempts, err)
	}
	defer resp.Body.Close()
	if sent.last != nil && body != nil {
		sent.last.Body = body
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("listKeys: reading the %d response: %w", resp.StatusCode, err)
	}
	truncated := len(body) > MaxBody
	if truncated {
		body = body[:MaxBody]
	}
	return &Exchange{
		Exchange: contract.Exchange{
			Status:  resp.StatusCode,
			Header:  resp.Header.Clone(),
			Body:    body,
			Request: sent.last,
		},
		Attempts:  sent.attempts,
		Truncated: truncated,
	}, nil
}

// sentKey carries a *sentRequests in a call's context down to capturingTransport.
type sentKey struct{}

// sentRequests is what the transport saw of one call. A call's attempts run one after another on the
// caller's goroutine (azcore's pipeline is synchronous), so it needs no lock.
type sentRequests struct {
	attempts int
	last     *contract.Request
}

// capturingTransport sits under every policy, so it counts each attempt and sees the request as it leaves,
// token included (and masked here).
type capturingTransport struct {
	next policy.Transporter
}

func (t capturingTransport) Do(req *http.Request) (*http.Response, error) {
	if sent, ok := req.Context().Value(sentKey{}).(*sentRequests); ok {
		sent.attempts++
		u := *req.URL
		header := req.Header.Clone()
		if values := header.Values("Authorization"); len(values) > 0 {
			masked := make([]string, len(values))
			for i, v := range values {
				masked[i] = maskAuthorization(v)
			}
			header["Authorization"] = masked
		}
		sent.last = &contract.Request{Method: req.Method, URL: &u, Header: header}
	}
	return t.next.Do(req)
}

// maskAuthorization keeps the scheme, so the request still shows "Bearer <token>", and masks the credential.
func maskAuthorization(v string) string {
	if scheme, credential, ok := strings.Cut(v, " "); ok {
		return scheme + " " + Mask(credential)
	}
	return Mask(v)
}
