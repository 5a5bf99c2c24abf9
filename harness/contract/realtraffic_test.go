package contract

import (
	"net/url"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// realKey is shaped like the keys real ARM returns: 86 characters of base64url, "AZQU" at offset 76.
func realKey(fill string) string {
	k := strings.Repeat(fill, 76)[:76] + "AZQU" + "Ab-_9z"
	if len(k) != 86 {
		panic("realKey: not 86 characters")
	}
	return k
}

func connString(sub, rg, ws, key, endpoint string) string {
	return "SubscriptionId=" + sub + ";ResourceGroupName=" + rg + ";WorkspaceName=" + ws + ";ApiKey=" + key + ";QuantumEndpoint=" + endpoint + ";"
}

const (
	docSub = "00000000-1111-2222-3333-444444444444"
	docRG  = "quantumResourcegroup"
	docWS  = "quantumworkspace1"
)

func validateFor(t *testing.T, rawURL string, body []byte) Report {
	t.Helper()
	ex := Exchange{Status: 200, Body: body}
	if rawURL != "" {
		u, err := url.Parse(rawURL)
		if err != nil {
			t.Fatal(err)
		}
		ex.Request = &Request{Method: "POST", URL: u}
	}
	r, err := MustDefault().Validate("", ex)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func hasNote(r Report, text string) bool {
	for _, n := range r.Notes {
		if strings.Contains(n, text) {
			return true
		}
	}
	return false
}

// What real ARM answered (public recordings, docs/recorders.md) conforms, strictly.
func TestRealShapesConform(t *testing.T) {
	primary, secondary := realKey("pQ3"), realKey("sK7")
	realResult := examples.Mutate(examples.Realistic,
		examples.Set("/primaryKey/createdAt", "2025-03-04T23:03:39Z"),
		examples.Set("/secondaryKey/createdAt", "2025-03-04T23:03:41Z"),
		examples.Set("/primaryKey/key", primary),
		examples.Set("/secondaryKey/key", secondary),
		examples.Set("/primaryConnectionString", connString(docSub, docRG, docWS, primary, "https://westcentralus.quantum.azure.com/")),
		examples.Set("/secondaryConnectionString", connString(docSub, docRG, docWS, secondary, "https://westcentralus.quantum.azure.com/")),
	)
	tests := []struct {
		name string
		body []byte
	}{
		{"86-character keys, whole-second createdAt, endpoint in another region", realResult},
		{"keys disabled, 2024: no key objects, empty connection strings", []byte(`{"apiKeyEnabled":false,"primaryConnectionString":"","secondaryConnectionString":""}`)},
		{"keys disabled, 2025: keys and connection strings present", examples.Mutate(realResult, examples.Set("/apiKeyEnabled", false))},
		{"the Azure CLI scrubber's quoted REDACTED", examples.Mutate(realResult,
			examples.Set("/primaryKey/key", "REDACTED"), examples.Set("/secondaryKey/key", "REDACTED"),
			examples.Delete("/primaryKey/createdAt"), examples.Delete("/secondaryKey/createdAt"),
			examples.Set("/primaryConnectionString", connString("REDACTED", docRG, docWS, "REDACTED", "REDACTED")),
			examples.Set("/secondaryConnectionString", connString("REDACTED", docRG, docWS, "REDACTED", "REDACTED")))},
		{"the test-proxy's Sanitized", examples.Mutate(realResult,
			examples.Set("/primaryKey/key", "Sanitized"), examples.Set("/secondaryKey/key", "Sanitized"),
			examples.Set("/primaryConnectionString", "Sanitized"), examples.Set("/secondaryConnectionString", "Sanitized"))},
		{"the documented example", examples.Documented},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validateFor(t, examples.RequestURL, tt.body)
			if !r.Conformant(true) {
				t.Errorf("want strictly conformant, got %+v", r.Violations)
			}
		})
	}
}

