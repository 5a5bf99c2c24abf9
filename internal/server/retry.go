package server

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// waitKey names what a Retry-After binds: one client (host and User-Agent) sending one request (method
// and path, case-insensitively as ARM routes it) again.
type waitKey struct {
	client, target string
}

// pendingWait is an answer with Retry-After that the client has not yet followed with a retry.
type pendingWait struct {
	seq        int
	status     int
	retryAfter string
	sent       time.Time
	due        time.Time
}

// newWait reads the Retry-After of an error answer sent at sent; ok is false when there is none usable.
// Retry-After is either a number of seconds or an HTTP date (RFC 9110 §10.2.3).
func newWait(seq int, resp *response, sent time.Time) (pendingWait, bool) {
	value := strings.TrimSpace(resp.header.Get("Retry-After"))
	if resp.status < 400 || value == "" {
		return pendingWait{}, false
	}
	p := pendingWait{seq: seq, status: resp.status, retryAfter: value, sent: sent}
	if seconds, err := strconv.ParseUint(value, 10, 32); err == nil {
		p.due = sent.Add(time.Duration(seconds) * time.Second)
	} else if date, err := http.ParseTime(value); err == nil {
		p.due = date
	} else {
		return pendingWait{}, false
	}
	return p, true
}

// RetryWait is what the report says about a request that repeats one answered with Retry-After.
type RetryWait struct {
	After           int       `json:"after"`      // the entry whose answer carried Retry-After
	RetryAfter      string    `json:"retryAfter"` // its value, as sent
	AnsweredAt      time.Time `json:"answeredAt"` // when that answer was sent
	RequiredSeconds float64   `json:"requiredSeconds"`
	WaitedSeconds   float64   `json:"waitedSeconds"` // from that answer to this request's arrival
	WaitedEnough    bool      `json:"waitedEnough"`
}

func (p pendingWait) judge(arrived time.Time) *RetryWait {
	return &RetryWait{
		After:           p.seq,
		RetryAfter:      p.retryAfter,
		AnsweredAt:      p.sent,
		RequiredSeconds: max(0, p.due.Sub(p.sent).Seconds()),
		WaitedSeconds:   arrived.Sub(p.sent).Seconds(),
		WaitedEnough:    !arrived.Before(p.due),
	}
}
