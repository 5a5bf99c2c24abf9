package report

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// The JUnit XML CI systems read: one testsuite per group (suite, or serve's client), one testcase per
// result, named by its check IDs and statement, so a dashboard can follow one check across runs; the IDs,
// the scenario and the state are also properties. Fail is a <failure> (type: the level), Error an <error>
// (type: harness), Skip <skipped> with the reason; Drift passes, with what drifted as system-out.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Time      string      `xml:"time,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name       string        `xml:"name,attr"`
	Classname  string        `xml:"classname,attr"`
	Time       string        `xml:"time,attr"`
	Properties *junitProps   `xml:"properties,omitempty"`
	Failure    *junitProblem `xml:"failure,omitempty"`
	Error      *junitProblem `xml:"error,omitempty"`
	Skipped    *junitSkipped `xml:"skipped,omitempty"`
	SystemOut  *junitText    `xml:"system-out,omitempty"`
}

type junitProps struct {
	Property []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

// JUnit renders the report as JUnit XML.
func (r Report) JUnit() ([]byte, error) {
	name := r.Tool.Name + " " + r.Mode
	if strings.HasSuffix(r.Tool.Name, " "+r.Mode) { // serve's report: "listkeys-conformance serve"
		name = r.Tool.Name
	}
	out := junitSuites{Name: name, Time: seconds(r.DurationSeconds)}
	index := map[string]int{}
	times := map[int]float64{}
	for _, sc := range r.Scenarios {
		i, ok := index[sc.Group]
		if !ok {
			i = len(out.Suites)
			index[sc.Group] = i
			out.Suites = append(out.Suites, junitSuite{Name: sc.Group, Timestamp: r.Started.Format("2006-01-02T15:04:05Z")})
		}
		suite := &out.Suites[i]
		for _, res := range sc.Results {
			tc := junitCase{
				Name:      "[" + strings.Join(checkIDs(res), ",") + "] " + res.Statement,
				Classname: sc.Group + "." + sc.Name,
				Time:      seconds(res.DurationSeconds),
			}
			props := []junitProp{}
			for _, id := range checkIDs(res) {
				if id == noCheckID {
					continue
				}
				props = append(props, junitProp{Name: EntryCheck, Value: id})
			}
			props = append(props, junitProp{Name: EntryScenario, Value: sc.Name}, junitProp{Name: EntryState, Value: string(res.State)})
			tc.Properties = &junitProps{Property: props}
			detail := res.Message
			if res.Location != "" {
				detail += "\n" + res.Location
			}
			switch res.State {
			case Fail:
				tc.Failure = &junitProblem{Message: problemLine(res), Type: res.Level, Text: detail}
				suite.Failures++
			case Error:
				tc.Error = &junitProblem{Message: problemLine(res), Type: "harness", Text: detail}
				suite.Errors++
			case Skip:
				tc.Skipped = &junitSkipped{Message: firstLine(res.Message)}
				suite.Skipped++
			case Drift:
				tc.SystemOut = &junitText{Text: "drift from the committed cassette:\n" + strings.Join(sc.Drift, "\n")}
			}
			suite.Tests++
			times[i] += res.DurationSeconds
			suite.Cases = append(suite.Cases, tc)
		}
	}
	for i := range out.Suites {
		s := &out.Suites[i]
		s.Time = seconds(times[i])
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
	}
	if len(out.Suites) == 0 {
		// Readers differ on an empty <testsuites>; an empty suite says "nothing ran" to all of them.
		out.Suites = []junitSuite{{Name: "no results", Timestamp: r.Started.Format("2006-01-02T15:04:05Z"), Time: "0.000"}}
	}
	data, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the JUnit report: %w", err)
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}

// problemLine is a failure's one-line message: the check IDs, the JSON Pointer, and why.
func problemLine(res Result) string {
	line := strings.Join(checkIDs(res), ",")
	if res.Pointer != "" {
		line += " at " + res.Pointer
	}
	return line + ": " + Reason(res)
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }
