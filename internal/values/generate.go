package values

import (
	"fmt"
	"math/rand/v2"
	"os"
	"regexp/syntax"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
)

// EnvSeed overrides the generator's seed (a decimal number). Ginkgo's own --seed is not used: it changes on
// every run unless given, and the generated values must be the same from run to run unless asked otherwise.
const EnvSeed = "LISTKEYS_SEED"

// DefaultSeed is the seed when EnvSeed is not set.
const DefaultSeed uint64 = 1

// Seed is EnvSeed's value, or DefaultSeed.
func Seed(getenv func(string) string) (uint64, error) {
	v := strings.TrimSpace(getenv(EnvSeed))
	if v == "" {
		return DefaultSeed, nil
	}
	seed, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%q must be a decimal number from 0 to %d", EnvSeed, v, uint64(1<<64-1))
	}
	return seed, nil
}

// SeedFromEnvironment is Seed(os.Getenv).
func SeedFromEnvironment() (uint64, error) { return Seed(os.Getenv) }

// Case is one generated request: Params is the base with Value in Param.
type Case struct {
	Param string
	// Breaks is the constraint the value was made to break; "" for a value made valid.
	Breaks Constraint
	Value  string
	Params arm.Params
}

// With is the case with another value in its parameter (what the shrinker tries). The new value was not
// made to break anything in particular, so Breaks is cleared.
func (c Case) With(v string) Case {
	c.Value, c.Breaks = v, ""
	c.Params = c.Params.With(c.Param, v)
	return c
}

func (c Case) String() string {
	if c.Breaks == "" {
		return fmt.Sprintf("%s %q", c.Param, c.Value)
	}
	return fmt.Sprintf("%s %q (made to break %s)", c.Param, c.Value, c.Breaks)
}

// Generator makes cases from a seed: the same seed, base and rules give the same cases, run after run.
type Generator struct {
	Seed  uint64
	rules *Rules
	base  arm.Params
}

// NewGenerator generates cases that vary one parameter of base at a time, so that each reaches the check
// the server makes on that parameter (a server checks the subscription before the group, the group before
// the workspace).
func NewGenerator(rules *Rules, base arm.Params, seed uint64) *Generator {
	return &Generator{Seed: seed, rules: rules, base: base}
}

// Independent streams, so that asking for more valid cases does not change the invalid ones.
const (
	invalidStream = 0x1a7a11d
	validStream   = 0x7a11d
)

// maxAttempts bounds the tries for one value; each try is checked against the rule, and a generator that
// cannot make a value is a bug to report, not a loop to hang in.
const maxAttempts = 200

type class struct {
	rule       *Rule
	constraint Constraint
}

// Classes lists every (parameter, constraint) pair Invalid makes values for, in the order it cycles through
// them.
func (g *Generator) Classes() []string {
	var out []string
	for _, cl := range g.invalidClasses() {
		out = append(out, cl.rule.Name+" "+string(cl.constraint))
	}
	return out
}

func (g *Generator) invalidClasses() []class {
	var out []class
	for _, r := range g.rules.All() {
		for _, c := range r.Constraints() {
			out = append(out, class{r, c})
		}
	}
	return out
}

// Invalid makes n cases, cycling through every constraint of every parameter. Each value breaks the
// constraint it was made for (Rule.Broken says so), and no value made for another constraint breaks path
// safety, which the client would report first.
func (g *Generator) Invalid(n int) ([]Case, error) {
	rng := rand.New(rand.NewPCG(g.Seed, invalidStream))
	classes := g.invalidClasses()
	if len(classes) == 0 {
		return nil, fmt.Errorf("values: the schema constrains no parameter")
	}
	out := make([]Case, 0, n)
	for i := range n {
		cl := classes[i%len(classes)]
		v, err := g.invalid(rng, cl.rule, cl.constraint)
		if err != nil {
			return nil, err
		}
		out = append(out, Case{Param: cl.rule.Name, Breaks: cl.constraint, Value: v, Params: g.base.With(cl.rule.Name, v)})
	}
	return out, nil
}

func (g *Generator) invalid(rng *rand.Rand, r *Rule, c Constraint) (string, error) {
	for range maxAttempts {
		v, ok := g.mutant(rng, r, c)
		if !ok {
			continue
		}
		broken := r.Broken(v)
		if slices.Contains(broken, c) && (c == PathSafety || !slices.Contains(broken, PathSafety)) {
			return v, nil
		}
	}
	return "", fmt.Errorf("values: no value breaking the %s of %s in %d attempts (seed %d): the generator cannot follow the schema", c, r.Name, maxAttempts, g.Seed)
}

// mutant proposes a value meant to break c; invalid keeps it only if it does.
func (g *Generator) mutant(rng *rand.Rand, r *Rule, c Constraint) (string, bool) {
	switch c {
	case Format:
		f := formats[r.Format]
		return f.mutants[rng.IntN(len(f.mutants))](rng, f.valid(rng)), true
	case MinLength:
		v, ok := g.valid(rng, r, shortest)
		return cut(v, rng.IntN(r.MinLength)), ok
	case MaxLength:
		n := r.MaxLength + 1 + rng.IntN(r.MaxLength/4+2)
		return g.long(rng, r, n)
	case Pattern:
		return g.patternMutant(rng, r)
	case PathSafety:
		return g.pathMutant(rng, r)
	}
	return "", false
}

