package report_test

import (
	"fmt"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
)

// BenchmarkFullRun is the report step `make conformance` adds after ginkgo: a run's size (about 350 specs in
// 60 containers) from Ginkgo's report to the four renderings.
func BenchmarkFullRun(b *testing.B) {
	suites := fixture(b)
	base := suites[0].SpecReports
	var specs []report.GinkgoSpec
	for i := range 60 {
		for _, s := range base[1:] {
			s.ContainerHierarchyTexts = []string{fmt.Sprintf("container %d", i)}
			specs = append(specs, s)
		}
	}
	suites[0].SpecReports = append(base[:1:1], specs...)
	b.ResetTimer()
	for b.Loop() {
		r := report.FromGinkgo(suites, report.Options{Root: root})
		if _, err := r.Files(b.TempDir(), report.DefaultNames); err != nil {
			b.Fatal(err)
		}
	}
}
