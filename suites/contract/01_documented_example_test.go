package contract_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	. "github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
)

var _ = Describe("The documented example", Label("core"), func() {
	It("conforms strictly to ListKeysResult, its placeholders noted as not checked", func() {
		report := validate("ListKeysResult", examples.Documented)
		Expect(report).To(BeStrictlyConformant())
		Expect(report.Notes).To(ContainElement(ContainSubstring("/primaryConnectionString is a placeholder")))
	})

	It("has a realistic counterpart whose cross-field rules all hold", func() {
		report := validate("ListKeysResult", examples.Realistic)
		Expect(report).To(BeStrictlyConformant())
		Expect(report.Notes).NotTo(ContainElement(ContainSubstring("connection-string")), "every connection-string rule must have run")
	})

	It("has an ErrorResponse counterpart with every member, which conforms", func() {
		Expect(validate("ErrorResponse", examples.Error)).To(BeStrictlyConformant())
	})
})
