package arm_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
)

// emulatorServer serves the emulator over TLS (the bearer policy refuses plain http) and counts requests.
func emulatorServer(t *testing.T, cfg emulator.Config) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var requests atomic.Int32
	e := emulator.New(cfg)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		e.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

// configFor is the configuration a run against srv would load, in mode.
func configFor(t *testing.T, srv *httptest.Server, mode arm.Mode, vars ...string) arm.Config {
	t.Helper()
	m := map[string]string{
		arm.EnvMode:          string(mode),
		arm.EnvEndpoint:      srv.URL,
		arm.EnvSubscription:  emulator.DefaultSubscriptionID,
		arm.EnvResourceGroup: emulator.DefaultResourceGroup,
		arm.EnvWorkspace:     emulator.DefaultWorkspace,
	}
	for i := 0; i+1 < len(vars); i += 2 {
		m[vars[i]] = vars[i+1]
	}
	cfg, err := arm.LoadConfig(env(m))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func newClient(t *testing.T, srv *httptest.Server, mode arm.Mode, cred azcore.TokenCredential, opts ...arm.Option) (*arm.Client, arm.Config) {
	t.Helper()
	cfg := configFor(t, srv, mode)
	c, err := arm.NewClient(cfg, cred, srv.Client(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c, cfg
}

func mustConformant(t *testing.T, ex *arm.Exchange) {
	t.Helper()
	report, err := contract.MustDefault().Validate("", ex.Exchange)
	if err != nil {
		t.Fatal(err)
	}
	if !report.Conformant(false) {
		t.Errorf("the %d exchange is not conformant: %+v", ex.Status, report.Violations)
	}
}

func TestListKeysReturnsAConformantExchange(t *testing.T) {
	srv, _ := emulatorServer(t, emulator.DefaultConfig())
	client, cfg := newClient(t, srv, arm.Live, arm.StaticCredential(emulator.ValidToken))
	ex, err := client.ListKeys(context.Background(), cfg.Params())
	if err != nil {
		t.Fatal(err)
	}
	if ex.Status != http.StatusOK || ex.Attempts != 1 || ex.Truncated {
		t.Fatalf("status %d after %d attempt(s), truncated %v: %s", ex.Status, ex.Attempts, ex.Truncated, ex.Body)
	}
	mustConformant(t, ex)

	req := ex.Request
	if req == nil {
		t.Fatal("the exchange has no request")
	}
	if report := contract.MustDefault().ValidateRequest(*req); len(report.Violations) > 0 {
		t.Errorf("the request as sent breaks the contract: %+v", report.Violations)
	}
	wantURL, _ := client.URL(cfg.Params())
	checks := []struct{ what, got, want string }{
		{"method", req.Method, "POST"},
		{"URL", req.URL.String(), wantURL},
		{"Accept", req.Header.Get("Accept"), "application/json"},
		{"Authorization", req.Header.Get("Authorization"), "Bearer ****oken"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s %q, want %q", c.what, c.got, c.want)
		}
	}
	if ua := req.Header.Get("User-Agent"); !strings.HasPrefix(ua, "azsdk-go-listkeys-conformance/v0.1.0 ") {
		t.Errorf("User-Agent %q", ua)
	}
	if req.Header.Get("x-ms-client-request-id") == "" {
		t.Error("no x-ms-client-request-id")
	}
	if len(req.Body) != 0 {
		t.Errorf("a %d-byte body was sent", len(req.Body))
	}
}

func TestListKeysReturnsErrorAnswersAsExchanges(t *testing.T) {
	srv, _ := emulatorServer(t, emulator.DefaultConfig())
	client, cfg := newClient(t, srv, arm.Live, arm.StaticCredential(emulator.ValidToken))
	p := cfg.Params()
	p.Workspace = "nosuchworkspace"
	ex, err := client.ListKeys(context.Background(), p)
	if err != nil {
		t.Fatalf("a 404 is an answer to examine, not a Go error: %v", err)
	}
	if ex.Status != http.StatusNotFound || contract.ErrorCode(ex.Body) != "ResourceNotFound" {
		t.Errorf("status %d, body %s", ex.Status, ex.Body)
	}
	mustConformant(t, ex)
}

func TestListKeysSendsNothingForBadParameters(t *testing.T) {
	srv, requests := emulatorServer(t, emulator.DefaultConfig())
	client, cfg := newClient(t, srv, arm.Live, arm.StaticCredential(emulator.ValidToken))
	p := cfg.Params()
	p.ResourceGroup = ".."
	ex, err := client.ListKeys(context.Background(), p)
	var pe *arm.ParamError
	if !errors.As(err, &pe) || pe.Name != "resourceGroupName" {
		t.Fatalf("exchange %+v, error %v; want a *ParamError for resourceGroupName", ex, err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d request(s) reached the server", n)
	}
}

// fastRetries are record/live retries with the backoff shortened: the emulator's Retry-After 0 makes azcore
// fall back to its computed backoff (0.8 s and up), which a test need not wait for.
func fastRetries() policy.RetryOptions {
	r := arm.RetryOptions(arm.Record)
	r.RetryDelay = time.Millisecond
	return r
}

func TestRetryOptionsByMode(t *testing.T) {
	if got := arm.RetryOptions(arm.Replay); got.MaxRetries != -1 {
		t.Errorf("replay MaxRetries %d, want -1 (no retries)", got.MaxRetries)
	}
	for _, m := range []arm.Mode{arm.Record, arm.Live} {
		if got := arm.RetryOptions(m); got.MaxRetries != 0 || got.RetryDelay != 0 || got.StatusCodes != nil {
			t.Errorf("%s: %+v, want azcore's defaults (the zero value)", m, got)
		}
	}
}

func TestTransientFailuresAreRetriedInRecordAndLive(t *testing.T) {
	for _, workspace := range []string{emulator.ThrottledOnceWorkspace, emulator.Transient503Workspace, emulator.Transient500Workspace} {
		t.Run(workspace, func(t *testing.T) {
			emu := emulator.DefaultConfig()
			emu.RetryAfter = 0
			srv, requests := emulatorServer(t, emu)
			client, cfg := newClient(t, srv, arm.Record, arm.StaticCredential(emulator.ValidToken), arm.WithRetry(fastRetries()))
			p := cfg.Params()
			p.Workspace = workspace
			ex, err := client.ListKeys(context.Background(), p)
			if err != nil {
				t.Fatal(err)
			}
			if ex.Status != http.StatusOK || ex.Attempts != 2 || requests.Load() != 2 {
				t.Errorf("status %d after %d attempt(s) (%d at the server), want 200 after 2", ex.Status, ex.Attempts, requests.Load())
			}
		})
	}
}

func TestReplayDoesNotRetry(t *testing.T) {
	emu := emulator.DefaultConfig()
	emu.RetryAfter = 0
	srv, requests := emulatorServer(t, emu)
	client, cfg := newClient(t, srv, arm.Replay, arm.StaticCredential(emulator.ValidToken))
	p := cfg.Params()
	p.Workspace = emulator.ThrottledOnceWorkspace
	ex, err := client.ListKeys(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Status != http.StatusTooManyRequests || ex.Attempts != 1 || requests.Load() != 1 {
		t.Fatalf("status %d after %d attempt(s), want one 429", ex.Status, ex.Attempts)
	}
	if ra := ex.Header.Get("Retry-After"); ra != "0" {
		t.Errorf("Retry-After %q", ra)
	}
	mustConformant(t, ex)
}

// failingTransport stands for a recorder that has no interaction for the request.
type failingTransport struct{ calls atomic.Int32 }

var errNoInteraction = errors.New("requested interaction not found")

func (f *failingTransport) Do(*http.Request) (*http.Response, error) {
	f.calls.Add(1)
	return nil, errNoInteraction
}

func TestReplayFailsFastOnATransportError(t *testing.T) {
	cfg, err := arm.LoadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	transport := &failingTransport{}
	client, err := arm.NewClient(cfg, arm.StaticCredential("replayed"), transport)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = client.ListKeys(context.Background(), validParams())
	if !errors.Is(err, errNoInteraction) {
		t.Errorf("error %v does not wrap the transport's", err)
	}
	if n := transport.calls.Load(); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

func TestProbesCarryTheAuthorizationAsked(t *testing.T) {
	srv, _ := emulatorServer(t, emulator.DefaultConfig())
	// The credential's token is valid: a probe must not send it.
	client, cfg := newClient(t, srv, arm.Live, arm.StaticCredential(emulator.ValidToken))
	u, err := client.URL(cfg.Params())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		auth       arm.Authorization
		status     int
		code       string
		sentHeader []string // the masked Authorization values recorded
	}{
		{"no header", arm.NoAuthorization, 401, "AuthenticationFailed", nil},
		{"empty header", arm.RawAuthorization(""), 401, "AuthenticationFailed", []string{""}},
		{"another scheme", arm.RawAuthorization("Basic dXNlcjpwYXNzd29yZA=="), 401, "AuthenticationFailedInvalidHeader", []string{"Basic ****ZA=="}},
		{"no token", arm.RawAuthorization("Bearer"), 401, "AuthenticationFailedInvalidHeader", []string{"****"}},
		{"unknown token", arm.BearerToken("made-up-token"), 401, "InvalidAuthenticationToken", []string{"Bearer ****oken"}},
		{"expired token", arm.BearerToken(emulator.ExpiredToken), 401, "ExpiredAuthenticationToken", []string{"Bearer ****oken"}},
		{"wrong audience", arm.BearerToken(emulator.WrongAudienceToken), 401, "InvalidAuthenticationTokenAudience", []string{"Bearer ****oken"}},
		{"no permission", arm.BearerToken(emulator.NoPermissionToken), 403, "AuthorizationFailed", []string{"Bearer ****oken"}},
		{"valid token", arm.BearerToken(emulator.ValidToken), 200, "", []string{"Bearer ****oken"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := client.Probe(context.Background(), u, tt.auth)
			if err != nil {
				t.Fatal(err)
			}
			if ex.Status != tt.status || (tt.code != "" && contract.ErrorCode(ex.Body) != tt.code) {
				t.Errorf("status %d, body %s; want %d %s", ex.Status, ex.Body, tt.status, tt.code)
			}
			if got := ex.Request.Header.Values("Authorization"); strings.Join(got, "|") != strings.Join(tt.sentHeader, "|") || len(got) != len(tt.sentHeader) {
				t.Errorf("recorded Authorization %q, want %q", got, tt.sentHeader)
			}
			if ex.Request.Header.Get("Accept") != "application/json" || ex.Request.Header.Get("User-Agent") == "" {
				t.Errorf("a probe lacks the pipeline's headers: %v", ex.Request.Header)
			}
			mustConformant(t, ex)
		})
	}
}

func TestAnExpiredCredentialTokenIsAnAnswerToo(t *testing.T) {
	srv, requests := emulatorServer(t, emulator.DefaultConfig())
	client, cfg := newClient(t, srv, arm.Live, arm.StaticCredential(emulator.ExpiredToken))
	ex, err := client.ListKeys(context.Background(), cfg.Params())
	if err != nil {
		t.Fatal(err)
	}
	if ex.Status != 401 || contract.ErrorCode(ex.Body) != "ExpiredAuthenticationToken" || requests.Load() != 1 {
		t.Errorf("status %d after %d request(s): %s", ex.Status, requests.Load(), ex.Body)
	}
}

func TestUnsafeURLReachesTheServerAsOneSegment(t *testing.T) {
	srv, _ := emulatorServer(t, emulator.DefaultConfig())
	client, cfg := newClient(t, srv, arm.Live, arm.StaticCredential(emulator.ValidToken))
	tests := []struct{ group, code string }{
		{"a/b", "InvalidResourceGroup"}, // one segment holding "/", not two segments
		{"..", "InvalidResourceGroup"},  // a name ending in ".", not a step up
		{"a?b", "InvalidResourceGroup"},
		{emulator.EmptyResourceGroup, "ResourceNotFound"},
	}
	for _, tt := range tests {
		p := cfg.Params()
		p.ResourceGroup = tt.group
		u, err := client.UnsafeURL(p)
		if err != nil {
			t.Fatal(err)
		}
		ex, err := client.Send(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		if code := contract.ErrorCode(ex.Body); code != tt.code {
			t.Errorf("group %q: %d %s, want %s", tt.group, ex.Status, code, tt.code)
		}
	}
}

// TestSentPathsKeepOneSegmentPerValue is the by-construction property on the wire: whatever the values,
// the request-target the server receives has the template's segments and exactly the api-version query.
func TestSentPathsKeepOneSegmentPerValue(t *testing.T) {
	var mu sync.Mutex
	var received string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		received = r.RequestURI
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	// Probes carry no token, so plain http is allowed.
	client, _ := newClient(t, srv, arm.Live, arm.StaticCredential("unused"))
	for _, p := range append(unsafeCases(), validCases()...) {
		u, err := client.UnsafeURL(p)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := client.Probe(context.Background(), u, arm.NoAuthorization); err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		mu.Lock()
		got := received
		mu.Unlock()
		checkOneSegmentEach(t, got, p)
	}
}

func TestBodiesAreCapped(t *testing.T) {
	big := strings.Repeat("x", arm.MaxBody+100)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(big))
	}))
	t.Cleanup(srv.Close)
	client, cfg := newClient(t, srv, arm.Live, arm.StaticCredential(emulator.ValidToken))
	ex, err := client.ListKeys(context.Background(), cfg.Params())
	if err != nil {
		t.Fatal(err)
	}
	if !ex.Truncated || len(ex.Body) != arm.MaxBody {
		t.Errorf("truncated %v, %d bytes kept", ex.Truncated, len(ex.Body))
	}
}

// scopeRecorder is a credential that remembers the scopes it was asked for.
type scopeRecorder struct {
	mu     sync.Mutex
	scopes []string
}

func (s *scopeRecorder) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes = append(s.scopes, o.Scopes...)
	return azcore.AccessToken{Token: emulator.ValidToken, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func TestTheEndpointOverrideKeepsTheCloudsAudience(t *testing.T) {
	srv, _ := emulatorServer(t, emulator.DefaultConfig())
	tests := []struct{ cloud, scope string }{
		{arm.AzurePublic, "https://management.core.windows.net//.default"},
		{arm.AzureChina, "https://management.core.chinacloudapi.cn//.default"},
		{arm.AzureGovernment, "https://management.core.usgovcloudapi.net//.default"},
	}
	for _, tt := range tests {
		t.Run(tt.cloud, func(t *testing.T) {
			cfg := configFor(t, srv, arm.Live, arm.EnvCloud, tt.cloud)
			cred := &scopeRecorder{}
			client, err := arm.NewClient(cfg, cred, srv.Client())
			if err != nil {
				t.Fatal(err)
			}
			if client.Endpoint() != srv.URL {
				t.Errorf("endpoint %s, want the override %s", client.Endpoint(), srv.URL)
			}
			ex, err := client.ListKeys(context.Background(), cfg.Params())
			if err != nil || ex.Status != 200 {
				t.Fatalf("%v %+v", err, ex)
			}
			if strings.Join(cred.scopes, " ") != tt.scope {
				t.Errorf("scopes %q, want %s", cred.scopes, tt.scope)
			}
		})
	}
}

func TestClientEndpointIsTheCloudsWithoutOverride(t *testing.T) {
	for cloudName, want := range map[string]string{
		arm.AzurePublic:     "https://management.azure.com",
		arm.AzureChina:      "https://management.chinacloudapi.cn",
		arm.AzureGovernment: "https://management.usgovcloudapi.net",
	} {
		cfg, err := arm.LoadConfig(env(map[string]string{arm.EnvCloud: cloudName}))
		if err != nil {
			t.Fatal(err)
		}
		client, err := arm.NewClient(cfg, arm.StaticCredential("t"), &failingTransport{})
		if err != nil {
			t.Fatal(err)
		}
		if client.Endpoint() != want {
			t.Errorf("%s: endpoint %s, want %s", cloudName, client.Endpoint(), want)
		}
	}
}

func TestNewClientNeedsACredential(t *testing.T) {
	if _, err := arm.NewClient(arm.Config{}, nil, &failingTransport{}); err == nil {
		t.Error("no error without a credential")
	}
}

func TestDefaultCredentialIsBuiltForEachCloud(t *testing.T) {
	for _, cloudName := range []string{arm.AzurePublic, arm.AzureChina, arm.AzureGovernment} {
		cfg, err := arm.LoadConfig(env(map[string]string{arm.EnvCloud: cloudName}))
		if err != nil {
			t.Fatal(err)
		}
		// Building asks nothing of the network or a CLI; only GetToken would, and it is not called here.
		if cred, err := arm.DefaultCredential(cfg); err != nil || cred == nil {
			t.Errorf("%s: %v", cloudName, err)
		}
	}
}
