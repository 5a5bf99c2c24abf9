package emulator

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
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
	// EndpointRegion is the region QuantumEndpoint names; Location when empty. Real answers show another
	// region than the location.
	EndpointRegion string
	// PrimaryKey and SecondaryKey are seeded by the caller (a test plants a canary to follow it through a
	// recording); when empty, New derives an 86-character base64url key from the names, shaped as the
	// service's keys are.
	PrimaryKey, SecondaryKey string
	// Zero creation times become the time of New, in whole seconds.
	PrimaryCreated, SecondaryCreated time.Time
	APIKeyEnabled                    bool
	// KeysWithheld, with APIKeyEnabled false, answers as the service did in 2024: no key objects and empty
	// connection strings. Without it a disabled workspace still lists its keys, as in 2025.
	KeysWithheld bool
	Scenario     Scenario
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
	// Region is ARM's front end named in x-ms-routing-request-id (not a workspace's); catalogue.FrontEndRegion
	// when empty.
	Region     string
	TenantID   string        // tenant in WWW-Authenticate; DefaultTenantID when empty
	RetryAfter time.Duration // Retry-After of a 429, rounded up to whole seconds
	// Now is the clock; time.Now when nil. DefaultConfig's stands still at catalogue.Clock.
	Now func() time.Time
	// Seed varies the derived ids and keys: two emulators with different seeds answer with different ones.
	Seed string
}

// Names in DefaultConfig: the documented example's and the catalogue's, here too for the emulator's users.
const (
	DefaultSubscriptionID  = examples.SubscriptionID
	EmptySubscriptionID    = catalogue.EmptySubscriptionID
	DefaultResourceGroup   = examples.ResourceGroup
	EmptyResourceGroup     = catalogue.EmptyResourceGroup
	DefaultLocation        = catalogue.Location
	DefaultWorkspace       = catalogue.DefaultWorkspace
	KeysDisabledWorkspace  = catalogue.KeysDisabledWorkspace
	KeysWithheldWorkspace  = catalogue.KeysWithheldWorkspace
	ThrottledOnceWorkspace = catalogue.ThrottledOnceWorkspace
	Transient503Workspace  = catalogue.Transient503Workspace
	Transient500Workspace  = catalogue.Transient500Workspace
	InternalErrorWorkspace = catalogue.InternalErrorWorkspace
	ThrottledWorkspace     = catalogue.ThrottledWorkspace
	DefaultTenantID        = catalogue.TenantID
)

// Bearer tokens in DefaultConfig.
const (
	ValidToken         = catalogue.ValidToken
	ExpiredToken       = catalogue.ExpiredToken
	WrongAudienceToken = catalogue.WrongAudienceToken
	NoPermissionToken  = catalogue.NoPermissionToken
)

// DefaultConfig is the catalogue played: the documented example's workspace plus one workspace per
// behaviour, so that a client under test picks a behaviour by workspace name alone, and a clock that stands
// still.
func DefaultConfig() Config {
	var workspaces []Workspace
	for _, b := range catalogue.Behaviours() {
		if b.Workspace == "" {
			continue
		}
		w := Workspace{
			SubscriptionID: DefaultSubscriptionID, ResourceGroup: DefaultResourceGroup, Name: b.Workspace,
			Location: catalogue.Location, EndpointRegion: catalogue.EndpointRegion,
			PrimaryCreated: catalogue.PrimaryCreated, SecondaryCreated: catalogue.SecondaryCreated,
			APIKeyEnabled: true,
		}
		switch b.Play {
		case catalogue.KeysDisabled:
			w.APIKeyEnabled = false
		case catalogue.KeysDisabledWithheld:
			w.APIKeyEnabled, w.KeysWithheld = false, true
		case catalogue.ThrottledOnce:
			w.Scenario = ThrottledOnce
		case catalogue.TransientOnce503:
			w.Scenario = TransientOnce503
		case catalogue.Transient500Once:
			w.Scenario = Transient500Once
		case catalogue.AlwaysInternalError:
			w.Scenario = AlwaysInternalError
		case catalogue.AlwaysThrottled:
			w.Scenario = AlwaysThrottled
		}
		workspaces = append(workspaces, w)
	}
	return Config{
		Workspaces:     workspaces,
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
		Region:      catalogue.FrontEndRegion,
		TenantID:    DefaultTenantID,
		RetryAfter:  catalogue.RetryAfter,
		Now:         func() time.Time { return catalogue.Clock },
	}
}

