// Package emulator is a loopback stand-in for Azure Resource Manager and the Microsoft.Quantum provider,
// serving the one operation under test: POST .../workspaces/{workspaceName}/listKeys.
//
// It exists so that every mode of the suite, every error path and every client can be exercised without an
// Azure subscription. A client under test picks a behaviour by the bearer token it sends and by the
// workspace it names (see DefaultConfig); the answers follow the shapes ARM is known to use (FACTS §1-3).
package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// TokenKind says what a bearer token stands for.
type TokenKind int

const (
	Valid         TokenKind = iota // accepted, with permission to list keys
	Expired                        // refused with 401 ExpiredAuthenticationToken
	WrongAudience                  // refused with 401 InvalidAuthenticationTokenAudience
	NoPermission                   // authenticated, then refused with 403 AuthorizationFailed
)

// Scenario is how a workspace answers a request that passed every ARM check.
type Scenario int

const (
	OK                  Scenario = iota // 200 every time
	ThrottledOnce                       // the first call 429 with Retry-After, then 200
	TransientOnce503                    // the first call 503, then 200
	Transient500Once                    // the first call 500, then 200
	AlwaysInternalError                 // 500 every time
	AlwaysThrottled                     // 429 with Retry-After every time: a spec can record the 429 itself, on any run
)

// Workspace is one Microsoft.Quantum workspace the emulator knows.
type Workspace struct {
	SubscriptionID, ResourceGroup, Name, Location string
	// PrimaryKey and SecondaryKey are seeded by the caller (a test plants a canary to follow it through a
	// recording); when empty, New generates a random 44-character base64 key.
	PrimaryKey, SecondaryKey string
	// Zero creation times become the time of New.
	PrimaryCreated, SecondaryCreated time.Time
	APIKeyEnabled                    bool
	Scenario                         Scenario
}

// ResourceGroup is a known resource group, named here when it holds no workspace.
type ResourceGroup struct {
	SubscriptionID, Name string
}

// Config is everything the emulator knows. Subscriptions and resource groups implied by Workspaces need not
// be listed again.
type Config struct {
	Workspaces     []Workspace
	Subscriptions  []string             // known subscriptions, e.g. one without resource groups
	ResourceGroups []ResourceGroup      // known resource groups, e.g. one without workspaces
	Tokens         map[string]TokenKind // bearer token -> what it stands for; any other token is invalid
	APIVersions    []string             // the api-versions served; any other well-formed one is NoRegisteredProviderFound
	Region         string               // ARM region in x-ms-routing-request-id; "westus" when empty
	TenantID       string               // tenant in WWW-Authenticate; DefaultTenantID when empty
	RetryAfter     time.Duration        // Retry-After of a 429, rounded up to whole seconds
	Now            func() time.Time
}

// Names in DefaultConfig, exported so that tests and clients need not repeat them.
const (
	DefaultSubscriptionID  = "00000000-1111-2222-3333-444444444444" // the documented example's
	EmptySubscriptionID    = "11111111-2222-3333-4444-555555555555" // known, without resource groups
	DefaultResourceGroup   = "quantumResourcegroup"
	EmptyResourceGroup     = "emptyGroup" // known, without workspaces
	DefaultLocation        = "westus"
	DefaultWorkspace       = "quantumworkspace1"
	KeysDisabledWorkspace  = "keys-disabled"
	ThrottledOnceWorkspace = "throttled-once"
	Transient503Workspace  = "transient-503"
	Transient500Workspace  = "transient-500"
	InternalErrorWorkspace = "internal-error"
	ThrottledWorkspace     = "throttled"
	DefaultTenantID        = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" // fake, never a real tenant
)

// Bearer tokens in DefaultConfig.
const (
	ValidToken         = "emulator-token"
	ExpiredToken       = "expired-token"
	WrongAudienceToken = "wrong-audience-token"
	NoPermissionToken  = "no-permission-token"
)

// DefaultConfig is the documented example's workspace plus one workspace per scenario, so that a client
// under test picks a behaviour by workspace name alone.
func DefaultConfig() Config {
	created := time.Date(2023, 11, 13, 23, 6, 9, 147165000, time.UTC)
	ws := func(name string, enabled bool, s Scenario) Workspace {
		return Workspace{
			SubscriptionID: DefaultSubscriptionID, ResourceGroup: DefaultResourceGroup, Name: name,
			Location: DefaultLocation, PrimaryCreated: created, SecondaryCreated: created,
			APIKeyEnabled: enabled, Scenario: s,
		}
	}
	return Config{
		Workspaces: []Workspace{
			ws(DefaultWorkspace, true, OK),
			ws(KeysDisabledWorkspace, false, OK),
			ws(ThrottledOnceWorkspace, true, ThrottledOnce),
			ws(Transient503Workspace, true, TransientOnce503),
			ws(Transient500Workspace, true, Transient500Once),
			ws(InternalErrorWorkspace, true, AlwaysInternalError),
			ws(ThrottledWorkspace, true, AlwaysThrottled),
			ws(RotationWorkspace, true, OK),
		},
		Subscriptions:  []string{EmptySubscriptionID},
		ResourceGroups: []ResourceGroup{{DefaultSubscriptionID, EmptyResourceGroup}},
		Tokens: map[string]TokenKind{
			ValidToken:         Valid,
			ExpiredToken:       Expired,
			WrongAudienceToken: WrongAudience,
			NoPermissionToken:  NoPermission,
		},
		// Every api-version the project has a contract for; any other is NoRegisteredProviderFound.
		APIVersions: schemas.APIVersions(),
		Region:      DefaultLocation,
		TenantID:    DefaultTenantID,
		RetryAfter:  time.Second,
	}
}

