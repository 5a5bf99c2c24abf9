package recording

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// Real-looking values; none of them is real.
const (
	realSubscription = "ca9a7e57-1eaf-4c1d-9e5e-c0ffee0000aa"
	realTenant       = "7e7a7e7a-0000-4000-8000-00000000beef"
	realPrimary      = "CANARY-primary-key-0123456789abcdef="
	realSecondary    = "CANARY-secondary-key-0123456789abcdef="
	realToken        = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tLyJ9.c2lnbmF0dXJl"
	realCookie       = "session=CANARY-cookie-0123456789"
)

func connectionString(subscription, key string) string {
	return "SubscriptionId=" + subscription + ";ResourceGroupName=rg;WorkspaceName=ws;ApiKey=" + key +
		";QuantumEndpoint=https://westus.quantum.azure.com/;"
}

func armURL(subscription string) string {
	return "https://management.azure.com/subscriptions/" + subscription +
		"/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws/listKeys?api-version=2025-12-15-preview"
}

// listKeysInteraction is a 200 carrying both keys, with the subscription also echoed, upper-cased, in a
// header.
func listKeysInteraction(subscription string) *cassette.Interaction {
	body := `{"apiKeyEnabled":true,` +
		`"primaryKey":{"createdAt":"2025-06-01T10:00:00Z","key":"` + realPrimary + `"},` +
		`"secondaryKey":{"createdAt":"2025-06-01T10:00:00Z","key":"` + realSecondary + `"},` +
		`"primaryConnectionString":"` + connectionString(subscription, realPrimary) + `",` +
		`"secondaryConnectionString":"` + connectionString(subscription, realSecondary) + `"}`
	return &cassette.Interaction{
		Request: cassette.Request{
			Method: http.MethodPost, URL: armURL(subscription), Host: "management.azure.com",
			Headers: http.Header{"Authorization": {"Bearer " + realToken}, "Cookie": {realCookie}},
		},
		Response: cassette.Response{
			Code: http.StatusOK, Status: "200 OK", Body: body, ContentLength: int64(len(body)),
			Headers: http.Header{
				"Content-Type":    {"application/json; charset=utf-8"},
				"Content-Length":  {strconv.Itoa(len(body))},
				"Set-Cookie":      {realCookie + "; Path=/; Secure"},
				"X-Ms-Request-Id": {"4b1e2a36-8f8e-4d8a-9d47-0a4f5e1c2b3d"},
				"Location":        {"https://management.azure.com/subscriptions/" + strings.ToUpper(subscription) + "/x"},
			},
		},
	}
}

// unauthorizedInteraction is a 401 whose challenge names a tenant and whose message names the subscription.
func unauthorizedInteraction() *cassette.Interaction {
	body := `{"error":{"code":"InvalidAuthenticationToken","message":"The access token for subscription ` +
		realSubscription + ` is invalid."}}`
	return &cassette.Interaction{
		Request: cassette.Request{Method: http.MethodPost, URL: armURL(realSubscription),
			Headers: http.Header{"Authorization": {"Bearer " + realToken}}},
		Response: cassette.Response{
			Code: http.StatusUnauthorized, Status: "401 Unauthorized", Body: body, ContentLength: -1,
			Headers: http.Header{"Www-Authenticate": {`Bearer authorization_uri="https://login.windows.net/` + realTenant +
				`", error="invalid_token", error_description="The access token is from the wrong issuer 'https://sts.windows.net/` +
				strings.ToUpper(realTenant) + `/'."`}},
		},
	}
}

func mustSanitize(t *testing.T, i *cassette.Interaction) []secret {
	t.Helper()
	found, err := newSanitizer(contract.MustDefault()).sanitize(i)
	if err != nil {
		t.Fatalf("sanitize: %v", err)
	}
	return found
}

