package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

func init() {
	register("serve", "serve the emulator (or proxy an upstream) and judge every request a client sends", runServe)
}

// shutdownGrace bounds how long the requests in flight may take to finish once a stop is asked for.
const shutdownGrace = 10 * time.Second

// selfSignedValidity is long enough for any run; the CA's key lives only in the process.
const selfSignedValidity = 30 * 24 * time.Hour

const serveUsage = "[--addr HOST:PORT] [--tls-self-signed CA_OUT | --tls-cert FILE --tls-key FILE] [--upstream URL] [--token TOKEN]... [--report-dir DIR] [--strict] [--history N] [--read-timeout D] [--idle-timeout D] [--upstream-header-timeout D] [--upstream-timeout D] [--list-scenarios]"

type serveOptions struct {
	addr          string
	caOut         string
	certFile      string
	keyFile       string
	upstream      *url.URL
	tokens        []string
	reportDir     string
	strict        bool
	listScenarios bool
	limits        server.Config // History and the timeouts
}

func runServe(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal the default handling comes back: a second Ctrl-C ends a slow shutdown at once.
	context.AfterFunc(ctx, stop)
	return serve(ctx, args, stdout, stderr)
}

// serve runs the conformance server until ctx is done, then writes the reports. The first line on stdout is
// "listening on URL", written once the server accepts connections (and the CA file, if any, is written).
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	stderr = &lockedWriter{w: stderr}
	opts, code, ok := parseServeFlags(args, stdout, stderr)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int { return errorf(stderr, "serve", exitUsage, format, a...) }
	failRuntime := func(format string, a ...any) int { return errorf(stderr, "serve", exitRuntime, format, a...) }
	if opts.listScenarios {
		printScenarios(stdout)
		return exitOK
	}

	tuneGC()
	cfg := opts.limits
	cfg.Strict, cfg.Log, cfg.Upstream = opts.strict, stderr, opts.upstream
	if opts.upstream == nil {
		ecfg := emulator.DefaultConfig()
		for _, t := range opts.tokens {
			ecfg.Tokens[t] = emulator.Valid
		}
		cfg.Emulator = &ecfg
	}
	scheme, caPEM := "http", []byte(nil)
	switch {
	case opts.caOut != "":
		tlsCfg, ca, err := server.SelfSignedTLS(certHosts(opts.addr), selfSignedValidity)
		if err != nil {
			return failRuntime("--tls-self-signed: %v", err)
		}
		cfg.TLS, scheme, caPEM = tlsCfg, "https", ca
	case opts.certFile != "":
		cert, err := tls.LoadX509KeyPair(opts.certFile, opts.keyFile)
		if err != nil {
			return fail("--tls-cert/--tls-key: %v", err)
		}
		cfg.TLS, scheme = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}, "https"
	}
	srv, err := server.New(cfg)
	if err != nil {
		return fail("%v", err)
	}
	if err := os.MkdirAll(opts.reportDir, 0o755); err != nil {
		return failRuntime("--report-dir: %v", err)
	}
	l, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return failRuntime("--addr %s: %v", opts.addr, err)
	}
	defer l.Close()
	if caPEM != nil {
		if err := os.WriteFile(opts.caOut, caPEM, 0o644); err != nil {
			return failRuntime("--tls-self-signed: writing the CA: %v", err)
		}
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(l) }()
	fmt.Fprintf(stdout, "listening on %s://%s\n", scheme, l.Addr())
	describeBackend(stderr, opts)

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "listkeys-conformance serve: stopping: %v (requests still in flight are left out of the report)\n", err)
	}
	report := srv.Report()
	paths, err := report.WriteFiles(opts.reportDir)
	if err != nil {
		return failRuntime("%v", err)
	}
	if serveErr != nil {
		return failRuntime("serving stopped: %v (reports written to %s)", serveErr, strings.Join(paths, ", "))
	}
	verdict := fmt.Sprintf("%d %s judged, from %d %s: ", report.Total, plural(report.Total, "request"), len(report.Clients), plural(len(report.Clients), "client"))
	switch {
	case report.Total == 0:
		verdict = "0 requests judged: no client sent one, so nothing was checked"
	case !report.Conformant:
		verdict += fmt.Sprintf("%d not conformant", report.NonConformant)
	default:
		verdict += "every request conformed"
	}
	fmt.Fprintf(stderr, "serve: %s; reports: %s\n", verdict, strings.Join(paths, ", "))
	if !report.Conformant {
		return exitViolations
	}
	return exitOK
}

