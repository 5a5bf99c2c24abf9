// Package server is the conformance server and validating proxy that teams point their own List Keys client
// at. It stands between the client and a backend — the built-in emulator, or a real endpoint given as an
// upstream — passes every exchange through, and judges both directions with the contract: per request the
// request's verdict, the response's verdict and the IDs of the checks that failed, grouped by client
// (User-Agent), served live at GET /_conformance/report and written as JSON and JUnit XML at the end.
//
// # Scenarios
//
// With the emulator as backend a client picks a behaviour by what it sends; Scenarios returns this table
// as data (the command prints it with serve --list-scenarios). The workspaces live in subscription
// 00000000-1111-2222-3333-444444444444, resource group quantumResourcegroup; the valid token is
// emulator-token.
//
//	scenario                 the client sends                                    first answer                 a retry
//	ok                       workspace quantumworkspace1                         200 (keys)
//	keys-disabled            workspace keys-disabled                             200 (apiKeyEnabled false)
//	throttled-once           workspace throttled-once                            429 + Retry-After: 1         200
//	transient-503            workspace transient-503                             503 ServiceUnavailable       200
//	transient-500            workspace transient-500                             500 InternalServerError      200
//	internal-error           workspace internal-error                            500 InternalServerError      500
//	throttled                workspace throttled                                 429 + Retry-After: 1         429
//	unknown-workspace        any other workspace name                            404 ResourceNotFound
//	unknown-resource-group   another resource group (or emptyGroup)              404 ResourceGroupNotFound
//	invalid-resource-group   a group name with characters ARM refuses            400 InvalidResourceGroup
//	unknown-subscription     another well-formed subscription GUID               404 SubscriptionNotFound
//	invalid-subscription     a subscription that is not a GUID                   400 InvalidSubscriptionId
//	missing-api-version      no api-version                                      400 MissingApiVersionParameter
//	invalid-api-version      an api-version not shaped yyyy-mm-dd[-preview]      400 InvalidApiVersionParameter
//	unsupported-api-version  a well-formed api-version not served (2020-01-01)   400 NoRegisteredProviderFound
//	no-token                 no Authorization header                             401 AuthenticationFailed
//	malformed-authorization  Authorization that is not "Bearer <token>"          401 AuthenticationFailedInvalidHeader
//	invalid-token            an unknown bearer token                             401 InvalidAuthenticationToken
//	expired-token            Bearer expired-token                                401 ExpiredAuthenticationToken
//	wrong-audience-token     Bearer wrong-audience-token                         401 InvalidAuthenticationTokenAudience
//	no-permission            Bearer no-permission-token                          403 AuthorizationFailed
//	wrong-method             a method other than POST                            405 MethodNotAllowed
//	unknown-path             any other path                                      404 NotFound
//
// The once-scenarios fail once per server run, whichever client comes first: restart the server to play
// them again. After an answer with Retry-After the report says whether the client waited that long before
// sending the same request again (check client.retry-after).
//
// # What passes through
//
// Invalid requests are answered by the backend (the emulator answers as ARM does); the server only adds its
// verdict. As a proxy it adds nothing to the traffic: headers go through both ways except the hop-by-hop
// ones (RFC 9110 §7.6.1), bodies byte for byte. Only what cannot be otherwise differs: the Host is the
// upstream's, and the framing (Content-Length, Transfer-Encoding) is the server's own for the same bytes.
//
// # Secrets
//
// Nothing secret reaches the log or the report: neither is given headers or bodies, and every string they
// do carry (URL, messages, notes) is scrubbed of the Authorization credential, of the values at the
// contract's secret paths, of every ApiKey inside a connection string, and of the emulator's own keys. Query
// parameters other than api-version are masked, as a client may put anything there.
package server

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
)

// ReportPath is where the server answers with its report so far. It is served by the server itself, never
// forwarded, and never recorded.
const ReportPath = "/_conformance/report"

// reservedPrefix is the server's own part of the URL space.
const reservedPrefix = "/_conformance/"

// MaxBody caps what is held of a request or response body. A List Keys body is about 900 bytes; the cap
// only keeps a misbehaving peer from exhausting memory.
const MaxBody = 10 << 20

