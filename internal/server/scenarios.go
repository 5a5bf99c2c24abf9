package server

import (
	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
)

// Scenario is one behaviour of the default emulator, how a client under test chooses it, and where the
// expected answer comes from.
type Scenario struct {
	Name   string `json:"name"`
	Choice string `json:"choice"` // what the client sends
	Status int    `json:"status"` // the first answer
	Code   string `json:"code,omitempty"`
	Then   int    `json:"then,omitempty"` // the answer to the same request sent again, when it differs
	Note   string `json:"note,omitempty"`
	catalogue.Provenance
}

// Scenarios is the catalogue's table of behaviours (internal/catalogue), which the default emulator plays:
// the workspace scenarios first, then the errors a client reaches by its own choices. Names not given in
// Choice are the defaults: the documented example's subscription, resource group and workspace, the
// contract's api-version, Authorization "Bearer " + catalogue.ValidToken, POST.
func Scenarios() []Scenario {
	var out []Scenario
	for _, b := range catalogue.Behaviours() {
		s := Scenario{Name: b.Name, Choice: b.Choice, Status: b.Status, Code: b.Code, Then: b.Then, Note: b.Note, Provenance: b.Provenance}
		if b.Play == catalogue.ThrottledOnce {
			s.Note += " (" + string(checkClientRetryAfter) + ")"
		}
		out = append(out, s)
	}
	return out
}
