package contract

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// ConnectionString is a parsed Azure Quantum connection string.
type ConnectionString struct {
	SubscriptionID    string
	ResourceGroupName string
	WorkspaceName     string
	APIKey            string
	QuantumEndpoint   string
}

// connectionStringParts is the documented order; the SDKs write it so and parse it with one regex.
var connectionStringParts = [...]string{"SubscriptionId", "ResourceGroupName", "WorkspaceName", "ApiKey", "QuantumEndpoint"}

// isQuantumEndpoint reports whether s is what (?i)^https://[a-z0-9]+(-v2)?\.quantum(-test)?\.azure\.com/$
// matches (the tests hold the two to the same answers): https://{location}.quantum.azure.com/.
func isQuantumEndpoint(s string) bool {
	rest, ok := foldPrefix(s, "https://")
	if !ok {
		return false
	}
	n := 0
	for rest != "" {
		if c := rest[0]; c < utf8.RuneSelf { // ASCII: a letter folds only to its other case
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
				break
			}
			rest, n = rest[1:], n+1
			continue
		}
		r, size := utf8.DecodeRuneInString(rest)
		if !foldsToLetter(r) {
			break
		}
		rest, n = rest[size:], n+1
	}
	if n == 0 {
		return false
	}
	if after, ok := foldPrefix(rest, "-v2"); ok {
		rest = after
	}
	if rest, ok = foldPrefix(rest, ".quantum"); !ok {
		return false
	}
	if after, ok := foldPrefix(rest, "-test"); ok {
		rest = after
	}
	rest, ok = foldPrefix(rest, ".azure.com/")
	return ok && rest == ""
}

// foldPrefix is s without its start when that start is lit (ASCII) under Unicode simple case folding.
func foldPrefix(s, lit string) (string, bool) {
	for i := 0; i < len(lit); i++ {
		want := lowerASCII(lit[i])
		if s != "" && s[0] < utf8.RuneSelf { // ASCII: a letter folds only to its other case
			if lowerASCII(s[0]) != want {
				return s, false
			}
			s = s[1:]
			continue
		}
		r, size := utf8.DecodeRuneInString(s)
		if size == 0 || !foldsTo(r, rune(want)) {
			return s, false
		}
		s = s[size:]
	}
	return s, true
}

// lowerASCII is c in lower case when it is an ASCII letter, else c: unicode.ToLower for ASCII.
func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// foldsToLetter reports whether r is an ASCII letter under simple case folding ([a-z] with (?i)).
func foldsToLetter(r rune) bool {
	for f := r; ; {
		if f >= 'a' && f <= 'z' || f >= 'A' && f <= 'Z' {
			return true
		}
		if f = unicode.SimpleFold(f); f == r {
			return false
		}
	}
}

// ZeroGUID is the subscription id recorders write in place of the real one (docs/recorders.md). A request
// URL naming it was sanitized: its subscription says nothing about the workspace that answered.
const ZeroGUID = "00000000-0000-0000-0000-000000000000"

// ParseConnectionString parses the format the Azure Quantum SDKs build and read (docs/connection-string.md):
// SubscriptionId={guid};ResourceGroupName={rg};WorkspaceName={ws};ApiKey={key};QuantumEndpoint=https://{location}.quantum.azure.com/;
// Names are matched case-insensitively, as the SDK's regex does. The error says which part is wrong.
//
// A part whose value is a placeholder (a recorder redacted it) is kept as it is: the format around it
// (names, order, separators, the trailing ";") and every other part are still checked, so a redacted ApiKey
// hides nothing but itself. Placeholders lists those parts.
func ParseConnectionString(s string) (ConnectionString, error) {
	if !strings.HasSuffix(s, ";") {
		return ConnectionString{}, fmt.Errorf("it does not end with \";\"")
	}
	rest := strings.TrimSuffix(s, ";")
	if n := strings.Count(rest, ";") + 1; n != len(connectionStringParts) {
		return ConnectionString{}, fmt.Errorf("it has %d parts; want %d (%s)", n, len(connectionStringParts), strings.Join(connectionStringParts[:], ", "))
	}
	var values [len(connectionStringParts)]string
	for i, want := range connectionStringParts {
		var field string
		field, rest, _ = strings.Cut(rest, ";")
		name, value, ok := strings.Cut(field, "=")
		switch {
		case !ok || name != want && !strings.EqualFold(name, want):
			return ConnectionString{}, fmt.Errorf("part %d should be %s=…, found %q", i+1, want, redactField(name))
		case value == "" || holdsSpace(value):
			return ConnectionString{}, fmt.Errorf("%s is empty or holds white space", want)
		}
		values[i] = value
	}
	return connectionStringOf(values)
}

