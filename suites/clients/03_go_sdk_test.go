package clients_test

import (
	"crypto/tls"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/arm"
	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// The Go SDK path the README describes: azcore's ARM pipeline (harness/arm) with the server as the ARM
// endpoint (LISTKEYS_ENDPOINT), a static token, and an HTTP client trusting the server's CA. Live mode: azcore's
// default retry policy, as a real client has.
var _ = Describe("The Go SDK (azcore's ARM pipeline)", Label("clients", "go-sdk"), func() {
	newClient := func(srv *conformanceServer) *arm.Client {
		GinkgoHelper()
		transport := &http.Client{
			Timeout:   clientTimeout,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.Roots, MinVersion: tls.VersionTLS12}},
		}
		cfg := arm.Config{Mode: arm.Live, APIVersion: schemas.DefaultAPIVersion, Cloud: arm.AzurePublic, Endpoint: srv.URL}
		client, err := arm.NewClient(cfg, arm.StaticCredential(emulator.ValidToken), transport)
		Expect(err).NotTo(HaveOccurred())
		return client
	}
	params := func(workspace string) arm.Params {
		return arm.Params{
			SubscriptionID: emulator.DefaultSubscriptionID, ResourceGroup: emulator.DefaultResourceGroup,
			Workspace: workspace, APIVersion: schemas.DefaultAPIVersion,
		}
	}

	It("sends one request that conforms and gets a conformant ListKeysResult", func(ctx SpecContext) {
		srv := startServer("go-sdk-ok", emulator.DefaultConfig())
		ex, err := newClient(srv).ListKeys(ctx, params(emulator.DefaultWorkspace))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Status).To(Equal(http.StatusOK), "body: %s", ex.Body)
		Expect(ex.Attempts).To(Equal(1))

		entries := srv.Requests()
		Expect(entries).To(HaveLen(1))
		Expect(entries[0].Request).To(matchers.BeConformant())
		Expect(entries[0].Response).To(matchers.BeConformant())
		Expect(keyOf(ex.Body)).To(Equal(srv.PrimaryKey(emulator.DefaultWorkspace)))
	}, SpecTimeout(clientTimeout))

	throttled := scenario("throttled-once")
	retryAfter := time.Duration(math.Ceil(emulator.DefaultConfig().RetryAfter.Seconds())) * time.Second
	It(fmt.Sprintf("retries the %d once, after waiting the Retry-After (%s) the server asked for", throttled.Status, retryAfter), func(ctx SpecContext) {
		srv := startServer("go-sdk-throttled-once", emulator.DefaultConfig())
		ex, err := newClient(srv).ListKeys(ctx, params(emulator.ThrottledOnceWorkspace))
		Expect(err).NotTo(HaveOccurred())
		Expect(ex.Status).To(Equal(throttled.Then), "body: %s", ex.Body)
		Expect(ex.Attempts).To(Equal(2))

		entries := srv.Requests()
		Expect(entries).To(HaveLen(2))
		Expect(entries[0].Status).To(Equal(throttled.Status))
		Expect(entries[1].Status).To(Equal(throttled.Then))
		Expect(entries[1].Retry).NotTo(BeNil(), "the server did not take the second request as a retry of the first")
		Expect(entries[1].Retry.WaitedEnough).To(BeTrue(), "waited %.3fs of %.3fs", entries[1].Retry.WaitedSeconds, entries[1].Retry.RequiredSeconds)
		for _, e := range entries {
			Expect(e.Request).To(matchers.BeConformant(), "request #%d", e.Seq)
			Expect(e.Warnings).To(BeEmpty(), "request #%d", e.Seq)
		}
		Expect(entries[1].ClientRequestID).To(Equal(entries[0].ClientRequestID), "a retry repeats x-ms-client-request-id")
	}, SpecTimeout(clientTimeout))
	// Go's transport asks for gzip on its own and unpacks the answer, so the caller sees plain JSON without
	// Content-Encoding: the pipeline never meets the gzip body itself.
	It("asks for gzip by itself and hands on the body unpacked", func(ctx SpecContext) {
		srv := startServer("go-sdk-gzip", emulator.DefaultConfig())
		ex, err := newClient(srv).ListKeys(ctx, params(emulator.DefaultWorkspace))
		Expect(err).NotTo(HaveOccurred())
		Expect(srv.AcceptEncoding()).To(HaveExactElements("gzip"))
		Expect(ex.Header.Get("Content-Encoding")).To(BeEmpty())
		Expect(ex.Body).To(HavePrefix("{"))
		Expect(srv.Requests()[0].Response).To(matchers.BeConformant())
	}, SpecTimeout(clientTimeout))

	// Both shapes the service has answered a workspace with keys disabled in (docs/real-arm.md).
	for _, name := range []string{"keys-disabled", "keys-disabled-empty"} {
		s := scenario(name)
		workspace := strings.TrimPrefix(s.Choice, "workspace ")
		It(fmt.Sprintf("gets the %s answer (%s), which conforms", name, s.Note), func(ctx SpecContext) {
			srv := startServer("go-sdk-"+name, emulator.DefaultConfig())
			ex, err := newClient(srv).ListKeys(ctx, params(workspace))
			Expect(err).NotTo(HaveOccurred())
			Expect(ex.Status).To(Equal(http.StatusOK), "body: %s", ex.Body)
			Expect(apiKeyEnabled(ex.Body)).To(HaveValue(BeFalse()))
			report, err := contract.MustDefault().Validate("", ex.Exchange)
			Expect(err).NotTo(HaveOccurred())
			Expect(report).To(matchers.BeConformant())
		}, SpecTimeout(clientTimeout))
	}
})
