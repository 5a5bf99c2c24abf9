// The parameters suite: what the client refuses before it sends a request (the generated parameters schema,
// plus path safety), what reaches the wire, how the server answers values the client would refuse when they
// are sent anyway, and the same on values generated from a seed (LISTKEYS_SEED, default 1).
package parameters_test

import (
	"fmt"
	"os"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/arm"
	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/harness/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/harness/suite"
	"github.com/listkeys-conformance/listkeys-conformance/harness/values"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

func TestParameters(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Parameters: what the client refuses, and how the server answers it")
}

// The contract and the rules read from it are needed to build the tree (titles quote the documented
// pattern), so they load with the package; a failure to load fails BeforeSuite with the reason.
var (
	theContract, contractErr = contract.ForAPIVersion(arm.APIVersionUnderTest(os.Getenv))
	rules, rulesErr          = rulesOf(theContract, contractErr)
)

func rulesOf(c *contract.Contract, err error) (*values.Rules, error) {
	if err != nil {
		return nil, err
	}
	return values.FromContract(schemas.FS, c)
}

var (
	runner  *scenarios.Runner
	builder *arm.Builder
)

// documented is the documented example's request: each client spec replaces one of its values.
var documented = arm.Params{
	SubscriptionID: emulator.DefaultSubscriptionID,
	ResourceGroup:  emulator.DefaultResourceGroup,
	Workspace:      emulator.DefaultWorkspace,
	APIVersion:     arm.APIVersionUnderTest(os.Getenv),
}

var _ = BeforeSuite(func() {
	Expect(contractErr).NotTo(HaveOccurred(), "the embedded contract")
	Expect(rulesErr).NotTo(HaveOccurred(), "the parameter rules of the embedded parameters schema")
	var err error
	builder, err = arm.NewBuilder(theContract)
	Expect(err).NotTo(HaveOccurred())
	runner = suite.Setup()
	seed, err := values.SeedFromEnvironment()
	Expect(err).NotTo(HaveOccurred())
	AddReportEntry("seed", fmt.Sprintf("generated values: seed %d (%s; default %d)", seed, values.EnvSeed, values.DefaultSeed), ReportEntryVisibilityFailureOrVerbose)
})

// rule is the named parameter's rule, for titles; it is nil only when the rules did not load, which
// BeforeSuite reports.
func rule(name string) *values.Rule {
	if rules == nil {
		return &values.Rule{Name: name}
	}
	return rules.Rule(name)
}