// Emulator is the http.Handler. It is safe for concurrent use: everything but the once-scenarios' state is
// fixed by New.
type Emulator struct {
	subscriptions map[string]*subscription // by fold(id)
	tokens        map[string]TokenKind
	apiVersions   []string
	locations     []string // sorted, named in NoRegisteredProviderFound
	region        string
	tenantID      string
	retryAfter    time.Duration
	now           func() time.Time
	rotation      rotation // the keys regenerated so far (rotation.go)
}

type subscription struct {
	id     string
	groups map[string]*group // by fold(name)
}

type group struct {
	name       string
	workspaces map[string]*workspace // by fold(name)
}

type workspace struct {
	Workspace
	failedOnce atomic.Bool // a once-scenario has spent its failure
}

// fold is the key for ARM's case-insensitive names.
func fold(name string) string { return strings.ToLower(name) }

// New builds an emulator from cfg. The first spelling of a name wins: it is the canonical one that goes
// into connection strings, and a later workspace with the same name is ignored.
func New(cfg Config) *Emulator {
	e := &Emulator{
		subscriptions: map[string]*subscription{},
		tokens:        make(map[string]TokenKind, len(cfg.Tokens)),
		apiVersions:   append([]string(nil), cfg.APIVersions...),
		region:        cfg.Region,
		tenantID:      cfg.TenantID,
		retryAfter:    cfg.RetryAfter,
		now:           cfg.Now,
	}
	for token, kind := range cfg.Tokens {
		e.tokens[token] = kind
	}
	if e.region == "" {
		e.region = DefaultLocation
	}
	if e.tenantID == "" {
		e.tenantID = DefaultTenantID
	}
	if e.now == nil {
		e.now = time.Now
	}
	for _, id := range cfg.Subscriptions {
		e.addSubscription(id)
	}
	for _, g := range cfg.ResourceGroups {
		e.addGroup(g.SubscriptionID, g.Name)
	}
	created := e.now().UTC().Truncate(time.Microsecond)
	locations := map[string]bool{fold(e.region): true}
	for _, w := range cfg.Workspaces {
		g := e.addGroup(w.SubscriptionID, w.ResourceGroup)
		if _, dup := g.workspaces[fold(w.Name)]; dup {
			continue
		}
		w.SubscriptionID = e.subscriptions[fold(w.SubscriptionID)].id
		w.ResourceGroup = g.name
		w.PrimaryKey = keyOrNew(w.PrimaryKey)
		w.SecondaryKey = keyOrNew(w.SecondaryKey)
		w.PrimaryCreated = timeOr(w.PrimaryCreated, created)
		w.SecondaryCreated = timeOr(w.SecondaryCreated, created)
		g.workspaces[fold(w.Name)] = &workspace{Workspace: w}
		locations[fold(w.Location)] = true
	}
	for loc := range locations {
		e.locations = append(e.locations, loc)
	}
	sort.Strings(e.locations)
	return e
}

func (e *Emulator) addSubscription(id string) *subscription {
	s, ok := e.subscriptions[fold(id)]
	if !ok {
		s = &subscription{id: id, groups: map[string]*group{}}
		e.subscriptions[fold(id)] = s
	}
	return s
}

func (e *Emulator) addGroup(subscriptionID, name string) *group {
	s := e.addSubscription(subscriptionID)
	g, ok := s.groups[fold(name)]
	if !ok {
		g = &group{name: name, workspaces: map[string]*workspace{}}
		s.groups[fold(name)] = g
	}
	return g
}

// keyOrNew keeps a seeded key, or makes one shaped like the service's: 32 random bytes in base64.
func keyOrNew(key string) string {
	if key != "" {
		return key
	}
	b := make([]byte, 32)
	rand.Read(b) // never fails since Go 1.24
	return base64.StdEncoding.EncodeToString(b)
}

func timeOr(t, fallback time.Time) time.Time {
	if t.IsZero() {
		return fallback
	}
	return t
}

// Workspace returns a known workspace as the emulator serves it (canonical names, generated keys filled in),
// looked up case-insensitively.
func (e *Emulator) Workspace(subscriptionID, resourceGroup, name string) (Workspace, bool) {
	w := e.lookup(subscriptionID, resourceGroup, name)
	if w == nil {
		return Workspace{}, false
	}
	return w.Workspace, true
}

