package report

import (
	"regexp"
	"sync"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// Secret shapes a failure message may quote: a spec that prints the body it got (in record and live mode the
// real one, keys included), a request's Authorization. The exchange entry is sanitized where it is made;
// messages are free text, so they are scrubbed here by shape before they reach a report.
var secretShapes = sync.OnceValue(func() []*regexp.Regexp {
	return []*regexp.Regexp{
		regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*`),                  // a JWT
		regexp.MustCompile(`(?i)(\bbearer\s+)[A-Za-z0-9\-._~+/]{20,}=*`),                                   // a bearer token
		regexp.MustCompile(`(?i)("key\\?"\s*:\s*\\?")[^"\\]{8,}`),                                          // a key member
		regexp.MustCompile(`(?i)(x-ms-quantum-api-key\\?["']?\s*[:=]\s*\[?\s*\\?["']?)[^\s"',\[\]\\]{8,}`), // the data-plane key header
	}
})

// Scrub replaces what looks like a secret in free text with contract.Redacted.
func Scrub(text string) string {
	text = contract.RedactAPIKeys(text)
	for i, p := range secretShapes() {
		if i == 0 {
			text = p.ReplaceAllLiteralString(text, contract.Redacted)
			continue
		}
		text = p.ReplaceAllString(text, "${1}"+contract.Redacted)
	}
	return text
}
