package suite

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/onsi/ginkgo/v2/types"
)

// The JUnit XML the suites' junit.xml is, made from Ginkgo's JSON report so that the states it cannot say
// are kept: a spec in the Error state is an <error>, not a <failure>; a Drift is a pass with the differences
// in <system-out> and a "state" property; each spec carries its check IDs as "check" properties and at the
// end of its name, so a dashboard can follow one check across runs.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Package  string      `xml:"package,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Time       string          `xml:"time,attr"`
	Properties *junitProps     `xml:"properties,omitempty"`
	Failure    *junitProblem   `xml:"failure,omitempty"`
	Error      *junitProblem   `xml:"error,omitempty"`
	Skipped    *junitSkip      `xml:"skipped,omitempty"`
	SystemOut  *junitCharacter `xml:"system-out,omitempty"`
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

type junitSkip struct {
	Message string `xml:"message,attr"`
}

type junitCharacter struct {
	Text string `xml:",cdata"`
}

// WriteJUnit reads Ginkgo's JSON report (--json-report) and writes the JUnit XML made from it.
func WriteJUnit(jsonReport, out string) error {
	data, err := os.ReadFile(jsonReport)
	if err != nil {
		return err
	}
	var reports []types.Report
	if err := json.Unmarshal(data, &reports); err != nil {
		return fmt.Errorf("%s is not a Ginkgo JSON report: %w", jsonReport, err)
	}
	xmlData, err := JUnit(reports)
	if err != nil {
		return err
	}
	if dir := filepath.Dir(out); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(out, xmlData, 0o644)
}

// JUnit renders Ginkgo reports (one per suite) as JUnit XML. Setup nodes appear only when they did not
// pass: a BeforeSuite that could not read the configuration is the suite's one <error>.
func JUnit(reports []types.Report) ([]byte, error) {
	var out junitSuites
	total := 0.0
	for _, r := range reports {
		s := junitSuite{Name: r.SuiteDescription, Package: r.SuitePath, Time: seconds(r.RunTime.Seconds())}
		total += r.RunTime.Seconds()
		setupErrors := map[string]string{} // Ordered containers whose BeforeAll was a harness error
		for _, spec := range r.SpecReports {
			if spec.LeafNodeType != types.NodeTypeIt && spec.State.Is(types.SpecStatePassed|types.SpecStateSkipped) {
				continue
			}
			container := strings.Join(spec.ContainerHierarchyTexts, "\x00")
			f := spec.Failure
			if spec.State.Is(types.SpecStateFailureStates) && f.FailureNodeType == types.NodeTypeBeforeAll && strings.HasPrefix(f.Message, HarnessErrorPrefix) {
				setupErrors[container] = f.Message
			}
			// The specs Ginkgo skips after a setup that the harness could not run needed that setup: each is
			// an Error too, not a skip.
			if msg, ok := setupErrors[container]; ok && spec.State == types.SpecStateSkipped && strings.Contains(f.Message, "BeforeAll node failed") {
				spec.State = types.SpecStateFailed
				spec.Failure.Message = msg + " (in this container's setup)"
			}
			tc := junitCaseOf(r.SuiteDescription, spec)
			s.Tests++
			switch {
			case tc.Error != nil:
				s.Errors++
			case tc.Failure != nil:
				s.Failures++
			case tc.Skipped != nil:
				s.Skipped++
			}
			s.Cases = append(s.Cases, tc)
		}
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Errors += s.Errors
		out.Skipped += s.Skipped
		out.Suites = append(out.Suites, s)
	}
	out.Time = seconds(total)
	data, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the JUnit report: %w", err)
	}
	return append([]byte(xml.Header), append(data, '\n')...), nil
}

func junitCaseOf(suiteName string, spec types.SpecReport) junitCase {
	name := spec.FullText()
	if spec.LeafNodeType != types.NodeTypeIt {
		name = strings.TrimSpace("[" + spec.LeafNodeType.String() + "] " + name)
	}
	ids := CheckIDs(spec.Labels())
	if len(ids) > 0 {
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = string(id)
		}
		name += " [" + strings.Join(parts, " ") + "]"
	}
	tc := junitCase{Name: name, Classname: suiteName, Time: seconds(spec.RunTime.Seconds())}
	var props []junitProp
	state, drift := "", ""
	for _, e := range spec.ReportEntries {
		switch e.Name {
		case EntryCheck, EntryScenario:
			props = append(props, junitProp{Name: e.Name, Value: e.StringRepresentation()})
		case EntryState:
			state = e.StringRepresentation()
		case EntryDrift:
			drift = e.StringRepresentation()
		}
	}
	// Every check ID of the labels is a property, even for a spec that ended before its entries were added.
	for _, id := range ids {
		if !hasProp(props, EntryCheck, string(id)) {
			props = append(props, junitProp{Name: EntryCheck, Value: string(id)})
		}
	}
	failed := spec.State.Is(types.SpecStateFailureStates)
	if failed && state == "" && strings.HasPrefix(spec.Failure.Message, HarnessErrorPrefix) {
		state = StateError
	}
	if state != "" {
		props = append(props, junitProp{Name: EntryState, Value: state})
	}
	if len(props) > 0 {
		tc.Properties = &junitProps{Property: props}
	}
	message := spec.Failure.Message
	text := fmt.Sprintf("%s\n%s", message, spec.Failure.Location)
	switch {
	case failed && state == StateError:
		tc.Error = &junitProblem{Message: firstLine(message), Type: "harness", Text: text}
	case failed:
		tc.Failure = &junitProblem{Message: firstLine(message), Type: spec.State.String(), Text: text}
	case spec.State.Is(types.SpecStateSkipped | types.SpecStatePending):
		if message == "" {
			message = "not run: not selected (label filter or focus)"
		}
		tc.Skipped = &junitSkip{Message: firstLine(message)}
	case drift != "":
		tc.SystemOut = &junitCharacter{Text: "drift from the committed cassette:\n" + drift}
	}
	return tc
}

func hasProp(props []junitProp, name, value string) bool {
	for _, p := range props {
		if p.Name == name && p.Value == value {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }
