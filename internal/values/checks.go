package values

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
)

// Failure is how a check fails for one value. Kind says what went wrong without naming the value, so that a
// shrunk value can be said to fail the same way; Detail adds the particulars.
type Failure struct {
	Kind, Detail string
}

func (f *Failure) Error() string {
	if f.Detail == "" {
		return f.Kind
	}
	return f.Kind + ": " + f.Detail
}

func fail(kind, format string, args ...any) error {
	return &Failure{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// kindOf is a failure's Kind, or the whole text of any other error.
func kindOf(err error) string {
	var f *Failure
	if errors.As(err, &f) {
		return f.Kind
	}
	return err.Error()
}

// Refused checks the client's verdict err on a request whose parameter param holds value, which breaks the
// given constraints (what Rule.Broken finds, when none are given). It holds when err is exactly one
// *arm.ParamError that names param, holds value and quotes it in its message, and names in its words one
// constraint the value breaks — path safety, when the value breaks it, since the builder reports that first.
func (rs *Rules) Refused(err error, param, value string, breaks ...Constraint) error {
	r := rs.Rule(param)
	if r == nil {
		return fail("no such parameter", "the contract documents no parameter %s", param)
	}
	if len(breaks) == 0 {
		breaks = r.Broken(value)
	}
	if slices.Contains(breaks, PathSafety) {
		breaks = []Constraint{PathSafety}
	}
	if err == nil {
		return fail("accepted", "the client accepts %s %q, which breaks %s", param, value, listConstraints(breaks))
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok && len(joined.Unwrap()) > 1 {
		return fail("refused naming several parameters", "%v", err)
	}
	var pe *arm.ParamError
	if !errors.As(err, &pe) {
		return fail("refused without a *arm.ParamError", "%v", err)
	}
	if pe.Name != param {
		return fail("refused naming another parameter", "%s instead of %s: %v", pe.Name, param, err)
	}
	if pe.Value != value || !strings.Contains(err.Error(), strconv.Quote(value)) {
		return fail("refused without quoting the value", "want %s in %q", strconv.Quote(value), err.Error())
	}
	var words []string
	for _, c := range breaks {
		w := r.Wording(c)
		if strings.Contains(pe.Constraint, w) {
			return nil
		}
		words = append(words, strconv.Quote(w))
	}
	return fail("refused naming another constraint", "%q says none of %s (%s)", pe.Constraint, strings.Join(words, ", "), listConstraints(breaks))
}

func listConstraints(cs []Constraint) string {
	if len(cs) == 0 {
		return "no constraint"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = string(c)
	}
	return strings.Join(parts, ", ")
}

// Property is what must hold for each case: nil, or why not.
type Property func(Case) error

// ClientRefuses is the property that the builder refuses the case's value (see Rules.Refused).
func ClientRefuses(b *arm.Builder, rs *Rules) Property {
	return func(c Case) error { return rs.Refused(b.Check(c.Params), c.Param, c.Value) }
}

// ClientAccepts is the property that the builder accepts the case.
func ClientAccepts(b *arm.Builder) Property {
	return func(c Case) error {
		if err := b.Check(c.Params); err != nil {
			return fail("refused", "%v", err)
		}
		return nil
	}
}

// Judge is a check of one answer, given the contract's report on it.
type Judge func(contract.Exchange, contract.Report) error

// Answer is what the server's answer to a case must be: a refusal (any 4xx, judged as an ErrorResponse), or
// not a refusal for a malformed value.
type Answer struct {
	expect *contract.Expectation
	judge  Judge
}

// Sent is the property that the answer holds for the server's answer to each case, sent through client
// without the client's checks (UnsafeURL: each value still travels escaped in a segment of its own). The
// contract judges the answer as a live one (contract.Judge): a body that is not JSON fails response.json.
func Sent(ctx context.Context, client *arm.Client, c *contract.Contract, a Answer) Property {
	return func(cs Case) error {
		u, err := client.UnsafeURL(cs.Params)
		if err != nil {
			return fail("no request", "%v", err)
		}
		ex, err := client.Send(ctx, u)
		if err != nil {
			return fail("no answer", "%v", err)
		}
		return a.Of(c, ex.Exchange)
	}
}

// Of judges one answer.
func (a Answer) Of(c *contract.Contract, ex contract.Exchange) error {
	ex.Expect = a.expect
	return a.judge(ex, c.Judge(ex))
}

// ErrorAnswer is the answer a request with an invalid parameter must get: a 4xx, judged by the registry as
// an ErrorResponse (error.code and error.message, no key in it, ...): scenario.status and every MUST check.
var ErrorAnswer = Answer{expect: &contract.Expectation{Refused: true}, judge: conforms}

// conforms fails with the MUST checks the report violates; the failure's kind is their IDs, so a shrunk
// value fails the same way only when it breaks the same checks.
func conforms(ex contract.Exchange, report contract.Report) error {
	if report.Conformant(false) {
		return nil
	}
	var ids []string
	for _, id := range report.Failed() {
		if o := report.Outcome(id); o.Level == contract.MUST {
			ids = append(ids, string(id))
		}
	}
	return fail(fmt.Sprintf("answered %d, violating %s", ex.Status, strings.Join(ids, ", ")), "%s; body %s", violations(report), excerpt(ex.Body))
}

// ValidAnswer is the answer a request with only valid parameters must get: it is not refused as malformed.
// The workspace is found (200), not found (404: the generated names are nobody's), or not the caller's to
// see (403: a caller's role may not reach another subscription or group) — and the answer conforms.
var ValidAnswer = Answer{judge: func(ex contract.Exchange, report contract.Report) error {
	switch ex.Status {
	case 200, 403, 404:
	default:
		return fail(fmt.Sprintf("answered %d %s", ex.Status, contract.ErrorCode(ex.Body)), "%s", excerpt(ex.Body))
	}
	return conforms(ex, report)
}}

func violations(r contract.Report) string {
	var parts []string
	for _, v := range r.Violations {
		if v.Level == contract.MUST {
			parts = append(parts, fmt.Sprintf("%s at %q: %s", v.Check, v.Path, v.Message))
		}
	}
	return strings.Join(parts, "; ")
}

func excerpt(body []byte) string {
	const max = 300
	if len(body) > max {
		return strconv.Quote(string(body[:max])) + "…"
	}
	return strconv.Quote(string(body))
}

// SentAsDocumented checks a request target as a server received it against the documented path template:
// exactly the template's segments, its literal ones unchanged, each parameter's segment no dot segment and
// unescaping to that parameter's value in p, and a query of api-version alone, with p's value.
func SentAsDocumented(c *contract.Contract, requestURI string, p arm.Params) error {
	path, query, _ := strings.Cut(requestURI, "?")
	want := strings.Split(c.Operation.Path, "/")
	got := strings.Split(path, "/")
	if len(got) != len(want) {
		return fail("a path of another shape", "%q has %d segments; the template %s has %d", path, len(got), c.Operation.Path, len(want))
	}
	for i, w := range want {
		name, isParam := strings.CutPrefix(w, "{")
		name, closed := strings.CutSuffix(name, "}")
		if !isParam || !closed {
			if got[i] != w {
				return fail("a literal segment changed", "segment %d is %q; the template has %q", i, got[i], w)
			}
			continue
		}
		if got[i] == "." || got[i] == ".." {
			return fail("a dot segment", "segment %d (%s) is %q", i, name, got[i])
		}
		v, err := url.PathUnescape(got[i])
		if err != nil || v != p.Get(name) {
			return fail("a segment that is not its value", "segment %d (%s) %q unescapes to %q (%v); the value is %q", i, name, got[i], v, err, p.Get(name))
		}
	}
	q, err := url.ParseQuery(query)
	if err != nil || len(q) != 1 || len(q["api-version"]) != 1 || q.Get("api-version") != p.APIVersion {
		return fail("a query other than api-version alone", "%q (want api-version=%q)", query, p.APIVersion)
	}
	return nil
}
