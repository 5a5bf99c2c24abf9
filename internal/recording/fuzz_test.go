package recording

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// fuzzSecret turns fuzz bytes into a secret of 8 to 200 characters from an alphabet that mixes base64url
// with what escaping changes (quote, backslash, <, >, &, %, +, /, =, space, a control character). The fixed
// start keeps it from being a word the cassette's own structure holds.
func fuzzSecret(data []byte) string {
	const alphabet = `ABCXYZabcxyz0189-_"\<>&%+/= ` + "\x01\u00e9"
	var b strings.Builder
	b.WriteString("Zq9")
	for i, c := range data {
		if i == 197 {
			break
		}
		b.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	for b.Len() < 8 {
		b.WriteByte('k')
	}
	return strings.ToValidUTF8(b.String(), "k")
}

// FuzzSanitize: for a random secret served as a key, echoed under an undocumented member and sent as the
// bearer token, the saved cassette holds no form of it: raw, JSON-escaped, URL-encoded, base64 or base64url.
func FuzzSanitize(f *testing.F) {
	for _, seed := range []string{"plain-secret-value", `quo"te\back`, "<&>%+/=", strings.Repeat("x", 300)} {
		f.Add([]byte(seed))
	}
	s := newSanitizer(contract.MustDefault())
	f.Fuzz(func(t *testing.T, data []byte) {
		key := fuzzSecret(data)
		quoted, _ := json.Marshal(key)
		body := `{"apiKeyEnabled":true,"primaryKey":{"createdAt":"2025-06-01T10:00:00Z","key":` + string(quoted) + `},` +
			`"secondaryKey":{"createdAt":"2025-06-01T10:00:00Z","key":"other-secret-value"},"echo":[` + string(quoted) + `]}`
		i := &cassette.Interaction{
			Request: cassette.Request{Method: http.MethodPost, URL: armURL(realSubscription), Host: "management.azure.com",
				Headers: http.Header{"Authorization": {"Bearer " + strings.Map(printable, key)}}},
			Response: cassette.Response{Code: 200, Status: "200 OK", Body: body, ContentLength: int64(len(body)),
				Headers: http.Header{"Content-Type": {"application/json"}}},
		}
		found, err := s.sanitize(i)
		if err != nil {
			return // refusing to save is safe
		}
		data = saved(t, i)
		if leaks := findLeaks(append(found, secret{"the fuzzed key", key}), data, &cassette.Cassette{}); len(leaks) > 0 {
			t.Fatalf("%v\n%s", leaks, data)
		}
	})
}

// printable keeps what a header value may hold.
func printable(r rune) rune {
	if r < 0x20 || r == 0x7f || r > 0x7e {
		return 'k'
	}
	return r
}
