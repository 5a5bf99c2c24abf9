package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// Report is one server run's verdicts: the counts of every request, the last requests (as many as the history
// keeps) in arrival order, and the same grouped by client.
type Report struct {
	Tool       string    `json:"tool"`
	APIVersion string    `json:"apiVersion"`
	Backend    string    `json:"backend"`
	Strict     bool      `json:"strict"` // SHOULD violations fail requests too
	Started    time.Time `json:"started"`
	Generated  time.Time `json:"generated"`
	// Conformant is true when every request conformed (vacuously when there were none).
	Conformant    bool `json:"conformant"`
	Total         int  `json:"total"`
	NonConformant int  `json:"nonConformant"`
	// Dropped counts the requests that are in the totals but, older than the history keeps, not listed.
	Dropped  int      `json:"dropped"`
	Clients  []Client `json:"clients"`
	Requests []Entry  `json:"requests"` // the last ones, oldest first
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
	Requests      []int    `json:"requests"` // the seq of those of the listed requests that are this client's
}

// Report returns the verdicts so far: the counts of every request, and the last requests as many as the
// history keeps (Dropped says how many older ones are counted but no longer listed).
func (s *Server) Report() Report {
	s.mu.Lock()
	h := s.history
	entries := h.entries()
	r := Report{
		Tool:          "listkeys-conformance serve",
		APIVersion:    s.contract.Operation.APIVersion,
		Backend:       s.backend.describe(),
		Strict:        s.strict,
		Started:       s.started,
		Generated:     s.now(),
		Conformant:    h.nonConformant == 0,
		Total:         h.total,
		NonConformant: h.nonConformant,
		Dropped:       h.total - len(entries),
		Clients:       make([]Client, 0, len(h.clients)),
		Requests:      entries,
		Checks:        contract.Checks(),
	}
	index := map[string]int{}
	for _, c := range h.clients {
		index[c.name] = len(r.Clients)
		r.Clients = append(r.Clients, Client{Name: c.name, Conformant: c.nonConformant == 0, Total: c.total,
			NonConformant: c.nonConformant, Failed: sortedSet(c.failed), Warnings: sortedSet(c.warned), Requests: []int{}})
	}
	s.mu.Unlock()
	for _, e := range entries {
		name := e.Client
		if _, ok := index[name]; !ok {
			name = otherClients
		}
		c := &r.Clients[index[name]]
		c.Requests = append(c.Requests, e.Seq)
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
	return r.writeV1(dir)
}

// WriteJSON streams the report as indented JSON, one request at a time, so that writing it holds no copy
// of the whole.
func (r Report) WriteJSON(w io.Writer) error {
	requests := r.Requests
	r.Requests = nil
	head, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	// The requests go where the empty list stands, each encoded on its own.
	before, after, ok := bytes.Cut(head, []byte(`"requests": null`))
	if !ok {
		return errors.New("encoding the report: no requests member")
	}
	bw := bufio.NewWriter(w)
	bw.Write(before)
	bw.WriteString(`"requests": [`)
	for i, e := range requests {
		item, err := json.MarshalIndent(e, "    ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(item)
	}
	if len(requests) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteByte(']')
	bw.Write(after)
	bw.WriteByte('\n')
	return bw.Flush()
}

// sortedSet is the set's members in order, never nil (an empty list in JSON).
func sortedSet(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
