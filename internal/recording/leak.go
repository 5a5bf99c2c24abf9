package recording

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"
)

// encoding is one form a secret may take in a saved cassette.
type encoding struct {
	name string
	// foldCase: percent- and \u-escapes may use either case of hex digit, and an id may be upper-cased.
	// base64 is case-sensitive.
	foldCase bool
	forms    func(string) []string
}

var encodings = []encoding{
	{"raw", true, func(s string) []string { return []string{s} }},
	{"JSON-escaped", true, func(s string) []string {
		return []string{string(jsonEscaped(s, true)), string(jsonEscaped(s, false))}
	}},
	{"URL-encoded (query escaping)", true, func(s string) []string { return []string{url.QueryEscape(s)} }},
	{"URL-encoded (path escaping)", true, func(s string) []string { return []string{url.PathEscape(s)} }},
	{"base64", false, base64Forms(base64.StdEncoding)},
	{"base64url", false, base64Forms(base64.URLEncoding)},
}

// base64Forms gives, for each of the three alignments a secret can have inside a longer encoded value (a
// Basic credential "user:secret", a JSON blob), the characters of its encoding that depend on the secret
// alone. Padding is never part of them, so padded and unpadded encodings are both found.
func base64Forms(enc *base64.Encoding) func(string) []string {
	enc = enc.WithPadding(base64.NoPadding)
	return func(s string) []string {
		var forms []string
		// With k bytes before the secret, the first k+1 characters (none when k is 0) mix in those bytes.
		for k, drop := range []int{0, 2, 3} {
			full := enc.EncodeToString(append(make([]byte, k), s...))
			end := len(full)
			if (k+len(s))%3 != 0 {
				end-- // the last character mixes in what follows the secret
			}
			forms = append(forms, full[drop:end])
		}
		return forms
	}
}

// leak is one secret found in a saved cassette, described without the secret.
type leak struct {
	kind, encoding, where string
}

func (l leak) String() string {
	return fmt.Sprintf("%s found in %s form at %s", l.kind, l.encoding, l.where)
}

// findLeaks searches a saved cassette for each secret in each encoding, in two readings: every string go-vcr
// reads back from it (YAML escapes undone), JSON bodies down to their string values (JSON escapes undone),
// then the file's lines as written. It reports the first place per secret and encoding.
func findLeaks(secrets []secret, data []byte, saved *cassette.Cassette) []leak {
	places := placesIn(data, saved)
	folded := make([]string, len(places))
	for k, p := range places {
		folded[k] = strings.ToLower(p.text)
	}
	var leaks []leak
	seen := map[string]bool{}
	for _, s := range secrets {
		if !isSecret(s.value) || seen[s.value] {
			continue
		}
		seen[s.value] = true
		// Encodings often agree (a key without special characters is its own JSON and URL escaping; base64
		// and base64url differ only where '+' or '/' appear): a form is searched, and reported, once.
		tried := map[string]bool{}
		for _, enc := range encodings {
			if where, ok := search(enc, s.value, places, folded, tried); ok {
				leaks = append(leaks, leak{s.kind, enc.name, where})
			}
		}
	}
	return leaks
}

func search(enc encoding, value string, places []place, folded []string, tried map[string]bool) (string, bool) {
	for _, form := range enc.forms(value) {
		if tried[form] {
			continue
		}
		tried[form] = true
		for k, p := range places {
			hay, needle := p.text, form
			if enc.foldCase {
				hay, needle = folded[k], strings.ToLower(form)
			}
			if strings.Contains(hay, needle) {
				return p.where, true
			}
		}
	}
	return "", false
}

type place struct {
	where, text string
}

func placesIn(data []byte, saved *cassette.Cassette) []place {
	var places []place
	for _, i := range saved.Interactions {
		eachString(i, func(where string, s *string) {
			where = fmt.Sprintf("interaction #%d %s", i.ID, where)
			places = append(places, place{where, *s})
			if strings.HasSuffix(where, " body") && json.Valid([]byte(*s)) {
				jsonStrings([]byte(*s), func(pointer string, _, _ int, value string) {
					places = append(places, place{where + " at " + pointer, value})
				})
			}
		})
	}
	for n, line := range strings.Split(string(data), "\n") {
		places = append(places, place{fmt.Sprintf("line %d of the file", n+1), line})
	}
	return places
}

func describeLeaks(leaks []leak) []string {
	out := make([]string, len(leaks))
	for k, l := range leaks {
		out[k] = l.String()
	}
	return out
}
