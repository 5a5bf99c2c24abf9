package report

import (
	"fmt"
	"strings"
)

// maxMarkdownFailures bounds report.md, which is pasted into issues and job summaries (GitHub caps a job
// summary at 1 MiB); report.html holds every result.
const maxMarkdownFailures = 100

// Markdown renders the report as GitHub-flavoured Markdown: the summary, then the failures, the drift and
// the skip reasons.
func (r Report) Markdown() []byte {
	var b strings.Builder
	verdict := "conformant (no failure, no error)"
	if !r.Conformant() {
		verdict = fmt.Sprintf("**not conformant**: %d failed, %d errors", r.Summary.States[Fail], r.Summary.States[Error])
	}
	fmt.Fprintf(&b, "## listkeys-conformance: %s\n\n", verdict)
	fmt.Fprintf(&b, "%s mode, api-version `%s`, %d results in %.1f s, %s. Contract `%s`.",
		orDash(r.Mode), orDash(r.Contract.APIVersion), r.Summary.Total, r.DurationSeconds, r.Started.Format("2006-01-02 15:04:05 UTC"), orDash(r.Contract.SchemaDigest))
	if t := r.Target; t.Endpoint != "" || t.Workspace != "" {
		fmt.Fprintf(&b, " Target: `%s`, subscription `%s`, resource group `%s`, workspace `%s`.", orDash(t.Endpoint), orDash(t.Subscription), orDash(t.ResourceGroup), orDash(t.Workspace))
	}
	b.WriteString("\n\n| level |")
	for _, s := range States {
		fmt.Fprintf(&b, " %s |", stateTitle(s))
	}
	b.WriteString(" Total |\n| --- |")
	for range States {
		b.WriteString(" ---: |")
	}
	b.WriteString(" ---: |\n")
	for _, l := range Levels {
		fmt.Fprintf(&b, "| %s |", l)
		total := 0
		for _, s := range States {
			fmt.Fprintf(&b, " %d |", r.Summary.Levels[l][s])
			total += r.Summary.Levels[l][s]
		}
		fmt.Fprintf(&b, " %d |\n", total)
	}
	b.WriteString("| **all** |")
	for _, s := range States {
		fmt.Fprintf(&b, " **%d** |", r.Summary.States[s])
	}
	fmt.Fprintf(&b, " **%d** |\n", r.Summary.Total)

	if failing := r.Failing(); len(failing) > 0 {
		fmt.Fprintf(&b, "\n### Failures (%d)\n\n| state | check | pointer | scenario | statement | message |\n| --- | --- | --- | --- | --- | --- |\n", len(failing))
		for i, f := range failing {
			if i == maxMarkdownFailures {
				fmt.Fprintf(&b, "\n… and %d more: see report.html.\n", len(failing)-maxMarkdownFailures)
				break
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", stateTitle(f.Result.State), code(strings.Join(checkIDs(f.Result), ", ")),
				code(f.Result.Pointer), cell(f.Scenario.Group+"/"+f.Scenario.Name), cell(f.Result.Statement), cell(Reason(f.Result)))
		}
	}
	if drifted := r.Drifted(); len(drifted) > 0 {
		b.WriteString("\n### Drift from the committed cassettes\n\n")
		for _, sc := range drifted {
			fmt.Fprintf(&b, "- **%s** (%s): %s\n", cell(sc.Name), stateTitle(sc.State), cell(strings.Join(sc.Drift, "; ")))
		}
	}
	if skips := r.Skips(); len(skips) > 0 {
		b.WriteString("\n<details><summary>Skipped, by reason</summary>\n\n| count | reason |\n| ---: | --- |\n")
		for _, s := range skips {
			fmt.Fprintf(&b, "| %d | %s |\n", s.Count, cell(s.Reason))
		}
		b.WriteString("\n</details>\n")
	}
	return []byte(b.String())
}

// cell makes text safe inside a Markdown table cell: one line, pipes escaped, HTML not interpreted.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	r := strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "&", "&amp;")
	return r.Replace(s)
}

// code puts text in a code span ("" for nothing), choosing a fence the text does not contain.
func code(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(strings.Join(strings.Fields(s), " "), "|", `\|`)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + " " + s + " " + fence
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
