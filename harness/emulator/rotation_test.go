package emulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
)

func regeneratePath(workspace string) string {
	return strings.TrimSuffix(defaultPath(workspace), "listKeys") + "regenerateKey"
}

func regenerate(t *testing.T, srv *httptest.Server, target, body string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", valid)
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}
}

type keys struct {
	PrimaryKey                struct{ CreatedAt, Key string }
	SecondaryKey              struct{ CreatedAt, Key string }
	PrimaryConnectionString   string
	SecondaryConnectionString string
}

func list(t *testing.T, srv *httptest.Server, workspace string) keys {
	t.Helper()
	a := call(t, srv, http.MethodPost, defaultPath(workspace)+"?"+version, valid, nil)
	if a.status != http.StatusOK {
		t.Fatalf("listKeys: %d %s", a.status, a.body)
	}
	var k keys
	if err := json.Unmarshal(a.body, &k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRegenerateKeysRotatesOneKeyAtATime(t *testing.T) {
	now := fixedNow
	cfg := emulator.DefaultConfig()
	cfg.Now = func() time.Time { return now }
	e := emulator.New(cfg)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	c, _ := contract.MustDefault().ForOperation("Workspaces_RegenerateKeys")

	before := list(t, srv, emulator.RotationWorkspace)
	other := list(t, srv, emulator.DefaultWorkspace)
	a := regenerate(t, srv, regeneratePath(emulator.RotationWorkspace)+"?"+version, `{"keys":["Primary"]}`)
	if a.status != http.StatusNoContent || len(a.body) != 0 {
		t.Fatalf("regenerate Primary: %d %q, want 204 with no body", a.status, a.body)
	}
	if r, _ := c.ValidateRegenerate(contractExchange(a)); !r.Conformant(false) {
		t.Errorf("the 204 does not conform: %v", r.Violations)
	}
	after := list(t, srv, emulator.RotationWorkspace)
	switch {
	case after.PrimaryKey.Key == before.PrimaryKey.Key:
		t.Error("the primary key did not change")
	case after.PrimaryKey.CreatedAt <= before.PrimaryKey.CreatedAt:
		t.Errorf("primary createdAt %s is not later than %s", after.PrimaryKey.CreatedAt, before.PrimaryKey.CreatedAt)
	case !strings.Contains(after.PrimaryConnectionString, "ApiKey="+after.PrimaryKey.Key+";"):
		t.Error("the primary connection string does not carry the new key")
	case after.SecondaryKey != before.SecondaryKey || after.SecondaryConnectionString != before.SecondaryConnectionString:
		t.Error("the secondary key or its connection string changed")
	}
	if list(t, srv, emulator.DefaultWorkspace) != other {
		t.Error("regenerating one workspace's key changed another's")
	}

	// Twice within the same second: createdAt is still later.
	regenerate(t, srv, regeneratePath(emulator.RotationWorkspace)+"?"+version, `{"keys":["Secondary","Primary"]}`)
	both := list(t, srv, emulator.RotationWorkspace)
	if both.PrimaryKey.Key == after.PrimaryKey.Key || both.SecondaryKey.Key == after.SecondaryKey.Key ||
		both.PrimaryKey.CreatedAt <= after.PrimaryKey.CreatedAt || both.SecondaryKey.CreatedAt <= after.SecondaryKey.CreatedAt {
		t.Errorf("regenerating both: %+v after %+v", both, after)
	}
	if p, s, _ := e.Keys(emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, emulator.RotationWorkspace); p != both.PrimaryKey.Key || s != both.SecondaryKey.Key {
		t.Error("Keys does not give the regenerated keys")
	}
}

func contractExchange(a answer) contract.Exchange {
	return contract.Exchange{Status: a.status, Header: a.header, Body: a.body}
}

func TestRegenerateKeysRefusals(t *testing.T) {
	srv, _ := newServer(t, emulator.DefaultConfig())
	c, _ := contract.MustDefault().ForOperation("Workspaces_RegenerateKeys")
	tests := []struct {
		name, target, body string
		status             int
		code               string
	}{
		{"no body", regeneratePath(emulator.RotationWorkspace) + "?" + version, "", 400, "InvalidRequestContent"},
		{"not JSON", regeneratePath(emulator.RotationWorkspace) + "?" + version, `{"keys":`, 400, "InvalidRequestContent"},
		{"an unknown key type", regeneratePath(emulator.RotationWorkspace) + "?" + version, `{"keys":["Tertiary"]}`, 400, "InvalidKeyType"},
		{"an unknown workspace", regeneratePath("nope") + "?" + version, `{"keys":["Primary"]}`, 404, "ResourceNotFound"},
		{"no api-version", regeneratePath(emulator.RotationWorkspace), `{"keys":["Primary"]}`, 400, "MissingApiVersionParameter"},
		{"an api-version without a contract", regeneratePath(emulator.RotationWorkspace) + "?api-version=2022-04-05-preview", `{"keys":["Primary"]}`, 400, "NoRegisteredProviderFound"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := list(t, srv, emulator.RotationWorkspace)
			a := regenerate(t, srv, tt.target, tt.body)
			var got armError
			json.Unmarshal(a.body, &got)
			if a.status != tt.status || got.Error.Code == nil || *got.Error.Code != tt.code {
				t.Fatalf("%d %s, want %d %s", a.status, a.body, tt.status, tt.code)
			}
			if r, _ := c.ValidateRegenerate(contractExchange(a)); !r.Conformant(false) {
				t.Errorf("the refusal does not conform: %v", r.Violations)
			}
			if strings.Contains(string(a.body), "listKeys") {
				t.Errorf("the refusal names listKeys: %s", a.body)
			}
			if list(t, srv, emulator.RotationWorkspace) != before {
				t.Error("a refused request changed the keys")
			}
		})
	}
}
