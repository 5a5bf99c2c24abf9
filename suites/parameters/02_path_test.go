package parameters_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/suite"
	"github.com/listkeys-conformance/listkeys-conformance/harness/values"
)

// Path safety is the builder's own rule, beyond the schema: the documented resource-group pattern admits
// "..", and a pattern says nothing of how a value travels. Each value is tried in every path parameter.
var _ = Describe("The client, before it sends a request,", Label("parameters", "core"), suite.Checks(contract.RequestPathSafe), func() {
	DescribeTable("refuses a path value that would change the request path, or that a hop may split, cut, decode again or refuse:",
		func(value string) {
			for _, param := range []string{"subscriptionId", "resourceGroupName", "workspaceName"} {
				err := builder.Check(documented.With(param, value))
				Expect(rules.Refused(err, param, value, values.PathSafety)).To(Succeed(), "in %s", param)
			}
		},
		Entry("'/'", "a/b"),
		Entry("the dot segment '..'", ".."),
		Entry("the dot segment '.'", "."),
		Entry("'%2F', an escaped '/'", "a%2Fb"),
		Entry("'?'", "a?b"),
		Entry("'#'", "a#b"),
		Entry(`'\'`, `a\b`),
		Entry("CR LF", "a\r\nb"),
		Entry("LF", "a\nb"),
		Entry("NUL", "a\x00b"),
		Entry("a C0 control character (ESC)", "a\x1bb"),
		Entry("DEL", "a\x7fb"),
		Entry("a C1 control character (NEL)", "a\u0085b"),
	)
})

// arm's unit tests prove by construction that the URL it builds keeps each value in its segment; this spec
// follows the same generated values through azcore's pipeline and Go's HTTP client to a server on loopback,
// and reads the request target it received.
var _ = Describe("What the client sends", Label("parameters", "core"), func() {
	It("is the documented path template with each value, valid or not, escaped into its own segment, and api-version alone in the query", func(ctx SpecContext) {
		gen := generator(documented)
		invalid, err := gen.Invalid(300)
		Expect(err).NotTo(HaveOccurred())
		valid, err := gen.Valid(100)
		Expect(err).NotTo(HaveOccurred())

		l := values.NewLoopback()
		DeferCleanup(l.Close)
		arrives, err := l.ArrivesAsDocumented(ctx, theContract)
		Expect(err).NotTo(HaveOccurred())
		holds(gen.Seed, values.Falsify(append(valid, invalid...), arrives, 200))
	})
})
