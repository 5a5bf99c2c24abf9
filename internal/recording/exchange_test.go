package recording_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	"github.com/listkeys-conformance/listkeys-conformance/internal/recording"
)

func TestSanitizeExchange(t *testing.T) {
	const key = "cHJpbWFyeS10ZXN0LWtleS1ub3QtYS1zZWNyZXQtMDAwMDAwMDA="
	const subscription = "12345678-aaaa-bbbb-cccc-1234567890ab"
	u, _ := url.Parse("https://management.azure.com/subscriptions/" + subscription + "/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws/listKeys?api-version=2025-12-15-preview")
	ex := contract.Exchange{
		Status: 200, Header: http.Header{"Set-Cookie": {"ARRAffinity=abcdef0123456789"}, "X-Echo": {key}},
		Body:    examples.Realistic,
		Request: &contract.Request{Method: "POST", URL: u, Header: http.Header{"Authorization": {"Bearer eyJhbGciOiJSUzI1NiJ9.secret-token"}}},
	}
	before := string(ex.Body)
	out, err := recording.SanitizeExchange(contract.MustDefault(), ex)
	if err != nil {
		t.Fatal(err)
	}
	all := out.Request.URL.String() + string(out.Body) + strings.Join(out.Header.Values("X-Echo"), "") +
		strings.Join(out.Header.Values("Set-Cookie"), "") + strings.Join(out.Request.Header.Values("Authorization"), "")
	for _, secret := range []string{key, subscription, "secret-token", "abcdef0123456789"} {
		if strings.Contains(all, secret) {
			t.Errorf("%s survived sanitizing: %s", secret, all)
		}
	}
	if !bytes.Contains(out.Body, []byte(contract.Redacted)) || out.Request.Method != "POST" || out.Status != 200 {
		t.Errorf("sanitized exchange: %+v", out)
	}
	if string(ex.Body) != before || ex.Request.URL.String() != u.String() || ex.Header.Get("X-Echo") != key {
		t.Error("the caller's exchange was changed")
	}
}
