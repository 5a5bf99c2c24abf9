package suite_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

// A spec naming a check the registry does not know stops the tree from being built, listing the known IDs.
func TestChecksRefusesUnknownIDs(t *testing.T) {
	defer func() {
		msg, _ := recover().(string)
		if !strings.Contains(msg, `"headers.nocache"`) || !strings.Contains(msg, "headers.no-cache") {
			t.Errorf("suite.Checks(unknown) panicked with %q; want the ID and the known ones", msg)
		}
	}()
	suite.Checks("headers.nocache")
	t.Error("suite.Checks accepted an unknown check ID")
}

func TestChecksLabelsRoundTrip(t *testing.T) {
	labels := suite.Checks(contract.ErrorNoKey, contract.WWWAuthenticate)
	got := suite.CheckIDs(append([]string{"core"}, labels...))
	if !slices.Equal(got, []contract.ID{contract.ErrorNoKey, contract.WWWAuthenticate}) {
		t.Errorf("CheckIDs = %v", got)
	}
}

// A missing or corrupt cassette is the harness's failure (the suites make it an Error), not a verdict.
func TestBrokenCassetteIsAHarnessError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "ok.yaml"), []byte("version: 2\ninteractions: [this is: not: a cassette\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"LISTKEYS_MODE": "replay", "LISTKEYS_CASSETTES": dir}
	r, err := scenarios.FromEnvironment(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if res, err := r.Run(context.Background(), scenarios.OK); err == nil {
		t.Errorf("a corrupt cassette was judged: %+v", res.Report)
	}
	if _, err := r.Run(context.Background(), scenarios.Errors[0]); err == nil || !strings.Contains(err.Error(), "record it first") {
		t.Errorf("a missing cassette: %v", err)
	}
}

// A refused request whose answer carries keys is reported as error.carries-no-key even when its status is
// wrong too: the answer is judged as the refusal the scenario calls for.
func TestRefusalWithKeysAndWrongStatus(t *testing.T) {
	dir := t.TempDir()
	okBody := ""
	copyCassette(t, "ok", t.TempDir(), func(i *cassette.Interaction) { okBody = i.Response.Body })
	copyCassette(t, "error-no-token", dir, func(i *cassette.Interaction) {
		status(200)(i)
		i.Response.Body = okBody
	})
	failed := judge(t, replay, "error-no-token", dir, filepath.Join(dir, "error-no-token.yaml"))
	for _, id := range []contract.ID{contract.ErrorNoKey, contract.ScenarioStatus} {
		if !slices.Contains(failed, id) {
			t.Errorf("a 200 with keys to a request without a token: failed %v, want %s among them", failed, id)
		}
	}
}
