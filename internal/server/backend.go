package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/textproto"
	"net/url"
	"slices"
	"strings"
	"time"
)

// backend answers one request whose body has already been read. The answer's headers go straight into
// header, the header map of the answer the client gets (copying some twenty headers per request was a tenth
// of serve's time); the server reads them from there to judge them.
type backend interface {
	do(r *http.Request, body []byte, header http.Header) (*response, error)
	describe() string
}

// response is an answer held whole, so it can be judged before it is passed on.
type response struct {
	status int
	header http.Header
	body   []byte
	// flushed: the handler sent its headers ahead of the body (the emulator does so for a gzip answer), so
	// the client gets the body chunked rather than with a length, as from the handler directly.
	flushed bool
	// made: the server made this answer itself (errorAnswer), so its headers are not yet in the writer's.
	made bool
}

// writeTo passes the answer on as it came. net/http would add a Date and sniff a Content-Type when the
// backend sent none; a nil entry stops it, so the client sees only what the backend said.
func (resp *response) writeTo(w http.ResponseWriter) {
	h := w.Header()
	if resp.made {
		clear(h) // whatever a failed backend left there is not this answer's
		for name, values := range resp.header {
			h[name] = values
		}
	}
	for _, name := range []string{"Date", "Content-Type"} {
		if _, ok := resp.header[name]; !ok {
			h[name] = nil
		}
	}
	w.WriteHeader(resp.status)
	if f, ok := w.(http.Flusher); ok && resp.flushed {
		f.Flush()
	}
	w.Write(resp.body)
}

// handlerBackend runs an in-process handler (the emulator) against a buffering writer.
type handlerBackend struct {
	name    string
	handler http.Handler
}

func (b handlerBackend) describe() string { return b.name }

func (b handlerBackend) do(r *http.Request, body []byte, header http.Header) (*response, error) {
	in := r.WithContext(r.Context()) // a shallow copy: the handler only reads the request
	in.Body = io.NopCloser(bytes.NewReader(body))
	in.ContentLength = int64(len(body))
	rec := &recorder{header: header}
	b.handler.ServeHTTP(rec, in)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return &response{status: rec.status, header: rec.header, body: rec.body.Bytes(), flushed: rec.flushed}, nil
}

// recorder is the smallest http.ResponseWriter that keeps what a handler wrote.
type recorder struct {
	header  http.Header
	status  int
	body    bytes.Buffer
	flushed bool
}

// Flush notes that the handler flushed before writing its body: writeTo does the same.
func (r *recorder) Flush() {
	if r.body.Len() == 0 {
		r.flushed = true
	}
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(p)
}

// upstream forwards to a real endpoint.
type upstream struct {
	base      *url.URL
	transport http.RoundTripper
	timeout   time.Duration // the whole exchange, body included
}

func newUpstream(base *url.URL, transport http.RoundTripper, headerTimeout, timeout time.Duration) (*upstream, error) {
	switch {
	case base.Scheme != "http" && base.Scheme != "https":
		return nil, fmt.Errorf("upstream %s: the scheme must be http or https", base.Redacted())
	case base.Host == "":
		return nil, fmt.Errorf("upstream %s: no host", base.Redacted())
	case base.User != nil:
		return nil, fmt.Errorf("upstream %s: credentials in the URL are not sent; remove them (the client's Authorization goes through)", base.Redacted())
	case base.RawQuery != "" || base.Fragment != "":
		return nil, fmt.Errorf("upstream %s: give a base URL without query or fragment", base.Redacted())
	}
	if transport == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		// Left on, the transport would add Accept-Encoding and unpack the answer: the client would get
		// other bytes than the upstream sent.
		t.DisableCompression = true
		// Every request goes to the one upstream host: keep as many idle connections to it as clients may
		// have requests in flight (DefaultTransport keeps 2, so under load most requests dialled anew).
		t.MaxIdleConns, t.MaxIdleConnsPerHost = UpstreamIdleConns, UpstreamIdleConns
		t.ResponseHeaderTimeout = headerTimeout
		transport = t
	}
	return &upstream{base: base, transport: transport, timeout: timeout}, nil
}

func (u *upstream) describe() string { return "upstream " + u.base.String() }

func (u *upstream) do(r *http.Request, body []byte, header http.Header) (*response, error) {
	// The client's escaping is kept: an encoded character in a name must reach the upstream encoded.
	target := strings.TrimSuffix(u.base.String(), "/") + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	var reqBody io.Reader = http.NoBody
	if len(body) > 0 {
		reqBody = bytes.NewReader(body)
	}
	ctx, cancel := context.WithTimeout(r.Context(), u.timeout)
	defer cancel()
	out, err := http.NewRequestWithContext(ctx, r.Method, target, reqBody)
	if err != nil {
		return nil, fmt.Errorf("building the forwarded request: %w", err)
	}
	out.Header = forwardedHeader(r.Header)
	resp, err := u.transport.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	if len(data) > MaxBody {
		return nil, errors.New("the answer is larger than " + fmt.Sprint(MaxBody) + " bytes")
	}
	removeHopByHop(resp.Header)
	for name, values := range resp.Header {
		header[name] = values
	}
	return &response{status: resp.StatusCode, header: header, body: data}, nil
}

// forwardedHeader is the client's header as it goes on: without the hop-by-hop headers, and with an empty
// User-Agent when the client sent none (an empty value stops Go from sending its own). The client's own map
// goes on when nothing needs to change (the transport only reads it), else a copy.
func forwardedHeader(h http.Header) http.Header {
	_, hasAgent := h["User-Agent"]
	if hasAgent && !slices.ContainsFunc(hopByHop, func(name string) bool { _, ok := h[name]; return ok }) {
		return h
	}
	out := h.Clone()
	if out == nil {
		out = http.Header{}
	}
	removeHopByHop(out)
	if !hasAgent {
		out["User-Agent"] = []string{""}
	}
	return out
}

// hopByHop are the headers that belong to one connection, not to the exchange (RFC 9110 §7.6.1), plus
// Proxy-Authorization, which is addressed to this proxy.
var hopByHop = []string{
	"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

func removeHopByHop(h http.Header) {
	for _, value := range h.Values("Connection") {
		for _, name := range strings.Split(value, ",") {
			if name = textproto.TrimString(name); name != "" {
				h.Del(name)
			}
		}
	}
	for _, name := range hopByHop {
		h.Del(name)
	}
}
