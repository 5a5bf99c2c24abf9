package contract

import (
	"bytes"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xeipuuv/gojsonschema"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

func TestParseDateTimeReasons(t *testing.T) {
	tests := []struct{ in, reason string }{
		{"2024-03-01", "a date without a time"},
		{"2024-03-01T12:34:56", "missing the offset"},
		{"2024-03-01 12:34:56Z", `separated by "T"`},
		{"2024-03-01T12:34:56,5Z", `not ","`},
		{"2024-03-01T12:34:56+24:00", "out of range"},
		{"2024-02-30T00:00:00Z", "day 30 does not exist in 2024-02"},
		{"2024-03-01T24:00:00Z", "hour 24"},
		{"2024-03-01T12:60:00Z", "minute 60"},
		{"2024-03-01T12:34:61Z", "second 61"},
		{"2024-03-01T12:34:60Z", "leap second"},
		{"2024-00-01T00:00:00Z", "month 00"},
		{"24-03-01T00:00:00Z", "yyyy-mm-dd"},
	}
	for _, tt := range tests {
		if _, err := ParseDateTime(tt.in); err == nil || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("ParseDateTime(%q) = %v, want an error saying %q", tt.in, err, tt.reason)
		}
	}
}

func TestParseDateTimeValues(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2023-11-13T23:06:09.147165Z", time.Date(2023, 11, 13, 23, 6, 9, 147165000, time.UTC)},
		{"2023-11-13t23:06:09z", time.Date(2023, 11, 13, 23, 6, 9, 0, time.UTC)},
		{"2023-11-13T23:06:09.1234567891Z", time.Date(2023, 11, 13, 23, 6, 9, 123456789, time.UTC)},
		{"2023-11-14T01:06:09+02:00", time.Date(2023, 11, 13, 23, 6, 9, 0, time.UTC)},
		{"2016-12-31T23:59:60Z", time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2017-01-01T00:59:60+01:00", time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		got, err := ParseDateTime(tt.in)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseDateTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// TestDaysIn holds the month lengths the date checks use to time.Date's calendar, for every year a
// date-time can name.
func TestDaysIn(t *testing.T) {
	for year := 0; year <= 9999; year++ {
		for month := 1; month <= 12; month++ {
			if got, want := daysIn(year, month), time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day(); got != want {
				t.Fatalf("daysIn(%d, %d) = %d; time.Date says %d", year, month, got, want)
			}
		}
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		format string
		value  any
		ok     bool
	}{
		{"uuid", "00000000-1111-2222-3333-444444444444", true},
		{"uuid", "ABCDEF00-1111-2222-3333-444444444444", true},
		{"uuid", "{00000000-1111-2222-3333-444444444444}", false},
		{"uuid", "00000000111122223333444444444444", false},
		{"uuid", "0000000-1111-2222-3333-444444444444", false},
		{"uuid", "g0000000-1111-2222-3333-444444444444", false},
		{"uuid", 12, true}, // not a string: the type keyword's business
		{"password", "", true},
		{"date", "2024-02-29", true},
		{"date", "2023-02-29", false},
		{"byte", "aGVsbG8=", true},
		{"byte", "not base64!", false},
		{"uri", "https://example.com/x", true},
		{"uri", "/relative", false},
		{"duration", "PT1H30M", true},
		{"duration", "P", false},
		{"duration", "1H", false},
		{"arm-id", "/subscriptions/x/resourceGroups/y", true},
		{"arm-id", "subscriptions/x", false},
	}
	for _, tt := range tests {
		if err := CheckFormat(tt.format, tt.value); (err == nil) != tt.ok {
			t.Errorf("CheckFormat(%q, %v) = %v, want ok=%v", tt.format, tt.value, err, tt.ok)
		}
	}
	if err := CheckFormat("datetime", "x"); err == nil {
		t.Error("an unknown format must be an error, not a pass")
	}
}

func TestParseConnectionString(t *testing.T) {
	good := "SubscriptionId=00000000-1111-2222-3333-444444444444;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=abc=;QuantumEndpoint=https://westus.quantum.azure.com/;"
	cs, err := ParseConnectionString(good)
	if err != nil || cs.APIKey != "abc=" || cs.WorkspaceName != "ws" || cs.QuantumEndpoint != "https://westus.quantum.azure.com/" {
		t.Fatalf("ParseConnectionString(good) = %+v, %v", cs, err)
	}
	if _, err := ParseConnectionString(strings.ToLower(good)); err != nil {
		t.Errorf("names are case-insensitive, as in the SDK: %v", err)
	}
	bad := []struct{ in, reason string }{
		{strings.TrimSuffix(good, ";"), `does not end with ";"`},
		{strings.Replace(good, "ApiKey=abc=;", "", 1), "has 4 parts"},
		{strings.Replace(good, "ApiKey=abc=", "ApiKey=", 1), "ApiKey is empty"},
		{strings.Replace(good, "ApiKey=abc=", "ApiKey=a b", 1), "white space"},
		{strings.Replace(good, "SubscriptionId=00000000-1111-2222-3333-444444444444", "SubscriptionId=abc", 1), "not a GUID"},
		{strings.Replace(good, "https://westus.quantum.azure.com/", "https://westus.quantum.azure.com", 1), "QuantumEndpoint"},
		{strings.Replace(good, "WorkspaceName", "Workspace", 1), "part 3 should be WorkspaceName"},
	}
	for _, tt := range bad {
		if _, err := ParseConnectionString(tt.in); err == nil || !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("ParseConnectionString(%q) = %v, want %q", tt.in, err, tt.reason)
		}
	}
}

func TestPlaceholders(t *testing.T) {
	for _, s := range []string{"<primaryKey>", "REDACTED", "redacted", "Sanitized", "SANITIZED", "***", Redacted} {
		if !IsPlaceholder(s) {
			t.Errorf("%q should be a placeholder", s)
		}
	}
	for _, s := range []string{"", "abc", "<a><b>", "2023-11-13T23:06:09Z", "xx-redacted-xx", "2024-13-45 REDACTED", "unsanitized", "REDACTED;", "**", " REDACTED"} {
		if IsPlaceholder(s) {
			t.Errorf("%q should not be a placeholder", s)
		}
	}
}

func TestHeaderChecks(t *testing.T) {
	c := MustDefault()
	armHeaders := func(extra ...string) http.Header {
		h := http.Header{}
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("x-ms-request-id", "r")
		h.Set("x-ms-correlation-request-id", "c")
		h.Set("Cache-Control", "no-cache")
		for i := 0; i+1 < len(extra); i += 2 {
			if extra[i+1] == "" {
				h.Del(extra[i])
			} else {
				h.Set(extra[i], extra[i+1])
			}
		}
		return h
	}
	tests := []struct {
		name   string
		status int
		header http.Header
		body   []byte
		check  ID
		path   string
	}{
		{"200 without Cache-Control", 200, armHeaders("Cache-Control", ""), examples.Realistic, "headers.no-cache", "/headers/cache-control"},
		{"200 as text/plain", 200, armHeaders("Content-Type", "text/plain"), examples.Realistic, "headers.content-type", "/headers/content-type"},
		{"no request id", 200, armHeaders("x-ms-request-id", ""), examples.Realistic, "headers.request-ids", "/headers/x-ms-request-id"},
		{"401 without a challenge", 401, armHeaders(), examples.Error, "headers.www-authenticate", "/headers/www-authenticate"},
		{"401 with a Basic challenge", 401, armHeaders("WWW-Authenticate", `Basic realm="x"`), examples.Error, "headers.www-authenticate", "/headers/www-authenticate"},
		{"429 without Retry-After", 429, armHeaders(), examples.Error, "headers.retry-after", "/headers/retry-after"},
		{"429 with a bad Retry-After", 429, armHeaders("Retry-After", "soon"), examples.Error, "headers.retry-after", "/headers/retry-after"},
		{"201 is no documented status", 201, armHeaders(), examples.Realistic, "response.status", "/status"},
	}
	for _, tt := range tests {
		r, err := c.Validate("", Exchange{Status: tt.status, Header: tt.header, Body: tt.body})
		if err != nil || !r.HasCheck(tt.check, tt.path) {
			t.Errorf("%s: want %s at %s; got %+v, %v", tt.name, tt.check, tt.path, r.Violations, err)
		}
	}
	ok, _ := c.Validate("", Exchange{Status: 429, Header: armHeaders("Retry-After", "3"), Body: examples.Error})
	if !ok.Conformant(true) {
		t.Errorf("a 429 with ARM headers and Retry-After should conform: %+v", ok.Violations)
	}
}

func TestValidateRequest(t *testing.T) {
	c := MustDefault()
	good := func() Request {
		u, _ := url.Parse(examples.RequestURL)
		h := http.Header{}
		h.Set("Authorization", "Bearer token")
		h.Set("Accept", "application/json")
		h.Set("x-ms-client-request-id", "9c8a1c36-4b6c-4a36-9a0e-0d1b0a9e7e10")
		return Request{Method: "POST", URL: u, Header: h}
	}
	if r := c.ValidateRequest(good()); len(r.Violations) != 0 {
		t.Fatalf("the documented request should conform: %+v", r.Violations)
	}
	tests := []struct {
		name   string
		mutate func(*Request)
		check  ID
		path   string
	}{
		{"GET", func(r *Request) { r.Method = "GET" }, "request.method", "/request/method"},
		{"other path", func(r *Request) { r.URL.Path = "/subscriptions/x/listKeys" }, "request.path", "/request/path"},
		{"no api-version", func(r *Request) { r.URL.RawQuery = "" }, "request.parameter", "/request/query/api-version"},
		{"api-version twice", func(r *Request) { r.URL.RawQuery = "api-version=a&api-version=b" }, "request.parameter", "/request/query/api-version"},
		{"other api-version", func(r *Request) { r.URL.RawQuery = "api-version=2023-11-13-preview" }, "request.api-version", "/request/query/api-version"},
		{"bad subscription", func(r *Request) {
			r.URL.Path = strings.Replace(r.URL.Path, "00000000-1111-2222-3333-444444444444", "nope", 1)
		}, "request.parameter", "/request/path/subscriptionId"},
		{"no Authorization", func(r *Request) { r.Header.Del("Authorization") }, "request.authorization", "/request/headers/authorization"},
		{"Basic Authorization", func(r *Request) { r.Header.Set("Authorization", "Basic abc") }, "request.authorization", "/request/headers/authorization"},
		{"a body", func(r *Request) { r.Body = []byte("{}") }, "request.body", "/request/body"},
		{"Accept XML", func(r *Request) { r.Header.Set("Accept", "application/xml") }, "request.accept", "/request/headers/accept"},
		{"client request id not a GUID", func(r *Request) { r.Header.Set("x-ms-client-request-id", "abc") }, "request.client-request-id", "/request/headers/x-ms-client-request-id"},
		{"a dot segment", func(r *Request) {
			r.URL.RawPath = strings.Replace(r.URL.EscapedPath(), "quantumResourcegroup", "%2E%2E", 1)
			r.URL.Path, _ = url.PathUnescape(r.URL.RawPath)
		}, "request.path-safe", "/request/path/resourceGroupName"},
	}
	for _, tt := range tests {
		req := good()
		tt.mutate(&req)
		if r := c.ValidateRequest(req); !r.HasCheck(tt.check, tt.path) {
			t.Errorf("%s: want %s at %s, got %+v", tt.name, tt.check, tt.path, r.Violations)
		}
	}
}

func TestSecretPaths(t *testing.T) {
	got := strings.Join(MustDefault().SecretPaths("ListKeysResult"), " ")
	want := "/primaryConnectionString /primaryKey/key /secondaryConnectionString /secondaryKey/key"
	if got != want {
		t.Errorf("SecretPaths = %q, want %q", got, want)
	}
}

// The compiled contract is shared by specs, the server and the validator: validating from many goroutines
// at once must be safe (run with -race) and give the same verdicts.
func TestConcurrentValidation(t *testing.T) {
	c := MustDefault()
	bad := examples.Mutate(examples.Realistic, examples.Set("/primaryKey/createdAt", "2024-02-30T00:00:00Z"))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				good, _ := c.ValidateBody("ListKeysResult", examples.Realistic)
				broken, _ := c.ValidateBody("ListKeysResult", bad)
				if !good.Conformant(true) || !broken.HasCheck("schema.format", "/primaryKey/createdAt") {
					t.Error("verdicts changed under concurrency")
					return
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkValidateDocumentedExample(b *testing.B) {
	c := MustDefault()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ValidateBody("ListKeysResult", examples.Documented); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateRealistic(b *testing.B) {
	c := MustDefault()
	u, _ := url.Parse(examples.RequestURL)
	ex := Exchange{Body: examples.Realistic, Request: &Request{Method: "POST", URL: u}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Validate("ListKeysResult", ex); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGojsonschemaRealistic is the floor BenchmarkValidateRealistic is compared with: gojsonschema
// alone on the same bytes (its own decoding, the same compiled schema), no check of ours.
func BenchmarkGojsonschemaRealistic(b *testing.B) {
	schema := MustDefault().schema("ListKeysResult")
	b.ReportAllocs()
	for b.Loop() {
		if r, err := schema.Validate(gojsonschema.NewBytesLoader(examples.Realistic)); err != nil || !r.Valid() {
			b.Fatal(err, r.Errors())
		}
	}
}

// BenchmarkValidateLarge is a 10 MB ListKeysResult (a documented body with one 10 MB undocumented member):
// the allocation per byte of body is reported as B/body-byte (target <= 2).
func BenchmarkValidateLarge(b *testing.B) {
	c := MustDefault()
	body := largeBody(10 << 20)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		if _, err := c.ValidateBody("ListKeysResult", body); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(body)), "B/body-byte")
}

// largeBody is the realistic body with an undocumented member that makes it size bytes long.
func largeBody(size int) []byte {
	head := bytes.TrimSuffix(bytes.TrimSpace(examples.Realistic), []byte("}"))
	pad := size - len(head) - len(`,"padding":""}`)
	return append(append(append(slices.Clip(head), `,"padding":"`...), bytes.Repeat([]byte("x"), pad)...), `"}`...)
}

func TestForAPIVersion(t *testing.T) {
	versions := schemas.APIVersions()
	if len(versions) < 6 {
		t.Fatalf("embedded api-versions %v; want every one with List Keys", versions)
	}
	for _, v := range versions {
		c, err := ForAPIVersion(v)
		if err != nil || c.Operation.APIVersion != v || c.Operation.ID != ListKeys {
			t.Fatalf("ForAPIVersion(%s) = %v, %v", v, c, err)
		}
		if again, _ := ForAPIVersion(v); again != c {
			t.Errorf("ForAPIVersion(%s) compiled the schemas twice", v)
		}
		rotate, ok := c.ForOperation("Workspaces_RegenerateKeys")
		if !ok || rotate.Operation.APIVersion != v || rotate.Operation.Path == c.Operation.Path {
			t.Errorf("%s: no Workspaces_RegenerateKeys of its own (%v)", v, rotate)
		}
		// Secrets are secrets whether the version marks them x-ms-secret or not.
		if got := strings.Join(c.SecretPaths("ListKeysResult"), " "); got != "/primaryConnectionString /primaryKey/key /secondaryConnectionString /secondaryKey/key" {
			t.Errorf("%s: SecretPaths = %q", v, got)
		}
	}
	_, err := ForAPIVersion("2022-04-05-preview")
	if err == nil || !strings.Contains(err.Error(), "embedded: "+strings.Join(versions, ", ")) {
		t.Errorf("an api-version without schemas must be an error listing the embedded ones, got %v", err)
	}
}

func TestAPIKeysInText(t *testing.T) {
	text := `ok: "SubscriptionId=s;apikey=abc+/=;QuantumEndpoint=x;" and ApiKey=second\"tail, ApiKeys=no`
	if got := strings.Join(APIKeysIn(text), " "); got != "abc+/= second" {
		t.Errorf("APIKeysIn = %q, want the two values", got)
	}
	want := `ok: "SubscriptionId=s;apikey=` + Redacted + `;QuantumEndpoint=x;" and ApiKey=` + Redacted + `\"tail, ApiKeys=no`
	if got := RedactAPIKeys(text); got != want {
		t.Errorf("RedactAPIKeys =\n%s\nwant\n%s", got, want)
	}
}

// A workspace with keys disabled was answered without keys and with empty connection strings (docs/real-arm.md):
// that is what the service sends, so it conforms; an empty connection string while keys are enabled and the
// key it would carry is there does not.
func TestEmptyConnectionStringsOfDisabledKeys(t *testing.T) {
	c := MustDefault()
	tests := []struct {
		body      string
		wantValid bool
	}{
		{`{"apiKeyEnabled":false,"primaryConnectionString":"","secondaryConnectionString":""}`, true},
		{`{"apiKeyEnabled":true,"primaryKey":{"key":"k1"},"secondaryKey":{"key":"k2"},"primaryConnectionString":"","secondaryConnectionString":""}`, false},
	}
	for _, tt := range tests {
		r, err := c.Validate("ListKeysResult", Exchange{Status: 200, Body: []byte(tt.body)})
		if err != nil {
			t.Fatal(err)
		}
		flagged := false
		for _, v := range r.Violations {
			flagged = flagged || v.Check == "connection-string.format"
		}
		if flagged == tt.wantValid {
			t.Errorf("%s: connection-string.format flagged %v, want %v: %+v", tt.body, flagged, !tt.wantValid, r.Violations)
		}
	}
}

func TestRegistryEntriesAreEvaluated(t *testing.T) {
	for _, c := range Checks() {
		if !c.Evaluated() {
			t.Errorf("check %s has no function and names no component that evaluates it", c.ID)
		}
	}
}

func TestKnownRefusesUnknownIDs(t *testing.T) {
	if err := Known(ConnWorkspace, RetryAfter); err != nil {
		t.Errorf("registered IDs refused: %v", err)
	}
	err := Known("headers.nocache")
	if err == nil || !strings.Contains(err.Error(), `"headers.nocache"`) || !strings.Contains(err.Error(), string(NoCache)) {
		t.Errorf("Known(unknown) = %v; want an error naming it and listing the known IDs", err)
	}
	if _, err := HeaderCheck("X-Unknown"); err == nil || !strings.Contains(err.Error(), "WWW-Authenticate") {
		t.Errorf("HeaderCheck(unknown) = %v", err)
	}
	if id, err := HeaderCheck("retry-after"); err != nil || id != RetryAfter {
		t.Errorf("HeaderCheck(retry-after) = %v, %v", id, err)
	}
}

func TestOutcomes(t *testing.T) {
	c := MustDefault()
	u, _ := url.Parse(examples.RequestURL)
	r := c.Judge(Exchange{Status: 200, Body: examples.Documented, Request: &Request{URL: u}})
	if o := r.Outcome(ConnAPIKey); o.Result != NotChecked || !strings.Contains(o.Reason, "placeholder") {
		t.Errorf("a placeholder connection string: %+v, want not checked with the reason", o)
	}
	if o := r.Outcome(NoCache); o.Result != NotChecked {
		t.Errorf("no headers given: %+v, want not checked", o)
	}
	if o := r.Outcome(SchemaType); o.Result != Pass {
		t.Errorf("%+v, want pass", o)
	}
	bad := c.Judge(Exchange{Status: 200, Body: []byte("<html>oops</html>")})
	if o := bad.Outcome(ResponseJSON); o.Result != Fail || o.Level != MUST {
		t.Errorf("a live answer that is not JSON: %+v, want a MUST fail of response.json", o)
	}
	if o := bad.Outcome(SchemaType); o.Result != NotChecked {
		t.Errorf("schema.type on a body that is not JSON: %+v, want not checked", o)
	}
	if got := bad.Failed(); len(got) != 1 {
		t.Errorf("failed %v, want response.json alone", got)
	}
	if o := (Report{NotJudged: "the sanitizer broke the body"}).Outcome(SchemaType); o.Result != NotJudged {
		t.Errorf("%+v, want not judged", o)
	}
}

// A refusal is judged as the answer the scenario calls for: a wrong status hides none of its checks.
func TestRefusalJudgedAsExpected(t *testing.T) {
	c := MustDefault()
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("x-ms-request-id", "r")
	h.Set("x-ms-correlation-request-id", "c")
	h.Set("Cache-Control", "no-cache")
	r := c.Judge(Exchange{Status: 403, Header: h, Body: examples.Realistic, Expect: &Expectation{Status: 401, Code: "AuthenticationFailed"}})
	for _, id := range []ID{ErrorNoKey, WWWAuthenticate, ErrorCodeMsg, ScenarioStatus, ScenarioCode} {
		if r.Outcome(id).Result != Fail {
			t.Errorf("%s: %+v, want fail", id, r.Outcome(id))
		}
	}
	if o := r.Outcome(ResponseStatus); o.Result != NotChecked {
		t.Errorf("response.status with a scenario: %+v, want not checked", o)
	}
	notJSON := c.Judge(Exchange{Status: 401, Body: []byte(`primaryKey: ApiKey=abc`), Expect: &Expectation{Status: 401}})
	if !slices.Equal(notJSON.Failed(), []ID{ErrorNoKey, ResponseJSON}) {
		t.Errorf("a refusal that is not JSON and holds a key: %v", notJSON.Failed())
	}
}

func TestPathSafety(t *testing.T) {
	for _, v := range []string{".", "..", "a/b", `a\b`, "a?b", "a#b", "a%2Fb", "a\nb", "a\x00b", "a\u0085b"} {
		if PathSafety(v) == "" {
			t.Errorf("PathSafety(%q) = \"\", want a problem", v)
		}
	}
	for _, v := range []string{"a", "my.group", "...", "grüppe", "a(b)"} {
		if p := PathSafety(v); p != "" {
			t.Errorf("PathSafety(%q) = %q, want safe", v, p)
		}
	}
}

// TestUndocumentedMembersAtEveryDepth: body.undocumented-property finds a member the definitions do not
// document wherever it stands, inside arrays of definitions (error.details, additionalInfo) too.
func TestUndocumentedMembersAtEveryDepth(t *testing.T) {
	c := MustDefault()
	documented := `{"error":{"code":"C","message":"m","target":"t","details":[{"code":"D","message":"d","details":[{"code":"E","message":"e"}],` +
		`"additionalInfo":[{"type":"T","info":{"any":"thing"}}]}],"additionalInfo":[{"type":"T","info":{}}]}}`
	if r, err := c.ValidateBody("ErrorResponse", []byte(documented)); err != nil || len(r.Violations) != 0 {
		t.Fatalf("a fully documented ErrorResponse: %v %+v", err, r.Violations)
	}
	for _, tt := range []struct{ definition, body, path string }{
		{"ListKeysResult", `{"apiKeyEnabled":false,"extra":1}`, "/extra"},
		{"ListKeysResult", `{"apiKeyEnabled":false,"primaryKey":{"key":"k","extra":1}}`, "/primaryKey/extra"},
		{"ErrorResponse", `{"error":{"code":"C","message":"m","extra":1}}`, "/error/extra"},
		{"ErrorResponse", `{"error":{"code":"C","message":"m","details":[{"code":"D","message":"d","extra":1}]}}`, "/error/details/0/extra"},
		{"ErrorResponse", `{"error":{"code":"C","message":"m","details":[{"code":"D","message":"d"},{"code":"D","message":"d","details":[{"code":"E","message":"e","extra":1}]}]}}`, "/error/details/1/details/0/extra"},
		{"ErrorResponse", `{"error":{"code":"C","message":"m","additionalInfo":[{"type":"T","extra":1}]}}`, "/error/additionalInfo/0/extra"},
	} {
		r, err := c.ValidateBody(tt.definition, []byte(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Violations) != 1 || !r.HasCheck(Undocumented, tt.path) {
			t.Errorf("%s: want one %s at %s, got %+v", tt.body, Undocumented, tt.path, r.Violations)
		}
	}
}
