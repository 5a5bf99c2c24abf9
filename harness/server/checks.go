package server

// The registry checks the server finds itself: they need what a single exchange never shows, a series of
// requests from one client, or an answer the contract cannot read at all.
const (
	checkClientRetryAfter = "client.retry-after"
	checkResponseJSON     = "response.json"
	checkRequestReadable  = "request.readable"
)
