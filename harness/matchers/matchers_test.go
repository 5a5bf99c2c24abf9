package matchers

import (
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// A matcher naming a check the registry does not know can never pass, asserted or negated.
func TestUnknownCheckIDsFail(t *testing.T) {
	report := contract.Report{Violations: []contract.Violation{contract.NewViolation(contract.NoCache, "/headers/cache-control", "x")}}
	for name, m := range map[string]interface {
		Match(any) (bool, error)
	}{
		"ViolateCheck":   ViolateCheck("headers.nocache"),
		"HaveViolation":  HaveViolation("connection-string.apikey", "/primaryConnectionString"),
		"ViolateExactly": ViolateExactly("headers.nocache"),
	} {
		if ok, err := m.Match(report); ok || err == nil || !strings.Contains(err.Error(), "known: ") {
			t.Errorf("%s with an unknown ID: %v, %v; want an error listing the known IDs", name, ok, err)
		}
	}
	if ok, err := ViolateExactly(contract.NoCache).Match(report); !ok || err != nil {
		t.Errorf("ViolateExactly(headers.no-cache) = %v, %v", ok, err)
	}
	if ok, _ := ViolateExactly(contract.NoCache, contract.ContentType).Match(report); ok {
		t.Error("ViolateExactly must not accept a subset")
	}
}
