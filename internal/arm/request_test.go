package arm_test

import (
	"errors"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
)

const testEndpoint = "https://management.azure.com"

func validParams() arm.Params {
	return arm.Params{
		SubscriptionID: emulator.DefaultSubscriptionID,
		ResourceGroup:  emulator.DefaultResourceGroup,
		Workspace:      emulator.DefaultWorkspace,
		APIVersion:     "2025-12-15-preview",
	}
}

func TestURLFillsTheDocumentedTemplate(t *testing.T) {
	got, err := arm.URL(testEndpoint+"/", validParams())
	if err != nil {
		t.Fatal(err)
	}
	want := "https://management.azure.com/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/quantumResourcegroup/providers/Microsoft.Quantum/workspaces/quantumworkspace1/listKeys?api-version=2025-12-15-preview"
	if got != want {
		t.Errorf("URL:\n got %s\nwant %s", got, want)
	}
}

func TestURLAcceptsDocumentedValues(t *testing.T) {
	tests := []struct {
		name string
		edit func(*arm.Params)
	}{
		{"upper-case subscription", func(p *arm.Params) { p.SubscriptionID = strings.ToUpper("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee") }},
		{"group with every allowed punctuation", func(p *arm.Params) { p.ResourceGroup = "My_Group-1.(test)" }},
		{"group of 90 characters", func(p *arm.Params) { p.ResourceGroup = strings.Repeat("g", 90) }},
		{"group of one character", func(p *arm.Params) { p.ResourceGroup = "g" }},
		{"group with dots inside", func(p *arm.Params) { p.ResourceGroup = "a..b" }},
		{"workspace of one character", func(p *arm.Params) { p.Workspace = "w" }},
		{"workspace with repeated hyphens", func(p *arm.Params) { p.Workspace = "a--b-c" }},
		{"other api-version", func(p *arm.Params) { p.APIVersion = "2023-11-13-preview" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validParams()
			tt.edit(&p)
			if _, err := arm.URL(testEndpoint, p); err != nil {
				t.Errorf("URL(%+v): %v", p, err)
			}
		})
	}
}

func TestURLRefusesUndocumentedValues(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(*arm.Params)
		param      string
		value      string
		constraint string // a prefix of the constraint
	}{
		{"workspace with underscore", func(p *arm.Params) { p.Workspace = "a_b" }, "workspaceName", "a_b", "does not match the pattern ^[a-zA-Z0-9]+(-*[a-zA-Z0-9])*$"},
		{"workspace ending in hyphen", func(p *arm.Params) { p.Workspace = "ws-" }, "workspaceName", "ws-", "does not match the pattern"},
		{"empty workspace", func(p *arm.Params) { p.Workspace = "" }, "workspaceName", "", "does not match the pattern"},
		{"subscription not a GUID", func(p *arm.Params) { p.SubscriptionID = "12345" }, "subscriptionId", "12345", "is not a valid uuid"},
		{"empty group", func(p *arm.Params) { p.ResourceGroup = "" }, "resourceGroupName", "", "has 0 characters; at least 1 are required"},
		{"group of 91 characters", func(p *arm.Params) { p.ResourceGroup = strings.Repeat("g", 91) }, "resourceGroupName", strings.Repeat("g", 91), "has 91 characters; at most 90 are allowed"},
		{"group with a space", func(p *arm.Params) { p.ResourceGroup = "a b" }, "resourceGroupName", "a b", `does not match the pattern ^[-\w\._\(\)]+$`},
		{"empty api-version", func(p *arm.Params) { p.APIVersion = "" }, "api-version", "", "has 0 characters; at least 1 are required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validParams()
			tt.edit(&p)
			u, err := arm.URL(testEndpoint, p)
			var pe *arm.ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("URL = %q, error %v; want a *ParamError", u, err)
			}
			if pe.Name != tt.param || pe.Value != tt.value || !strings.HasPrefix(pe.Constraint, tt.constraint) {
				t.Errorf("got %+v; want %s %q %s...", *pe, tt.param, tt.value, tt.constraint)
			}
			if want := tt.param + " \"" + tt.value + "\" " + pe.Constraint; err.Error() != want {
				t.Errorf("message %q, want %q", err, want)
			}
		})
	}
}

func TestURLErrorReadsAsDocumented(t *testing.T) {
	p := validParams()
	p.Workspace = "a_b"
	_, err := arm.URL(testEndpoint, p)
	if want := `workspaceName "a_b" does not match the pattern ^[a-zA-Z0-9]+(-*[a-zA-Z0-9])*$`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
}

