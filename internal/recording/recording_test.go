package recording_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/recording"
)

// Canaries: recognisable real values planted in the emulator, followed through a recording.
const (
	canaryPrimary      = "CANARY-primary-key-0123456789abcdef="
	canarySecondary    = "CANARY-secondary-key-0123456789abcdef="
	canarySubscription = "ca9a7e57-1eaf-4c1d-9e5e-c0ffee0000aa"
	canaryToken        = "CANARY-token-abcdefghijklmnop"
	canaryGroup        = "canaryGroup"
	canaryWorkspace    = "canary-ws"
	apiVersion         = "2025-12-15-preview"
)

func listKeysPath(subscription, group, workspace string) string {
	return "/subscriptions/" + subscription + "/resourceGroups/" + group +
		"/providers/Microsoft.Quantum/workspaces/" + workspace + "/listKeys?api-version=" + apiVersion
}

// canaryConfig is the default emulator plus a workspace in a canary subscription with canary keys, reachable
// with a canary token.
func canaryConfig() emulator.Config {
	cfg := emulator.DefaultConfig()
	cfg.Workspaces = append(cfg.Workspaces, emulator.Workspace{
		SubscriptionID: canarySubscription, ResourceGroup: canaryGroup, Name: canaryWorkspace,
		Location: emulator.DefaultLocation, PrimaryKey: canaryPrimary, SecondaryKey: canarySecondary,
		APIKeyEnabled: true,
	})
	cfg.Tokens[canaryToken] = emulator.Valid
	return cfg
}

// newEmulator serves cfg over TLS on loopback; its client's transport is the "real" one.
func newEmulator(t *testing.T, cfg emulator.Config) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(emulator.New(cfg))
	t.Cleanup(srv.Close)
	return srv
}

type answer struct {
	status int
	header http.Header
	body   string
	req    *http.Request
}

func post(t *testing.T, client *http.Client, target, token string) (answer, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, string(body), req}, nil
}

func mustPost(t *testing.T, client *http.Client, target, token string) answer {
	t.Helper()
	a, err := post(t, client, target, token)
	if err != nil {
		t.Fatalf("POST %s: %v", target, err)
	}
	return a
}

func open(t *testing.T, opts recording.Options) *recording.Recorder {
	t.Helper()
	rec, err := recording.Open(opts)
	if err != nil {
		t.Fatalf("Open(%s, %s): %v", opts.Mode, opts.Cassette, err)
	}
	return rec
}

// recordCanary records one listKeys call of the canary workspace and returns what the caller saw.
func recordCanary(t *testing.T, name string) answer {
	t.Helper()
	srv := newEmulator(t, canaryConfig())
	rec := open(t, recording.Options{Mode: arm.Record, Cassette: name, RealTransport: srv.Client().Transport})
	a := mustPost(t, rec.Client(), srv.URL+listKeysPath(canarySubscription, canaryGroup, canaryWorkspace), canaryToken)
	seenHeader := a.header.Clone()
	if err := rec.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	// Sanitizing at save time must not reach into what the caller holds.
	if got := a.req.Header.Get("Authorization"); got != "Bearer "+canaryToken {
		t.Errorf("after Stop the caller's request Authorization is %q", got)
	}
	for name := range seenHeader {
		if a.header.Get(name) != seenHeader.Get(name) {
			t.Errorf("after Stop the caller's response header %s changed from %q to %q", name, seenHeader.Get(name), a.header.Get(name))
		}
	}
	return a
}

// encodings are the forms a leak could take, written out independently of the package's own list.
func encodings(s string) map[string]string {
	j, _ := json.Marshal(s)
	return map[string]string{
		"raw":                s,
		"lower-case":         strings.ToLower(s),
		"base64":             base64.StdEncoding.EncodeToString([]byte(s)),
		"base64 unpadded":    base64.RawStdEncoding.EncodeToString([]byte(s)),
		"base64url":          base64.URLEncoding.EncodeToString([]byte(s)),
		"base64url unpadded": base64.RawURLEncoding.EncodeToString([]byte(s)),
		"query-escaped":      url.QueryEscape(s),
		"path-escaped":       url.PathEscape(s),
		"JSON-escaped":       string(j[1 : len(j)-1]),
	}
}

