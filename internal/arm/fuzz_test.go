package arm

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzUnsafeURL: whatever the values, the built URL's path is the documented template segment for segment
// (each value one segment that unescapes to the value, even after a hop resolves dot segments), and its
// query is api-version alone with the value given.
func FuzzUnsafeURL(f *testing.F) {
	f.Add("00000000-1111-2222-3333-444444444444", "rg", "ws", "2025-12-15-preview")
	f.Add("..", ".", "a/b", "x&api-version=1")
	f.Add("%2e%2E", "?#", "\x00\n", "../../x")
	b, err := defaultBuilder()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sub, group, workspace, apiVersion string) {
		p := Params{SubscriptionID: sub, ResourceGroup: group, Workspace: workspace, APIVersion: apiVersion}
		raw, err := b.UnsafeURL("https://management.azure.com", p)
		if err != nil {
			t.Fatalf("UnsafeURL: %v", err)
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%q does not parse: %v", raw, err)
		}
		if resolved := u.ResolveReference(&url.URL{}); resolved.EscapedPath() != u.EscapedPath() {
			t.Fatalf("a hop that resolves dot segments moves %q to %q", u.EscapedPath(), resolved.EscapedPath())
		}
		segments := strings.Split(u.EscapedPath(), "/")
		if len(segments) != len(b.segments) {
			t.Fatalf("%q has %d segments; the template %d", u.EscapedPath(), len(segments), len(b.segments))
		}
		for i, seg := range b.segments {
			name, isParam := placeholder(seg)
			if !isParam {
				if segments[i] != seg {
					t.Fatalf("segment %d is %q; the template says %q", i, segments[i], seg)
				}
				continue
			}
			if got, err := url.PathUnescape(segments[i]); err != nil || got != p.Get(name) {
				t.Fatalf("segment %d unescapes to %q (%v); the value is %q", i, got, err, p.Get(name))
			}
		}
		q := u.Query()
		if len(q) != 1 || len(q["api-version"]) != 1 || q.Get("api-version") != apiVersion || u.Fragment != "" {
			t.Fatalf("query %q, fragment %q; want api-version=%q alone", u.RawQuery, u.Fragment, apiVersion)
		}
	})
}
