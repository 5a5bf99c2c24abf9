package traffic

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// volatileHeaders change on every call (or with the transport) and say nothing about the contract.
var volatileHeaders = map[string]bool{
	"Date": true, "Content-Length": true, "Transfer-Encoding": true, "Connection": true, "Keep-Alive": true,
}

// Drift compares a fresh recording of a scenario with the committed one and says, in plain sentences, what
// the server now answers differently: status, error.code, the response's body members and header names.
// Values are not compared (keys, ids and dates change on every call); shapes are. When a recording holds
// listKeys interactions among others (a token request, a GET of the workspace), the listKeys ones are
// compared, in order; otherwise every interaction is.
func Drift(committed, fresh Recording) []string {
	was, label := subject(committed)
	now, freshLabel := subject(fresh)
	if label == "interactions" {
		label = freshLabel
	}
	var out []string
	if len(was) != len(now) {
		out = append(out, fmt.Sprintf("%d %s now, %d committed", len(now), label, len(was)))
	}
	for i := range min(len(was), len(now)) {
		w, n := was[i], now[i]
		prefix := fmt.Sprintf("#%d ", i+1)
		if label != "interactions" {
			prefix = fmt.Sprintf("listKeys #%d (interaction #%d) ", i+1, n.Index)
		}
		if w.Status != n.Status {
			out = append(out, fmt.Sprintf("%sstatus %d, committed %d", prefix, n.Status, w.Status))
		}
		if a, b := contract.ErrorCode(w.Body), contract.ErrorCode(n.Body); a != b {
			out = append(out, fmt.Sprintf("%serror.code %q, committed %q", prefix, b, a))
		}
		out = append(out, setDrift(prefix+"body member", members(w.Body), members(n.Body))...)
		out = append(out, setDrift(prefix+"header", headerNames(w.Header), headerNames(n.Header))...)
	}
	return out
}

// subject is what Drift compares of a recording: its listKeys interactions when it has others too.
func subject(rec Recording) ([]Interaction, string) {
	var listKeys []Interaction
	for _, in := range rec.Interactions {
		if in.IsListKeys() {
			listKeys = append(listKeys, in)
		}
	}
	if len(listKeys) == 0 || len(listKeys) == len(rec.Interactions) {
		return rec.Interactions, "interactions"
	}
	return listKeys, "listKeys interactions"
}

func setDrift(what string, was, now []string) []string {
	var out []string
	for _, n := range now {
		if !slices.Contains(was, n) {
			out = append(out, fmt.Sprintf("%s %s is new", what, n))
		}
	}
	for _, w := range was {
		if !slices.Contains(now, w) {
			out = append(out, fmt.Sprintf("%s %s is gone", what, w))
		}
	}
	return out
}

// members lists the JSON Pointers of a body's object members, arrays collapsed to "/*" so that the number of
// error details does not count as drift.
func members(body []byte) []string {
	doc, _, err := contract.Decode(body) // bounded, as every other reader of a body
	if err != nil {
		return nil
	}
	set := map[string]bool{}
	var walk func(v any, path string, depth int)
	walk = func(v any, path string, depth int) {
		if depth > 32 {
			return
		}
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				p := path + "/" + k
				set[p] = true
				walk(child, p, depth+1)
			}
		case []any:
			for _, child := range v {
				walk(child, path+"/*", depth+1)
			}
		}
	}
	walk(doc, "", 0)
	out := make([]string, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func headerNames(h http.Header) []string {
	var out []string
	for name := range h {
		if canonical := http.CanonicalHeaderKey(name); !volatileHeaders[canonical] {
			out = append(out, strings.ToLower(canonical))
		}
	}
	sort.Strings(out)
	return out
}
