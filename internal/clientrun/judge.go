package clientrun

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

// MaxAttempts bounds the requests of one run (client.bounded-attempts): azcore's default retry policy sends
// 4 (MaxRetries 3, suites/clients shows it); 10 leaves room for a more patient policy, more is a retry storm.
const MaxAttempts = 10

// Verdict is one client check on one run.
type Verdict struct {
	Check   contract.ID
	State   report.State
	Message string
}

// Kind is what a scenario asks of a client.
type Kind string

const (
	Success   Kind = "success"   // 200 with the keys (or keys disabled): exit 0
	Transient Kind = "transient" // fails once, then 200: retry and succeed, or fail naming the cause
	Refusal   Kind = "refusal"   // an error answer that stays an error: exit non-zero, error.code shown
)

// KindOf is what scenario s asks of a client.
func (r Run) Kind() Kind {
	switch s := r.Scenario; {
	case s.Status < 300:
		return Success
	case s.Then != 0 && s.Then < 300:
		return Transient
	}
	return Refusal
}

// Expectation says in words what the scenario answers and what a client should do.
func (r Run) Expectation() string {
	s := r.Scenario
	answer := fmt.Sprintf("%d", s.Status)
	if s.Code != "" {
		answer += " " + s.Code
	}
	if s.Then != 0 {
		answer += fmt.Sprintf(", then %d", s.Then)
	}
	switch r.Kind() {
	case Success:
		return answer + ": the client exits 0"
	case Transient:
		return answer + ": the client retries (after Retry-After when given) and succeeds, or fails naming " + s.Code
	}
	return answer + ": the client exits non-zero and shows " + s.Code + ", without retrying a 4xx"
}

// Did says in one line what the client did.
func (r Run) Did() string {
	var b strings.Builder
	switch {
	case r.Skipped != "":
		return "not played: " + r.Skipped
	case r.StartError != "":
		return "could not start: " + r.StartError
	case r.TimedOut:
		fmt.Fprintf(&b, "killed (its process group) after %s, the timeout", r.Duration.Round(time.Millisecond))
	default:
		fmt.Fprintf(&b, "exit %d after %s", r.ExitCode, r.Duration.Round(time.Millisecond))
	}
	fmt.Fprintf(&b, "; %d request(s)", len(r.Requests))
	for i, e := range r.Requests {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		fmt.Fprintf(&b, "%s%s %d", sep, e.Method, e.Status)
		if e.ErrorCode != "" {
			b.WriteString(" " + e.ErrorCode)
		}
		if e.Retry != nil {
			fmt.Fprintf(&b, " (after waiting %.1fs)", e.Retry.WaitedSeconds)
		}
	}
	fmt.Fprintf(&b, "; stdout %d bytes, stderr %d bytes", len(r.Stdout), len(r.Stderr))
	if r.OutputCut {
		fmt.Fprintf(&b, " (cut at %d bytes each)", MaxOutput)
	}
	return b.String()
}

// Outcome of a transient scenario: whether the client retried and succeeded or failed naming the cause; ""
// for any other scenario or when it did neither.
func (r Run) Outcome() string {
	if r.Kind() != Transient || r.TimedOut || r.StartError != "" {
		return ""
	}
	n := len(r.Requests)
	switch {
	case r.ExitCode == 0 && n >= 2 && r.Requests[n-1].Status == http.StatusOK:
		return "retried and succeeded"
	case r.ExitCode != 0 && r.shows(r.Scenario.Code):
		return "failed naming the cause (" + r.Scenario.Code + ")"
	}
	return ""
}

func (r Run) output() []byte { return append(append([]byte(nil), r.Stdout...), r.Stderr...) }

func (r Run) shows(s string) bool { return s != "" && bytes.Contains(r.output(), []byte(s)) }

