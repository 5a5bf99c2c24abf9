package contract

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// KeyLength and keyMarker describe a List Keys key as the service makes them (seen in its answers): 86
// characters of base64url without padding, "AZQU" at offset 76. A value of that shape is a key wherever it
// stands, under a documented member or not.
const (
	KeyLength      = 86
	keyMarker      = "AZQU"
	keyMarkerIndex = 76
)

func isBase64URL(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

// KeysByShape finds every substring of text shaped as a List Keys key, bounded by characters that are not
// base64url. It looks only where the marker stands, so it is cheap on any text.
func KeysByShape(text string) []string {
	var keys []string
	for from := 0; ; {
		i := strings.Index(text[from:], keyMarker)
		if i < 0 {
			return keys
		}
		at := from + i
		from = at + 1
		start, end := at-keyMarkerIndex, at-keyMarkerIndex+KeyLength
		if start < 0 || end > len(text) || start > 0 && isBase64URL(text[start-1]) || end < len(text) && isBase64URL(text[end]) {
			continue
		}
		if allBase64URL(text[start:end]) {
			keys = append(keys, text[start:end])
		}
	}
}

// allBase64URL reports whether every byte of s is base64url (a byte of a multi-byte character never is).
func allBase64URL(s string) bool {
	for i := range len(s) {
		if !isBase64URL(s[i]) {
			return false
		}
	}
	return true
}

// SecretForms lists the ways a text can carry v: as it is, JSON-escaped (with and without HTML escaping),
// Go-quoted (as messages quote values), URL-encoded (query and path escaping) and base64 or base64url
// (padded or not).
func SecretForms(v string) []string {
	forms := []string{v, jsonInner(v, true), jsonInner(v, false), strings.Trim(strconv.Quote(v), `"`),
		strings.Trim(strconv.QuoteToASCII(v), `"`), url.QueryEscape(v), url.PathEscape(v)}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		forms = append(forms, enc.EncodeToString([]byte(v)))
	}
	slices.SortFunc(forms, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	return slices.Compact(forms)
}

func jsonInner(v string, html bool) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	enc.Encode(v) // a string always encodes
	return strings.TrimSuffix(strings.TrimSuffix(b.String(), "\n"), `"`)[1:]
}

// Scrubber removes a set of secrets from text, by value: every form of every secret added (SecretForms),
// whatever its length or characters, in one pass over the text (a strings.Replacer over the known values,
// not a regular expression per secret). A text clipped inside a secret ("…" after its first characters)
// loses that part too. The zero value is ready to use; it is not safe for concurrent use.
type Scrubber struct {
	secrets []string // sorted, each once: a handful per exchange, so a slice beats a map
	built   *built   // nil until the first Scrub after a change
}

// minClipped is the shortest start of a secret that is removed where a text was clipped after it.
const minClipped = 8

// Add makes v one of the secrets; white space around it and placeholders are ignored.
func (s *Scrubber) Add(v string) {
	v = strings.TrimSpace(v)
	if v == "" || IsPlaceholder(v) {
		return
	}
	i, found := slices.BinarySearch(s.secrets, v)
	if found {
		return
	}
	s.secrets = slices.Insert(s.secrets, i, v)
	s.built = nil
}

// AddFound adds every secret a body carries whatever its member: keys by their shape and the ApiKey of
// every connection string, in the body's text and in its decoded strings (which undo JSON escapes), and each
// string for which secret (if not nil) says that its place makes it one.
func (s *Scrubber) AddFound(body []byte, secret func(pointer string) bool) {
	s.AddParsed(Parse(body), secret)
}

// AddParsed is AddFound on a body already decoded.
func (s *Scrubber) AddParsed(body *Parsed, secret func(pointer string) bool) {
	text := string(body.Body)
	for _, k := range KeysByShape(text) {
		s.Add(k)
	}
	err := body.EachString(func(pointer, value string) {
		if secret != nil && secret(pointer) {
			s.Add(value)
		}
		for _, k := range KeysByShape(value) {
			s.Add(k)
		}
		if mayHoldAPIKey(value) {
			for _, k := range APIKeysIn(value) {
				s.Add(k)
			}
		}
	})
	if err != nil && mayHoldAPIKey(text) { // no JSON strings to look in: the text as it is
		for _, k := range APIKeysIn(text) {
			s.Add(k)
		}
	}
}

// Len is the number of secrets known.
func (s *Scrubber) Len() int { return len(s.secrets) }

// Scrub returns text with every form of every secret replaced by Redacted.
func (s *Scrubber) Scrub(text string) string {
	if text == "" || len(s.secrets) == 0 {
		return text
	}
	if s.built == nil {
		s.built = build(s.secrets)
	}
	b := s.built
	if b.mayHold(text) {
		text = b.replacer.Replace(text)
	}
	if strings.Contains(text, "…") {
		text = b.scrubClipped(text)
	}
	return text
}

