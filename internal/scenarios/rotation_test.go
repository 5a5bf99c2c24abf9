package scenarios

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
)

func body(primaryKey, primaryAt, secondaryKey, secondaryAt string) []byte {
	cs := func(k string) string {
		return "SubscriptionId=s;ResourceGroupName=g;WorkspaceName=w;ApiKey=" + k + ";QuantumEndpoint=https://westus.quantum.azure.com/;"
	}
	return []byte(`{"apiKeyEnabled":true,"primaryKey":{"createdAt":"` + primaryAt + `","key":"` + primaryKey + `"},` +
		`"secondaryKey":{"createdAt":"` + secondaryAt + `","key":"` + secondaryKey + `"},` +
		`"primaryConnectionString":"` + cs(primaryKey) + `","secondaryConnectionString":"` + cs(secondaryKey) + `"}`)
}

func TestCompareRotation(t *testing.T) {
	const t0, t1 = "2025-01-01T00:00:00Z", "2025-01-01T00:00:05Z"
	before := body("p-old-key-0123", t0, "s-old-key-0123", t0)
	tests := []struct {
		name        string
		after       []byte
		regenerated []string
		want        string // a substring of the one problem, "" for none
	}{
		{"primary rotated", body("p-new-key-0123", t1, "s-old-key-0123", t0), []string{"Primary"}, ""},
		{"both rotated", body("p-new-key-0123", t1, "s-new-key-0123", t1), []string{"Primary", "Secondary"}, ""},
		{"primary unchanged", body("p-old-key-0123", t1, "s-old-key-0123", t0), []string{"Primary"}, "still shows the old one"},
		{"createdAt not later", body("p-new-key-0123", t0, "s-old-key-0123", t0), []string{"Primary"}, "is not later than"},
		{"the other key changed", body("p-new-key-0123", t1, "s-new-key-0123", t0), []string{"Primary"}, "Secondary key was not regenerated, but it changed"},
		{"the other createdAt changed", body("p-new-key-0123", t1, "s-old-key-0123", t1), []string{"Primary"}, "Secondary key was not regenerated, but its createdAt changed"},
		{"not JSON", []byte("nope"), []string{"Primary"}, "not a ListKeysResult"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			problems, _ := CompareRotation(before, tt.after, tt.regenerated)
			got := strings.Join(problems, "; ")
			if tt.want == "" && got != "" || tt.want != "" && (len(problems) == 0 || !strings.Contains(got, tt.want)) {
				t.Errorf("problems %q, want %q", got, tt.want)
			}
			if strings.Contains(got, "key-0123") {
				t.Errorf("a problem names a key's value: %s", got)
			}
		})
	}
	redacted := body("<redacted:listkeys-conformance>", t0, "<redacted:listkeys-conformance>", t0)
	problems, notes := CompareRotation(redacted, body("<redacted:listkeys-conformance>", t1, "<redacted:listkeys-conformance>", t0), []string{"Primary"})
	if len(problems) != 0 || len(notes) != 1 {
		t.Errorf("redacted keys: problems %v, notes %v; want one note and createdAt still compared", problems, notes)
	}
	if problems, _ := CompareRotation(redacted, redacted, []string{"Primary"}); len(problems) != 1 {
		t.Errorf("redacted keys with the same createdAt: %v, want the createdAt problem", problems)
	}
}

// Recorded through the emulator, the profile passes, and the cassette holds neither the keys the workspace
// had nor the ones it was given; replayed, it passes again.
func TestRotationRecordsWithoutKeysAndReplays(t *testing.T) {
	cfg := emulatorWithCanaries()
	e := emulator.New(cfg)
	srv := httptest.NewTLSServer(e)
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	rec := runner(t, "record", dir, srv.URL).WithTransport(srv.Client().Transport)
	if reason := rec.RotationSkipReason(); reason != "" {
		t.Fatalf("against the emulator the profile must run: %s", reason)
	}
	steps, err := rec.RunRotation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkRotation(t, steps, false)
	data, err := os.ReadFile(filepath.Join(dir, RotationCassette+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	primary, secondary, _ := e.Keys(emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, emulator.RotationWorkspace)
	for _, k := range []string{canaryPrimary, canarySecondary, primary, secondary} {
		if strings.Contains(string(data), k) {
			t.Errorf("the cassette holds a key")
		}
	}
	if !strings.Contains(string(data), "/regenerateKey") || !strings.Contains(string(data), `{"keys":["Primary","Secondary"]}`) {
		t.Errorf("the cassette lacks the regenerateKey calls")
	}

	replay := runner(t, "replay", dir, "")
	steps, err = replay.RunRotation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	checkRotation(t, steps, true)
}

func checkRotation(t *testing.T, steps []RotationStep, replay bool) {
	t.Helper()
	if len(steps) != len(RotationProfile) {
		t.Fatalf("%d steps, want %d", len(steps), len(RotationProfile))
	}
	for i, s := range steps {
		if !s.Request.Conformant(true) || !s.Response.Conformant(false) {
			t.Errorf("step %d: request %v, response %v", i+1, s.Request.Violations, s.Response.Violations)
		}
		if s.Regenerate == nil || i+1 >= len(steps) {
			continue
		}
		problems, notes := CompareRotation(steps[i-1].Body, steps[i+1].Body, s.Regenerate)
		if len(problems) > 0 {
			t.Errorf("after step %d: %v", i+1, problems)
		}
		if replay != (len(notes) > 0) {
			t.Errorf("after step %d: notes %v (replay %v)", i+1, notes, replay)
		}
	}
}

func TestRotationAgainstRealARMNeedsConsent(t *testing.T) {
	r := runner(t, "live", t.TempDir(), "https://management.azure.com")
	r.Emulator = false
	if reason := r.RotationSkipReason(); !strings.Contains(reason, EnvRotate+"=1") {
		t.Errorf("skip reason %q, want one naming %s=1", reason, EnvRotate)
	}
	if got := r.rotationTarget().Workspace; got != emulator.DefaultWorkspace {
		t.Errorf("against real ARM the profile rotates the configured workspace, not %s", got)
	}
	r.Rotate = true
	if reason := r.RotationSkipReason(); reason != "" {
		t.Errorf("with %s=1: %s", EnvRotate, reason)
	}
	if reason := runner(t, "replay", t.TempDir(), "").RotationSkipReason(); !strings.Contains(reason, "no cassette") {
		t.Errorf("replay without a cassette: %q", reason)
	}
}
