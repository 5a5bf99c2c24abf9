package traffic

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// minTokenLength keeps short test tokens ("x", "token") from counting as leaked credentials.
const minTokenLength = 16

// unsanitizedSecrets finds key material an interaction of a recording still holds — a documented secret
// property, an ApiKey= value, a bearer token or an x-ms-quantum-api-key header that is no placeholder. Every
// interaction is scanned, not only the listKeys ones: a recording is meant to be published. A finding says where, and describes the value
// by its length and at most its first 4 characters; it never holds the value.
func unsanitizedSecrets(c *contract.Contract, in Interaction) []contract.Violation {
	var out []contract.Violation
	add := func(in Interaction, where, what, value string) {
		out = append(out, contract.NewViolation(contract.UnsanitizedSecret, fmt.Sprintf("/interactions/%d/%s", in.Index, where),
			fmt.Sprintf("interaction #%d: %s holds key material that is no placeholder (%s); redact it before publishing the recording", in.Index, what, describeSecret(value))))
	}
	for _, side := range []struct {
		name   string
		header http.Header
	}{{"request", in.Request.Header}, {"response", in.Header}} {
		for _, name := range []string{"Authorization", "X-Ms-Quantum-Api-Key"} {
			for _, v := range side.header.Values(name) {
				token := strings.TrimSpace(v)
				if scheme, rest, ok := strings.Cut(token, " "); ok && strings.EqualFold(scheme, "Bearer") {
					token = strings.TrimSpace(rest)
				}
				if len(token) >= minTokenLength && !contract.IsPlaceholder(token) {
					add(in, side.name+"/headers/"+strings.ToLower(name), "the "+side.name+"'s "+name+" header", token)
				}
			}
		}
	}
	bodySecrets(c, in, add)
	return out
}

// bodySecrets looks at the documented secret properties of a JSON response body (an ApiKey inside a
// connection string counts, the rest of the string does not), and for ApiKey= values in any other body.
func bodySecrets(c *contract.Contract, in Interaction, add func(Interaction, string, string, string)) {
	// The bounded decoder, as for judging: a hostile body stops at its value limit instead of being built
	// whole (millions of objects), and is then searched as text.
	doc, _, err := contract.Decode(in.Body)
	if err != nil {
		for _, key := range contract.APIKeysIn(string(in.Body)) {
			if !contract.IsPlaceholder(key) {
				add(in, "response/body", "an ApiKey= in the response body", key)
			}
		}
		return
	}
	seen := map[string]bool{}
	for _, def := range c.Definitions() {
		for _, ptr := range c.SecretPaths(def) {
			value, ok := stringAt(doc, ptr)
			if !ok || value == "" || contract.IsPlaceholder(value) || seen[ptr] {
				continue
			}
			seen[ptr] = true
			if keys := contract.APIKeysIn(value); len(keys) > 0 {
				for _, key := range keys {
					if !contract.IsPlaceholder(key) {
						add(in, "response/body"+ptr, "the ApiKey in "+ptr+" of the response body", key)
					}
				}
				continue
			}
			if !strings.Contains(value, "=") || !strings.Contains(value, ";") { // not a connection string without its key
				add(in, "response/body"+ptr, ptr+" in the response body", value)
			}
		}
	}
}

// stringAt is the string at a JSON Pointer without array steps (secret paths have none).
func stringAt(doc any, ptr string) (string, bool) {
	for _, step := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		obj, ok := doc.(map[string]any)
		if !ok {
			return "", false
		}
		step = strings.NewReplacer("~1", "/", "~0", "~").Replace(step)
		if doc, ok = obj[step]; !ok {
			return "", false
		}
	}
	s, ok := doc.(string)
	return s, ok
}

// describeSecret says enough of a value for a reviewer to find it, and not enough to use it.
func describeSecret(v string) string {
	n := utf8.RuneCountInString(v)
	prefix := []rune(v)
	if len(prefix) > 4 {
		prefix = prefix[:4]
	}
	if n <= 8 {
		return fmt.Sprintf("%d characters", n)
	}
	return fmt.Sprintf("%d characters, starting %q", n, string(prefix))
}
