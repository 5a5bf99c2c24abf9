package emulator_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
	"github.com/listkeys-conformance/listkeys-conformance/internal/traffic"
)

const guid = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`

// realHeaderShapes are the value shapes of the headers of a real 200 (docs/real-arm.md), by lower-case name.
var realHeaderShapes = map[string]*regexp.Regexp{
	"cache-control":             regexp.MustCompile(`^no-cache$`),
	"pragma":                    regexp.MustCompile(`^no-cache$`),
	"expires":                   regexp.MustCompile(`^-1$`),
	"content-type":              regexp.MustCompile(`^application/json; charset=utf-8$`),
	"strict-transport-security": regexp.MustCompile(`^max-age=31536000; includeSubDomains$`),
	"x-content-type-options":    regexp.MustCompile(`^nosniff$`),
	"vary":                      regexp.MustCompile(`^Accept-Encoding$`),
	"x-ms-ratelimit-remaining-subscription-writes":        regexp.MustCompile(`^[0-9]+$`),
	"x-ms-ratelimit-remaining-subscription-global-writes": regexp.MustCompile(`^[0-9]+$`),
	"x-ms-providerhub-traffic":                            regexp.MustCompile(`^True$`),
	"x-cache":                                             regexp.MustCompile(`^CONFIG_NOCACHE$`),
	"x-msedge-ref":                                        regexp.MustCompile(`^Ref A: [0-9A-F]{32} Ref B: [A-Z0-9]+ Ref C: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`),
	"mise-correlation-id":                                 regexp.MustCompile(`^` + guid + `$`),
	"request-context":                                     regexp.MustCompile(`^appId=cid-v1:` + guid + `$`),
	"x-powered-by":                                        regexp.MustCompile(`^ASP\.NET$`),
	"set-cookie":                                          regexp.MustCompile(`^(ApplicationGatewayAffinity|ApplicationGatewayAffinityCORS|ARRAffinity|ARRAffinitySameSite)=[0-9a-f]+;`),
	"x-ms-request-id":                                     regexp.MustCompile(`^` + guid + `$`),
	"x-ms-correlation-request-id":                         regexp.MustCompile(`^` + guid + `$`),
	"x-ms-routing-request-id":                             regexp.MustCompile(`^[A-Z0-9]+:\d{8}T\d{6}Z:` + guid + `$`),
}

// transportHeaders depend on the hop and on what the client accepted, not on the answer.
var transportHeaders = []string{"date", "content-length", "content-encoding", "transfer-encoding"}

// realBodyShapes are the value shapes of a real 200's body, by JSON Pointer.
var realBodyShapes = map[string]*regexp.Regexp{
	"/apiKeyEnabled":             regexp.MustCompile(`^(true|false)$`),
	"/primaryKey/createdAt":      regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`), // whole seconds
	"/secondaryKey/createdAt":    regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`),
	"/primaryKey/key":            regexp.MustCompile(`^[A-Za-z0-9_-]{76}AZQU[A-Za-z0-9_-]{6}$`),
	"/secondaryKey/key":          regexp.MustCompile(`^[A-Za-z0-9_-]{76}AZQU[A-Za-z0-9_-]{6}$`),
	"/primaryConnectionString":   regexp.MustCompile(`^SubscriptionId=` + guid + `;ResourceGroupName=[^;]+;WorkspaceName=[^;]+;ApiKey=[A-Za-z0-9_-]{86};QuantumEndpoint=https://[a-z0-9]+\.quantum\.azure\.com/;$`),
	"/secondaryConnectionString": regexp.MustCompile(`^SubscriptionId=` + guid + `;ResourceGroupName=[^;]+;WorkspaceName=[^;]+;ApiKey=[A-Za-z0-9_-]{86};QuantumEndpoint=https://[a-z0-9]+\.quantum\.azure\.com/;$`),
}