// built is a Scrubber's compiled state, shared between scrubbers of the same secrets: a server builds one
// scrubber per request, mostly for the same few secrets.
type built struct {
	forms    []string
	replacer *strings.Replacer
	// starts holds a bit for the hash of the first gramLen bytes of every form: a text with no bit set at
	// any position holds no form, and is returned without running the replacer (most texts a server scrubs
	// hold no secret). Nil when a form is shorter than gramLen.
	starts *[1 << gramBits / 64]uint64
}

const (
	gramLen  = 4
	gramBits = 16
)

func gramHash(s string) uint32 {
	return (uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24) * 2654435761 >> (32 - gramBits)
}

// mayHold reports whether text may hold one of the forms: false only when it surely holds none.
func (b *built) mayHold(text string) bool {
	if b.starts == nil {
		return true
	}
	for i := 0; i+gramLen <= len(text); i++ {
		h := gramHash(text[i:])
		if b.starts[h/64]&(1<<(h%64)) != 0 {
			return true
		}
	}
	return false
}

// buildCache keeps the compiled state of small secret sets (the key is the sorted secrets, each after its
// length, so that no two sets share a key: a secret may hold any byte, a separator too). It is bounded
// in entries and in the size of what it keys, so a client that sends a new long token each time cannot
// grow it.
var buildCache = struct {
	sync.Mutex
	m map[string]*built
}{m: map[string]*built{}}

const (
	maxCached      = 256
	maxCachedBytes = 4096
)

// build compiles the sorted secrets, or takes them from the cache.
func build(values []string) *built {
	var k strings.Builder
	for _, v := range values {
		k.WriteString(strconv.Itoa(len(v)))
		k.WriteByte(':')
		k.WriteString(v)
	}
	key := k.String()
	cacheable := len(key) <= maxCachedBytes
	if cacheable {
		buildCache.Lock()
		b, ok := buildCache.m[key]
		buildCache.Unlock()
		if ok {
			return b
		}
	}
	b := &built{}
	for _, v := range values {
		b.forms = append(b.forms, SecretForms(v)...)
	}
	// Longest first: the Replacer tries the old strings in argument order, so a value containing another
	// goes whole.
	slices.SortFunc(b.forms, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	b.forms = slices.Compact(b.forms)
	pairs := make([]string, 0, 2*len(b.forms))
	for _, f := range b.forms {
		pairs = append(pairs, f, Redacted)
	}
	b.replacer = strings.NewReplacer(pairs...)
	if len(b.forms[len(b.forms)-1]) >= gramLen { // the shortest form is the last
		b.starts = new([1 << gramBits / 64]uint64)
		for _, f := range b.forms {
			h := gramHash(f)
			b.starts[h/64] |= 1 << (h % 64)
		}
	}
	if cacheable {
		buildCache.Lock()
		if len(buildCache.m) >= maxCached {
			clear(buildCache.m)
		}
		buildCache.m[key] = b
		buildCache.Unlock()
	}
	return b
}

// scrubClipped removes the start of a secret that stands right before a clipping mark.
func (b *built) scrubClipped(text string) string {
	var out strings.Builder
	rest := text
	for {
		i := strings.Index(rest, "…")
		if i < 0 {
			out.WriteString(rest)
			return out.String()
		}
		before := rest[:i]
		if n := b.clippedSecret(before); n > 0 {
			before = before[:len(before)-n] + Redacted
		}
		out.WriteString(before)
		out.WriteString("…")
		rest = rest[i+len("…"):]
	}
}

// clippedSecret is the length of the longest start of a secret's form (at least minClipped bytes) that text
// ends with, or 0.
func (b *built) clippedSecret(text string) int {
	if len(text) < minClipped {
		return 0
	}
	tail := text[len(text)-minClipped:]
	best := 0
	for _, f := range b.forms {
		// Each place the tail occurs in f ends a candidate start f[:n].
		for from := 0; from < len(f); {
			j := strings.Index(f[from:], tail)
			if j < 0 {
				break
			}
			n := from + j + minClipped
			if n < len(f) && n > best && strings.HasSuffix(text, f[:n]) {
				best = n
			}
			from += j + 1
		}
	}
	return best
}

// mayHoldAPIKey is a cheap test that text has "ApiKey=" in any case, before APIKeysIn's expression runs.
func mayHoldAPIKey(text string) bool {
	for from := 0; ; {
		i := strings.IndexByte(text[from:], '=')
		if i < 0 {
			return false
		}
		at := from + i
		if at >= 6 && strings.EqualFold(text[at-6:at], "apikey") {
			return true
		}
		from = at + 1
	}
}
