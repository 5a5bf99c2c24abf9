package emulator_test

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
)

var fixedNow = time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)

const version = "api-version=2025-12-15-preview"

var valid = "Bearer " + emulator.ValidToken

// newServer serves a fresh emulator with DefaultConfig and a fixed clock, so once-scenarios start unspent.
func newServer(t *testing.T, cfg emulator.Config) (*httptest.Server, *emulator.Emulator) {
	t.Helper()
	cfg.Now = func() time.Time { return fixedNow }
	e := emulator.New(cfg)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv, e
}

// keysPath is the operation's path; the names go in as given, already escaped where a test wants that.
func keysPath(sub, group, workspace string) string {
	return "/subscriptions/" + sub + "/resourceGroups/" + group +
		"/providers/Microsoft.Quantum/workspaces/" + workspace + "/listKeys"
}

func defaultPath(workspace string) string {
	return keysPath(emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, workspace)
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func call(t *testing.T, srv *httptest.Server, method, target, authorization string, extra http.Header) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+target, nil)
	if err != nil {
		t.Fatalf("building %s %s: %v", method, target, err)
	}
	for name, values := range extra {
		req.Header[name] = values
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the body of %s %s: %v", method, target, err)
	}
	return answer{resp.StatusCode, resp.Header, body}
}

type armError struct {
	Error struct {
		Code    *string `json:"code"`
		Message *string `json:"message"`
	} `json:"error"`
}

// errorOf decodes an ARM error body and insists on both members being present.
func errorOf(t *testing.T, a answer) (code, message string) {
	t.Helper()
	var e armError
	if err := json.Unmarshal(a.body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v\n%s", err, a.body)
	}
	if e.Error.Code == nil || e.Error.Message == nil {
		t.Fatalf("error body lacks error.code or error.message: %s", a.body)
	}
	return *e.Error.Code, *e.Error.Message
}

var (
	guidPattern    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	edgeRefPattern = regexp.MustCompile(`^Ref A: [0-9A-F]{32} Ref B: [A-Z0-9]+ Ref C: 2026-01-01T12:00:00Z$`)
	challenge      = regexp.MustCompile(`^Bearer authorization_uri="https://login\.windows\.net/` + emulator.DefaultTenantID +
		`", error="invalid_token", error_description="[^"]+"$`)
)