// shapeDifferences lists how an answer departs from the real shape: headers missing or extra, a value of
// another shape, body members missing or extra, a body value of another shape.
func shapeDifferences(header http.Header, body []byte) []string {
	var out []string
	names := map[string]bool{}
	for name, values := range header {
		lower := strings.ToLower(name)
		if slices.Contains(transportHeaders, lower) {
			continue
		}
		names[lower] = true
		shape, known := realHeaderShapes[lower]
		if !known {
			out = append(out, "header "+lower+" is not in a real answer")
			continue
		}
		for _, v := range values {
			if !shape.MatchString(v) {
				out = append(out, "header "+lower+" "+v+" is not shaped "+shape.String())
			}
		}
	}
	for name := range realHeaderShapes {
		if !names[name] {
			out = append(out, "header "+name+" is missing")
		}
	}
	if header.Get("x-ms-request-id") == header.Get("x-ms-correlation-request-id") {
		out = append(out, "x-ms-request-id equals x-ms-correlation-request-id")
	}
	if !strings.HasSuffix(header.Get("x-ms-routing-request-id"), ":"+header.Get("x-ms-correlation-request-id")) {
		out = append(out, "x-ms-routing-request-id does not end in the correlation id")
	}

	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return append(out, "body: "+err.Error())
	}
	leaves := map[string]string{}
	var walk func(v any, ptr string)
	walk = func(v any, ptr string) {
		if m, ok := v.(map[string]any); ok {
			for k, child := range m {
				walk(child, ptr+"/"+k)
			}
			return
		}
		b, _ := json.Marshal(v)
		leaves[ptr] = strings.Trim(string(b), `"`)
	}
	walk(doc, "")
	for ptr, value := range leaves {
		shape, known := realBodyShapes[ptr]
		switch {
		case !known:
			out = append(out, "body member "+ptr+" is not in a real answer")
		case !shape.MatchString(value):
			out = append(out, "body "+ptr+" "+value+" is not shaped "+shape.String())
		}
	}
	for ptr := range realBodyShapes {
		if _, ok := leaves[ptr]; !ok {
			out = append(out, "body member "+ptr+" is missing")
		}
	}
	if leaves["/primaryKey/createdAt"] == leaves["/secondaryKey/createdAt"] {
		out = append(out, "both keys were created in the same second")
	}
	sort.Strings(out)
	return out
}

// Side by side: the fixture written from the real recordings is of the real shape (so the shapes above are
// right), and the emulator's 200 — asked with and without gzip — differs from it in values only.
func TestOKAnswerHasTheRealShape(t *testing.T) {
	rec, err := traffic.Read("realarm/ok.yaml", examples.RealARMOK)
	if err != nil || len(rec.Interactions) != 1 {
		t.Fatalf("the fixture: %v (%d interactions)", err, len(rec.Interactions))
	}
	real := rec.Interactions[0]
	if d := shapeDifferences(real.Header, real.Body); len(d) > 0 {
		t.Fatalf("the fixture is not of the real shape:\n%s", strings.Join(d, "\n"))
	}

	srv, _ := newServer(t, emulator.DefaultConfig())
	raw := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, accept := range []string{"", "gzip"} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+defaultPath(emulator.DefaultWorkspace)+"?"+version, nil)
		req.Header.Set("Authorization", valid)
		if accept != "" {
			req.Header.Set("Accept-Encoding", accept)
		}
		resp, err := raw.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			body, _ = io.ReadAll(zr)
		}
		if d := shapeDifferences(resp.Header, body); len(d) > 0 {
			t.Errorf("Accept-Encoding %q: the emulator's 200 differs from a real one beyond values:\n%s", accept, strings.Join(d, "\n"))
		}
	}
}

// The documented example's workspace names another region in QuantumEndpoint than its location, as a real
// westus2 workspace's did.
func TestQuantumEndpointMayNameAnotherRegion(t *testing.T) {
	srv, _ := newServer(t, emulator.DefaultConfig())
	r := decodeResult(t, call(t, srv, "POST", defaultPath(emulator.DefaultWorkspace)+"?"+version, valid, nil))
	want := "QuantumEndpoint=https://" + catalogue.EndpointRegion + ".quantum.azure.com/;"
	if !strings.HasSuffix(r.PrimaryConnectionString, want) || catalogue.EndpointRegion == catalogue.Location {
		t.Errorf("primaryConnectionString %q; want it to end in %q, another region than %s", r.PrimaryConnectionString, want, catalogue.Location)
	}
}
