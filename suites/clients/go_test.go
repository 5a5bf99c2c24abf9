package clients_test

import (
	"fmt"
	"os/exec"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/internal/clientrun"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

// The Go adapter: testdata/goclient, a small program over azcore's pipeline (default retry policy, bearer
// token policy), built by the suite. It trusts the CA through SSL_CERT_FILE, which the runner sets.
var _ = describeClient("Go over azcore (testdata/goclient)", "go-sdk", func(ctx SpecContext) adapter {
	bin := filepath.Join(GinkgoT().TempDir(), "goclient")
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "./testdata/goclient").CombinedOutput()
	if err != nil {
		suite.HarnessError(fmt.Errorf("building testdata/goclient: %v\n%s", err, out))
	}
	return adapter{command: []string{bin, "{url}", "{token}"}, env: clientEnv()}
}, func(result func() *clientrun.Result) {
	It("retries the 429 after waiting Retry-After, and succeeds", func() {
		run := runOf(result(), "throttled-once")
		Expect(run.Outcome()).To(Equal("retried and succeeded"), details(run))
		Expect(run.Requests).To(HaveLen(2), details(run))
		Expect(run.Requests[1].Retry).NotTo(BeNil(), details(run))
		Expect(run.Requests[1].Retry.WaitedEnough).To(BeTrue(), details(run))
	})
	It("gives up on an always-throttled workspace after azcore's default 3 retries", func() {
		run := runOf(result(), "throttled")
		Expect(run.Requests).To(HaveLen(4), details(run))
		Expect(run.ExitCode).To(Equal(1), details(run))
	})
	It("sends a 404 once", func() {
		run := runOf(result(), "unknown-workspace")
		Expect(run.Requests).To(HaveLen(1), details(run))
	})
})