// Emulator is the http.Handler. It is safe for concurrent use: everything but the once-scenarios' state and
// the id counters is fixed by New.
type Emulator struct {
	subscriptions map[string]*subscription // by fold(id)
	tokens        map[string]TokenKind
	apiVersions   []string
	locations     []string // sorted, named in NoRegisteredProviderFound
	region        string
	routingRegion string // region in upper case, as x-ms-routing-request-id names it
	tenantID      string
	retryAfter    time.Duration
	now           func() time.Time
	ids           *idSource
	stamps        atomic.Pointer[stamps] // the last second's header times
	rotation      rotation               // the keys regenerated so far (rotation.go)
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
		ids:           newIDSource(cfg.Seed),
	}
	for token, kind := range cfg.Tokens {
		e.tokens[token] = kind
	}
	if e.region == "" {
		e.region = catalogue.FrontEndRegion
	}
	e.routingRegion = strings.ToUpper(e.region)
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
	created := e.now().UTC().Truncate(time.Second)
	locations := map[string]bool{}
	for _, w := range cfg.Workspaces {
		g := e.addGroup(w.SubscriptionID, w.ResourceGroup)
		if _, dup := g.workspaces[fold(w.Name)]; dup {
			continue
		}
		w.SubscriptionID = e.subscriptions[fold(w.SubscriptionID)].id
		w.ResourceGroup = g.name
		if w.PrimaryKey == "" {
			w.PrimaryKey = derivedKey(cfg.Seed, w, "primary")
		}
		if w.SecondaryKey == "" {
			w.SecondaryKey = derivedKey(cfg.Seed, w, "secondary")
		}
		if w.EndpointRegion == "" {
			w.EndpointRegion = w.Location
		}
		w.PrimaryCreated = timeOr(w.PrimaryCreated, created)
		w.SecondaryCreated = timeOr(w.SecondaryCreated, created)
		g.workspaces[fold(w.Name)] = &workspace{Workspace: w}
		locations[fold(w.Location)] = true
	}
	if len(locations) == 0 {
		locations[catalogue.Location] = true
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

// keyMarker is what every observed key holds at keyMarkerOffset (docs/real-arm.md).
const (
	keyMarker       = "AZQU"
	keyMarkerOffset = 76
)

// derivedKey is a key shaped like the service's: 64 bytes in base64url without padding (86 characters), with
// AZQU at offset 76. It is derived from the seed and the workspace's names, so a re-recording finds the same
// key (the cassette redacts it anyway) and two workspaces never share one.
func derivedKey(seed string, w Workspace, which string) string {
	sum := sha512.Sum512([]byte(strings.Join([]string{"listkeys-conformance emulator key", seed,
		fold(w.SubscriptionID), fold(w.ResourceGroup), fold(w.Name), which}, "\x00")))
	key := []byte(base64.RawURLEncoding.EncodeToString(sum[:]))
	copy(key[keyMarkerOffset:], keyMarker)
	return string(key)
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
	ids := e.ids.next(r)
	h := w.Header()
	e.setCommonHeaders(h, r, now, ids)

	result, aerr := e.listKeys(r, now)
	if aerr != nil {
		writeError(w, r, aerr, ids)
		return
	}
	e.withRotatedKeys(r, &result) // rotation.go
	setProviderHeaders(h, ids)
	writeJSON(w, r, http.StatusOK, result)
}

// writeError writes an error answer with its extra headers: ARM's own refusals say so (x-ms-failure-cause:
// gateway), the provider's carry the provider's headers.
func writeError(w http.ResponseWriter, r *http.Request, aerr *armError, ids requestIDs) {
	h := w.Header()
	for name, values := range aerr.header {
		h[name] = values
	}
	if aerr.gateway {
		h.Set("x-ms-failure-cause", "gateway")
	} else {
		setProviderHeaders(h, ids)
	}
	writeJSON(w, r, aerr.status, errorResponse{Error: errorDetail{Code: aerr.code, Message: aerr.message}})
}

// setCommonHeaders sets what ARM puts on every response, error or not. Names are written canonicalised
// (X-Ms-Request-Id), as Header.Set would write them (TestHeaderNamesAreCanonical holds them to it): HTTP
// names are case-insensitive, and Go clients and recorders canonicalise them on read anyway.
func (e *Emulator) setCommonHeaders(h http.Header, r *http.Request, now time.Time, ids requestIDs) {
	correlation := r.Header.Get("x-ms-correlation-request-id")
	if correlation == "" {
		correlation = ids.correlation
	}
	v := make(headerValues, 0, 6+len(commonHeaders))
	h["Content-Type"] = v.one("application/json; charset=utf-8")
	h["X-Ms-Request-Id"] = v.one(ids.request)
	h["X-Ms-Correlation-Request-Id"] = v.one(correlation)
	// ARM's front end, the time, and the correlation id (not a fresh one).
	t := e.times(now)
	h["X-Ms-Routing-Request-Id"] = v.one(e.routingRegion + ":" + t.routing + ":" + correlation)
	h["Date"] = v.one(t.date)
	for name, value := range commonHeaders {
		h[name] = v.one(value)
	}
	h["X-Msedge-Ref"] = v.one("Ref A: " + ids.edge + " Ref B: " + edgeNode + " Ref C: " + t.edge)
}

// stamps are the times an answer's headers carry, all to the second: made once per second, not per request.
type stamps struct {
	unix                int64
	date, routing, edge string
}

func (e *Emulator) times(now time.Time) *stamps {
	if t := e.stamps.Load(); t != nil && t.unix == now.Unix() {
		return t
	}
	t := &stamps{unix: now.Unix(), date: now.Format(http.TimeFormat), routing: now.Format("20060102T150405Z"),
		edge: now.Format("2006-01-02T15:04:05Z")}
	e.stamps.Store(t)
	return t
}

// headerValues hands out the one-value slices of an answer's headers from one array (a slice per header
// was most of the emulator's allocations). Each slice is capped at its one value, so an Add to one header
// never writes into the next.
type headerValues []string

func (v *headerValues) one(value string) []string {
	*v = append(*v, value)
	n := len(*v)
	return (*v)[n-1 : n : n]
}

// commonHeaders are the fixed headers of every answer.
var commonHeaders = map[string]string{
	"Cache-Control":             "no-cache",
	"Pragma":                    "no-cache",
	"Expires":                   "-1",
	"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
	"X-Content-Type-Options":    "nosniff",
	"Vary":                      "Accept-Encoding",
	"X-Cache":                   "CONFIG_NOCACHE",
}

// edgeNode is the Azure Front Door node named in x-msedge-ref's Ref B (its shape is assumed: docs/real-arm.md).
const edgeNode = "SG2EDGE1915"

// requestContext is the provider's Application Insights app id in request-context (a made-up GUID).
const requestContext = "appId=cid-v1:7b3e2a61-5c0d-4f7e-9a1b-2c4d6e8f0a1b"

// setProviderHeaders sets what the answers that reach the provider carry besides ARM's own: the
// provider-hub marker, the provider's ASP.NET headers, its gateway's affinity cookies, and ARM's write
// counters (listKeys counts as a write).
func setProviderHeaders(h http.Header, ids requestIDs) {
	v := make(headerValues, 0, 1+len(providerHeaders))
	h["Mise-Correlation-Id"] = v.one(ids.mise)
	h["Set-Cookie"] = []string{
		"ApplicationGatewayAffinityCORS=" + ids.affinity + "; Path=/; SameSite=None; Secure",
		"ApplicationGatewayAffinity=" + ids.affinity + "; Path=/",
	}
	for name, value := range providerHeaders {
		h[name] = v.one(value)
	}
}

// providerHeaders are the fixed headers of the answers that reach the provider.
var providerHeaders = map[string]string{
	"X-Ms-Providerhub-Traffic": "True",
	"Request-Context":          requestContext,
	"X-Powered-By":             "ASP.NET",
	"X-Ms-Ratelimit-Remaining-Subscription-Writes":        "799",
	"X-Ms-Ratelimit-Remaining-Subscription-Global-Writes": "11999",
}

// requestIDs are the ids one answer carries.
type requestIDs struct {
	request, correlation, mise string
	edge                       string // 32 hexadecimal digits, upper case
	affinity                   string // 32 hexadecimal digits, lower case: the one instance behind the gateway
}

// idSource derives ids from the seed, the request and how often the same request came before, so that the
// same requests give the same ids on every run, and a request sent again (a retry) gets new ones.
type idSource struct {
	seed     string
	affinity string // the affinity cookies' value: the one instance behind the gateway, the same on every answer
	mu       sync.Mutex
	seen     map[[32]byte]uint64
}

func newIDSource(seed string) *idSource {
	instance := sha256.Sum256([]byte("listkeys-conformance emulator instance\x00" + seed))
	return &idSource{seed: seed, affinity: hex.EncodeToString(instance[:16]), seen: map[[32]byte]uint64{}}
}

// maxSeen bounds the memory of a long-lived emulator: past it, counting starts over.
const maxSeen = 1 << 14

func (s *idSource) next(r *http.Request) requestIDs {
	var path, query string
	if r.URL != nil {
		path, query = r.URL.EscapedPath(), r.URL.RawQuery
	}
	key := sha256.Sum256([]byte(strings.Join([]string{s.seed, r.Method, path, query,
		strings.Join(r.Header.Values("Authorization"), "\n"), r.Header.Get("x-ms-client-request-id"),
		r.Header.Get("x-ms-correlation-request-id")}, "\x00")))
	s.mu.Lock()
	if len(s.seen) >= maxSeen {
		clear(s.seen)
	}
	n := s.seen[key]
	s.seen[key] = n + 1
	s.mu.Unlock()
	sum := sha512.Sum512(binary.BigEndian.AppendUint64(key[:], n))
	return requestIDs{
		request:     guid(sum[0:16]),
		correlation: guid(sum[16:32]),
		mise:        guid(sum[32:48]),
		edge:        strings.ToUpper(hex.EncodeToString(sum[48:64])),
		affinity:    s.affinity,
	}
}

// guid formats 16 bytes as a version-4 GUID, as ARM's ids are.
func guid(b []byte) string {
	var u [16]byte
	copy(u[:], b)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], u[0:4])
	hex.Encode(out[9:13], u[4:6])
	hex.Encode(out[14:18], u[6:8])
	hex.Encode(out[19:23], u[8:10])
	hex.Encode(out[24:36], u[10:16])
	out[8], out[13], out[18], out[23] = '-', '-', '-', '-'
	return string(out[:])
}

