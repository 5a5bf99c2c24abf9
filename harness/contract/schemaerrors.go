package contract

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xeipuuv/gojsonschema"
)

// schemaChecks maps gojsonschema's error types to the registry's schema check IDs.
var schemaChecks = map[string]ID{
	"invalid_type": SchemaType,
	"format":       SchemaFormat,
	"pattern":      SchemaPattern,
	"string_gte":   SchemaLength,
	"string_lte":   SchemaLength,
	"required":     SchemaRequired,
	"enum":         SchemaEnum,
}

// schemaError turns one gojsonschema error into a violation with a JSON Pointer and a plain message, or into
// a note when the offending value is a placeholder.
func (r *run) schemaError(e gojsonschema.ResultError) {
	ptr := pointerOf(e.Context())
	if e.Type() == "required" {
		ptr += "/" + escapePointer(fmt.Sprint(e.Details()["property"]))
	}
	id, ok := schemaChecks[e.Type()]
	if !ok {
		id = SchemaOther
	}
	// A placeholder stands in for a string; where the definition wants another type it is a type violation.
	if s, ok := e.Value().(string); ok && IsPlaceholder(s) && e.Type() != "invalid_type" {
		r.notChecked(id, ptr, "%s is a placeholder (%s): not checked against the schema", displayPointer(ptr), s)
		return
	}
	r.report.Violations = append(r.report.Violations, newViolation(id, ptr, schemaMessage(e, displayPointer(ptr))))
}

// schemaMessage says what is wrong in words a person reads without knowing JSON Schema.
func schemaMessage(e gojsonschema.ResultError, subject string) string {
	d := e.Details()
	switch e.Type() {
	case "invalid_type":
		return fmt.Sprintf("%s must be %s, found %s", subject, article(d["expected"]), article(d["given"]))
	case "format":
		format := fmt.Sprint(d["format"])
		reason := ""
		if err := CheckFormat(format, e.Value()); err != nil {
			reason = ": " + err.Error()
		}
		return fmt.Sprintf("%s %s is not a valid %s%s", subject, quote(e.Value()), format, reason)
	case "pattern":
		return fmt.Sprintf("%s %s does not match the pattern %v", subject, quote(e.Value()), d["pattern"])
	case "string_gte":
		return fmt.Sprintf("%s %s has %d characters; at least %v are required", subject, quote(e.Value()), runeCount(e.Value()), d["min"])
	case "string_lte":
		return fmt.Sprintf("%s %s has %d characters; at most %v are allowed", subject, quote(e.Value()), runeCount(e.Value()), d["max"])
	case "required":
		return fmt.Sprintf("%s is required but missing", subject)
	}
	return fmt.Sprintf("%s: %s", subject, e.Description())
}

// pointerOf converts gojsonschema's context ("(root)" then one element per step) into a JSON Pointer. A
// separator that cannot occur in JSON text keeps member names with dots intact.
func pointerOf(ctx *gojsonschema.JsonContext) string {
	const sep = "\x00"
	parts := strings.Split(ctx.String(sep), sep)
	var b strings.Builder
	for _, p := range parts[1:] {
		b.WriteString("/" + escapePointer(p))
	}
	return b.String()
}

func displayPointer(ptr string) string {
	if ptr == "" {
		return "the body"
	}
	return ptr
}

func article(v any) string {
	s := fmt.Sprint(v)
	switch s {
	case "null":
		return "null"
	case "array", "integer", "object":
		return "an " + s
	}
	return "a " + s
}

func quote(v any) string {
	if s, ok := v.(string); ok {
		if utf8.RuneCountInString(s) > 120 {
			s = string([]rune(s)[:120]) + "…"
		}
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func runeCount(v any) int {
	s, _ := v.(string)
	return utf8.RuneCountInString(s)
}
