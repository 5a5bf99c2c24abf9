package errors_test

import (
	. "github.com/onsi/ginkgo/v2"

	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

// Each row of the catalogue's error table becomes one container: the expectations are data there.
var _ = Describe("The server", Label("errors"), func() {
	for _, s := range scenarios.Errors {
		suite.Refusal(s)
	}
})
