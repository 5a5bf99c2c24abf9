package contract_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	. "github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
)

var _ = Describe("createdAt", Label("core"), func() {
	withCreatedAt := func(value string) []byte {
		return examples.Mutate(examples.Realistic, examples.Set("/primaryKey/createdAt", value))
	}

	DescribeTable("is an RFC 3339 date-time",
		func(value string) {
			Expect(validate("ListKeysResult", withCreatedAt(value))).To(BeStrictlyConformant())
		},
		Entry("as documented, with microseconds and Z", "2023-11-13T23:06:09.147165Z"),
		Entry("with a lowercase t and z (RFC 3339 §5.6 NOTE)", "2023-11-13t23:06:09z"),
		Entry("with seven fractional digits, as .NET writes them", "2023-11-13T23:06:09.1471650Z"),
		Entry("with a leap second at 23:59:60 UTC", "2016-12-31T23:59:60Z"),
		Entry("with a numeric offset", "2023-11-13T23:06:09+05:30"),
		Entry("with the unknown-local-offset -00:00", "2023-11-13T23:06:09-00:00"),
		Entry("on 29 February of a leap year", "2024-02-29T00:00:00Z"),
	)

	DescribeTable("is not a date-time",
		func(value string) {
			Expect(validate("ListKeysResult", withCreatedAt(value))).To(HaveViolation("schema.format", "/primaryKey/createdAt"))
		},
		Entry("when it is a date only", "2024-03-01"),
		Entry("when it is a time only", "12:34:56"),
		Entry("when it has no offset", "2024-03-01T12:34:56"),
		Entry("when a space separates date and time", "2024-03-01 12:34:56Z"),
		Entry("when a comma starts the fraction", "2024-03-01T12:34:56,5Z"),
		Entry("when the fraction has no digits", "2024-03-01T12:34:56.Z"),
		Entry("when the offset is +24:00", "2024-03-01T12:34:56+24:00"),
		Entry("when the offset has no colon", "2024-03-01T12:34:56+0530"),
		Entry("on 30 February", "2024-02-30T00:00:00Z"),
		Entry("on 29 February of a common year", "2023-02-29T00:00:00Z"),
		Entry("at hour 24", "2024-03-01T24:00:00Z"),
		Entry("with second 60 away from 23:59 UTC", "2024-03-01T12:34:60Z"),
		Entry("in month 13", "2024-13-01T00:00:00Z"),
		Entry("when empty", ""),
	)
})
