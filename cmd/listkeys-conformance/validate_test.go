package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// invoke runs the command line in process and returns exit code, stdout and stderr.
func invoke(t *testing.T, stdin []byte, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, bytes.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestValidateVerdicts(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		args []string
		code int
		want string // in stdout
	}{
		{"documented example conforms", examples.Documented, nil, exitOK, "ListKeysResult: conformant"},
		{"realistic with its request URL conforms strictly", examples.Realistic, []string{"--strict", "--request-url", examples.RequestURL}, exitOK, "conformant"},
		{"error body by status", examples.Error, []string{"--status", "404"}, exitOK, "ErrorResponse: conformant"},
		{"error body by definition", examples.Error, []string{"--definition", "ErrorResponse"}, exitOK, "ErrorResponse: conformant"},
		{"error body without code fails", []byte(`{"error":{"message":"m"}}`), []string{"--status", "500"}, exitViolations, "error.code-message"},
		{"bad date-time fails", examples.Mutate(examples.Realistic, examples.Set("/primaryKey/createdAt", "2024-02-30T00:00:00Z")), nil, exitViolations, "day 30 does not exist"},
		{"top-level array is the wrong shape", []byte(`[1,2]`), nil, exitViolations, "must be an object, found an array"},
		{"top-level number is the wrong shape", []byte(`42`), nil, exitViolations, "schema.type"},
		{"SHOULD violation passes without --strict", examples.Mutate(examples.Realistic, examples.Set("/extra", 1)), nil, exitOK, "body.undocumented-property"},
		{"SHOULD violation fails with --strict", examples.Mutate(examples.Realistic, examples.Set("/extra", 1)), []string{"--strict"}, exitViolations, "body.undocumented-property"},
		{"wrong workspace with --request-url fails", examples.Realistic, []string{"--request-url", strings.Replace(examples.RequestURL, "quantumworkspace1", "other", 1)}, exitViolations, "connection-string.workspace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "body.json", tt.body)
			code, out, errOut := invoke(t, nil, append(append([]string{"validate"}, tt.args...), path)...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("exit %d, want %d; stdout %q does not contain %q (stderr %q)", code, tt.code, out, tt.want, errOut)
			}
		})
	}
}

func TestValidateJSONOutput(t *testing.T) {
	body := []byte(`{"error":{"code":"X"}}`)
	code, out, _ := invoke(t, body, "validate", "--status", "404", "--format", "json", "-")
	if code != exitViolations {
		t.Fatalf("exit %d, want %d", code, exitViolations)
	}
	var got struct {
		Conformant bool   `json:"conformant"`
		Definition string `json:"definition"`
		Violations []struct {
			Check, Level, Path, Message string
		} `json:"violations"`
		Notes []string `json:"notes"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Conformant || got.Definition != "ErrorResponse" || len(got.Violations) != 1 ||
		got.Violations[0].Check != "error.code-message" || got.Violations[0].Level != "MUST" || got.Violations[0].Path != "/error/message" {
		t.Errorf("unexpected report: %+v", got)
	}
	if got.Notes == nil {
		t.Error("notes must be an array, not null")
	}
}

// Unusable input is one clear line on stderr and exit 2: never a panic, a stack trace or a hang.
func TestValidateUnusableInput(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	huge := bytes.Repeat([]byte(" "), 100<<20)
	tests := []struct {
		name string
		body []byte
		args []string
		want string
	}{
		{"empty file", nil, nil, "the body is empty"},
		{"white space only", []byte(" \n\t"), nil, "the body is empty"},
		{"not JSON", []byte("hello"), nil, "not JSON: invalid character 'h'"},
		{"truncated JSON", examples.Realistic[:40], nil, "truncated after 40 bytes"},
		{"invalid UTF-8", []byte("{\"a\":\"\xff\"}"), nil, "not valid UTF-8 (at byte 6)"},
		{"100,000 nested arrays", []byte(deep), nil, "nests deeper than"},
		{"a 100 MB body", huge, nil, "larger than --max-body"},
		{"a body over a small --max-body", examples.Realistic, []string{"--max-body", "100"}, "larger than --max-body (100 bytes)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "body.json", tt.body)
			code, out, errOut := invoke(t, nil, append(append([]string{"validate"}, tt.args...), path)...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d (stdout %q)", code, exitUsage, out)
			}
			if !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, path) {
				t.Errorf("stderr %q should name %s and say %q", errOut, path, tt.want)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("stderr should be one line, got %q", errOut)
			}
		})
	}
}

func TestValidateBadCommandLine(t *testing.T) {
	body := writeFile(t, "body.json", examples.Documented)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"validate"}, "give exactly one FILE"},
		{"missing file", []string{"validate", "/nonexistent/body.json"}, "/nonexistent/body.json"},
		{"a folder", []string{"validate", os.TempDir()}, "is a folder"},
		{"unknown definition", []string{"validate", "--definition", "Nope", body}, `--definition "Nope" is not a definition`},
		{"status that is no response", []string{"validate", "--status", "302", body}, `--status "302"`},
		{"status not a number", []string{"validate", "--status", "ok", body}, `--status "ok"`},
		{"definition and status", []string{"validate", "--definition", "ErrorResponse", "--status", "404", body}, "not both"},
		{"bad format", []string{"validate", "--format", "xml", body}, `--format must be text or json, not "xml"`},
		{"bad schemas folder", []string{"validate", "--schemas", t.TempDir(), body}, "no *.schema.json files"},
		{"unknown flag", []string{"validate", "--nope", body}, "flag provided but not defined: -nope"},
		{"unknown command", []string{"nope"}, `unknown command "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := invoke(t, nil, tt.args...)
			if code != exitUsage || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, exitUsage, tt.want)
			}
		})
	}
}

func TestValidateWithSchemasFolder(t *testing.T) {
	body := writeFile(t, "body.json", examples.Documented)
	code, out, errOut := invoke(t, nil, "validate", "--schemas", "../../schemas/2025-12-15-preview", body)
	if code != exitOK || !strings.Contains(out, "conformant") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestChecksListsTheRegistry(t *testing.T) {
	code, out, _ := invoke(t, nil, "checks", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var checks []struct{ ID, Level, Source, Statement string }
	if err := json.Unmarshal([]byte(out), &checks); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range checks {
		ids[c.ID] = true
		if c.Level != "MUST" && c.Level != "SHOULD" || c.Source == "" || c.Statement == "" {
			t.Errorf("check %+v lacks a level, source or statement", c)
		}
	}
	for _, id := range []string{"schema.format", "error.code-message", "connection-string.api-key", "connection-string.workspace", "api-key.created-in-past", "api-key.distinct", "api-key.enabled-has-keys", "body.undocumented-property"} {
		if !ids[id] {
			t.Errorf("the registry lacks %s", id)
		}
	}
}
