package traffic

import (
	"net/http"
	"slices"
	"testing"
)

func TestDrift(t *testing.T) {
	rec := func(status int, body string, headers ...string) Recording {
		h := http.Header{"Date": {"Mon, 01 Jan 2026 00:00:00 GMT"}}
		for _, name := range headers {
			h.Set(name, "x")
		}
		return Recording{Interactions: []Interaction{{Status: status, Header: h, Body: []byte(body)}}}
	}
	committed := rec(404, `{"error":{"code":"ResourceNotFound","message":"m","details":[{"code":"a"}]}}`, "X-Ms-Request-Id", "X-Ms-Failure-Cause")

	if got := Drift(committed, rec(404, `{"error":{"code":"ResourceNotFound","message":"other","details":[{"code":"b"},{"code":"c"}]}}`, "X-Ms-Request-Id", "X-Ms-Failure-Cause")); len(got) != 0 {
		t.Errorf("same shape, other values and another number of details must not drift: %v", got)
	}
	got := Drift(committed, rec(400, `{"error":{"code":"BadRequest","message":"m","target":"t"}}`, "X-Ms-Request-Id", "Retry-After"))
	want := []string{
		`#1 status 400, committed 404`,
		`#1 error.code "BadRequest", committed "ResourceNotFound"`,
		`#1 body member /error/target is new`,
		`#1 body member /error/details is gone`,
		`#1 body member /error/details/*/code is gone`,
		`#1 header retry-after is new`,
		`#1 header x-ms-failure-cause is gone`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("Drift =\n%q\nwant\n%q", got, want)
	}
	two := committed
	two.Interactions = append(slices.Clone(committed.Interactions), committed.Interactions[0])
	if got := Drift(committed, two); len(got) == 0 || got[0] != "2 interactions now, 1 committed" {
		t.Errorf("an extra interaction must drift: %v", got)
	}
}
