package values_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/values"
)

var base = arm.Params{
	SubscriptionID: emulator.DefaultSubscriptionID,
	ResourceGroup:  emulator.DefaultResourceGroup,
	Workspace:      emulator.DefaultWorkspace,
	APIVersion:     "2025-12-15-preview",
}

func rules(t *testing.T) *values.Rules {
	t.Helper()
	rs, err := values.Default()
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestRulesAreTheGeneratedSchemas(t *testing.T) {
	rs := rules(t)
	var names []string
	for _, r := range rs.All() {
		names = append(names, r.Name)
	}
	if got, want := strings.Join(names, ","), "api-version,subscriptionId,resourceGroupName,workspaceName"; got != want {
		t.Errorf("parameters %s, want %s (the schema's required order)", got, want)
	}
	sub, group, ws, v := rs.Rule("subscriptionId"), rs.Rule("resourceGroupName"), rs.Rule("workspaceName"), rs.Rule("api-version")
	if sub.Format != "uuid" || sub.In != "path" {
		t.Errorf("subscriptionId: %+v", sub)
	}
	if group.MinLength != 1 || group.MaxLength != 90 || group.Pattern != `^[-\w\._\(\)]+$` {
		t.Errorf("resourceGroupName: %+v", group)
	}
	if ws.Pattern != `^[a-zA-Z0-9]+(-*[a-zA-Z0-9])*$` || ws.MaxLength != -1 {
		t.Errorf("workspaceName: %+v", ws)
	}
	if v.In != "query" || v.MinLength != 1 || rs.APIVersion != "2025-12-15-preview" {
		t.Errorf("api-version: %+v, served %s", v, rs.APIVersion)
	}
}

func TestParseRefusesWhatItCannotGenerate(t *testing.T) {
	for _, tt := range []struct{ name, schema, want string }{
		{"unknown format", `{"properties":{"subscriptionId":{"type":"string","format":"ipv4"}}}`, `format "ipv4"`},
		{"unknown keyword", `{"properties":{"workspaceName":{"type":"string","enum":["a"]}}}`, "keyword enum"},
		{"not a string", `{"properties":{"workspaceName":{"type":"integer"}}}`, "type integer"},
		{"unknown parameter", `{"properties":{"location":{"type":"string"}}}`, "location"},
		{"bad pattern", `{"properties":{"workspaceName":{"type":"string","pattern":"("}}}`, "pattern ("},
		{"required without schema", `{"required":["workspaceName"],"properties":{}}`, "no schema"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := values.Parse([]byte(tt.schema))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func TestBrokenFollowsEachConstraint(t *testing.T) {
	rs := rules(t)
	for _, tt := range []struct {
		param, value string
		want         []values.Constraint
	}{
		{"subscriptionId", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", nil},
		{"subscriptionId", "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE", nil},
		{"subscriptionId", "{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee}", []values.Constraint{values.Format}},
		{"subscriptionId", "a/b", []values.Constraint{values.PathSafety, values.Format}},
		{"resourceGroupName", "", []values.Constraint{values.MinLength, values.Pattern}},
		{"resourceGroupName", strings.Repeat("é", 91), []values.Constraint{values.MaxLength, values.Pattern}},
		{"resourceGroupName", "group.", nil},
		{"resourceGroupName", "..", []values.Constraint{values.PathSafety}},
		{"workspaceName", "-ws", []values.Constraint{values.Pattern}},
		{"workspaceName", "a--b", nil},
		{"api-version", "", []values.Constraint{values.MinLength}},
		{"api-version", " ", nil},
	} {
		if got := rs.Rule(tt.param).Broken(tt.value); !slices.Equal(got, tt.want) {
			t.Errorf("%s %q breaks %v, want %v", tt.param, tt.value, got, tt.want)
		}
	}
}

func TestInvalidValuesBreakWhatTheyWereMadeFor(t *testing.T) {
	rs := rules(t)
	for _, seed := range []uint64{0, 1, 2, 42, 1 << 63} {
		g := values.NewGenerator(rs, base, seed)
		cases, err := g.Invalid(1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			broken := rs.Rule(c.Param).Broken(c.Value)
			if !slices.Contains(broken, c.Breaks) {
				t.Errorf("seed %d: %s breaks %v", seed, c, broken)
			}
			if c.Breaks != values.PathSafety && slices.Contains(broken, values.PathSafety) {
				t.Errorf("seed %d: %s also breaks path safety, which the client reports first", seed, c)
			}
			if c.Params != base.With(c.Param, c.Value) {
				t.Errorf("seed %d: %s: params %+v vary more than the one parameter", seed, c, c.Params)
			}
		}
	}
}

func TestInvalidCyclesThroughEveryConstraintOfEveryParameter(t *testing.T) {
	g := values.NewGenerator(rules(t), base, 1)
	classes := g.Classes()
	want := []string{
		"api-version minLength",
		"subscriptionId path safety", "subscriptionId format",
		"resourceGroupName path safety", "resourceGroupName minLength", "resourceGroupName maxLength", "resourceGroupName pattern",
		"workspaceName path safety", "workspaceName pattern",
	}
	if !slices.Equal(classes, want) {
		t.Fatalf("classes %q, want %q", classes, want)
	}
	cases, err := g.Invalid(len(classes))
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		if got := c.Param + " " + string(c.Breaks); got != classes[i] {
			t.Errorf("case %d is %s, want %s", i, got, classes[i])
		}
	}
}

// The generator must not be trivially producing garbage: what it calls valid is valid for the contract and
// for ARM, and sits on the boundaries too.
func TestValidValuesAreValidAndReachTheBoundaries(t *testing.T) {
	rs := rules(t)
	cases, err := values.NewGenerator(rs, base, 7).Valid(600)
	if err != nil {
		t.Fatal(err)
	}
	lengths := map[string][]int{}
	for _, c := range cases {
		if broken := rs.Rule(c.Param).Broken(c.Value); len(broken) > 0 {
			t.Errorf("%s breaks %v", c, broken)
		}
		if c.Param == "resourceGroupName" && strings.HasSuffix(c.Value, ".") {
			t.Errorf("%s ends in '.', which ARM refuses", c)
		}
		lengths[c.Param] = append(lengths[c.Param], utf8.RuneCountInString(c.Value))
	}
	for param, want := range map[string][]int{"resourceGroupName": {1, 90}, "workspaceName": {1}, "subscriptionId": {36}} {
		for _, n := range want {
			if !slices.Contains(lengths[param], n) {
				t.Errorf("no valid %s of %d characters among %v", param, n, lengths[param])
			}
		}
	}
	var hyphens, punctuation bool
	for _, c := range cases {
		hyphens = hyphens || c.Param == "workspaceName" && strings.Contains(c.Value, "--")
		punctuation = punctuation || c.Param == "resourceGroupName" && strings.ContainsAny(c.Value, "()")
	}
	if !hyphens || !punctuation {
		t.Errorf("valid values never use the patterns' punctuation (inner --: %v, parentheses: %v)", hyphens, punctuation)
	}
}

func TestSameSeedSameValues(t *testing.T) {
	rs := rules(t)
	gen := func(seed uint64) []values.Case {
		g := values.NewGenerator(rs, base, seed)
		inv, err := g.Invalid(200)
		if err != nil {
			t.Fatal(err)
		}
		val, err := g.Valid(50)
		if err != nil {
			t.Fatal(err)
		}
		return append(inv, val...)
	}
	if !slices.Equal(gen(5), gen(5)) {
		t.Error("the same seed gave different values")
	}
	if slices.Equal(gen(5), gen(6)) {
		t.Error("different seeds gave the same values")
	}
	// More valid cases must not change the invalid ones: the streams are independent.
	g := values.NewGenerator(rs, base, 5)
	g.Valid(500)
	inv, _ := g.Invalid(200)
	if !slices.Equal(inv, gen(5)[:200]) {
		t.Error("asking for valid values changed the invalid ones")
	}
}

func TestSeed(t *testing.T) {
	env := func(v string) func(string) string {
		return func(name string) string {
			if name == values.EnvSeed {
				return v
			}
			return ""
		}
	}
	if s, err := values.Seed(env("")); err != nil || s != values.DefaultSeed {
		t.Errorf("unset: %d, %v; want the default %d", s, err, values.DefaultSeed)
	}
	if s, err := values.Seed(env(" 12345 ")); err != nil || s != 12345 {
		t.Errorf("12345: %d, %v", s, err)
	}
	for _, bad := range []string{"-1", "x", "1e3", "18446744073709551616"} {
		if _, err := values.Seed(env(bad)); err == nil || !strings.Contains(err.Error(), values.EnvSeed) {
			t.Errorf("%q: error %v, want one naming %s", bad, err, values.EnvSeed)
		}
	}
}
