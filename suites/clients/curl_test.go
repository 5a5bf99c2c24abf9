package clients_test

import (
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/internal/clientrun"
)

// curlCommand is the curl adapter, as the README gives it: no configuration file (-q), no proxy, an HTTP
// error status is exit 22 with the body printed, gzip asked for and unpacked. The CA comes from
// CURL_CA_BUNDLE, which the runner sets.
var curlCommand = []string{"curl", "-q", "--silent", "--show-error", "--noproxy", "*", "--fail-with-body", "--compressed",
	"-X", "POST", "-H", "Authorization: Bearer {token}", "{url}"}

var _ = describeClient("curl", "curl", func(SpecContext) adapter {
	requireTool("curl", "install the Debian package curl (.ci/install does)")
	return adapter{command: curlCommand, env: clientEnv()}
}, func(result func() *clientrun.Result) {
	It("asks for gzip (--compressed), gets the answer gzip-encoded and chunked, and prints it unpacked", func() {
		run := runOf(result(), "ok")
		Expect(askedGzip(run)).To(BeTrue(), details(run))
		Expect(run.Stdout).To(HavePrefix("{"), details(run))
	})
	It("prints the keys-disabled answer of 2024 as it came", func() {
		run := runOf(result(), "keys-disabled-empty")
		Expect(string(run.Stdout)).To(Equal(`{"apiKeyEnabled":false,"primaryConnectionString":"","secondaryConnectionString":""}`), details(run))
	})
	It("exits 22 on an error status and prints the ARM error body (--fail-with-body)", func() {
		run := runOf(result(), "unknown-workspace")
		Expect(run.ExitCode).To(Equal(22), details(run))
		Expect(string(run.Stdout)).To(ContainSubstring(`"code":"ResourceNotFound"`), details(run))
	})
	It("does not retry a 429 without --retry: it fails naming the cause after one request", func() {
		run := runOf(result(), "throttled-once")
		Expect(run.Requests).To(HaveLen(1), details(run))
		Expect(run.Outcome()).To(HavePrefix("failed naming the cause"), details(run))
	})
})
