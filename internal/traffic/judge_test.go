package traffic

import (
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// Each mixed fixture: #1 is not listKeys, #2 a conformant 200, #3 a conformant 404, #4 a body whose JSON the
// sanitizer broke, #5 connection strings naming another workspace. Every listKeys interaction is judged,
// the unusable one included.
func TestJudgeMixedRecordings(t *testing.T) {
	c := contract.MustDefault()
	for _, file := range []string{"go-vcr-mixed.yaml", "vcrpy-mixed.yaml", "test-proxy-mixed.json", "har-mixed.har"} {
		t.Run(file, func(t *testing.T) {
			res, err := Judge(c, readFixture(t, file))
			if err != nil {
				t.Fatal(err)
			}
			if res.Skipped != 1 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "#1 GET /subscriptions/") {
				t.Errorf("skipped %d, notes %q; want #1 GET named as skipped", res.Skipped, res.Notes)
			}
			if len(res.Verdicts) != 4 {
				t.Fatalf("%d verdicts; want 4", len(res.Verdicts))
			}
			ok, notFound, broken, elsewhere := res.Verdicts[0], res.Verdicts[1], res.Verdicts[2], res.Verdicts[3]
			if !ok.Conformant(true) || ok.Report.Definition != "ListKeysResult" || ok.Interaction.Index != 2 {
				t.Errorf("#2: %+v; want strictly conformant ListKeysResult", ok.Report)
			}
			if !notFound.Conformant(true) || notFound.Report.Definition != "ErrorResponse" {
				t.Errorf("#3: %+v; want strictly conformant ErrorResponse", notFound.Report)
			}
			want := "the body is not JSON: an unquoted placeholder REDACTED at byte 17; the recorder's sanitizer broke the JSON"
			if broken.NotJudged != want || !broken.Conformant(true) || broken.Report.Definition != "ListKeysResult" {
				t.Errorf("#4: not judged %q, report %+v; want %q and no violation", broken.NotJudged, broken.Report, want)
			}
			if elsewhere.Conformant(false) || !elsewhere.Report.HasCheck("connection-string.workspace", "/primaryConnectionString") {
				t.Errorf("#5: %+v; want connection-string.workspace", elsewhere.Report)
			}
			if res.Conformant(false) {
				t.Error("the recording as a whole must not conform")
			}
		})
	}
}

func TestJudgeAuthorizationAsRecorded(t *testing.T) {
	c := contract.MustDefault()
	tests := []struct {
		name      string
		auth      []string // nil: no header
		violation bool
		note      string
	}{
		{"removed by the recorder", nil, false, "the recorder may have removed it"},
		{"test-proxy's Sanitized", []string{"Sanitized"}, false, `Authorization is redacted in the recording ("Sanitized")`},
		{"a redacted token", []string{"Bearer REDACTED"}, false, "taken as present, not checked"},
		{"the documented placeholder", []string{"Bearer <token>"}, false, "taken as present"},
		{"a token as recorded", []string{"Bearer abc.def.ghi"}, false, ""},
		{"another scheme", []string{"Basic dXNlcjpwYXNz"}, true, ""},
	}
	u, _ := url.Parse(examples.RequestURL)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{"Accept": {"application/json"}}
			if tt.auth != nil {
				h["Authorization"] = tt.auth
			}
			in := Interaction{Index: 1, Request: contract.Request{Method: "POST", URL: u, Header: h}, RawURL: examples.RequestURL, Status: 200, Body: examples.Realistic}
			res, err := Judge(c, Recording{Name: "rec", Interactions: []Interaction{in}})
			if err != nil {
				t.Fatal(err)
			}
			r := res.Verdicts[0].Report
			if got := r.HasCheck("request.authorization", "/request/headers/authorization"); got != tt.violation {
				t.Errorf("request.authorization violation %v; want %v (%+v)", got, tt.violation, r.Violations)
			}
			notes := strings.Join(r.Notes, "\n")
			if tt.note != "" && !strings.Contains(notes, tt.note) || tt.note == "" && strings.Contains(notes, "Authorization") {
				t.Errorf("notes %q; want %q", r.Notes, tt.note)
			}
			if h.Get("Authorization") != strings.Join(tt.auth, "") {
				t.Error("the recording's own header map was changed")
			}
		})
	}
}