// patternMutant inserts a character outside every class of the pattern (any such character breaks it), puts
// one of the pattern's own punctuation at an edge (a structural break: "-ws" for workspaceName), or is
// empty.
func (g *Generator) patternMutant(rng *rand.Rand, r *Rule) (string, bool) {
	v, ok := g.valid(rng, r, random)
	if !ok {
		return "", false
	}
	switch k := rng.IntN(16); {
	case k == 0:
		return "", true
	case k <= 4:
		punct := punctuation(r.tree)
		if len(punct) == 0 {
			return "", false
		}
		p := string(punct[rng.IntN(len(punct))])
		if rng.IntN(2) == 0 {
			return p + v, true
		}
		return v + p, true
	}
	foreign := foreignRunes(r.tree)
	if len(foreign) == 0 {
		return "", false
	}
	return insertWithin(rng, v, string(foreign[rng.IntN(len(foreign))]), r.MaxLength), true
}

// unsafeInsertions are what pathMutant puts inside a valid value: every contract.PathUnsafe character, line breaks,
// NUL and other control characters (C0, DEL, C1), and escapes that some hop would decode into a separator.
var unsafeInsertions = []string{
	"/", `\`, "?", "#", "%", "\r", "\n", "\r\n", "\t", "\x00", "\x01", "\x1b", "\x1f", "\x7f", "\u0085",
	"%2F", "%2f", "%2E%2E", "%00", "%25", "../", "/..",
}

func (g *Generator) pathMutant(rng *rand.Rand, r *Rule) (string, bool) {
	if rng.IntN(6) == 0 {
		return []string{".", ".."}[rng.IntN(2)], true
	}
	v, ok := g.valid(rng, r, random)
	if !ok {
		return "", false
	}
	return insertWithin(rng, v, unsafeInsertions[rng.IntN(len(unsafeInsertions))], -1), true
}

// Valid makes n cases whose values satisfy every constraint of the contract and ARM's documented rules
// beyond it (armRules), cycling through the path parameters that have a grammar. The first cases of each
// parameter sit on its boundaries: the shortest value, then (with a maxLength) the longest.
func (g *Generator) Valid(n int) ([]Case, error) {
	rng := rand.New(rand.NewPCG(g.Seed, validStream))
	var rules []*Rule
	for _, r := range g.rules.All() {
		if r.In == "path" && (r.Format != "" || r.Pattern != "") {
			rules = append(rules, r)
		}
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("values: no path parameter with a format or pattern to generate from")
	}
	out := make([]Case, 0, n)
	for i := range n {
		r := rules[i%len(rules)]
		s := random
		switch k := i / len(rules); {
		case k == 0:
			s = shortest
		case k == 1 && r.MaxLength >= 0:
			s = longest
		}
		v, err := g.validValue(rng, r, s)
		if err != nil {
			return nil, err
		}
		out = append(out, Case{Param: r.Name, Value: v, Params: g.base.With(r.Name, v)})
	}
	return out, nil
}

func (g *Generator) validValue(rng *rand.Rand, r *Rule, s shape) (string, error) {
	for range maxAttempts {
		if v, ok := g.valid(rng, r, s); ok {
			return v, nil
		}
	}
	return "", fmt.Errorf("values: no valid %s value (%s) in %d attempts (seed %d): the generator cannot follow the schema", r.Name, s, maxAttempts, g.Seed)
}

// shape is how long a generated valid value is.
type shape int

const (
	random   shape = iota
	shortest       // every repetition at its minimum
	longest        // exactly maxLength characters
)

func (s shape) String() string {
	return [...]string{"random", "shortest", "longest"}[s]
}

// valid proposes a value of the given shape and keeps it only if it is valid for the contract and for ARM.
func (g *Generator) valid(rng *rand.Rand, r *Rule, s shape) (string, bool) {
	var v string
	switch {
	case r.Format != "":
		v = formats[r.Format].valid(rng)
	case r.Pattern != "" && s == longest:
		var ok bool
		if v, ok = g.long(rng, r, r.MaxLength); !ok {
			return "", false
		}
	case r.Pattern != "":
		v = fromPattern(rng, r.tree, s)
	default:
		// No grammar at all (api-version): the one value known to be served.
		v = g.rules.APIVersion
	}
	if len(r.Broken(v)) > 0 {
		return "", false
	}
	if armRule := armRules[r.Name]; armRule != nil && !armRule(v) {
		return "", false
	}
	return v, true
}

// long is a value of exactly n characters made of the pattern's repetitions: a long match, cut.
func (g *Generator) long(rng *rand.Rand, r *Rule, n int) (string, bool) {
	if r.tree == nil {
		return strings.Repeat("a", n), true
	}
	var b strings.Builder
	generate(rng, r.tree, func(min int) int { return max(min, n+1) }, &b)
	v := b.String()
	if utf8.RuneCountInString(v) < n {
		return "", false
	}
	return cut(v, n), true
}

// fromPattern writes a random string the pattern matches.
func fromPattern(rng *rand.Rand, tree *syntax.Regexp, s shape) string {
	reps := func(min int) int {
		if s == shortest {
			return min
		}
		// Mostly a few repetitions, now and then many.
		if rng.IntN(10) == 0 {
			return min + rng.IntN(30)
		}
		return min + rng.IntN(5)
	}
	var b strings.Builder
	generate(rng, tree, reps, &b)
	return b.String()
}

// generate writes one string re matches; reps says how often a repetition with the given minimum repeats.
func generate(rng *rand.Rand, re *syntax.Regexp, reps func(min int) int, b *strings.Builder) {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && rng.IntN(2) == 0 {
				r = unicode.SimpleFold(r)
			}
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		pair := rng.IntN(len(re.Rune) / 2)
		lo, hi := re.Rune[2*pair], re.Rune[2*pair+1]
		b.WriteRune(lo + rng.Int32N(hi-lo+1))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte(byte('a' + rng.IntN(26)))
	case syntax.OpCapture:
		generate(rng, re.Sub[0], reps, b)
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			generate(rng, sub, reps, b)
		}
	case syntax.OpAlternate:
		generate(rng, re.Sub[rng.IntN(len(re.Sub))], reps, b)
	case syntax.OpQuest:
		if reps(0) > 0 {
			generate(rng, re.Sub[0], reps, b)
		}
	case syntax.OpStar, syntax.OpPlus:
		min := 0
		if re.Op == syntax.OpPlus {
			min = 1
		}
		for range reps(min) {
			generate(rng, re.Sub[0], reps, b)
		}
	case syntax.OpRepeat:
		n := reps(re.Min)
		if re.Max >= 0 {
			n = min(n, re.Max)
		}
		for range n {
			generate(rng, re.Sub[0], reps, b)
		}
	}
	// Anchors and empty matches write nothing.
}

// visitRunes calls f with every literal rune and class range of the pattern; it reports false when the
// pattern has a wildcard, which holds every rune.
func visitRunes(re *syntax.Regexp, f func(lo, hi rune)) bool {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			f(r, r)
			if re.Flags&syntax.FoldCase != 0 {
				for fr := unicode.SimpleFold(r); fr != r; fr = unicode.SimpleFold(fr) {
					f(fr, fr)
				}
			}
		}
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			f(re.Rune[i], re.Rune[i+1])
		}
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return false
	}
	for _, sub := range re.Sub {
		if !visitRunes(sub, f) {
			return false
		}
	}
	return true
}

func inPattern(tree *syntax.Regexp, r rune) bool {
	found := false
	bounded := visitRunes(tree, func(lo, hi rune) { found = found || (lo <= r && r <= hi) })
	return found || !bounded
}

// foreignCandidates are tried as characters outside a pattern: printable ASCII, then letters, digits and
// spaces from elsewhere in Unicode (ARM accepts Unicode letters in a resource group name, which Go's ASCII \w
// does not match).
var foreignCandidates = func() []rune {
	var out []rune
	for r := rune(0x20); r < 0x7f; r++ {
		out = append(out, r)
	}
	return append(out, []rune("éüßΩжあ日😀\u00a0\u2028١ﬁİ")...)
}()

// foreignRunes are the candidates that are in no class of the pattern and safe in a path (a path-unsafe one
// belongs to the path-safety class).
func foreignRunes(tree *syntax.Regexp) []rune {
	var out []rune
	for _, r := range foreignCandidates {
		if !inPattern(tree, r) && contract.PathSafety(string(r)) == "" {
			out = append(out, r)
		}
	}
	return out
}

// punctuation are the pattern's own characters that are neither letters nor digits: where a pattern has
// structure ("-" only between alphanumerics), these are what break it at an edge.
func punctuation(tree *syntax.Regexp) []rune {
	var out []rune
	if tree == nil {
		return nil
	}
	visitRunes(tree, func(lo, hi rune) {
		for r := lo; r <= hi && r-lo < 256; r++ {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	})
	return out
}

// insertWithin puts s at a random position of v; with a maximum length it replaces characters instead of
// growing v past it.
func insertWithin(rng *rand.Rand, v, s string, maxLength int) string {
	runes := []rune(v)
	at := rng.IntN(len(runes) + 1)
	rest := runes[at:]
	if over := len(runes) + utf8.RuneCountInString(s) - maxLength; maxLength >= 0 && over > 0 {
		rest = rest[min(over, len(rest)):]
	}
	return string(runes[:at]) + s + string(rest)
}

// cut keeps the first n characters of v.
func cut(v string, n int) string {
	runes := []rune(v)
	return string(runes[:min(n, len(runes))])
}
