package clients_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
)

// azureCLI is the Azure CLI set up to run offline: a scratch configuration folder (no login, no
// subscription), no telemetry, no colour or survey, no extension installs, and every proxy setting pointing
// at an offlineProxy so nothing it tries beyond loopback leaves the machine.
type azureCLI struct {
	path    string
	version string
	env     []string
	proxy   *offlineProxy
}

func setUpAzureCLI(ctx SpecContext) *azureCLI {
	GinkgoHelper()
	az := &azureCLI{path: requireTool("az", "install the Debian package azure-cli (.ci/install does)"), proxy: startOfflineProxy()}
	az.env = clientEnv(append(az.proxy.Env(),
		"AZURE_CONFIG_DIR="+filepath.Join(reportRoot, "azure-cli-config"),
		"AZURE_CORE_COLLECT_TELEMETRY=false",
		"AZURE_CORE_NO_COLOR=true",
		"AZURE_CORE_SURVEY_MESSAGE=false",
		"AZURE_EXTENSION_USE_DYNAMIC_INSTALL=no",
	)...)

	// The first run in a fresh configuration folder checks connectivity (HEAD https://azure.microsoft.com)
	// before it would look up the latest version on GitHub; the offline proxy refuses it and az carries on,
	// caching that it found nothing. Later runs read the cache, so the specs' runs reach for nothing.
	run := runClient(ctx, az.env, az.path, "version", "--output", "json")
	Expect(run.ExitCode).To(Equal(0), "%s", run)
	var versions map[string]any
	Expect(json.Unmarshal(run.Stdout, &versions)).To(Succeed(), "az version --output json:\n%s", run)
	az.version, _ = versions["azure-cli"].(string)
	AddReportEntry("azure-cli", az.version)
	AddReportEntry("azure-cli's first run reached for (refused by the offline proxy)", az.proxy.Attempts())
	return az
}

// rest runs `az rest` to POST to u with the emulator's token in a header of its own (there is no login to
// take a token from), trusting srv's CA.
func (az *azureCLI) rest(ctx SpecContext, srv *conformanceServer, u string) clientRun {
	GinkgoHelper()
	env := append(append([]string(nil), az.env...), "REQUESTS_CA_BUNDLE="+srv.CAFile)
	return runClient(ctx, env, az.path, "rest", "--method", "post", "--url", u,
		"--headers", "Authorization=Bearer "+emulator.ValidToken, "--skip-authorization-header", "--output", "json")
}