// checkCommonHeaders asserts what ARM sets on every response, error or not.
func checkCommonHeaders(t *testing.T, h http.Header) {
	t.Helper()
	fixed := map[string]string{
		"Content-Type":              "application/json; charset=utf-8",
		"Date":                      fixedNow.Format(http.TimeFormat),
		"Cache-Control":             "no-cache",
		"Pragma":                    "no-cache",
		"Expires":                   "-1",
		"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
		"X-Content-Type-Options":    "nosniff",
		"Vary":                      "Accept-Encoding",
		"X-Cache":                   "CONFIG_NOCACHE",
	}
	for name, want := range fixed {
		if got := h.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	for _, name := range []string{"x-ms-request-id", "x-ms-correlation-request-id"} {
		if got := h.Get(name); !guidPattern.MatchString(got) {
			t.Errorf("header %s = %q, want a GUID", name, got)
		}
	}
	if h.Get("x-ms-request-id") == h.Get("x-ms-correlation-request-id") {
		t.Errorf("x-ms-request-id equals x-ms-correlation-request-id (%s): real ARM's differ", h.Get("x-ms-request-id"))
	}
	// ARM's front end, not the workspace's region, then the time, then the correlation id.
	if got, want := h.Get("x-ms-routing-request-id"), "SOUTHEASTASIA:20260101T120000Z:"+h.Get("x-ms-correlation-request-id"); got != want {
		t.Errorf("header x-ms-routing-request-id = %q, want %q (FRONT-END REGION:time:correlation id)", got, want)
	}
	if got := h.Get("x-msedge-ref"); !edgeRefPattern.MatchString(got) {
		t.Errorf("header x-msedge-ref = %q, want Ref A: <32 hex> Ref B: <node> Ref C: <time>", got)
	}
}

func TestErrorsAndOrderOfChecks(t *testing.T) {
	const unknownSub = "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE" // upper-case hex is well-formed
	tests := []struct {
		name          string
		method        string
		target        string
		authorization string // "" sends no Authorization header
		wantStatus    int
		wantCode      string // "" for a 200
		wantGateway   bool
		wantHeader    map[string]string
		wantInMessage string
	}{
		{name: "the documented example", method: "POST", target: defaultPath(emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 200},
		{name: "segments and names are case-insensitive", method: "POST",
			target:        "/SUBSCRIPTIONS/" + emulator.DefaultSubscriptionID + "/RESOURCEGROUPS/QUANTUMRESOURCEGROUP/PROVIDERS/microsoft.quantum/WORKSPACES/QuantumWorkspace1/LISTKEYS?" + version,
			authorization: valid, wantStatus: 200},
		{name: "api-version name and preview suffix are case-insensitive", method: "POST",
			target:        defaultPath(emulator.DefaultWorkspace) + "?API-Version=2025-12-15-PREVIEW",
			authorization: valid, wantStatus: 200},
		{name: "keys disabled still answers with keys", method: "POST", target: defaultPath(emulator.KeysDisabledWorkspace) + "?" + version,
			authorization: valid, wantStatus: 200},

		{name: "unknown path", method: "POST", target: "/subscriptions/" + emulator.DefaultSubscriptionID + "?" + version,
			authorization: valid, wantStatus: 404, wantCode: "NotFound", wantGateway: true},
		{name: "an extra segment", method: "POST", target: defaultPath(emulator.DefaultWorkspace) + "/more?" + version,
			authorization: valid, wantStatus: 404, wantCode: "NotFound", wantGateway: true},
		{name: "another provider", method: "POST",
			target:        strings.Replace(defaultPath(emulator.DefaultWorkspace), "Microsoft.Quantum", "Microsoft.Storage", 1) + "?" + version,
			authorization: valid, wantStatus: 404, wantCode: "NotFound", wantGateway: true},
		{name: "GET before authentication", method: "GET", target: defaultPath(emulator.DefaultWorkspace) + "?" + version,
			wantStatus: 405, wantCode: "MethodNotAllowed", wantGateway: true, wantHeader: map[string]string{"Allow": "POST"}},

		{name: "no Authorization header", method: "POST", target: defaultPath(emulator.DefaultWorkspace),
			wantStatus: 401, wantCode: "AuthenticationFailed", wantGateway: true},
		{name: "Basic scheme", method: "POST", target: defaultPath(emulator.DefaultWorkspace),
			authorization: "Basic dXNlcjpwYXNz", wantStatus: 401, wantCode: "AuthenticationFailedInvalidHeader", wantGateway: true},
		{name: "Bearer without a token", method: "POST", target: defaultPath(emulator.DefaultWorkspace),
			authorization: "Bearer", wantStatus: 401, wantCode: "AuthenticationFailedInvalidHeader", wantGateway: true},
		{name: "unknown token", method: "POST", target: defaultPath(emulator.DefaultWorkspace),
			authorization: "Bearer nobody-knows-me", wantStatus: 401, wantCode: "InvalidAuthenticationToken", wantGateway: true},
		{name: "expired token", method: "POST", target: defaultPath(emulator.DefaultWorkspace),
			authorization: "Bearer " + emulator.ExpiredToken, wantStatus: 401, wantCode: "ExpiredAuthenticationToken", wantGateway: true,
			wantInMessage: "is earlier than current UTC time '1/1/2026 12:00:00 PM'"},
		{name: "token for another audience", method: "POST", target: defaultPath(emulator.DefaultWorkspace),
			authorization: "Bearer " + emulator.WrongAudienceToken, wantStatus: 401, wantCode: "InvalidAuthenticationTokenAudience", wantGateway: true},

		{name: "no api-version", method: "POST", target: defaultPath(emulator.DefaultWorkspace),
			authorization: valid, wantStatus: 400, wantCode: "MissingApiVersionParameter", wantGateway: true,
			wantInMessage: "The api-version query parameter (?api-version=) is required for all requests."},
		{name: "empty api-version", method: "POST", target: defaultPath(emulator.DefaultWorkspace) + "?api-version=",
			authorization: valid, wantStatus: 400, wantCode: "InvalidApiVersionParameter", wantGateway: true,
			wantInMessage: "The api-version '' is invalid. The supported versions are '2026-06-15-preview,2025-12-15-preview,"},
		{name: "api-version not a date", method: "POST", target: defaultPath(emulator.DefaultWorkspace) + "?api-version=latest",
			authorization: valid, wantStatus: 400, wantCode: "InvalidApiVersionParameter", wantGateway: true},
		{name: "api-version not a calendar date", method: "POST", target: defaultPath(emulator.DefaultWorkspace) + "?api-version=2025-02-30-preview",
			authorization: valid, wantStatus: 400, wantCode: "InvalidApiVersionParameter", wantGateway: true},
		{name: "api-version repeated", method: "POST", target: defaultPath(emulator.DefaultWorkspace) + "?" + version + "&" + version,
			authorization: valid, wantStatus: 400, wantCode: "InvalidApiVersionParameter", wantGateway: true},
		{name: "api-version not served", method: "POST", target: defaultPath(emulator.DefaultWorkspace) + "?api-version=2020-01-01",
			authorization: valid, wantStatus: 400, wantCode: "NoRegisteredProviderFound", wantGateway: true,
			wantInMessage: "No registered resource provider found for location 'westus2' and API version '2020-01-01' for type 'workspaces'. The supported api-versions are '2023-11-13-preview, 2025-01-01-preview, 2025-08-11-preview, 2025-11-01-preview, 2025-12-15-preview, 2026-06-15-preview'. The supported locations are 'westus2'."},

		{name: "subscription not a GUID", method: "POST", target: keysPath("not-a-guid", emulator.DefaultResourceGroup, emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 400, wantCode: "InvalidSubscriptionId", wantGateway: true,
			wantInMessage: "The provided subscription identifier 'not-a-guid' is malformed or invalid."},
		{name: "unknown subscription", method: "POST", target: keysPath(unknownSub, emulator.DefaultResourceGroup, emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 404, wantCode: "SubscriptionNotFound", wantGateway: true,
			wantInMessage: "The subscription '" + unknownSub + "' could not be found."},
		{name: "no permission, after the subscription check", method: "POST",
			target:        keysPath(unknownSub, emulator.DefaultResourceGroup, emulator.DefaultWorkspace) + "?" + version,
			authorization: "Bearer " + emulator.NoPermissionToken, wantStatus: 404, wantCode: "SubscriptionNotFound", wantGateway: true},
		{name: "no permission", method: "POST", target: defaultPath(emulator.DefaultWorkspace) + "?" + version,
			authorization: "Bearer " + emulator.NoPermissionToken, wantStatus: 403, wantCode: "AuthorizationFailed", wantGateway: true,
			wantInMessage: "perform action 'Microsoft.Quantum/workspaces/listKeys/action' over scope '/subscriptions/" + emulator.DefaultSubscriptionID +
				"/resourceGroups/quantumResourcegroup/providers/Microsoft.Quantum/workspaces/quantumworkspace1' or the scope is invalid."},
		{name: "no permission, before the resource group check", method: "POST",
			target:        keysPath(emulator.DefaultSubscriptionID, "missing", emulator.DefaultWorkspace) + "?" + version,
			authorization: "Bearer " + emulator.NoPermissionToken, wantStatus: 403, wantCode: "AuthorizationFailed", wantGateway: true},

		{name: "resource group with a space", method: "POST", target: keysPath(emulator.DefaultSubscriptionID, "bad%20group", emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 400, wantCode: "InvalidResourceGroup", wantGateway: true,
			wantInMessage: "The provided resource group name 'bad group' has these invalid characters: ' '."},
		{name: "resource group with an encoded slash", method: "POST", target: keysPath(emulator.DefaultSubscriptionID, "a%2Fb", emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 400, wantCode: "InvalidResourceGroup", wantGateway: true,
			wantInMessage: "'a/b' has these invalid characters: '/'."},
		{name: "resource group with a quote", method: "POST", target: keysPath(emulator.DefaultSubscriptionID, `a%22b%22`, emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 400, wantCode: "InvalidResourceGroup", wantGateway: true,
			wantInMessage: `'a"b"' has these invalid characters: '"'.`},
		{name: "resource group of 91 characters", method: "POST", target: keysPath(emulator.DefaultSubscriptionID, strings.Repeat("g", 91), emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 400, wantCode: "InvalidResourceGroup", wantGateway: true},
		{name: "resource group ending in a period", method: "POST", target: keysPath(emulator.DefaultSubscriptionID, "group.", emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 400, wantCode: "InvalidResourceGroup", wantGateway: true},
		{name: "empty resource group", method: "POST", target: keysPath(emulator.DefaultSubscriptionID, "", emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 400, wantCode: "InvalidResourceGroup", wantGateway: true},
		{name: "resource group of 90 Unicode letters is well-formed", method: "POST",
			target:        keysPath(emulator.DefaultSubscriptionID, url.PathEscape(strings.Repeat("ü", 90)), emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 404, wantCode: "ResourceGroupNotFound", wantGateway: true},
		{name: "unknown resource group", method: "POST", target: keysPath(emulator.DefaultSubscriptionID, "Gruppe_(1).x", emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 404, wantCode: "ResourceGroupNotFound", wantGateway: true,
			wantInMessage: "Resource group 'Gruppe_(1).x' could not be found."},
		{name: "subscription without resource groups", method: "POST", target: keysPath(emulator.EmptySubscriptionID, emulator.DefaultResourceGroup, emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 404, wantCode: "ResourceGroupNotFound", wantGateway: true},

		{name: "resource group without workspaces", method: "POST", target: keysPath(emulator.DefaultSubscriptionID, emulator.EmptyResourceGroup, emulator.DefaultWorkspace) + "?" + version,
			authorization: valid, wantStatus: 404, wantCode: "ResourceNotFound", wantGateway: true,
			wantInMessage: "The Resource 'Microsoft.Quantum/workspaces/quantumworkspace1' under resource group 'emptyGroup' was not found."},
		{name: "unknown workspace", method: "POST", target: defaultPath("nosuchworkspace") + "?" + version,
			authorization: valid, wantStatus: 404, wantCode: "ResourceNotFound", wantGateway: true},
		{name: "workspace name the pattern refuses", method: "POST", target: defaultPath("quantum_workspace") + "?" + version,
			authorization: valid, wantStatus: 404, wantCode: "ResourceNotFound", wantGateway: true},

		{name: "throttled once", method: "POST", target: defaultPath(emulator.ThrottledOnceWorkspace) + "?" + version,
			authorization: valid, wantStatus: 429, wantCode: "SubscriptionRequestsThrottled", wantGateway: true,
			wantHeader: map[string]string{"Retry-After": "1"}},
		{name: "transient 503", method: "POST", target: defaultPath(emulator.Transient503Workspace) + "?" + version,
			authorization: valid, wantStatus: 503, wantCode: "ServiceUnavailable"},
		{name: "transient 500", method: "POST", target: defaultPath(emulator.Transient500Workspace) + "?" + version,
			authorization: valid, wantStatus: 500, wantCode: "InternalServerError"},
		{name: "internal error", method: "POST", target: defaultPath(emulator.InternalErrorWorkspace) + "?" + version,
			authorization: valid, wantStatus: 500, wantCode: "InternalServerError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newServer(t, emulator.DefaultConfig())
			a := call(t, srv, tt.method, tt.target, tt.authorization, nil)
			if a.status != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %s", a.status, tt.wantStatus, a.body)
			}
			checkCommonHeaders(t, a.header)
			if tt.wantStatus == http.StatusOK {
				if got := a.header.Get("x-ms-ratelimit-remaining-subscription-writes"); got != "799" {
					t.Errorf("x-ms-ratelimit-remaining-subscription-writes = %q, want 799", got)
				}
				if got := a.header.Get("x-ms-ratelimit-remaining-subscription-global-writes"); got != "11999" {
					t.Errorf("x-ms-ratelimit-remaining-subscription-global-writes = %q, want 11999", got)
				}
			} else {
				code, message := errorOf(t, a)
				if code != tt.wantCode {
					t.Errorf("error.code %q, want %q (message %q)", code, tt.wantCode, message)
				}
				if !strings.Contains(message, tt.wantInMessage) {
					t.Errorf("error.message %q does not contain %q", message, tt.wantInMessage)
				}
			}
			cause := a.header.Get("x-ms-failure-cause")
			if tt.wantGateway && cause != "gateway" {
				t.Errorf("x-ms-failure-cause = %q, want gateway: ARM itself refused the request", cause)
			}
			if !tt.wantGateway && cause != "" {
				t.Errorf("x-ms-failure-cause = %q, want none: the provider answered", cause)
			}
			if got := a.header.Get("WWW-Authenticate"); (a.status == http.StatusUnauthorized) != (got != "") ||
				got != "" && !challenge.MatchString(got) {
				t.Errorf("WWW-Authenticate = %q on a %d; want a Bearer challenge exactly on a 401", got, a.status)
			}
			for name, want := range tt.wantHeader {
				if got := a.header.Get(name); got != want {
					t.Errorf("header %s = %q, want %q", name, got, want)
				}
			}
		})
	}
}

func TestOnceScenariosFailOnlyTheFirstCall(t *testing.T) {
	tests := []struct {
		workspace string
		want      []int
	}{
		{emulator.ThrottledOnceWorkspace, []int{429, 200, 200}},
		{emulator.Transient503Workspace, []int{503, 200, 200}},
		{emulator.Transient500Workspace, []int{500, 200, 200}},
		{emulator.InternalErrorWorkspace, []int{500, 500, 500}},
		{emulator.ThrottledWorkspace, []int{429, 429, 429}},
		{emulator.DefaultWorkspace, []int{200, 200, 200}},
	}
	for _, tt := range tests {
		t.Run(tt.workspace, func(t *testing.T) {
			srv, _ := newServer(t, emulator.DefaultConfig())
			for i, want := range tt.want {
				a := call(t, srv, "POST", defaultPath(tt.workspace)+"?"+version, valid, nil)
				if a.status != want {
					t.Errorf("call %d: status %d, want %d", i+1, a.status, want)
				}
			}
		})
	}
}

func TestOnceScenariosFailExactlyOnceUnderConcurrentCalls(t *testing.T) {
	tests := []struct {
		workspace  string
		failStatus int
	}{
		{emulator.ThrottledOnceWorkspace, 429},
		{emulator.Transient503Workspace, 503},
		{emulator.Transient500Workspace, 500},
	}
	const calls = 32
	for _, tt := range tests {
		t.Run(tt.workspace, func(t *testing.T) {
			// In process rather than over loopback: the point is the emulator's state, not socket limits.
			e := emulator.New(emulator.DefaultConfig())
			statuses := make(chan int, calls)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for range calls {
				wg.Go(func() {
					req := httptest.NewRequest("POST", defaultPath(tt.workspace)+"?"+version, nil)
					req.Header.Set("Authorization", valid)
					rec := httptest.NewRecorder()
					<-start
					e.ServeHTTP(rec, req)
					statuses <- rec.Code
				})
			}
			close(start)
			wg.Wait()
			close(statuses)
			count := map[int]int{}
			for s := range statuses {
				count[s]++
			}
			if count[tt.failStatus] != 1 || count[http.StatusOK] != calls-1 {
				t.Errorf("statuses %v, want exactly one %d and %d × 200", count, tt.failStatus, calls-1)
			}
		})
	}
}

type listKeysResult struct {
	APIKeyEnabled bool `json:"apiKeyEnabled"`
	PrimaryKey    struct {
		CreatedAt string `json:"createdAt"`
		Key       string `json:"key"`
	} `json:"primaryKey"`
	SecondaryKey struct {
		CreatedAt string `json:"createdAt"`
		Key       string `json:"key"`
	} `json:"secondaryKey"`
	PrimaryConnectionString   string `json:"primaryConnectionString"`
	SecondaryConnectionString string `json:"secondaryConnectionString"`
}

func decodeResult(t *testing.T, a answer) listKeysResult {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", a.status, a.body)
	}
	var r listKeysResult
	dec := json.NewDecoder(strings.NewReader(string(a.body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("200 body is not a ListKeysResult: %v\n%s", err, a.body)
	}
	return r
}

func connectionString(sub, group, workspace, key string) string {
	return "SubscriptionId=" + sub + ";ResourceGroupName=" + group + ";WorkspaceName=" + workspace +
		";ApiKey=" + key + ";QuantumEndpoint=https://westcentralus.quantum.azure.com/;"
}

func TestSeededKeysComeBackVerbatim(t *testing.T) {
	cfg := emulator.DefaultConfig()
	// Characters Go's encoder would escape as \u003c unless told not to: the canary must survive byte for byte.
	const primary, secondary = "<canary-primary&>", "canary+secondary/=="
	cfg.Workspaces[0].PrimaryKey, cfg.Workspaces[0].SecondaryKey = primary, secondary
	srv, _ := newServer(t, cfg)

	// The request names everything in another case: the answer uses the stored names.
	target := keysPath(emulator.DefaultSubscriptionID, "QUANTUMRESOURCEGROUP", "QuantumWorkspace1") + "?" + version
	a := call(t, srv, "POST", target, valid, nil)
	r := decodeResult(t, a)
	if !strings.Contains(string(a.body), `"key":"<canary-primary&>"`) {
		t.Errorf("body does not carry the seeded key verbatim: %s", a.body)
	}
	if r.PrimaryKey.Key != primary || r.SecondaryKey.Key != secondary {
		t.Errorf("keys %q, %q; want %q, %q", r.PrimaryKey.Key, r.SecondaryKey.Key, primary, secondary)
	}
	sub, group, ws := emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, emulator.DefaultWorkspace
	if want := connectionString(sub, group, ws, primary); r.PrimaryConnectionString != want {
		t.Errorf("primaryConnectionString %q, want %q", r.PrimaryConnectionString, want)
	}
	if want := connectionString(sub, group, ws, secondary); r.SecondaryConnectionString != want {
		t.Errorf("secondaryConnectionString %q, want %q", r.SecondaryConnectionString, want)
	}
	if !r.APIKeyEnabled {
		t.Error("apiKeyEnabled false, want true")
	}
}

func TestDerivedKeysHaveTheServiceShape(t *testing.T) {
	srv, e := newServer(t, emulator.DefaultConfig())
	r := decodeResult(t, call(t, srv, "POST", defaultPath(emulator.DefaultWorkspace)+"?"+version, valid, nil))
	for _, key := range []string{r.PrimaryKey.Key, r.SecondaryKey.Key} {
		raw, err := base64.RawURLEncoding.DecodeString(key)
		if len(key) != 86 || err != nil || len(raw) != 64 || key[76:80] != "AZQU" {
			t.Errorf("key %q: want 86 characters of base64url (64 bytes) with AZQU at offset 76 (decode error %v)", key, err)
		}
	}
	if r.PrimaryKey.Key == r.SecondaryKey.Key {
		t.Error("primary and secondary keys are equal")
	}
	stored, ok := e.Workspace(emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, emulator.DefaultWorkspace)
	if !ok || stored.PrimaryKey != r.PrimaryKey.Key || stored.SecondaryKey != r.SecondaryKey.Key {
		t.Errorf("Workspace() = %+v, %v; want the keys just served", stored, ok)
	}
	other, _ := emulator.New(emulator.DefaultConfig()).Workspace(emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, emulator.DefaultWorkspace)
	if other.PrimaryKey != stored.PrimaryKey {
		t.Error("two emulators of the same configuration derived different keys: a re-recording would differ")
	}
	seeded := emulator.DefaultConfig()
	seeded.Seed = "another"
	reseeded, _ := emulator.New(seeded).Workspace(emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, emulator.DefaultWorkspace)
	if reseeded.PrimaryKey == stored.PrimaryKey {
		t.Error("another seed derived the same key")
	}
	keysDisabled, _ := e.Workspace(emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, emulator.KeysDisabledWorkspace)
	if keysDisabled.PrimaryKey == stored.PrimaryKey {
		t.Error("two workspaces share a key")
	}
}

func TestResultBody(t *testing.T) {
	tests := []struct {
		workspace   string
		wantEnabled bool
	}{
		{emulator.DefaultWorkspace, true},
		{emulator.KeysDisabledWorkspace, false},
	}
	for _, tt := range tests {
		t.Run(tt.workspace, func(t *testing.T) {
			srv, _ := newServer(t, emulator.DefaultConfig())
			r := decodeResult(t, call(t, srv, "POST", defaultPath(tt.workspace)+"?"+version, valid, nil))
			if r.APIKeyEnabled != tt.wantEnabled {
				t.Errorf("apiKeyEnabled %v, want %v", r.APIKeyEnabled, tt.wantEnabled)
			}
			// Whole seconds with Z, as real answers have them; the two keys regenerated apart.
			for _, c := range []struct {
				got  string
				want time.Time
			}{{r.PrimaryKey.CreatedAt, catalogue.PrimaryCreated}, {r.SecondaryKey.CreatedAt, catalogue.SecondaryCreated}} {
				if want := c.want.Format("2006-01-02T15:04:05Z"); c.got != want {
					t.Errorf("createdAt %q, want %q", c.got, want)
				}
			}
			if r.PrimaryKey.CreatedAt == r.SecondaryKey.CreatedAt {
				t.Errorf("both keys created at %s; real keys are regenerated apart", r.PrimaryKey.CreatedAt)
			}
			sub, group := emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup
			if want := connectionString(sub, group, tt.workspace, r.PrimaryKey.Key); r.PrimaryConnectionString != want {
				t.Errorf("primaryConnectionString %q, want %q", r.PrimaryConnectionString, want)
			}
			if want := connectionString(sub, group, tt.workspace, r.SecondaryKey.Key); r.SecondaryConnectionString != want {
				t.Errorf("secondaryConnectionString %q, want %q", r.SecondaryConnectionString, want)
			}
		})
	}
}

// The 2024 answer for a workspace with keys disabled, byte for byte (83 bytes).
func TestKeysWithheldBody(t *testing.T) {
	srv, _ := newServer(t, emulator.DefaultConfig())
	a := call(t, srv, "POST", defaultPath(emulator.KeysWithheldWorkspace)+"?"+version, valid, nil)
	const want = `{"apiKeyEnabled":false,"primaryConnectionString":"","secondaryConnectionString":""}`
	if a.status != http.StatusOK || string(a.body) != want || len(want) != 83 {
		t.Errorf("%d %s, want 200 %s", a.status, a.body, want)
	}
}

// A client that asks for gzip gets it, chunked over HTTP/1.1, without a length; any other gets the body as
// it is, with its length. The two bodies unpack to the same bytes.
func TestCompression(t *testing.T) {
	srv, _ := newServer(t, emulator.DefaultConfig())
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	send := func(acceptEncoding string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+defaultPath(emulator.DefaultWorkspace)+"?"+version, nil)
		req.Header.Set("Authorization", valid)
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		resp, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	plainResp, plain := send("")
	if plainResp.Header.Get("Content-Encoding") != "" || plainResp.ContentLength != int64(len(plain)) || len(plainResp.TransferEncoding) != 0 {
		t.Errorf("identity answer: Content-Encoding %q, length %d for %d bytes, Transfer-Encoding %v; want no encoding and the length",
			plainResp.Header.Get("Content-Encoding"), plainResp.ContentLength, len(plain), plainResp.TransferEncoding)
	}
	for _, accept := range []string{"gzip", "gzip, deflate", "br;q=1.0, GZIP;q=0.5", "*"} {
		resp, packed := send(accept)
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.ContentLength != -1 || !slices.Equal(resp.TransferEncoding, []string{"chunked"}) {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, length %d, Transfer-Encoding %v; want gzip, chunked, no length",
				accept, resp.Header.Get("Content-Encoding"), resp.ContentLength, resp.TransferEncoding)
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(packed))
		if err != nil {
			t.Fatalf("Accept-Encoding %q: not gzip: %v", accept, err)
		}
		unpacked, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(unpacked, plain) {
			t.Errorf("Accept-Encoding %q: unpacks to %s (%v), want %s", accept, unpacked, err, plain)
		}
	}
	for _, accept := range []string{"gzip;q=0", "deflate", "identity"} {
		if resp, _ := send(accept); resp.Header.Get("Content-Encoding") != "" {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want none", accept, resp.Header.Get("Content-Encoding"))
		}
	}
}

// The same requests to two fresh emulators give the same answers, byte for byte: nothing is random and the
// clock stands still, so recording twice gives the same cassettes. A request sent again gets new ids.
func TestAnswersAreDeterministic(t *testing.T) {
	targets := []string{
		defaultPath(emulator.DefaultWorkspace) + "?" + version,
		defaultPath(emulator.DefaultWorkspace) + "?" + version,
		defaultPath("nosuchworkspace") + "?" + version,
		defaultPath(emulator.ThrottledOnceWorkspace) + "?" + version,
		defaultPath(emulator.ThrottledOnceWorkspace) + "?" + version,
	}
	play := func() []answer {
		srv := httptest.NewServer(emulator.New(emulator.DefaultConfig()))
		defer srv.Close()
		var out []answer
		for _, target := range targets {
			out = append(out, call(t, srv, "POST", target, valid, nil))
		}
		return out
	}
	first, second := play(), play()
	for i := range first {
		if !reflect.DeepEqual(first[i], second[i]) {
			t.Errorf("request %d (%s) answered differently:\n%+v\n%+v", i, targets[i], first[i], second[i])
		}
		if want := catalogue.Clock.Format(http.TimeFormat); first[i].header.Get("Date") != want {
			t.Errorf("Date %q, want the standing clock's %q", first[i].header.Get("Date"), want)
		}
	}
	if first[0].header.Get("x-ms-request-id") == first[1].header.Get("x-ms-request-id") {
		t.Error("the same request sent twice got the same x-ms-request-id")
	}
}

func TestCorrelationID(t *testing.T) {
	srv, _ := newServer(t, emulator.DefaultConfig())
	const mine = "0a1b2c3d-0000-4000-8000-00000000abcd"
	tests := []struct {
		name   string
		target string
	}{
		{"on a 200", defaultPath(emulator.DefaultWorkspace) + "?" + version},
		{"on an error", defaultPath("nosuchworkspace") + "?" + version},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := call(t, srv, "POST", tt.target, valid, http.Header{"X-Ms-Correlation-Request-Id": {mine}})
			if got := a.header.Get("x-ms-correlation-request-id"); got != mine {
				t.Errorf("x-ms-correlation-request-id = %q, want the request's %q", got, mine)
			}
			if got := a.header.Get("x-ms-request-id"); got == mine {
				t.Error("x-ms-request-id repeats the correlation id; want a new GUID")
			}
		})
	}
	first := call(t, srv, "POST", tests[0].target, valid, nil)
	second := call(t, srv, "POST", tests[0].target, valid, nil)
	if first.header.Get("x-ms-correlation-request-id") == second.header.Get("x-ms-correlation-request-id") {
		t.Error("two calls without a correlation id got the same one; want a new GUID each")
	}
}

// endless is a body that never ends: only the cap stops reading it.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

func TestRequestBodyIsDiscarded(t *testing.T) {
	tests := []struct {
		name string
		body io.Reader
	}{
		{"small", strings.NewReader(`{"unexpected":true}`)},
		{"over the cap", strings.NewReader(strings.Repeat("x", 2<<20))},
		{"endless", endless{}},
	}
	e := emulator.New(emulator.DefaultConfig())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// In process: over loopback the server lingers half a second before closing a connection whose
			// body went past the cap, which only slows the test down.
			req := httptest.NewRequest("POST", defaultPath(emulator.DefaultWorkspace)+"?"+version, tt.body)
			req.Header.Set("Authorization", valid)
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Errorf("status %d, want 200; body %s", rec.Code, rec.Body)
			}
		})
	}
}

// FuzzServeHTTP feeds odd requests straight to the handler (bypassing the server's own parsing, so it sees
// what a server would refuse too) and insists on a well-formed answer every time.
func FuzzServeHTTP(f *testing.F) {
	ok := defaultPath(emulator.DefaultWorkspace)
	f.Add("POST", ok, version, valid, "")
	f.Add("POST", ok, "api-version=%zz&api-version", "Bearer  "+emulator.ValidToken, "")
	f.Add("GET", "//subscriptions//", "", "", "")
	f.Add("POST", "/subscriptions/%2F/resourceGroups/%2e%2e/providers/Microsoft.Quantum/workspaces/%00/listKeys", version, valid, "\r\nX: y")
	f.Add("POST", keysPath(emulator.DefaultSubscriptionID, "\xff\xfe", "\"ws\""), version, "Bearer \xff", "\xff")
	f.Add("POST", keysPath(emulator.DefaultSubscriptionID, "%zz", "w"), version, valid, "")
	f.Add("DELETE", "", "", "Bearer", "")
	f.Add("POST", ok, version, "Bearer "+strings.Repeat("t", 1<<20), strings.Repeat("c", 1<<16))

	e := emulator.New(emulator.DefaultConfig())
	f.Fuzz(func(t *testing.T, method, path, rawQuery, authorization, correlation string) {
		req := &http.Request{
			Method: method,
			URL:    &url.URL{Path: path, RawPath: path, RawQuery: rawQuery},
			Header: http.Header{"Authorization": {authorization}, "X-Ms-Correlation-Request-Id": {correlation}},
			Body:   http.NoBody,
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code < 200 || rec.Code > 599 {
			t.Fatalf("status %d", rec.Code)
		}
		if rec.Code == http.StatusOK {
			return
		}
		errorOf(t, answer{rec.Code, rec.Header(), rec.Body.Bytes()})
	})
}

// TestHeaderNamesAreCanonical holds the emulator to what Header.Set would write: it sets its headers'
// names as they are, without canonicalising them per request.
func TestHeaderNamesAreCanonical(t *testing.T) {
	e := emulator.New(emulator.DefaultConfig())
	for _, target := range []string{
		defaultPath(emulator.DefaultWorkspace) + "?" + version,    // the answer with keys
		defaultPath("no-such-workspace") + "?" + version,          // ARM's own refusal
		defaultPath(emulator.DefaultWorkspace) + "?api-version=1", // a malformed api-version
	} {
		req := httptest.NewRequest("POST", target, nil)
		req.Header.Set("Authorization", valid)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if len(rec.Header()) < 10 {
			t.Fatalf("%s: only %d headers: %v", target, len(rec.Header()), rec.Header())
		}
		for name := range rec.Header() {
			if name != http.CanonicalHeaderKey(name) {
				t.Errorf("%s: header %q is not canonical (%q)", target, name, http.CanonicalHeaderKey(name))
			}
		}
	}
}

// TestHeaderTimesFollowTheClock: the times in the headers are made once a second; each answer still
// carries its own second.
func TestHeaderTimesFollowTheClock(t *testing.T) {
	now := fixedNow
	cfg := emulator.DefaultConfig()
	cfg.Now = func() time.Time { return now }
	e := emulator.New(cfg)
	for _, step := range []time.Duration{0, 400 * time.Millisecond, 700 * time.Millisecond, time.Hour, -time.Hour} {
		now = now.Add(step)
		req := httptest.NewRequest("POST", defaultPath(emulator.DefaultWorkspace)+"?"+version, nil)
		req.Header.Set("Authorization", valid)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		h := rec.Header()
		if got, want := h.Get("Date"), now.Format(http.TimeFormat); got != want {
			t.Errorf("at %s: Date %q, want %q", now, got, want)
		}
		if got, want := h.Get("X-Ms-Routing-Request-Id"), ":"+now.Format("20060102T150405Z")+":"; !strings.Contains(got, want) {
			t.Errorf("at %s: x-ms-routing-request-id %q, want it to hold %q", now, got, want)
		}
		if got, want := h.Get("X-Msedge-Ref"), "Ref C: "+now.Format("2006-01-02T15:04:05Z"); !strings.HasSuffix(got, want) {
			t.Errorf("at %s: x-msedge-ref %q, want it to end with %q", now, got, want)
		}
	}
}
