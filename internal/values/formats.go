package values

import (
	"math/rand/v2"
	"slices"
	"strings"
)

// formatGrammar generates one schema format: valid values, and mutants that turn a valid value into one the
// format refuses. Whether a mutant really breaks the format is not assumed: Rule.Broken asks the contract's
// own format checker, and the generator keeps only values that break it.
type formatGrammar struct {
	valid   func(*rand.Rand) string
	mutants []func(*rand.Rand, string) string
}

// formats are the grammars of the formats a parameter may have. Parse refuses a parameter whose format is
// not here, so a new format in the contract is taught here first.
var formats = map[string]*formatGrammar{
	"uuid": {valid: validUUID, mutants: uuidMutants},
}

func formatNames() []string {
	var names []string
	for name := range formats {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

const hexDigits = "0123456789abcdef"

// validUUID is JSON Schema's uuid: 8-4-4-4-12 hexadecimal digits, in lower, upper or mixed case (the
// syntax only: no version or variant is implied).
func validUUID(rng *rand.Rand) string {
	letterCase := rng.IntN(3)
	var b strings.Builder
	for i, n := range []int{8, 4, 4, 4, 12} {
		if i > 0 {
			b.WriteByte('-')
		}
		for range n {
			c := string(hexDigits[rng.IntN(16)])
			if letterCase == 1 || letterCase == 2 && rng.IntN(2) == 0 {
				c = strings.ToUpper(c)
			}
			b.WriteString(c)
		}
	}
	return b.String()
}

// uuidMutants are the ways a subscription id goes wrong: the forms .NET also parses (braces, parentheses,
// no dashes, urn:uuid:), one digit too many or too few, a digit that is not hexadecimal, a dash out of
// place, surrounding space, and nothing at all.
var uuidMutants = []func(*rand.Rand, string) string{
	func(_ *rand.Rand, u string) string { return "{" + u + "}" },
	func(_ *rand.Rand, u string) string { return "(" + u + ")" },
	func(_ *rand.Rand, u string) string { return strings.ReplaceAll(u, "-", "") },
	func(_ *rand.Rand, u string) string { return "urn:uuid:" + u },
	func(rng *rand.Rand, u string) string { // 37 characters
		at := rng.IntN(len(u) + 1)
		return u[:at] + string(hexDigits[rng.IntN(16)]) + u[at:]
	},
	func(rng *rand.Rand, u string) string { // 35 characters
		at := hexPosition(rng, u)
		return u[:at] + u[at+1:]
	},
	func(rng *rand.Rand, u string) string { // a digit that is not hexadecimal
		at := hexPosition(rng, u)
		return u[:at] + string(rune('g'+rng.IntN(20))) + u[at+1:]
	},
	func(rng *rand.Rand, u string) string { // one dash dropped
		dashes := []int{8, 13, 18, 23}
		at := dashes[rng.IntN(len(dashes))]
		return u[:at] + u[at+1:]
	},
	func(rng *rand.Rand, u string) string { // a dash moved one place
		dashes := []int{8, 13, 18, 23}
		at := dashes[rng.IntN(len(dashes))]
		b := []byte(u)
		b[at], b[at+1] = b[at+1], b[at]
		return string(b)
	},
	func(rng *rand.Rand, u string) string { return []string{" ", "\u00a0"}[rng.IntN(2)] + u },
	func(_ *rand.Rand, _ string) string { return "" },
}

// hexPosition is the index of a random hexadecimal digit of a uuid.
func hexPosition(rng *rand.Rand, u string) int {
	for {
		if at := rng.IntN(len(u)); u[at] != '-' {
			return at
		}
	}
}
