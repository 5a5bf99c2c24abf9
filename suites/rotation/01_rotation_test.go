package rotation_test

import (
	"fmt"
	"net/http"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
)

var _ = Describe("Key rotation: list, regenerate Primary, list, regenerate Secondary, list, regenerate both, list", Ordered, Label("rotation"), func() {
	var steps []scenarios.RotationStep

	BeforeAll(func(ctx SpecContext) {
		if reason := runner.RotationSkipReason(); reason != "" {
			Skip(reason)
		}
		AddReportEntry("scenario", scenarios.RotationCassette)
		var err error
		steps, err = runner.RunRotation(ctx)
		Expect(err).NotTo(HaveOccurred(), "harness error: the rotation profile did not run")
		Expect(steps).To(HaveLen(len(scenarios.RotationProfile)))
	})

	It("answers every listKeys 200 with a conformant ListKeysResult", func() {
		AddReportEntry("check", "connection-string.api-key")
		for i, s := range steps {
			if s.Regenerate == nil {
				Expect(s.Status).To(Equal(http.StatusOK), "step %d (listKeys)", i+1)
				Expect(s.Response).To(matchers.BeConformant(), "step %d (listKeys)", i+1)
			}
		}
	})

	It("sends each regenerateKey as the contract documents it: POST with an ApiKeys body", func() {
		AddReportEntry("check", "regenerate.body")
		for i, s := range steps {
			if s.Regenerate != nil {
				Expect(s.Request).To(matchers.BeConformant(), "step %d (regenerate %s)", i+1, strings.Join(s.Regenerate, ", "))
			}
		}
	})

	It("answers every regenerateKey 204 with no body", func() {
		AddReportEntry("check", "regenerate.no-content")
		for i, s := range steps {
			if s.Regenerate != nil {
				Expect(s.Status).To(Equal(http.StatusNoContent), "step %d (regenerate %s): %s", i+1, strings.Join(s.Regenerate, ", "), contract.ErrorCode(s.Body))
				Expect(s.Response).To(matchers.BeConformant(), "step %d", i+1)
			}
		}
	})

	for i, keys := range scenarios.RotationProfile {
		if keys == nil || i+1 >= len(scenarios.RotationProfile) {
			continue
		}
		regenerated := strings.Join(keys, " and ")
		It(fmt.Sprintf("shows, after regenerating %s, a new %s with a later createdAt and the other keys as they were", regenerated, plural(keys)), func() {
			before, after := steps[i-1], steps[i+1]
			problems, notes := scenarios.CompareRotation(before.Body, after.Body, keys)
			for _, n := range notes {
				AddReportEntry("note", n)
			}
			Expect(problems).To(BeEmpty())
		})
	}
})

func plural(keys []string) string {
	if len(keys) == 1 {
		return "key"
	}
	return "pair of keys"
}
