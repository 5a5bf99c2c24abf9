package recording_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/recording"
)

func TestScanForSecrets(t *testing.T) {
	const (
		jwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tLyJ9.c2lnbmF0dXJl"
		key = "cHJpbWFyeS10ZXN0LWtleS1ub3QtYS1zZWNyZXQtMDAwMDAwMDA="
	)
	tests := []struct {
		name, text string
		want       []string // kinds found, in order; none for a clean text
	}{
		{"a JWT anywhere", "x-token: " + jwt, []string{"a JWT"}},
		{"a bearer JWT", "- Bearer " + jwt, []string{"a JWT", "a bearer token"}},
		{"an opaque bearer token", "Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", []string{"a bearer token"}},
		{"our bearer marker", "- Bearer " + contract.Redacted, nil},
		{"a short bearer token", "- Bearer emulator-token", nil},
		{"a WWW-Authenticate challenge", `- Bearer authorization_uri="https://login.windows.net/00000000-0000-0000-0000-000000000000", error="invalid_token"`, nil},
		{"a real ApiKey", `"primaryConnectionString":"SubscriptionId=s;ApiKey=abc123;QuantumEndpoint=https://westus.quantum.azure.com/;"`,
			[]string{"an ApiKey in a connection string"}},
		{"an ApiKey YAML-escaped", `body: "{\"c\":\"ApiKey=abc123;\"}"`, []string{"an ApiKey in a connection string"}},
		{"our ApiKey marker", "ApiKey=" + contract.Redacted + ";", nil},
		{"the documented ApiKey placeholder", "ApiKey=<primaryKey>;", nil},
		{"the documented placeholder JSON-escaped", `ApiKey=\u003cprimaryKey\u003e;`, nil},
		{"an empty ApiKey", "ApiKey=;", nil},
		{"a quantum key header, inline", "x-ms-quantum-api-key: abc123", []string{"an x-ms-quantum-api-key header value"}},
		{"a quantum key header, JSON", `"x-ms-quantum-api-key": "abc123"`, []string{"an x-ms-quantum-api-key header value"}},
		{"a quantum key header, go-vcr YAML", "    X-Ms-Quantum-Api-Key:\n        - abc123\n    Other:\n        - x",
			[]string{"an x-ms-quantum-api-key header value"}},
		{"a quantum key header, redacted", "    X-Ms-Quantum-Api-Key:\n        - " + contract.Redacted, nil},
		{"a quantum key header, empty", "    X-Ms-Quantum-Api-Key: []", nil},
		{"a key in a secret property", `"primaryKey":{"key":"` + key + `"}`, []string{"a key-looking value in a secret property"}},
		{"a key in a secret property, YAML-escaped", `\"key\":\"` + key + `\"`, []string{"a key-looking value in a secret property"}},
		{"a short key", `"key":"shortkey"`, nil},
		{"our key marker", `"key":"` + contract.Redacted + `"`, nil},
		{"the documented key placeholder", `"key":"<primaryKey>"`, nil},
		{"a long value in another property", `"x-ms-request-id":"` + key + `"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var kinds []string
			for _, f := range recording.ScanForSecrets([]byte(tt.text)) {
				kinds = append(kinds, f.Kind)
				if strings.Contains(f.String(), "abc123") || strings.Contains(f.String(), key) {
					t.Errorf("the finding shows the value: %s", f)
				}
			}
			if !slices.Equal(kinds, tt.want) {
				t.Errorf("ScanForSecrets = %q; want %q", kinds, tt.want)
			}
		})
	}
}

func TestScanForSecretsGivesLineNumbers(t *testing.T) {
	text := "---\nclean\nx: ApiKey=abc123;\nclean\n- Bearer abcdefghijklmnopqrstuvwxyz012345\n"
	got := recording.ScanForSecrets([]byte(text))
	want := []recording.Finding{{3, "an ApiKey in a connection string"}, {5, "a bearer token"}}
	if !slices.Equal(got, want) {
		t.Errorf("ScanForSecrets = %v; want %v", got, want)
	}
}
