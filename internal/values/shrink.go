package values

// Shrink looks for a smaller value than v for which fails still holds, and returns the smallest found with
// the number of times it called fails (at most budget). It is greedy: it tries, in order, the empty value,
// v without one of its halves, quarters, ... down to single characters, then each character replaced by
// "a"; the first candidate that still fails becomes v, and it starts over. Every step makes v shorter or
// plainer, so it ends; it stops at budget calls, with the smallest value found so far. When fails does not
// hold for v itself, v is returned unchanged (call it with a failing value).
func Shrink(v string, fails func(string) bool, budget int) (string, int) {
	calls := 0
	try := func(candidate string) bool {
		calls++
		return fails(candidate)
	}
	current := []rune(v)
	for calls < budget {
		next, ok := firstFailing(current, try, func() bool { return calls < budget })
		if !ok {
			break
		}
		current = next
	}
	return string(current), calls
}

// firstFailing returns the first smaller candidate of v that fails, in Shrink's order.
func firstFailing(v []rune, fails func(string) bool, more func() bool) ([]rune, bool) {
	if len(v) == 0 || !more() {
		return nil, false
	}
	if fails("") {
		return nil, true
	}
	for size := len(v) / 2; size >= 1; size /= 2 {
		for at := 0; at+size <= len(v); at += size {
			if !more() {
				return nil, false
			}
			candidate := append(append([]rune{}, v[:at]...), v[at+size:]...)
			if fails(string(candidate)) {
				return candidate, true
			}
		}
	}
	for at, r := range v {
		if r == 'a' {
			continue
		}
		if !more() {
			return nil, false
		}
		candidate := append([]rune{}, v...)
		candidate[at] = 'a'
		if fails(string(candidate)) {
			return candidate, true
		}
	}
	return nil, false
}
