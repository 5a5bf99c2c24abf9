package clients_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
)

// curl is the lowest common denominator: what a user types from the README, nothing added.
var _ = Describe("curl", Label("clients", "curl"), Ordered, ContinueOnFailure, func() {
	var curlPath string
	BeforeAll(func() {
		curlPath = requireTool("curl", "install the Debian package curl (.ci/install does)")
	})

	// curl runs with no configuration file (-q), no proxy, and the server's CA as the only one it trusts.
	curl := func(ctx SpecContext, srv *conformanceServer, args ...string) clientRun {
		GinkgoHelper()
		base := []string{"-q", "--silent", "--show-error", "--noproxy", "*", "--max-time", "30", "--cacert", srv.CAFile, "-X", "POST"}
		return runClient(ctx, clientEnv(), curlPath, append(base, args...)...)
	}
	bearer := "Authorization: Bearer " + emulator.ValidToken

	Describe("POSTing listKeys for "+emulator.DefaultWorkspace+" with a bearer token", Ordered, func() {
		var (
			srv *conformanceServer
			u   string
			run clientRun
		)
		BeforeAll(func(ctx SpecContext) {
			srv = startServer("curl-ok", emulator.DefaultConfig())
			u = srv.ListKeysURL(emulator.DefaultWorkspace)
			run = curl(ctx, srv, "-H", bearer, u)
		})

		It("sends one request that conforms to the documented operation", func() {
			entries := srv.Requests()
			Expect(entries).To(HaveLen(1), "%s", run)
			Expect(entries[0].Request).To(matchers.BeConformant())
			Expect(entries[0].Status).To(Equal(http.StatusOK))
		})

		It("exits 0 and prints the ListKeysResult the server sent, which conforms", func() {
			Expect(run.ExitCode).To(Equal(0), "%s", run)
			Expect(judgePrinted(http.StatusOK, run.Stdout, u)).To(matchers.BeConformant())
			Expect(keyOf(run.Stdout)).To(Equal(srv.PrimaryKey(emulator.DefaultWorkspace)))
		})
	})

	unknown := scenario("unknown-workspace")
	Describe("with --fail-with-body, naming an unknown workspace", Ordered, func() {
		var run clientRun
		BeforeAll(func(ctx SpecContext) {
			srv := startServer("curl-unknown-workspace", emulator.DefaultConfig())
			run = curl(ctx, srv, "--fail-with-body", "-H", bearer, srv.ListKeysURL("nosuchworkspace"))
		})

		It("exits 22 (HTTP error status)", func() {
			Expect(run.ExitCode).To(Equal(22), "%s", run)
		})

		It(fmt.Sprintf("prints the %d body with error.code %s and an error.message", unknown.Status, unknown.Code), func() {
			got := errorIn(run.Stdout)
			Expect(got.Code).To(Equal(unknown.Code))
			Expect(got.Message).To(ContainSubstring("nosuchworkspace"))
		})
	})

	noToken := scenario("no-token")
	Describe("without a token, printing the headers (-i)", Ordered, func() {
		var (
			srv *conformanceServer
			run clientRun
		)
		BeforeAll(func(ctx SpecContext) {
			srv = startServer("curl-no-token", emulator.DefaultConfig())
			run = curl(ctx, srv, "-i", srv.ListKeysURL(emulator.DefaultWorkspace))
		})

		It(fmt.Sprintf("gets %d %s with a WWW-Authenticate Bearer challenge", noToken.Status, noToken.Code), func() {
			Expect(run.ExitCode).To(Equal(0), "%s", run)
			Expect(string(run.Stdout)).To(MatchRegexp(`^HTTP/[0-9.]+ %d`, noToken.Status))
			// HTTP/2 sends header names in lower case.
			Expect(string(run.Stdout)).To(MatchRegexp(`(?im)^www-authenticate: Bearer authorization_uri="`))
			Expect(errorIn(run.Stdout).Code).To(Equal(noToken.Code))
		})

		It("is recorded as a request without Authorization, answered conformantly", func() {
			entries := srv.Requests()
			Expect(entries).To(HaveLen(1), "%s", run)
			Expect(entries[0].Failed).To(ConsistOf("request.authorization"))
			Expect(entries[0].Response).To(matchers.BeConformant())
		})
	})
	// The service gzips its answer when the client accepts gzip, chunked over HTTP/1.1 (docs/real-arm.md).
	Describe("with --compressed over HTTP/1.1", Ordered, func() {
		var (
			srv     *conformanceServer
			u       string
			run     clientRun
			headers []byte
		)
		BeforeAll(func(ctx SpecContext) {
			srv = startServer("curl-compressed", emulator.DefaultConfig())
			u = srv.ListKeysURL(emulator.DefaultWorkspace)
			headerFile := filepath.Join(GinkgoT().TempDir(), "headers")
			run = curl(ctx, srv, "--compressed", "--http1.1", "-D", headerFile, "-H", bearer, u)
			var err error
			headers, err = os.ReadFile(headerFile)
			Expect(err).NotTo(HaveOccurred(), "%s", run)
		})

		It("asks for gzip and gets the body gzip-encoded and chunked", func() {
			Expect(srv.AcceptEncoding()).To(HaveExactElements(ContainSubstring("gzip")))
			Expect(string(headers)).To(MatchRegexp(`(?im)^content-encoding: gzip\r?$`))
			Expect(string(headers)).To(MatchRegexp(`(?im)^transfer-encoding: chunked\r?$`))
			Expect(string(headers)).NotTo(MatchRegexp(`(?im)^content-length:`))
		})

		It("unpacks it and prints the ListKeysResult, which conforms", func() {
			Expect(run.ExitCode).To(Equal(0), "%s", run)
			Expect(judgePrinted(http.StatusOK, run.Stdout, u)).To(matchers.BeConformant())
			Expect(keyOf(run.Stdout)).To(Equal(srv.PrimaryKey(emulator.DefaultWorkspace)))
		})
	})

	Describe("sending Accept-Encoding: gzip itself, without --compressed", Ordered, func() {
		var run clientRun
		BeforeAll(func(ctx SpecContext) {
			srv := startServer("curl-gzip-by-hand", emulator.DefaultConfig())
			run = curl(ctx, srv, "-H", "Accept-Encoding: gzip", "-H", bearer, srv.ListKeysURL(emulator.DefaultWorkspace))
		})

		It("prints the gzip bytes as they came: curl unpacks only what --compressed asked for", func() {
			Expect(run.ExitCode).To(Equal(0), "%s", run)
			Expect(run.Stdout).To(HavePrefix("\x1f\x8b"), "gzip's magic number")
		})
	})

	// Without --compressed curl asks for no encoding and gets the body as it is.
	It("without --compressed, asks for no encoding", func(ctx SpecContext) {
		srv := startServer("curl-identity", emulator.DefaultConfig())
		run := curl(ctx, srv, "-H", bearer, srv.ListKeysURL(emulator.DefaultWorkspace))
		Expect(run.ExitCode).To(Equal(0), "%s", run)
		Expect(srv.AcceptEncoding()).To(HaveExactElements(""))
		Expect(run.Stdout).To(HavePrefix("{"))
	})

	// Both shapes the service has answered a workspace with keys disabled in (docs/real-arm.md).
	for _, name := range []string{"keys-disabled", "keys-disabled-empty"} {
		s := scenario(name)
		workspace := strings.TrimPrefix(s.Choice, "workspace ")
		It(fmt.Sprintf("prints the %s answer (%s), which conforms", name, s.Note), func(ctx SpecContext) {
			srv := startServer("curl-"+name, emulator.DefaultConfig())
			u := srv.ListKeysURL(workspace)
			run := curl(ctx, srv, "--compressed", "-H", bearer, u)
			Expect(run.ExitCode).To(Equal(0), "%s", run)
			Expect(judgePrinted(http.StatusOK, run.Stdout, u)).To(matchers.BeConformant())
			Expect(apiKeyEnabled(run.Stdout)).To(HaveValue(BeFalse()))
			if name == "keys-disabled-empty" {
				Expect(string(run.Stdout)).To(Equal(`{"apiKeyEnabled":false,"primaryConnectionString":"","secondaryConnectionString":""}`))
			} else {
				Expect(keyOf(run.Stdout)).To(Equal(srv.PrimaryKey(workspace)))
			}
		})
	}
})
