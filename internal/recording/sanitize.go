package recording

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// ZeroGUID replaces subscription and tenant ids in a saved cassette. A replay of such a cassette therefore
// sends requests for subscription ZeroGUID.
const ZeroGUID = contract.ZeroGUID

// documentedSubscription is the documented example's subscription id. The emulator serves it; it is public,
// so recordings against the emulator keep it.
const documentedSubscription = examples.SubscriptionID

// minSecretLength keeps short values out of the textual redaction and the leak scan: replacing or searching
// for a 3-character value everywhere would mangle the cassette or raise false alarms.
const minSecretLength = 8

// identifierPatterns are compiled on first use, not at package init: every command of the binary would pay
// for them at start.
var identifierPatterns = sync.OnceValue(func() (p identifierShapes) {
	p.guid = regexp.MustCompile(`(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`)
	// The tenant of a 401's WWW-Authenticate: authorization_uri="https://login.windows.net/{tenant}".
	p.authorizationURI = regexp.MustCompile(`(?i)authorization_uri="https?://[^/"]+/([^"/?]+)`)
	// ARM's 403 AuthorizationFailed names the caller: "The client '{id}' with object id '{oid}' …". The id
	// may be a user's sign-in name.
	p.callerInMessage = regexp.MustCompile(`The client '([^']+)' with object id '([^']+)'`)
	return p
})

type identifierShapes struct{ guid, authorizationURI, callerInMessage *regexp.Regexp }

// credentialHeaders carry a credential whatever the side; their values are replaced outright. For
// Authorization the scheme stays, so a cassette still shows how the caller authenticated.
var credentialHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Ms-Quantum-Api-Key"}

// secret is a real value met while sanitizing, for the leak scan.
type secret struct {
	kind  string // what it is, safe to print: "the secret at /primaryKey/key", "the Authorization header"
	value string
}

// sanitizer redacts one interaction at a time.
type sanitizer struct {
	secretPaths map[string]bool
}

// newSanitizer takes the secret paths of every definition, whatever status it belongs to: a server that
// answers with keys under an unexpected status must not leak them either.
func newSanitizer(c *contract.Contract) *sanitizer {
	s := &sanitizer{secretPaths: map[string]bool{}}
	for _, def := range c.Definitions() {
		for _, p := range c.SecretPaths(def) {
			s.secretPaths[p] = true
		}
	}
	return s
}

// sanitize redacts an interaction in place and returns the real secrets it met. Running it again on its own
// output changes nothing.
//
// What goes:
//   - credential headers (credentialHeaders), on both sides;
//   - in a JSON response body, every documented secret (contract.SecretPaths) becomes contract.Redacted;
//     in a connection string only the ApiKey value does, so the string's format can still be checked;
//   - the subscription id of the request path, the tenant of a WWW-Authenticate header (any GUID there) and
//     the caller an authorization error names become ZeroGUID everywhere in the interaction, ignoring case. Only a GUID-shaped subscription is
//     replaced: a malformed one is a test input, not an identifier. ZeroGUID and the documented example's
//     subscription stay.
//   - every other occurrence of a secret (raw or JSON-escaped) anywhere in the interaction becomes
//     contract.Redacted: a header or property that echoes a key loses it too.
//
// Encoded forms (base64, percent-encoding) are left for the leak scan to catch: such an echo is unexpected,
// and failing loudly is better than guessing.
func (s *sanitizer) sanitize(i *cassette.Interaction) ([]secret, error) {
	for _, h := range []http.Header{i.Request.Headers, i.Response.Headers} {
		if enc := h.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
			return nil, fmt.Errorf("a body is %s-encoded, so it cannot be searched for secrets (let the transport decompress: do not set Accept-Encoding yourself)", enc)
		}
	}
	detach(i)
	requestBody, responseBody := i.Request.Body, i.Response.Body

	secrets := redactCredentialHeaders(i.Request.Headers)
	secrets = append(secrets, redactCredentialHeaders(i.Response.Headers)...)
	body, found, err := s.redactBody(i.Response.Body)
	if err != nil {
		return nil, fmt.Errorf("response body: %w", err)
	}
	i.Response.Body = body
	secrets = append(secrets, found...)
	ids := identifiers(i)
	rewriteStrings(i, newRedactor(secrets, ids))
	if json.Valid([]byte(responseBody)) && !json.Valid([]byte(i.Response.Body)) {
		return nil, fmt.Errorf("redacting broke the JSON response body")
	}
	fixLength(&i.Request.ContentLength, i.Request.Headers, requestBody, i.Request.Body)
	fixLength(&i.Response.ContentLength, i.Response.Headers, responseBody, i.Response.Body)
	return append(secrets, ids...), nil
}

