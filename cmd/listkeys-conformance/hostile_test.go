package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"github.com/listkeys-conformance/listkeys-conformance/internal/hostile"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

func utf16LE(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, c := range []byte(s) {
		out = append(out, c, 0)
	}
	return out
}

// hostileBodies are the bodies every entry point is tried with; each entry point's table says what it
// makes of them.
var hostileBodies = map[string][]byte{
	"trailing word":       append(bytes.Clone(examples.Realistic), " x"...),
	"trailing NULs":       append(bytes.Clone(examples.Realistic), 0, 0),
	"trailing bracket":    append(bytes.Clone(examples.Realistic), " ]"...),
	"duplicate createdAt": []byte(strings.Replace(string(examples.Realistic), `"createdAt"`, `"createdAt":"garbage","createdAt"`, 1)),
	"lone surrogate":      []byte(strings.Replace(string(examples.Realistic), `"apiKeyEnabled"`, `"x":"\ud800","apiKeyEnabled"`, 1)),
	"UTF-8 BOM":           append([]byte("\xef\xbb\xbf"), examples.Realistic...),
	"UTF-16":              utf16LE(string(examples.Realistic)),
	"gzip":                hostile.Gzip(examples.Realistic),
	"10 MB of details":    hostile.Details(10<<20 - 100),
	"19,000 bad details":  hostile.Details(3 * 19000),
}

// TestValidateHostile: every hostile body, its verdict and exit code, and output that stays small.
func TestValidateHostile(t *testing.T) {
	tests := []struct {
		body string
		args []string
		code int
		want string // in stdout, or in stderr for exit 2
	}{
		{"trailing word", nil, exitViolations, "body.json"},
		{"trailing NULs", nil, exitViolations, `goes on after its JSON value: 2 bytes`},
		{"trailing bracket", []string{"--strict"}, exitViolations, "body.json"},
		{"duplicate createdAt", nil, exitViolations, "schema.format"},
		{"duplicate createdAt", nil, exitViolations, `member "createdAt" appears more than once in /primaryKey`},
		{"lone surrogate", nil, exitViolations, "/x "},
		{"UTF-8 BOM", nil, exitUsage, "UTF-8 byte order mark"},
		{"UTF-16", nil, exitUsage, "UTF-16 encoded"},
		{"gzip", nil, exitUsage, "gzip-compressed data"},
		{"10 MB of details", []string{"--status", "400"}, exitUsage, "more than 20000 JSON values"},
		{"19,000 bad details", []string{"--status", "400"}, exitViolations, "more violations of error.code-message in this body"},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			path := writeFile(t, "body.json", hostileBodies[tt.body])
			code, out, errOut := invoke(t, nil, append(append([]string{"validate"}, tt.args...), path)...)
			where := out
			if tt.code == exitUsage {
				where = errOut
			}
			if code != tt.code || !strings.Contains(where, tt.want) {
				t.Fatalf("exit %d, want %d; output does not say %q:\nstdout %.2000s\nstderr %s", code, tt.code, tt.want, out, errOut)
			}
			if len(out)+len(errOut) > 64<<10 {
				t.Fatalf("%d bytes of output; the bound is 64 KiB", len(out)+len(errOut))
			}
		})
	}
}

// harWith is a HAR file of one listKeys interaction per body, each answered 200 (400 for details) with the
// given Content-Encoding, the body stored base64 as HAR keeps binary content.
func harWith(encoding string, bodies ...[]byte) []byte {
	type nv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	var entries []any
	for _, body := range bodies {
		headers := []nv{{"Content-Type", "application/json"}}
		if encoding != "" {
			headers = append(headers, nv{"Content-Encoding", encoding})
		}
		status := 200
		if bytes.Contains(body, []byte(`"details"`)) {
			status = 400
		}
		entries = append(entries, map[string]any{
			"request": map[string]any{"method": "POST", "url": examples.RequestURL,
				"headers": []nv{{"Authorization", "Bearer <token>"}}},
			"response": map[string]any{"status": status, "headers": headers,
				"content": map[string]any{"text": base64.StdEncoding.EncodeToString(body), "encoding": "base64"}},
		})
	}
	data, _ := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "entries": entries}})
	return data
}

// TestValidateRecordingHostile: every hostile body inside a recording, and the gzip bombs that would
// inflate a small file: each interaction's verdict, the exit code, and bounded output.
func TestValidateRecordingHostile(t *testing.T) {
	bomb := hostile.Gzip(make([]byte, 11<<20))   // past the 10 MB an interaction may inflate to
	bomblet := hostile.Gzip(make([]byte, 5<<20)) // under it: twenty of them pass the file's 32 MB budget
	bomblets := make([][]byte, 20)
	for i := range bomblets {
		bomblets[i] = bomblet
	}
	many := make([][]byte, 1000) // each breaking error.code-message 600 times
	for i := range many {
		many[i] = hostile.Details(900)
	}
	tests := []struct {
		name string
		file []byte
		code int
		want string
	}{
		{"trailing data", harWith("", hostileBodies["trailing word"]), exitViolations, "body.json"},
		{"trailing NULs", harWith("", hostileBodies["trailing NULs"]), exitViolations, "body.json"},
		{"duplicate createdAt", harWith("", hostileBodies["duplicate createdAt"]), exitViolations, "schema.format"},
		{"lone surrogate", harWith("", hostileBodies["lone surrogate"]), exitViolations, "lone UTF-16 surrogate"},
		{"UTF-8 BOM", harWith("", hostileBodies["UTF-8 BOM"]), exitViolations, "MUST   response.json                (body)                       the body starts with a UTF-8 byte order mark"},
		{"UTF-16", harWith("", hostileBodies["UTF-16"]), exitViolations, "response.json                (body)                       the body is UTF-16 encoded"},
		{"gzip without Content-Encoding", harWith("", hostileBodies["gzip"]), exitViolations, "response.json                (body)                       the body is gzip-compressed data"},
		{"truncated gzip", harWith("gzip", hostileBodies["gzip"][:30]), exitViolations, "does not decompress"},
		{"a gzip bomb", harWith("gzip", bomb), exitViolations, "decompresses to more than 10485760 bytes"},
		{"twenty gzip bomblets", harWith("gzip", bomblets...), exitViolations, "past what is left of the file's 33554432 bytes"},
		{"10 MB of details", harWith("", hostile.Details(7<<20)), exitViolations, "more than 20000 JSON values"},
		{"19,000 bad details", harWith("", hostileBodies["19,000 bad details"]), exitViolations, "more violations of error.code-message in this body"},
		{"1,000 interactions of bad details", harWith("", many...), exitViolations, "the output of one recording lists at most 2000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "rec.har", tt.file)
			code, out, errOut := invoke(t, nil, "validate", "--recording", path)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Fatalf("exit %d, want %d; stdout does not say %q:\n%.3000s\nstderr %s", code, tt.code, tt.want, out, errOut)
			}
			if len(out)+len(errOut) > 1<<20 {
				t.Fatalf("%d bytes of output", len(out)+len(errOut))
			}
		})
	}
}
