// The errors suite: every request the server must refuse, and the ARM error it must refuse it with.
package errors_test

import (
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

func TestErrors(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Errors: what the server must refuse, and how")
}

var _ = BeforeSuite(func() { suite.Setup() })
