package traffic

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
)

// testProxyEntry is one entry of an Azure SDK test-proxy recording. Header values are strings (arrays in
// some older recordings); bodies are JSON when the content was JSON, else a string, or null.
type testProxyEntry struct {
	RequestURI      *string                    `json:"RequestUri"`
	RequestMethod   *string                    `json:"RequestMethod"`
	RequestHeaders  map[string]json.RawMessage `json:"RequestHeaders"`
	RequestBody     json.RawMessage            `json:"RequestBody"`
	StatusCode      *int                       `json:"StatusCode"`
	ResponseHeaders map[string]json.RawMessage `json:"ResponseHeaders"`
	ResponseBody    json.RawMessage            `json:"ResponseBody"`
}

func readTestProxy(top map[string]json.RawMessage) (source, error) {
	entries, err := list(member(top, "Entries"), "Entries")
	if err != nil {
		return source{}, fmt.Errorf("test-proxy JSON: %w", err)
	}
	return entries.source(TestProxy, "test-proxy JSON", testProxyInteraction), nil
}

func testProxyInteraction(raw json.RawMessage) (Interaction, error) {
	var e testProxyEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return Interaction{}, jsonShapeError(err)
	}
	switch {
	case e.RequestMethod == nil:
		return Interaction{}, errors.New("it has no RequestMethod")
	case e.RequestURI == nil:
		return Interaction{}, errors.New("it has no RequestUri")
	case e.StatusCode == nil:
		return Interaction{}, errors.New("it has no StatusCode")
	}
	reqHeader, err := headerValues(e.RequestHeaders, "RequestHeaders")
	if err != nil {
		return Interaction{}, err
	}
	header, err := headerValues(e.ResponseHeaders, "ResponseHeaders")
	if err != nil {
		return Interaction{}, err
	}
	if reqHeader == nil {
		reqHeader = http.Header{}
	}
	return newInteraction(*e.RequestMethod, *e.RequestURI, reqHeader, jsonBody(e.RequestBody), *e.StatusCode, header, jsonBody(e.ResponseBody)), nil
}

// headerValues reads {name: value} or {name: [values]}; a missing map is nil (headers not recorded).
func headerValues(m map[string]json.RawMessage, where string) (http.Header, error) {
	if m == nil {
		return nil, nil
	}
	h := http.Header{}
	for name, raw := range m {
		var one string
		if err := json.Unmarshal(raw, &one); err == nil {
			h.Add(name, one)
			continue
		}
		var many []string
		if err := json.Unmarshal(raw, &many); err != nil {
			return nil, fmt.Errorf("%s: %q is neither a string nor a list of strings", where, clip(name))
		}
		for _, v := range many {
			h.Add(name, v)
		}
	}
	return h, nil
}

// jsonBody turns a recorded body into bytes: a string is the body's text; an object, array or other JSON
// value is the body itself (the recorder parsed it); null or absent is no body.
func jsonBody(raw json.RawMessage) []byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var s string
	if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return []byte(s)
	}
	return raw
}

type harFile struct {
	Log *struct {
		Version string            `json:"version"`
		Entries []json.RawMessage `json:"entries"`
	} `json:"log"`
}

type harHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harEntry struct {
	Request *struct {
		Method   *string     `json:"method"`
		URL      *string     `json:"url"`
		Headers  []harHeader `json:"headers"`
		PostData *struct {
			Text     string `json:"text"`
			Encoding string `json:"encoding"` // not in HAR 1.2, but some exporters write it
		} `json:"postData"`
	} `json:"request"`
	Response *struct {
		Status  *int        `json:"status"`
		Headers []harHeader `json:"headers"`
		Content struct {
			Size     int64   `json:"size"`
			Text     *string `json:"text"`
			Encoding string  `json:"encoding"`
		} `json:"content"`
	} `json:"response"`
}

func readHAR(top map[string]json.RawMessage) (source, error) {
	var f harFile
	if err := json.Unmarshal(mustMarshal(top), &f); err != nil {
		return source{}, fmt.Errorf("HAR: %w", jsonShapeError(err))
	}
	if f.Log == nil || f.Log.Entries == nil {
		return source{}, unknown("it has a \"log\" but no \"log.entries\" list (HAR)")
	}
	return rawEntries(f.Log.Entries).source(HAR, "HAR", harInteraction), nil
}

// rawEntries are a JSON recording's entries, each decoded only when it is read, and dropped then.
type rawEntries []json.RawMessage

func (entries rawEntries) source(format Format, what string, decode func(json.RawMessage) (Interaction, error)) source {
	return source{format: format, n: len(entries), at: func(i int) (Interaction, error) {
		raw := entries[i]
		entries[i] = nil
		in, err := decode(raw)
		if err != nil {
			return Interaction{}, fmt.Errorf("%s: entry %d: %w", what, i+1, err)
		}
		return in, nil
	}}
}

func harInteraction(raw json.RawMessage) (Interaction, error) {
	var e harEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return Interaction{}, jsonShapeError(err)
	}
	switch {
	case e.Request == nil || e.Request.Method == nil || e.Request.URL == nil:
		return Interaction{}, errors.New("it has no request with method and url")
	case e.Response == nil || e.Response.Status == nil:
		return Interaction{}, errors.New("it has no response with status")
	}
	var decodeNotes []string
	var reqBody []byte
	if pd := e.Request.PostData; pd != nil {
		reqBody = harText(pd.Text, pd.Encoding, "request postData", &decodeNotes)
	}
	var body []byte
	c := e.Response.Content
	switch {
	case c.Text != nil:
		body = harText(*c.Text, c.Encoding, "response content", &decodeNotes)
	case c.Size > 0:
		decodeNotes = append(decodeNotes, fmt.Sprintf("the HAR kept no response content (content.text is absent; the body had %d bytes)", c.Size))
	}
	in := newInteraction(*e.Request.Method, *e.Request.URL, harHeaders(e.Request.Headers), reqBody, *e.Response.Status, harHeaders(e.Response.Headers), body)
	in.Notes = append(decodeNotes, in.Notes...)
	return in, nil
}

// harHeaders keeps real header fields; HTTP/2 pseudo-headers (":authority") that browsers list are not
// headers a server sent or a client set.
func harHeaders(list []harHeader) http.Header {
	h := http.Header{}
	for _, f := range list {
		if f.Name != "" && !strings.HasPrefix(f.Name, ":") {
			h.Add(f.Name, f.Value)
		}
	}
	return h
}

func harText(text, encoding, where string, notes *[]string) []byte {
	if !strings.EqualFold(encoding, "base64") {
		return []byte(text)
	}
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		*notes = append(*notes, fmt.Sprintf("the %s is marked base64 but does not decode (%v): checked as recorded", where, err))
		return []byte(text)
	}
	return b
}

// member finds a top-level member by name, case-insensitively as encoding/json matches fields.
func member(top map[string]json.RawMessage, name string) json.RawMessage {
	if v, ok := top[name]; ok {
		return v
	}
	for k, v := range top {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

func list(raw json.RawMessage, name string) (rawEntries, error) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || items == nil {
		return nil, fmt.Errorf("%q is not a list", name)
	}
	return items, nil
}

// jsonShapeError says which member has the wrong type, without encoding/json's Go type names.
func jsonShapeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return fmt.Errorf("%s is a JSON %s; a %s is expected there", typeErr.Field, typeErr.Value, jsonKind(typeErr.Type))
	}
	return err
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Int, reflect.Int64:
		return "number"
	case reflect.Slice:
		return "list"
	}
	return "object"
}
