package server

import (
	"slices"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// The checks the server adds to the contract's. They need what the contract never sees: a series of
// requests from one client, or an answer the contract cannot read at all.
const (
	CheckClientRetryAfter = "client.retry-after"
	CheckResponseJSON     = "response.json"
)

var checks = []contract.Check{
	{
		ID: CheckClientRetryAfter, Level: contract.SHOULD, Source: "RFC 9110 §10.2.3; ARM throttling guidance",
		Statement: "After an answer with Retry-After, the client waits at least that long before sending the same request again.",
	},
	{
		ID: CheckResponseJSON, Level: contract.MUST, Source: "documented produces (application/json)",
		Statement: "A response body is one JSON value (ListKeysResult or ErrorResponse), so that a client can read it.",
	},
}

// Checks lists the server's own checks, in the contract's form, for reports and the checks listing.
func Checks() []contract.Check { return slices.Clone(checks) }

func levelOf(id string) contract.Level {
	i := slices.IndexFunc(checks, func(c contract.Check) bool { return c.ID == id })
	return checks[i].Level
}
