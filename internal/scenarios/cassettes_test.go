package scenarios

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/recording"
	"github.com/listkeys-conformance/listkeys-conformance/internal/traffic"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// The committed cassettes are what CI replays and what anyone may publish: each scenario has one, each one
// belongs to a scenario, none holds anything that looks like a secret, and every answer in them still
// conforms to the contract.
func TestCommittedCassettes(t *testing.T) {
	for _, v := range schemas.APIVersions() {
		t.Run(v, func(t *testing.T) { checkCommittedCassettes(t, v) })
	}
}

// checkCommittedCassettes judges the cassettes of one api-version (cassettes/<api-version>) by its contract.
func checkCommittedCassettes(t *testing.T, version string) {
	dir := fromModuleRoot(filepath.Join("cassettes", version))
	c, err := contract.ForAPIVersion(version)
	if err != nil {
		t.Fatal(err)
	}
	wanted := map[string]bool{RotationCassette + ".yaml": true} // the rotation profile's, all its steps in one
	if _, err := os.Stat(filepath.Join(dir, RotationCassette+".yaml")); err != nil {
		t.Errorf("the rotation profile has no committed cassette (run make record-emulator): %v", err)
	}
	for _, s := range All() {
		wanted[s.Name+".yaml"] = true
		if _, err := os.Stat(filepath.Join(dir, s.Name+".yaml")); err != nil {
			t.Errorf("scenario %s has no committed cassette (run make record-emulator): %v", s.Name, err)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		if !wanted[name] {
			t.Errorf("%s belongs to no scenario: remove it or add the scenario", file)
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range recording.ScanForSecrets(data) {
			t.Errorf("%s: possible unsanitized secret: %s", file, f)
		}
		rec, err := traffic.Read(name, data)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		for _, in := range rec.Interactions {
			req := in.Request
			r := c.ForRequest(req.URL).Judge(contract.Exchange{Status: in.Status, Header: in.Header, Body: in.Body, Request: &req})
			if r.NotJudged != "" || !r.Conformant(false) {
				t.Errorf("%s #%d no longer conforms to the contract: %s %s", file, in.Index, r.NotJudged, violations(r))
			}
		}
	}
}

func violations(r contract.Report) string {
	var b strings.Builder
	for _, v := range r.Violations {
		b.WriteString("\n  " + v.Check + " at " + v.Path + ": " + v.Message)
	}
	return b.String()
}
