package main

import (
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// hostileDetails is an ErrorResponse of about size bytes whose details are empty objects (each misses its
// code and message): the body that multiplies violations.
func hostileDetails(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"error":{"code":"X","message":"m","details":[{}`)
	for b.Len() < size-4 {
		b.WriteString(`,{}`)
	}
	b.WriteString(`]}}`)
	return b.Bytes()
}

func gzipped(data []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return b.Bytes()
}

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
	"gzip":                gzipped(examples.Realistic),
	"10 MB of details":    hostileDetails(10<<20 - 100),
	"19,000 bad details":  hostileDetails(3 * 19000),
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
