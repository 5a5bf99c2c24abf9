package report

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// The names of the Ginkgo report entries the suites emit and FromGinkgo reads. A spec names the checks it
// asserts ("check", one entry per ID), the scenario it judged ("scenario"), the sanitized exchange
// ("exchange", JSON), its state when Ginkgo's cannot say it ("state": "error" or "drift"), what drifted
// ("drift", one line per difference) and, once per suite, the run's configuration ("run", JSON of Run).
const (
	EntryCheck    = "check"
	EntryScenario = "scenario"
	EntryExchange = "exchange"
	EntryState    = "state"
	EntryDrift    = "drift"
	EntryRun      = "run"
)

// HarnessErrorPrefix starts the failure message of a spec the harness could not run.
const HarnessErrorPrefix = "harness error: "

// Run is what a suite says about the run it belongs to, secrets already masked.
type Run struct {
	Mode          string    `json:"mode"`
	APIVersion    string    `json:"apiVersion"`
	Target        Target    `json:"target"`
	Strict        bool      `json:"strict"`
	Configuration []Setting `json:"configuration"`
}

// Options says what FromGinkgo cannot read from Ginkgo's report.
type Options struct {
	Tool Tool
	// Root is the repository root: file locations are written relative to it (a file elsewhere by its base
	// name), so a report holds no absolute path.
	Root string
}

// ReadGinkgo decodes a Ginkgo JSON report (--json-report): one entry per suite.
func ReadGinkgo(data []byte) ([]GinkgoSuite, error) {
	var suites []GinkgoSuite
	if err := json.Unmarshal(data, &suites); err != nil {
		return nil, fmt.Errorf("not a Ginkgo JSON report (a JSON array of suite reports): %w", err)
	}
	return suites, nil
}

// FromGinkgo makes our report from Ginkgo's. Specs a filter excluded (labels, focus) do not appear: they
// were not part of this run. Setup that failed is an Error, and the specs it kept from running are skipped
// with that reason.
func FromGinkgo(suites []GinkgoSuite, opts Options) Report {
	r := Report{Tool: opts.Tool, Source: "suites"}
	if r.Tool.Name == "" {
		r.Tool.Name = "listkeys-conformance"
	}
	var start, end time.Time
	byKey := map[string]int{}
	for _, suite := range suites {
		if start.IsZero() || (!suite.StartTime.IsZero() && suite.StartTime.Before(start)) {
			start = suite.StartTime
		}
		if suite.EndTime.After(end) {
			end = suite.EndTime
		}
		group := filepath.Base(suite.SuitePath)
		setupFailed := ""
		for _, spec := range suite.SpecReports {
			if run, ok := runEntry(spec); ok && r.Mode == "" {
				r.Mode, r.Target, r.Strict, r.Configuration = run.Mode, run.Target, run.Strict, run.Configuration
				r.Contract.APIVersion = run.APIVersion
			}
			if !spec.LeafNodeType.is(nodeIt) && spec.failed() && setupFailed == "" {
				setupFailed = firstLine(spec.Failure.Message)
			}
		}
		setupErrors := beforeAllErrors(suite.SpecReports)
		scenarioOf := containerScenarios(suite.SpecReports)
		ran := 0
		for _, spec := range suite.SpecReports {
			if spec.LeafNodeType.is(nodeIt) {
				ran++
			}
		}
		for _, spec := range suite.SpecReports {
			res, ok := result(spec, suite.SuiteConfig, keptFromRunning(spec, setupFailed, setupErrors), opts.Root)
			if !ok {
				continue
			}
			if notRun := suite.PreRunStats.SpecsThatWillRun - ran; res.State == Error && !spec.LeafNodeType.is(nodeIt) && notRun > 0 {
				// Ginkgo reports no spec at all when BeforeSuite fails: say how many it kept from running.
				res.Message += fmt.Sprintf("\n(%d specs of the suite did not run)", notRun)
			}
			name := scenarioOf[containerKey(spec)]
			if !spec.LeafNodeType.is(nodeIt) {
				name = "setup of the " + group + " suite"
			}
			key := group + "\x00" + name
			i, seen := byKey[key]
			if !seen {
				i = len(r.Scenarios)
				byKey[key] = i
				r.Scenarios = append(r.Scenarios, Scenario{Name: name, Group: group})
			}
			sc := &r.Scenarios[i]
			if ex, ok := exchangeEntry(spec); ok && sc.Exchange == nil {
				sc.Exchange = ex
			}
			if lines := entries(spec, EntryDrift); len(lines) > 0 && sc.Drift == nil {
				sc.Drift = splitLines(Scrub(lines[0]))
			}
			sc.Results = append(sc.Results, res)
		}
	}
	r.Started = start.UTC()
	if !start.IsZero() && end.After(start) {
		r.DurationSeconds = end.Sub(start).Seconds()
	}
	r.Contract.SchemaDigest = SchemaDigest(r.Contract.APIVersion)
	r.Registry = registryFor(r.Scenarios)
	r.Finish()
	return r
}