// serveGCPercent and serveMemoryLimit are the collector's settings for serve, unless GOGC or GOMEMLIMIT
// say otherwise. A judged request allocates some 40 KB that is garbage at once and the live heap is a few
// MB, so the default (collect when the heap doubles) collects hundreds of times a second under load; the
// memory limit keeps a hostile peer's 10 MB bodies from growing the heap by the same factor.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 256 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}

// parseServeFlags reads and cross-checks the flags. On failure it has said why in one line; code is the
// exit code then.
func parseServeFlags(args []string, stdout, stderr io.Writer) (opts serveOptions, code int, ok bool) {
	fs := newFlagSet("serve", stdout, stderr, serveUsage)
	defaultReports := os.Getenv("LISTKEYS_REPORT_DIR")
	if defaultReports == "" {
		defaultReports = "reports"
	}
	fs.StringVar(&opts.addr, "addr", "127.0.0.1:8443", "listen on this address (port 0 picks a free one)")
	fs.StringVar(&opts.caOut, "tls-self-signed", "", "serve HTTPS with a throwaway CA and write the CA certificate (PEM) to this file, for the client to trust")
	fs.StringVar(&opts.certFile, "tls-cert", "", "serve HTTPS with this certificate (PEM; with --tls-key)")
	fs.StringVar(&opts.keyFile, "tls-key", "", "the private key of --tls-cert (PEM)")
	upstream := fs.String("upstream", "", "be a validating proxy to this base URL (e.g. https://management.azure.com) instead of serving the emulator")
	fs.Func("token", "accept this bearer token as valid, besides "+emulator.ValidToken+" (repeatable; emulator only)", func(v string) error {
		if v == "" || strings.ContainsAny(v, " \t\r\n") {
			return errors.New("a token is a non-empty string without white space")
		}
		opts.tokens = append(opts.tokens, v)
		return nil
	})
	fs.StringVar(&opts.reportDir, "report-dir", defaultReports, "write "+server.JSONFile+" (report format v1), serve-report.html, serve-report.md and "+server.JUnitFile+" here on shutdown ($LISTKEYS_REPORT_DIR sets the default)")
	fs.BoolVar(&opts.strict, "strict", false, "fail requests on SHOULD violations too")
	fs.IntVar(&opts.limits.History, "history", server.DefaultHistory, "list this many of the last requests in the report (every request is counted)")
	fs.DurationVar(&opts.limits.ReadTimeout, "read-timeout", server.DefaultReadTimeout, "how long a client may take to send one request, body included")
	fs.DurationVar(&opts.limits.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, "how long a keep-alive connection may wait for its next request")
	fs.DurationVar(&opts.limits.UpstreamHeaderTimeout, "upstream-header-timeout", server.DefaultUpstreamHeaderTimeout, "with --upstream: how long to wait for the upstream's status and headers (then 504)")
	fs.DurationVar(&opts.limits.UpstreamTimeout, "upstream-timeout", server.DefaultUpstreamTimeout, "with --upstream: how long the whole upstream exchange may take, body included (then 504)")
	fs.BoolVar(&opts.listScenarios, "list-scenarios", false, "print the emulator's scenarios (how a client picks each behaviour) and exit")

	fail := func(format string, a ...any) (serveOptions, int, bool) {
		return opts, fs.usageError(format, a...), false
	}
	if code, ok := fs.parse(args); !ok {
		return opts, code, false
	}
	switch {
	case fs.NArg() > 0:
		return fail("takes no arguments (got %q)", fs.Arg(0))
	case opts.caOut != "" && (opts.certFile != "" || opts.keyFile != ""):
		return fail("give --tls-self-signed or --tls-cert/--tls-key, not both")
	case (opts.certFile == "") != (opts.keyFile == ""):
		return fail("--tls-cert and --tls-key go together")
	case *upstream != "" && len(opts.tokens) > 0:
		return fail("--token configures the emulator; with --upstream the upstream judges tokens")
	case opts.limits.History <= 0:
		return fail("--history must be a positive number of requests, not %d", opts.limits.History)
	case opts.limits.ReadTimeout <= 0 || opts.limits.IdleTimeout <= 0 || opts.limits.UpstreamHeaderTimeout <= 0 || opts.limits.UpstreamTimeout <= 0:
		return fail("--read-timeout, --idle-timeout, --upstream-header-timeout and --upstream-timeout must be positive durations (e.g. 30s)")
	case opts.reportDir == "":
		return fail("--report-dir must name a folder")
	}
	if _, _, err := net.SplitHostPort(opts.addr); err != nil {
		return fail("--addr %q is not HOST:PORT: %v", opts.addr, err)
	}
	if *upstream != "" {
		u, err := url.Parse(*upstream)
		if err != nil {
			return fail("--upstream: %v", err)
		}
		opts.upstream = u // server.New checks the rest
	}
	return opts, exitOK, true
}