func loadOnly(t *testing.T, file string) *cassette.Interaction {
	t.Helper()
	c, err := cassette.Load(strings.TrimSuffix(file, ".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Interactions) != 1 {
		t.Fatalf("%s has %d interactions, want 1", file, len(c.Interactions))
	}
	return c.Interactions[0]
}

func TestRecordWritesASanitizedCassette(t *testing.T) {
	file := filepath.Join(t.TempDir(), "canary.yaml") // given with .yaml: no .yaml.yaml
	live := recordCanary(t, file)

	if live.status != http.StatusOK || !strings.Contains(live.body, canaryPrimary) || !strings.Contains(live.body, canarySubscription) {
		t.Fatalf("the recording caller saw %d %s; want 200 with the real canary key and subscription", live.status, live.body)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the cassette was not written: %v", err)
	}
	for name, canary := range map[string]string{"primary key": canaryPrimary, "secondary key": canarySecondary,
		"subscription": canarySubscription, "token": canaryToken} {
		for enc, form := range encodings(canary) {
			if strings.Contains(string(data), form) {
				t.Errorf("the cassette holds the canary %s (%s)", name, enc)
			}
		}
	}
	if !strings.Contains(string(data), contract.Redacted) {
		t.Errorf("the cassette has no %s marker", contract.Redacted)
	}

	i := loadOnly(t, file)
	// An answer Go's transport unpacked (the emulator gzips for a client that accepts it) has no length: -1.
	if got := int64(len(i.Response.Body)); i.Response.ContentLength != got && !(i.Response.Uncompressed && i.Response.ContentLength == -1) {
		t.Errorf("ContentLength is %d; the saved body has %d bytes", i.Response.ContentLength, got)
	}
	if h := i.Response.Headers.Get("Content-Length"); h != "" && h != strconv.Itoa(len(i.Response.Body)) {
		t.Errorf("Content-Length header is %s; the saved body has %d bytes", h, len(i.Response.Body))
	}
	u, err := url.Parse(i.Request.URL)
	if err != nil {
		t.Fatal(err)
	}
	c := contract.MustDefault()
	report, err := c.Validate("ListKeysResult", contract.Exchange{
		Status: i.Response.Code, Header: i.Response.Headers, Body: []byte(i.Response.Body),
		Request: &contract.Request{Method: i.Request.Method, URL: u, Header: i.Request.Headers},
	})
	if err != nil || !report.Conformant(false) {
		t.Errorf("the sanitized exchange does not validate: %v %+v", err, report.Violations)
	}
	if !strings.Contains(i.Request.URL, recording.ZeroGUID) {
		t.Errorf("the saved request URL %s does not carry the zero GUID", i.Request.URL)
	}
}

// replayTransport fails the test if replay reaches for the network.
type replayTransport struct{ t *testing.T }

func (r replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.t.Errorf("replay made a network call: %s %s", req.Method, req.URL)
	return nil, errors.New("no network in replay")
}

func openReplay(t *testing.T, file string) *recording.Recorder {
	t.Helper()
	rec := open(t, recording.Options{Mode: arm.Replay, Cassette: file, RealTransport: replayTransport{t}})
	t.Cleanup(func() {
		if err := rec.Stop(); err != nil {
			t.Errorf("Stop: %v", err)
		}
	})
	return rec
}

// The endpoint a replay is configured with does not matter: hosts are not compared.
const replayEndpoint = "https://management.azure.com"

func TestReplayAnswersFromTheCassette(t *testing.T) {
	name := filepath.Join(t.TempDir(), "canary") // given without .yaml
	recordCanary(t, name)
	saved := loadOnly(t, name+".yaml")

	rec := openReplay(t, name)
	got := mustPost(t, rec.Client(), replayEndpoint+listKeysPath(recording.ZeroGUID, canaryGroup, canaryWorkspace), "any-token")
	if got.status != saved.Response.Code || got.body != saved.Response.Body {
		t.Errorf("replay answered %d %s; want the cassette's %d %s", got.status, got.body, saved.Response.Code, saved.Response.Body)
	}
	if strings.Contains(got.body, canaryPrimary) || !strings.Contains(got.body, contract.Redacted) {
		t.Errorf("replay answered %s; want the sanitized body", got.body)
	}
	if unused := rec.Unused(); len(unused) != 0 {
		t.Errorf("Unused() = %q after replaying the only interaction", unused)
	}
}

func TestReplayOfAMissingCassetteSaysHowToRecordIt(t *testing.T) {
	file := filepath.Join(t.TempDir(), "nothing-here.yaml")
	_, err := recording.Open(recording.Options{Mode: arm.Replay, Cassette: file})
	if err == nil || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), "LISTKEYS_MODE=record") {
		t.Errorf("Open of a missing cassette: %v; want an error naming %s and how to record it", err, file)
	}
}

