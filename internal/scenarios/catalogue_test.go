package scenarios

import (
	"slices"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
)

// Every row says where its expected answer comes from, and its level follows from that: core for observed
// or documented expectations, extended for assumed ones, never both.
func TestEveryScenarioHasAProvenanceThatDecidesItsLevel(t *testing.T) {
	for _, s := range All() {
		if err := s.Provenance.Valid(); err != nil {
			t.Errorf("%s: provenance: %v", s.Name, err)
		}
		labels := s.Labels()
		core, extended := slices.Contains(labels, "core"), slices.Contains(labels, "extended")
		if core == extended || core != (s.Provenance.Basis != catalogue.Assumed) {
			t.Errorf("%s: labels %v for a %s expectation; want core for observed or documented, extended for assumed",
				s.Name, labels, s.Provenance.Basis)
		}
		if slices.Contains(s.Tags, "core") || slices.Contains(s.Tags, "extended") {
			t.Errorf("%s: tags %v name a level; the provenance decides it", s.Name, s.Tags)
		}
	}
}
