package traffic

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// Format names a recording format. The values appear in reports.
type Format string

const (
	GoVCR     Format = "go-vcr"        // go-vcr cassette YAML (version 1 or 2)
	VCRPy     Format = "vcrpy"         // vcrpy cassette YAML or JSON (version 1), as Azure CLI and the Python SDK tests write
	TestProxy Format = "test-proxy"    // Azure SDK test-proxy recording JSON
	HAR       Format = "har"           // HTTP Archive 1.2
	Example   Format = "x-ms-examples" // an official example file of the API specification
)

// formats lists every format Read understands, in the order errors name them.
var formats = []Format{GoVCR, VCRPy, TestProxy, HAR, Example}

// Recording is one recording file, read.
type Recording struct {
	Name         string
	Format       Format
	Interactions []Interaction
}

// Interaction is one request and its response as the recorder kept them.
type Interaction struct {
	// Index is the interaction's 1-based position in the file.
	Index int
	// Request has a nil URL when the recorded URL does not parse; RawURL keeps it as recorded.
	Request contract.Request
	RawURL  string
	Status  int
	// Header is nil when the recording kept no response headers at all.
	Header http.Header
	Body   []byte
	// Notes say what reading changed (a body decompressed or base64-decoded) or could not do.
	Notes []string
}

// ErrFormat marks a file that is not a recording in any format Read knows.
var ErrFormat = errors.New("not a recording in a known format")

// maxDecoded bounds what one body may grow to when it is decompressed, and maxDecodedPerFile what all the
// bodies of one file may grow to together: a small hostile file (gzip bombs) must not become gigabytes in
// memory. (YAML aliases are bounded by yamlReader's budget.)
const (
	maxDecoded        = 10 << 20
	maxDecodedPerFile = 32 << 20
)

// Read parses a recording, detecting its format from its content (not its name, which is only used in
// errors). An error names the file and, when no format fits, the formats tried and why the content fits none.
func Read(name string, data []byte) (Recording, error) {
	s, err := Open(name, data)
	if err != nil {
		return Recording{}, err
	}
	rec := Recording{Name: name, Format: s.Format}
	err = s.Each(func(in Interaction) error {
		rec.Interactions = append(rec.Interactions, in)
		return nil
	})
	if err != nil {
		return Recording{}, err
	}
	return rec, nil
}

// Stream is a recording file opened to be read one interaction at a time.
type Stream struct {
	Name   string
	Format Format
	// Len is the number of interactions in the file.
	Len int
	src source
}

// Open detects a recording's format as Read does, without reading its interactions yet.
func Open(name string, data []byte) (*Stream, error) {
	src, err := read(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &Stream{Name: name, Format: src.format, Len: src.n, src: src}, nil
}

// Each reads the interactions in order, once: each is passed to each with its response body decompressed
// just then, and the stream keeps nothing of it afterwards, so that only what each keeps stays in memory.
// An error of each stops the reading and is returned as it is; an error of the file names the file.
func (s *Stream) Each(each func(Interaction) error) error {
	budget := maxDecodedPerFile
	for i := range s.src.n {
		in, err := s.src.at(i)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Name, err)
		}
		in.Index = i + 1
		in.Body = in.decompress(in.Header, in.Body, &budget)
		if err := each(in); err != nil {
			return err
		}
	}
	return nil
}

// source is a file's interactions, parsed each when at asks for it (in order, once each).
type source struct {
	format Format
	n      int
	at     func(i int) (Interaction, error)
}

// eager is the source of interactions already read.
func eager(rec Recording) source {
	return source{format: rec.Format, n: len(rec.Interactions), at: func(i int) (Interaction, error) { return rec.Interactions[i], nil }}
}

func read(data []byte) (source, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return source{}, fmt.Errorf("%w: the file is empty", ErrFormat)
	}
	if !utf8.Valid(data) {
		return source{}, unknown("it is not UTF-8 text (invalid byte at %d)", contract.InvalidUTF8At(data))
	}
	if trimmed[0] == '{' || trimmed[0] == '[' {
		var top map[string]json.RawMessage
		err := json.Unmarshal(trimmed, &top)
		if err == nil {
			return readJSON(top)
		}
		var syntax *json.SyntaxError
		if !errors.As(err, &syntax) {
			return source{}, unknown("it is JSON, but its top level is an array, not an object")
		}
		// Not JSON, but possibly YAML in flow style; if YAML fails too, the JSON error says more.
		doc, yerr := parseYAML(data)
		if yerr != nil {
			return source{}, unknown("it starts like JSON but is not: %s at byte %d", syntax.Error(), syntax.Offset)
		}
		return readCassette(doc, len(data))
	}
	return readYAML(data)
}

