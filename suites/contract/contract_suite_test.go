// The contract suite: the documented definitions, checked on the documented example and on a table of
// mutations of it. It needs no network and no recording; it runs in every mode.
package contract_test

import (
	"fmt"
	"net/url"
	"os"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

func TestContract(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Contract: the documented definitions")
}

var c *contract.Contract

var _ = BeforeSuite(func() {
	var err error
	if c, err = contract.ForAPIVersion(arm.APIVersionUnderTest(os.Getenv)); err != nil {
		suite.HarnessError(fmt.Errorf("the embedded schemas of the api-version under test: %w", err))
	}
})

// validate checks a body as a response to the documented sample request.
func validate(definition string, body []byte) contract.Report {
	GinkgoHelper()
	u, err := url.Parse(examples.RequestURL)
	Expect(err).NotTo(HaveOccurred())
	report, err := c.Validate(definition, contract.Exchange{Body: body, Request: &contract.Request{Method: "POST", URL: u}})
	Expect(err).NotTo(HaveOccurred(), "the body must be usable JSON")
	return report
}
