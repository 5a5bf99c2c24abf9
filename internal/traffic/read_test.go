package traffic

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

func readFixture(t testing.TB, name string) Recording {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Read(name, data)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return rec
}

// Every fixture holds the same exchanges, written by each recorder in its own way.
func TestReadEachFormat(t *testing.T) {
	tests := []struct {
		file   string
		format Format
		count  int
		auth   string // the Authorization the recorder kept on the listKeys request, "" when it removed it
	}{
		{"go-vcr-mixed.yaml", GoVCR, 5, "Bearer <redacted:listkeys-conformance>"},
		{"go-vcr-conformant.yaml", GoVCR, 2, "Bearer <redacted:listkeys-conformance>"},
		{"vcrpy-mixed.yaml", VCRPy, 5, ""},
		{"vcrpy-conformant.yaml", VCRPy, 2, ""},
		{"test-proxy-mixed.json", TestProxy, 5, "Sanitized"},
		{"test-proxy-conformant.json", TestProxy, 2, "Sanitized"},
		{"har-mixed.har", HAR, 5, "Bearer REDACTED"},
		{"har-conformant.har", HAR, 2, "Bearer REDACTED"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			rec := readFixture(t, tt.file)
			if rec.Name != tt.file || rec.Format != tt.format || len(rec.Interactions) != tt.count {
				t.Fatalf("got %s as %s with %d interactions; want %s with %d", rec.Name, rec.Format, len(rec.Interactions), tt.format, tt.count)
			}
			first, keys := rec.Interactions[0], rec.Interactions[1]
			if first.Index != 1 || keys.Index != 2 {
				t.Errorf("indexes %d, %d; want 1, 2", first.Index, keys.Index)
			}
			if first.Request.Method != "GET" || keys.Request.Method != "POST" || keys.Status != 200 {
				t.Errorf("first %s, second %s -> %d", first.Request.Method, keys.Request.Method, keys.Status)
			}
			if keys.RawURL != examples.RequestURL || keys.Request.URL == nil || keys.Request.URL.String() != examples.RequestURL {
				t.Errorf("URL %q (parsed %v); want %s", keys.RawURL, keys.Request.URL, examples.RequestURL)
			}
			if got := keys.Request.Header.Get("Authorization"); got != tt.auth {
				t.Errorf("Authorization %q; want %q", got, tt.auth)
			}
			if got := keys.Request.Header.Get("x-ms-client-request-id"); got != "11111111-2222-3333-4444-555555555502" {
				t.Errorf("x-ms-client-request-id %q", got)
			}
			if len(keys.Request.Body) != 0 {
				t.Errorf("request body %q; want none", keys.Request.Body)
			}
			if got := keys.Header.Get("Cache-Control"); got != "no-cache" {
				t.Errorf("response Cache-Control %q", got)
			}
			assertSameJSON(t, keys.Body, examples.Realistic)
		})
	}
}

// The mixed fixtures are one scenario in four formats: reading must give the same interactions.
func TestReadFormatsAgree(t *testing.T) {
	want := readFixture(t, "go-vcr-mixed.yaml")
	for _, file := range []string{"vcrpy-mixed.yaml", "test-proxy-mixed.json", "har-mixed.har"} {
		got := readFixture(t, file)
		for i, w := range want.Interactions {
			g := got.Interactions[i]
			if g.Request.Method != w.Request.Method || g.RawURL != w.RawURL || g.Status != w.Status {
				t.Errorf("%s #%d: %s %s -> %d; go-vcr has %s %s -> %d", file, i+1, g.Request.Method, g.RawURL, g.Status, w.Request.Method, w.RawURL, w.Status)
			}
			if json.Valid(w.Body) {
				assertSameJSON(t, g.Body, w.Body)
			} else if !bytes.Equal(g.Body, w.Body) {
				t.Errorf("%s #%d: body %q; go-vcr has %q", file, i+1, g.Body, w.Body)
			}
		}
	}
}

func TestReadDecodesStoredBodies(t *testing.T) {
	gz := readFixture(t, "vcrpy-mixed.yaml").Interactions[2]
	if gz.Status != 404 || !json.Valid(gz.Body) || len(gz.Notes) != 1 || !strings.Contains(gz.Notes[0], "gzip-compressed") {
		t.Errorf("vcrpy's gzip-compressed 404 body: %q, notes %q", gz.Body, gz.Notes)
	}
	b64 := readFixture(t, "har-mixed.har").Interactions[1]
	assertSameJSON(t, b64.Body, examples.Realistic)
}