func readJSON(top map[string]json.RawMessage) (source, error) {
	switch {
	case hasKey(top, "Entries"):
		return readTestProxy(top)
	case hasKey(top, "log"):
		return readHAR(top)
	case hasKey(top, "interactions"):
		// vcrpy's JSON serializer writes the cassette shape as JSON; YAML reads JSON.
		return readYAML(mustMarshal(top))
	case hasKey(top, "parameters") && hasKey(top, "responses"):
		rec, err := readExample(top)
		return eager(rec), err
	}
	return source{}, unknown("it is a JSON object with %s, but none of \"interactions\" (go-vcr, vcrpy), \"Entries\" (test-proxy), \"log\" (HAR) or \"parameters\" with \"responses\" (x-ms-examples)", describeKeys(keysOf(top)))
}

// unknown builds the error for content no format fits, listing the formats tried.
func unknown(format string, args ...any) error {
	tried := make([]string, len(formats))
	for i, f := range formats {
		tried[i] = describe(f)
	}
	return fmt.Errorf("%w (tried %s): %s", ErrFormat, strings.Join(tried, ", "), fmt.Sprintf(format, args...))
}

func describe(f Format) string {
	switch f {
	case GoVCR:
		return "go-vcr cassette YAML"
	case VCRPy:
		return "vcrpy cassette YAML"
	case TestProxy:
		return "Azure SDK test-proxy JSON"
	case HAR:
		return "HAR 1.2"
	case Example:
		return "x-ms-examples JSON"
	}
	return string(f)
}

func hasKey(m map[string]json.RawMessage, key string) bool {
	for k := range m {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	return false
}

func keysOf(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// describeKeys names a few members of an unrecognised top level, enough to see what the file is.
func describeKeys(keys []string) string {
	if len(keys) == 0 {
		return "no members"
	}
	const shown = 5
	quoted := make([]string, 0, shown)
	for i, k := range keys {
		if i == shown {
			quoted = append(quoted, fmt.Sprintf("and %d more", len(keys)-shown))
			break
		}
		quoted = append(quoted, fmt.Sprintf("%q", clip(k)))
	}
	return "members " + strings.Join(quoted, ", ")
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // re-encoding what encoding/json just decoded cannot fail
	}
	return b
}

// newInteraction fills the parts every format shares: the URL parsed (a failure is a note, the raw URL is
// kept), a gzip-compressed response body decompressed when the recorder kept it compressed.
func newInteraction(method, rawURL string, reqHeader http.Header, reqBody []byte, status int, header http.Header, body []byte) Interaction {
	in := Interaction{
		Request: contract.Request{Method: method, Header: reqHeader, Body: reqBody},
		RawURL:  rawURL,
		Status:  status,
		Header:  header,
		Body:    body,
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		in.note("the recorded URL does not parse: %v", err)
	} else {
		in.Request.URL = u
	}
	return in
}

func (in *Interaction) note(format string, args ...any) {
	in.Notes = append(in.Notes, fmt.Sprintf(format, args...))
}

// decompress undoes Content-Encoding gzip when the recorder stored the bytes as they travelled (vcrpy does
// by default), within maxDecoded and what is left of the file's budget. A body that is already plain despite
// the header is left alone.
func (in *Interaction) decompress(header http.Header, body []byte, budget *int) []byte {
	if !strings.EqualFold(strings.TrimSpace(header.Get("Content-Encoding")), "gzip") || !bytes.HasPrefix(body, []byte{0x1f, 0x8b}) {
		return body
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		in.note("the response body is marked gzip but does not decompress (%v): checked as recorded", err)
		return body
	}
	limit := min(maxDecoded, *budget)
	plain, err := io.ReadAll(io.LimitReader(zr, int64(limit)+1))
	switch {
	case err != nil:
		in.note("the response body is marked gzip but does not decompress (%v): checked as recorded", err)
		return body
	case len(plain) > limit && limit < maxDecoded:
		*budget = 0
		in.note("the gzip response body decompresses past what is left of the file's %d bytes of decompressed bodies: checked as recorded", maxDecodedPerFile)
		return body
	case len(plain) > limit:
		in.note("the gzip response body decompresses to more than %d bytes: checked as recorded", maxDecoded)
		return body
	}
	*budget -= len(plain)
	in.note("the response body was recorded gzip-compressed (%d bytes); checked decompressed (%d bytes)", len(body), len(plain))
	return plain
}
