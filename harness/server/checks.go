package server

import "github.com/listkeys-conformance/listkeys-conformance/harness/contract"

// The registry check the server finds itself: it needs what a single exchange never shows, a series of
// requests from one client.
const checkClientRetryAfter = contract.ClientRetry