// Config is everything a Server needs. The zero value serves the default emulator over plain HTTP.
type Config struct {
	// Upstream, when set, makes the server a validating proxy: requests go to this http(s) URL (a path
	// prefix is kept) instead of the emulator.
	Upstream *url.URL
	// Transport carries proxied requests. Nil means http.DefaultTransport's settings with transparent
	// compression off, so that bodies pass through as sent.
	Transport http.RoundTripper
	// Emulator configures the built-in backend when Upstream is nil; nil means emulator.DefaultConfig().
	Emulator *emulator.Config
	// Contract judges the exchanges; nil means contract.Default().
	Contract *contract.Contract
	// Strict makes SHOULD violations fail a request too.
	Strict bool
	// TLS, when set, makes Serve speak HTTPS with this configuration.
	TLS *tls.Config
	// Log receives one line per request (and the HTTP server's own errors); nil discards them.
	Log io.Writer
	// History is how many of the last requests the report lists (every request is counted); 0 means
	// DefaultHistory.
	History int
	// ReadTimeout bounds reading one request, body included, and IdleTimeout a keep-alive connection
	// waiting for the next; 0 means DefaultReadTimeout and DefaultIdleTimeout.
	ReadTimeout, IdleTimeout time.Duration
	// UpstreamHeaderTimeout bounds the wait for the upstream's status and headers (applied to the default
	// transport only), UpstreamTimeout the whole upstream exchange; 0 means the defaults. An upstream that
	// takes longer is answered 504 GatewayTimeout.
	UpstreamHeaderTimeout, UpstreamTimeout time.Duration
	// Now is the server's clock, for entry times and the Retry-After wait check; nil means time.Now. The
	// emulator gets it too unless its own configuration sets one.
	Now func() time.Time
}

// Server is the http.Handler that judges every exchange. It is safe for concurrent use.
type Server struct {
	contract *contract.Contract
	backend  backend
	strict   bool
	now      func() time.Time
	secrets  []string // known before any request: the emulator's keys
	// secretPaths are where a body carries secrets, whatever its definition.
	secretPaths map[string]bool
	http        *http.Server
	tls         *tls.Config

	logMu sync.Mutex
	log   io.Writer

	mu      sync.Mutex
	started time.Time
	history *history
	waits   map[waitKey]pendingWait
}

// New builds a Server from cfg.
func New(cfg Config) (*Server, error) {
	s := &Server{strict: cfg.Strict, now: cfg.Now, log: cfg.Log, tls: cfg.TLS, contract: cfg.Contract, waits: map[waitKey]pendingWait{}, history: newHistory(cfg.History)}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = io.Discard
	}
	if s.contract == nil {
		c, err := contract.Default()
		if err != nil {
			return nil, fmt.Errorf("embedded schemas: %w", err)
		}
		s.contract = c
	}
	s.secretPaths = secretPaths(s.contract)
	if cfg.Upstream != nil {
		b, err := newUpstream(cfg.Upstream, cfg.Transport, orDefault(cfg.UpstreamHeaderTimeout, DefaultUpstreamHeaderTimeout),
			orDefault(cfg.UpstreamTimeout, DefaultUpstreamTimeout))
		if err != nil {
			return nil, err
		}
		s.backend = b
	} else {
		ecfg := emulator.DefaultConfig()
		if cfg.Emulator != nil {
			ecfg = *cfg.Emulator
		}
		if ecfg.Now == nil {
			ecfg.Now = s.now
		}
		e := emulator.New(ecfg)
		for _, w := range ecfg.Workspaces {
			if served, ok := e.Workspace(w.SubscriptionID, w.ResourceGroup, w.Name); ok {
				s.secrets = append(s.secrets, served.PrimaryKey, served.SecondaryKey)
			}
		}
		s.backend = handlerBackend{name: "emulator", handler: e}
	}
	s.started = s.now()
	s.http = &http.Server{
		Handler:           s,
		TLSConfig:         cfg.TLS,
		ReadTimeout:       orDefault(cfg.ReadTimeout, DefaultReadTimeout),
		ReadHeaderTimeout: min(orDefault(cfg.ReadTimeout, DefaultReadTimeout), 10*time.Second),
		IdleTimeout:       orDefault(cfg.IdleTimeout, DefaultIdleTimeout),
		ErrorLog:          log.New(&lineWriter{s: s}, "serve: ", 0),
	}
	return s, nil
}

