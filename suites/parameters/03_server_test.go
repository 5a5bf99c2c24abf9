package parameters_test

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

// Each row of the catalogue's parameter table becomes one container: the expected answers are data there,
// with the reason for each decision.
var _ = Describe("The server, sent a parameter value outside the contract or ARM's rules past the client's checks,", Label("parameters"), func() {
	for _, s := range scenarios.InvalidParameters {
		suite.Refusal(s)
	}
})
