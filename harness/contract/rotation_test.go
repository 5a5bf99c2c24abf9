package contract

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const regenerateURL = "https://management.azure.com/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/quantumResourcegroup/providers/Microsoft.Quantum/workspaces/quantumworkspace1/regenerateKey?api-version=2025-12-15-preview"

func regenerateContract(t *testing.T) *Contract {
	t.Helper()
	c, ok := MustDefault().ForOperation("Workspaces_RegenerateKeys")
	if !ok {
		t.Fatal("the default contract has no Workspaces_RegenerateKeys")
	}
	return c
}

func TestRegenerateRequestChecks(t *testing.T) {
	c := regenerateContract(t)
	u, _ := url.Parse(regenerateURL)
	tests := []struct {
		name, body string
		want       string // "check@path", "" for none
	}{
		{"primary", `{"keys":["Primary"]}`, ""},
		{"both", `{"keys":["Primary","Secondary"]}`, ""},
		{"no body", ``, "regenerate.body@/request/body"},
		{"not JSON", `{"keys":`, "regenerate.body@/request/body"},
		{"an unknown key type", `{"keys":["Tertiary"]}`, "regenerate.body@/request/body/keys/0"},
		{"keys not an array", `{"keys":"Primary"}`, "regenerate.body@/request/body/keys"},
		{"lower case", `{"keys":["primary"]}`, "regenerate.body@/request/body/keys/0"},
		{"an empty list", `{"keys":[]}`, "regenerate.keys-named@/request/body/keys"},
		{"no keys member", `{}`, "regenerate.keys-named@/request/body/keys"},
		{"a key twice", `{"keys":["Primary","Primary"]}`, "regenerate.keys-named@/request/body/keys"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.ValidateRequest(Request{Method: "POST", URL: u, Body: []byte(tt.body),
				Header: http.Header{"Authorization": {"Bearer t"}}})
			var got []string
			for _, v := range r.Violations {
				got = append(got, v.Check+"@"+v.Path)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("violations %v, want %q", r.Violations, tt.want)
			}
		})
	}
	// The listKeys path is not this operation's.
	lk, _ := url.Parse(strings.Replace(regenerateURL, "regenerateKey", "listKeys", 1))
	if r := c.ValidateRequest(Request{Method: "POST", URL: lk, Body: []byte(`{"keys":["Primary"]}`), Header: http.Header{"Authorization": {"Bearer t"}}}); !r.HasCheck("request.path", "/request/path") {
		t.Errorf("a listKeys path passed as regenerateKey: %v", r.Violations)
	}
	// And listKeys still takes no body.
	if r := MustDefault().ValidateRequest(Request{Method: "POST", URL: lk, Body: []byte(`{}`), Header: http.Header{"Authorization": {"Bearer t"}}}); !r.HasCheck("request.body", "/request/body") {
		t.Errorf("a body on listKeys: %v", r.Violations)
	}
}

func TestValidateRegenerate(t *testing.T) {
	c := regenerateContract(t)
	tests := []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"204 empty", 204, "", ""},
		{"204 with a body", 204, `{"keys":[]}`, "regenerate.no-content"},
		{"200", 200, `{}`, "regenerate.no-content"},
		{"an ARM error", 400, `{"error":{"code":"InvalidKeyType","message":"m"}}`, ""},
		{"a bad ARM error", 400, `{"error":{"code":""}}`, "error.code-message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := c.ValidateRegenerate(Exchange{Status: tt.status, Body: []byte(tt.body)})
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, v := range r.Violations {
				if v.Level == MUST {
					got = v.Check
				}
			}
			if got != tt.want {
				t.Errorf("MUST violation %q, want %q (%v)", got, tt.want, r.Violations)
			}
		})
	}
}