// saved is the interaction as go-vcr writes it to a file.
func saved(t *testing.T, i *cassette.Interaction) []byte {
	t.Helper()
	c := cassette.New(filepath.Join(t.TempDir(), "c"))
	c.AddInteraction(i)
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(c.File)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestSanitizeRedactsSecretsAndIdentifiers(t *testing.T) {
	tests := []struct {
		name        string
		interaction *cassette.Interaction
		gone        []string // must not be in the saved file, in any case
		kept        []string // must be in the saved file
	}{
		{"listKeys 200", listKeysInteraction(realSubscription),
			[]string{realPrimary, realSecondary, realSubscription, realToken, "CANARY-cookie"},
			[]string{"Bearer " + contract.Redacted, connectionString(ZeroGUID, contract.Redacted),
				`"key":"` + contract.Redacted + `"`, "/subscriptions/" + ZeroGUID + "/resourceGroups/rg",
				"X-Ms-Request-Id", "4b1e2a36-8f8e-4d8a-9d47-0a4f5e1c2b3d"}},
		{"listKeys 200 for the documented subscription", listKeysInteraction(documentedSubscription),
			[]string{realPrimary, realSecondary, realToken},
			[]string{connectionString(documentedSubscription, contract.Redacted), armURL(documentedSubscription)}},
		{"401 with a tenant", unauthorizedInteraction(),
			[]string{realTenant, realSubscription, realToken},
			[]string{`authorization_uri="https://login.windows.net/` + ZeroGUID + `"`, "subscription " + ZeroGUID + " is invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustSanitize(t, tt.interaction)
			data := string(saved(t, tt.interaction))
			for _, s := range tt.gone {
				if strings.Contains(strings.ToLower(data), strings.ToLower(s)) {
					t.Errorf("the saved interaction still holds %q:\n%s", s, data)
				}
			}
			for _, s := range tt.kept {
				if !strings.Contains(data, s) {
					t.Errorf("the saved interaction lacks %q:\n%s", s, data)
				}
			}
			r := tt.interaction.Response
			if r.ContentLength != -1 && r.ContentLength != int64(len(r.Body)) {
				t.Errorf("ContentLength %d; the body has %d bytes", r.ContentLength, len(r.Body))
			}
			if h := r.Headers.Get("Content-Length"); h != "" && h != strconv.Itoa(len(r.Body)) {
				t.Errorf("Content-Length header %s; the body has %d bytes", h, len(r.Body))
			}
		})
	}
}

func TestSanitizeReturnsTheSecretsItMet(t *testing.T) {
	found := mustSanitize(t, listKeysInteraction(realSubscription))
	want := map[string]string{
		"the Authorization header":                 realToken,
		"the secret at /primaryKey/key":            realPrimary,
		"the secret at /secondaryKey/key":          realSecondary,
		"the ApiKey in /primaryConnectionString":   realPrimary,
		"the ApiKey in /secondaryConnectionString": realSecondary,
		"the subscription id":                      realSubscription,
	}
	got := map[string]string{}
	for _, s := range found {
		got[s.kind] = s.value
	}
	for kind, value := range want {
		if got[kind] != value {
			t.Errorf("%s: got %q, want %q", kind, got[kind], value)
		}
	}
}

func TestSanitizeIsIdempotent(t *testing.T) {
	for name, i := range map[string]*cassette.Interaction{
		"listKeys 200": listKeysInteraction(realSubscription),
		"401":          unauthorizedInteraction(),
	} {
		mustSanitize(t, i)
		once := saved(t, i)
		if found := mustSanitize(t, i); len(found) != 0 {
			t.Errorf("%s: the second pass met secrets: %v", name, found)
		}
		if twice := saved(t, i); !bytes.Equal(once, twice) {
			t.Errorf("%s: sanitizing twice changed the file:\n%s\nthen\n%s", name, once, twice)
		}
	}
}

func TestSanitizeLeavesTheCallersMapsAlone(t *testing.T) {
	i := listKeysInteraction(realSubscription)
	request, response := i.Request.Headers, i.Response.Headers
	mustSanitize(t, i)
	if got := request.Get("Authorization"); got != "Bearer "+realToken {
		t.Errorf("the caller's request Authorization became %q", got)
	}
	if got := response.Get("Set-Cookie"); !strings.HasPrefix(got, realCookie) {
		t.Errorf("the caller's response Set-Cookie became %q", got)
	}
}

func TestSanitizeKeepsSubscriptionsThatAreNotIdentifiers(t *testing.T) {
	for _, subscription := range []string{ZeroGUID, documentedSubscription, "not-a-guid", strings.ToUpper(documentedSubscription)} {
		i := listKeysInteraction(subscription)
		mustSanitize(t, i)
		if i.Request.URL != armURL(subscription) {
			t.Errorf("subscription %s: the URL became %s", subscription, i.Request.URL)
		}
	}
}

func TestSanitizeRefusesEncodedBodies(t *testing.T) {
	i := listKeysInteraction(realSubscription)
	i.Response.Headers.Set("Content-Encoding", "gzip")
	if _, err := newSanitizer(contract.MustDefault()).sanitize(i); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("sanitize of a gzip body: %v; want an error naming the encoding", err)
	}
}