// Content-based detection, and the variants each recorder writes.
func TestReadDetection(t *testing.T) {
	const url = examples.RequestURL
	tests := []struct {
		name   string
		data   string
		format Format
		check  func(t *testing.T, in []Interaction)
	}{
		{"go-vcr version 1 has the version 2 shape", "version: 1\ninteractions:\n- request: {method: POST, url: '" + url + "', body: ''}\n  response: {status: 200 OK, code: 200, body: '{}'}\n", GoVCR, status(200)},
		{"go-vcr status without code", "version: 2\ninteractions:\n- request: {method: POST, url: '" + url + "'}\n  response: {status: 404 Not Found, body: '{}'}\n", GoVCR, status(404)},
		{"vcrpy YAML", "interactions:\n- request: {method: POST, uri: '" + url + "', body: null, headers: {}}\n  response: {status: {code: 429, message: Too Many}, headers: {Retry-After: ['5']}, body: {string: '{}'}}\nversion: 1\n", VCRPy, func(t *testing.T, in []Interaction) {
			if in[0].Status != 429 || in[0].Header.Get("Retry-After") != "5" || string(in[0].Body) != "{}" {
				t.Errorf("got %d %v %q", in[0].Status, in[0].Header, in[0].Body)
			}
		}},
		{"vcrpy JSON serializer", `{"interactions": [{"request": {"method": "POST", "uri": "` + url + `", "body": null, "headers": {}}, "response": {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": "{}"}}}], "version": 1}`, VCRPy, status(200)},
		{"vcrpy binary body", "interactions:\n- request: {method: POST, uri: '" + url + "', body: null}\n  response:\n    status: {code: 200, message: OK}\n    body: {string: !!binary 'eyJhIjoxfQ=='}\nversion: 1\n", VCRPy, body(`{"a":1}`)},
		{"vcrpy header value as a single string", "interactions:\n- request: {method: POST, uri: '" + url + "', headers: {Accept: application/json}}\n  response: {status: {code: 200}, body: {string: ''}}\nversion: 1\n", VCRPy, func(t *testing.T, in []Interaction) {
			if got := in[0].Request.Header.Get("Accept"); got != "application/json" {
				t.Errorf("Accept %q", got)
			}
		}},
		{"an empty version-1 cassette", "interactions: []\nversion: 1\n", VCRPy, count(0)},
		{"a byte order mark", "\xef\xbb\xbfversion: 2\ninteractions: []\n", GoVCR, count(0)},
		{"YAML anchors are followed", "x: &h {Accept: [application/json]}\nversion: 2\ninteractions:\n- request: {method: POST, url: '" + url + "', headers: *h}\n  response: {code: 200, headers: *h}\n", GoVCR, func(t *testing.T, in []Interaction) {
			if in[0].Request.Header.Get("Accept") != "application/json" || in[0].Header.Get("Accept") != "application/json" {
				t.Errorf("headers %v %v", in[0].Request.Header, in[0].Header)
			}
		}},
		{"headers not recorded are nil, not empty", "version: 2\ninteractions:\n- request: {method: POST, url: '" + url + "'}\n  response: {code: 200}\n", GoVCR, func(t *testing.T, in []Interaction) {
			if in[0].Header != nil || in[0].Request.Header == nil {
				t.Errorf("response header %v (want nil), request header %v (want empty)", in[0].Header, in[0].Request.Header)
			}
		}},
		{"test-proxy string body", `{"Entries": [{"RequestUri": "` + url + `", "RequestMethod": "POST", "RequestHeaders": {}, "RequestBody": null, "StatusCode": 200, "ResponseHeaders": {}, "ResponseBody": "{\"a\": REDACTED}"}], "Variables": {}}`, TestProxy, body(`{"a": REDACTED}`)},
		{"test-proxy null body and header lists", `{"Entries": [{"RequestUri": "` + url + `", "RequestMethod": "POST", "RequestHeaders": {"Accept": ["application/json", "text/plain"]}, "StatusCode": 204, "ResponseBody": null}]}`, TestProxy, func(t *testing.T, in []Interaction) {
			if in[0].Body != nil || len(in[0].Request.Header.Values("Accept")) != 2 || in[0].Header != nil {
				t.Errorf("body %q, request header %v, response header %v", in[0].Body, in[0].Request.Header, in[0].Header)
			}
		}},
		{"test-proxy array body", `{"Entries": [{"RequestUri": "` + url + `", "RequestMethod": "POST", "StatusCode": 200, "ResponseBody": [1, 2]}]}`, TestProxy, body(`[1, 2]`)},
		{"HAR without content text", `{"log": {"version": "1.2", "entries": [{"request": {"method": "POST", "url": "` + url + `", "headers": [{"name": ":authority", "value": "x"}]}, "response": {"status": 200, "headers": [], "content": {"size": 900}}}]}}`, HAR, func(t *testing.T, in []Interaction) {
			if len(in[0].Body) != 0 || len(in[0].Notes) != 1 || !strings.Contains(in[0].Notes[0], "no response content") || len(in[0].Request.Header) != 0 {
				t.Errorf("body %q, notes %q, request header %v", in[0].Body, in[0].Notes, in[0].Request.Header)
			}
		}},
		{"HAR with bad base64", `{"log": {"entries": [{"request": {"method": "POST", "url": "` + url + `"}, "response": {"status": 200, "content": {"text": "{!}", "encoding": "base64"}}}]}}`, HAR, func(t *testing.T, in []Interaction) {
			if string(in[0].Body) != "{!}" || len(in[0].Notes) != 1 || !strings.Contains(in[0].Notes[0], "does not decode") {
				t.Errorf("body %q, notes %q", in[0].Body, in[0].Notes)
			}
		}},
		{"a URL that does not parse is kept raw", "version: 2\ninteractions:\n- request: {method: POST, url: 'https://h/subscriptions/%zz/x'}\n  response: {code: 200}\n", GoVCR, func(t *testing.T, in []Interaction) {
			if in[0].Request.URL != nil || in[0].RawURL != "https://h/subscriptions/%zz/x" || len(in[0].Notes) != 1 {
				t.Errorf("URL %v, raw %q, notes %q", in[0].Request.URL, in[0].RawURL, in[0].Notes)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := Read("rec", []byte(tt.data))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			if rec.Format != tt.format {
				t.Fatalf("format %s; want %s", rec.Format, tt.format)
			}
			tt.check(t, rec.Interactions)
		})
	}
}

func status(code int) func(*testing.T, []Interaction) {
	return func(t *testing.T, in []Interaction) {
		if len(in) != 1 || in[0].Status != code {
			t.Errorf("got %+v; want one interaction with status %d", in, code)
		}
	}
}

func body(want string) func(*testing.T, []Interaction) {
	return func(t *testing.T, in []Interaction) {
		if len(in) != 1 || string(in[0].Body) != want {
			t.Errorf("got %+v; want one interaction with body %q", in, want)
		}
	}
}

func count(n int) func(*testing.T, []Interaction) {
	return func(t *testing.T, in []Interaction) {
		if len(in) != n {
			t.Errorf("got %d interactions; want %d", len(in), n)
		}
	}
}

// A file that is no recording is one line naming the file, and says what it is instead.
func TestReadRefuses(t *testing.T) {
	aliasBomb := "a: &a [" + strings.Repeat("x", 1000) + "]\nversion: 2\ninteractions:\n" +
		strings.Repeat("- {request: {method: POST, url: u, headers: {h: *a}}, response: {code: 200}}\n", 10000)
	big := "version: 2\nbody: &b '" + strings.Repeat("x", 1<<20) + "'\ninteractions:\n" + strings.Repeat("- {request: {method: POST, url: u}, response: {code: 200, body: *b}}\n", 200)
	tests := []struct {
		name, data, want string
		unknown          bool // wraps ErrFormat
	}{
		{"empty", "", "the file is empty", true},
		{"white space", " \n\t ", "the file is empty", true},
		{"not UTF-8", "\xff\xfe\x00binary", "not UTF-8 text (invalid byte at 0)", true},
		{"neither JSON nor YAML", "key: [unclosed\n", "neither JSON nor YAML: yaml: line", true},
		{"broken JSON", `{"Entries": [}`, "starts like JSON but is not: invalid character '}'", true},
		{"a JSON array", `[1, 2]`, "its top level is an array", true},
		{"a YAML scalar", "just words", `its top level is the scalar "just words"`, true},
		{"only a YAML comment", "# nothing\n", "its top level is empty (no YAML content)", true},
		{"an unknown JSON object", `{"foo": 1, "bar": 2}`, `a JSON object with members "bar", "foo", but none of "interactions"`, true},
		{"an unknown YAML mapping", "foo: 1\n", `YAML with members "foo", but no "interactions"`, true},
		{"an unknown cassette version", "version: 7\ninteractions: []\n", `version "7" is no cassette version known`, true},
		{"interactions not a list", "version: 2\ninteractions: {a: 1}\n", `"interactions" is a mapping, not a list`, true},
		{"interactions of neither shape", "interactions:\n- {request: {method: GET}, response: {}}\n", `neither "url" (go-vcr) nor "uri" (vcrpy)`, true},
		{"interaction without method", "version: 2\ninteractions:\n- {request: {url: u}, response: {code: 200}}\n", "go-vcr cassette: interaction 1: request.method is missing, not a string", false},
		{"interaction without response", "version: 2\ninteractions:\n- {request: {method: POST, url: u}}\n", "interaction 1: its response is missing, not a mapping", false},
		{"status that is no number", "version: 2\ninteractions:\n- {request: {method: POST, url: u}, response: {code: OK}}\n", `response.code "OK" is not a status code`, false},
		{"vcrpy status without code", "interactions:\n- {request: {method: POST, uri: u}, response: {status: {message: OK}}}\nversion: 1\n", "response.status.code is missing", false},
		{"headers as a list", "version: 2\ninteractions:\n- {request: {method: POST, url: u, headers: [a]}, response: {code: 200}}\n", "request headers are a list, not a mapping", false},
		{"bad !!binary", "version: 2\ninteractions:\n- {request: {method: POST, url: u}, response: {code: 200, body: !!binary '!!!'}}\n", "response body is !!binary but not base64", false},
		{"test-proxy Entries not a list", `{"Entries": 3}`, `test-proxy JSON: "Entries" is not a list`, false},
		{"test-proxy entry without status", `{"Entries": [{"RequestUri": "u", "RequestMethod": "GET"}]}`, "entry 1: it has no StatusCode", false},
		{"test-proxy status as a string", `{"Entries": [{"RequestUri": "u", "RequestMethod": "GET", "StatusCode": "200"}]}`, "StatusCode is a JSON string; a number is expected there", false},
		{"test-proxy header of numbers", `{"Entries": [{"RequestUri": "u", "RequestMethod": "GET", "StatusCode": 200, "RequestHeaders": {"A": 1}}]}`, `RequestHeaders: "A" is neither a string nor a list of strings`, false},
		{"HAR without entries", `{"log": {"version": "1.2"}}`, `no "log.entries" list`, true},
		{"HAR entry without request", `{"log": {"entries": [{"response": {"status": 200}}]}}`, "HAR: entry 1: it has no request with method and url", false},
		{"many aliases of a long header value", aliasBomb, "expands (through YAML aliases)", false},
		{"a large body repeated through an alias", big, "expands (through YAML aliases)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, err := Read("bad.rec", []byte(tt.data))
			if err == nil {
				t.Fatalf("read as %s with %d interactions; want an error", rec.Format, len(rec.Interactions))
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "bad.rec: ") || !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error %q should be one line naming bad.rec and saying %q", msg, tt.want)
			}
			if errors.Is(err, ErrFormat) != tt.unknown {
				t.Errorf("errors.Is(ErrFormat) = %v; want %v", !tt.unknown, tt.unknown)
			}
			if tt.unknown && tt.want != "the file is empty" && !strings.Contains(msg, "tried go-vcr cassette YAML, vcrpy cassette YAML, Azure SDK test-proxy JSON, HAR 1.2") {
				t.Errorf("error %q should list the formats tried", msg)
			}
		})
	}
}

func assertSameJSON(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if !bytes.Equal(gb, wb) {
		t.Errorf("body %s\nwant %s", gb, wb)
	}
}