// A body a sanitizer broke is not judged, with the reason; any other body that is not JSON is what the
// service sent, and violates response.json. The next interaction is judged either way.
func TestJudgeBodiesThatAreNotJSON(t *testing.T) {
	c := contract.MustDefault()
	u, _ := url.Parse(examples.RequestURL)
	tests := []struct {
		name, body string
		notJudged  bool
		want       string
	}{
		{"an unquoted marker for a boolean", `{"apiKeyEnabled": REDACTED, "primaryKey": {}}`, true, "an unquoted placeholder REDACTED at byte 18; the recorder's sanitizer broke the JSON"},
		{"an unquoted Sanitized", `{"primaryKey": {"createdAt": "2025-01-01T00:00:00Z", "key": "k"}, "apiKeyEnabled": Sanitized}`, true, "an unquoted placeholder Sanitized at byte 83"},
		{"an angle placeholder", `{"apiKeyEnabled": <apiKeyEnabled>}`, true, "an unquoted placeholder <apiKeyEnabled> at byte 18"},
		{"the whole body replaced", `REDACTED`, true, "an unquoted placeholder REDACTED at byte 0"},
		{"a bare word that is no placeholder", `{"apiKeyEnabled": yes}`, false, "not JSON: invalid character 'y'"},
		{"a bare word containing a marker", `{"apiKeyEnabled": xREDACTED}`, false, "not JSON: invalid character 'x'"},
		{"a marker inside a string is JSON", `{"apiKeyEnabled": true, "x": "REDACTED", "y": nope}`, false, "not JSON: invalid character 'o' in literal null"},
		{"an empty body", ``, false, "the body is empty"},
		{"truncated", `{"apiKeyEnabled": tr`, false, "truncated after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := Interaction{Index: 4, Request: contract.Request{Method: "POST", URL: u, Header: http.Header{}}, RawURL: examples.RequestURL, Status: 200, Body: []byte(tt.body)}
			other := Interaction{Index: 5, Request: in.Request, RawURL: in.RawURL, Status: 200, Body: examples.Realistic}
			res, err := Judge(c, Recording{Name: "rec", Interactions: []Interaction{in, other}})
			if err != nil {
				t.Fatal(err)
			}
			v := res.Verdicts[0]
			if tt.notJudged {
				if !strings.Contains(v.NotJudged, tt.want) || !v.Conformant(true) {
					t.Errorf("not judged %q, violations %+v; want %q and no violation", v.NotJudged, v.Report.Violations, tt.want)
				}
			} else if v.NotJudged != "" || !v.Report.HasCheck("response.json", "") || !strings.Contains(v.Report.Violations[0].Message, tt.want) {
				t.Errorf("want response.json saying %q, got not judged %q, %+v", tt.want, v.NotJudged, v.Report.Violations)
			}
			if res.Verdicts[1].NotJudged != "" || !res.Verdicts[1].Conformant(false) {
				t.Errorf("the next interaction must still be judged: %+v", res.Verdicts[1])
			}
		})
	}
}

func TestJudgeWithoutListKeys(t *testing.T) {
	rec := readFixture(t, "go-vcr-mixed.yaml")
	rec.Interactions = rec.Interactions[:1]
	_, err := Judge(contract.MustDefault(), rec)
	if !errors.Is(err, ErrNoListKeys) || !strings.Contains(err.Error(), "go-vcr-mixed.yaml: no listKeys interaction among its 1 interaction (go-vcr cassette YAML)") {
		t.Errorf("error %v", err)
	}
}