func TestSanitizeRedactsEchoesOfASecret(t *testing.T) {
	i := listKeysInteraction(realSubscription)
	i.Response.Headers.Set("X-Echo-Key", "key="+realPrimary)
	i.Response.Body = strings.Replace(i.Response.Body, `"apiKeyEnabled":true`,
		`"apiKeyEnabled":true,"undocumented":["`+realSecondary+`"]`, 1)
	mustSanitize(t, i)
	if got := i.Response.Headers.Get("X-Echo-Key"); got != "key="+contract.Redacted {
		t.Errorf("X-Echo-Key became %q", got)
	}
	if strings.Contains(i.Response.Body, realSecondary) {
		t.Errorf("an undocumented property kept the key: %s", i.Response.Body)
	}
}

func TestJSONStringsGivesPointersAndSpans(t *testing.T) {
	doc := `{"a": "x", "b":{"c/d":"y","e~f":["z",1,"w\"q"]},"g":[{"h":"v"}],"n":null}`
	want := map[string]string{"/a": `"x"`, "/b/c~1d": `"y"`, "/b/e~0f/0": `"z"`, "/b/e~0f/2": `"w\"q"`, "/g/0/h": `"v"`}
	got := map[string]string{}
	err := jsonStrings([]byte(doc), func(pointer string, start, end int, _ string) {
		got[pointer] = doc[start:end]
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for p, span := range want {
		if got[p] != span {
			t.Errorf("%s: span %q, want %q", p, got[p], span)
		}
	}
}

// ARM's 403 names the caller, whose client id may be a user's sign-in name: neither it nor the object id
// may reach a published cassette.
func TestSanitizeRedactsTheCallerOfAnAuthorizationError(t *testing.T) {
	const user, object = "alice@contoso.example", "5f0c5c2e-3f0e-4e8e-9a59-2b1c3d4e5f60"
	body := `{"error":{"code":"AuthorizationFailed","message":"The client '` + user + `' with object id '` + object +
		`' does not have authorization to perform action 'Microsoft.Quantum/workspaces/listKeys/action'."}}`
	i := &cassette.Interaction{
		Request:  cassette.Request{Method: http.MethodPost, URL: armURL(realSubscription), Headers: http.Header{}},
		Response: cassette.Response{Code: http.StatusForbidden, Body: body, Headers: http.Header{}},
	}
	found, err := newSanitizer(contract.MustDefault()).sanitize(i)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(i.Response.Body, user) || strings.Contains(i.Response.Body, object) {
		t.Errorf("the caller survived sanitizing: %s", i.Response.Body)
	}
	if !strings.Contains(i.Response.Body, "The client '"+ZeroGUID+"' with object id '"+ZeroGUID+"'") {
		t.Errorf("the message should keep its shape with the zero GUID: %s", i.Response.Body)
	}
	kinds := map[string]bool{}
	for _, s := range found {
		kinds[s.kind] = true
	}
	if !kinds["the caller's client id"] || !kinds["the caller's object id"] {
		t.Errorf("the leak scan must look for the caller too; it was given %v", kinds)
	}
}

// The sanitizer takes placeholders as the contract does, whole values only: a secret that merely contains a
// marker word ("REDACTED", "sanitized", "<…>" inside) is still a secret and is redacted.
func TestSanitizeRedactsSecretsThatContainAMarkerWord(t *testing.T) {
	for _, key := range []string{"REDACTED-but-real-0123456789abcdef=", "xx<sanitized>xx-0123456789abcdef", "Sanitized0123456789abcdef"} {
		i := listKeysInteraction(realSubscription)
		i.Response.Body = strings.ReplaceAll(i.Response.Body, realPrimary, key)
		mustSanitize(t, i)
		if strings.Contains(string(saved(t, i)), key) {
			t.Errorf("%q escaped redaction", key)
		}
	}
}

// The service answers a workspace with keys disabled with empty connection strings: nothing is secret there,
// and the recording keeps the answer's shape.
func TestSanitizeKeepsEmptySecrets(t *testing.T) {
	const body = `{"apiKeyEnabled":false,"primaryConnectionString":"","secondaryConnectionString":""}`
	i := listKeysInteraction(realSubscription)
	i.Response.Body, i.Response.ContentLength = body, int64(len(body))
	i.Response.Headers.Set("Content-Length", strconv.Itoa(len(body)))
	for _, f := range mustSanitize(t, i) {
		if strings.Contains(f.kind, "ConnectionString") {
			t.Errorf("an empty connection string counted as a secret: %v", f)
		}
	}
	if i.Response.Body != body {
		t.Errorf("sanitized to %s, want the body as it was", i.Response.Body)
	}
}

// Only one official api-version marks the keys x-ms-secret; each version's contract must still have them
// redacted where they stand, not only where a connection string happens to repeat them.
func TestSanitizeRedactsTheKeysInEveryAPIVersion(t *testing.T) {
	for _, v := range schemas.APIVersions() {
		t.Run(v, func(t *testing.T) {
			c, err := contract.ForAPIVersion(v)
			if err != nil {
				t.Fatal(err)
			}
			i := listKeysInteraction(realSubscription)
			i.Request.URL = strings.Replace(i.Request.URL, schemas.DefaultAPIVersion, v, 1)
			found, err := newSanitizer(c).sanitize(i)
			if err != nil {
				t.Fatal(err)
			}
			kinds := map[string]bool{}
			for _, s := range found {
				kinds[s.kind] = true
			}
			for _, want := range []string{"the secret at /primaryKey/key", "the secret at /secondaryKey/key",
				"the ApiKey in /primaryConnectionString", "the ApiKey in /secondaryConnectionString"} {
				if !kinds[want] {
					t.Errorf("%s not redacted as a secret (found: %v)", want, kinds)
				}
			}
			data := string(saved(t, i))
			for _, s := range []string{realPrimary, realSecondary} {
				if strings.Contains(data, s) {
					t.Errorf("the saved interaction still holds %q:\n%s", s, data)
				}
			}
		})
	}
}

// shapedKey is shaped as the service's keys: 86 base64url characters with AZQU at offset 76.
var shapedKey = strings.Repeat("Ab3-_x", 12) + "Zz09" + "AZQU" + "Qq1w-_"

func TestSanitizeRedactsKeysUnderUndocumentedMembersByShape(t *testing.T) {
	if len(shapedKey) != contract.KeyLength || contract.KeysByShape(shapedKey)[0] != shapedKey {
		t.Fatalf("the test key is not key-shaped: %d characters", len(shapedKey))
	}
	i := listKeysInteraction(realSubscription)
	i.Response.Body = strings.Replace(i.Response.Body, `"apiKeyEnabled":true`,
		`"apiKeyEnabled":true,"keys":[{"value":"`+shapedKey+`"}],"note":"rotated; old key `+shapedKey+`","conn":"`+connectionString(realSubscription, realSecondary)+`"`, 1)
	mustSanitize(t, i)
	if strings.Contains(i.Response.Body, shapedKey) || strings.Contains(i.Response.Body, realSecondary) {
		t.Errorf("a key under an undocumented member survived: %s", i.Response.Body)
	}
	if !strings.Contains(i.Response.Body, `"keys":[{"value":"`+contract.Redacted+`"}]`) {
		t.Errorf("keys[0].value not redacted in place: %s", i.Response.Body)
	}
}
