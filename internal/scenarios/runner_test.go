package scenarios

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

const (
	canaryPrimary   = "CANARY-primary-key-0123456789abcdefghij="
	canarySecondary = "CANARY-secondary-key-0123456789abcdefgh="
)

// emulatorWithCanaries is the default emulator with recognisable keys planted in the documented workspace.
func emulatorWithCanaries() emulator.Config {
	cfg := emulator.DefaultConfig()
	for i := range cfg.Workspaces {
		cfg.Workspaces[i].PrimaryKey = canaryPrimary
		cfg.Workspaces[i].SecondaryKey = canarySecondary
	}
	return cfg
}

func runner(t *testing.T, mode, cassettes, endpoint string) *Runner {
	t.Helper()
	env := map[string]string{
		"LISTKEYS_MODE": mode, "LISTKEYS_CASSETTES": cassettes, "LISTKEYS_ENDPOINT": endpoint,
		EnvBearerToken: emulator.ValidToken, EnvEmulator: "1",
	}
	if mode != "replay" {
		env["AZURE_SUBSCRIPTION_ID"] = emulator.DefaultSubscriptionID
		env["LISTKEYS_RESOURCE_GROUP"] = emulator.DefaultResourceGroup
		env["LISTKEYS_WORKSPACE"] = emulator.DefaultWorkspace
	}
	r, err := FromEnvironment(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func againstEmulator(t *testing.T, mode, cassettes string) *Runner {
	t.Helper()
	srv := httptest.NewTLSServer(emulator.New(emulatorWithCanaries()))
	t.Cleanup(srv.Close)
	return runner(t, mode, cassettes, srv.URL).WithTransport(srv.Client().Transport)
}

// checkExpected asserts the catalogue's row against what came back.
func checkExpected(t *testing.T, s Scenario, res *Result) {
	t.Helper()
	if res.Status != s.Expect.Status {
		t.Errorf("%s: status %d, want %d (body %s)", s.Name, res.Status, s.Expect.Status, res.Body)
	}
	if got := contract.ErrorCode(res.Body); got != s.Expect.Code {
		t.Errorf("%s: error.code %q, want %q", s.Name, got, s.Expect.Code)
	}
	for _, h := range s.Expect.Header {
		if res.Header.Get(h) == "" {
			t.Errorf("%s: no %s header", s.Name, h)
		}
	}
	if !res.Report.Conformant(false) {
		t.Errorf("%s: the emulator's answer does not conform: %+v", s.Name, res.Report.Violations)
	}
}

func TestLiveModeGetsEveryScenariosAnswerFromTheEmulator(t *testing.T) {
	dir := t.TempDir()
	r := againstEmulator(t, "live", dir)
	for _, s := range All() {
		res, err := r.Run(context.Background(), s)
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		checkExpected(t, s, res)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("live mode wrote %d files; it must write nothing", len(files))
	}
}

// Record against the emulator with planted canary keys, then replay what was recorded with no network: the
// answers are the same, and no canary reached a file in any encoding.
func TestRecordThenReplay(t *testing.T) {
	dir := t.TempDir()
	rec := againstEmulator(t, "record", dir)
	recorded := map[string]*Result{}
	for _, s := range All() {
		res, err := rec.Run(context.Background(), s)
		if err != nil {
			t.Fatalf("record %s: %v", s.Name, err)
		}
		recorded[s.Name] = res
	}
	if got := recorded[OK.Name].Body; !bytes.Contains(got, []byte(canaryPrimary)) {
		t.Fatalf("the live caller must see the real key while recording; got %s", got)
	}

	for _, s := range All() {
		data, err := os.ReadFile(filepath.Join(dir, s.Name+".yaml"))
		if err != nil {
			t.Fatalf("%s: no cassette: %v", s.Name, err)
		}
		for _, canary := range []string{canaryPrimary, canarySecondary} {
			for _, form := range []string{canary, strings.TrimSuffix(canary, "="), base64.StdEncoding.EncodeToString([]byte(canary)), url.QueryEscape(canary)} {
				if bytes.Contains(data, []byte(form)) {
					t.Errorf("cassette %s holds a planted key (form %.12s…)", s.Name, form)
				}
			}
		}
		if bytes.Contains(data, []byte(emulator.ValidToken)) {
			t.Errorf("cassette %s holds the bearer token", s.Name)
		}
	}

	replay := runner(t, "replay", dir, "")
	for _, s := range All() {
		res, err := replay.Run(context.Background(), s)
		if err != nil {
			t.Fatalf("replay %s: %v", s.Name, err)
		}
		checkExpected(t, s, res)
		if len(res.Unused) > 0 {
			t.Errorf("replay %s left interactions unused: %v", s.Name, res.Unused)
		}
	}
}

func TestReplayWithoutACassetteFailsFastNamingIt(t *testing.T) {
	r := runner(t, "replay", t.TempDir(), "")
	_, err := r.Run(context.Background(), OK)
	if err == nil || !strings.Contains(err.Error(), "ok.yaml") {
		t.Fatalf("want an error naming the missing cassette ok.yaml, got %v", err)
	}
}

func TestEmulatorOnlyScenariosAreSkippedLiveAgainstRealARM(t *testing.T) {
	r := runner(t, "live", t.TempDir(), "https://management.azure.com")
	r.Emulator = false
	for _, s := range All() {
		if reason := r.SkipReason(s); (reason != "") != (s.EmulatorOnly != "") {
			t.Errorf("%s: skip reason %q, emulator-only %q", s.Name, reason, s.EmulatorOnly)
		}
	}
}

func TestDescribeMasksTheToken(t *testing.T) {
	r := runner(t, "live", t.TempDir(), "https://management.azure.com")
	if d := r.Describe(); strings.Contains(d, emulator.ValidToken) || strings.Contains(d, emulator.DefaultSubscriptionID) {
		t.Errorf("Describe leaks a secret:\n%s", d)
	}
}

func TestAnAPIVersionWithoutSchemasIsAConfigurationError(t *testing.T) {
	env := map[string]string{"LISTKEYS_API_VERSION": "2022-04-05-preview"}
	_, err := FromEnvironment(func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "LISTKEYS_API_VERSION") || !strings.Contains(err.Error(), "2022-04-05-preview") {
		t.Errorf("want an error naming LISTKEYS_API_VERSION and the version, got %v", err)
	}
}

// Recording every scenario twice through the default emulator (each time a fresh one, on a new port) gives
// byte-identical cassettes, and they are the committed ones: a re-recording changes a cassette only when
// behaviour changes.
func TestRecordingTwiceGivesIdenticalCassettes(t *testing.T) {
	record := func() string {
		dir := t.TempDir()
		srv := httptest.NewUnstartedServer(emulator.New(emulator.DefaultConfig()))
		srv.EnableHTTP2 = true // as serve speaks it
		srv.StartTLS()
		defer srv.Close()
		r := runner(t, "record", dir, srv.URL).WithTransport(srv.Client().Transport)
		for _, s := range All() {
			if _, err := r.Run(context.Background(), s); err != nil {
				t.Fatalf("record %s: %v", s.Name, err)
			}
		}
		if _, err := r.RunRotation(context.Background()); err != nil {
			t.Fatalf("record the rotation profile: %v", err)
		}
		return dir
	}
	first, second := record(), record()
	committed := fromModuleRoot(filepath.Join("cassettes", schemas.DefaultAPIVersion))
	names := []string{RotationCassette}
	for _, s := range All() {
		names = append(names, s.Name)
	}
	for _, name := range names {
		a, errA := os.ReadFile(filepath.Join(first, name+".yaml"))
		b, errB := os.ReadFile(filepath.Join(second, name+".yaml"))
		if err := errors.Join(errA, errB); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two recordings differ:\n%s", name, firstDifference(a, b))
		}
		c, err := os.ReadFile(filepath.Join(committed, name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		// make record-emulator records through serve, over HTTP/2 and TLS as here; only the User-Agent may
		// differ, after a Go upgrade.
		if !bytes.Equal(stripUserAgent(a), stripUserAgent(c)) {
			t.Errorf("%s: the committed cassette is not what the emulator records now (run make record-emulator):\n%s", name, firstDifference(c, a))
		}
	}
}

// stripUserAgent drops the line after "User-Agent:", which names the Go version that recorded.
func stripUserAgent(data []byte) []byte {
	lines := bytes.Split(data, []byte("\n"))
	var out [][]byte
	for i := 0; i < len(lines); i++ {
		if bytes.HasSuffix(bytes.TrimSpace(lines[i]), []byte("User-Agent:")) {
			i++
			continue
		}
		out = append(out, lines[i])
	}
	return bytes.Join(out, []byte("\n"))
}

// firstDifference shows the first line where a and b differ.
func firstDifference(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < min(len(la), len(lb)); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("one has %d lines, the other %d", len(la), len(lb))
}
