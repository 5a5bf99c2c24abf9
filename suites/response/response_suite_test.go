// The response suite: the documented call on the workspace under test, and what its 200 must hold.
package response_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

func TestResponse(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Response: the keys of the workspace under test")
}

var _ = BeforeSuite(func() { suite.Setup() })
