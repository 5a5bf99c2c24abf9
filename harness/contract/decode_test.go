package contract

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// TestDecodeStrict holds every way a body can be JSON that clients read differently: each is a body.json
// violation at its pointer, and the value is still judged.
func TestDecodeStrict(t *testing.T) {
	doc := string(examples.Documented)
	tests := []struct {
		name, body, path, message string
	}{
		{"trailing word", doc + " x", "", "goes on after its JSON value"},
		{"trailing NULs", doc + "\x00\x00", "", `"\x00\x00"`},
		{"trailing bracket", doc + " ]", "", "1 bytes from byte"},
		{"a second value", `{"error":{"code":"a","message":"b"}} {}`, "", "goes on after"},
		{"duplicate at the top", `{"apiKeyEnabled":true,"apiKeyEnabled":false}`, "/apiKeyEnabled", `member "apiKeyEnabled" appears more than once in the body`},
		{"duplicate hiding garbage", `{"primaryKey":{"createdAt":"garbage","createdAt":"2024-01-01T00:00:00Z"}}`, "/primaryKey/createdAt", "in /primaryKey"},
		{"duplicate in an array item", `{"error":{"code":"a","message":"b","details":[{"code":"c","code":"d"}]}}`, "/error/details/0/code", "appears more than once"},
		{"duplicate with a slash", `{"a/b":1,"a/b":2}`, "/a~1b", "appears more than once"},
		{"lone high surrogate", `{"primaryKey":{"key":"\ud800"}}`, "/primaryKey/key", "lone UTF-16 surrogate"},
		{"lone low surrogate", `{"x":"a\udc00b"}`, "/x", "lone UTF-16 surrogate"},
		{"high surrogate then a letter", `{"x":"\ud800\u0041"}`, "/x", "lone UTF-16 surrogate"},
		{"lone surrogate in an array", `{"x":["ok","\udbff"]}`, "/x/1", "lone UTF-16 surrogate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, vs, err := Decode([]byte(tt.body))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if len(vs) != 1 || vs[0].Check != "body.json" || vs[0].Path != tt.path || vs[0].Level != MUST || !strings.Contains(vs[0].Message, tt.message) {
				t.Fatalf("violations %+v; want one body.json at %q saying %q", vs, tt.path, tt.message)
			}
		})
	}
}

func TestDecodeKeepsTheFirstOfDuplicates(t *testing.T) {
	r, err := MustDefault().ValidateBody("ListKeysResult", []byte(strings.Replace(string(examples.Documented),
		`"createdAt": "2023-11-13T23:06:09.147165Z"`, `"createdAt": "garbage", "createdAt": "2023-11-13T23:06:09.147165Z"`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if !r.HasCheck("schema.format", "/primaryKey/createdAt") || !r.HasCheck("body.json", "/primaryKey/createdAt") {
		t.Fatalf("want schema.format and body.json at /primaryKey/createdAt, got %+v", r.Violations)
	}
}

// TestDecodeUnusable names what the input is when it is no JSON text at all.
func TestDecodeUnusable(t *testing.T) {
	utf16 := func(s string) string {
		var b strings.Builder
		for _, c := range s {
			b.WriteByte(byte(c))
			b.WriteByte(0)
		}
		return b.String()
	}
	tests := []struct{ name, body, message string }{
		{"empty", "", "the body is empty"},
		{"white space", " \n", "the body is empty"},
		{"UTF-8 byte order mark", "\xef\xbb\xbf{}", "UTF-8 byte order mark"},
		{"UTF-16LE with a mark", "\xff\xfe" + utf16("{}"), "UTF-16"},
		{"UTF-16LE without a mark", utf16(`{"a":1}`), "UTF-16"},
		{"UTF-16BE", "\x00{\x00}", "UTF-16"},
		{"gzip", "\x1f\x8b\x08\x00\x00\x00", "gzip-compressed"},
		{"not UTF-8", "{\"a\":\"\xff\"}", "not valid UTF-8 (at byte 6)"},
		{"syntax", `{"a":}`, "invalid character '}' looking for beginning of value at byte 6"},
		{"truncated", `{"a":`, "ends early"},
		{"control character", "{\"a\":\"\x01\"}", "invalid character"},
		{"bad escape", `{"a":"\q"}`, "invalid character 'q' in string escape code"},
		{"too deep", strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), "nests deeper than 512 levels"},
		{"too many values", "[" + strings.Repeat("0,", MaxValues) + "0]", "more than 20000 JSON values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := Decode([]byte(tt.body))
			if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("Decode = %v; want ErrInput saying %q", err, tt.message)
			}
		})
	}
}

// TestDecodeAgreesWithEncodingJSON: on strict JSON the value is the one encoding/json makes.
func TestDecodeAgreesWithEncodingJSON(t *testing.T) {
	for _, body := range [][]byte{examples.Documented, examples.Realistic, examples.Error,
		[]byte(`[1,-0.5e+3,true,false,null,"\u00e9\ud83d\ude00\n\t\"\\\/",{},[]]`)} {
		checkAgreement(t, body)
	}
}

