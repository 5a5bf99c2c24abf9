package clients_test

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"path/filepath"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/internal/clientrun"
)

// azRestCommand is the az rest adapter, as the README gives it: the token in a header of its own (there is
// no login to take one from). The CA comes from REQUESTS_CA_BUNDLE, which the runner sets.
var azRestCommand = []string{"az", "rest", "--method", "post", "--url", "{url}",
	"--headers", "Authorization=Bearer {token}", "--skip-authorization-header", "--output", "json"}

// The Azure CLI runs offline: a scratch configuration folder (no login, no subscription), no telemetry,
// colour, survey or extension installs, and every proxy setting pointing at an offlineProxy so nothing it
// tries beyond loopback leaves the machine.
var proxy *offlineProxy

var _ = describeClient("The Azure CLI (az rest)", "azure-cli", func(ctx SpecContext) adapter {
	az := requireTool("az", "the Azure CLI is not installed here; install the Debian package azure-cli (.ci/install does in CI)")
	proxy = startOfflineProxy()
	env := clientEnv(append(proxy.Env(),
		"AZURE_CONFIG_DIR="+filepath.Join(GinkgoT().TempDir(), "azure-cli-config"),
		"AZURE_CORE_COLLECT_TELEMETRY=false",
		"AZURE_CORE_NO_COLOR=true",
		"AZURE_CORE_SURVEY_MESSAGE=false",
		"AZURE_EXTENSION_USE_DYNAMIC_INSTALL=no",
	)...)
	// The first run in a fresh configuration folder checks connectivity before it would look up the latest
	// version; the offline proxy refuses it and az caches that it found nothing, so later runs reach for nothing.
	cmd := exec.CommandContext(ctx, az, "version", "--output", "json")
	cmd.Env = env
	out, err := cmd.Output()
	Expect(err).NotTo(HaveOccurred(), "az version")
	var versions map[string]any
	Expect(json.Unmarshal(bytes.TrimSpace(out), &versions)).To(Succeed(), "az version --output json:\n%s", out)
	AddReportEntry("azure-cli", versions["azure-cli"])
	AddReportEntry("azure-cli's first run reached for (refused by the offline proxy)", proxy.Attempts())
	return adapter{command: azRestCommand, env: env}
}, func(result func() *clientrun.Result) {
	It("asks for gzip (its requests session does) and unpacks the answer", func() {
		run := runOf(result(), "ok")
		Expect(askedGzip(run)).To(BeTrue(), details(run))
	})
	It("exits 1 on an error and writes the error.code and message to stderr, nothing to stdout", func() {
		run := runOf(result(), "unknown-workspace")
		Expect(run.ExitCode).To(Equal(1), details(run))
		Expect(run.Stdout).To(BeEmpty(), details(run))
		Expect(string(run.Stderr)).To(ContainSubstring("ResourceNotFound"), details(run))
	})
	// Observed of azure-cli 2.45: az rest sends through a plain requests session, without a retry policy.
	It("does not retry the 429: one request, exit 1, SubscriptionRequestsThrottled on stderr", func() {
		run := runOf(result(), "throttled-once")
		Expect(run.Requests).To(HaveLen(1), details(run))
		Expect(run.ExitCode).To(Equal(1), details(run))
		Expect(run.Outcome()).To(HavePrefix("failed naming the cause"), details(run))
	})
	It("reaches no host beyond loopback once its first run is over", func() {
		Expect(proxy.Attempts()).To(BeEmpty(), "az tried to reach these through the (offline) proxy")
	})
})