var _ = Describe("The Azure CLI (az rest)", Label("clients", "azure-cli"), Ordered, ContinueOnFailure, func() {
	var az *azureCLI
	BeforeAll(func(ctx SpecContext) { az = setUpAzureCLI(ctx) })

	Describe("listing the keys of "+emulator.DefaultWorkspace+" with a bearer header", Ordered, func() {
		var (
			srv *conformanceServer
			u   string
			run clientRun
		)
		BeforeAll(func(ctx SpecContext) {
			srv = startServer("azure-cli-ok", emulator.DefaultConfig())
			u = srv.ListKeysURL(emulator.DefaultWorkspace)
			run = az.rest(ctx, srv, u)
		})

		It("sends one request that conforms to the documented operation", func() {
			entries := srv.Requests()
			Expect(entries).To(HaveLen(1), "%s", run)
			Expect(entries[0].Request).To(matchers.BeConformant())
			Expect(entries[0].Status).To(Equal(http.StatusOK))
			AddReportEntry("az's request: warnings", entries[0].Warnings)
		})

		It("exits 0 and prints the ListKeysResult the server sent, which conforms", func() {
			Expect(run.ExitCode).To(Equal(0), "%s", run)
			Expect(judgePrinted(http.StatusOK, run.Stdout, u)).To(matchers.BeConformant())
			Expect(keyOf(run.Stdout)).To(Equal(srv.PrimaryKey(emulator.DefaultWorkspace)))
		})

		// Its requests session accepts gzip, so the answer above came gzip-encoded and az unpacked it.
		It("asks for gzip, so it got the body gzip-encoded and unpacked it", func() {
			Expect(srv.AcceptEncoding()).To(HaveExactElements(ContainSubstring("gzip")))
		})
	})

	// Both shapes the service has answered a workspace with keys disabled in (docs/real-arm.md).
	for _, name := range []string{"keys-disabled", "keys-disabled-empty"} {
		s := scenario(name)
		workspace := strings.TrimPrefix(s.Choice, "workspace ")
		It(fmt.Sprintf("exits 0 and prints the %s answer (%s), which conforms", name, s.Note), func(ctx SpecContext) {
			srv := startServer("azure-cli-"+name, emulator.DefaultConfig())
			u := srv.ListKeysURL(workspace)
			run := az.rest(ctx, srv, u)
			Expect(run.ExitCode).To(Equal(0), "%s", run)
			Expect(judgePrinted(http.StatusOK, run.Stdout, u)).To(matchers.BeConformant())
			Expect(apiKeyEnabled(run.Stdout)).To(HaveValue(BeFalse()))
		})
	}

	unknown := scenario("unknown-workspace")
	Describe("naming an unknown workspace", Ordered, func() {
		var (
			srv *conformanceServer
			run clientRun
		)
		BeforeAll(func(ctx SpecContext) {
			srv = startServer("azure-cli-unknown-workspace", emulator.DefaultConfig())
			run = az.rest(ctx, srv, srv.ListKeysURL("nosuchworkspace"))
		})

		It(fmt.Sprintf("exits 1 and writes error.code %s and the error.message to stderr", unknown.Code), func() {
			Expect(run.ExitCode).To(Equal(1), "%s", run)
			Expect(run.Stdout).To(BeEmpty())
			got := errorIn(run.Stderr)
			Expect(got.Code).To(Equal(unknown.Code))
			Expect(got.Message).To(ContainSubstring("nosuchworkspace"))
		})

		It(fmt.Sprintf("sends the request once, conformant, and does not repeat it after the %d", unknown.Status), func() {
			entries := srv.Requests()
			Expect(entries).To(HaveLen(1), "%s", run)
			Expect(entries[0].Request).To(matchers.BeConformant())
			Expect(entries[0].Status).To(Equal(unknown.Status))
		})
	})

	throttled := scenario("throttled-once")
	retryAfter := int(math.Ceil(emulator.DefaultConfig().RetryAfter.Seconds()))
	Describe(fmt.Sprintf("throttled once (%d with Retry-After: %d)", throttled.Status, retryAfter), Ordered, func() {
		var (
			srv *conformanceServer
			run clientRun
		)
		BeforeAll(func(ctx SpecContext) {
			srv = startServer("azure-cli-throttled-once", emulator.DefaultConfig())
			run = az.rest(ctx, srv, srv.ListKeysURL(emulator.ThrottledOnceWorkspace))
		})

		// Observed of azure-cli 2.45: `az rest` sends through a plain requests session, without a retry policy.
		It(fmt.Sprintf("does not retry the %d: it sends one request and exits 1 with error.code %s on stderr",
			throttled.Status, throttled.Code), func() {
			AddReportEntry("azure-cli", az.version)
			entries := srv.Requests()
			Expect(entries).To(HaveLen(1), "az sent %d request(s); report: %+v\n%s", len(entries), entries, run)
			Expect(entries[0].Status).To(Equal(throttled.Status))
			Expect(entries[0].Request).To(matchers.BeConformant())
			Expect(run.ExitCode).To(Equal(1), "%s", run)
			Expect(errorIn(run.Stderr).Code).To(Equal(throttled.Code))
		})
	})

	It("reaches no host beyond loopback once its first run is over", func() {
		Expect(az.proxy.Attempts()).To(BeEmpty(), "az tried to reach these through the (offline) proxy")
	})
})
