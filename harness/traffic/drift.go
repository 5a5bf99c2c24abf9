package traffic

import (
	"encoding/json"
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
// Values are not compared (keys, ids and dates change on every call); shapes are.
func Drift(committed, fresh Recording) []string {
	var out []string
	if len(committed.Interactions) != len(fresh.Interactions) {
		out = append(out, fmt.Sprintf("%d interactions now, %d committed", len(fresh.Interactions), len(committed.Interactions)))
	}
	for i := range min(len(committed.Interactions), len(fresh.Interactions)) {
		was, now := committed.Interactions[i], fresh.Interactions[i]
		prefix := fmt.Sprintf("#%d ", i+1)
		if was.Status != now.Status {
			out = append(out, fmt.Sprintf("%sstatus %d, committed %d", prefix, now.Status, was.Status))
		}
		if a, b := contract.ErrorCode(was.Body), contract.ErrorCode(now.Body); a != b {
			out = append(out, fmt.Sprintf("%serror.code %q, committed %q", prefix, b, a))
		}
		out = append(out, setDrift(prefix+"body member", members(was.Body), members(now.Body))...)
		out = append(out, setDrift(prefix+"header", headerNames(was.Header), headerNames(now.Header))...)
	}
	return out
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
	var doc any
	if json.Unmarshal(body, &doc) != nil {
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