func TestURLRefusesValuesThatWouldChangeThePath(t *testing.T) {
	values := []string{
		"/", "a/b", "..", ".", "%2F", "a%2Fb", "%2E%2E", "a?b", "a#b", `a\b`,
		"a\rb", "a\nb", "a\r\nb", "a\x00b", "a\x01b", "a\x1fb", "a\x7fb", "a\u0085b",
	}
	for _, name := range []string{"resourceGroupName", "workspaceName", "subscriptionId"} {
		for _, v := range values {
			p := validParams()
			switch name {
			case "resourceGroupName":
				p.ResourceGroup = v
			case "workspaceName":
				p.Workspace = v
			case "subscriptionId":
				p.SubscriptionID = v
			}
			u, err := arm.URL(testEndpoint, p)
			var pe *arm.ParamError
			if !errors.As(err, &pe) {
				t.Errorf("%s %q: URL = %q, error %v; want a *ParamError", name, v, u, err)
				continue
			}
			if pe.Name != name || pe.Value != v {
				t.Errorf("%s %q: error names %s %q", name, v, pe.Name, pe.Value)
			}
			if !strings.Contains(pe.Constraint, "path") {
				t.Errorf("%s %q: constraint %q does not say the value is unfit for the path", name, v, pe.Constraint)
			}
		}
	}
}

// The documented resource-group pattern admits "..": only the path-safety check stands in its way.
func TestDotDotPassesThePatternButNotTheBuilder(t *testing.T) {
	p := validParams()
	p.ResourceGroup = ".."
	values := map[string]string{"subscriptionId": p.SubscriptionID, "resourceGroupName": "..", "workspaceName": p.Workspace, "api-version": p.APIVersion}
	if vs := contract.MustDefault().ValidateParameters(values); len(vs) != 0 {
		t.Fatalf("the schema now refuses \"..\" (%v): this test's premise is gone", vs)
	}
	_, err := arm.URL(testEndpoint, p)
	var pe *arm.ParamError
	if !errors.As(err, &pe) || pe.Constraint != "is a dot segment, which would change the request path" {
		t.Errorf("error %v", err)
	}
}

func TestURLReportsEveryBadParameter(t *testing.T) {
	p := arm.Params{SubscriptionID: "x", ResourceGroup: "a/b", Workspace: "a_b", APIVersion: ""}
	_, err := arm.URL(testEndpoint, p)
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %v does not join several", err)
	}
	var names []string
	for _, e := range joined.Unwrap() {
		var pe *arm.ParamError
		if !errors.As(e, &pe) {
			t.Fatalf("%v is not a *ParamError", e)
		}
		names = append(names, pe.Name)
	}
	if got, want := strings.Join(names, ","), "api-version,subscriptionId,resourceGroupName,workspaceName"; got != want {
		t.Errorf("parameters %s, want %s (documented order)", got, want)
	}
}

func TestURLRefusesUnusableEndpoints(t *testing.T) {
	for _, endpoint := range []string{"", "management.azure.com", "https://host/prefix", "https://host?q=1", "file:///x"} {
		if u, err := arm.UnsafeURL(endpoint, validParams()); err == nil {
			t.Errorf("UnsafeURL(%q) = %q, want an error", endpoint, u)
		}
	}
}

// template is the documented path, split as the property below splits a sent path.
func template(t *testing.T) []string {
	t.Helper()
	return strings.Split(contract.MustDefault().Operation.Path, "/")
}

// checkOneSegmentEach is the property by construction: the path of u has exactly the template's segments,
// the literal ones as documented and each parameter's segment unescaping to the value given, and the query
// is exactly api-version, once.
func checkOneSegmentEach(t *testing.T, requestURI string, p arm.Params) {
	t.Helper()
	path, query, _ := strings.Cut(requestURI, "?")
	want := template(t)
	got := strings.Split(path, "/")
	if len(got) != len(want) {
		t.Errorf("%+v: path %q has %d segments, the template %d", p, path, len(got), len(want))
		return
	}
	values := map[string]string{"{subscriptionId}": p.SubscriptionID, "{resourceGroupName}": p.ResourceGroup, "{workspaceName}": p.Workspace}
	for i, w := range want {
		value, isParam := values[w]
		if !isParam {
			if got[i] != w {
				t.Errorf("%+v: segment %d is %q, the template has %q", p, i, got[i], w)
			}
			continue
		}
		if got[i] == "." || got[i] == ".." {
			t.Errorf("%+v: segment %d is the dot segment %q", p, i, got[i])
		}
		if unescaped, err := url.PathUnescape(got[i]); err != nil || unescaped != value {
			t.Errorf("%+v: segment %d %q unescapes to %q (%v), want %q", p, i, got[i], unescaped, err, value)
		}
	}
	q, err := url.ParseQuery(query)
	if err != nil || len(q) != 1 || len(q["api-version"]) != 1 || q.Get("api-version") != p.APIVersion {
		t.Errorf("%+v: query %q is not exactly api-version=%q", p, query, p.APIVersion)
	}
}