// detach gives the interaction maps of its own. go-vcr records the caller's request header map and hands the
// response's header map to the caller: editing those in place would change what the caller sees.
func detach(i *cassette.Interaction) {
	i.Request.Headers = i.Request.Headers.Clone()
	i.Request.Trailer = i.Request.Trailer.Clone()
	i.Request.Form = url.Values(http.Header(i.Request.Form).Clone())
	i.Response.Headers = i.Response.Headers.Clone()
	i.Response.Trailer = i.Response.Trailer.Clone()
}

// redactCredentialHeaders replaces credential header values and returns the credentials worth scanning for.
func redactCredentialHeaders(h http.Header) []secret {
	var found []secret
	for name, values := range h {
		canonical := http.CanonicalHeaderKey(name)
		if !slices.Contains(credentialHeaders, canonical) {
			continue
		}
		for k, v := range values {
			value, redacted := v, contract.Redacted
			if canonical == "Authorization" || canonical == "Proxy-Authorization" {
				if scheme, token, ok := strings.Cut(v, " "); ok {
					value, redacted = strings.TrimSpace(token), scheme+" "+contract.Redacted
				}
			}
			if isSecret(value) {
				found = append(found, secret{"the " + canonical + " header", value})
			}
			values[k] = redacted
		}
	}
	return found
}

// redactBody replaces, byte for byte in place, the string values at the secret paths of a JSON body. The
// rest of the body stays as the server wrote it.
func (s *sanitizer) redactBody(body string) (string, []secret, error) {
	if !json.Valid([]byte(body)) {
		return body, nil, nil
	}
	var found []secret
	var out strings.Builder
	last := 0
	err := jsonStrings([]byte(body), func(pointer string, start, end int, value string) {
		// An empty value holds no secret: the keys-disabled answer's empty connection strings stay as sent.
		if value == "" || contract.IsPlaceholder(value) {
			return
		}
		if !s.secretPaths[pointer] {
			// Under an undocumented member (keys[0].value): a key is known by its shape, a connection
			// string by its ApiKey. A key goes wherever it stands (newRedactor), as every secret met does.
			for _, key := range contract.KeysByShape(value) {
				found = append(found, secret{"the key-shaped value at " + pointer, key})
			}
			if len(contract.APIKeysIn(value)) == 0 {
				return
			}
		}
		replacement := contract.Redacted
		if keys := contract.APIKeysIn(value); len(keys) > 0 {
			real := slices.DeleteFunc(keys, contract.IsPlaceholder)
			if len(real) == 0 {
				return
			}
			for _, key := range real {
				found = append(found, secret{"the ApiKey in " + pointer, key})
			}
			replacement = contract.RedactAPIKeys(value)
		} else {
			found = append(found, secret{"the secret at " + pointer, value})
		}
		out.WriteString(body[last:start])
		out.Write(jsonString(replacement))
		last = end
	})
	if err != nil {
		return "", nil, err
	}
	out.WriteString(body[last:])
	return out.String(), found, nil
}

// identifiers finds the subscription of the request path, the tenants of WWW-Authenticate headers and the
// caller named in an authorization error.
func identifiers(i *cassette.Interaction) []secret {
	var ids []secret
	p := identifierPatterns()
	add := func(kind, id string) {
		if id != ZeroGUID && !strings.EqualFold(id, documentedSubscription) && len(id) >= minSecretLength {
			ids = append(ids, secret{kind, id})
		}
	}
	if u, err := url.Parse(i.Request.URL); err == nil {
		segments := strings.Split(u.Path, "/")
		for k := 0; k+1 < len(segments); k++ {
			if strings.EqualFold(segments[k], "subscriptions") && p.guid.FindString(segments[k+1]) == segments[k+1] {
				add("the subscription id", segments[k+1])
			}
		}
	}
	for _, m := range p.callerInMessage.FindAllStringSubmatch(i.Response.Body, -1) {
		add("the caller's client id", m[1])
		add("the caller's object id", m[2])
	}
	for _, v := range i.Response.Headers.Values("WWW-Authenticate") {
		for _, m := range p.authorizationURI.FindAllStringSubmatch(v, -1) {
			add("the tenant id", m[1])
		}
		for _, id := range p.guid.FindAllString(v, -1) {
			add("the tenant id", id)
		}
	}
	return ids
}