// beforeAllErrors maps each container whose BeforeAll the harness could not run to that error. Ginkgo
// reports a BeforeAll's failure on the container's first spec and skips the others.
func beforeAllErrors(specs []GinkgoSpec) map[string]string {
	out := map[string]string{}
	for _, spec := range specs {
		f := spec.Failure
		if !spec.failed() || !f.FailureNodeType.is(nodeBeforeAll) || state(spec, false) != Error ||
			f.FailureNodeContainerIndex >= len(spec.ContainerHierarchyTexts) {
			continue
		}
		key := strings.Join(spec.ContainerHierarchyTexts[:f.FailureNodeContainerIndex+1], "\x00")
		if _, ok := out[key]; !ok {
			out[key] = firstLine(spec.Failure.Message)
		}
	}
	return out
}

// keptFromRunning says why a spec was skipped because a setup it needed ended in Error: the suite's
// (BeforeSuite) or its container's (BeforeAll); "" when none did. Such a spec is an Error too: the harness,
// not the service, kept it from being judged.
func keptFromRunning(spec GinkgoSpec, suiteSetup string, containerSetup map[string]string) string {
	if !spec.LeafNodeType.is(nodeIt) || !spec.State.is(stateSkipped) {
		return ""
	}
	if suiteSetup != "" {
		return "the suite's setup failed (" + suiteSetup + ")"
	}
	msg := spec.Failure.Message
	if !strings.HasPrefix(msg, "Spec skipped because a BeforeAll node failed") &&
		!strings.HasPrefix(msg, "Spec skipped because an earlier spec in an ordered container failed") {
		return ""
	}
	for i := len(spec.ContainerHierarchyTexts); i > 0; i-- {
		if err, ok := containerSetup[strings.Join(spec.ContainerHierarchyTexts[:i], "\x00")]; ok {
			return "its container's setup failed (" + err + ")"
		}
	}
	return ""
}

// result turns one Ginkgo spec into a result, or says it was not part of the run. keptBy is why a setup in
// Error kept the spec from running, if one did.
func result(spec GinkgoSpec, cfg GinkgoConfig, keptBy, root string) (Result, bool) {
	setup := !spec.LeafNodeType.is(nodeIt)
	if setup && !spec.failed() {
		return Result{}, false // a BeforeSuite that passed is not a result
	}
	msg := Scrub(strings.TrimSpace(spec.Failure.Message))
	if spec.State.is(stateSkipped) && msg == "" && filteredOut(spec, cfg) {
		return Result{}, false
	}
	st := state(spec, setup)
	switch {
	case keptBy != "":
		st, msg = Error, "not run: "+Scrub(keptBy)
	case spec.State.is(stateSkipped) && msg == "":
		msg = "not run"
	}
	res := Result{
		Statement:       Scrub(statement(spec)),
		Checks:          checksOf(spec),
		State:           st,
		Location:        location(spec, root),
		DurationSeconds: spec.RunTime.Seconds(),
	}
	res.Level = levelOf(res.Checks)
	if res.State != Pass && res.State != Drift {
		res.Message = msg
		res.Violations = parseViolations(msg)
		res.Pointer = pointerOf(res.Checks, res.Violations)
	}
	return res, true
}

