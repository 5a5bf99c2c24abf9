package parameters_test

import (
	"fmt"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/values"
)

// accepts is the outcome "the client accepts the value"; any other outcome is the constraint the refusal
// must name.
const accepts values.Constraint = ""

// verdict is the body of every client table: the documented request with one value replaced, checked by the
// builder (the generated parameters schema, then path safety). A refusal must name the parameter, quote the
// value and name the constraint.
func verdict(param string) func(string, values.Constraint) {
	return func(value string, want values.Constraint) {
		err := builder.Check(documented.With(param, value))
		if want == accepts {
			Expect(err).NotTo(HaveOccurred())
			return
		}
		Expect(rules.Refused(err, param, value, want)).To(Succeed())
	}
}

var _ = Describe("The client, before it sends a request,", Label("parameters", "core"), func() {
	DescribeTable(fmt.Sprintf("checks subscriptionId against the documented format %s (JSON Schema's: 8-4-4-4-12 hexadecimal digits, either case):", rule("subscriptionId").Format),
		verdict("subscriptionId"),
		Entry("accepts lower-case hexadecimal digits", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", accepts),
		Entry("accepts upper-case hexadecimal digits", "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE", accepts),
		Entry("refuses a GUID in braces", "{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee}", values.Format),
		Entry("refuses 32 digits without dashes", "aaaaaaaabbbbccccddddeeeeeeeeeeee", values.Format),
		Entry("refuses 35 characters", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeee", values.Format),
		Entry("refuses 37 characters", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeeee", values.Format),
		Entry("refuses a digit that is not hexadecimal", "gaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", values.Format),
		Entry("refuses an empty value", "", values.Format),
	)

	group := rule("resourceGroupName")
	DescribeTable(fmt.Sprintf("checks resourceGroupName against the documented lengths %d to %d and pattern %s:", group.MinLength, group.MaxLength, group.Pattern),
		verdict("resourceGroupName"),
		Entry("accepts 1 character", "g", accepts),
		Entry("accepts 90 characters", strings.Repeat("g", 90), accepts),
		Entry("refuses 0 characters", "", values.MinLength),
		Entry("refuses 91 characters", strings.Repeat("g", 91), values.MaxLength),
		Entry("accepts '-'", "my-group", accepts),
		Entry("accepts '_'", "my_group", accepts),
		Entry("accepts '.' inside", "my.group", accepts),
		Entry("accepts '('", "my(group", accepts),
		Entry("accepts ')'", "my)group", accepts),
		Entry("refuses a space", "my group", values.Pattern),
		Entry("refuses '/', as unfit for the path", "my/group", values.PathSafety),
		Entry("refuses '#', as unfit for the path", "my#group", values.PathSafety),
		Entry("refuses '%', as unfit for the path", "my%group", values.PathSafety),
		Entry("refuses '?', as unfit for the path", "my?group", values.PathSafety),
	)

	// FACTS §3: ARM allows Unicode letters and refuses a trailing "."; the documented pattern, read by Go's
	// RE2, does the opposite on both.
	DescribeTable("follows the documented pattern where ARM's rules for resourceGroupName differ from it, since the client is generated from the contract (the server side expects what ARM does):",
		verdict("resourceGroupName"),
		Entry("accepts a name ending in '.', which the pattern admits and ARM refuses", "my-group.", accepts),
		Entry("refuses Unicode letters, which ARM allows and the pattern's ASCII \\w does not match", "grüppe", values.Pattern),
	)

	DescribeTable(fmt.Sprintf("checks workspaceName against the documented pattern %s:", rule("workspaceName").Pattern),
		verdict("workspaceName"),
		Entry("accepts a single character", "w", accepts),
		Entry("accepts '--' inside", "my--workspace", accepts),
		Entry("refuses a leading '-'", "-workspace", values.Pattern),
		Entry("refuses a trailing '-'", "workspace-", values.Pattern),
		Entry("refuses '_'", "my_workspace", values.Pattern),
		Entry("refuses '.'", "my.workspace", values.Pattern),
		Entry("refuses Unicode letters", "wörkspace", values.Pattern),
		Entry("refuses an empty value", "", values.Pattern),
	)

	DescribeTable("checks api-version, which the contract documents only as a non-empty string:", verdict("api-version"),
		Entry("accepts the api-version under test", documented.APIVersion, accepts),
		Entry("refuses an empty value", "", values.MinLength),
		Entry("accepts white space, which the contract does not exclude (the server must refuse it)", " ", accepts),
		Entry("accepts a well-formed api-version, since it cannot know which ones the server serves (the server must refuse one it does not: error-unsupported-api-version)", "2000-01-01-preview", accepts),
	)

	// arm.Params has no way to leave a value out, so this one is asked of the contract the builder checks
	// against.
	It("refuses a request without api-version, which the contract requires", func() {
		params := map[string]string{"subscriptionId": documented.SubscriptionID, "resourceGroupName": documented.ResourceGroup, "workspaceName": documented.Workspace}
		Expect(theContract.ValidateParameters(params)).To(ConsistOf(SatisfyAll(
			HaveField("Path", "/request/query/api-version"),
			HaveField("Message", ContainSubstring("required")))))
		params["api-version"] = documented.APIVersion
		Expect(theContract.ValidateParameters(params)).To(BeEmpty())
	})
})
