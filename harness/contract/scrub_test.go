package contract

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestKeysByShape(t *testing.T) {
	key := strings.Repeat("Ab3-_x", 12) + "Zz09" + "AZQU" + "Qq1w-_"
	tests := []struct {
		text string
		want int
	}{
		{key, 1},
		{`{"value":"` + key + `"}`, 1},
		{"x " + key + " and " + key, 2},
		{"a" + key, 0}, // part of a longer base64url run
		{key[:85], 0},  // too short
		{key[:76] + "AZQV" + key[80:], 0},
		{strings.Replace(key, "A", "+", 1), 0}, // not base64url
	}
	for _, tt := range tests {
		if got := KeysByShape(tt.text); len(got) != tt.want {
			t.Errorf("KeysByShape(%.40q…) = %d keys, want %d", tt.text, len(got), tt.want)
		}
	}
}

// TestScrubberBypasses: the ways a secret slipped past the name-based scrubber.
func TestScrubberBypasses(t *testing.T) {
	long := strings.Repeat("L0ng-secret-", 20) // 240 characters: messages clip a value at 120
	odd := `se"cr\et` + "\x01tok"
	short := "ab"
	var s Scrubber
	for _, v := range []string{long, odd, short} {
		s.Add(v)
	}
	texts := []string{
		"value " + quote(long) + " is wrong",        // clipped at 120 characters
		"value " + strconv.Quote(odd) + " is wrong", // Go-quoted
		`{"k":` + string(mustJSON(odd)) + `}`,       // JSON-escaped
		"url ?x=" + url.QueryEscape(odd),
		"b64 " + base64.StdEncoding.EncodeToString([]byte(long)),
		"short " + short + " in text",
		clipMessage(strings.Repeat("m", MaxMessage-50) + long),
	}
	for _, text := range texts {
		got := s.Scrub(text)
		for _, v := range []string{long[:20], odd, `se\"cr`, short, base64.StdEncoding.EncodeToString([]byte(long))[:20]} {
			if strings.Contains(got, v) {
				t.Errorf("Scrub(%.60q…) = %q keeps %q", text, got, v)
			}
		}
	}
}

func mustJSON(s string) []byte { return []byte(`"` + jsonInner(s, true) + `"`) }

// FuzzScrub: for any secret and text, no form of the secret (raw, JSON-escaped, Go-quoted, URL-encoded,
// base64, base64url) survives in what Scrub returns, whichever form the text held it in.
func FuzzScrub(f *testing.F) {
	f.Add("s3cret-token", "before ", " after", uint8(0))
	f.Add(`q"u\o`+"\x01te", `{"a":"`, `"}`, uint8(1))
	f.Add(strings.Repeat("k", 200), "x", "y", uint8(7))
	f.Fuzz(func(t *testing.T, secret, before, after string, form uint8) {
		secret = strings.TrimSpace(secret)
		if secret == "" || IsPlaceholder(secret) || strings.Contains(Redacted, secret) {
			return
		}
		forms := SecretForms(secret)
		var s Scrubber
		s.Add(secret)
		got := s.Scrub(before + forms[int(form)%len(forms)] + after)
		// Between the markers no form is left, wherever the text held one.
		for _, piece := range strings.Split(got, Redacted) {
			for _, f := range forms {
				if strings.Contains(piece, f) {
					t.Fatalf("form %q of the secret survives in %q", f, got)
				}
			}
		}
	})
}

// TestScrubberCacheKeepsSetsApart: the compiled state is shared between scrubbers of the same secrets only.
// One secret holding a NUL ("a\x00b", which JSON carries as \u0000) and the two secrets "a" and "b" are
// different sets, whichever is built first.
func TestScrubberCacheKeepsSetsApart(t *testing.T) {
	var joined, apart Scrubber
	joined.Add("abcdefgh\x00ijklmnop")
	joined.Scrub("warm the cache")
	apart.Add("abcdefgh")
	apart.Add("ijklmnop")
	if got := apart.Scrub("key abcdefgh and ijklmnop"); strings.Contains(got, "abcdefgh") || strings.Contains(got, "ijklmnop") {
		t.Errorf("Scrub kept a secret: %q", got)
	}
}
