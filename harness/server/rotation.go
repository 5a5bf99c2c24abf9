package server

import (
	"net/http"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// regenerateKeys is the operation a client rotates keys with; serve plays it (the emulator keeps the keys
// regenerated so far per workspace, for as long as the process runs).
const regenerateKeys = "Workspaces_RegenerateKeys"

// contractFor is the contract that judges r: the one of the api-version it asks for when there is one (and
// no contract was configured), else the server's; and of that, the operation its path names.
func (s *Server) contractFor(r *http.Request) *contract.Contract {
	c := s.contract
	if !s.fixedContract {
		if byVersion, err := contract.ForAPIVersion(r.URL.Query().Get("api-version")); err == nil {
			c = byVersion
		}
	}
	path := strings.TrimRight(r.URL.EscapedPath(), "/")
	if strings.EqualFold(path[strings.LastIndex(path, "/")+1:], "regenerateKey") {
		if op, ok := c.ForOperation(regenerateKeys); ok {
			return op
		}
	}
	return c
}

// validateAnswer judges a response with what its operation documents: a Regenerate Keys answers 204 with no
// body, a List Keys a ListKeysResult.
func validateAnswer(c *contract.Contract, ex contract.Exchange) (contract.Report, error) {
	if c.Operation.ID == regenerateKeys {
		return c.ValidateRegenerate(ex)
	}
	return c.Validate("", ex)
}
