package contract

import (
	"mime"
	"net/http"
	"strconv"
	"strings"
)

func (r *run) header(name string) string { return r.exchange.Header.Get(name) }

func headerPath(name string) string { return "/headers/" + strings.ToLower(name) }

func checkStatus(r *run) {
	s := r.exchange.Status
	if s != http.StatusOK && (s < 400 || s > 599) {
		r.add("response.status", "/status", "status %d is neither 200 nor an error status (4xx/5xx)", s)
	}
}

func checkContentType(r *run) {
	ct := r.header("Content-Type")
	media, _, err := mime.ParseMediaType(ct)
	if ct == "" || err != nil || media != "application/json" {
		r.add("headers.content-type", headerPath("Content-Type"), "Content-Type is %q; want application/json", ct)
	}
}

// notRecorded says whether a missing header is one the recorder removes, noting it as not checked.
func (r *run) notRecorded(id, name string) bool {
	for _, n := range r.exchange.NotRecorded {
		if strings.EqualFold(n, name) {
			r.note("%s is not recorded (the recorder removes it): %s not checked for it", name, id)
			return true
		}
	}
	return false
}

func checkRequestIDs(r *run) {
	for _, name := range []string{"x-ms-request-id", "x-ms-correlation-request-id"} {
		if r.header(name) == "" && !r.notRecorded("headers.request-ids", name) {
			r.add("headers.request-ids", headerPath(name), "the response has no %s header", name)
		}
	}
}

func checkNoCache(r *run) {
	if r.exchange.Status != http.StatusOK {
		return
	}
	cc := strings.ToLower(r.header("Cache-Control"))
	if !strings.Contains(cc, "no-cache") && !strings.Contains(cc, "no-store") {
		r.add("headers.no-cache", headerPath("Cache-Control"), "a response with keys is not marked Cache-Control no-cache (found %q)", r.header("Cache-Control"))
	}
}

func checkWWWAuthenticate(r *run) {
	if r.exchange.Status != http.StatusUnauthorized {
		return
	}
	challenge := r.header("WWW-Authenticate")
	if scheme, _, _ := strings.Cut(strings.TrimSpace(challenge), " "); !strings.EqualFold(scheme, "Bearer") {
		r.add("headers.www-authenticate", headerPath("WWW-Authenticate"), "a 401 must carry a Bearer challenge in WWW-Authenticate (found %q)", challenge)
	}
}

func checkRetryAfter(r *run) {
	if r.exchange.Status != http.StatusTooManyRequests {
		return
	}
	v := r.header("Retry-After")
	if v == "" && r.notRecorded("headers.retry-after", "Retry-After") {
		return
	}
	if _, err := strconv.ParseUint(v, 10, 32); err == nil {
		return
	}
	if _, err := http.ParseTime(v); err == nil {
		return
	}
	r.add("headers.retry-after", headerPath("Retry-After"), "a 429 should say when to retry: Retry-After is %q", v)
}
