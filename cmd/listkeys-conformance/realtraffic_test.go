package main

import (
	"os"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// Real recordings, as their recorders left them, get the verdict their answers deserve.
func TestValidateRealRecordings(t *testing.T) {
	tests := []struct {
		file string
		code int
		want []string
	}{
		{"cli-testsdk-keys.yaml", exitOK, []string{
			"#2 POST ", "ListKeysResult: conformant (0 MUST, 0 SHOULD violations)",
			"note: x-ms-request-id is not recorded (the recorder removes it)",
			"finding SHOULD recording.unsanitized-secret /interactions/2/response/body/primaryKey/key: interaction #2: /primaryKey/key in the response body holds key material that is no placeholder (86 characters, starting",
			"-> 204: Workspaces_RegenerateKeys response: conformant",
			"(vcrpy): 4 interactions, 3 (2 listKeys, 1 regenerateKey) checked",
			"conformant: 0 of 3 checked interactions failed; 8 unsanitized secrets in the recording (not part of the verdict)",
		}},
		{"cli-testsdk-keys-disabled-2024.yaml", exitOK, []string{"conformant: 0 of 1 listKeys interaction failed"}},
		{"cli-testsdk-redacted.yaml", exitOK, []string{
			"#2 POST ", "-> 200: ListKeysResult: not judged: the body is not JSON: an unquoted placeholder REDACTED at byte 17; the recorder's sanitizer broke the JSON",
			"conformant: 0 of 2 listKeys interactions failed (1 not judged)",
		}},
		{"example-listkeys.json", exitOK, []string{"(x-ms-examples): 2 interactions, 2 listKeys checked", "-> 500: ErrorResponse: conformant"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			code, out, errOut := invoke(t, nil, "validate", "--strict", "--recording", recordingFixture(tt.file))
			if code != tt.code {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.code, out, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// A body a sanitizer broke reads the same, and exits the same, everywhere: not judged, exit 2 when it is all
// there is.
func TestNotJudgedAlike(t *testing.T) {
	const reason = "not judged: the body is not JSON: an unquoted placeholder REDACTED at byte 17; the recorder's sanitizer broke the JSON"
	body := `{"apiKeyEnabled":REDACTED,"primaryKey":{"key":"REDACTED"}}`
	code, out, errOut := invoke(t, []byte(body), "validate", "-")
	if code != exitUsage || out != "" || errOut != "listkeys-conformance validate: standard input: "+reason+"\n" {
		t.Errorf("validate -: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	data, err := os.ReadFile(recordingFixture("cli-testsdk-redacted.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// Only the broken interaction left: nothing could be judged.
	text := string(data)
	second := strings.Index(text[strings.Index(text, "- request:")+1:], "- request:") + strings.Index(text, "- request:") + 1
	path := writeFile(t, "broken.yaml", []byte(text[:strings.Index(text, "- request:")]+text[second:]))
	code, out, errOut = invoke(t, nil, "validate", "--recording", path)
	if code != exitUsage || out != "" || !strings.Contains(errOut, "nothing could be judged: 1 listKeys interaction was not judged (first, #1: "+strings.TrimPrefix(reason, "not judged: ")+")") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("validate --recording: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestValidateSanitizedRequestURL(t *testing.T) {
	u := strings.Replace(examples.RequestURL, "00000000-1111-2222-3333-444444444444", "00000000-0000-0000-0000-000000000000", 1)
	code, out, _ := invoke(t, examples.Realistic, "validate", "--strict", "--request-url", u, "-")
	if code != exitOK || !strings.Contains(out, "was sanitized by the recorder: SubscriptionId in the connection strings not compared") {
		t.Errorf("exit %d\n%s", code, out)
	}
	wrong := strings.Replace(u, "quantumworkspace1", "otherworkspace", 1)
	if code, out, _ := invoke(t, examples.Realistic, "validate", "--request-url", wrong, "-"); code != exitViolations || !strings.Contains(out, "connection-string.workspace") {
		t.Errorf("the workspace is still compared: exit %d\n%s", code, out)
	}
}

func TestValidateErrorBodyAsResult(t *testing.T) {
	code, out, _ := invoke(t, examples.Error, "validate", "-")
	if code != exitViolations || !strings.Contains(out, "MUST   result.not-error-response") || !strings.Contains(out, "a 200 must not carry an ErrorResponse") {
		t.Errorf("exit %d\n%s", code, out)
	}
}