// hostile values: every character that matters to a path, a query or a parser, including bytes that are not
// UTF-8.
var hostile = []string{
	"", ".", "..", "...", "/", "//", "../x", "x/..", "%", "%2F", "%252F", "%2E%2E", "?", "#", "&", "=", ";", "+",
	`\`, " ", "\t", "\r\n", "\x00", "\x01", "\x7f", "\xff", "\xc3", "é", "\u2028", "~", "@", ":", "a b", "(x)",
	"api-version=1", "?api-version=2", "#frag",
}

const alphabet = "aZ09-_.()/\\?#%&=;+ ~@:\r\n\x00\x01\x7f\xffé"

func randomValue(r *rand.Rand) string {
	n := r.IntN(12)
	var b strings.Builder
	for range n {
		// Picked by byte, so multi-byte characters are also cut into invalid UTF-8.
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

func unsafeCases() []arm.Params {
	var out []arm.Params
	for _, v := range hostile {
		out = append(out,
			arm.Params{SubscriptionID: v, ResourceGroup: "rg", Workspace: "ws", APIVersion: "2025-12-15-preview"},
			arm.Params{SubscriptionID: "s", ResourceGroup: v, Workspace: "ws", APIVersion: v},
			arm.Params{SubscriptionID: "s", ResourceGroup: "rg", Workspace: v, APIVersion: "v"},
		)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		out = append(out, arm.Params{SubscriptionID: randomValue(r), ResourceGroup: randomValue(r), Workspace: randomValue(r), APIVersion: randomValue(r)})
	}
	return out
}

func TestUnsafeURLKeepsEveryValueInOneSegment(t *testing.T) {
	for _, p := range unsafeCases() {
		u, err := arm.UnsafeURL(testEndpoint, p)
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		parsed, err := url.Parse(u)
		if err != nil {
			t.Errorf("%+v: %q does not parse: %v", p, u, err)
			continue
		}
		checkOneSegmentEach(t, parsed.RequestURI(), p)
	}
}

const (
	groupChars     = "abcxyzABCXYZ0189-_.()"
	workspaceChars = "abcxyzABCXYZ0189"
)

// validCases are generated from the documented grammar, so URL must accept every one.
func validCases() []arm.Params {
	r := rand.New(rand.NewPCG(3, 4))
	pick := func(chars string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = chars[r.IntN(len(chars))]
		}
		return string(b)
	}
	var out []arm.Params
	for range 300 {
		group := pick(groupChars, 1+r.IntN(90))
		if group == "." || group == ".." {
			group = "g"
		}
		workspace := pick(workspaceChars, 1+r.IntN(5))
		for range r.IntN(3) {
			workspace += strings.Repeat("-", 1+r.IntN(2)) + pick(workspaceChars, 1+r.IntN(5))
		}
		hex := func(n int) string { return pick("0123456789abcdefABCDEF", n) }
		out = append(out, arm.Params{
			SubscriptionID: hex(8) + "-" + hex(4) + "-" + hex(4) + "-" + hex(4) + "-" + hex(12),
			ResourceGroup:  group,
			Workspace:      workspace,
			APIVersion:     "2025-12-15-preview",
		})
	}
	return out
}

func TestURLOfDocumentedValuesIsTheTemplateFilledIn(t *testing.T) {
	c := contract.MustDefault()
	for _, p := range validCases() {
		u, err := arm.URL(testEndpoint, p)
		if err != nil {
			t.Errorf("%+v: %v", p, err)
			continue
		}
		parsed, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		checkOneSegmentEach(t, parsed.RequestURI(), p)
		if r := c.ValidateRequest(contract.Request{Method: "POST", URL: parsed, Header: map[string][]string{"Authorization": {"Bearer x"}}}); len(r.Violations) > 0 {
			t.Errorf("%+v: the contract finds fault with the request: %v", p, r.Violations)
		}
	}
}
