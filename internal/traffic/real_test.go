package traffic

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

func notesOf(v Verdict) string { return strings.Join(v.Report.Notes, "\n") }

// An Azure CLI test SDK recording as it really is: the zero GUID in every URI while the bodies keep the real
// subscription, the recorder's filtered headers gone, api-version 2023-11-13-preview, 86-character keys,
// whole-second createdAt, an endpoint in another region than the workspace, a regeneration between two
// listKeys. It conforms, strictly; what the recorder removed is noted; the unredacted keys are findings.
func TestAzureCLIRecordingConforms(t *testing.T) {
	rec := readFixture(t, "cli-testsdk-keys.yaml")
	if rec.Format != VCRPy {
		t.Fatalf("format %s", rec.Format)
	}
	res, err := JudgeByAPIVersion(rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Verdicts) != 3 || res.Skipped != 1 {
		t.Fatalf("%d verdicts, %d skipped; want the 2 listKeys and the regenerateKey judged, the GET skipped", len(res.Verdicts), res.Skipped)
	}
	for _, v := range res.Verdicts {
		if v.Report.Definition != "ListKeysResult" {
			if !v.Conformant(true) {
				t.Errorf("#%d (%s): want strictly conformant, got %+v", v.Interaction.Index, v.Report.Definition, v.Report.Violations)
			}
			continue
		}
		if !v.Conformant(true) || v.NotJudged != "" {
			t.Errorf("#%d: want strictly conformant, got %+v", v.Interaction.Index, v.Report.Violations)
		}
		notes := notesOf(v)
		for _, want := range []string{
			"x-ms-request-id is not recorded (the recorder removes it)",
			"x-ms-correlation-request-id is not recorded",
			"subscription 00000000-0000-0000-0000-000000000000 was sanitized by the recorder",
			"the recorder may have removed it",
		} {
			if !strings.Contains(notes, want) {
				t.Errorf("#%d: notes lack %q:\n%s", v.Interaction.Index, want, notes)
			}
		}
	}
	for _, v := range res.Verdicts {
		if v.APIVersion != "2023-11-13-preview" {
			t.Errorf("#%d judged by the contract of %s; want the recording's own, 2023-11-13-preview", v.Interaction.Index, v.APIVersion)
		}
	}
	for _, n := range res.Notes {
		if strings.Contains(n, "has no contract in this suite") {
			t.Errorf("a note of a missing contract, where the suite has it: %q", n)
		}
	}
	// The older recordings kept the keys: each one is a finding, named by where it is, never by its value.
	if len(res.Findings) != 8 {
		t.Errorf("%d findings; want 8 (two keys and two ApiKeys in each of the 2 answers): %+v", len(res.Findings), res.Findings)
	}
	data, _ := os.ReadFile(filepath.Join("testdata", "cli-testsdk-keys.yaml"))
	for _, f := range res.Findings {
		if f.Check != "recording.unsanitized-secret" || f.Level != "SHOULD" {
			t.Errorf("finding %+v", f)
		}
		for _, key := range []string{keyAt(t, data, 0), keyAt(t, data, 1)} {
			if strings.Contains(f.Message, key) || strings.Contains(f.Message, key[:5]) {
				t.Errorf("a finding prints the value: %s", f.Message)
			}
		}
	}
	want := map[string]string{
		"/interactions/2/response/body/primaryKey/key":            `interaction #2: /primaryKey/key in the response body holds key material that is no placeholder (86 characters, starting "`,
		"/interactions/4/response/body/secondaryConnectionString": "interaction #4: the ApiKey in /secondaryConnectionString of the response body holds key material that is no placeholder (86 characters",
	}
	for path, message := range want {
		found := false
		for _, f := range res.Findings {
			found = found || f.Path == path && strings.HasPrefix(f.Message, message)
		}
		if !found {
			t.Errorf("no finding at %s starting %q in %+v", path, message, res.Findings)
		}
	}
}

// keyAt digs the n-th 86-character key out of a fixture, to prove findings never print it.
func keyAt(t *testing.T, data []byte, n int) string {
	t.Helper()
	parts := strings.Split(string(data), `"key":"`)
	if len(parts) <= n+1 || len(parts[n+1]) < 86 {
		t.Fatalf("fixture has no key #%d", n)
	}
	return parts[n+1][:86]
}

