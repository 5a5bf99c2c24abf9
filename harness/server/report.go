package server

import (
	"fmt"
	"os"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// Report is one server run's verdicts: every request in arrival order, and the same grouped by client.
type Report struct {
	Tool       string    `json:"tool"`
	APIVersion string    `json:"apiVersion"`
	Backend    string    `json:"backend"`
	Strict     bool      `json:"strict"` // SHOULD violations fail requests too
	Started    time.Time `json:"started"`
	Generated  time.Time `json:"generated"`
	// Conformant is true when every request conformed (vacuously when there were none).
	Conformant    bool     `json:"conformant"`
	Total         int      `json:"total"`
	NonConformant int      `json:"nonConformant"`
	Clients       []Client `json:"clients"`
	Requests      []Entry  `json:"requests"`
	// Checks are the server's own checks, beside the contract's (listkeys-conformance checks).
	Checks []contract.Check `json:"checks"`
}

// Entry is one exchange as the server saw and judged it. It holds no header values and no bodies.
type Entry struct {
	Seq             int       `json:"seq"`
	Time            time.Time `json:"time"` // arrival
	DurationMS      float64   `json:"durationMs"`
	Client          string    `json:"client"` // the User-Agent
	RemoteAddr      string    `json:"remoteAddr"`
	ClientRequestID string    `json:"clientRequestId,omitempty"`
	Method          string    `json:"method"`
	URL             string    `json:"url"` // path and query as sent, undocumented query values masked
	Status          int       `json:"status"`
	ErrorCode       string    `json:"errorCode,omitempty"` // error.code of an error answer
	// Request is the verdict on the request (plus client.retry-after); Response the verdict on the answer.
	Request  contract.Report `json:"request"`
	Response contract.Report `json:"response"`
	Retry    *RetryWait      `json:"retry,omitempty"`
	// Error says why the backend gave no answer to judge (an unreachable upstream); such a request is not
	// conformant: skipped is not passed.
	Error string `json:"error,omitempty"`
	// NotJudged says why the answer's body could not be judged (a sanitizer broke its JSON): no violation,
	// as validate --recording has it; JUnit shows the request as skipped.
	NotJudged  string   `json:"notJudged,omitempty"`
	Conformant bool     `json:"conformant"`
	Failed     []string `json:"failed"`   // the IDs of the checks that fail the request
	Warnings   []string `json:"warnings"` // the IDs of the SHOULD checks violated, when not strict
}

// Client is one User-Agent's share of the run.
type Client struct {
	Name          string   `json:"name"`
	Conformant    bool     `json:"conformant"`
	Total         int      `json:"total"`
	NonConformant int      `json:"nonConformant"`
	Failed        []string `json:"failed"`
	Warnings      []string `json:"warnings"`
	Requests      []int    `json:"requests"` // their seq
}

// Report returns the verdicts so far.
func (s *Server) Report() Report {
	s.mu.Lock()
	entries := append([]Entry(nil), s.entries...)
	s.mu.Unlock()
	r := Report{
		Tool:       "listkeys-conformance serve",
		APIVersion: s.contract.Operation.APIVersion,
		Backend:    s.backend.describe(),
		Strict:     s.strict,
		Started:    s.started,
		Generated:  s.now(),
		Conformant: true,
		Total:      len(entries),
		Clients:    []Client{},
		Requests:   entries,
		Checks:     contract.Checks(),
	}
	byName := map[string]int{}
	failed, warned := map[string]map[string]bool{}, map[string]map[string]bool{}
	for _, e := range entries {
		i, ok := byName[e.Client]
		if !ok {
			i = len(r.Clients)
			byName[e.Client] = i
			r.Clients = append(r.Clients, Client{Name: e.Client, Conformant: true})
			failed[e.Client], warned[e.Client] = map[string]bool{}, map[string]bool{}
		}
		c := &r.Clients[i]
		c.Total++
		c.Requests = append(c.Requests, e.Seq)
		if !e.Conformant {
			c.Conformant, r.Conformant = false, false
			c.NonConformant++
			r.NonConformant++
		}
		for _, id := range e.Failed {
			failed[e.Client][id] = true
		}
		for _, id := range e.Warnings {
			warned[e.Client][id] = true
		}
	}
	for i := range r.Clients {
		c := &r.Clients[i]
		c.Failed, c.Warnings = sortedSet(failed[c.Name]), sortedSet(warned[c.Name])
	}
	return r
}

// The files WriteFiles writes. They are named for the server so they can share a folder with the suites'
// report.json and junit.xml.
const (
	JSONFile  = "serve-report.json"
	JUnitFile = "serve-junit.xml"
)

// WriteFiles writes the report into dir (created if missing) in the suites' format: serve-report.json
// (listkeys-conformance/report/v1), serve-report.html, serve-report.md, and serve-junit.xml; it returns the
// paths written.
func (r Report) WriteFiles(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report folder: %w", err)
	}
	junit, err := r.JUnit()
	if err != nil {
		return nil, err
	}
	return r.writeV1(dir, junit)
}