// checkAgreement compares Decode with encoding/json on one input: Decode refuses only what encoding/json
// refuses or what this decoder refuses on purpose (named encodings, invalid UTF-8, limits), finds trailing
// data exactly when encoding/json finds the text invalid, and reads a strict body to the same value.
func checkAgreement(t *testing.T, body []byte) {
	t.Helper()
	got, vs, err := Decode(body)
	valid := json.Valid(body)
	if err != nil {
		onPurpose := false
		for _, s := range []string{"values", "deeper", "byte order mark", "UTF-16", "gzip", "not valid UTF-8", "empty"} {
			onPurpose = onPurpose || strings.Contains(err.Error(), s)
		}
		if valid && !onPurpose {
			t.Fatalf("Decode(%q) refused what encoding/json reads: %v", body, err)
		}
		return
	}
	trailing := slices.ContainsFunc(vs, func(v Violation) bool { return v.Path == "" && strings.Contains(v.Message, "goes on after") })
	if trailing == valid {
		t.Fatalf("Decode(%q): trailing data %v, but encoding/json finds the text valid: %v", body, trailing, valid)
	}
	if len(vs) == 0 {
		var want any
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("Decode(%q) = %#v; encoding/json reads %#v (%v)", body, got, want, err)
		}
	}
}

// FuzzDecode: the strict decoder never panics, never accepts what encoding/json refuses, reads strict JSON
// to the same value, and validation of what it reads neither panics nor exceeds its bounds.
func FuzzDecode(f *testing.F) {
	for _, seed := range [][]byte{examples.Documented, examples.Error, []byte(`{"a":1,"a":2}`), []byte(`"\ud800"`), []byte(`{} x`), []byte("\xef\xbb\xbf{}")} {
		f.Add(seed)
	}
	c := MustDefault()
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAgreement(t, body)
		r, err := c.Validate("", Exchange{Body: body})
		if err != nil && !errors.Is(err, ErrInput) {
			t.Fatalf("Validate: %v", err)
		}
		per := map[string]int{}
		for _, v := range r.Violations {
			if per[v.Check]++; per[v.Check] > MaxPerCheck+1 || len(v.Message) > MaxMessage+len("…") {
				t.Fatalf("violations beyond the bounds: %d of %s, message of %d bytes", per[v.Check], v.Check, len(v.Message))
			}
		}
	})
}

func TestBoundCapsEachCheck(t *testing.T) {
	var vs []Violation
	for range 250 {
		vs = append(vs, NewViolation("schema.required", "/x", strings.Repeat("m", 2000)))
	}
	vs = append(vs, NewViolation("schema.type", "/y", "one"))
	got := Bound(vs)
	if len(got) != 102 || got[101].Message != "… and 150 more violations of schema.required in this body (not listed)" || len(got[0].Message) > MaxMessage+4 {
		t.Fatalf("Bound: %d violations, last %+v", len(got), got[len(got)-1])
	}
}

// hostileErrorResponse is an ErrorResponse of about size bytes whose details are all empty objects: each
// misses its code and message.
func hostileErrorResponse(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"error":{"code":"X","message":"m","details":[{}`)
	for b.Len() < size-4 {
		b.WriteString(`,{}`)
	}
	b.WriteString(`]}}`)
	return b.Bytes()
}

func TestHostileBodyIsRefusedBounded(t *testing.T) {
	_, err := MustDefault().Validate("", Exchange{Status: 400, Body: hostileErrorResponse(10 << 20)})
	if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "more than 20000 JSON values") {
		t.Fatalf("Validate = %v", err)
	}
	r, err := MustDefault().Validate("", Exchange{Status: 400, Body: hostileErrorResponse(3 * (MaxValues - 10))})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(r.Violations); n > 4*(MaxPerCheck+1) {
		t.Fatalf("%d violations; the bound is %d per check", n, MaxPerCheck)
	}
}

// BenchmarkValidateHostile is the peak-work case of an accepted body: an ErrorResponse just under MaxValues
// whose every detail breaks two rules, and the 10 MB body past the bound. Run with -benchmem.
func BenchmarkValidateHostile(b *testing.B) {
	c := MustDefault()
	for _, tt := range []struct {
		name string
		body []byte
	}{{"largest-accepted", hostileErrorResponse(3 * (MaxValues - 10))}, {"10MB", hostileErrorResponse(10 << 20)}} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				c.Validate("", Exchange{Status: 400, Body: tt.body})
			}
		})
	}
}

// TestAllPlain holds the word-at-a-time test to the table of plain bytes: each byte value at each place,
// among plain ASCII, high bytes (UTF-8 continuation) and control characters.
func TestAllPlain(t *testing.T) {
	for _, filler := range []byte{'a', ' ', 0x7f, 0x80, 0xc3, 0xff} {
		for at := range 8 {
			for c := range 256 {
				w := bytes.Repeat([]byte{filler}, 8)
				w[at] = byte(c)
				want := plain[filler] && plain[c]
				if got := allPlain(binary.LittleEndian.Uint64(w)); got != want {
					t.Fatalf("allPlain(% x) = %v; the table says %v", w, got, want)
				}
			}
		}
	}
}

// FuzzAllPlain holds allPlain to the table of plain bytes on any eight bytes.
func FuzzAllPlain(f *testing.F) {
	f.Add(uint64(0x6161616161616161))
	f.Add(uint64(0x2261616161616161))
	f.Add(uint64(0x1f80808080808080))
	f.Fuzz(func(t *testing.T, w uint64) {
		want := true
		for i := range 8 {
			want = want && plain[byte(w>>(8*i))]
		}
		if got := allPlain(w); got != want {
			t.Fatalf("allPlain(%#x) = %v; the table says %v", w, got, want)
		}
	})
}
