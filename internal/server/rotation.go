package server

import (
	"net/http"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// contractFor is the contract that judges r: the one of the api-version it asks for when there is one (and
// no contract was configured), else the server's; and of that, the operation its path names (listKeys, or
// regenerateKey, which serve plays: the emulator keeps regenerated keys per workspace while it runs).
func (s *Server) contractFor(r *http.Request) *contract.Contract {
	c := s.contract
	if !s.fixedContract {
		if byVersion, err := contract.ForAPIVersion(r.URL.Query().Get("api-version")); err == nil {
			c = byVersion
		}
	}
	return c.ForRequest(r.URL)
}
