package matchers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onsi/gomega/types"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// BeConformant succeeds when a contract.Report has no MUST violation.
func BeConformant() types.GomegaMatcher {
	return &reportMatcher{
		want: "conform to the contract (no MUST violation)",
		test: func(r contract.Report) bool { return r.Conformant(false) },
	}
}

// BeStrictlyConformant succeeds when a contract.Report has no violation at all, SHOULD included.
func BeStrictlyConformant() types.GomegaMatcher {
	return &reportMatcher{
		want: "conform strictly to the contract (no violation at all)",
		test: func(r contract.Report) bool { return r.Conformant(true) },
	}
}

// HaveViolation succeeds when a contract.Report has a violation of the check at the JSON Pointer path. A
// check ID the registry does not know makes the assertion fail, negated or not, listing the known IDs.
func HaveViolation(check contract.ID, path string) types.GomegaMatcher {
	return &reportMatcher{
		want:    fmt.Sprintf("have a violation of %s at %q", check, path),
		unknown: contract.Known(check),
		test:    func(r contract.Report) bool { return r.HasCheck(check, path) },
	}
}

// ViolateCheck succeeds when a contract.Report has a violation of any of the checks, wherever it is. An
// unknown check ID fails the assertion, negated or not.
func ViolateCheck(checks ...contract.ID) types.GomegaMatcher {
	names := make([]string, len(checks))
	for i, c := range checks {
		names[i] = string(c)
	}
	return &reportMatcher{
		want:    fmt.Sprintf("violate %s", strings.Join(names, " or ")),
		unknown: contract.Known(checks...),
		test: func(r contract.Report) bool {
			for _, v := range r.Violations {
				if slices.Contains(names, v.Check) {
					return true
				}
			}
			return false
		},
	}
}

// ViolateExactly succeeds when the checks a contract.Report has violations of are exactly these, no more.
func ViolateExactly(checks ...contract.ID) types.GomegaMatcher {
	want := slices.Clone(checks)
	slices.Sort(want)
	want = slices.Compact(want)
	return &reportMatcher{
		want:    fmt.Sprintf("violate exactly %v", want),
		unknown: contract.Known(checks...),
		test:    func(r contract.Report) bool { return slices.Equal(r.Failed(), want) },
	}
}

type reportMatcher struct {
	want    string
	unknown error // a check ID the registry does not know: the assertion can then never pass
	test    func(contract.Report) bool
}

func (m *reportMatcher) Match(actual any) (bool, error) {
	if m.unknown != nil {
		return false, m.unknown
	}
	r, ok := actual.(contract.Report)
	if !ok {
		return false, fmt.Errorf("expected a contract.Report, got %T", actual)
	}
	return m.test(r), nil
}

func (m *reportMatcher) FailureMessage(actual any) string {
	return fmt.Sprintf("Expected the %s to %s; it has:\n%s", subject(actual), m.want, Explain(actual.(contract.Report)))
}

func (m *reportMatcher) NegatedFailureMessage(actual any) string {
	return fmt.Sprintf("Expected the %s not to %s; it has:\n%s", subject(actual), m.want, Explain(actual.(contract.Report)))
}

func subject(actual any) string {
	if d := actual.(contract.Report).Definition; d != "" {
		return d
	}
	return "exchange"
}

// Explain renders a report's violations and notes one per line, for failure messages and narration.
func Explain(r contract.Report) string {
	if len(r.Violations) == 0 && len(r.Notes) == 0 {
		return "  (no violations, no notes)\n"
	}
	var b strings.Builder
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "  %s %s at %q: %s\n", v.Level, v.Check, v.Path, v.Message)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	return b.String()
}
