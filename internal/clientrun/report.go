package clientrun

import (
	"fmt"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
)

// Group is the report's group of every scenario of a client run.
const Group = "client"

// maxQuoted is how much of a failing run's output a report quotes, per stream.
const maxQuoted = 2000

// Report is the result in the report v1 format: the command line (tokens masked), and per scenario one result
// per client check with the expectation, what the client did and the verdict. Quoted output is scrubbed of
// secrets by shape and of the tokens the runs were given.
func (res *Result) Report(tool report.Tool) report.Report {
	r := report.Report{
		Tool: tool, Source: "client", Mode: "client", Started: res.Started, DurationSeconds: res.Duration.Seconds(),
		Contract: report.Contract{APIVersion: res.APIVersion, SchemaDigest: report.SchemaDigest(res.APIVersion)},
		Target:   report.Target{Endpoint: res.Endpoint},
		Configuration: []report.Setting{
			{Name: "command", Value: strings.Join(maskTokens(res.Command), " ")},
			{Name: "timeout", Value: res.Timeout.String()},
			{Name: "scenarios", Value: fmt.Sprint(len(res.Runs))},
		},
	}
	used := map[contract.ID]bool{}
	for _, run := range res.Runs {
		sc := report.Scenario{Name: run.Scenario.Name, Group: Group, Results: []report.Result{}}
		context := "expected: " + run.Expectation() + "\ndid: " + run.Did() + "\ncommand: " + strings.Join(maskTokens(run.MaskedArgs()), " ")
		if run.Skipped != "" {
			sc.Results = append(sc.Results, report.Result{Statement: "The scenario " + run.Scenario.Name + " is played.", Checks: []string{},
				Level: report.NoLevel, State: report.Skip, Message: "not played: " + run.Skipped + "\nthe scenario: " + run.Scenario.Choice})
		}
		for _, v := range run.Verdicts() {
			check, _ := contract.CheckByID(v.Check)
			used[v.Check] = true
			msg := v.Message + "\n" + context
			if v.State == report.Fail {
				msg += quote("stdout", run.Stdout, run.Token) + quote("stderr", run.Stderr, run.Token)
			}
			sc.Results = append(sc.Results, report.Result{Statement: check.Statement, Checks: []string{string(v.Check)},
				Level: string(check.Level), State: v.State, Message: msg, DurationSeconds: run.Duration.Seconds()})
		}
		r.Scenarios = append(r.Scenarios, sc)
	}
	for _, c := range contract.Checks() {
		if used[c.ID] {
			r.Registry = append(r.Registry, report.Check{ID: string(c.ID), Level: string(c.Level), Statement: c.Statement, Source: c.Source})
		}
	}
	r.Finish()
	return r
}

// maskTokens masks the emulator's tokens wherever a command line spells one out.
func maskTokens(args []string) []string {
	for _, t := range []string{catalogue.ValidToken, catalogue.ExpiredToken, catalogue.WrongAudienceToken, catalogue.NoPermissionToken, unknownToken} {
		args = mask(args, t)
	}
	return args
}

// quote is the start of one output stream for a failure message, scrubbed.
func quote(name string, data []byte, token string) string {
	if len(data) == 0 {
		return ""
	}
	text := string(data)
	cut := ""
	if len(text) > maxQuoted {
		text, cut = text[:maxQuoted], fmt.Sprintf("\n… (%d bytes in all)", len(data))
	}
	text = strings.Join(maskTokens([]string{text}), "")
	if token != "" {
		text = strings.ReplaceAll(text, token, "***")
	}
	for _, k := range contract.KeysByShape(text) {
		text = strings.ReplaceAll(text, k, contract.Redacted)
	}
	return "\n" + name + ":\n" + report.Scrub(text) + cut
}
