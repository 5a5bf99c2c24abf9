package contract

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/xeipuuv/gojsonschema"
)

// formatCheckers are the formats the contract understands. The generator refuses any other format, so an
// unknown one can never pass silently. gojsonschema's own date-time and uuid are wrong (docs/libraries.md), so every
// format here is ours. Each returns nil or why the value does not have the format.
var formatCheckers = map[string]func(any) error{
	"date-time": stringFormat(checkDateTime),
	"date":      stringFormat(func(s string) error { _, err := parseFullDate(s); return err }),
	"uuid":      stringFormat(checkUUID),
	"password":  stringFormat(func(string) error { return nil }),
	"byte":      stringFormat(checkBase64),
	"uri":       stringFormat(checkURI),
	"duration":  stringFormat(checkDuration),
	"arm-id":    stringFormat(checkARMID),
	"int32":     integerFormat(math.MinInt32, math.MaxInt32),
	"int64":     integerFormat(math.MinInt64, math.MaxInt64),
	"float":     numberFormat,
	"double":    numberFormat,
}

// FormatNames lists the formats the contract checks, for the generator and for documentation.
func FormatNames() []string {
	names := make([]string, 0, len(formatCheckers))
	for name := range formatCheckers {
		names = append(names, name)
	}
	return names
}

// CheckFormat says why value does not have the named format, or nil. Non-string values pass string
// formats: the type keyword reports them.
func CheckFormat(format string, value any) error {
	check, ok := formatCheckers[format]
	if !ok {
		return fmt.Errorf("unknown format %q", format)
	}
	return check(value)
}

// gojsonschema keeps its format checkers in a package global; registering ours once, at package init,
// is the only moment that cannot race with a validation.
func init() {
	for name, check := range formatCheckers {
		gojsonschema.FormatCheckers.Add(name, formatChecker(check))
	}
}

type formatChecker func(any) error

func (f formatChecker) IsFormat(input any) bool { return f(input) == nil }

func stringFormat(check func(string) error) func(any) error {
	return func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		return check(s)
	}
}

func integerFormat(min, max int64) func(any) error {
	return func(v any) error {
		n, ok := v.(json.Number)
		if !ok {
			return nil
		}
		i, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil || i < min || i > max {
			return fmt.Errorf("%s is not an integer in [%d, %d]", n, min, max)
		}
		return nil
	}
}

func numberFormat(v any) error {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	if f, err := n.Float64(); err != nil || math.IsInf(f, 0) {
		return fmt.Errorf("%s does not fit a double", n)
	}
	return nil
}

// checkUUID is syntactic, as JSON Schema's uuid is: 8-4-4-4-12 hex digits in any case, no version or
// variant required (the documented example's subscription id is not a version-4 UUID).
func checkUUID(s string) error {
	if !isUUID(s) {
		return fmt.Errorf("a UUID is 8-4-4-4-12 hexadecimal digits, e.g. 00000000-1111-2222-3333-444444444444")
	}
	return nil
}

// isUUID reports whether s is 8-4-4-4-12 hexadecimal digits (^[0-9a-fA-F]{8}-…-[0-9a-fA-F]{12}$).
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

func checkBase64(s string) error {
	if _, err := base64.StdEncoding.DecodeString(s); err != nil {
		return fmt.Errorf("not base64: %v", err)
	}
	return nil
}

func checkURI(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if !u.IsAbs() {
		return fmt.Errorf("not an absolute URI")
	}
	return nil
}

// The expressions of the formats are compiled on first use, not at package init: every command of the binary
// would pay for them at start.
var durationPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^P(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?W)?(?:\d+(?:\.\d+)?D)?(?:T(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$`)
})

func checkDuration(s string) error {
	if s == "P" || s == "PT" || len(s) > 0 && s[len(s)-1] == 'T' || !durationPattern().MatchString(s) {
		return fmt.Errorf("not an ISO 8601 duration such as PT1H30M")
	}
	return nil
}

var armIDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^/(subscriptions|providers)/[^/]+(/[^/]+)*$`) })

func checkARMID(s string) error {
	if !armIDPattern().MatchString(s) {
		return fmt.Errorf("not an ARM resource id (/subscriptions/... or /providers/...)")
	}
	return nil
}

// checkDateTime is RFC 3339 §5.6 date-time, exactly: "T" and "Z" in either case (§5.6 NOTE), any number of
// fractional digits, a numeric offset within ±23:59, real calendar days, and the leap second 60 only where
// one can fall (23:59 in UTC).
func checkDateTime(s string) error {
	_, _, err := parseDateTime(s)
	return err
}

// ParseDateTime parses an RFC 3339 date-time strictly and says what is wrong when it is not one.
func ParseDateTime(s string) (time.Time, error) {
	t, offset, err := parseDateTime(s)
	if err != nil {
		return time.Time{}, err
	}
	return t.In(time.FixedZone("", offset)), nil
}

