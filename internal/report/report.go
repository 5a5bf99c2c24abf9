package report

import (
	"cmp"
	"slices"
	"time"
)

// Format names this version of the report format; a reader checks it before trusting the rest.
const Format = "listkeys-conformance/report/v1"

// State is the outcome of a check, and of a scenario.
type State string

const (
	Pass  State = "pass"
	Fail  State = "fail"
	Skip  State = "skip"  // not run here, with the reason; skipped is not passed
	Error State = "error" // the harness could not run it (configuration, credentials, network, cassette)
	Drift State = "drift" // record/live: conformant, but different from the committed cassette
)

// States lists every state in the order reports show them.
var States = []State{Pass, Fail, Skip, Error, Drift}

// NoLevel is the level of a result whose spec names no check of the registry.
const NoLevel = "none"

// Levels lists the levels in the order reports show them.
var Levels = []string{"MUST", "SHOULD", NoLevel}

// Report is one run: what was tested, against what, with what configuration, and each result.
type Report struct {
	Format   string    `json:"format"`
	Tool     Tool      `json:"tool"`
	Source   string    `json:"source"` // "suites" (make conformance, live, record), "serve" or "client"
	Contract Contract  `json:"contract"`
	Mode     string    `json:"mode"` // replay, record, live, serve, or client
	Target   Target    `json:"target"`
	Strict   bool      `json:"strict"` // SHOULD violations fail instead of being warnings
	Started  time.Time `json:"started"`
	// DurationSeconds is the run's wall time.
	DurationSeconds float64 `json:"durationSeconds"`
	// Configuration is the run's configuration as it was echoed, secrets masked.
	Configuration []Setting `json:"configuration"`
	Summary       Summary   `json:"summary"`
	// Registry holds the checks the results name: ID, level, statement, source.
	Registry  []Check    `json:"registry"`
	Scenarios []Scenario `json:"scenarios"`
}

// Tool is the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Contract is what the answers were judged against.
type Contract struct {
	APIVersion string `json:"apiVersion"`
	// SchemaDigest is "sha256:" and the hex digest of the api-version's generated schemas, so two reports
	// can tell whether they judged against the same contract.
	SchemaDigest string `json:"schemaDigest"`
}

// Target is the workspace under test. The subscription is masked.
type Target struct {
	Endpoint      string `json:"endpoint"`
	Subscription  string `json:"subscription"`
	ResourceGroup string `json:"resourceGroup"`
	Workspace     string `json:"workspace"`
}

// Setting is one configuration variable as echoed.
type Setting struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Check is a registry entry a result refers to.
type Check struct {
	ID        string `json:"id"`
	Level     string `json:"level"`
	Statement string `json:"statement"`
	Source    string `json:"source"`
}

// Summary counts the results by state, and by level and state.
type Summary struct {
	Total  int                      `json:"total"`
	States map[State]int            `json:"states"`
	Levels map[string]map[State]int `json:"levels"`
}

// Scenario is one request the run judged (one cassette), or for specs that judge no request (the
// documented example, mutation tables) the container they belong to.
type Scenario struct {
	Name  string `json:"name"`
	Group string `json:"group"` // the suite, or serve's client (User-Agent)
	State State  `json:"state"` // the worst of its results
	// Exchange is the sanitized request and answer, when the scenario sent one.
	Exchange *Exchange `json:"exchange,omitempty"`
	// Drift says, one line each, what the answer changed against the committed cassette.
	Drift   []string `json:"drift,omitempty"`
	Results []Result `json:"results"`
}

// Result is one spec's outcome: the checks it asserts, and where and why it failed or was skipped.
type Result struct {
	// Statement is the spec's normative sentence ("List Keys on the workspace under test answers 200 OK").
	Statement string   `json:"statement"`
	Checks    []string `json:"checks"` // registry IDs; empty when the spec names none
	Level     string   `json:"level"`  // the strongest level of Checks, or NoLevel
	State     State    `json:"state"`
	// Pointer is the JSON Pointer (RFC 6901) of the first violation found, "" for the whole body or none.
	Pointer         string      `json:"pointer"`
	Message         string      `json:"message,omitempty"` // why it failed, errored or was skipped
	Violations      []Violation `json:"violations,omitempty"`
	Location        string      `json:"location,omitempty"` // file:line, relative to the repository
	DurationSeconds float64     `json:"durationSeconds"`
}

// Violation is one finding of a check, as the failure reported it.
type Violation struct {
	Check   string `json:"check"`
	Level   string `json:"level"`
	Pointer string `json:"pointer"`
	Message string `json:"message"`
}

