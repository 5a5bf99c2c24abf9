package recording

import (
	"net/http"
	"net/url"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// SanitizeExchange returns a copy of an exchange redacted by the same rules as a cassette, for a report's
// evidence: in record and live mode the caller holds the real answer, keys included. The exchange itself is
// left as it was.
func SanitizeExchange(c *contract.Contract, ex contract.Exchange) (contract.Exchange, error) {
	i := &cassette.Interaction{
		Response: cassette.Response{Code: ex.Status, Headers: ex.Header.Clone(), Body: string(ex.Body)},
	}
	if ex.Request != nil {
		i.Request = cassette.Request{Method: ex.Request.Method, Headers: ex.Request.Header.Clone(), Body: string(ex.Request.Body)}
		if ex.Request.URL != nil {
			i.Request.URL = ex.Request.URL.String()
		}
	}
	if i.Request.Headers == nil {
		i.Request.Headers = http.Header{}
	}
	if i.Response.Headers == nil {
		i.Response.Headers = http.Header{}
	}
	if _, err := newSanitizer(c).sanitize(i); err != nil {
		return contract.Exchange{}, err
	}
	out := contract.Exchange{Status: i.Response.Code, Header: i.Response.Headers, Body: []byte(i.Response.Body)}
	if ex.Request != nil {
		req := &contract.Request{Method: i.Request.Method, Header: i.Request.Headers, Body: []byte(i.Request.Body)}
		if u, err := url.Parse(i.Request.URL); err == nil && i.Request.URL != "" {
			req.URL = u
		}
		out.Request = req
	}
	return out, nil
}