func TestIsListKeys(t *testing.T) {
	tests := []struct {
		method, url string
		want        bool
	}{
		{"POST", examples.RequestURL, true},
		{"GET", examples.RequestURL, true},
		{"POST", strings.ToLower(examples.RequestURL), true},
		{"POST", "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws/listKeys/", true},
		{"POST", "http://127.0.0.1:8080/subscriptions/s/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws/listKeys", true},
		{"POST", "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/%zz/listKeys?api-version=x", true},
		{"GET", "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws", false},
		{"POST", "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa/listKeys", false},
		{"POST", "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws/regenerateKey", false},
		{"POST", "https://management.azure.com/x?next=/providers/Microsoft.Quantum/workspaces/ws/listKeys", false},
	}
	for _, tt := range tests {
		rec, err := Read("rec", []byte("version: 2\ninteractions:\n- {request: {method: "+tt.method+", url: '"+tt.url+"'}, response: {code: 200}}\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := rec.Interactions[0].IsListKeys(); got != tt.want {
			t.Errorf("%s %s: IsListKeys %v; want %v", tt.method, tt.url, got, tt.want)
		}
	}
}

// A recorded refusal whose body is not JSON gets the verdict serve and the suites give the same answer: a
// fail of response.json, and the checks on its bytes still judged — a key in it is error.carries-no-key.
func TestRecordedNonJSONRefusalIsJudgedOnItsBytes(t *testing.T) {
	key := strings.Repeat("k", 76) + "AZQU" + "abcdef"
	doc := `{"Entries": [{"RequestUri": "https://management.azure.com/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws/listKeys?api-version=2025-12-15-preview",
		"RequestMethod": "POST", "RequestHeaders": {"Authorization": "Sanitized"}, "RequestBody": null, "StatusCode": 401,
		"ResponseHeaders": {"Content-Type": "text/html", "WWW-Authenticate": "Bearer authorization_uri=\"https://login.microsoftonline.com/common\""},
		"ResponseBody": "<html>denied; ApiKey=` + key + `;</html>"}]}`
	rec, err := Read("refusal.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	res, err := JudgeByAPIVersion(rec)
	if err != nil {
		t.Fatal(err)
	}
	v := res.Verdicts[0]
	var failed []string
	for _, viol := range v.Report.Violations {
		failed = append(failed, viol.Check)
	}
	for _, want := range []contract.ID{contract.ResponseJSON, contract.ErrorNoKey} {
		if !slices.Contains(failed, string(want)) {
			t.Errorf("violations %v; want %s among them", failed, want)
		}
	}
	if v.NotJudged != "" {
		t.Errorf("a body that is not JSON is the service's fail, not %q", v.NotJudged)
	}
}

// JudgeStream gives Judge's verdicts, findings and notes, reading one interaction at a time: each verdict
// keeps no body or header of its interaction, and passes through keep in the order of the file.
func TestJudgeStreamIsJudge(t *testing.T) {
	c := contract.MustDefault()
	for _, file := range []string{"go-vcr-mixed.yaml", "vcrpy-mixed.yaml", "test-proxy-mixed.json", "har-mixed.har", "cli-testsdk-keys.yaml", "example-listkeys.json"} {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			rec, err := Read(file, data)
			if err != nil {
				t.Fatal(err)
			}
			whole, err := Judge(c, rec)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Open(file, data)
			if err != nil {
				t.Fatal(err)
			}
			var kept []int
			streamed, err := JudgeStream(c, s, func(v *Verdict) { kept = append(kept, v.Interaction.Index) })
			if err != nil {
				t.Fatal(err)
			}
			if streamed.Name != file || streamed.Format != rec.Format || streamed.Interactions != len(rec.Interactions) {
				t.Errorf("name %q, format %q, %d interactions; want %q, %q, %d", streamed.Name, streamed.Format, streamed.Interactions, file, rec.Format, len(rec.Interactions))
			}
			if !reflect.DeepEqual(streamed.Findings, whole.Findings) || !reflect.DeepEqual(streamed.Notes, whole.Notes) || streamed.Skipped != whole.Skipped {
				t.Errorf("findings %v, notes %q; want %v, %q", streamed.Findings, streamed.Notes, whole.Findings, whole.Notes)
			}
			if len(streamed.Verdicts) != len(whole.Verdicts) || len(kept) != len(whole.Verdicts) {
				t.Fatalf("%d verdicts, %d kept; want %d", len(streamed.Verdicts), len(kept), len(whole.Verdicts))
			}
			for i, v := range streamed.Verdicts {
				w := whole.Verdicts[i]
				in := v.Interaction
				if !reflect.DeepEqual(v.Report, w.Report) || v.NotJudged != w.NotJudged || kept[i] != w.Interaction.Index {
					t.Errorf("verdict %d: %+v; want %+v", i, v.Report, w.Report)
				}
				if in.Index != w.Interaction.Index || in.Target() != w.Interaction.Target() || in.Status != w.Interaction.Status || in.RawURL != w.Interaction.RawURL {
					t.Errorf("verdict %d names #%d %s -> %d; want #%d %s -> %d", i, in.Index, in.Target(), in.Status, w.Interaction.Index, w.Interaction.Target(), w.Interaction.Status)
				}
				if in.Body != nil || in.Header != nil || in.Request.Header != nil || in.Request.Body != nil {
					t.Errorf("verdict %d keeps its interaction's body or headers", i)
				}
			}
		})
	}
}