// parseDateTime is ParseDateTime giving the instant in UTC and the offset apart (seconds east of UTC), so that
// the checks, which compare instants only, make no time zone for each value.
func parseDateTime(s string) (time.Time, int, error) {
	if len(s) < len("2006-01-02T15:04:05") {
		if _, _, _, err := fullDate(s); err == nil {
			return time.Time{}, 0, fmt.Errorf("a date without a time: RFC 3339 needs \"T\", hh:mm:ss and an offset")
		}
		return time.Time{}, 0, fmt.Errorf("too short for an RFC 3339 date-time (yyyy-mm-ddThh:mm:ssZ)")
	}
	year, month, day, err := fullDate(s[:10])
	if err != nil {
		return time.Time{}, 0, err
	}
	if s[10] != 'T' && s[10] != 't' {
		return time.Time{}, 0, fmt.Errorf("date and time must be separated by \"T\", found %q", s[10:11])
	}
	rest := s[11:]
	if !digits(rest, 0, 2) || rest[2] != ':' || !digits(rest, 3, 2) || rest[5] != ':' || !digits(rest, 6, 2) {
		return time.Time{}, 0, fmt.Errorf("time must be hh:mm:ss")
	}
	hour, minute, second := atoi(rest[0:2]), atoi(rest[3:5]), atoi(rest[6:8])
	switch {
	case hour > 23:
		return time.Time{}, 0, fmt.Errorf("hour %02d is out of range 00-23", hour)
	case minute > 59:
		return time.Time{}, 0, fmt.Errorf("minute %02d is out of range 00-59", minute)
	case second > 60:
		return time.Time{}, 0, fmt.Errorf("second %02d is out of range 00-60", second)
	}
	rest = rest[8:]
	nanos := 0
	if rest != "" && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 1 {
			return time.Time{}, 0, fmt.Errorf("a fraction of a second needs at least one digit after \".\"")
		}
		frac := rest[1:n]
		if len(frac) > 9 {
			frac = frac[:9] // finer than a nanosecond is valid RFC 3339, but Go cannot hold it
		}
		nanos = atoi(frac)
		for i := len(frac); i < 9; i++ {
			nanos *= 10
		}
		rest = rest[n:]
	} else if rest != "" && rest[0] == ',' {
		return time.Time{}, 0, fmt.Errorf("the fraction of a second must follow \".\", not \",\"")
	}
	offset, err := parseOffset(rest)
	if err != nil {
		return time.Time{}, 0, err
	}
	// The local time less the offset is the instant: what time.Date in time.FixedZone("", offset) gives.
	// A leap second is checked as second 59 and then moved on: Go has no second 60.
	t := time.Date(year, time.Month(month), day, hour, minute, min(second, 59), nanos, time.UTC).Add(-time.Duration(offset) * time.Second)
	if second == 60 {
		if t.Hour() != 23 || t.Minute() != 59 {
			return time.Time{}, 0, fmt.Errorf("a leap second (60) can only fall at 23:59 UTC")
		}
		t = t.Add(time.Second)
	}
	return t, offset, nil
}

func parseOffset(s string) (int, error) {
	switch {
	case s == "":
		return 0, fmt.Errorf("missing the offset: end with \"Z\" or ±hh:mm")
	case s == "Z" || s == "z":
		return 0, nil
	case len(s) != 6 || (s[0] != '+' && s[0] != '-') || !digits(s, 1, 2) || s[3] != ':' || !digits(s, 4, 2):
		return 0, fmt.Errorf("offset %q must be \"Z\" or ±hh:mm", s)
	}
	hours, minutes := atoi(s[1:3]), atoi(s[4:6])
	if hours > 23 || minutes > 59 {
		return 0, fmt.Errorf("offset %q is out of range (at most ±23:59)", s)
	}
	seconds := hours*3600 + minutes*60
	if s[0] == '-' {
		seconds = -seconds
	}
	return seconds, nil
}

// parseFullDate parses RFC 3339 full-date (yyyy-mm-dd), refusing days the month does not have.
func parseFullDate(s string) (time.Time, error) {
	year, month, day, err := fullDate(s)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), nil
}

// fullDate is parseFullDate's year, month and day.
func fullDate(s string) (year, month, day int, err error) {
	if len(s) != 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2) {
		return 0, 0, 0, fmt.Errorf("date must be yyyy-mm-dd")
	}
	year, month, day = atoi(s[0:4]), atoi(s[5:7]), atoi(s[8:10])
	if month < 1 || month > 12 {
		return 0, 0, 0, fmt.Errorf("month %02d is out of range 01-12", month)
	}
	if last := daysIn(year, month); day < 1 || day > last {
		return 0, 0, 0, fmt.Errorf("day %02d does not exist in %04d-%02d", day, year, month)
	}
	return year, month, day, nil
}

// daysIn is the number of days of a month (1-12) in the proleptic Gregorian calendar, as time.Date counts.
func daysIn(year, month int) int {
	if month == 2 {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[month-1]
}

func digits(s string, from, n int) bool {
	if from+n > len(s) {
		return false
	}
	for _, c := range []byte(s[from : from+n]) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// atoi converts a run of ASCII digits already checked by digits.
func atoi(s string) int {
	n := 0
	for _, c := range []byte(s) {
		n = n*10 + int(c-'0')
	}
	return n
}
