package values

import (
	"fmt"
	"strings"
)

// Counterexample is what Falsify found: the first generated case a property does not hold for, and the
// smallest value found from it that fails the same way (same Failure kind).
type Counterexample struct {
	Case   Case
	Err    error
	Shrunk Case
	// ShrunkErr is how Shrunk fails: the same kind as Err, perhaps other details.
	ShrunkErr error
	// Calls is how many times the property ran while shrinking.
	Calls int
	// Failed of Tried cases do not hold.
	Failed, Tried int
}

func (c *Counterexample) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d generated cases fail; the first: %s\n  %v\n", c.Failed, c.Tried, c.Case, c.Err)
	if c.Shrunk.Value != c.Case.Value {
		fmt.Fprintf(&b, "shrunk (%d runs of the property) to: %s\n  %v\n", c.Calls, c.Shrunk, c.ShrunkErr)
	} else {
		fmt.Fprintf(&b, "no smaller value fails the same way (%d runs of the property)\n", c.Calls)
	}
	return b.String()
}

// Falsify runs prop on every case and returns nil when it holds for all, or the first case it does not hold
// for, shrunk with at most budget further runs of prop. Every case runs, so Failed counts them all.
func Falsify(cases []Case, prop Property, budget int) *Counterexample {
	var cx *Counterexample
	for _, c := range cases {
		err := prop(c)
		if err == nil {
			continue
		}
		if cx == nil {
			cx = &Counterexample{Case: c, Err: err}
		}
		cx.Failed++
	}
	if cx == nil {
		return nil
	}
	cx.Tried = len(cases)
	kind := kindOf(cx.Err)
	last := map[string]error{cx.Case.Value: cx.Err}
	shrunk, calls := Shrink(cx.Case.Value, func(v string) bool {
		err := prop(cx.Case.With(v))
		if err != nil && kindOf(err) == kind {
			last[v] = err
			return true
		}
		return false
	}, budget)
	cx.Shrunk, cx.ShrunkErr, cx.Calls = cx.Case.With(shrunk), last[shrunk], calls
	return cx
}
