package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/traffic"
)

// jsonRecordingReport is the --recording --format json shape: one jsonReport per listKeys interaction.
type jsonRecordingReport struct {
	Conformant   bool              `json:"conformant"`
	Recording    string            `json:"recording"`
	Format       traffic.Format    `json:"format"`
	Skipped      int               `json:"skipped"`
	Interactions []jsonInteraction `json:"interactions"`
	Notes        []string          `json:"notes"`
	// Findings are about the recording, not the API (recording.unsanitized-secret): they never change
	// "conformant".
	Findings []contract.Violation `json:"findings"`
}

type jsonInteraction struct {
	Index  int    `json:"index"`
	Method string `json:"method"`
	URL    string `json:"url"`
	Status int    `json:"status"`
	jsonReport
	NotJudged string `json:"notJudged,omitempty"`
}

// validateRecording checks every listKeys interaction of a recording made by another client.
func validateRecording(opts validateOptions, stdout, stderr io.Writer) int {
	fail := func(format string, a ...any) int { return errorf(stderr, "validate", exitUsage, format, a...) }
	switch {
	case opts.definition != "" || opts.status != 0 || opts.requestURL != nil:
		return fail("--definition, --status and --request-url do not apply to --recording: each interaction's status picks its definition, and its URL is the request")
	case opts.recording == "-":
		return fail("--recording needs a file name; recordings are not read from standard input")
	}
	data, err := readCapped(opts.recording, nil, opts.maxBody, maxBodyLimit(opts.maxBody))
	if err != nil {
		return fail("--recording: %v", err)
	}
	rec, err := traffic.Open(opts.recording, data)
	if err != nil {
		return fail("%v", err)
	}
	c := opts.contract
	if opts.byRequest {
		c = nil // each interaction by the contract of its api-version, where there is one
	}
	// Interaction by interaction: each body is judged and dropped, each verdict capped as it comes.
	result, err := traffic.JudgeStream(c, rec, new(listCap).trim)
	if err != nil {
		return fail("%v", err)
	}
	if reason := result.NothingJudged(); reason != "" {
		return fail("%s: %s", opts.recording, reason)
	}
	ok := result.Conformant(opts.strict)
	if opts.format == "json" {
		printRecordingJSON(stdout, opts, result, ok)
	} else {
		printRecordingText(stdout, opts, result, ok)
	}
	if !ok {
		return exitViolations
	}
	return exitOK
}

func printRecordingJSON(w io.Writer, opts validateOptions, result traffic.Result, ok bool) {
	out := jsonRecordingReport{
		Conformant:   ok,
		Recording:    result.Name,
		Format:       result.Format,
		Skipped:      result.Skipped,
		Interactions: []jsonInteraction{},
		Notes:        append([]string{}, result.Notes...),
		Findings:     append([]contract.Violation{}, result.Findings...),
	}
	for _, v := range result.Verdicts {
		in := v.Interaction
		out.Interactions = append(out.Interactions, jsonInteraction{
			Index:  in.Index,
			Method: in.Request.Method,
			URL:    in.RawURL,
			Status: in.Status,
			jsonReport: jsonReport{
				Conformant: v.Conformant(opts.strict),
				Definition: v.Report.Definition,
				Violations: v.Report.Violations,
				Notes:      v.Report.Notes,
				NotChecked: v.Report.NotChecked,
				NotJudged:  v.Report.NotJudged,
			},
			NotJudged: v.NotJudged,
		})
	}
	writeJSON(w, out)
}

func printRecordingText(w io.Writer, opts validateOptions, result traffic.Result, ok bool) {
	// What was checked: listKeys calls, and the regenerateKey calls of a rotation, each named.
	what := "listKeys"
	if regenerate := countRegenerate(result); regenerate > 0 {
		what = fmt.Sprintf("(%d listKeys, %d regenerateKey)", len(result.Verdicts)-regenerate, regenerate)
	}
	fmt.Fprintf(w, "recording %s (%s): %d %s, %d %s checked\n", result.Name, result.Format,
		result.Interactions, plural(result.Interactions, "interaction"), len(result.Verdicts), what)
	for _, n := range result.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	failed, notJudged := 0, 0
	for _, v := range result.Verdicts {
		in := v.Interaction
		title := fmt.Sprintf("#%d %s -> %d", in.Index, in.Target(), in.Status)
		conformant := v.Conformant(opts.strict)
		if !conformant {
			failed++
		}
		if v.NotJudged == "" {
			printText(w, title, v.Report, conformant)
			continue
		}
		notJudged++
		// The header says why the body could not be judged; the lines below it (request violations, notes)
		// are printed exactly as validate prints them.
		fmt.Fprintf(w, "%s: %s: not judged: %s\n", title, v.Report.Definition, v.NotJudged)
		var lines bytes.Buffer
		printText(&lines, title, v.Report, conformant)
		_, rest, _ := strings.Cut(lines.String(), "\n")
		io.WriteString(w, rest)
	}
	for _, f := range result.Findings {
		fmt.Fprintf(w, "  finding %-6s %s %s: %s\n", f.Level, f.Check, f.Path, f.Message)
	}
	verdict := "conformant"
	if !ok {
		verdict = "NOT conformant"
	}
	if what != "listKeys" {
		what = "checked"
	}
	summary := fmt.Sprintf("%s: %s: %d of %d %s %s failed", result.Name, verdict, failed, len(result.Verdicts), what, plural(len(result.Verdicts), "interaction"))
	if notJudged > 0 {
		summary += fmt.Sprintf(" (%d not judged)", notJudged)
	}
	if len(result.Findings) > 0 {
		summary += fmt.Sprintf("; %d unsanitized %s in the recording (not part of the verdict)", len(result.Findings), plural(len(result.Findings), "secret"))
	}
	fmt.Fprintln(w, summary)
}

func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// maxListed bounds the violations and notes one recording's output lists, whatever the number of its
// interactions: past it an interaction lists one violation of each check it breaks (so its verdict reads the
// same) and says how many more it had.
const maxListed = 2000

// listCap counts what the verdicts of one recording list so far.
type listCap struct{ listed int }

// trim caps one verdict's report, in the order of the interactions.
func (c *listCap) trim(v *traffic.Verdict) {
	r := &v.Report
	if n := len(r.Violations) + len(r.Notes); c.listed+n <= maxListed {
		c.listed += n
		return
	}
	seen := map[string]bool{}
	var kept []contract.Violation
	for _, v := range r.Violations {
		if !seen[v.Check] {
			seen[v.Check] = true
			kept = append(kept, v)
		}
	}
	omitted := len(r.Violations) - len(kept) + len(r.Notes)
	r.Violations = kept
	r.Notes = []string{fmt.Sprintf("%d more violations and notes not listed: the output of one recording lists at most %d", omitted, maxListed)}
	c.listed += len(kept) + 1
}

// countRegenerate counts the verdicts on regenerateKey calls.
func countRegenerate(result traffic.Result) int {
	n := 0
	for _, v := range result.Verdicts {
		if v.Interaction.IsRegenerateKeys() {
			n++
		}
	}
	return n
}
