package server

import (
	"bufio"
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
	"sync/atomic"
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
	// fixedContract: Config.Contract was given, so every request is judged by it; otherwise each by the
	// embedded contract of the api-version it asks for (rotation.go).
	fixedContract bool
	backend       backend
	strict        bool
	now           func() time.Time
	secrets       []string // known before any request: the emulator's keys
	// secretPaths are where a body carries secrets, whatever its definition.
	secretPaths map[string]bool
	http        *http.Server
	tls         *tls.Config

	// The log is buffered: written through when this is the only request in flight, otherwise flushed
	// within logFlushDelay (or when the buffer fills), so a server under load makes no write per request.
	logMu    sync.Mutex
	log      *bufio.Writer
	logTimer *time.Timer // armed while the buffer holds lines not yet written
	inFlight atomic.Int64

	mu      sync.Mutex
	started time.Time
	history *history
	waits   map[waitKey]pendingWait
}

// New builds a Server from cfg.
func New(cfg Config) (*Server, error) {
	s := &Server{strict: cfg.Strict, now: cfg.Now, tls: cfg.TLS, contract: cfg.Contract, fixedContract: cfg.Contract != nil,
		waits: map[waitKey]pendingWait{}, history: newHistory(cfg.History)}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	s.log = bufio.NewWriterSize(cfg.Log, logBuffer)
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
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.http.Shutdown(ctx)
	s.FlushLog()
	return err
}

// FlushLog writes out the log lines still buffered.
func (s *Server) FlushLog() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.flushLocked()
}

func (s *Server) flushLocked() {
	s.log.Flush() // a log that cannot be written is no reason to stop serving
	if s.logTimer != nil {
		s.logTimer.Stop()
		s.logTimer = nil
	}
}

// ServeHTTP passes one exchange to the backend and records its verdict before the client sees the answer,
// so a report fetched after an answer always holds it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, reservedPrefix) {
		s.serveOwn(w, r)
		return
	}
	s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
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
		if resp, backendErr = s.backend.do(r, body, w.Header()); backendErr != nil {
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
		made:   true,
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

// logBuffer and logFlushDelay bound what a buffered log holds back: at most this many bytes, this long.
const (
	logBuffer     = 64 << 10
	logFlushDelay = 100 * time.Millisecond
)

// logf writes one line to the log; lines from concurrent requests never interleave. The line is written
// through at once when no other request is in flight (a client that waits for its answer then finds its
// line), otherwise within logFlushDelay.
func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.log, format+"\n", args...)
	switch {
	case s.inFlight.Load() <= 1:
		s.flushLocked()
	case s.logTimer == nil:
		s.logTimer = time.AfterFunc(logFlushDelay, s.FlushLog)
	}
}

// lineWriter routes the HTTP server's own error log (TLS handshake failures and the like) through the same
// serialised log.
type lineWriter struct{ s *Server }

func (l *lineWriter) Write(p []byte) (int, error) {
	l.s.logf("%s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
