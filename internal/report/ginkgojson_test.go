package report

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// The CLI reads Ginkgo's JSON report with types of its own; read back, every field FromGinkgo uses says what
// Ginkgo's own types say, for every node type, every state and every kind of report entry value.
func TestGinkgoJSONIsReadAsGinkgoReadsIt(t *testing.T) {
	var specs types.SpecReports
	nodeTypes := []types.NodeType{types.NodeTypeInvalid}
	for nt := types.NodeTypeContainer; nt <= types.NodeTypeOnFailureSuite; nt <<= 1 {
		nodeTypes = append(nodeTypes, nt)
	}
	states := []types.SpecState{types.SpecStateInvalid, types.SpecStatePending, types.SpecStateSkipped, types.SpecStatePassed,
		types.SpecStateFailed, types.SpecStateAborted, types.SpecStatePanicked, types.SpecStateInterrupted, types.SpecStateTimedout}
	values := []any{"a string", `{"mode":"live"}`, 42, 1.5, true, nil, []string{"x", "y"}, map[string]any{"k": "v"},
		struct{ Mode string }{"replay"}, types.CodeLocation{FileName: "f.go", LineNumber: 3}}
	for i, nt := range nodeTypes {
		for j, st := range states {
			s := types.SpecReport{
				ContainerHierarchyTexts:  []string{"outer", "", "inner"}[:1+(i+j)%3],
				ContainerHierarchyLabels: [][]string{{"a", "check:x"}, {"A", "a"}},
				LeafNodeType:             nt,
				LeafNodeLocation:         types.CodeLocation{FileName: "/r/suites/x_test.go", LineNumber: i*10 + j},
				LeafNodeLabels:           []string{"check:x", "leaf"},
				LeafNodeText:             []string{"", "answers 200"}[(i+j)%2],
				State:                    st,
				RunTime:                  time.Duration(i*j) * time.Millisecond,
				Failure: types.Failure{Message: "failed here", Location: types.CodeLocation{FileName: "/r/internal/suite/suite.go", LineNumber: j},
					FailureNodeType: nodeTypes[(i+j)%len(nodeTypes)], FailureNodeContainerIndex: j % 2},
			}
			for k, v := range values {
				s.ReportEntries = append(s.ReportEntries, types.ReportEntry{Name: string(rune('a' + k)), Value: types.WrapEntryValue(v)})
			}
			specs = append(specs, s)
		}
	}
	suite := types.Report{SuitePath: "/r/suites/errors", StartTime: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		EndTime: time.Date(2026, 3, 1, 10, 0, 1, 0, time.UTC), PreRunStats: types.PreRunStats{TotalSpecs: 9, SpecsThatWillRun: 7},
		SuiteConfig: types.SuiteConfig{LabelFilter: "!clients", FocusStrings: []string{"f"}, SkipStrings: []string{"s"}},
		SpecReports: specs}
	data, err := json.Marshal([]types.Report{suite})
	if err != nil {
		t.Fatal(err)
	}
	var theirs []types.Report
	if err := json.Unmarshal(data, &theirs); err != nil {
		t.Fatal(err)
	}
	ours, err := ReadGinkgo(data)
	if err != nil {
		t.Fatal(err)
	}
	g, o := theirs[0], ours[0]
	if o.SuitePath != g.SuitePath || !o.StartTime.Equal(g.StartTime) || !o.EndTime.Equal(g.EndTime) ||
		o.PreRunStats.SpecsThatWillRun != g.PreRunStats.SpecsThatWillRun || o.SuiteConfig.LabelFilter != g.SuiteConfig.LabelFilter ||
		!slices.Equal(o.SuiteConfig.FocusStrings, g.SuiteConfig.FocusStrings) || !slices.Equal(o.SuiteConfig.SkipStrings, g.SuiteConfig.SkipStrings) {
		t.Errorf("suite read as %+v, Ginkgo reads %+v", o, g)
	}
	if len(o.SpecReports) != len(g.SpecReports) {
		t.Fatalf("%d specs, Ginkgo reads %d", len(o.SpecReports), len(g.SpecReports))
	}
	for i, gs := range g.SpecReports {
		os := o.SpecReports[i]
		type view struct {
			Type, FailureType                        string
			IsIt, FailureIsBeforeAll                 bool
			Failed, Skipped, Pending, Failing, Error bool
			Text, FullText, Message, File            string
			Line, FailureLine, ContainerIndex        int
			Labels, Containers                       []string
			RunTime                                  time.Duration
		}
		want := view{gs.LeafNodeType.String(), gs.Failure.FailureNodeType.String(), gs.LeafNodeType == types.NodeTypeIt,
			gs.Failure.FailureNodeType == types.NodeTypeBeforeAll, gs.Failed(), gs.State.Is(types.SpecStateSkipped),
			gs.State.Is(types.SpecStatePending), gs.State.Is(types.SpecStateFailed),
			gs.State.Is(types.SpecStatePanicked | types.SpecStateInterrupted | types.SpecStateAborted | types.SpecStateTimedout),
			gs.LeafNodeText, gs.FullText(), gs.FailureMessage(), gs.FailureLocation().FileName, gs.LeafNodeLocation.LineNumber,
			gs.FailureLocation().LineNumber, gs.Failure.FailureNodeContainerIndex, gs.Labels(), gs.ContainerHierarchyTexts, gs.RunTime}
		got := view{os.LeafNodeType.String(), os.Failure.FailureNodeType.String(), os.LeafNodeType.is(nodeIt),
			os.Failure.FailureNodeType.is(nodeBeforeAll), os.failed(), os.State.is(stateSkipped), os.State.is(statePending),
			os.State.is(stateFailed), os.State.is(statePanicked, stateInterrupted, stateAborted, stateTimedout),
			os.LeafNodeText, os.fullText(), os.Failure.Message, os.Failure.Location.FileName, os.LeafNodeLocation.LineNumber,
			os.Failure.Location.LineNumber, os.Failure.FailureNodeContainerIndex, os.labels(), os.ContainerHierarchyTexts, os.RunTime}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("spec %d read as\n%+v\nGinkgo reads\n%+v", i, got, want)
		}
		for k, ge := range gs.ReportEntries {
			oe := os.ReportEntries[k]
			if oe.Name != ge.Name || oe.Value.AsJSON != ge.Value.AsJSON || oe.Value.String() != ge.StringRepresentation() ||
				!reflect.DeepEqual(oe.Value.raw, ge.GetRawValue()) {
				t.Errorf("spec %d entry %s read as %q %q %#v, Ginkgo reads %q %q %#v", i, ge.Name, oe.Value.AsJSON, oe.Value.String(),
					oe.Value.raw, ge.Value.AsJSON, ge.StringRepresentation(), ge.GetRawValue())
			}
		}
	}
}