// certHosts are the names the self-signed certificate covers: loopback always, plus the host of --addr
// when it names one.
func certHosts(addr string) []string {
	hosts := append([]string(nil), server.LoopbackHosts...)
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		return hosts
	}
	for _, h := range hosts {
		if strings.EqualFold(h, host) || (net.ParseIP(h) != nil && net.ParseIP(h).Equal(net.ParseIP(host))) {
			return hosts
		}
	}
	return append(hosts, host)
}

// describeBackend says on stderr what answers, without echoing a token given with --token.
func describeBackend(w io.Writer, opts serveOptions) {
	if opts.upstream != nil {
		fmt.Fprintf(w, "serve: validating proxy to %s; report at %s; stop with Ctrl-C (SIGINT) or SIGTERM\n", opts.upstream, server.ReportPath)
		return
	}
	extra := ""
	if n := len(opts.tokens); n > 0 {
		extra = fmt.Sprintf(" (and %d from --token)", n)
	}
	fmt.Fprintf(w, "serve: emulator; token Bearer %s%s; workspaces pick scenarios (serve --list-scenarios); report at %s; stop with Ctrl-C (SIGINT) or SIGTERM\n",
		emulator.ValidToken, extra, server.ReportPath)
}

// listWidth is what --list-scenarios fits in: a terminal or a CI log of 120 columns.
const listWidth = 120

// printScenarios lists the scenarios one block each: the name and the answer on the first line, then what
// the client sends and the note, wrapped to listWidth.
func printScenarios(w io.Writer) {
	var b strings.Builder
	wrapTo(&b, "", fmt.Sprintf("Subscription %s, resource group %s, token Bearer %s unless the scenario says otherwise.",
		emulator.DefaultSubscriptionID, emulator.DefaultResourceGroup, emulator.ValidToken))
	var sources []catalogue.Provenance // in the table's order, once each
	assumedBy := map[string][]string{} // reason -> the scenarios assumed for it
	for _, s := range server.Scenarios() {
		if !slices.Contains(sources, s.Provenance) {
			sources = append(sources, s.Provenance)
		}
		if s.Basis == catalogue.Assumed {
			assumedBy[s.Source] = append(assumedBy[s.Source], s.Name)
		}
		answer := fmt.Sprint(s.Status)
		if s.Code != "" {
			answer += " " + s.Code
		}
		if s.Then != 0 {
			answer += fmt.Sprintf(", then %d to a retry", s.Then)
		}
		fmt.Fprintf(&b, "\n%s: %s (%s)\n", s.Name, answer, s.Basis)
		wrapTo(&b, "    sends: ", s.Choice)
		if s.Note != "" {
			wrapTo(&b, "    note:  ", s.Note)
		}
	}
	b.WriteString("\nWhere the answers come from:\n")
	for _, p := range sources {
		if p.Basis == catalogue.Assumed {
			wrapTo(&b, "  ", fmt.Sprintf("assumed (%s): %s", strings.Join(assumedBy[p.Source], ", "), p.Source))
		} else {
			wrapTo(&b, "  ", fmt.Sprintf("%s: %s", p.Basis, p.Source))
		}
	}
	io.WriteString(w, b.String())
}

// wrapTo writes lead and text, breaking text at spaces so that no line is wider than listWidth; continuation
// lines are indented as far as lead.
func wrapTo(b *strings.Builder, lead, text string) {
	indent := strings.Repeat(" ", len(lead))
	line := lead
	for i, word := range strings.Fields(text) {
		if i > 0 && len(line)+1+len(word) > listWidth {
			b.WriteString(line + "\n")
			line = indent + word
			continue
		}
		if i > 0 {
			line += " "
		}
		line += word
	}
	b.WriteString(line + "\n")
}

// lockedWriter serialises writes from the server's goroutines and the command's own.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