// newRedactor replaces every occurrence of each secret (raw and JSON-escaped) with contract.Redacted, and of
// each identifier (ignoring case) with ZeroGUID. Longer values go first, so a value containing another is
// replaced whole.
func newRedactor(secrets, ids []secret) func(string) string {
	var literals []string
	for _, s := range secrets {
		if isSecret(s.value) {
			literals = append(literals, s.value, string(jsonEscaped(s.value, true)), string(jsonEscaped(s.value, false)))
		}
	}
	slices.SortFunc(literals, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	literals = slices.Compact(literals)
	var patterns []*regexp.Regexp
	for _, id := range ids {
		patterns = append(patterns, regexp.MustCompile(`(?i)`+regexp.QuoteMeta(id.value)))
	}
	// One pass over each string for all the secrets, not one per secret.
	pairs := make([]string, 0, 2*len(literals))
	for _, l := range literals {
		pairs = append(pairs, l, contract.Redacted)
	}
	replacer := strings.NewReplacer(pairs...)
	return func(s string) string {
		s = replacer.Replace(s)
		for _, p := range patterns {
			s = p.ReplaceAllLiteralString(s, ZeroGUID)
		}
		return s
	}
}

// isSecret says whether a value is worth redacting textually and scanning for.
func isSecret(v string) bool {
	return len(v) >= minSecretLength && !contract.IsPlaceholder(v)
}

// rewriteStrings applies f to every string an interaction saves, except header names.
func rewriteStrings(i *cassette.Interaction, f func(string) string) {
	eachString(i, func(_ string, s *string) { *s = f(*s) })
}

// eachString calls f with every string an interaction saves (header names excepted) and where it is, in a
// fixed order.
func eachString(i *cassette.Interaction, f func(where string, s *string)) {
	fields := []struct {
		where string
		s     *string
	}{
		{"request URL", &i.Request.URL}, {"request host", &i.Request.Host},
		{"request URI", &i.Request.RequestURI}, {"request body", &i.Request.Body},
		{"response status", &i.Response.Status}, {"response body", &i.Response.Body},
	}
	for _, field := range fields {
		f(field.where, field.s)
	}
	multi := []struct {
		where string
		m     map[string][]string
	}{
		{"request header", i.Request.Headers}, {"request trailer", i.Request.Trailer},
		{"request form value", i.Request.Form}, {"response header", i.Response.Headers},
		{"response trailer", i.Response.Trailer},
	}
	for _, m := range multi {
		for _, name := range slices.Sorted(maps.Keys(m.m)) {
			for k := range m.m[name] {
				f(m.where+" "+name, &m.m[name][k])
			}
		}
	}
}

// fixLength keeps the recorded length true to an edited body: go-vcr replays ContentLength as saved.
func fixLength(n *int64, h http.Header, before, after string) {
	if before == after {
		return
	}
	if *n >= 0 {
		*n = int64(len(after))
	}
	if h.Get("Content-Length") != "" {
		h.Set("Content-Length", strconv.Itoa(len(after)))
	}
}

// jsonString encodes s as a JSON string the way ARM writes them: '<', '>' and '&' as they are.
func jsonString(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// jsonEscaped is s as it appears inside a JSON string, with or without Go's HTML escaping.
func jsonEscaped(s string, html bool) []byte {
	b := jsonString(s)
	if html {
		b, _ = json.Marshal(s)
	}
	return b[1 : len(b)-1]
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// jsonStrings calls visit for every string value (not object key) of a JSON document, with its JSON Pointer
// and the byte span of the value, quotes included.
func jsonStrings(doc []byte, visit func(pointer string, start, end int, value string)) error {
	type frame struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []*frame
	pointer := func() string {
		var b strings.Builder
		for _, f := range stack {
			b.WriteByte('/')
			if f.object {
				b.WriteString(pointerEscaper.Replace(f.key))
			} else {
				b.WriteString(strconv.Itoa(f.index))
			}
		}
		return b.String()
	}
	valueDone := func() {
		if len(stack) == 0 {
			return
		}
		if top := stack[len(stack)-1]; top.object {
			top.wantKey = true
		} else {
			top.index++
		}
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{object: true, wantKey: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].wantKey {
				stack[len(stack)-1].key, stack[len(stack)-1].wantKey = t, false
				continue
			}
			// The value starts at its opening quote, after the ':' or ',' the decoder consumed with it.
			end := int(dec.InputOffset())
			start := int(before) + bytes.IndexByte(doc[before:end], '"')
			visit(pointer(), start, end, t)
			valueDone()
		default:
			valueDone()
		}
	}
}
