package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// judge validates both directions of one exchange and returns its entry, scrubbed, without the parts that
// depend on the requests before it (sequence number, Retry-After wait).
func (s *Server) judge(r *http.Request, req contract.Request, resp *response, backendErr error) Entry {
	c := s.contractFor(r)
	sc := newScrubber(s.secrets)
	sc.addRequest(r.Header)
	plain, encodingNote := plainBody(resp)
	parsed := contract.Parse(plain) // once, for the scrubber, the error code and the verdict
	sc.addBody(s.secretPaths, parsed)

	req.URL = maskedURL(c, r.URL)
	e := Entry{
		Client:          clip(sc.scrub(clientName(r)), maxHeader),
		RemoteAddr:      clip(r.RemoteAddr, maxHeader),
		ClientRequestID: clip(sc.scrub(r.Header.Get("x-ms-client-request-id")), maxHeader),
		Method:          clip(r.Method, maxHeader),
		URL:             clip(sc.scrub(req.URL.String()), maxURL),
		Status:          resp.status,
		Request:         sc.report(c.ValidateRequest(req)),
	}
	if backendErr != nil {
		e.Error = clip(sc.scrub(backendErr.Error()), maxError)
		e.Response = contract.Report{Violations: []contract.Violation{}, Notes: []string{"the backend gave no answer to judge"}}
		return e
	}
	e.ErrorCode = clip(sc.scrub(parsed.ErrorCode()), maxHeader)
	if encodingNote != "" {
		// A body the client cannot read either: it is not the JSON the operation documents.
		e.Response = sc.report(contract.Report{Definition: c.DefinitionFor(resp.status),
			Violations: []contract.Violation{contract.NewViolation(checkResponseJSON, "", encodingNote)}})
		return e
	}
	// A live answer: a body that is not JSON is the backend's fail of response.json (contract.Judge).
	report := c.Judge(contract.Exchange{Status: resp.status, Header: resp.header, Body: plain, Parsed: parsed, Request: &req})
	// A body a sanitizer broke: the same verdict and words as validate and the suites give it.
	e.NotJudged = report.NotJudged
	e.Response = sc.report(report)
	return e
}

// plainBody is the response body as the contract reads it: unpacked when the backend sent it gzip-encoded
// (a client may ask for that), with a note instead when it is encoded some other way.
func plainBody(resp *response) ([]byte, string) {
	switch enc := strings.ToLower(strings.TrimSpace(resp.header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return resp.body, ""
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(resp.body))
		if err != nil {
			return nil, "the body is marked Content-Encoding gzip but is no gzip data (" + err.Error() + ")"
		}
		data, err := io.ReadAll(io.LimitReader(zr, MaxBody+1))
		switch {
		case err != nil:
			return nil, "the gzip-encoded body does not unpack: " + err.Error()
		case len(data) > MaxBody:
			return nil, fmt.Sprintf("the gzip-encoded body unpacks to more than %d bytes", MaxBody)
		}
		return data, ""
	default:
		return nil, fmt.Sprintf("the body is encoded with Content-Encoding %q, which this server does not unpack (a client asking for JSON cannot read it either)", clip(enc, 64))
	}
}

func clientName(r *http.Request) string {
	if ua := r.Header.Get("User-Agent"); ua != "" {
		return ua
	}
	return "(no User-Agent)"
}

// record files the entry, after judging the wait the client kept if this request repeats one that was
// answered with Retry-After. It registers a new wait before the answer leaves, so a retry cannot arrive
// before its obligation is known.
func (s *Server) record(e *Entry, r *http.Request, resp *response, received, sent time.Time) {
	key := waitKey{client: clip(clientKey(r), maxHeader), target: clip(r.Method+" "+strings.ToLower(r.URL.EscapedPath()), maxURL)}
	s.mu.Lock()
	if p, ok := s.waits[key]; ok {
		delete(s.waits, key)
		e.Retry = p.judge(received)
		if !e.Retry.WaitedEnough {
			e.Request.Violations = append(e.Request.Violations, contract.NewViolation(checkClientRetryAfter, "/request",
				fmt.Sprintf("the client sent this request again %.3fs after answer #%d (%d) said Retry-After: %s; it should have waited at least %.3fs",
					e.Retry.WaitedSeconds, p.seq, p.status, p.retryAfter, e.Retry.RequiredSeconds)))
		}
	}
	e.Seq = s.history.total + 1
	if p, ok := newWait(e.Seq, resp, sent); ok {
		if len(s.waits) >= maxWaits {
			for k := range s.waits { // forget one: a client that never retries must not grow the map
				delete(s.waits, k)
				break
			}
		}
		s.waits[key] = p
	}
	e.finish(s.strict)
	s.history.add(*e)
	s.mu.Unlock()
	s.logEntry(*e)
}

// clientKey tells clients apart for the Retry-After check: the same program on the same host.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return host + "\x00" + r.Header.Get("User-Agent")
}

// finish sorts the violated checks into those that fail the request and the warnings.
func (e *Entry) finish(strict bool) {
	e.Failed, e.Warnings = []string{}, []string{}
	for _, side := range [][]contract.Violation{e.Request.Violations, e.Response.Violations} {
		for _, v := range side {
			if strict || v.Level == contract.MUST {
				e.Failed = append(e.Failed, v.Check)
			} else {
				e.Warnings = append(e.Warnings, v.Check)
			}
		}
	}
	slices.Sort(e.Failed)
	slices.Sort(e.Warnings)
	e.Failed, e.Warnings = slices.Compact(e.Failed), slices.Compact(e.Warnings)
	e.Conformant = len(e.Failed) == 0 && e.Error == ""
}

// logEntry writes the entry's one log line: time, method, path (no query), status, verdict, check IDs.
func (s *Server) logEntry(e Entry) {
	path, _, _ := strings.Cut(e.URL, "?")
	var b strings.Builder
	fmt.Fprintf(&b, "%s #%d %s %s %d", e.Time.UTC().Format("2006-01-02T15:04:05.000Z07:00"), e.Seq, e.Method, path, e.Status)
	if e.ErrorCode != "" {
		b.WriteString(" " + e.ErrorCode)
	}
	switch {
	case e.Error != "":
		b.WriteString(" NOT-JUDGED error=" + e.Error)
	case e.NotJudged != "":
		b.WriteString(" NOT-JUDGED " + e.NotJudged)
	case e.Conformant:
		b.WriteString(" conformant")
	default:
		b.WriteString(" NOT-CONFORMANT")
	}
	if len(e.Failed) > 0 {
		b.WriteString(" failed=" + strings.Join(e.Failed, ","))
	}
	if len(e.Warnings) > 0 {
		b.WriteString(" warnings=" + strings.Join(e.Warnings, ","))
	}
	if e.Retry != nil {
		fmt.Fprintf(&b, " retry-waited=%.3fs/%.3fs", e.Retry.WaitedSeconds, e.Retry.RequiredSeconds)
	}
	s.logf("%s", b.String())
}