func TestKeysDisabled2024Conforms(t *testing.T) {
	res, err := JudgeByAPIVersion(readFixture(t, "cli-testsdk-keys-disabled-2024.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if v := res.Verdicts[0]; !v.Conformant(true) || len(v.Interaction.Body) != 83 || len(res.Findings) != 0 {
		t.Errorf("the 83-byte keys-disabled answer must conform strictly: %+v, findings %+v", v.Report.Violations, res.Findings)
	}
}

// The newer scrubber: quoted REDACTED conforms (the names around it are still compared); the unquoted one
// broke the JSON, so that interaction is not judged, and with only it, nothing is.
func TestREDACTEDScrubbedRecording(t *testing.T) {
	rec := readFixture(t, "cli-testsdk-redacted.yaml")
	res, err := JudgeByAPIVersion(rec)
	if err != nil {
		t.Fatal(err)
	}
	quoted, broken := res.Verdicts[0], res.Verdicts[1]
	if !quoted.Conformant(true) || quoted.NotJudged != "" || !strings.Contains(notesOf(quoted), "QuantumEndpoint in /primaryConnectionString is a placeholder") {
		t.Errorf("quoted REDACTED: %+v\n%s", quoted.Report.Violations, notesOf(quoted))
	}
	if !strings.Contains(broken.NotJudged, "an unquoted placeholder REDACTED at byte 17") || !broken.Conformant(true) {
		t.Errorf("unquoted REDACTED: not judged %q, %+v", broken.NotJudged, broken.Report.Violations)
	}
	if !res.Conformant(true) || res.NothingJudged() != "" || len(res.Findings) != 0 {
		t.Errorf("the recording conforms (one judged, one not): %q, findings %+v", res.NothingJudged(), res.Findings)
	}
	rec.Interactions = rec.Interactions[1:]
	res, _ = JudgeByAPIVersion(rec)
	if got := res.NothingJudged(); !strings.HasPrefix(got, "nothing could be judged: 1 listKeys interaction was not judged (first, #2: the body is not JSON: an unquoted placeholder REDACTED") {
		t.Errorf("NothingJudged = %q", got)
	}
	// A wrong workspace behind the redaction is still caught.
	rec = readFixture(t, "cli-testsdk-redacted.yaml")
	rec.Interactions[0].Body = []byte(strings.Replace(string(rec.Interactions[0].Body), "WorkspaceName=e2e-test-workspace", "WorkspaceName=other-workspace", 1))
	res, _ = JudgeByAPIVersion(rec)
	if !res.Verdicts[0].Report.HasCheck("connection-string.workspace", "/primaryConnectionString") {
		t.Errorf("a wrong WorkspaceName behind REDACTED must be caught: %+v", res.Verdicts[0].Report.Violations)
	}
}

// An official example file is a recording: each response judged by its status, the request built from the
// parameters, the placeholders not checked.
func TestExampleFile(t *testing.T) {
	rec := readFixture(t, "example-listkeys.json")
	if rec.Format != Example || len(rec.Interactions) != 2 {
		t.Fatalf("format %s, %d interactions", rec.Format, len(rec.Interactions))
	}
	ok, def := rec.Interactions[0], rec.Interactions[1]
	wantURL := "https://management.azure.com/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/exampleGroup/providers/Microsoft.Quantum/workspaces/exampleWorkspace/listKeys?api-version=2025-12-15-preview"
	if ok.RawURL != wantURL || ok.Status != 200 || def.Status != 500 || ok.Request.Method != "POST" {
		t.Errorf("interactions %s %d / %d", ok.RawURL, ok.Status, def.Status)
	}
	res, err := JudgeByAPIVersion(rec)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Conformant(true) || res.Verdicts[0].Report.Definition != "ListKeysResult" || res.Verdicts[1].Report.Definition != "ErrorResponse" {
		t.Errorf("the example must conform strictly: %+v / %+v", res.Verdicts[0].Report, res.Verdicts[1].Report)
	}
	if len(res.Notes) != 0 || len(res.Findings) != 0 {
		t.Errorf("notes %q findings %+v", res.Notes, res.Findings)
	}
	// An example of Regenerate Keys is the regenerateKey call it documents, its body parameter the request
	// body: judged by that operation, as in a recording of a rotation.
	regenerate := func(keys string) string {
		return `{"operationId": "Workspaces_RegenerateKeys", "parameters": {"subscriptionId": "11111111-2222-3333-4444-555555555555", "resourceGroupName": "g", "workspaceName": "w", "api-version": "2025-12-15-preview", "body": {"keys": ` + keys + `}}, "responses": {"204": {}}}`
	}
	rec, err = Read("regen.json", []byte(regenerate(`["Primary", "Secondary"]`)))
	if err != nil || !rec.Interactions[0].IsRegenerateKeys() {
		t.Fatalf("a Regenerate Keys example: %v, %+v", err, rec.Interactions)
	}
	if res, err := JudgeByAPIVersion(rec); err != nil || !res.Conformant(true) || res.Judged() != 1 {
		t.Errorf("the Regenerate Keys example must conform strictly: %v %+v", err, res.Verdicts)
	}
	rec, _ = Read("regen.json", []byte(regenerate(`["Tertiary"]`)))
	if res, err := JudgeByAPIVersion(rec); err != nil || !slices.ContainsFunc(res.Verdicts[0].Report.Violations, func(v contract.Violation) bool { return v.Check == string(contract.RegenerateBody) }) {
		t.Errorf("a Regenerate Keys example with an unknown key type: %v %+v; want %s", err, res.Verdicts, contract.RegenerateBody)
	}
	// Another operation's example is neither.
	other := `{"operationId": "Workspaces_Get", "parameters": {"subscriptionId": "s", "resourceGroupName": "g", "workspaceName": "w", "api-version": "v"}, "responses": {"200": {}}}`
	rec, err = Read("get.json", []byte(other))
	if err != nil || rec.Interactions[0].IsListKeys() || rec.Interactions[0].IsRegenerateKeys() {
		t.Errorf("another operation's example: %v, %+v", err, rec.Interactions)
	}
	if _, err := Read("bad.json", []byte(`{"parameters": {"subscriptionId": "s"}, "responses": {}}`)); err == nil || !strings.Contains(err.Error(), "parameters.resourceGroupName is missing") {
		t.Errorf("an example without its parameters: %v", err)
	}
}

// Drift on recordings with other calls around listKeys compares the listKeys interactions.
func TestDriftComparesListKeys(t *testing.T) {
	committed := readFixture(t, "cli-testsdk-keys.yaml")
	committed.Interactions = committed.Interactions[1:2] // the listKeys alone
	fresh := readFixture(t, "cli-testsdk-keys.yaml")
	fresh.Interactions = fresh.Interactions[:2] // a GET, then the same listKeys
	if got := Drift(committed, fresh); len(got) != 0 {
		t.Errorf("the same listKeys answer after a GET must not drift: %q", got)
	}
	fresh.Interactions[1].Status = 404
	if got := Drift(committed, fresh); len(got) == 0 || got[0] != "listKeys #1 (interaction #2) status 404, committed 200" {
		t.Errorf("Drift = %q", got)
	}
}

// A test-proxy recording with its default sanitizers: Sanitized for secrets (a whole connection string, or
// the ApiKey inside one), the zero GUID for the subscription everywhere, the ARM headers kept.
func TestTestProxySanitizedRecordingConforms(t *testing.T) {
	res, err := JudgeByAPIVersion(readFixture(t, "test-proxy-sanitized.json"))
	if err != nil {
		t.Fatal(err)
	}
	v := res.Verdicts[0]
	if !v.Conformant(true) || len(res.Findings) != 0 || len(res.Notes) != 0 {
		t.Errorf("want strictly conformant without findings: %+v %+v %q", v.Report.Violations, res.Findings, res.Notes)
	}
	notes := notesOf(v)
	for _, want := range []string{`Authorization is redacted in the recording ("Sanitized")`, "ApiKey in /primaryConnectionString is a placeholder", "/secondaryConnectionString is a placeholder (Sanitized)", "was sanitized by the recorder"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "not recorded") {
		t.Errorf("test-proxy removes no headers:\n%s", notes)
	}
}

func TestUnsanitizedTokenAndApiKeyFindings(t *testing.T) {
	const token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
	rec := readFixture(t, "cli-testsdk-redacted.yaml")
	rec.Interactions[0].Request.Header.Set("Authorization", "Bearer "+token)
	rec.Interactions[1].Body = []byte(`not JSON, but ApiKey=abcdefghijklmnopqrstuvwxyz0123456789; in it`)
	res, err := JudgeByAPIVersion(rec)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"/interactions/1/request/headers/authorization": `interaction #1: the request's Authorization header holds key material that is no placeholder (` + fmt.Sprint(len(token)) + ` characters, starting "eyJ0")`,
		"/interactions/2/response/body":                 `interaction #2: an ApiKey= in the response body holds key material that is no placeholder (36 characters, starting "abcd")`,
	}
	if len(res.Findings) != len(want) {
		t.Fatalf("findings %+v", res.Findings)
	}
	for _, f := range res.Findings {
		if !strings.HasPrefix(f.Message, want[f.Path]) || strings.Contains(f.Message, token[:10]) || strings.Contains(f.Message, "abcdefgh") {
			t.Errorf("finding at %s: %q", f.Path, f.Message)
		}
	}
	if !res.Verdicts[0].Conformant(true) {
		t.Errorf("a finding does not change the verdict: %+v", res.Verdicts[0].Report.Violations)
	}
}

// A recording of an api-version the suite has no contract for is judged by the default contract, with one note
// for the whole file, and no request.api-version finding per interaction.
func TestRecordingOfAnAPIVersionWithoutContract(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "cli-testsdk-keys.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := Read("old.yaml", []byte(strings.ReplaceAll(string(data), "2023-11-13-preview", "2019-11-04-preview")))
	if err != nil {
		t.Fatal(err)
	}
	res, err := JudgeByAPIVersion(rec)
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, n := range res.Notes {
		if strings.Contains(n, "api-version 2019-11-04-preview has no contract in this suite: its 3 listKeys interactions are judged by the contract of 2025-12-15-preview") {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("want one note for the api-version without a contract, got %q", res.Notes)
	}
	for _, v := range res.Verdicts {
		for _, viol := range v.Report.Violations {
			if viol.Check == "request.api-version" {
				t.Errorf("#%d reported for asking another api-version: %+v", v.Interaction.Index, viol)
			}
		}
	}
}