// Verdicts judges the run by the client checks that apply to its scenario.
func (r Run) Verdicts() []Verdict {
	if r.Skipped != "" {
		return nil
	}
	var out []Verdict
	add := func(id contract.ID, failure string, pass string) {
		if failure != "" {
			out = append(out, Verdict{id, report.Fail, failure})
		} else {
			out = append(out, Verdict{id, report.Pass, pass})
		}
	}
	if r.StartError != "" {
		add(contract.ClientCalls, "the command could not start: "+r.StartError, "")
		return out
	}
	n := len(r.Requests)
	if n == 0 {
		if r.TimedOut {
			add(contract.ClientCalls, "the client sent no request and was killed at the timeout: it hangs", "")
		} else {
			add(contract.ClientCalls, fmt.Sprintf("the client exited %d after %s without sending a request", r.ExitCode, r.Duration.Round(time.Millisecond)), "")
		}
	} else {
		add(contract.ClientCalls, "", fmt.Sprintf("%d request(s)", n))
		add(contract.ClientRequests, r.requestViolations(), "every request passes the request checks")
		add(contract.ClientBounded, when(n > MaxAttempts, fmt.Sprintf("%d requests in one run; at most %d are allowed", n, MaxAttempts)), fmt.Sprintf("%d request(s)", n))
	}
	add(contract.ClientNoToken, when(r.Token != "" && r.shows(r.Token), "the bearer token appears in the client's output"), "the token does not appear in the output")

	exitProblem := ""
	if r.TimedOut {
		exitProblem = "the client did not finish and was killed at the timeout"
	}
	switch r.Kind() {
	case Success:
		id := contract.ClientExitSuccess
		if r.Scenario.Name != "ok" {
			id = contract.ClientShapes
		}
		add(id, cmpOr(exitProblem, when(r.ExitCode != 0, fmt.Sprintf("exit %d on a 200 (%s)", r.ExitCode, r.Scenario.Note))), "exit 0")
		if r.Scenario.Name == "ok" && slices.ContainsFunc(r.AcceptEncoding, func(a string) bool { return strings.Contains(a, "gzip") }) {
			add(contract.ClientShapes, cmpOr(exitProblem, when(r.ExitCode != 0, fmt.Sprintf("exit %d on the gzip-encoded answer it asked for", r.ExitCode))), "exit 0 on the gzip-encoded answer it asked for")
		}
	case Transient:
		outcome := r.Outcome()
		failure := cmpOr(exitProblem, when(outcome == "", fmt.Sprintf("neither retried and succeeded nor failed naming %s (exit %d, %d request(s), last answered %d)",
			r.Scenario.Code, r.ExitCode, n, lastStatus(r.Requests))))
		add(contract.ClientTransient, failure, outcome)
	case Refusal:
		add(contract.ClientExitRefusal, cmpOr(exitProblem, when(r.ExitCode == 0, fmt.Sprintf("exit 0 on a %d %s", r.Scenario.Status, r.Scenario.Code))), fmt.Sprintf("exit %d", r.ExitCode))
		add(contract.ClientErrorCode, when(!r.shows(r.Scenario.Code), r.Scenario.Code+" appears on neither stdout nor stderr"), r.Scenario.Code+" shown")
		keys := append(contract.KeysByShape(string(r.output())), contract.APIKeysIn(string(r.output()))...)
		add(contract.ClientNoKey, when(len(keys) > 0, fmt.Sprintf("%d key-shaped value(s) in the output of a refused request", len(keys))), "nothing key-shaped in the output")
		if retried := r.retriedRefusal(); retried != "" || isClientError(r.Scenario.Status) {
			add(contract.ClientNoRetry4xx, retried, "sent once")
		}
	}
	if r.Scenario.Status == http.StatusTooManyRequests && n > 0 {
		add(contract.ClientRetry, r.impatient(), "waited at least Retry-After before any retry")
	}
	return out
}

func when(cond bool, msg string) string {
	if cond {
		return msg
	}
	return ""
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func lastStatus(es []server.Entry) int {
	if len(es) == 0 {
		return 0
	}
	return es[len(es)-1].Status
}

func isClientError(status int) bool {
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	}
	return false
}

// retriedRefusal says which request followed a 400, 401, 403 or 404.
func (r Run) retriedRefusal() string {
	for i, e := range r.Requests[:max(len(r.Requests)-1, 0)] {
		if isClientError(e.Status) {
			return fmt.Sprintf("request #%d was answered %d %s, and the client sent %d more", i+1, e.Status, e.ErrorCode, len(r.Requests)-1-i)
		}
	}
	return ""
}

// impatient says which retry came before Retry-After had passed (the server judges each wait).
func (r Run) impatient() string {
	for i, e := range r.Requests {
		if e.Retry != nil && !e.Retry.WaitedEnough {
			return fmt.Sprintf("request #%d came %.3fs after a 429 with Retry-After: %s; it should have waited %.0fs", i+1, e.Retry.WaitedSeconds, e.Retry.RetryAfter, e.Retry.RequiredSeconds)
		}
	}
	return ""
}

// requestViolations lists the MUST request checks the run's requests fail.
func (r Run) requestViolations() string {
	var found []string
	for i, e := range r.Requests {
		for _, v := range e.Request.Violations {
			if v.Level == contract.MUST && strings.HasPrefix(v.Check, "request.") {
				found = append(found, fmt.Sprintf("request #%d: %s: %s", i+1, v.Check, v.Message))
			}
		}
	}
	return strings.Join(found, "; ")
}

// Failed is the set of checks some run failed, each with the scenarios that failed it.
func (res *Result) Failed() map[contract.ID][]string {
	out := map[contract.ID][]string{}
	for _, run := range res.Runs {
		for _, v := range run.Verdicts() {
			if v.State == report.Fail {
				out[v.Check] = append(out[v.Check], run.Scenario.Name)
			}
		}
	}
	return out
}

// Run returns the run of the named scenario.
func (res *Result) Run(name string) (Run, bool) {
	for _, r := range res.Runs {
		if r.Scenario.Name == name {
			return r, true
		}
	}
	return Run{}, false
}
