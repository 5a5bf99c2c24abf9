package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// NotJudgedError is a body that cannot be judged because a recorder's sanitizer broke it: it swapped a
// value that is not a string (apiKeyEnabled: true) for a bare marker, so the body is no longer JSON
// (docs/recorders.md). The service did nothing wrong, so it is no violation; the fix is in the recorder's
// configuration. It wraps ErrInput: the body is not usable JSON.
type NotJudgedError struct {
	// Reason is the one line every consumer prints (validate, validate --recording, serve, the suites).
	Reason string
}

func (e *NotJudgedError) Error() string { return "not judged: " + e.Reason }

func (e *NotJudgedError) Unwrap() error { return ErrInput }

// notJudged turns a decoding error into a NotJudgedError when a bare placeholder is what breaks the body.
func notJudged(body []byte, err error) error {
	word, at, ok := barePlaceholder(body)
	if !ok {
		return err
	}
	if utf8.RuneCountInString(word) > 24 {
		word = string([]rune(word)[:24]) + "…"
	}
	return &NotJudgedError{Reason: fmt.Sprintf("the body is not JSON: an unquoted placeholder %s at byte %d; the recorder's sanitizer broke the JSON", word, at)}
}

// barePlaceholder finds the first bare word outside JSON strings — what makes the body invalid — and
// reports it when it is a placeholder. Literals and numbers are JSON and skipped. A body that does not start
// as JSON does (an object or an array) was edited by a sanitizer only when a redaction marker replaced it
// whole: an HTML page such as "<html>…" from a front end is not JSON at all, never a placeholder.
func barePlaceholder(body []byte) (string, int, bool) {
	if t := bytes.TrimLeft(body, " \t\r\n"); len(t) == 0 || (t[0] != '{' && t[0] != '[') {
		whole := string(bytes.TrimSpace(body))
		return whole, len(body) - len(t), isRedactionMarker(whole)
	}
	inString, escaped := false, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		case c == '"':
			inString = true
			continue
		case strings.IndexByte("{}[],: \t\r\n", c) >= 0:
			continue
		}
		end := i
		for end < len(body) && strings.IndexByte("{}[],:\" \t\r\n", body[end]) < 0 {
			end++
		}
		word := string(body[i:end])
		if json.Valid([]byte(word)) {
			i = end - 1
			continue
		}
		if IsPlaceholder(word) {
			return word, i, true
		}
		return "", 0, false
	}
	return "", 0, false
}