// connectionStringOf checks the values of the five parts, found in order, and makes them a ConnectionString.
func connectionStringOf(values [len(connectionStringParts)]string) (ConnectionString, error) {
	cs := ConnectionString{values[0], values[1], values[2], values[3], values[4]}
	if err := checkUUID(cs.SubscriptionID); err != nil && !IsPlaceholder(cs.SubscriptionID) {
		return ConnectionString{}, fmt.Errorf("SubscriptionId %q is not a GUID", cs.SubscriptionID)
	}
	if !isQuantumEndpoint(cs.QuantumEndpoint) && !IsPlaceholder(cs.QuantumEndpoint) {
		return ConnectionString{}, fmt.Errorf("QuantumEndpoint %q is not https://{location}.quantum.azure.com/", cs.QuantumEndpoint)
	}
	return cs, nil
}

// Placeholders names the parts whose values are placeholders, in documented order.
func (cs ConnectionString) Placeholders() []string {
	var out []string
	for i, v := range cs.values() {
		if IsPlaceholder(v) {
			out = append(out, connectionStringParts[i])
		}
	}
	return out
}

func (cs ConnectionString) values() [len(connectionStringParts)]string {
	return [...]string{cs.SubscriptionID, cs.ResourceGroupName, cs.WorkspaceName, cs.APIKey, cs.QuantumEndpoint}
}

// holdsSpace reports whether s holds ASCII white space: strings.ContainsAny(s, " \t\r\n\v\f"), by a table
// rather than building the set of characters on every call.
func holdsSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if asciiSpace[s[i]] {
			return true
		}
	}
	return false
}

var asciiSpace = [256]bool{' ': true, '\t': true, '\r': true, '\n': true, '\v': true, '\f': true}

// redactField keeps a malformed part's name readable without echoing what may be a key.
func redactField(name string) string {
	if len(name) > 40 {
		return name[:12] + "…"
	}
	return name
}

// apiKeyExpr finds the ApiKey part of a connection string wherever it stands — in a malformed string, in
// free text, in a JSON body inside a YAML file — with the value as its last submatch. Recorders, the server's
// scrubber and the secret scanner all look for keys with it.
const apiKeyExpr = `(?i)\b(ApiKey=)([^;\s"'\\]+)`

var apiKeyPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(apiKeyExpr) })

// APIKeyPattern returns a new copy of the expression that finds ApiKey values (the value is the last
// submatch), for a caller that needs the expression itself, such as a scanner's table of patterns. It is a
// fresh value so that no caller can change what the others match.
func APIKeyPattern() *regexp.Regexp { return regexp.MustCompile(apiKeyExpr) }

// APIKeysIn lists the ApiKey values in text: what apiKeyExpr finds (the tests hold the two to the same
// answers), by a scan from each "=" rather than by the expression, as it runs on every string of every body
// the server judges.
func APIKeysIn(text string) []string {
	var keys []string
	for from := 0; from < len(text); {
		i := strings.IndexByte(text[from:], '=')
		if i < 0 {
			break
		}
		eq := from + i
		from = eq + 1
		start, ok := apiKeyNameBefore(text, eq)
		if !ok || start > 0 && isWordByte(text[start-1]) {
			continue
		}
		end := eq + 1
		for end < len(text) && !strings.ContainsRune(apiKeyStop, rune(text[end])) {
			end++
		}
		if end > eq+1 {
			keys = append(keys, text[eq+1:end])
			from = end
		}
	}
	return keys
}

// apiKeyStop are the bytes that end an ApiKey value (apiKeyExpr's [^;\s"'\\]; \s is [\t\n\f\r ]).
const apiKeyStop = ";\t\n\f\r \"'\\"

// apiKeyNameBefore reports whether the six characters before text[eq] are "ApiKey" in any case (Unicode
// simple folding, as (?i) matches: the Kelvin sign is a k), and where they start.
func apiKeyNameBefore(text string, eq int) (int, bool) {
	start := eq
	for i := len("apikey") - 1; i >= 0; i-- {
		if start > 0 && text[start-1] < utf8.RuneSelf { // ASCII: a letter folds only to its other case (as in foldPrefix)
			if lowerASCII(text[start-1]) != "apikey"[i] {
				return 0, false
			}
			start--
			continue
		}
		r, size := utf8.DecodeLastRuneInString(text[:start])
		if size == 0 || !foldsTo(r, rune("apikey"[i])) {
			return 0, false
		}
		start -= size
	}
	return start, true
}

// foldsTo reports whether r is lower (an ASCII lower-case letter) under Unicode simple case folding.
func foldsTo(r, lower rune) bool {
	for f := r; ; {
		if f == lower {
			return true
		}
		if f = unicode.SimpleFold(f); f == r {
			return false
		}
	}
}

// isWordByte is \b's notion of a word character (ASCII only).
func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// RedactAPIKeys replaces every ApiKey value in text with Redacted, leaving every other byte as it was.
func RedactAPIKeys(text string) string {
	return apiKeyPattern().ReplaceAllString(text, "${1}"+Redacted)
}
