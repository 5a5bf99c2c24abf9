package recording

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"
)

func TestFindLeaksNamesTheEncoding(t *testing.T) {
	const key = `CANARY<k>+y/"z"-0123456789=`
	tests := []struct {
		name, text, encoding string
	}{
		{"raw", "x-echo: " + key, "raw"},
		{"raw, upper-cased", strings.ToUpper(key), "raw"},
		{"JSON-escaped", `{"echo":"CANARY\u003ck\u003e+y/\"z\"-0123456789="}`, "JSON-escaped"},
		{"JSON-escaped without HTML escaping", `{"echo":"CANARY<k>+y/\"z\"-0123456789="}`, "JSON-escaped"},
		{"query-escaped", "?k=" + url.QueryEscape(key), "URL-encoded (query escaping)"},
		{"query-escaped, lower-case hex", "?k=" + strings.ToLower(url.QueryEscape(key)), "URL-encoded (query escaping)"},
		{"path-escaped", "/k/" + url.PathEscape(key), "URL-encoded (path escaping)"},
		{"base64", base64.StdEncoding.EncodeToString([]byte(key)), "base64"},
		{"base64 at offset 1", base64.StdEncoding.EncodeToString([]byte("a" + key + "tail")), "base64"},
		{"base64 at offset 2", base64.RawStdEncoding.EncodeToString([]byte("ab" + key)), "base64"},
		{"base64url", base64.RawURLEncoding.EncodeToString([]byte("abc" + key)), "base64url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			leaks := findLeaks([]secret{{"the key", key}}, []byte("---\n"+tt.text+"\n"), &cassette.Cassette{})
			var names []string
			for _, l := range leaks {
				names = append(names, l.encoding)
				if l.where != "line 2 of the file" {
					t.Errorf("found at %q; want line 2 of the file", l.where)
				}
			}
			if len(names) == 0 || names[0] != tt.encoding {
				t.Errorf("found %q; want first %q", names, tt.encoding)
			}
		})
	}
}

func TestFindLeaksIgnoresShortValuesAndPlaceholders(t *testing.T) {
	data := []byte("abc <primaryKey> <redacted:listkeys-conformance> 00000000-0000-0000-0000-000000000000")
	secrets := []secret{{"short", "abc"}, {"angle", "<primaryKey>"}, {"marker", "<redacted:listkeys-conformance>"}}
	if leaks := findLeaks(secrets, data, &cassette.Cassette{}); len(leaks) != 0 {
		t.Errorf("findLeaks = %v; want none", leaks)
	}
}