// filteredOut says whether the run's filters (labels, --focus, --skip) left the spec out.
func filteredOut(spec GinkgoSpec, cfg GinkgoConfig) bool {
	if match, err := spec.matchesLabelFilter(cfg.LabelFilter); err == nil && !match {
		return true
	}
	text := spec.fullText()
	matches := func(patterns []string) bool {
		for _, p := range patterns {
			if re, err := regexp.Compile(p); err == nil && re.MatchString(text) {
				return true
			}
		}
		return false
	}
	return (len(cfg.FocusStrings) > 0 && !matches(cfg.FocusStrings)) || matches(cfg.SkipStrings)
}

func state(spec GinkgoSpec, setup bool) State {
	declared := entries(spec, EntryState)
	switch {
	case slices.Contains(declared, string(Error)),
		strings.HasPrefix(strings.TrimSpace(spec.Failure.Message), HarnessErrorPrefix),
		spec.State.is(statePanicked, stateInterrupted, stateAborted, stateTimedout),
		setup && spec.failed():
		return Error
	case spec.State.is(stateFailed):
		return Fail
	case spec.State.is(stateSkipped, statePending):
		return Skip
	case slices.Contains(declared, string(Drift)):
		return Drift
	}
	return Pass
}

// containerScenarios maps each container to the scenario one of its specs named: the scenario is run once
// per container (BeforeAll), so its entry lands on the first spec only. A container none of whose specs
// names a scenario (the documented example, a mutation table) is its own scenario, named by its text.
func containerScenarios(specs []GinkgoSpec) map[string]string {
	out := map[string]string{}
	for _, spec := range specs {
		if names := entries(spec, EntryScenario); len(names) > 0 {
			if _, ok := out[containerKey(spec)]; !ok {
				out[containerKey(spec)] = names[0]
			}
		}
	}
	for _, spec := range specs {
		if _, ok := out[containerKey(spec)]; !ok {
			out[containerKey(spec)] = strings.Join(spec.ContainerHierarchyTexts, " ")
		}
	}
	return out
}

func containerKey(spec GinkgoSpec) string {
	return strings.Join(spec.ContainerHierarchyTexts, "\x00")
}

func statement(spec GinkgoSpec) string {
	if !spec.LeafNodeType.is(nodeIt) {
		return strings.TrimSpace(spec.LeafNodeType.String() + " " + spec.LeafNodeText)
	}
	return strings.TrimSpace(strings.Join(append(slices.Clone(spec.ContainerHierarchyTexts), spec.LeafNodeText), " "))
}

func location(spec GinkgoSpec, root string) string {
	loc := spec.LeafNodeLocation
	if spec.failed() {
		loc = spec.Failure.Location
	}
	if loc.FileName == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d", RelativePath(root, loc.FileName), loc.LineNumber)
}

