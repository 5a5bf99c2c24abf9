package traffic

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// ErrNoListKeys marks a recording without a single listKeys interaction: there is nothing to check.
var ErrNoListKeys = errors.New("no listKeys interaction")

// IsListKeys reports whether the interaction calls List Keys: its path ends in /listKeys under
// …/providers/Microsoft.Quantum/workspaces/…, case-insensitively as ARM routes. The method does not matter:
// a GET to listKeys is a listKeys call with the wrong method, which the request checks report.
func (in Interaction) IsListKeys() bool {
	path := in.RawURL
	if in.Request.URL != nil {
		path = in.Request.URL.EscapedPath()
	} else {
		path, _, _ = strings.Cut(path, "?")
		path, _, _ = strings.Cut(path, "#")
		if _, rest, ok := strings.Cut(path, "://"); ok {
			_, path, _ = strings.Cut(rest, "/")
			path = "/" + path
		}
	}
	path = strings.ToLower(strings.TrimRight(path, "/"))
	return strings.HasSuffix(path, "/listkeys") && strings.Contains(path, "/providers/microsoft.quantum/workspaces/")
}

// IsRegenerateKeys reports whether the interaction calls Regenerate Keys (…/workspaces/{workspace}/regenerateKey),
// which a rotation records between its listKeys calls.
func (in Interaction) IsRegenerateKeys() bool {
	if in.Request.URL == nil {
		return false
	}
	path := strings.ToLower(strings.TrimRight(in.Request.URL.EscapedPath(), "/"))
	return strings.HasSuffix(path, "/regeneratekey") && strings.Contains(path, "/providers/microsoft.quantum/workspaces/")
}

// Target is the request line as reports show it: the method and the path with its query, or the recorded
// URL when it does not parse.
func (in Interaction) Target() string {
	if in.Request.URL != nil {
		return in.Request.Method + " " + in.Request.URL.RequestURI()
	}
	return in.Request.Method + " " + in.RawURL
}

// Verdict is the contract's judgement of one listKeys interaction.
type Verdict struct {
	Interaction Interaction
	// Report merges the request's violations and notes with the response's; Definition is the response's.
	Report contract.Report
	// NotJudged says why the response body could not be judged at all ("" when it was): a recorder's
	// sanitizer broke its JSON. That is no violation; the request is still judged.
	NotJudged string
	// APIVersion is the api-version of the contract the interaction was judged by.
	APIVersion string
}

// Conformant reports whether the interaction shows no violation (when strict, of any level). A response
// that was not judged shows none: Result tells whether anything was judged at all.
func (v Verdict) Conformant(strict bool) bool {
	return v.Report.Conformant(strict)
}

// Result is the judgement of a recording.
type Result struct {
	// Name, Format and Interactions are the recording's file name, format and number of interactions.
	Name         string
	Format       Format
	Interactions int
	Verdicts     []Verdict
	// Skipped counts the interactions that are not listKeys calls; Notes name them.
	Skipped int
	Notes   []string
	// Findings are about the recording itself, not the API (recording.unsanitized-secret): warnings that
	// never change the verdict, strict or not.
	Findings []contract.Violation
}

// Conformant reports whether no listKeys interaction violates the contract.
func (r Result) Conformant(strict bool) bool {
	for _, v := range r.Verdicts {
		if !v.Conformant(strict) {
			return false
		}
	}
	return true
}

// Judged counts the interactions whose response was judged.
func (r Result) Judged() int {
	n := 0
	for _, v := range r.Verdicts {
		if v.NotJudged == "" {
			n++
		}
	}
	return n
}

// NothingJudged says, in one line, why no interaction could be judged, or "" when some was (or when a
// request already violates the contract, which is a judgement).
func (r Result) NothingJudged() string {
	if r.Judged() > 0 || !r.Conformant(true) || len(r.Verdicts) == 0 {
		return ""
	}
	return fmt.Sprintf("nothing could be judged: %d listKeys %s not judged (first, #%d: %s)",
		len(r.Verdicts), plural(len(r.Verdicts), "interaction was", "interactions were"), r.Verdicts[0].Interaction.Index, r.Verdicts[0].NotJudged)
}

// Judge checks every listKeys interaction of a recording with one contract: the request with
// ValidateRequest, the response with the definition its status calls for, the request attached so that
// connection strings are compared with the requested workspace. A body a recorder's sanitizer broke is not
// judged, and the others still are. The error wraps ErrNoListKeys when there is nothing to judge.
func Judge(c *contract.Contract, rec Recording) (Result, error) {
	return judgeAll(rec, func(string) (*contract.Contract, bool) { return c, false })
}

