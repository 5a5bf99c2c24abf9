package scenarios

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/values"
)

func TestParameterRowsAreSentUncheckedAndAnsweredWithAnError(t *testing.T) {
	for _, s := range InvalidParameters {
		if !strings.HasPrefix(s.Name, "param-") || !s.Unvalidated || s.EmulatorOnly != "" || s.Auth != Credential || s.OmitAPIVersion {
			t.Errorf("%s: a parameter row is named param-*, sent unchecked with the credential, and runs against real ARM too", s.Name)
		}
		if s.Expect.Status < 400 || s.Expect.Status > 499 || s.Expect.Code == "" {
			t.Errorf("%s: expects %d %q; a parameter row calls for a 4xx with an error code", s.Name, s.Expect.Status, s.Expect.Code)
		}
		if !slices.Contains(s.Tags, "parameters") {
			t.Errorf("%s: tags %v, want parameters", s.Name, s.Tags)
		}
	}
}

func TestScenarioNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range All() {
		if seen[s.Name] {
			t.Errorf("two scenarios are named %s: they would share a cassette", s.Name)
		}
		seen[s.Name] = true
	}
}

// variedParameter is the one parameter a row changes in t, and its value.
func variedParameter(t *testing.T, s Scenario, target Target) (string, string) {
	t.Helper()
	p := s.Params(target)
	var varied []string
	for _, name := range []string{"api-version", "subscriptionId", "resourceGroupName", "workspaceName"} {
		if p.Get(name) != target.Get(name) {
			varied = append(varied, name)
		}
	}
	if len(varied) != 1 {
		t.Fatalf("%s varies %v; a parameter row varies exactly one parameter", s.Name, varied)
	}
	return varied[0], p.Get(varied[0])
}

// The values are fixed: none is made from the workspace under test, so no real name reaches a cassette.
func TestParameterRowsVaryOneParameterByAFixedValue(t *testing.T) {
	documented := withDocumentedDefaults(Target{APIVersion: "2025-12-15-preview"})
	other := arm.Params{SubscriptionID: "99999999-aaaa-bbbb-cccc-dddddddddddd", ResourceGroup: "real-group", Workspace: "realworkspace", APIVersion: "2025-12-15-preview"}
	for _, s := range InvalidParameters {
		name, value := variedParameter(t, s, documented)
		otherName, otherValue := variedParameter(t, s, other)
		if name != otherName || value != otherValue {
			t.Errorf("%s: sends %s %q for one workspace and %s %q for another; use a fixed value", s.Name, name, value, otherName, otherValue)
		}
	}
}

// clientSends are the rows whose value the contract admits, each with the reason the server must still
// refuse it. Every other row must hold a value the contract refuses.
var clientSends = map[string]string{
	"param-resource-group-trailing-dot": "ARM forbids a trailing '.', which the documented pattern admits",
	"param-api-version-whitespace":      "the contract documents api-version only as a non-empty string",
	"param-api-version-malformed":       "the contract documents api-version only as a non-empty string",
}

func TestParameterRowsAreWhatTheClientRefusesOrNamedDivergences(t *testing.T) {
	rules, err := values.Default()
	if err != nil {
		t.Fatal(err)
	}
	documented := withDocumentedDefaults(Target{APIVersion: "2025-12-15-preview"})
	for _, s := range InvalidParameters {
		name, value := variedParameter(t, s, documented)
		broken := rules.Rule(name).Broken(value)
		_, sends := clientSends[s.Name]
		switch {
		case sends && len(broken) > 0:
			t.Errorf("%s: listed as a value the client sends, but %s %q breaks %v", s.Name, name, value, broken)
		case !sends && len(broken) == 0:
			t.Errorf("%s: %s %q breaks no documented constraint; say why the server must refuse it in clientSends", s.Name, name, value)
		}
	}
}

func TestGeneratedValuesGoToAnEmulatorInReplay(t *testing.T) {
	r := runner(t, "replay", t.TempDir(), "")
	g, err := r.Generated(emulator.New(emulator.DefaultConfig()))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	ex, err := g.Client.ListKeys(context.Background(), g.Target)
	if err != nil || ex.Status != 200 {
		t.Fatalf("the in-process emulator answers the documented workspace with %v, %v", ex, err)
	}
	if g.Invalid < 100 || g.Valid < 50 {
		t.Errorf("replay sends %d invalid and %d valid values; a few hundred are cheap in process", g.Invalid, g.Valid)
	}
}

func TestGeneratedValuesGoToTheConfiguredEndpointLive(t *testing.T) {
	for _, mode := range []string{"live", "record"} {
		dir := t.TempDir()
		r := againstEmulator(t, mode, dir)
		g, err := r.Generated(emulator.New(emulator.DefaultConfig()))
		if err != nil {
			t.Fatal(err)
		}
		p := g.Target
		p.Workspace = emulator.KeysDisabledWorkspace
		ex, err := g.Client.ListKeys(context.Background(), p)
		if err != nil || ex.Status != 200 {
			t.Fatalf("%s: the configured emulator answers with %v, %v", mode, ex, err)
		}
		if g.Invalid > 50 || g.Valid > 20 {
			t.Errorf("%s: sends %d invalid and %d valid values to a real endpoint; keep it to a few", mode, g.Invalid, g.Valid)
		}
		g.Close()
		if files, _ := os.ReadDir(dir); len(files) != 0 {
			t.Errorf("%s: generated values were recorded: %v", mode, files)
		}
	}
}
