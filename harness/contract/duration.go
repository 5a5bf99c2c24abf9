package contract

import (
	"fmt"
	"time"
)

// readableDuration says d the way a person reads it: "5 minutes", "3 hours 20 minutes", "26,280 days" rather
// than Go's "630720h0m0s". It keeps the two largest units that are not zero, rounding the rest away.
func readableDuration(d time.Duration) string {
	if d < 0 {
		return "-" + readableDuration(-d)
	}
	d = d.Round(time.Second)
	units := []struct {
		name string
		size time.Duration
	}{{"day", 24 * time.Hour}, {"hour", time.Hour}, {"minute", time.Minute}, {"second", time.Second}}
	var parts []string
	for _, u := range units {
		if n := int64(d / u.size); n > 0 || (len(parts) == 0 && u.size == time.Second) {
			parts = append(parts, countOf(n, u.name))
			d -= time.Duration(n) * u.size
		} else if len(parts) > 0 {
			break // "1 day 5 minutes" would skip a unit; stop at the first gap instead
		}
		if len(parts) == 2 {
			break
		}
	}
	if len(parts) == 2 {
		return parts[0] + " " + parts[1]
	}
	return parts[0]
}

// countOf is "1 day", "2 days", "26,280 days".
func countOf(n int64, noun string) string {
	digits := fmt.Sprint(n)
	for i := len(digits) - 3; i > 0; i -= 3 {
		digits = digits[:i] + "," + digits[i:]
	}
	if n != 1 {
		noun += "s"
	}
	return digits + " " + noun
}
