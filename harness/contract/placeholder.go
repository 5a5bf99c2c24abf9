package contract

import (
	"regexp"
	"strings"
)

// Redacted is the suite's own redaction marker. It is a valid value for every secret property (they are
// plain strings) and for the ApiKey inside a connection string (no spaces, no ';'), so a sanitized cassette
// still validates. Its angle brackets, as in the documented example's <primaryKey>, keep secret scanners
// from taking "Bearer <redacted:…>" for a token.
const Redacted = "<redacted:listkeys-conformance>"

var anglePlaceholder = regexp.MustCompile(`^<[^<>]+>$`)

// IsPlaceholder reports whether a value stands in for a real one: the documented example's `<primaryKey>`
// form, or a redaction marker (REDACTED, Sanitized, ours). Such values are noted as not checked, never
// reported as violations.
func IsPlaceholder(s string) bool {
	if anglePlaceholder.MatchString(s) {
		return true
	}
	lower := strings.ToLower(s)
	return strings.Contains(lower, "redacted") || strings.Contains(lower, "sanitized")
}