// A placeholder is a whole value at a string position. A value that merely contains a marker word is
// checked; a placeholder where a boolean or an object belongs is a type violation.
func TestPlaceholdersOnlyWhole(t *testing.T) {
	tests := []struct {
		name  string
		body  []byte
		check ID
		path  string
	}{
		{"apiKeyEnabled as \"<true>\"", examples.Mutate(examples.Realistic, examples.Set("/apiKeyEnabled", "<true>")), "schema.type", "/apiKeyEnabled"},
		{"apiKeyEnabled as \"REDACTED\"", examples.Mutate(examples.Realistic, examples.Set("/apiKeyEnabled", "REDACTED")), "schema.type", "/apiKeyEnabled"},
		{"secondaryKey as \"REDACTED\"", examples.Mutate(examples.Realistic, examples.Set("/secondaryKey", "REDACTED")), "schema.type", "/secondaryKey"},
		{"a date-time with a marker word in it", examples.Mutate(examples.Realistic, examples.Set("/primaryKey/createdAt", "2024-13-45 REDACTED")), "schema.format", "/primaryKey/createdAt"},
		{"a workspace named unsanitized", examples.Mutate(examples.Realistic,
			examples.Set("/primaryConnectionString", connString(docSub, docRG, "unsanitized", "<redacted:listkeys-conformance>", "https://westus.quantum.azure.com/"))),
			"connection-string.workspace", "/primaryConnectionString"},
		{"a connection string with a marker word but malformed", examples.Mutate(examples.Realistic,
			examples.Set("/primaryConnectionString", "REDACTED connection string")), "connection-string.format", "/primaryConnectionString"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validateFor(t, examples.RequestURL, tt.body)
			if !r.HasCheck(tt.check, tt.path) || r.Conformant(false) {
				t.Errorf("want MUST %s at %s, got %+v", tt.check, tt.path, r.Violations)
			}
		})
	}
}

// Behind a redacted ApiKey every other part of the connection string is still checked: each mutant is
// caught at its JSON Pointer.
func TestPartialRedactionMutants(t *testing.T) {
	const redacted = Redacted
	good := connString(docSub, docRG, docWS, redacted, "https://westus.quantum.azure.com/")
	tests := []struct {
		name  string
		conn  string
		check ID
	}{
		{"wrong WorkspaceName", connString(docSub, docRG, "otherworkspace", redacted, "https://westus.quantum.azure.com/"), "connection-string.workspace"},
		{"wrong ResourceGroupName", connString(docSub, "otherGroup", docWS, redacted, "https://westus.quantum.azure.com/"), "connection-string.workspace"},
		{"wrong SubscriptionId", connString("11111111-1111-2222-3333-444444444444", docRG, docWS, redacted, "https://westus.quantum.azure.com/"), "connection-string.workspace"},
		{"SubscriptionId not a GUID", connString("not-a-guid", docRG, docWS, redacted, "https://westus.quantum.azure.com/"), "connection-string.format"},
		{"http endpoint", connString(docSub, docRG, docWS, redacted, "http://westus.quantum.azure.com/"), "connection-string.format"},
		{"endpoint without its trailing /", connString(docSub, docRG, docWS, redacted, "https://westus.quantum.azure.com"), "connection-string.format"},
		{"endpoint on another host", connString(docSub, docRG, docWS, redacted, "https://westus.example.com/"), "connection-string.format"},
		{"no trailing ;", strings.TrimSuffix(good, ";"), "connection-string.format"},
		{"parts out of order", "ResourceGroupName=" + docRG + ";SubscriptionId=" + docSub + ";WorkspaceName=" + docWS + ";ApiKey=" + redacted + ";QuantumEndpoint=https://westus.quantum.azure.com/;", "connection-string.format"},
		{"comma separators", strings.ReplaceAll(good, ";", ","), "connection-string.format"},
		{"a part missing", strings.Replace(good, "WorkspaceName="+docWS+";", "", 1), "connection-string.format"},
		{"white space in a name", connString(docSub, docRG, "quantum workspace1", redacted, "https://westus.quantum.azure.com/"), "connection-string.format"},
		{"an empty name", connString(docSub, docRG, "", redacted, "https://westus.quantum.azure.com/"), "connection-string.format"},
	}
	for _, conn := range []string{"primaryConnectionString", "secondaryConnectionString"} {
		for _, tt := range tests {
			t.Run(conn+"/"+tt.name, func(t *testing.T) {
				body := examples.Mutate(examples.Realistic,
					examples.Set("/primaryKey/key", redacted), examples.Set("/secondaryKey/key", redacted),
					examples.Set("/primaryConnectionString", good), examples.Set("/secondaryConnectionString", good),
					examples.Set("/"+conn, tt.conn))
				r := validateFor(t, examples.RequestURL, body)
				if !r.HasCheck(tt.check, "/"+conn) || r.Conformant(false) {
					t.Errorf("want MUST %s at /%s, got %+v", tt.check, conn, r.Violations)
				}
			})
		}
	}
	// The unmutated body conforms: the redacted ApiKey is noted as not checked, nothing else.
	body := examples.Mutate(examples.Realistic,
		examples.Set("/primaryKey/key", redacted), examples.Set("/secondaryKey/key", redacted),
		examples.Set("/primaryConnectionString", good), examples.Set("/secondaryConnectionString", good))
	r := validateFor(t, examples.RequestURL, body)
	if !r.Conformant(true) || !hasNote(r, "ApiKey in /primaryConnectionString is a placeholder") {
		t.Errorf("the redacted body: violations %+v, notes %q", r.Violations, r.Notes)
	}
}