// JudgeByAPIVersion is Judge with, for each interaction, the contract of its api-version where the suite
// has one (contract.ForAPIVersion), else the default contract. Each api-version judged by the default is
// named once in the notes, and its interactions are not reported for asking another api-version.
func JudgeByAPIVersion(rec Recording) (Result, error) {
	pick, err := byAPIVersion()
	if err != nil {
		return Result{}, err
	}
	return judgeAll(rec, pick)
}

// JudgeStream is Judge of a recording read from s (JudgeByAPIVersion when c is nil): one interaction's body
// in memory at a time. A verdict keeps of its interaction only its index, request line and status, and is
// passed to keep (which may trim its report) before it is kept.
func JudgeStream(c *contract.Contract, s *Stream, keep func(*Verdict)) (Result, error) {
	pick := func(string) (*contract.Contract, bool) { return c, false }
	if c == nil {
		var err error
		if pick, err = byAPIVersion(); err != nil {
			return Result{}, err
		}
	}
	j := judging{pick: pick, name: s.Name, res: Result{Format: s.Format}}
	err := s.Each(func(in Interaction) error {
		v, err := j.add(in)
		if err != nil || v == nil {
			return err
		}
		v.Interaction = Interaction{Index: in.Index, Request: contract.Request{Method: in.Request.Method, URL: in.Request.URL}, RawURL: in.RawURL, Status: in.Status}
		keep(v)
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	return j.result(s.Format, s.Len)
}

// byAPIVersion picks the contract of an interaction's api-version where the suite has one
// (contract.ForAPIVersion), else the default contract, saying that it fell back.
func byAPIVersion() (func(string) (*contract.Contract, bool), error) {
	def, err := contract.Default()
	if err != nil {
		return nil, err
	}
	contracts := map[string]*contract.Contract{}
	return func(v string) (*contract.Contract, bool) {
		if v == "" {
			return def, false // a missing api-version is the request checks' finding
		}
		c, seen := contracts[v]
		if !seen {
			c, _ = contract.ForAPIVersion(v)
			contracts[v] = c
		}
		if c == nil {
			return def, true
		}
		return c, false
	}, nil
}

func judgeAll(rec Recording, pick func(apiVersion string) (*contract.Contract, bool)) (Result, error) {
	j := judging{pick: pick, name: rec.Name, res: Result{Format: rec.Format}}
	for _, in := range rec.Interactions {
		if _, err := j.add(in); err != nil {
			return Result{}, err
		}
	}
	return j.result(rec.Format, len(rec.Interactions))
}

// judging is the judgement of a recording under way, fed one interaction at a time.
type judging struct {
	pick          func(apiVersion string) (*contract.Contract, bool)
	name          string
	res           Result
	skipped       []string
	fallback      map[string]int
	fallbackOrder []string
	fallbackTo    string
}

// add scans an interaction for unsanitized secrets and, when it calls listKeys or regenerateKey, judges it:
// the verdict is kept in the result, and returned so that the caller may trim it.
func (j *judging) add(in Interaction) (*Verdict, error) {
	// Secrets are looked for by the default contract's secret properties (Judge: its contract's).
	def, _ := j.pick("")
	j.res.Findings = append(j.res.Findings, unsanitizedSecrets(def, in)...)
	if !in.IsListKeys() && !in.IsRegenerateKeys() {
		j.skipped = append(j.skipped, fmt.Sprintf("#%d %s", in.Index, in.Request.Method+" "+pathOf(in)))
		return nil, nil
	}
	version := in.APIVersion()
	c, fellBack := j.pick(version)
	if fellBack {
		j.fallbackTo = c.Operation.APIVersion
		if j.fallback == nil {
			j.fallback = map[string]int{}
		}
		if j.fallback[version] == 0 {
			j.fallbackOrder = append(j.fallbackOrder, version)
		}
		j.fallback[version]++
	}
	v, err := judge(c, in, j.res.Format, fellBack)
	if err != nil {
		return nil, fmt.Errorf("%s: interaction #%d: %w", j.name, in.Index, err)
	}
	j.res.Verdicts = append(j.res.Verdicts, v)
	return &j.res.Verdicts[len(j.res.Verdicts)-1], nil
}

// result ends the judgement of the n interactions of a recording in format.
func (j *judging) result(format Format, n int) (Result, error) {
	res := j.res
	res.Name, res.Format, res.Interactions = j.name, format, n
	if len(res.Verdicts) == 0 {
		return Result{}, fmt.Errorf("%s: %w among its %d %s (%s); a listKeys interaction is a request to …/providers/Microsoft.Quantum/workspaces/{workspace}/listKeys",
			j.name, ErrNoListKeys, n, plural(n, "interaction"), describe(format))
	}
	for _, version := range j.fallbackOrder {
		res.Notes = append(res.Notes, fmt.Sprintf("api-version %s has no contract in this suite: its %d listKeys %s judged by the contract of %s, and not reported for asking another api-version",
			version, j.fallback[version], plural(j.fallback[version], "interaction is", "interactions are"), j.fallbackTo))
	}
	skipped := j.skipped
	res.Skipped = len(skipped)
	if len(skipped) > 0 {
		const shown = 5
		more := ""
		if len(skipped) > shown {
			more = fmt.Sprintf(" and %d more", len(skipped)-shown)
			skipped = skipped[:shown]
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%d %s not listKeys and not checked: %s%s",
			res.Skipped, plural(res.Skipped, "interaction is", "interactions are"), strings.Join(skipped, ", "), more))
	}
	return res, nil
}

// APIVersion is the api-version the request asked for, or "".
func (in Interaction) APIVersion() string {
	if in.Request.URL == nil {
		return ""
	}
	return in.Request.URL.Query().Get("api-version")
}

func judge(c *contract.Contract, in Interaction, format Format, otherVersion bool) (Verdict, error) {
	c = c.ForRequest(in.Request.URL) // listKeys, or regenerateKey
	req, authNote := authorizationForRecording(in.Request)
	request := c.ValidateRequest(req)
	if otherVersion {
		request.Violations = slices.DeleteFunc(request.Violations, func(v contract.Violation) bool { return v.Check == "request.api-version" })
	}
	// The verdict serve and the suites give the same answer (contract.Judge): a body that is not JSON is a
	// fail of response.json, the checks on its bytes still judged; one a sanitizer broke is not judged.
	response := c.Judge(contract.Exchange{Status: in.Status, Header: in.Header, Body: in.Body, Request: &req, NotRecorded: RemovedHeaders(format)})
	v := Verdict{Interaction: in, APIVersion: c.Operation.APIVersion, NotJudged: response.NotJudged}
	if v.NotJudged != "" {
		response.Notes = nil // the verdict says why, once
	}
	v.Report = contract.Report{
		Definition: response.Definition,
		Violations: append(append([]contract.Violation{}, request.Violations...), response.Violations...),
		Notes:      append([]string{}, in.Notes...),
	}
	v.Report.NotJudged = v.NotJudged
	v.Report.NotChecked = append(append([]contract.Unchecked{}, request.NotChecked...), response.NotChecked...)
	if authNote != "" {
		v.Report.Notes = append(v.Report.Notes, authNote)
		v.Report.NotChecked = append(v.Report.NotChecked, contract.Unchecked{Check: contract.RequestAuth, Path: "/request/headers/authorization", Reason: authNote})
	}
	v.Report.Notes = append(append(v.Report.Notes, request.Notes...), response.Notes...)
	return v, nil
}

// authorizationForRecording accounts for what recorders do to credentials: they redact the token
// ("Sanitized", "REDACTED", "Bearer <token>") or drop the header. Either way the client may well have sent
// it, so it counts as present and the note says it was not checked. A real-looking value is left to the
// request checks. The request's header map is not changed.
func authorizationForRecording(req contract.Request) (contract.Request, string) {
	auth := strings.TrimSpace(req.Header.Get("Authorization"))
	_, token, _ := strings.Cut(auth, " ")
	var note string
	switch {
	case auth == "":
		note = "the recording has no Authorization header (the recorder may have removed it): request.authorization not checked"
	case contract.IsPlaceholder(auth) || contract.IsPlaceholder(strings.TrimSpace(token)):
		note = fmt.Sprintf("Authorization is redacted in the recording (%q): taken as present, not checked", clip(auth))
	default:
		return req, ""
	}
	req.Header = req.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("Authorization", "Bearer "+contract.Redacted)
	return req, note
}

func pathOf(in Interaction) string {
	if in.Request.URL != nil {
		return in.Request.URL.EscapedPath()
	}
	return in.RawURL
}

func plural(n int, forms ...string) string {
	if n == 1 {
		return forms[0]
	}
	if len(forms) > 1 {
		return forms[1]
	}
	return forms[0] + "s"
}
