package contract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redacted is the suite's own redaction marker. It is a valid value for every secret property (they are
// plain strings) and for the ApiKey inside a connection string (no spaces, no ';'), so a sanitized cassette
// still validates. Its angle brackets, as in the documented example's <primaryKey>, keep secret scanners
// from taking "Bearer <redacted:…>" for a token.
const Redacted = "<redacted:listkeys-conformance>"

// redactionMarkers are the whole values recorders write in place of a secret (docs/recorders.md): the Azure
// CLI test SDK's scrubber writes REDACTED, the Azure SDK test-proxy Sanitized; "***" is what loggers and CI
// systems mask with. Compared case-insensitively.
var redactionMarkers = []string{"REDACTED", "Sanitized", "***", Redacted}

// IsPlaceholder reports whether a value stands in for a real one: as a whole, the documented example's
// `<primaryKey>` form or one of the redaction markers (case-insensitively). A value that merely contains such
// a word ("2024-13-45 REDACTED", "unsanitized") is an ordinary value and is checked like any other.
// Placeholders are noted as not checked, never reported as violations — at string-typed positions only: a
// placeholder where the definition wants a boolean is a type violation.
func IsPlaceholder(s string) bool {
	return isAnglePlaceholder(s) || isRedactionMarker(s)
}

// isAnglePlaceholder reports whether s is "<" name ">" with no angle bracket inside (the documented
// example's <primaryKey>).
func isAnglePlaceholder(s string) bool {
	return len(s) > 2 && s[0] == '<' && s[len(s)-1] == '>' && !strings.ContainsAny(s[1:len(s)-1], "<>")
}

// markerStarts are the ASCII bytes a redaction marker can start with, in either case.
var markerStarts = func() (t [utf8.RuneSelf]bool) {
	for _, m := range redactionMarkers {
		t[unicode.ToLower(rune(m[0]))], t[unicode.ToUpper(rune(m[0]))] = true, true
	}
	return t
}()

// isRedactionMarker reports whether s is, as a whole, one of the markers recorders write.
func isRedactionMarker(s string) bool {
	if s == "" || s[0] < utf8.RuneSelf && !markerStarts[s[0]] {
		return false // the common case, a value that starts as no marker does, without comparing with each
	}
	for _, m := range redactionMarkers {
		if strings.EqualFold(s, m) {
			return true
		}
	}
	return false
}
