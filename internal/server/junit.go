package server

import (
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// The JUnit XML shape CI systems read: one testsuite per client, one testcase per request. A request that
// fails is a <failure> whose message names each failing check and its JSON Pointer; a request the backend
// could not answer is an <error>.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Time      string      `xml:"time,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

// junitText is character data kept as CDATA, so that the lines of a message stay lines.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// JUnit renders the report as JUnit XML.
func (r Report) JUnit() ([]byte, error) {
	// The counts are of the requests listed (the last --history); the JSON report counts them all.
	out := junitSuites{Name: r.Tool, Tests: len(r.Requests), Time: seconds(r.Generated.Sub(r.Started).Seconds())}
	bySeq := make(map[int]Entry, len(r.Requests))
	for _, e := range r.Requests {
		bySeq[e.Seq] = e
	}
	for _, c := range r.Clients {
		suite := junitSuite{Name: c.Name, Tests: len(c.Requests), Timestamp: r.Started.UTC().Format(time.RFC3339)}
		total := 0.0
		for _, seq := range c.Requests {
			e := bySeq[seq]
			tc := e.junitCase(r.Strict)
			switch {
			case tc.Error != nil:
				suite.Errors++
			case tc.Failure != nil:
				suite.Failures++
			}
			total += e.DurationMS / 1000
			suite.Cases = append(suite.Cases, tc)
		}
		suite.Time = seconds(total)
		out.Failures += suite.Failures
		out.Errors += suite.Errors
		out.Suites = append(out.Suites, suite)
	}
	if len(out.Suites) == 0 {
		// Readers differ on an empty <testsuites>; an empty suite says "no requests" to all of them.
		out.Suites = []junitSuite{{Name: "no requests", Timestamp: r.Started.UTC().Format(time.RFC3339), Time: "0.000"}}
	}
	data, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the JUnit report: %w", err)
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}

func (e Entry) junitCase(strict bool) junitCase {
	path, _, _ := strings.Cut(e.URL, "?")
	name := fmt.Sprintf("#%d %s %s -> %d", e.Seq, e.Method, path, e.Status)
	if e.ErrorCode != "" {
		name += " " + e.ErrorCode
	}
	tc := junitCase{Name: name, Classname: e.Client, Time: seconds(e.DurationMS / 1000)}
	var failing, details []string
	for _, part := range []struct {
		side   string
		report contract.Report
	}{{"request", e.Request}, {"response", e.Response}} {
		for _, v := range part.report.Violations {
			path := v.Path
			if path == "" {
				path = `""`
			}
			if strict || v.Level == contract.MUST {
				failing = append(failing, v.Check+" at "+path)
			}
			details = append(details, fmt.Sprintf("%s %-6s %s at %s: %s", part.side, v.Level, v.Check, path, v.Message))
		}
		for _, n := range part.report.Notes {
			details = append(details, part.side+" note: "+n)
		}
	}
	if e.Retry != nil {
		details = append(details, fmt.Sprintf("retry of #%d: waited %.3fs, Retry-After asked %.3fs", e.Retry.After, e.Retry.WaitedSeconds, e.Retry.RequiredSeconds))
	}
	text := strings.Join(details, "\n")
	switch {
	case e.Error != "":
		tc.Error = &junitProblem{Message: "no answer to judge: " + e.Error, Type: "backend", Text: text}
	case len(failing) > 0:
		level := "MUST"
		if strict {
			level = "MUST/SHOULD (strict)"
		}
		tc.Failure = &junitProblem{Message: strings.Join(failing, "; "), Type: level, Text: text}
	case e.NotJudged != "":
		tc.Skipped = &junitProblem{Message: "not judged: " + e.NotJudged, Type: "not-judged", Text: text}
	case text != "":
		tc.SystemOut = &junitText{Text: text}
	}
	return tc
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }
