package contract

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Strict decoding: the one place a body becomes a value. RFC 8259 leaves duplicate member names, lone
// surrogates and what follows the value to the parser; I-JSON (RFC 7493) refuses all three, and clients do
// differ on them (one takes the first of two members, another the last). So a body that has any of them
// breaks check body.json, at the JSON Pointer where it happens; the value is still judged as this decoder
// reads it: the first of duplicate members, U+FFFD for a lone surrogate, the first value of the text.
//
// A body that is no JSON at all (empty, not UTF-8, a byte order mark, UTF-16, gzip, a syntax error, too deep,
// too many values) is an ErrInput error instead: there is nothing to judge.

// MaxDepth bounds the nesting of a body. encoding/json has a limit of its own (10,000), but a shallower one
// keeps every walk over a body cheap.
const MaxDepth = 512

// MaxValues bounds how many JSON values (objects, arrays, strings, numbers, literals) one body may hold. A
// List Keys body holds about 15 and an ARM error rarely more than a hundred; the bound keeps the memory and
// time of validating a hostile body (an ErrorResponse with millions of details) proportional to it rather
// than to the body's size.
const MaxValues = 20000

// Decode parses a body strictly, with numbers kept as json.Number. The violations are of body.json; the
// error wraps ErrInput when the body is not JSON at all. The strings of a body of up to 64 KiB share the
// memory of one copy of it: clone one that is kept long.
func Decode(body []byte) (any, []Violation, error) {
	p := parser{data: body}
	doc, err := p.document()
	return doc, p.violations, err
}

// Parsed is a body decoded once, for every reader of it: the schema, the checks, ErrorCode and the
// server's scrubber all take the same value rather than decoding the bytes again.
type Parsed struct {
	Body []byte
	// Doc, Strict and Err are what Decode returns.
	Doc    any
	Strict []Violation
	Err    error
	// dropped are the strings of duplicate members, which Doc leaves out: a scan for secrets needs them.
	dropped []pointedString
}

type pointedString struct{ pointer, value string }

// Parse decodes a body once (see Decode).
func Parse(body []byte) *Parsed {
	p := parser{data: body, keepDropped: true}
	doc, err := p.document()
	return &Parsed{Body: body, Doc: doc, Strict: p.violations, Err: err, dropped: p.dropped}
}

// EachString is the package's EachString over the parsed body, without decoding it again when it decoded.
func (pb *Parsed) EachString(visit func(pointer, value string)) error {
	if pb.Err != nil {
		return EachString(pb.Body, visit) // the strings before the error, as the parser met them
	}
	eachString(pb.Doc, "", visit)
	for _, d := range pb.dropped {
		visit(d.pointer, d.value)
	}
	return nil
}

func eachString(v any, pointer string, visit func(pointer, value string)) {
	switch v := v.(type) {
	case string:
		visit(pointer, v)
	case map[string]any:
		for name, child := range v {
			eachString(child, pointer+"/"+escapePointer(name), visit)
		}
	case []any:
		for i, child := range v {
			eachString(child, pointer+"/"+strconv.Itoa(i), visit)
		}
	}
}

// ErrorCode is error.code of the body when it is an ErrorResponse, or "". It is a copy: the decoded strings
// share the memory of the whole body, which a code kept for long (a server's history) must not hold on to.
func (pb *Parsed) ErrorCode() string {
	if pb.Err != nil {
		return ""
	}
	return strings.Clone(errorCodeOf(pb.Doc))
}

// EachString calls visit with the JSON Pointer and value of every string in the body — member values and
// array items, those of duplicate members included — so a scan for secrets misses none. Member names are
// not visited.
func EachString(body []byte, visit func(pointer, value string)) error {
	p := parser{data: body, visit: visit}
	_, err := p.document()
	return err
}

type parser struct {
	data []byte
	// text is data as one string, converted once, when the body is no larger than sharedText: its strings
	// and numbers are then slices of it rather than copies of their own, which saves an allocation per
	// value. A larger body is not copied whole, so that a hostile one costs what its first MaxValues values
	// do, and a string kept from it does not hold on to all of it.
	text       string
	pos        int
	values     int
	path       []string // the member names and indexes down to the value being parsed, unescaped
	violations []Violation
	visit      func(pointer, value string)
	// keepDropped: collect the strings of duplicate members (Parse), which the value leaves out.
	keepDropped bool
	dropped     []pointedString
}

// errSyntax is the parser's own syntax error; the message shown is encoding/json's, which names the
// character and offset as people know them.
var errSyntax = errors.New("syntax error")

func (p *parser) document() (any, error) {
	b := p.data
	switch {
	case len(bytes.TrimSpace(b)) == 0:
		return nil, fmt.Errorf("%w: the body is empty", ErrInput)
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		return nil, fmt.Errorf("%w: the body starts with a UTF-8 byte order mark (EF BB BF), which JSON text must not (RFC 8259 §8.1)", ErrInput)
	case isUTF16(b):
		return nil, fmt.Errorf("%w: the body is UTF-16 encoded; JSON text is UTF-8 (RFC 8259 §8.1)", ErrInput)
	case bytes.HasPrefix(b, []byte{0x1f, 0x8b}):
		return nil, fmt.Errorf("%w: the body is gzip-compressed data, not JSON (a Content-Encoding not undone?)", ErrInput)
	case !utf8.Valid(b):
		return nil, fmt.Errorf("%w: the body is not valid UTF-8 (at byte %d)", ErrInput, InvalidUTF8At(b))
	}
	if len(b) <= sharedText {
		p.text = string(b)
	}
	p.path = make([]string, 0, 8) // deep enough for a List Keys body or an ARM error without growing
	p.space()
	doc, err := p.value()
	if err != nil {
		if errors.Is(err, errSyntax) {
			return nil, p.syntaxError()
		}
		return nil, err
	}
	p.space()
	if p.pos < len(b) {
		p.report("", "the body goes on after its JSON value: %d bytes from byte %d (%s)", len(b)-p.pos, p.pos, excerpt(b[p.pos:]))
	}
	return doc, nil
}

// isUTF16 recognises a UTF-16 byte order mark, or the NUL byte beside each ASCII character that UTF-16
// JSON starts with.
func isUTF16(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff}) {
		return true
	}
	return len(b) >= 4 && (b[0] == 0 && b[1] != 0 && b[2] == 0 || b[0] != 0 && b[1] == 0 && b[3] == 0)
}

// syntaxError describes a syntax error as encoding/json does, which names the character and byte.
func (p *parser) syntaxError() error {
	var raw json.RawMessage
	err := json.NewDecoder(bytes.NewReader(p.data)).Decode(&raw)
	if err == nil { // the two parsers disagree: say what this one found
		return fmt.Errorf("%w: not JSON: invalid character at byte %d", ErrInput, p.pos)
	}
	return fmt.Errorf("%w: not JSON: %s", ErrInput, describeJSONError(err, len(p.data)))
}

func describeJSONError(err error, size int) string {
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return fmt.Sprintf("it ends early (truncated after %d bytes)", size)
	case errors.As(err, &syntax):
		return fmt.Sprintf("%s at byte %d", syntax.Error(), syntax.Offset)
	}
	return err.Error()
}

func (p *parser) report(ptr, format string, args ...any) {
	p.violations = append(p.violations, newViolation(BodyJSON, ptr, fmt.Sprintf(format, args...)))
}

func (p *parser) pointer() string { return pointerOfTokens(p.path) }

// pointerOfTokens is the JSON Pointer of a path of member names and indexes: escaped only here, when a
// pointer is needed, not for every member parsed.
func pointerOfTokens(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapePointer(t))
	}
	return b.String()
}

func (p *parser) space() {
	data, i := p.data, p.pos // locals, which the loop keeps in registers
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	p.pos = i
}

func (p *parser) value() (any, error) {
	if p.values++; p.values > MaxValues {
		return nil, fmt.Errorf("%w: the body holds more than %d JSON values; a List Keys body holds a few dozen", ErrInput, MaxValues)
	}
	if p.pos >= len(p.data) {
		return nil, errSyntax
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, err := p.string()
		if err == nil && p.visit != nil {
			p.visit(p.pointer(), s)
		}
		return s, err
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, errSyntax
}

func (p *parser) literal(word string) error {
	if !bytes.HasPrefix(p.data[p.pos:], []byte(word)) {
		return errSyntax
	}
	p.pos += len(word)
	return nil
}

func (p *parser) enter() error {
	if len(p.path) >= MaxDepth {
		return fmt.Errorf("%w: the body nests deeper than %d levels", ErrInput, MaxDepth)
	}
	return nil
}

func (p *parser) object() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // {
	obj := map[string]any{}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return obj, nil
	}
	for {
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, errSyntax
		}
		name, err := p.string()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, errSyntax
		}
		p.pos++
		p.space()
		p.path = append(p.path, name)
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if _, dup := obj[name]; dup {
			parent := pointerOfTokens(p.path[:len(p.path)-1])
			p.report(p.pointer(), "member %s appears more than once in %s; clients differ on which they take (this check judges the first)", quote(name), displayPointer(parent))
			if p.keepDropped {
				eachString(v, p.pointer(), func(pointer, value string) { p.dropped = append(p.dropped, pointedString{pointer, value}) })
			}
		} else {
			obj[name] = v
		}
		p.path = p.path[:len(p.path)-1]
		p.space()
		if p.pos >= len(p.data) {
			return nil, errSyntax
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return obj, nil
		default:
			return nil, errSyntax
		}
	}
}

func (p *parser) array() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // [
	list := []any{}
	p.space()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return list, nil
	}
	for {
		p.space()
		p.path = append(p.path, strconv.Itoa(len(list)))
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		p.path = p.path[:len(p.path)-1]
		list = append(list, v)
		p.space()
		if p.pos >= len(p.data) {
			return nil, errSyntax
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return list, nil
		default:
			return nil, errSyntax
		}
	}
}

// string reads a string at p.pos (its opening quote). The input is valid UTF-8 (checked before parsing).
func (p *parser) string() (string, error) {
	start := p.pos + 1       // after the "
	data, i := p.data, start // locals, which the loops keep in registers
	for i+8 <= len(data) && allPlain(binary.LittleEndian.Uint64(data[i:])) {
		i += 8
	}
	for i < len(data) && plain[data[i]] {
		i++
	}
	switch {
	case i == len(data):
		p.pos = i
		return "", errSyntax
	case data[i] == '"':
		p.pos = i + 1
		return p.slice(start, i), nil
	case data[i] == '\\':
		p.pos = i
		return p.escapedString(start)
	}
	p.pos = i // a control character
	return "", errSyntax
}

// sharedText is the largest body whose strings share one copy of it (see parser.text).
const sharedText = 64 << 10

// slice is data[start:end] as a string.
func (p *parser) slice(start, end int) string {
	if p.text != "" {
		return p.text[start:end]
	}
	return string(p.data[start:end])
}

// allPlain reports whether none of the eight bytes in w is one that plain marks false: no byte below 0x20,
// no '"' and no '\\'. It is the classic word-at-a-time test for a zero byte (v-0x01… & ^v & 0x80…), on w
// xor each character and, for the control characters, on w less 0x20 in each byte.
func allPlain(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	hasZero := func(v uint64) bool { return (v-ones)&^v&highs != 0 }
	below := (w - 0x20*ones) &^ w & highs // a byte below 0x20, exactly so whenever any is
	return below == 0 && !hasZero(w^('"'*ones)) && !hasZero(w^('\\'*ones))
}

// plain tells the bytes a string holds as they are from those string must look at: the quote, the
// backslash and the control characters, which JSON text must escape.
var plain = func() (t [256]bool) {
	for c := 0x20; c < len(t); c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// escapedString finishes a string that has escapes, from its first backslash.
func (p *parser) escapedString(start int) (string, error) {
	var b strings.Builder
	b.Write(p.data[start:p.pos])
	lone := false
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			if lone {
				p.report(p.pointer(), "%s holds a lone UTF-16 surrogate (a \\u escape of half a character), which is no Unicode text; read as U+FFFD", displayPointer(p.pointer()))
			}
			return b.String(), nil
		case c < 0x20:
			return "", errSyntax
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		if p.pos+1 >= len(p.data) {
			return "", errSyntax
		}
		e := p.data[p.pos+1]
		p.pos += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", errSyntax
			}
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if r < 0xdc00 && p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					var ok2 bool
					if r2, ok2 = p.hex4(); !ok2 {
						return "", errSyntax
					}
					if combined := utf16.DecodeRune(r, r2); combined != utf8.RuneError {
						b.WriteRune(combined)
						continue
					}
					p.pos = save // the next escape is a character of its own
				}
				lone = true
				r = utf8.RuneError
			}
			b.WriteRune(r)
		default:
			return "", errSyntax
		}
	}
	return "", errSyntax
}

func (p *parser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

func (p *parser) number() (any, error) {
	start := p.pos
	d := p.data
	if d[p.pos] == '-' {
		p.pos++
	}
	switch {
	case p.pos < len(d) && d[p.pos] == '0':
		p.pos++
	case p.pos < len(d) && d[p.pos] >= '1' && d[p.pos] <= '9':
		p.digits()
	default:
		return nil, errSyntax
	}
	if p.pos < len(d) && d[p.pos] == '.' {
		p.pos++
		if !p.digits() {
			return nil, errSyntax
		}
	}
	if p.pos < len(d) && (d[p.pos] == 'e' || d[p.pos] == 'E') {
		p.pos++
		if p.pos < len(d) && (d[p.pos] == '+' || d[p.pos] == '-') {
			p.pos++
		}
		if !p.digits() {
			return nil, errSyntax
		}
	}
	return json.Number(p.slice(start, p.pos)), nil
}

func (p *parser) digits() bool {
	start := p.pos
	for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
		p.pos++
	}
	return p.pos > start
}

// excerpt shows the start of some bytes, quoted and clipped, for a message.
func excerpt(b []byte) string {
	const shown = 16
	if len(b) > shown {
		return strconv.Quote(string(b[:shown])) + "…"
	}
	return strconv.Quote(string(b))
}

// MaxPerCheck bounds how many violations of one check one body reports; the rest are counted in one last
// violation of the same check, so the output of a hostile body stays small and still says how bad it is.
const MaxPerCheck = 100

// MaxMessage bounds the length of one violation's message, in bytes.
const MaxMessage = 1024

// Bound keeps the first MaxPerCheck violations of each check (in the given order) and replaces the others by
// one "… and N more" violation of that check, and clips every message to MaxMessage bytes.
func Bound(vs []Violation) []Violation {
	counts := map[string]int{}
	out := vs[:0:0]
	for _, v := range vs {
		counts[v.Check]++
		if counts[v.Check] <= MaxPerCheck {
			v.Message = clipMessage(v.Message)
			out = append(out, v)
		}
	}
	for _, v := range vs {
		n := counts[v.Check] - MaxPerCheck
		if n > 0 {
			out = append(out, Violation{Check: v.Check, Level: v.Level, Path: "",
				Message: fmt.Sprintf("… and %d more violations of %s in this body (not listed)", n, v.Check)})
			counts[v.Check] = 0
		}
	}
	return out
}

func clipMessage(s string) string {
	if len(s) <= MaxMessage {
		return s
	}
	cut := MaxMessage
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
