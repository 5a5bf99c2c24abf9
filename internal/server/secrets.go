package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// scrubber removes known secret values from the strings that go into the log and the report. The log and
// the report never hold headers or bodies; what they do hold (a URL, the checks' messages and notes) can
// quote a value, and a non-conformant peer can put a key anywhere. Secrets are removed by value (every form,
// any length): see contract.Scrubber.
type scrubber struct {
	set contract.Scrubber
}

func newScrubber(known []string) *scrubber {
	sc := &scrubber{}
	for _, v := range known {
		sc.add(v)
	}
	return sc
}

func (sc *scrubber) add(v string) { sc.set.Add(v) }

// scrub replaces every known secret in text with contract.Redacted.
func (sc *scrubber) scrub(text string) string { return sc.set.Scrub(text) }

// report is r as the report holds it: scrubbed, and bounded (at most maxReportViolations violations and
// maxReportNotes notes, each clipped), so that one hostile exchange cannot make the report large.
func (sc *scrubber) report(r contract.Report) contract.Report {
	out := contract.Report{Definition: r.Definition, Violations: make([]contract.Violation, 0, min(len(r.Violations), maxReportViolations)),
		Notes: make([]string, 0, min(len(r.Notes), maxReportNotes+1))}
	var seen map[string]bool // the checks kept, once the list is long enough to need it
	left := 0
	for _, v := range r.Violations {
		// One of each check is always kept (there are few checks), so the verdict is the same.
		if len(out.Violations) >= maxReportViolations {
			if seen == nil {
				seen = map[string]bool{}
				for _, kept := range out.Violations {
					seen[kept.Check] = true
				}
			}
			if seen[v.Check] {
				left++
				continue
			}
			seen[v.Check] = true
		}
		v.Message = clip(sc.scrub(v.Message), maxMessage)
		v.Path = clip(sc.scrub(v.Path), maxMessage)
		out.Violations = append(out.Violations, v)
	}
	if left > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("… and %d more violations of the same checks (not listed)", left))
	}
	for i, n := range r.Notes {
		if i == maxReportNotes {
			out.Notes = append(out.Notes, fmt.Sprintf("… and %d more notes", len(r.Notes)-i))
			break
		}
		out.Notes = append(out.Notes, clip(sc.scrub(n), maxMessage))
	}
	for _, u := range r.NotChecked {
		u.Path, u.Reason = sc.scrub(u.Path), sc.scrub(u.Reason)
		out.NotChecked = append(out.NotChecked, u)
	}
	out.NotJudged = sc.scrub(r.NotJudged)
	return out
}

// addRequest takes the credentials a client sends: the Authorization credential (not its scheme, which the
// messages name) and a data-plane key sent by mistake.
func (sc *scrubber) addRequest(h http.Header) {
	for _, auth := range h.Values("Authorization") {
		if scheme, credential, ok := strings.Cut(strings.TrimSpace(auth), " "); ok {
			sc.add(credential)
		} else if !strings.EqualFold(scheme, "Bearer") {
			sc.add(auth) // a bare credential, without a scheme
		}
	}
	for _, key := range h.Values("x-ms-quantum-api-key") {
		sc.add(key)
	}
}

// secretWords are what the names of members that hold secrets contain, in any body a peer might send,
// documented or not (compared case-insensitively).
var secretWords = []string{"key", "connectionstring", "secret", "token", "password"}

// foldToASCII is the ASCII lower-case letter r folds to under Unicode simple case folding, or r.
func foldToASCII(r rune) rune {
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f >= 'a' && f <= 'z' {
			return f
		}
	}
	return unicode.ToLower(r)
}

// secretName reports whether a JSON Pointer names a member that holds a secret.
func secretName(pointer string) bool {
	lower := strings.ToLower(pointer)
	if strings.ContainsFunc(pointer, func(r rune) bool { return r > unicode.MaxASCII }) {
		lower = strings.Map(foldToASCII, pointer) // as (?i) would: "ſecret" and "Key" name secrets too
	}
	for _, w := range secretWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// addBody takes the secrets of a response body: the values at the secret paths (secretPaths), every string under a member
// whose name says secret, every ApiKey inside a connection string and every value shaped as a key, at any
// depth and under any member, duplicates included.
func (sc *scrubber) addBody(paths map[string]bool, body *contract.Parsed) {
	sc.set.AddParsed(body, func(pointer string) bool { return paths[pointer] || secretName(pointer) })
}

// maskedURL is the request target as it goes into the report: the path as sent, and the query with every
// value masked but those of documented query parameters (api-version), which the verdicts talk about.
func maskedURL(c *contract.Contract, u *url.URL) *url.URL {
	out := *u
	if u.RawQuery == "" {
		return &out
	}
	parts := strings.Split(u.RawQuery, "&")
	for i, part := range parts {
		name, value, _ := strings.Cut(part, "=")
		if value == "" || documentedQuery(c, name) {
			continue
		}
		parts[i] = name + "=" + contract.Redacted
	}
	out.RawQuery = strings.Join(parts, "&")
	return &out
}

func documentedQuery(c *contract.Contract, rawName string) bool {
	name, err := url.QueryUnescape(rawName)
	if err != nil {
		return false
	}
	for _, p := range c.Parameters() {
		if p.In == "query" && strings.EqualFold(p.Name, name) {
			return true
		}
	}
	return false
}

// secretPaths are the contract's secret paths of every definition: a body's keys are secrets whatever the
// status it came with.
func secretPaths(c *contract.Contract) map[string]bool {
	paths := map[string]bool{}
	for _, def := range c.Definitions() {
		for _, ptr := range c.SecretPaths(def) {
			paths[ptr] = true
		}
	}
	return paths
}
