package server

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Bounds on what one request may put into the log and the report: a client under test can send a 1 MB path
// or header, and the server keeps running for days.
const (
	maxURL    = 2048  // the request target, as logged and reported
	maxHeader = 256   // a header value quoted in the report (User-Agent, x-ms-client-request-id)
	maxError  = 1024  // the reason a backend gave no answer
	maxWaits  = 10000 // pending Retry-After obligations remembered at once
	// maxReportViolations and maxReportNotes bound one side (request or response) of one entry.
	maxReportViolations = 20
	maxReportNotes      = 20
	maxMessage          = 512
)

// Timeouts used when the configuration does not set them.
const (
	DefaultReadTimeout           = 30 * time.Second  // the whole request, body included
	DefaultIdleTimeout           = 120 * time.Second // a keep-alive connection between requests
	DefaultUpstreamHeaderTimeout = 30 * time.Second  // the upstream's status line and headers
	DefaultUpstreamTimeout       = 60 * time.Second  // the whole upstream exchange, body included
)

// UpstreamIdleConns is how many idle connections the default upstream transport keeps to the upstream:
// more than the clients of a load test keep open at once, so that no request waits for a dial.
const UpstreamIdleConns = 256

// clip cuts s to at most n bytes on a character boundary, marking the cut with the number of bytes left out.
// The result is always a copy: net/http's Method and URL strings are slices of the request line, and an
// entry kept for the report must not keep a 1 MB request line alive.
func clip(s string, n int) string {
	if len(s) <= n {
		return strings.Clone(s)
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…(" + strconv.Itoa(len(s)-cut) + " more bytes)"
}
