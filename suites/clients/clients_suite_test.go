// The clients suite: real clients — curl, the Azure CLI, the Go SDK — sent against the conformance server
// running in process on a loopback port, with the server's per-request report as the oracle. What a spec
// asserts of a third-party client is what that client is observed to do, so a new version that behaves
// differently shows up here. A client that is not installed is skipped with how to install it (.ci/install
// does, in CI).
package clients_test

import (
	"os"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

func TestClients(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Clients: real clients against the conformance server")
}

// reportRoot holds each server's report files (JSON and JUnit) and CA, one folder per server: removed after a
// passing run, left in place for inspection after a failing one. Nothing is written into the repository.
var reportRoot string

var _ = BeforeSuite(func() {
	dir, err := os.MkdirTemp("", "listkeys-clients-")
	Expect(err).NotTo(HaveOccurred(), "a folder for the server reports")
	reportRoot = dir
	AddReportEntry("server reports", dir)
})

var _ = ReportAfterSuite("remove the server reports of a passing run", func(r Report) {
	if r.SuiteSucceeded && reportRoot != "" {
		os.RemoveAll(reportRoot)
	}
})