// Serve accepts connections on l until Shutdown, speaking HTTPS when the configuration has TLS.
func (s *Server) Serve(l net.Listener) error {
	var err error
	if s.tls != nil {
		err = s.http.ServeTLS(l, "", "")
	} else {
		err = s.http.Serve(l)
	}
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops accepting connections and waits for the requests in flight (up to ctx), so that the
// report taken afterwards is complete.
func (s *Server) Shutdown(ctx context.Context) error { return s.http.Shutdown(ctx) }

// ServeHTTP passes one exchange to the backend and records its verdict before the client sees the answer,
// so a report fetched after an answer always holds it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, reservedPrefix) {
		s.serveOwn(w, r)
		return
	}
	received := s.now()
	body, readErr := readCapped(w, r.Body)
	req := contract.Request{Method: r.Method, URL: r.URL, Header: r.Header, Body: body}

	var (
		resp       *response
		backendErr error
	)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(readErr, &tooLarge):
		resp = errorAnswer(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("The request body is larger than %d bytes; listKeys takes no body.", MaxBody))
	case readErr != nil:
		resp = errorAnswer(http.StatusBadRequest, "InvalidRequestContent", "The request body could not be read: "+readErr.Error())
	default:
		if resp, backendErr = s.backend.do(r, body); backendErr != nil {
			resp = gatewayAnswer(backendErr)
		}
	}

	e := s.judge(r, req, resp, backendErr)
	if readErr != nil {
		// Never passed on: the verdict is about the request alone.
		e.Request.Violations = append(e.Request.Violations, contract.NewViolation(checkRequestReadable, "/request/body",
			clip(readProblem(readErr), maxMessage)))
	}
	e.Time = received
	sent := s.now()
	e.DurationMS = float64(sent.Sub(received).Microseconds()) / 1000
	s.record(&e, r, resp, received, sent)
	resp.writeTo(w)
}

// serveOwn answers the server's own endpoints.
func (s *Server) serveOwn(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	switch {
	case r.URL.Path != ReportPath:
		writeJSON(w, http.StatusNotFound, armError("NotFound", "listkeys-conformance serve answers only GET "+ReportPath+" under "+reservedPrefix))
	case r.Method != http.MethodGet && r.Method != http.MethodHead:
		h.Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, armError("MethodNotAllowed", ReportPath+" answers GET only"))
	default:
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			s.Report().WriteJSON(w) // streamed: the client going away is no error of the server's
		}
	}
}

func armError(code, message string) any {
	type detail struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	return struct {
		Error detail `json:"error"`
	}{detail{code, message}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v) // plain data: encoding cannot fail
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorAnswer is an answer the server makes itself, when the backend gives none: shaped as ARM's errors
// so the client under test meets a familiar form.
func errorAnswer(status int, code, message string) *response {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(armError(code, message))
	return &response{
		status: status,
		header: http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Cache-Control": {"no-cache"}},
		body:   bytes.TrimSuffix(buf.Bytes(), []byte("\n")),
	}
}

// readCapped reads a request body up to MaxBody. The error is an *http.MaxBytesError when there was more
// (net/http then closes the connection), or why the body could not be read to its end.
func readCapped(w http.ResponseWriter, body io.ReadCloser) ([]byte, error) {
	if body == nil || body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, body, MaxBody))
	if err != nil {
		return nil, err
	}
	return data, nil
}

// readProblem says in words why a request body could not be read.
func readProblem(err error) string {
	var tooLarge *http.MaxBytesError
	var netErr net.Error
	switch {
	case errors.As(err, &tooLarge):
		return fmt.Sprintf("the request body is larger than the %d bytes this server reads; answered 413", MaxBody)
	case errors.As(err, &netErr) && netErr.Timeout():
		return "the request body did not arrive within the read timeout; answered 400"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the request body ends before its declared length (Content-Length or chunk sizes); answered 400"
	}
	return "the request body could not be read (" + err.Error() + "); answered 400"
}

// gatewayAnswer is the answer to a request the backend did not answer: 504 when it did not in time, 502
// otherwise; either a conformant ErrorResponse.
func gatewayAnswer(err error) *response {
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout() {
		return errorAnswer(http.StatusGatewayTimeout, "GatewayTimeout",
			"listkeys-conformance serve: the upstream did not answer in time: "+clip(err.Error(), maxError))
	}
	return errorAnswer(http.StatusBadGateway, "BadGateway",
		"listkeys-conformance serve: the upstream did not answer: "+clip(err.Error(), maxError))
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// logf writes one line to the log; lines from concurrent requests never interleave.
func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.log, format+"\n", args...)
}

// lineWriter routes the HTTP server's own error log (TLS handshake failures and the like) through the same
// serialised log.
type lineWriter struct{ s *Server }

func (l *lineWriter) Write(p []byte) (int, error) {
	l.s.logf("%s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
