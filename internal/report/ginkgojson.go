package report

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Ginkgo's JSON report, read with types of our own: the fields FromGinkgo uses, each decoded as Ginkgo's own
// types decode it (its enums by name, a report entry's value from its AsJSON). Importing Ginkgo's types
// package for this would link it, and the semantic-version library it initializes at start, into every
// command of the CLI; TestGinkgoJSONIsReadAsGinkgoReadsIt holds these types to Ginkgo's.

// GinkgoSuite is one suite of a Ginkgo JSON report (Ginkgo's types.Report).
type GinkgoSuite struct {
	SuitePath   string
	StartTime   time.Time
	EndTime     time.Time
	PreRunStats struct{ SpecsThatWillRun int }
	SuiteConfig GinkgoConfig
	SpecReports []GinkgoSpec
}

// GinkgoConfig is what FromGinkgo reads of a suite's configuration: the filters of the run.
type GinkgoConfig struct {
	FocusStrings []string
	SkipStrings  []string
	LabelFilter  string
}

// GinkgoSpec is one spec, or a setup node, of a suite (Ginkgo's types.SpecReport).
type GinkgoSpec struct {
	ContainerHierarchyTexts  []string
	ContainerHierarchyLabels [][]string
	LeafNodeType             ginkgoNodeType
	LeafNodeLocation         ginkgoLocation
	LeafNodeLabels           []string
	LeafNodeText             string
	State                    ginkgoState
	RunTime                  time.Duration
	Failure                  struct {
		Message                   string
		Location                  ginkgoLocation
		FailureNodeType           ginkgoNodeType
		FailureNodeContainerIndex int
	}
	ReportEntries []ginkgoEntry
}

type ginkgoLocation struct {
	FileName   string
	LineNumber int
}

type ginkgoEntry struct {
	Name  string
	Value ginkgoEntryValue
}

// ginkgoEntryValue is a report entry's value: raw is AsJSON decoded, as Ginkgo decodes it.
type ginkgoEntryValue struct {
	AsJSON         string
	Representation string
	raw            any
}

func (v *ginkgoEntryValue) UnmarshalJSON(data []byte) error {
	var in struct{ AsJSON, Representation string }
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	v.AsJSON, v.Representation = in.AsJSON, in.Representation
	return json.Unmarshal([]byte(in.AsJSON), &v.raw)
}

// String is Ginkgo's ReportEntryValue.String for a value read back from JSON (never a fmt.Stringer).
func (v ginkgoEntryValue) String() string {
	switch {
	case v.raw == nil:
		return ""
	case v.Representation != "":
		return v.Representation
	}
	return fmt.Sprintf("%+v", v.raw)
}

// ginkgoEnum is one of Ginkgo's enums (a node type, a spec state) as its JSON names it: a name Ginkgo does
// not know reads as its invalid value, a value that is not a string (or null) is an error.
type ginkgoEnum string

func (e *ginkgoEnum) decode(data []byte, names []string) error {
	var name string
	if err := json.Unmarshal(data, &name); err != nil {
		return err
	}
	*e = ""
	if slices.Contains(names, name) {
		*e = ginkgoEnum(name)
	}
	return nil
}

type ginkgoNodeType struct{ ginkgoEnum }

const (
	nodeIt        = "It"
	nodeBeforeAll = "BeforeAll"
)

// nodeTypes are the names of Ginkgo's node types.
var nodeTypes = []string{"Container", "It", "BeforeEach", "JustBeforeEach", "AfterEach", "JustAfterEach",
	"BeforeAll", "AfterAll", "BeforeSuite", "SynchronizedBeforeSuite", "AfterSuite", "SynchronizedAfterSuite",
	"ReportBeforeEach", "ReportAfterEach", "ReportBeforeSuite", "ReportAfterSuite", "DeferCleanup",
	"DeferCleanup (Each)", "DeferCleanup (All)", "DeferCleanup (Suite)", "DeferOnFailure",
	"DeferOnFailure (Each)", "DeferOnFailure (All)", "DeferOnFailure (Suite)"}

func (t *ginkgoNodeType) UnmarshalJSON(data []byte) error { return t.decode(data, nodeTypes) }

func (t ginkgoNodeType) is(name string) bool { return string(t.ginkgoEnum) == name }

func (t ginkgoNodeType) String() string {
	if t.ginkgoEnum == "" {
		return "INVALID NODE TYPE"
	}
	return string(t.ginkgoEnum)
}

type ginkgoState struct{ ginkgoEnum }

const (
	statePending     = "pending"
	stateSkipped     = "skipped"
	statePassed      = "passed"
	stateFailed      = "failed"
	stateAborted     = "aborted"
	statePanicked    = "panicked"
	stateInterrupted = "interrupted"
	stateTimedout    = "timedout"
)

var specStates = []string{statePending, stateSkipped, statePassed, stateFailed, stateAborted, statePanicked,
	stateInterrupted, stateTimedout}

func (s *ginkgoState) UnmarshalJSON(data []byte) error { return s.decode(data, specStates) }

func (s ginkgoState) is(names ...string) bool { return slices.Contains(names, string(s.ginkgoEnum)) }

// failed is Ginkgo's SpecReport.Failed: a state among its failure states.
func (spec GinkgoSpec) failed() bool {
	return spec.State.is(stateFailed, stateTimedout, stateAborted, statePanicked, stateInterrupted)
}

// fullText is Ginkgo's SpecReport.FullText: the container texts and the spec's, the empty ones left out.
func (spec GinkgoSpec) fullText() string {
	texts := slices.DeleteFunc(append(slices.Clone(spec.ContainerHierarchyTexts), spec.LeafNodeText),
		func(t string) bool { return t == "" })
	return strings.Join(texts, " ")
}

// labels is Ginkgo's SpecReport.Labels: the containers' labels and the spec's, each once, in order.
func (spec GinkgoSpec) labels() []string {
	out := []string{}
	for _, l := range slices.Concat(slices.Concat(spec.ContainerHierarchyLabels...), spec.LeafNodeLabels) {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// matchesLabelFilter is Ginkgo's SpecReport.MatchesLabelFilter.
func (spec GinkgoSpec) matchesLabelFilter(query string) (bool, error) {
	filter, err := parseLabelFilter(query)
	if err != nil {
		return false, err
	}
	return filter(spec.labels()), nil
}
