package server

import "github.com/listkeys-conformance/listkeys-conformance/harness/contract"

// The registry checks the server finds itself: they need what a single exchange never shows, a series of
// requests from one client, or an answer the contract cannot read at all.
const (
	checkClientRetryAfter = contract.ClientRetry
	checkResponseJSON     = contract.ResponseJSON
	checkRequestReadable  = contract.RequestReadable
)
