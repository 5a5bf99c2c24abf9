package values_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/internal/values"
)

func TestShrink(t *testing.T) {
	for _, tt := range []struct {
		name, value string
		fails       func(string) bool
		want        string
	}{
		{"to the one character that matters", "abc/def", func(v string) bool { return strings.Contains(v, "/") }, "/"},
		{"to the pair that matters", "xxxyzzz", func(v string) bool { return strings.Contains(v, "yz") }, "yz"},
		{"to the shortest length that fails, made plain", "Hello, World!", func(v string) bool { return len(v) >= 5 }, "aaaaa"},
		{"to nothing when anything fails", "anything", func(string) bool { return true }, ""},
		{"keeping multi-byte characters whole", "aé日b", func(v string) bool { return strings.Contains(v, "日") }, "日"},
		{"to a structural break", "abc-", func(v string) bool { return strings.HasSuffix(v, "-") }, "-"},
		{"unchanged when it does not fail", "abc", func(string) bool { return false }, "abc"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := values.Shrink(tt.value, tt.fails, 1000)
			if got != tt.want {
				t.Errorf("Shrink(%q) = %q, want %q", tt.value, got, tt.want)
			}
		})
	}
}

func TestShrinkKeepsToItsBudget(t *testing.T) {
	calls := 0
	got, n := values.Shrink(strings.Repeat("b", 200), func(v string) bool { calls++; return strings.Count(v, "b") > 3 }, 25)
	if n != calls || n > 25 {
		t.Errorf("%d calls (reported %d), budget 25", calls, n)
	}
	if len(got) >= 200 || strings.Count(got, "b") <= 3 {
		t.Errorf("shrunk to %q: it must be smaller and still fail", got)
	}
}

func TestFalsifyShrinksTheFirstFailureTheSameWay(t *testing.T) {
	rs := rules(t)
	cases, err := values.NewGenerator(rs, base, 3).Valid(60)
	if err != nil {
		t.Fatal(err)
	}
	// A property that fails two ways: the shrunk value must fail the first one's way.
	prop := func(c values.Case) error {
		switch {
		case strings.ContainsAny(c.Value, "()"):
			return &values.Failure{Kind: "has a parenthesis", Detail: c.Value}
		case len(c.Value) > 30:
			return &values.Failure{Kind: "too long", Detail: c.Value}
		}
		return nil
	}
	cx := values.Falsify(cases, prop, 500)
	if cx == nil {
		t.Fatal("no counterexample")
	}
	if cx.Tried != 60 || cx.Failed < 2 {
		t.Errorf("tried %d, failed %d", cx.Tried, cx.Failed)
	}
	var first, shrunk *values.Failure
	if !errors.As(cx.Err, &first) || !errors.As(cx.ShrunkErr, &shrunk) || first.Kind != shrunk.Kind {
		t.Fatalf("the shrunk value fails another way: %v, then %v", cx.Err, cx.ShrunkErr)
	}
	if want := map[string]int{"has a parenthesis": 1, "too long": 31}[first.Kind]; len(cx.Shrunk.Value) != want {
		t.Errorf("shrunk %q to %q, want %d characters", cx.Case.Value, cx.Shrunk.Value, want)
	}
	if cx.Shrunk.Params != cx.Case.Params.With(cx.Case.Param, cx.Shrunk.Value) {
		t.Errorf("the shrunk case's params do not carry the shrunk value: %+v", cx.Shrunk.Params)
	}
	if s := cx.String(); !strings.Contains(s, "shrunk") || !strings.Contains(s, first.Kind) {
		t.Errorf("report %q does not show the shrunk counterexample", s)
	}
	if values.Falsify(cases, func(values.Case) error { return nil }, 10) != nil {
		t.Error("a property that holds has a counterexample")
	}
}