// Exchange is a sanitized request and its answer: evidence, holding no secret.
type Exchange struct {
	Request  ExchangeRequest  `json:"request"`
	Response ExchangeResponse `json:"response"`
}

// ExchangeRequest is the request side of an Exchange.
type ExchangeRequest struct {
	Method  string              `json:"method"`
	URL     string              `json:"url"`
	Headers map[string][]string `json:"headers"`
}

// ExchangeResponse is the answer side of an Exchange.
type ExchangeResponse struct {
	Status  int                 `json:"status"`
	Headers map[string][]string `json:"headers"`
	Body    string              `json:"body"`
}

// severity orders states from worst to best, for a scenario's state and for "failures first".
var severity = map[State]int{Error: 0, Fail: 1, Drift: 2, Skip: 3, Pass: 4}

// Worse reports whether a is a worse outcome than b.
func Worse(a, b State) bool { return severity[a] < severity[b] }

// Finish computes what follows from the results: each scenario's state, the summary, and the order (worst
// scenarios first, then by group and name; inside a scenario, worst results first).
func (r *Report) Finish() {
	r.Format = Format
	r.Summary = Summary{States: map[State]int{}, Levels: map[string]map[State]int{}}
	for _, s := range States {
		r.Summary.States[s] = 0
	}
	for _, l := range Levels {
		r.Summary.Levels[l] = map[State]int{}
		for _, s := range States {
			r.Summary.Levels[l][s] = 0
		}
	}
	for i := range r.Scenarios {
		sc := &r.Scenarios[i]
		slices.SortStableFunc(sc.Results, func(a, b Result) int { return severity[a.State] - severity[b.State] })
		sc.State = scenarioState(sc.Results)
		for _, res := range sc.Results {
			r.Summary.Total++
			r.Summary.States[res.State]++
			level := res.Level
			if r.Summary.Levels[level] == nil {
				level = NoLevel
			}
			r.Summary.Levels[level][res.State]++
		}
	}
	slices.SortStableFunc(r.Scenarios, func(a, b Scenario) int {
		return cmp.Or(severity[a.State]-severity[b.State], cmp.Compare(a.Group, b.Group), cmp.Compare(a.Name, b.Name))
	})
	if r.Configuration == nil {
		r.Configuration = []Setting{}
	}
	if r.Registry == nil {
		r.Registry = []Check{}
	}
	if r.Scenarios == nil {
		r.Scenarios = []Scenario{}
	}
}

// scenarioState is the worst state among the results; a scenario whose every result was skipped is skipped,
// and one with passes and skips passes.
func scenarioState(results []Result) State {
	if len(results) == 0 {
		return Skip
	}
	worst := Pass
	allSkipped := true
	for _, res := range results {
		if res.State != Skip {
			allSkipped = false
			if Worse(res.State, worst) {
				worst = res.State
			}
		}
	}
	if allSkipped {
		return Skip
	}
	return worst
}

// Failing returns the results that failed or errored, with their scenario, worst first.
func (r Report) Failing() []Located {
	var out []Located
	for _, sc := range r.Scenarios {
		for _, res := range sc.Results {
			if res.State == Fail || res.State == Error {
				out = append(out, Located{Scenario: sc, Result: res})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Located) int { return severity[a.Result.State] - severity[b.Result.State] })
	return out
}

// Located is a result with the scenario it belongs to.
type Located struct {
	Scenario Scenario
	Result   Result
}

// SkipGroup is one reason for skipping and how many results it skipped.
type SkipGroup struct {
	Reason string
	Count  int
}

// Skips groups the skipped results by reason, most frequent first.
func (r Report) Skips() []SkipGroup {
	counts := map[string]int{}
	for _, sc := range r.Scenarios {
		for _, res := range sc.Results {
			if res.State == Skip {
				counts[firstLine(res.Message)]++
			}
		}
	}
	out := make([]SkipGroup, 0, len(counts))
	for reason, n := range counts {
		out = append(out, SkipGroup{reason, n})
	}
	slices.SortFunc(out, func(a, b SkipGroup) int { return cmp.Or(b.Count-a.Count, cmp.Compare(a.Reason, b.Reason)) })
	return out
}

// Drifted returns the scenarios whose answer drifted from the committed cassette.
func (r Report) Drifted() []Scenario {
	var out []Scenario
	for _, sc := range r.Scenarios {
		if len(sc.Drift) > 0 {
			out = append(out, sc)
		}
	}
	return out
}

// Conformant reports whether nothing failed or errored.
func (r Report) Conformant() bool { return r.Summary.States[Fail] == 0 && r.Summary.States[Error] == 0 }
