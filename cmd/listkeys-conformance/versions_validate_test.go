package main

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// officialDir holds the official API description of every api-version (CI checks shared/ out beside the
// clone); the tests that read it skip when it is not there.
const officialDir = "../../../shared/azure-specs/specification/quantum/resource-manager/Microsoft.Quantum/Quantum/preview"

// The documented example of each api-version validates against that version's contract, picked from the
// example's own api-version, and so does its Regenerate Keys body.
func TestOfficialExamplesOfEveryVersionValidate(t *testing.T) {
	for _, v := range schemas.APIVersions() {
		t.Run(v, func(t *testing.T) {
			dir := filepath.Join(officialDir, v, "examples")
			if _, err := os.Stat(dir); err != nil {
				t.Skipf("official examples of %s not available (%v); CI checks out shared/ beside the clone", v, err)
			}
			for _, pattern := range []string{"*istKeys.json", "*egenerateKey*.json"} {
				files, _ := filepath.Glob(filepath.Join(dir, pattern))
				if len(files) != 1 {
					t.Fatalf("%s: %d files match %s", dir, len(files), pattern)
				}
				var ex struct {
					Parameters map[string]json.RawMessage `json:"parameters"`
					Responses  map[string]struct {
						Body json.RawMessage `json:"body"`
					} `json:"responses"`
				}
				data, err := os.ReadFile(files[0])
				if err != nil || json.Unmarshal(data, &ex) != nil {
					t.Fatalf("%s: %v", files[0], err)
				}
				param := func(name string) string {
					var s string
					json.Unmarshal(ex.Parameters[name], &s)
					return s
				}
				if param("api-version") != v {
					t.Fatalf("%s is the example of %s", files[0], param("api-version"))
				}
				body := filepath.Join(t.TempDir(), "body.json")
				args := []string{"validate", "--strict"}
				if strings.Contains(pattern, "istKeys") {
					os.WriteFile(body, ex.Responses["200"].Body, 0o644)
					u := "https://management.azure.com/subscriptions/" + param("subscriptionId") + "/resourceGroups/" + param("resourceGroupName") +
						"/providers/Microsoft.Quantum/workspaces/" + param("workspaceName") + "/listKeys?api-version=" + url.QueryEscape(v)
					args = append(args, "--request-url", u, body)
				} else {
					os.WriteFile(body, ex.Parameters["body"], 0o644)
					args = append(args, "--api-version", v, "--definition", "ApiKeys", body)
				}
				var stdout, stderr bytes.Buffer
				if code := run(args, nil, &stdout, &stderr); code != exitOK {
					t.Errorf("%s: exit %d\n%s%s", files[0], code, &stdout, &stderr)
				}
			}
		})
	}
}

// A recording of another api-version is judged by that version's contract unless --api-version says
// otherwise.
func TestValidateRecordingPicksTheContractOfTheRequest(t *testing.T) {
	data, err := os.ReadFile("../../internal/traffic/testdata/go-vcr-conformant.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "old.yaml")
	os.WriteFile(file, bytes.ReplaceAll(data, []byte("api-version=2025-12-15-preview"), []byte("api-version=2023-11-13-preview")), 0o644)

	var stdout, stderr bytes.Buffer
	if code := run([]string{"validate", "--strict", "--recording", file}, nil, &stdout, &stderr); code != exitOK {
		t.Errorf("by the request's api-version: exit %d\n%s%s", code, &stdout, &stderr)
	}
	stdout.Reset()
	code := run([]string{"validate", "--strict", "--api-version", "2025-12-15-preview", "--recording", file}, nil, &stdout, &stderr)
	if code != exitViolations || !strings.Contains(stdout.String(), "request.api-version") {
		t.Errorf("--api-version 2025-12-15-preview: exit %d, want %d with request.api-version\n%s", code, exitViolations, &stdout)
	}
	stderr.Reset()
	if code := run([]string{"validate", "--api-version", "2022-04-05-preview", "--recording", file}, nil, &stdout, &stderr); code != exitUsage ||
		!strings.Contains(stderr.String(), `--api-version: api-version "2022-04-05-preview" has no generated schemas`) {
		t.Errorf("an unknown --api-version: exit %d, stderr %q", code, &stderr)
	}
}

// A recording of a rotation has its regenerateKey calls judged too, each by what that operation documents.
func TestValidateRecordingJudgesRegenerateKeys(t *testing.T) {
	data, err := os.ReadFile("../../cassettes/2023-11-13-preview/rotation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	file := filepath.Join(t.TempDir(), "rotation.yaml")
	os.WriteFile(file, data, 0o644)
	if code := run([]string{"validate", "--recording", file}, nil, &stdout, &stderr); code != exitOK ||
		!strings.Contains(stdout.String(), "-> 204: Workspaces_RegenerateKeys response: conformant") {
		t.Errorf("the committed rotation: exit %d\n%s%s", code, &stdout, &stderr)
	}
	bad := bytes.Replace(data, []byte(`{"keys":["Primary"]}`), []byte(`{"keys":["Tertiary"]}`), 1)
	if bytes.Equal(bad, data) {
		t.Fatal("the cassette has no regenerate Primary body")
	}
	os.WriteFile(file, bad, 0o644)
	stdout.Reset()
	if code := run([]string{"validate", "--recording", file}, nil, &stdout, &stderr); code != exitViolations || !strings.Contains(stdout.String(), "regenerate.body") {
		t.Errorf("an unknown key type: exit %d\n%s", code, &stdout)
	}
}