func TestReplayMissNamesTheCassetteAndTheClosestInteraction(t *testing.T) {
	file := filepath.Join(t.TempDir(), "canary.yaml")
	recordCanary(t, file)
	recorded := "closest recorded: POST " + listKeysPath(recording.ZeroGUID, canaryGroup, canaryWorkspace) + " (#0)"
	path := listKeysPath(recording.ZeroGUID, canaryGroup, canaryWorkspace)

	tests := []struct {
		name, method, path, difference string
	}{
		{"another api-version", http.MethodPost, strings.Replace(path, apiVersion, "2023-11-13-preview", 1),
			`api-version: got "2023-11-13-preview", recorded "2025-12-15-preview"`},
		{"no api-version", http.MethodPost, strings.TrimSuffix(path, "?api-version="+apiVersion),
			`api-version: got none, recorded "2025-12-15-preview"`},
		{"another method", http.MethodGet, path, "method: got GET, recorded POST"},
		{"another workspace", http.MethodPost, listKeysPath(recording.ZeroGUID, canaryGroup, "other-ws"),
			`path after workspaces: got "other-ws", recorded "canary-ws"`},
		{"another subscription", http.MethodPost, listKeysPath(canarySubscription, canaryGroup, canaryWorkspace),
			`path after subscriptions: got "` + canarySubscription + `", recorded "` + recording.ZeroGUID + `"`},
		{"an extra query parameter", http.MethodPost, path + "&extra=1",
			`other query parameters: got "extra=1", recorded ""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := openReplay(t, file)
			req, err := http.NewRequest(tt.method, replayEndpoint+tt.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			_, err = rec.Client().Do(req)
			if !errors.Is(err, recording.ErrNotRecorded) {
				t.Fatalf("got %v; want an error wrapping ErrNotRecorded", err)
			}
			for _, want := range []string{file, recorded, tt.difference} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error does not say %q:\n%v", want, err)
				}
			}
			if len(rec.Unused()) != 1 {
				t.Errorf("Unused() = %q; want the one recorded interaction", rec.Unused())
			}
		})
	}
}

func TestRepeatedRequestsReplayInFileOrder(t *testing.T) {
	file := filepath.Join(t.TempDir(), "throttled.yaml")
	path := listKeysPath(emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, emulator.ThrottledOnceWorkspace)
	srv := newEmulator(t, emulator.DefaultConfig())
	rec := open(t, recording.Options{Mode: arm.Record, Cassette: file, RealTransport: srv.Client().Transport})
	for _, want := range []int{http.StatusTooManyRequests, http.StatusOK} {
		if got := mustPost(t, rec.Client(), srv.URL+path, emulator.ValidToken); got.status != want {
			t.Fatalf("recording: got %d, want %d", got.status, want)
		}
	}
	if err := rec.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}

	replay := openReplay(t, file)
	if got := mustPost(t, replay.Client(), replayEndpoint+path, "x"); got.status != http.StatusTooManyRequests || got.header.Get("Retry-After") == "" {
		t.Errorf("first replay: %d (Retry-After %q); want the recorded 429 with Retry-After", got.status, got.header.Get("Retry-After"))
	}
	want := "POST " + path + " (#1)"
	if unused := replay.Unused(); len(unused) != 1 || unused[0] != want {
		t.Errorf("Unused() = %q; want [%q]", unused, want)
	}
	if got := mustPost(t, replay.Client(), replayEndpoint+path, "x"); got.status != http.StatusOK {
		t.Errorf("second replay: %d; want the recorded 200", got.status)
	}
	_, err := post(t, replay.Client(), replayEndpoint+path, "x")
	if !errors.Is(err, recording.ErrNotRecorded) || !strings.Contains(err.Error(), "already answered") {
		t.Errorf("third replay: %v; want an error saying the matching interaction has already answered", err)
	}
	if unused := replay.Unused(); len(unused) != 0 {
		t.Errorf("Unused() = %q after replaying both", unused)
	}
}

func TestConcurrentReplayAnswersEachInteractionOnce(t *testing.T) {
	const calls = 8
	file := filepath.Join(t.TempDir(), "many.yaml")
	path := listKeysPath(emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, emulator.DefaultWorkspace)
	srv := newEmulator(t, emulator.DefaultConfig())
	rec := open(t, recording.Options{Mode: arm.Record, Cassette: file, RealTransport: srv.Client().Transport})
	for range calls {
		mustPost(t, rec.Client(), srv.URL+path, emulator.ValidToken)
	}
	if err := rec.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}

	replay := openReplay(t, file)
	var wg sync.WaitGroup
	for range calls {
		wg.Go(func() {
			resp, err := replay.Client().Post(replayEndpoint+path, "", nil)
			if err != nil {
				t.Errorf("concurrent replay: %v", err)
				return
			}
			resp.Body.Close()
		})
	}
	wg.Wait()
	if unused := replay.Unused(); len(unused) != 0 {
		t.Errorf("Unused() = %q after %d calls", unused, calls)
	}
}

func TestReplayMatchesPathsIgnoringCase(t *testing.T) {
	file := filepath.Join(t.TempDir(), "canary.yaml")
	recordCanary(t, file)
	path := listKeysPath(recording.ZeroGUID, canaryGroup, canaryWorkspace)
	upper, query, _ := strings.Cut(path, "?")
	rec := openReplay(t, file)
	if got := mustPost(t, rec.Client(), replayEndpoint+strings.ToUpper(upper)+"?"+query, "x"); got.status != http.StatusOK {
		t.Errorf("replay of the upper-cased path answered %d", got.status)
	}
}

func TestLiveModeWritesNothing(t *testing.T) {
	dir := t.TempDir()
	srv := newEmulator(t, canaryConfig())
	rec := open(t, recording.Options{Mode: arm.Live, Cassette: filepath.Join(dir, "live"), RealTransport: srv.Client().Transport})
	got := mustPost(t, rec.Client(), srv.URL+listKeysPath(canarySubscription, canaryGroup, canaryWorkspace), canaryToken)
	if err := rec.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if !strings.Contains(got.body, canaryPrimary) {
		t.Errorf("live caller saw %s; want the real key", got.body)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("live mode wrote %v", entries)
	}
}

// echoTransport adds a header that echoes the key in some encoding: a leak the sanitizer does not undo.
type echoTransport struct {
	next http.RoundTripper
	echo string
}

func (e echoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := e.next.RoundTrip(req)
	if err == nil {
		resp.Header.Set("X-Echo-Key", e.echo)
	}
	return resp, err
}

func TestLeakScanKeepsALeakyCassetteOffDisk(t *testing.T) {
	// '+' and '/' make the escapings differ from the raw key and from each other.
	const key = "CANARY+leak/key-0123456789abcdef="
	tests := []struct {
		name, echo, encoding string
		previous             bool // a cassette recorded earlier sits at the path
	}{
		{"base64", base64.StdEncoding.EncodeToString([]byte(key)), "base64", false},
		{"base64 of a Basic credential", base64.StdEncoding.EncodeToString([]byte("user:" + key)), "base64", false},
		{"base64url unpadded", base64.RawURLEncoding.EncodeToString([]byte("xy" + key)), "base64", false},
		{"query escaping", url.QueryEscape(key), "URL-encoded (query escaping)", false},
		{"path escaping", url.PathEscape(key), "URL-encoded (path escaping)", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "leaky.yaml")
			if tt.previous {
				if err := os.WriteFile(file, []byte("--- previous\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cfg := canaryConfig()
			cfg.Workspaces[len(cfg.Workspaces)-1].PrimaryKey = key
			srv := newEmulator(t, cfg)
			rec := open(t, recording.Options{Mode: arm.Record, Cassette: file,
				RealTransport: echoTransport{srv.Client().Transport, tt.echo}})
			mustPost(t, rec.Client(), srv.URL+listKeysPath(canarySubscription, canaryGroup, canaryWorkspace), canaryToken)

			err := rec.Stop()
			if !errors.Is(err, recording.ErrLeak) {
				t.Fatalf("Stop: %v; want an error wrapping ErrLeak", err)
			}
			for _, want := range []string{"the secret at /primaryKey/key", "found in " + tt.encoding + " form", "X-Echo-Key"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the error does not say %q:\n%v", want, err)
				}
			}
			if strings.Contains(err.Error(), key) || strings.Contains(err.Error(), tt.echo) {
				t.Errorf("the error shows the secret: %v", err)
			}
			entries, _ := os.ReadDir(dir)
			switch {
			case tt.previous:
				data, _ := os.ReadFile(file)
				if len(entries) != 1 || string(data) != "--- previous\n" {
					t.Errorf("the earlier cassette did not stay as it was: %v, %q", entries, data)
				}
			case len(entries) != 0:
				t.Errorf("files left behind: %v", entries)
			}
		})
	}
}

func TestOpenRefusesUnusableOptions(t *testing.T) {
	tests := []struct {
		name string
		opts recording.Options
		want string
	}{
		{"unknown mode", recording.Options{Mode: "playback", Cassette: "x"}, "valid modes"},
		{"replay without a cassette", recording.Options{Mode: arm.Replay}, "needs a cassette path"},
		{"record without a cassette", recording.Options{Mode: arm.Record}, "needs a cassette path"},
	}
	for _, tt := range tests {
		if _, err := recording.Open(tt.opts); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Open = %v; want an error saying %q", tt.name, err, tt.want)
		}
	}
}
