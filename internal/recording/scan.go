package recording

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// Finding is something in a file that looks like a secret. It never holds the value.
type Finding struct {
	Line int    // 1-based
	Kind string // what it looks like, e.g. "a JWT"
}

func (f Finding) String() string { return fmt.Sprintf("line %d: %s", f.Line, f.Kind) }

// heuristics look for secrets by their shape, without knowing any value. The last submatch (or the whole
// match) is the candidate value; a placeholder (contract.IsPlaceholder: our marker, "<primaryKey>") is no
// finding. Quotes may come escaped ("\"key\"") because cassettes hold JSON bodies inside YAML strings.
//
// They are compiled on first use, not at package init: every command of the binary would pay for them at start.
var heuristics = sync.OnceValue(func() []heuristic {
	return []heuristic{
		{"a JWT", regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*`)},
		{"a bearer token", regexp.MustCompile(`(?i)\bbearer\s+([A-Za-z0-9\-._~+/]{20,}=*)`)},
		{"an ApiKey in a connection string", contract.APIKeyPattern()},
		{"an x-ms-quantum-api-key header value",
			regexp.MustCompile(`(?i)x-ms-quantum-api-key\\?["']?\s*[:=]\s*\[?\s*\\?["']?([^\s"',\[\]\\]+)`)},
		{"a key-looking value in a secret property", regexp.MustCompile(
			`(?i)\\?"(?:key|primaryKey|secondaryKey|apiKey|accessKey|sharedKey|secret|password)\\?"\s*:\s*\\?"((?:[A-Za-z0-9+/_-]|\\/){40,}={0,2})\\?"`)},
	}
})

type heuristic struct {
	kind    string
	pattern *regexp.Regexp
}

var (
	// go-vcr writes a header as its name alone on a line, then its values as a YAML list.
	quantumKeyHeaderLine = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)^\s*["']?x-ms-quantum-api-key["']?\s*:\s*$`)
	})
	yamlListItem = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\s*-\s+["']?([^"'\s]+)`) })
)

var unescaper = strings.NewReplacer(`\u003c`, "<", `\u003C`, "<", `\u003e`, ">", `\u003E`, ">",
	`\u0026`, "&", `\/`, "/")

// ScanForSecrets looks through a file (a cassette, a recording) for values shaped like secrets: JWTs, bearer
// tokens other than our marker, ApiKey values of connection strings that are not placeholders,
// x-ms-quantum-api-key headers with a value, and key-looking base64 values (40 characters or more) in secret
// properties. It is a heuristic: it knows no secret, so it complements the exact search a recording does.
func ScanForSecrets(data []byte) []Finding {
	var findings []Finding
	add := func(line int, kind, candidate string) {
		candidate = strings.TrimRight(unescaper.Replace(candidate), `\`)
		// A placeholder in markup is followed by the next tag ("<redacted:…></td>"): the value ends at its '>'.
		if strings.HasPrefix(candidate, "<") {
			if end := strings.IndexByte(candidate, '>'); end > 0 {
				candidate = candidate[:end+1]
			}
		}
		if candidate == "" || contract.IsPlaceholder(candidate) {
			return
		}
		f := Finding{line, kind}
		if len(findings) == 0 || findings[len(findings)-1] != f {
			findings = append(findings, f)
		}
	}
	pendingHeader := false
	for n, line := range strings.Split(string(data), "\n") {
		for _, h := range heuristics() {
			for _, m := range h.pattern.FindAllStringSubmatch(line, -1) {
				add(n+1, h.kind, m[len(m)-1])
			}
		}
		if pendingHeader {
			m := yamlListItem().FindStringSubmatch(line)
			if m != nil {
				add(n+1, "an x-ms-quantum-api-key header value", m[1])
				continue
			}
		}
		pendingHeader = quantumKeyHeaderLine().MatchString(line)
	}
	return findings
}