// listKeysResult is the documented ListKeysResult, fields in the documented example's order. The keys are
// absent in the 2024 keys-disabled answer.
type listKeysResult struct {
	APIKeyEnabled             bool    `json:"apiKeyEnabled"`
	PrimaryKey                *apiKey `json:"primaryKey,omitempty"`
	SecondaryKey              *apiKey `json:"secondaryKey,omitempty"`
	PrimaryConnectionString   string  `json:"primaryConnectionString"`
	SecondaryConnectionString string  `json:"secondaryConnectionString"`
}

type apiKey struct {
	CreatedAt string `json:"createdAt"`
	Key       string `json:"key"`
}

// createdAtLayout is whole seconds in UTC, as every observed answer has it (2025-03-04T23:03:39Z); the
// documented example's six fractional digits never appear.
const createdAtLayout = "2006-01-02T15:04:05Z"

func (w *Workspace) result() listKeysResult {
	if !w.APIKeyEnabled && w.KeysWithheld {
		return listKeysResult{}
	}
	return listKeysResult{
		APIKeyEnabled:             w.APIKeyEnabled,
		PrimaryKey:                &apiKey{w.PrimaryCreated.UTC().Format(createdAtLayout), w.PrimaryKey},
		SecondaryKey:              &apiKey{w.SecondaryCreated.UTC().Format(createdAtLayout), w.SecondaryKey},
		PrimaryConnectionString:   w.connectionString(w.PrimaryKey),
		SecondaryConnectionString: w.connectionString(w.SecondaryKey),
	}
}

