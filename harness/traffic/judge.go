package traffic

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
	// Unusable says why the response body could not be judged at all ("" when it was judged).
	Unusable string
}

// Conformant reports whether the interaction was judged and passed (when strict, without any violation).
func (v Verdict) Conformant(strict bool) bool {
	return v.Unusable == "" && v.Report.Conformant(strict)
}

// Result is the judgement of a recording.
type Result struct {
	Verdicts []Verdict
	// Skipped counts the interactions that are not listKeys calls; Notes name them.
	Skipped int
	Notes   []string
}

// Conformant reports whether every listKeys interaction was judged and passed.
func (r Result) Conformant(strict bool) bool {
	for _, v := range r.Verdicts {
		if !v.Conformant(strict) {
			return false
		}
	}
	return true
}

// Judge checks every listKeys interaction of a recording: the request with ValidateRequest, the response
// with the definition its status calls for, the request attached so that connection strings are compared
// with the requested workspace. A body that is not JSON makes that interaction unusable and the others are
// still judged. The error wraps ErrNoListKeys when there is nothing to judge.
func Judge(c *contract.Contract, rec Recording) (Result, error) {
	return JudgeEach(func(Interaction) *contract.Contract { return c }, rec)
}

// JudgeEach is Judge with the contract picked per interaction (a recording may span api-versions).
func JudgeEach(contractFor func(Interaction) *contract.Contract, rec Recording) (Result, error) {
	var res Result
	var skipped []string
	for _, in := range rec.Interactions {
		if !in.IsListKeys() && !in.IsRegenerateKeys() {
			skipped = append(skipped, fmt.Sprintf("#%d %s", in.Index, in.Request.Method+" "+pathOf(in)))
			continue
		}
		v, err := judge(contractFor(in), in)
		if err != nil {
			return Result{}, fmt.Errorf("%s: interaction #%d: %w", rec.Name, in.Index, err)
		}
		res.Verdicts = append(res.Verdicts, v)
	}
	if len(res.Verdicts) == 0 {
		return Result{}, fmt.Errorf("%s: %w among its %d %s (%s); a listKeys interaction is a request to …/providers/Microsoft.Quantum/workspaces/{workspace}/listKeys",
			rec.Name, ErrNoListKeys, len(rec.Interactions), plural(len(rec.Interactions), "interaction"), describe(rec.Format))
	}
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

func judge(c *contract.Contract, in Interaction) (Verdict, error) {
	c = c.ForRequest(in.Request.URL) // listKeys, or regenerateKey
	req, authNote := authorizationForRecording(in.Request)
	request := c.ValidateRequest(req)
	response, err := c.ValidateAnswer(contract.Exchange{Status: in.Status, Header: in.Header, Body: in.Body, Request: &req})
	v := Verdict{Interaction: in}
	switch {
	case errors.Is(err, contract.ErrInput):
		v.Unusable = unusable(in.Body, err)
		response = contract.Report{Definition: c.DefinitionFor(in.Status)}
	case err != nil:
		return Verdict{}, err
	}
	v.Report = contract.Report{
		Definition: response.Definition,
		Violations: append(append([]contract.Violation{}, request.Violations...), response.Violations...),
		Notes:      append([]string{}, in.Notes...),
	}
	if authNote != "" {
		v.Report.Notes = append(v.Report.Notes, authNote)
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

// unusable explains why a body could not be judged. A recorder's sanitizer that swaps a non-string value
// (apiKeyEnabled: true) for a bare marker breaks the JSON; that is named as such, since the fix is in the
// recorder's configuration, not in the service.
func unusable(body []byte, err error) string {
	if word, at, ok := barePlaceholder(body); ok {
		return fmt.Sprintf("the body is not JSON: an unquoted placeholder %s at byte %d; the recorder's sanitizer broke the JSON", clip(word), at)
	}
	return strings.TrimPrefix(err.Error(), contract.ErrInput.Error()+": ")
}

// barePlaceholder finds the first bare word outside JSON strings — what makes the body invalid — and
// reports it when it is a placeholder. Literals and numbers are JSON and skipped.
func barePlaceholder(body []byte) (string, int, bool) {
	inString, escaped := false, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		case c == '"':
			inString = true
			continue
		case strings.IndexByte("{}[],: \t\r\n", c) >= 0:
			continue
		}
		end := i
		for end < len(body) && strings.IndexByte("{}[],:\" \t\r\n", body[end]) < 0 {
			end++
		}
		word := string(body[i:end])
		if json.Valid([]byte(word)) {
			i = end - 1
			continue
		}
		if contract.IsPlaceholder(word) {
			return word, i, true
		}
		return "", 0, false
	}
	return "", 0, false
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