// What Ginkgo refuses to read, ReadGinkgo refuses too.
func TestGinkgoJSONRefusedAsGinkgoRefusesIt(t *testing.T) {
	for _, data := range []string{
		`{}`, `[{"SpecReports":[{"State":3}]}]`, `[{"SpecReports":[{"LeafNodeType":true}]}]`,
		`[{"SpecReports":[{"ReportEntries":[{"Name":"x","Value":{"AsJSON":"","Representation":""}}]}]}]`,
		`[{"SpecReports":[{"ReportEntries":[{"Name":"x","Value":{"AsJSON":"{","Representation":""}}]}]}]`,
		`[{"SpecReports":[{"ReportEntries":[{"Name":"x","Value":null}]}]}]`,
		`[{"SpecReports":[{"RunTime":"1s"}]}]`,
	} {
		var theirs []types.Report
		theirErr := json.Unmarshal([]byte(data), &theirs)
		_, ourErr := ReadGinkgo([]byte(data))
		if (theirErr == nil) != (ourErr == nil) {
			t.Errorf("%s: ReadGinkgo: %v; Ginkgo: %v", data, ourErr, theirErr)
		}
	}
	for _, data := range []string{`[]`, `null`, `[{"SpecReports":[{"State":"bogus","LeafNodeType":null}]}]`} {
		if _, err := ReadGinkgo([]byte(data)); err != nil {
			t.Errorf("%s: %v", data, err)
		}
	}
}
