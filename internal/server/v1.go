package server

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
)

// V1 is the report in the suites' format (listkeys-conformance/report/v1), so that serve's report reads,
// validates and renders like a suite run's: one scenario per request, grouped by client, one result per
// violation (a SHOULD violation is a warning, skipped, unless strict), Error for a request the backend
// could not answer, Skip for an answer that could not be judged. It holds what Report holds: no header values, no bodies.
func (r Report) V1() report.Report {
	out := report.Report{
		Tool:     report.Tool{Name: "listkeys-conformance serve"},
		Source:   "serve",
		Mode:     "serve",
		Contract: report.Contract{APIVersion: r.APIVersion, SchemaDigest: report.SchemaDigest(r.APIVersion)},
		Target:   report.Target{Endpoint: r.Backend},
		Strict:   r.Strict,
		Started:  r.Started.UTC(),
		Configuration: []report.Setting{
			{Name: "backend", Value: r.Backend}, {Name: "strict", Value: strconv.FormatBool(r.Strict)},
		},
	}
	if d := r.Generated.Sub(r.Started).Seconds(); d > 0 {
		out.DurationSeconds = d
	}
	used := map[string]bool{}
	for _, e := range r.Requests {
		path, _, _ := strings.Cut(e.URL, "?")
		name := fmt.Sprintf("#%d %s %s -> %d", e.Seq, e.Method, path, e.Status)
		if e.ErrorCode != "" {
			name += " " + e.ErrorCode
		}
		sc := report.Scenario{Name: name, Group: e.Client}
		if e.Error != "" {
			sc.Results = append(sc.Results, report.Result{Statement: "the backend answers the request", Checks: []string{},
				Level: report.NoLevel, State: report.Error, Message: "no answer to judge: " + e.Error})
		}
		for _, part := range []struct {
			side    string
			verdict contract.Report
		}{{"request", e.Request}, {"response", e.Response}} {
			for _, v := range part.verdict.Violations {
				used[v.Check] = true
				sc.Results = append(sc.Results, violationResult(part.side, v, r.Strict))
			}
		}
		if e.NotJudged != "" {
			// A body a sanitizer broke was not judged: no verdict on it, so never a pass.
			sc.Results = append(sc.Results, report.Result{Statement: "the answer can be judged", Checks: []string{},
				Level: report.NoLevel, State: report.Skip, Message: "not judged: " + e.NotJudged})
		}
		if len(sc.Results) == 0 {
			sc.Results = append(sc.Results, report.Result{Statement: "the request and its answer conform to the contract",
				Checks: []string{}, Level: report.NoLevel, State: report.Pass, DurationSeconds: e.DurationMS / 1000})
		}
		out.Scenarios = append(out.Scenarios, sc)
	}
	for _, c := range r.Checks {
		if used[string(c.ID)] {
			out.Registry = append(out.Registry, report.Check{ID: string(c.ID), Level: string(c.Level), Statement: c.Statement, Source: c.Source})
		}
	}
	out.Finish()
	return out
}

func violationResult(side string, v contract.Violation, strict bool) report.Result {
	pointer := v.Path
	if pointer != "" && !strings.HasPrefix(pointer, "/") {
		pointer = "/" + pointer
	}
	statement := side + " " + v.Check
	if c, ok := contract.CheckByID(contract.ID(v.Check)); ok {
		statement = c.Statement
	}
	res := report.Result{Statement: statement, Checks: []string{v.Check}, Level: string(v.Level), State: report.Fail,
		Pointer: pointer, Message: fmt.Sprintf("%s at %q: %s", v.Check, pointer, v.Message),
		Violations: []report.Violation{{Check: v.Check, Level: string(v.Level), Pointer: pointer, Message: v.Message}}}
	if v.Level != contract.MUST && !strict {
		res.State, res.Message = report.Skip, "warning, SHOULD violated: "+res.Message
	}
	return res
}

// v1Names are the files of serve's report folder, named for the server so they can share a folder with the
// suites' reports.
var v1Names = report.Names{JSON: JSONFile, HTML: "serve-report.html", Markdown: "serve-report.md", JUnit: JUnitFile}

// writeV1 writes the report's v1 renderings into dir.
func (r Report) writeV1(dir string) ([]string, error) {
	files, err := r.V1().Files(dir, v1Names)
	if err != nil {
		return nil, err
	}
	var written []string
	for _, f := range files {
		if err := report.WriteFile(f.Path, f.Data); err != nil {
			return written, err
		}
		written = append(written, f.Path)
	}
	return written, nil
}

// JUnit renders the report as JUnit XML, the v1 report's: one testsuite per client, one testcase per
// result (each violation, a request the backend could not answer, an answer not judged, or a conformant
// request), named by its check IDs.
func (r Report) JUnit() ([]byte, error) { return r.V1().JUnit() }
