package contract

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

func (r *run) header(name string) string { return r.exchange.Header.Get(name) }

func headerPath(name string) string { return "/headers/" + strings.ToLower(name) }

// status is the status the status-dependent checks judge the answer as: the one the scenario calls for when
// one is known, so that a wrong status does not hide them (a refusal answered 403 instead of 401 is still
// judged for its WWW-Authenticate challenge), else the one received.
func (r *run) status() int {
	if r.exchange.Expect != nil && r.exchange.Expect.Status != 0 {
		return r.exchange.Expect.Status
	}
	return r.exchange.Status
}

func checkStatus(r *run) {
	if e := r.exchange.Expect; e != nil && (e.Status != 0 || e.Refused) {
		r.unchecked(ResponseStatus, "/status", "the scenario calls for a status: scenario.status judges it")
		return
	}
	s := r.exchange.Status
	if s == 0 {
		r.unchecked(ResponseStatus, "/status", "status not given")
		return
	}
	if s != http.StatusOK && (s < 400 || s > 599) {
		r.add(ResponseStatus, "/status", "status %d is neither 200 nor an error status (4xx/5xx)", s)
	}
}

func checkScenarioStatus(r *run) {
	e := r.exchange.Expect
	switch {
	case e != nil && e.Status == 0 && e.Refused:
		if s := r.exchange.Status; s < 400 || s > 499 {
			r.add(ScenarioStatus, "/status", "the status is %d; the request must be refused as the client's mistake (4xx)", s)
		}
	case e == nil || e.Status == 0:
		r.unchecked(ScenarioStatus, "/status", "no scenario: nothing to compare the status with")
	case r.exchange.Status != e.Status:
		r.add(ScenarioStatus, "/status", "the status is %d; the scenario calls for %d", r.exchange.Status, e.Status)
	}
}

func checkScenarioCode(r *run) {
	e := r.exchange.Expect
	if e == nil || e.Code == "" {
		r.unchecked(ScenarioCode, "/error/code", "no scenario error.code to compare with")
		return
	}
	if got := errorCodeOf(r.doc); got != e.Code {
		r.add(ScenarioCode, "/error/code", "error.code is %q; the scenario calls for %q", got, e.Code)
	}
}

// keyMarkers are what no answer but a ListKeysResult may hold: its key members and connection strings.
var keyMarkers = []string{`"primaryKey"`, `"secondaryKey"`, "ConnectionString", "ApiKey="}

// checkCarriesNoKey judges the bytes, so that a refusal whose body is not JSON is caught too.
func checkCarriesNoKey(r *run) {
	for _, m := range keyMarkers {
		if bytes.Contains(r.exchange.Body, []byte(m)) {
			r.add(ErrorNoKey, "", "an answer that refuses the request carries %s: it must hold no key", m)
			return
		}
	}
}

func checkContentType(r *run) {
	ct := r.header("Content-Type")
	media, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || media != "application/json" {
		r.add(ContentType, headerPath("Content-Type"), "Content-Type is %q; want application/json", ct)
	}
}

// notRecorded says whether a missing header is one the recorder removes, noting it as not checked.
func (r *run) notRecorded(id ID, name string) bool {
	for _, n := range r.exchange.NotRecorded {
		if strings.EqualFold(n, name) {
			r.notChecked(id, headerPath(name), "%s is not recorded (the recorder removes it): %s not checked for it", name, id)
			return true
		}
	}
	return false
}

func checkRequestIDs(r *run) {
	for _, name := range []string{"x-ms-request-id", "x-ms-correlation-request-id"} {
		if r.header(name) == "" && !r.notRecorded(RequestIDs, name) {
			r.add(RequestIDs, headerPath(name), "the response has no %s header", name)
		}
	}
}

func checkNoCache(r *run) {
	if r.status() != http.StatusOK {
		return
	}
	cc := strings.ToLower(r.header("Cache-Control"))
	if !strings.Contains(cc, "no-cache") && !strings.Contains(cc, "no-store") {
		r.add(NoCache, headerPath("Cache-Control"), "a response with keys is not marked Cache-Control no-cache (found %q)", r.header("Cache-Control"))
	}
}

func checkWWWAuthenticate(r *run) {
	if r.status() != http.StatusUnauthorized {
		return
	}
	challenge := r.header("WWW-Authenticate")
	if scheme, _, _ := strings.Cut(strings.TrimSpace(challenge), " "); !strings.EqualFold(scheme, "Bearer") {
		r.add(WWWAuthenticate, headerPath("WWW-Authenticate"), "a 401 must carry a Bearer challenge in WWW-Authenticate (found %q)", challenge)
	}
}

func checkRetryAfter(r *run) {
	if r.status() != http.StatusTooManyRequests {
		return
	}
	v := r.header("Retry-After")
	if v == "" && r.notRecorded(RetryAfter, "Retry-After") {
		return
	}
	if _, err := strconv.ParseUint(v, 10, 32); err == nil {
		return
	}
	if _, err := http.ParseTime(v); err == nil {
		return
	}
	r.add(RetryAfter, headerPath("Retry-After"), "a 429 should say when to retry: Retry-After is %q", v)
}
