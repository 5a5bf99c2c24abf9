package report

import (
	"fmt"
	"io"
	"strings"
)

// The files Write writes into a report folder.
const (
	JSONFile     = "report.json"
	HTMLFile     = "report.html"
	MarkdownFile = "report.md"
	JUnitFile    = "junit.xml"
)

// maxListed bounds each list of the terminal summary; the files hold everything.
const maxListed = 40

// WriteSummary writes the screen a run ends with: what ran against what, the configuration once, the counts by
// state and level, each failing result on one line, the skip reasons grouped, what drifted, and where the
// reports are.
func (r Report) WriteSummary(w io.Writer, paths []string) {
	var b strings.Builder
	fmt.Fprintf(&b, "\nlistkeys-conformance %s: %s mode, api-version %s, %d results in %.1f s\n",
		orDash(r.Tool.Version), orDash(r.Mode), orDash(r.Contract.APIVersion), r.Summary.Total, r.DurationSeconds)
	if len(r.Configuration) > 0 {
		b.WriteString("configuration (secrets masked):\n")
		for _, s := range r.Configuration {
			fmt.Fprintf(&b, "  %s=%s\n", s.Name, s.Value)
		}
	}
	b.WriteString("\n")
	writeTable(&b, r.Summary)
	if failing := r.Failing(); len(failing) > 0 {
		fmt.Fprintf(&b, "\nfailing (%d):\n", len(failing))
		for i, f := range failing {
			if i == maxListed {
				fmt.Fprintf(&b, "  ... and %d more (see the reports)\n", len(failing)-maxListed)
				break
			}
			fmt.Fprintf(&b, "  %s\n", failingLine(f))
		}
	}
	if skips := r.Skips(); len(skips) > 0 {
		b.WriteString("\nskipped, by reason:\n")
		for i, s := range skips {
			if i == maxListed {
				fmt.Fprintf(&b, "  ... and %d more reasons\n", len(skips)-maxListed)
				break
			}
			fmt.Fprintf(&b, "  %4d  %s\n", s.Count, s.Reason)
		}
	}
	if drifted := r.Drifted(); len(drifted) > 0 {
		b.WriteString("\ndrift from the committed cassettes:\n")
		for _, sc := range drifted {
			for _, l := range sc.Drift {
				fmt.Fprintf(&b, "  %s: %s\n", sc.Name, l)
			}
		}
	}
	if len(paths) > 0 {
		fmt.Fprintf(&b, "\nreports: %s\n", strings.Join(paths, " "))
	}
	// The plain count CI systems read (errors count as failed, drift as passed), then the verdict.
	st := r.Summary.States
	fmt.Fprintf(&b, "%s: %d passed, %d failed, %d skipped\n", r.Mode, st[Pass]+st[Drift], st[Fail]+st[Error], st[Skip])
	verdict := "CONFORMANT: no failure, no error"
	if !r.Conformant() {
		verdict = fmt.Sprintf("NOT CONFORMANT: %d failed, %d errors", r.Summary.States[Fail], r.Summary.States[Error])
	}
	fmt.Fprintf(&b, "%s\n", verdict)
	io.WriteString(w, b.String())
}

func writeTable(b *strings.Builder, s Summary) {
	fmt.Fprintf(b, "  %-8s", "level")
	for _, st := range States {
		fmt.Fprintf(b, " %6s", stateTitle(st))
	}
	fmt.Fprintf(b, " %6s\n", "Total")
	for _, l := range Levels {
		fmt.Fprintf(b, "  %-8s", l)
		total := 0
		for _, st := range States {
			fmt.Fprintf(b, " %6d", s.Levels[l][st])
			total += s.Levels[l][st]
		}
		fmt.Fprintf(b, " %6d\n", total)
	}
	fmt.Fprintf(b, "  %-8s", "all")
	for _, st := range States {
		fmt.Fprintf(b, " %6d", s.States[st])
	}
	fmt.Fprintf(b, " %6d\n", s.Total)
}

// failingLine is one failing result: state, check IDs, JSON Pointer, statement and the first line of why.
func failingLine(f Located) string {
	ids := strings.Join(checkIDs(f.Result), ",")
	where := ""
	if f.Result.Pointer != "" {
		where = " at " + f.Result.Pointer
	}
	return fmt.Sprintf("%-5s %s%s [%s/%s] %s: %s", strings.ToUpper(string(f.Result.State)), ids, where,
		f.Scenario.Group, f.Scenario.Name, f.Result.Statement, Reason(f.Result))
}

// Reason is why a result failed, errored or was skipped, in one line: the message of the violation at its
// pointer when the failure listed violations, else the first line of the failure.
func Reason(res Result) string {
	for _, v := range res.Violations {
		if v.Pointer == res.Pointer {
			return v.Message
		}
	}
	return summaryLine(res.Message)
}

// summaryLine is a message in one line: its first line, joined with the next ones while they only announce
// what follows ("configuration", "Unexpected error:"), Gomega's "<*T | 0x…>:" type lines left out.
func summaryLine(msg string) string {
	lines := splitLines(msg)
	if len(lines) > 0 && lines[0] == "Expected" { // Gomega: Expected / <T>: actual / to equal / <T>: expected
		return strings.Join(lines[:min(4, len(lines))], " ")
	}
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, "<") && strings.HasSuffix(l, ":") {
			continue
		}
		out = append(out, l)
		if (len(l) >= 30 && !strings.HasSuffix(l, ":")) || len(out) == 4 {
			break
		}
	}
	return strings.Join(out, " ")
}

// noCheckID stands for the IDs of a result that names no check.
const noCheckID = "(no check ID)"

// checkIDs are the checks a result asserts or, when it names none, the ones its violations name.
func checkIDs(res Result) []string {
	if len(res.Checks) > 0 {
		return res.Checks
	}
	var ids []string
	for _, v := range res.Violations {
		ids = append(ids, v.Check)
	}
	if len(ids) == 0 {
		return []string{noCheckID}
	}
	return ids
}

func stateTitle(s State) string {
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}
