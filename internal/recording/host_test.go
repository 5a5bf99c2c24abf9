package recording

import (
	"testing"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"
)

// A loopback server's port is new on every run, so the recording drops it; any other host stays.
func TestNormaliseLoopbackHost(t *testing.T) {
	tests := []struct{ host, url, wantHost, wantURL string }{
		{"127.0.0.1:39211", "https://127.0.0.1:39211/subscriptions/x?api-version=1", "127.0.0.1", "https://127.0.0.1/subscriptions/x?api-version=1"},
		{"[::1]:8443", "https://[::1]:8443/a", "[::1]", "https://[::1]/a"},
		{"localhost:80", "http://localhost:80/a", "localhost", "http://localhost/a"},
		{"management.azure.com", "https://management.azure.com/a", "management.azure.com", "https://management.azure.com/a"},
		{"10.0.0.1:443", "https://10.0.0.1:443/a", "10.0.0.1:443", "https://10.0.0.1:443/a"},
	}
	for _, tt := range tests {
		i := &cassette.Interaction{Request: cassette.Request{Host: tt.host, URL: tt.url}}
		normaliseLoopbackHost(i)
		if i.Request.Host != tt.wantHost || i.Request.URL != tt.wantURL {
			t.Errorf("%s %s: got %s %s, want %s %s", tt.host, tt.url, i.Request.Host, i.Request.URL, tt.wantHost, tt.wantURL)
		}
	}
}