// connectionString is built as the Python SDK builds it (docs/connection-string.md): fixed order, trailing ';'.
func (w *Workspace) connectionString(key string) string {
	return "SubscriptionId=" + w.SubscriptionID + ";ResourceGroupName=" + w.ResourceGroup +
		";WorkspaceName=" + w.Name + ";ApiKey=" + key +
		";QuantumEndpoint=https://" + w.EndpointRegion + ".quantum.azure.com/;"
}

// writeJSON writes v without Go's HTML escaping: ARM writes '<', '>' and '&' as they are, and a seeded
// placeholder such as "<primaryKey>" must come back byte for byte. A client that accepts gzip gets the body
// gzip-encoded and, over HTTP/1.1, chunked (the headers are flushed before the body), as ARM sends it;
// any other client gets it as it is, with its length.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(v) // the values are plain structs of strings and bools: encoding cannot fail
	body := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if !acceptsGzip(r.Header.Values("Accept-Encoding")) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		w.Write(body)
		return
	}
	var packed bytes.Buffer
	zw := gzip.NewWriter(&packed) // no name, no time in the header: the same body packs to the same bytes
	zw.Write(body)
	zw.Close()
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(status)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	w.Write(packed.Bytes())
}

// acceptsGzip reads Accept-Encoding (RFC 9110 §12.5.3): gzip, x-gzip or *, unless given q=0.
func acceptsGzip(values []string) bool {
	for _, value := range values {
		for _, item := range strings.Split(value, ",") {
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			if q, ok := strings.CutPrefix(strings.ReplaceAll(strings.ToLower(params), " ", ""), "q="); ok {
				if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
					continue
				}
			}
			return true
		}
	}
	return false
}
