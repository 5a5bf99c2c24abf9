// The parameters suite: how the server answers parameter values outside the contract or ARM's rules, sent past
// the client's checks — one row of the catalogue each, and values generated from a seed (LISTKEYS_SEED,
// default 1). What the suite's own client refuses before sending, and what it puts on the wire, are
// internal/arm's unit tests: they test this project's code, not the service.
package parameters_test

import (
	"fmt"
	"os"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
	"github.com/listkeys-conformance/listkeys-conformance/internal/values"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

func TestParameters(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Parameters: how the server answers values outside the contract")
}

// The contract and the rules read from it load with the package; a failure to load fails BeforeSuite with the
// reason.
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

var runner *scenarios.Runner

var _ = BeforeSuite(func() {
	for _, err := range []error{contractErr, rulesErr} {
		if err != nil {
			suite.HarnessError(fmt.Errorf("the embedded contract and its parameter rules: %w", err))
		}
	}
	runner = suite.Setup()
	seed, err := values.SeedFromEnvironment()
	if err != nil {
		suite.HarnessError(err)
	}
	AddReportEntry("seed", fmt.Sprintf("generated values: seed %d (%s; default %d)", seed, values.EnvSeed, values.DefaultSeed), ReportEntryVisibilityFailureOrVerbose)
})