// RelativePath writes path relative to root, or by its base name when it lies outside root: a report never
// holds an absolute path.
func RelativePath(root, path string) string {
	if root != "" && filepath.IsAbs(path) {
		if rel, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	if filepath.IsAbs(path) {
		return filepath.Base(path)
	}
	return filepath.ToSlash(path)
}

// CheckLabel prefixes the Ginkgo label that carries a check ID a spec asserts (suite.Checks writes them):
// --label-filter='check: {headers.no-cache}'.
const CheckLabel = "check:"

// checksOf lists the checks a spec asserts: its "check" entries, and the IDs of its check labels (a spec
// that never ran, skipped or kept from running by its setup, has no entries).
func checksOf(spec GinkgoSpec) []string {
	out := []string{}
	for _, id := range entries(spec, EntryCheck) {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, l := range spec.labels() {
		if id, ok := strings.CutPrefix(l, CheckLabel); ok && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// entries returns the string values of a spec's report entries of that name, in order.
func entries(spec GinkgoSpec, name string) []string {
	var out []string
	for _, e := range spec.ReportEntries {
		if e.Name != name {
			continue
		}
		if s, ok := e.Value.raw.(string); ok {
			out = append(out, s)
		} else {
			out = append(out, e.Value.String())
		}
	}
	return out
}

func runEntry(spec GinkgoSpec) (Run, bool) {
	for _, e := range spec.ReportEntries {
		if e.Name == EntryRun {
			var run Run
			if json.Unmarshal([]byte(e.Value.AsJSON), &run) == nil && run.Mode != "" {
				return run, true
			}
			if s, ok := e.Value.raw.(string); ok && json.Unmarshal([]byte(s), &run) == nil && run.Mode != "" {
				return run, true
			}
		}
	}
	return Run{}, false
}

func exchangeEntry(spec GinkgoSpec) (*Exchange, bool) {
	for _, value := range entries(spec, EntryExchange) {
		var ex Exchange
		if json.Unmarshal([]byte(value), &ex) == nil && ex.Request.Method != "" {
			return &ex, true
		}
	}
	return nil, false
}

// A violation as the matchers and suite.Assert print it: `MUST schema.format at "/primaryKey/createdAt": …`,
// the level left out in a SHOULD warning.
var violationLine = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?m)(?:^|; |: )\s*(?:(MUST|SHOULD) )?([a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+) at ("(?:[^"\\]|\\.)*"): ([^\n]*?)(?:;|$)`)
})

// parseViolations reads the violations out of a failure or skip message; a message in another shape has none.
func parseViolations(msg string) []Violation {
	var out []Violation
	for _, m := range violationLine().FindAllStringSubmatch(msg, 50) {
		pointer, err := strconv.Unquote(m[3])
		if err != nil {
			continue
		}
		level := m[1]
		if level == "" {
			level = levelOf([]string{m[2]})
		}
		out = append(out, Violation{Check: m[2], Level: level, Pointer: pointer, Message: strings.TrimSpace(m[4])})
	}
	return out
}

// pointerOf is the JSON Pointer of the first violation of a check the spec asserts, or of the first violation.
func pointerOf(checks []string, vs []Violation) string {
	for _, v := range vs {
		if slices.Contains(checks, v.Check) {
			return v.Pointer
		}
	}
	if len(vs) > 0 {
		return vs[0].Pointer
	}
	return ""
}

// levelOf is the strongest level among registry checks: MUST before SHOULD; NoLevel when none is known.
func levelOf(ids []string) string {
	level := NoLevel
	for _, id := range ids {
		c, ok := contract.CheckByID(contract.ID(id))
		switch {
		case !ok:
		case c.Level == contract.MUST:
			return string(contract.MUST)
		default:
			level = string(c.Level)
		}
	}
	return level
}

// registryFor lists the registry entries the results name, in the registry's order.
func registryFor(scenarios []Scenario) []Check {
	used := map[string]bool{}
	for _, sc := range scenarios {
		for _, res := range sc.Results {
			for _, id := range res.Checks {
				used[id] = true
			}
			for _, v := range res.Violations {
				used[v.Check] = true
			}
		}
	}
	out := []Check{}
	for _, c := range contract.Checks() {
		if used[string(c.ID)] {
			out = append(out, Check{ID: string(c.ID), Level: string(c.Level), Statement: c.Statement, Source: c.Source})
		}
	}
	return out
}

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if line, _, ok := strings.Cut(s, "\n"); ok {
		return strings.TrimSpace(line)
	}
	return s
}