func (e *Emulator) lookup(subscriptionID, resourceGroup, name string) *workspace {
	s, ok := e.subscriptions[fold(subscriptionID)]
	if !ok {
		return nil
	}
	g, ok := s.groups[fold(resourceGroup)]
	if !ok {
		return nil
	}
	return g.workspaces[fold(name)]
}

// maxBody caps what is read of a request body: the operation takes none, and a client that sends one anyway
// must not make the emulator hold it all in memory.
const maxBody = 1 << 20

// ServeHTTP answers one request, checking it in the order ARM does (see listKeys).
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isRegenerate(r) {
		e.serveRegenerate(w, r) // rotation.go
		return
	}
	if r.Body != nil {
		// Read past the body so a keep-alive connection stays usable; MaxBytesReader closes the connection
		// rather than reading on past the cap.
		io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxBody))
	}
	now := e.now().UTC()
	h := w.Header()
	e.setCommonHeaders(h, r, now)

	result, aerr := e.listKeys(r, now)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	e.withRotatedKeys(r, &result) // rotation.go
	// ARM counts listKeys as a write.
	h.Set("x-ms-ratelimit-remaining-subscription-writes", "199")
	h.Set("x-ms-ratelimit-remaining-subscription-global-writes", "2999")
	writeJSON(w, http.StatusOK, result)
}

// writeError writes an error answer with its extra headers.
func writeError(w http.ResponseWriter, aerr *armError) {
	h := w.Header()
	for name, values := range aerr.header {
		h[name] = values
	}
	if aerr.gateway {
		h.Set("x-ms-failure-cause", "gateway")
	}
	writeJSON(w, aerr.status, errorResponse{Error: errorDetail{Code: aerr.code, Message: aerr.message}})
}

// setCommonHeaders sets what ARM puts on every response, error or not. Names go through Header.Set, so they
// are canonicalised (X-Ms-Request-Id): HTTP names are case-insensitive, and Go clients and recorders
// canonicalise them on read anyway.
func (e *Emulator) setCommonHeaders(h http.Header, r *http.Request, now time.Time) {
	correlation := r.Header.Get("x-ms-correlation-request-id")
	if correlation == "" {
		correlation = uuid.NewString()
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("x-ms-request-id", uuid.NewString())
	h.Set("x-ms-correlation-request-id", correlation)
	h.Set("x-ms-routing-request-id",
		strings.ToUpper(e.region)+":"+now.Format("20060102T150405Z")+":"+uuid.NewString())
	h.Set("Date", now.Format(http.TimeFormat))
	h.Set("Cache-Control", "no-cache")
	h.Set("Pragma", "no-cache")
	h.Set("Expires", "-1")
	h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	h.Set("X-Content-Type-Options", "nosniff")
}

// listKeysResult is the documented ListKeysResult, fields in the documented example's order.
type listKeysResult struct {
	APIKeyEnabled             bool   `json:"apiKeyEnabled"`
	PrimaryKey                apiKey `json:"primaryKey"`
	SecondaryKey              apiKey `json:"secondaryKey"`
	PrimaryConnectionString   string `json:"primaryConnectionString"`
	SecondaryConnectionString string `json:"secondaryConnectionString"`
}

type apiKey struct {
	CreatedAt string `json:"createdAt"`
	Key       string `json:"key"`
}

// createdAtLayout writes microseconds, always, as the documented example does (2023-11-13T23:06:09.147165Z).
const createdAtLayout = "2006-01-02T15:04:05.000000Z"

func (w *Workspace) result() listKeysResult {
	return listKeysResult{
		APIKeyEnabled:             w.APIKeyEnabled,
		PrimaryKey:                apiKey{w.PrimaryCreated.UTC().Format(createdAtLayout), w.PrimaryKey},
		SecondaryKey:              apiKey{w.SecondaryCreated.UTC().Format(createdAtLayout), w.SecondaryKey},
		PrimaryConnectionString:   w.connectionString(w.PrimaryKey),
		SecondaryConnectionString: w.connectionString(w.SecondaryKey),
	}
}

// connectionString is built as the Python SDK builds it (FACTS §2): fixed order, trailing ';'.
func (w *Workspace) connectionString(key string) string {
	return "SubscriptionId=" + w.SubscriptionID + ";ResourceGroupName=" + w.ResourceGroup +
		";WorkspaceName=" + w.Name + ";ApiKey=" + key +
		";QuantumEndpoint=https://" + w.Location + ".quantum.azure.com/;"
}

// writeJSON writes v without Go's HTML escaping: ARM writes '<', '>' and '&' as they are, and a seeded
// placeholder such as "<primaryKey>" must come back byte for byte.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // the values are plain structs of strings and bools: encoding cannot fail
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	w.WriteHeader(status)
	w.Write(body)
}
