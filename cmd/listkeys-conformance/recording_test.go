package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

func recordingFixture(name string) string {
	return filepath.Join("..", "..", "internal", "traffic", "testdata", name)
}

func TestValidateRecordingVerdicts(t *testing.T) {
	tests := []struct {
		file string
		args []string
		code int
		want []string // in stdout, in this order
	}{
		{"go-vcr-conformant.yaml", []string{"--strict"}, exitOK, []string{
			"(go-vcr): 2 interactions, 1 listKeys checked",
			"note: 1 interaction is not listKeys and not checked: #1 GET /subscriptions/",
			"#2 POST /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/quantumResourcegroup/providers/Microsoft.Quantum/workspaces/quantumworkspace1/listKeys?api-version=2025-12-15-preview -> 200: ListKeysResult: conformant (0 MUST, 0 SHOULD violations)",
			`note: Authorization is redacted in the recording ("Bearer <redacted:listkey…")`,
			"go-vcr-conformant.yaml: conformant: 0 of 1 listKeys interaction failed",
		}},
		{"vcrpy-conformant.yaml", []string{"--strict"}, exitOK, []string{"(vcrpy)", "-> 200: ListKeysResult: conformant", "the recorder may have removed it", ": conformant"}},
		{"test-proxy-conformant.json", []string{"--strict"}, exitOK, []string{"(test-proxy)", "-> 200: ListKeysResult: conformant", `("Sanitized")`}},
		{"har-conformant.har", []string{"--strict"}, exitOK, []string{"(har)", "-> 200: ListKeysResult: conformant"}},
		{"go-vcr-mixed.yaml", nil, exitViolations, mixedText},
		{"vcrpy-mixed.yaml", nil, exitViolations, append([]string{"checked decompressed"}, mixedText[2:]...)},
		{"test-proxy-mixed.json", nil, exitViolations, mixedText},
		{"har-mixed.har", nil, exitViolations, mixedText},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			args := append(append([]string{"validate"}, tt.args...), "--recording", recordingFixture(tt.file))
			code, out, errOut := invoke(t, nil, args...)
			if code != tt.code || errOut != "" {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			rest := out
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("stdout lacks %q after what came before:\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

var mixedText = []string{
	"5 interactions, 4 listKeys checked",
	"#3 POST /subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/quantumResourcegroup/providers/Microsoft.Quantum/workspaces/quantumworkspace2/listKeys?api-version=2025-12-15-preview -> 404: ErrorResponse: conformant",
	"#4 POST ", "-> 200: ListKeysResult: not judged: the body is not JSON: an unquoted placeholder REDACTED at byte 17; the recorder's sanitizer broke the JSON\n  note: ",
	"#5 POST ", "-> 200: ListKeysResult: NOT conformant (2 MUST, 0 SHOULD violations)",
	"MUST   connection-string.workspace  /primaryConnectionString",
	`WorkspaceName in primaryConnectionString is "otherworkspace" but the request named "quantumworkspace1"`,
	"NOT conformant: 1 of 4 listKeys interactions failed (1 not judged)",
}

func TestValidateRecordingJSONOutput(t *testing.T) {
	file := recordingFixture("test-proxy-mixed.json")
	code, out, _ := invoke(t, nil, "validate", "--recording", file, "--format", "json")
	if code != exitViolations {
		t.Fatalf("exit %d, want %d", code, exitViolations)
	}
	var got struct {
		Conformant   *bool  `json:"conformant"`
		Recording    string `json:"recording"`
		Format       string `json:"format"`
		Skipped      int    `json:"skipped"`
		Interactions []struct {
			Index      int    `json:"index"`
			Method     string `json:"method"`
			URL        string `json:"url"`
			Status     int    `json:"status"`
			Definition string `json:"definition"`
			Conformant bool   `json:"conformant"`
			NotJudged  string `json:"notJudged"`
			Violations []struct {
				Check, Level, Path, Message string
			} `json:"violations"`
			Notes []string `json:"notes"`
		} `json:"interactions"`
		Notes []string `json:"notes"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Conformant == nil || *got.Conformant || got.Recording != file || got.Format != "test-proxy" || got.Skipped != 1 || len(got.Notes) != 1 {
		t.Errorf("top level: %+v", got)
	}
	if len(got.Interactions) != 4 {
		t.Fatalf("%d interactions; want the 4 listKeys ones", len(got.Interactions))
	}
	ok, notFound, broken, elsewhere := got.Interactions[0], got.Interactions[1], got.Interactions[2], got.Interactions[3]
	if ok.Index != 2 || ok.Method != "POST" || ok.URL != examples.RequestURL || ok.Status != 200 || ok.Definition != "ListKeysResult" || !ok.Conformant || ok.NotJudged != "" || ok.Violations == nil || len(ok.Notes) == 0 {
		t.Errorf("#2: %+v", ok)
	}
	if notFound.Status != 404 || notFound.Definition != "ErrorResponse" || !notFound.Conformant {
		t.Errorf("#3: %+v", notFound)
	}
	if broken.Index != 4 || !broken.Conformant || len(broken.Violations) != 0 || !strings.Contains(broken.NotJudged, "an unquoted placeholder REDACTED at byte 17") {
		t.Errorf("#4: %+v", broken)
	}
	if elsewhere.Conformant || len(elsewhere.Violations) != 2 || elsewhere.Violations[0].Check != "connection-string.workspace" || elsewhere.Violations[0].Level != "MUST" || elsewhere.Violations[0].Path != "/primaryConnectionString" {
		t.Errorf("#5: %+v", elsewhere)
	}
	if strings.Contains(out, `"notJudged": ""`) {
		t.Error(`"notJudged" should be left out when the body was judged`)
	}
}

func TestValidateRecordingStrictness(t *testing.T) {
	// An undocumented property is a SHOULD violation: it passes, unless --strict.
	body := strings.Replace(string(examples.Realistic), `"apiKeyEnabled": true,`, `"apiKeyEnabled": true, "extra": 1,`, 1)
	rec := "version: 2\ninteractions:\n- request: {method: POST, url: '" + examples.RequestURL + "', headers: {Authorization: [Bearer x]}}\n  response:\n    code: 200\n    headers: {Content-Type: [application/json], Cache-Control: [no-cache], X-Ms-Request-Id: [a], X-Ms-Correlation-Request-Id: [b]}\n    body: '" + strings.ReplaceAll(body, "'", "''") + "'\n"
	path := writeFile(t, "rec.yaml", []byte(rec))
	for _, tt := range []struct {
		args []string
		code int
	}{{nil, exitOK}, {[]string{"--strict"}, exitViolations}} {
		code, out, errOut := invoke(t, nil, append(append([]string{"validate"}, tt.args...), "--recording", path)...)
		if code != tt.code || !strings.Contains(out, "body.undocumented-property") {
			t.Errorf("%v: exit %d, want %d; stdout %q, stderr %q", tt.args, code, tt.code, out, errOut)
		}
	}
}

// A file that cannot be checked at all is one line on stderr, naming the file, and exit 2.
func TestValidateRecordingUnusableFile(t *testing.T) {
	noListKeys := "version: 2\ninteractions:\n- {request: {method: GET, url: 'https://management.azure.com/subscriptions'}, response: {code: 200, body: '{}'}}\n" +
		"- {request: {method: PUT, url: 'https://management.azure.com/x'}, response: {code: 201}}\n"
	tests := []struct {
		name string
		data string
		args []string
		want string
	}{
		{"empty", "", nil, "the file is empty"},
		{"not YAML or JSON", "key: [unclosed\n", nil, "not a recording in a known format (tried go-vcr cassette YAML, vcrpy cassette YAML, Azure SDK test-proxy JSON, HAR 1.2, x-ms-examples JSON): it is neither JSON nor YAML"},
		{"broken JSON", `{"Entries": [`, nil, "it starts like JSON but is not"},
		{"unknown shape", `{"requests": []}`, nil, `a JSON object with members "requests"`},
		{"no listKeys interaction", noListKeys, nil, "no listKeys interaction among its 2 interactions (go-vcr cassette YAML)"},
		{"over --max-body", noListKeys, []string{"--max-body", "100"}, "larger than --max-body (100 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "rec.yaml", []byte(tt.data))
			code, out, errOut := invoke(t, nil, append(append([]string{"validate"}, tt.args...), "--recording", path)...)
			if code != exitUsage || out != "" {
				t.Errorf("exit %d, want %d (stdout %q)", code, exitUsage, out)
			}
			if !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, path) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("stderr %q should be one line naming %s and saying %q", errOut, path, tt.want)
			}
		})
	}
}

func TestValidateRecordingBadCommandLine(t *testing.T) {
	file := recordingFixture("go-vcr-mixed.yaml")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"--recording", "/nonexistent/rec.yaml"}, "/nonexistent/rec.yaml"},
		{"a folder", []string{"--recording", t.TempDir()}, "is a folder"},
		{"standard input", []string{"--recording", "-"}, "recordings are not read from standard input"},
		{"a FILE as well", []string{"--recording", file, file}, "--recording takes no FILE argument"},
		{"--status", []string{"--status", "200", "--recording", file}, "do not apply to --recording"},
		{"--definition", []string{"--definition", "ErrorResponse", "--recording", file}, "do not apply to --recording"},
		{"--request-url", []string{"--request-url", examples.RequestURL, "--recording", file}, "do not apply to --recording"},
		{"bad format", []string{"--format", "xml", "--recording", file}, "--format must be text or json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := invoke(t, nil, append([]string{"validate"}, tt.args...)...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, exitUsage, tt.want)
			}
		})
	}
}
