package recording

import (
	"net/http"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"
)

func TestDifferences(t *testing.T) {
	recorded := cassette.Request{Method: http.MethodPost,
		URL: "https://management.azure.com/subscriptions/s/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws/listKeys?api-version=2025-12-15-preview&b=2&a=1"}
	path := "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws/listKeys"
	tests := []struct {
		name, method, url string
		want              []string // phrases, in order; none means a match
	}{
		{"the same", "POST", "https://management.azure.com" + path + "?api-version=2025-12-15-preview&b=2&a=1", nil},
		{"another host and parameter order", "POST", "https://127.0.0.1:8443" + path + "?a=1&b=2&api-version=2025-12-15-preview", nil},
		{"path in another case", "POST", "https://h" + strings.ToUpper(path) + "?api-version=2025-12-15-preview&a=1&b=2", nil},
		{"another method", "GET", "https://h" + path + "?api-version=2025-12-15-preview&a=1&b=2",
			[]string{"method: got GET, recorded POST"}},
		{"another group", "POST", "https://h" + strings.Replace(path, "/rg/", "/other/", 1) + "?api-version=2025-12-15-preview&a=1&b=2",
			[]string{`path after resourceGroups: got "other", recorded "rg"`}},
		{"a shorter path", "POST", "https://h/subscriptions/s?api-version=2025-12-15-preview&a=1&b=2",
			[]string{"path: got /subscriptions/s, recorded " + path}},
		{"api-version twice", "POST", "https://h" + path + "?api-version=2025-12-15-preview&api-version=x&a=1&b=2",
			[]string{`api-version: got ["2025-12-15-preview" "x"], recorded "2025-12-15-preview"`}},
		{"api-version in another case", "POST", "https://h" + path + "?API-VERSION=2025-12-15-preview&a=1&b=2",
			[]string{`api-version: got none`, `other query parameters: got "API-VERSION=2025-12-15-preview&a=1&b=2", recorded "a=1&b=2"`}},
		{"a parameter value differs", "POST", "https://h" + path + "?api-version=2025-12-15-preview&a=1&b=3",
			[]string{`other query parameters: got "a=1&b=3", recorded "a=1&b=2"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := differences(req, recorded)
			if len(got) != len(tt.want) {
				t.Fatalf("differences = %q; want %d like %q", got, len(tt.want), tt.want)
			}
			for k := range got {
				if !strings.Contains(got[k], tt.want[k]) {
					t.Errorf("difference %d = %q; want it to say %q", k, got[k], tt.want[k])
				}
			}
			if match(req, recorded) != (len(tt.want) == 0) {
				t.Errorf("match = %v with differences %q", !(len(tt.want) == 0), got)
			}
		})
	}
}
