package recording

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"
)

// match is the cassette matcher. A request matches a recorded one when they agree on
//   - the method;
//   - the path, compared case-insensitively, since ARM names are;
//   - the api-version value(s), and the other query parameters with their values, in any order.
//
// Scheme and host are not compared: a cassette recorded against one endpoint (ARM, the emulator on some
// loopback port) replays whatever endpoint the run is configured with. Headers are not compared either: the
// Authorization of a replay is a stand-in, and the rest (request and correlation ids, User-Agent) change from
// run to run. Repeated identical requests still replay in file order: go-vcr answers with each interaction
// once.
func match(r *http.Request, recorded cassette.Request) bool {
	return len(differences(r, recorded)) == 0
}

// differences says how a request differs from a recorded one, one phrase per difference.
func differences(r *http.Request, recorded cassette.Request) []string {
	u, err := url.Parse(recorded.URL)
	if err != nil {
		return []string{fmt.Sprintf("the recorded URL does not parse: %v", err)}
	}
	var diffs []string
	if r.Method != recorded.Method {
		diffs = append(diffs, fmt.Sprintf("method: got %s, recorded %s", r.Method, recorded.Method))
	}
	if d := pathDifference(r.URL.EscapedPath(), u.EscapedPath()); d != "" {
		diffs = append(diffs, d)
	}
	got, want := r.URL.Query(), u.Query()
	if !slices.Equal(got["api-version"], want["api-version"]) {
		diffs = append(diffs, fmt.Sprintf("api-version: got %s, recorded %s", showValues(got["api-version"]), showValues(want["api-version"])))
	}
	got.Del("api-version")
	want.Del("api-version")
	if got.Encode() != want.Encode() {
		diffs = append(diffs, fmt.Sprintf("other query parameters: got %q, recorded %q", got.Encode(), want.Encode()))
	}
	return diffs
}

// pathDifference names the differing segments when both paths have as many, each by the segment before it
// (ARM paths alternate a collection and a name: "after resourceGroups" is the resource group).
func pathDifference(got, want string) string {
	if strings.EqualFold(got, want) {
		return ""
	}
	gs, ws := strings.Split(got, "/"), strings.Split(want, "/")
	if len(gs) != len(ws) {
		return fmt.Sprintf("path: got %s, recorded %s", got, want)
	}
	var parts []string
	for k := range gs {
		if strings.EqualFold(gs[k], ws[k]) {
			continue
		}
		where := "first segment"
		if k > 0 && ws[k-1] != "" {
			where = "after " + ws[k-1]
		}
		part := fmt.Sprintf("%s: got %q, recorded %q", where, gs[k], ws[k])
		if ws[k] == ZeroGUID && k > 0 && strings.EqualFold(ws[k-1], "subscriptions") {
			part += " (a cassette holds the zero GUID in place of a real subscription: replay with it)"
		}
		parts = append(parts, part)
	}
	return "path " + strings.Join(parts, ", ")
}

func showValues(vs []string) string {
	switch len(vs) {
	case 0:
		return "none"
	case 1:
		return fmt.Sprintf("%q", vs[0])
	}
	return fmt.Sprintf("%q", vs)
}

// describe is "METHOD /path?query": the parts the matcher looks at.
func describe(method, rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		rawURL = u.RequestURI()
	}
	return method + " " + rawURL
}

func describeRecorded(i *cassette.Interaction) string {
	return fmt.Sprintf("%s (#%d)", describe(i.Request.Method, i.Request.URL), i.ID)
}

// missError explains a request the cassette cannot answer: the closest recorded interaction (fewest
// differences; among equals an unused one, then the first in the file) and how it differs.
func (r *Recorder) missError(req *http.Request) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var closest *cassette.Interaction
	var closestDiffs []string
	for _, i := range r.recorded {
		d := differences(req, i.Request)
		better := closest == nil || len(d) < len(closestDiffs) ||
			len(d) == len(closestDiffs) && r.replayed[closest.ID] && !r.replayed[i.ID]
		if better {
			closest, closestDiffs = i, d
		}
	}
	asked := describe(req.Method, req.URL.String())
	switch {
	case closest == nil:
		return fmt.Errorf("cassette %s: %w: %s; the cassette has no interactions (re-record it with LISTKEYS_MODE=record)",
			r.file, ErrNotRecorded, asked)
	case len(closestDiffs) == 0:
		return fmt.Errorf("cassette %s: %w: %s; it matches %s, which has already answered: each recorded interaction answers once, in file order, so the cassette holds fewer such calls than were made (re-record it with LISTKEYS_MODE=record)",
			r.file, ErrNotRecorded, asked, describeRecorded(closest))
	}
	return fmt.Errorf("cassette %s: %w: %s; closest recorded: %s, which differs in %s (re-record with LISTKEYS_MODE=record if the request changed on purpose)",
		r.file, ErrNotRecorded, asked, describeRecorded(closest), strings.Join(closestDiffs, "; "))
}