// A request whose subscription a recorder sanitized leaves the SubscriptionId uncompared, with a note; the
// resource group and workspace are still compared.
func TestSanitizedRequestSubscription(t *testing.T) {
	for _, sub := range []string{ZeroGUID, "REDACTED", "<subscriptionId>"} {
		t.Run(sub, func(t *testing.T) {
			u := strings.Replace(examples.RequestURL, docSub, sub, 1)
			r := validateFor(t, u, examples.Realistic)
			if r.HasCheck("connection-string.workspace", "/primaryConnectionString") || !hasNote(r, "sanitized by the recorder: SubscriptionId") {
				t.Errorf("want SubscriptionId not compared, with a note; got %+v, notes %q", r.Violations, r.Notes)
			}
			other := examples.Mutate(examples.Realistic, examples.Set("/primaryConnectionString",
				connString(docSub, docRG, "otherworkspace", "cHJpbWFyeS10ZXN0LWtleS1ub3QtYS1zZWNyZXQtMDAwMDAwMDA=", "https://westus.quantum.azure.com/")))
			if r := validateFor(t, u, other); !r.HasCheck("connection-string.workspace", "/primaryConnectionString") {
				t.Errorf("the workspace must still be compared: %+v", r.Violations)
			}
		})
	}
	// A real subscription is compared as before.
	u := strings.Replace(examples.RequestURL, docSub, "11111111-1111-2222-3333-444444444444", 1)
	if r := validateFor(t, u, examples.Realistic); !r.HasCheck("connection-string.workspace", "/primaryConnectionString") {
		t.Errorf("another real subscription must be a violation: %+v", r.Violations)
	}
}

func TestEmptyConnectionString(t *testing.T) {
	body := examples.Mutate(examples.Realistic, examples.Set("/primaryConnectionString", ""))
	r := validateFor(t, examples.RequestURL, body)
	if !r.HasCheck("connection-string.format", "/primaryConnectionString") || r.Conformant(false) {
		t.Fatalf("an empty connection string beside an enabled key must be a MUST violation: %+v", r.Violations)
	}
	for _, v := range r.Violations {
		if v.Check == "connection-string.format" && !strings.Contains(v.Message, "is empty") {
			t.Errorf("the message must say the string is empty: %q", v.Message)
		}
	}
	// With the key absent, an empty string is what keys disabled looks like; the missing key is its own SHOULD.
	noKey := examples.Mutate(body, examples.Delete("/primaryKey"))
	if r := validateFor(t, examples.RequestURL, noKey); r.HasCheck("connection-string.format", "/primaryConnectionString") {
		t.Errorf("no key, empty string: no format violation expected, got %+v", r.Violations)
	}
}

func TestErrorResponseAsResult(t *testing.T) {
	for _, status := range []int{0, 200} {
		r, err := MustDefault().Validate("", Exchange{Status: status, Body: examples.Error})
		if err != nil {
			t.Fatal(err)
		}
		if !r.HasCheck("result.not-error-response", "/error") || r.Conformant(false) || r.Definition != "ListKeysResult" {
			t.Errorf("status %d: an ErrorResponse as a 200 must be a MUST violation, got %+v", status, r.Violations)
		}
	}
	if r, _ := MustDefault().Validate("", Exchange{Status: 404, Body: examples.Error}); r.HasCheck("result.not-error-response", "/error") {
		t.Error("a 404 carries an ErrorResponse rightly")
	}
}

func TestRequestWithPlaceholderParameter(t *testing.T) {
	u, _ := url.Parse(strings.Replace(examples.RequestURL, docSub, "REDACTED", 1))
	r := MustDefault().ValidateRequest(Request{Method: "POST", URL: u, Header: map[string][]string{"Authorization": {"Bearer x"}}})
	if len(r.Violations) != 0 || !hasNote(r, "/request/path/subscriptionId is a placeholder") {
		t.Errorf("a redacted subscription is not checked: %+v %q", r.Violations, r.Notes)
	}
	u, _ = url.Parse(strings.Replace(examples.RequestURL, docSub, "REDACTED-not-a-guid", 1))
	if r := MustDefault().ValidateRequest(Request{Method: "POST", URL: u}); !r.HasCheck("request.parameter", "/request/path/subscriptionId") {
		t.Errorf("a value with a marker word in it is checked: %+v", r.Violations)
	}
}
