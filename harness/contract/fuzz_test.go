package contract

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzParseConnectionString: no input panics; what parses rebuilds, in the documented order, to a string
// that parses to the same fields; an error never quotes the ApiKey.
func FuzzParseConnectionString(f *testing.F) {
	f.Add("SubscriptionId=00000000-1111-2222-3333-444444444444;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=abc=;QuantumEndpoint=https://westus.quantum.azure.com/;")
	f.Add("subscriptionid=x;;;;")
	f.Add("ApiKey=only;")
	f.Fuzz(func(t *testing.T, s string) {
		cs, err := ParseConnectionString(s)
		if err != nil {
			for _, key := range APIKeysIn(s) {
				if len(key) >= 8 && strings.Contains(err.Error(), key) {
					t.Fatalf("the error %q quotes the ApiKey %q", err, key)
				}
			}
			return
		}
		again := "SubscriptionId=" + cs.SubscriptionID + ";ResourceGroupName=" + cs.ResourceGroupName + ";WorkspaceName=" +
			cs.WorkspaceName + ";ApiKey=" + cs.APIKey + ";QuantumEndpoint=" + cs.QuantumEndpoint + ";"
		if cs2, err := ParseConnectionString(again); err != nil || cs2 != cs {
			t.Fatalf("%q parsed to %+v, which rebuilds to %q: %+v, %v", s, cs, again, cs2, err)
		}
	})
}

// FuzzParseConnectionStringSplit holds ParseConnectionString, which walks the parts in place, to the
// strings.Split version it replaced (parseConnectionStringBySplit): the same fields, the same errors.
func FuzzParseConnectionStringSplit(f *testing.F) {
	for _, seed := range []string{
		"SubscriptionId=00000000-1111-2222-3333-444444444444;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=abc=;QuantumEndpoint=https://westus.quantum.azure.com/;",
		"SubscriptionId=<id>;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=REDACTED;QuantumEndpoint=Sanitized;",
		"SubscriptionId=x;ResourceGroupName=r g;WorkspaceName=ws;ApiKey=k;QuantumEndpoint=e;",
		"SubscriptionId=x;ResourceGroupName=\vrg;WorkspaceName=;ApiKey=k;QuantumEndpoint=e;",
		"subscriptionid=x;;;;", ";;;;;", ";", "", "a=b;c=d;", "SubscriptionId;ResourceGroupName=;WorkspaceName=ws;ApiKey=k;QuantumEndpoint=e;",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseConnectionString(s)
		want, wantErr := parseConnectionStringBySplit(s)
		if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("ParseConnectionString(%q) = %+v, %v; by strings.Split: %+v, %v", s, got, err, want, wantErr)
		}
	})
}

// parseConnectionStringBySplit is ParseConnectionString's splitting into parts as it was written first, with
// strings.Split (the checks of the values after it are shared: connectionStringOf).
func parseConnectionStringBySplit(s string) (ConnectionString, error) {
	if !strings.HasSuffix(s, ";") {
		return ConnectionString{}, fmt.Errorf("it does not end with \";\"")
	}
	parts := connectionStringParts[:]
	fields := strings.Split(strings.TrimSuffix(s, ";"), ";")
	if len(fields) != len(parts) {
		return ConnectionString{}, fmt.Errorf("it has %d parts; want %d (%s)", len(fields), len(parts), strings.Join(parts, ", "))
	}
	values := make([]string, len(fields))
	for i, field := range fields {
		name, value, ok := strings.Cut(field, "=")
		want := parts[i]
		switch {
		case !ok || !strings.EqualFold(name, want):
			return ConnectionString{}, fmt.Errorf("part %d should be %s=…, found %q", i+1, want, redactField(name))
		case value == "" || strings.ContainsAny(value, " \t\r\n\v\f"):
			return ConnectionString{}, fmt.Errorf("%s is empty or holds white space", want)
		}
		values[i] = value
	}
	return connectionStringOf([len(connectionStringParts)]string(values))
}

// FuzzPathParameters holds PathParameters, which walks the segments in place, to the strings.Split version
// it replaced (pathParametersBySplit): the same parameters, the same errors.
func FuzzPathParameters(f *testing.F) {
	for _, seed := range []string{
		"/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws/listKeys",
		"/SUBSCRIPTIONS/s/resourcegroups/r%2Fg/providers/microsoft.quantum/workspaces/w%zz/listkeys/",
		"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws", "", "/", "//", "/subscriptions//resourceGroups/",
	} {
		f.Add(seed)
	}
	c := MustDefault()
	f.Fuzz(func(t *testing.T, path string) {
		u := &url.URL{Path: path}
		got, err := c.PathParameters(u)
		want, wantErr := pathParametersBySplit(c, u)
		if !maps.Equal(got, want) || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("PathParameters(%q) = %v, %v; by strings.Split: %v, %v", path, got, err, want, wantErr)
		}
	})
}

// pathParametersBySplit is PathParameters as it was written first, with strings.Split.
func pathParametersBySplit(c *Contract, u *url.URL) (map[string]string, error) {
	want := strings.Split(strings.Trim(c.Operation.Path, "/"), "/")
	got := strings.Split(strings.Trim(u.EscapedPath(), "/"), "/")
	if len(got) != len(want) {
		return nil, fmt.Errorf("path %q has %d segments; the documented path %s has %d", u.EscapedPath(), len(got), c.Operation.Path, len(want))
	}
	params := map[string]string{}
	for i, w := range want {
		if strings.HasPrefix(w, "{") && strings.HasSuffix(w, "}") {
			value, err := url.PathUnescape(got[i])
			if err != nil {
				return nil, fmt.Errorf("segment %d (%s): %v", i+1, w, err)
			}
			params[strings.Trim(w, "{}")] = value
			continue
		}
		if !strings.EqualFold(got[i], w) {
			return nil, fmt.Errorf("segment %d is %q; the documented path has %q there", i+1, got[i], w)
		}
	}
	return params, nil
}

// FuzzParseDateTime: no input panics; what parses is RFC 3339 that time.Parse reads to the same instant
// (leap seconds aside, which time.Parse refuses), and the format check agrees with the parser.
func FuzzParseDateTime(f *testing.F) {
	for _, s := range []string{"2023-11-13T23:06:09.147165Z", "2016-12-31T23:59:60Z", "2024-02-30T00:00:00Z", "2024-03-01t12:34:56+01:00", "0000-01-01T00:00:00-23:59"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDateTime(s)
		if (err == nil) != (CheckFormat("date-time", s) == nil) {
			t.Fatalf("ParseDateTime(%q) = %v but the date-time format check disagrees", s, err)
		}
		if err != nil || strings.Contains(s, ":60") {
			return
		}
		want, perr := time.Parse(time.RFC3339Nano, strings.ToUpper(s))
		if perr != nil || !want.Equal(got) {
			t.Fatalf("ParseDateTime(%q) = %v; time.Parse reads %v (%v)", s, got, want, perr)
		}
	})
}

// FuzzAPIKeysIn holds the scan of APIKeysIn to the answers of the expression it stands for.
func FuzzAPIKeysIn(f *testing.F) {
	for _, seed := range []string{
		"ApiKey=abc", "apikey=a;ApiKey=b", "xApiKey=no", "_ApiKey=no", "-ApiKey=yes", "ApiKey=", "ApiKey=;x",
		"APIKEY=a b", "ApiKey=a\"b", "ApiKey=a'b", "ApiKey=a\\b", "ApiKey=a\fb", "ApiKey=a\vb", "Api\u212Aey=kelvin",
		"éApiKey=after-non-ascii", "ApiKey=a=ApiKey=b", "ApiKey==x", "SubscriptionId=s;ApiKey=k;QuantumEndpoint=https://x/;",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var want []string
		for _, m := range apiKeyPattern().FindAllStringSubmatch(text, -1) {
			want = append(want, m[2])
		}
		if got := APIKeysIn(text); !slices.Equal(got, want) {
			t.Fatalf("APIKeysIn(%q) = %q; the expression finds %q", text, got, want)
		}
	})
}

// FuzzIsPlaceholder holds isAnglePlaceholder to the expression ^<[^<>]+>$ it stands for.
func FuzzIsPlaceholder(f *testing.F) {
	for _, seed := range []string{"<primaryKey>", "<>", "<a<b>", "<a>b>", "<a", "a>", "<é>", "<\n>", "x<a>"} {
		f.Add(seed)
	}
	angle := regexp.MustCompile(`^<[^<>]+>$`)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isAnglePlaceholder(s), angle.MatchString(s); got != want {
			t.Fatalf("isAnglePlaceholder(%q) = %v; the expression says %v", s, got, want)
		}
	})
}

// FuzzIsRedactionMarker holds isRedactionMarker, which looks at the first byte first, to strings.EqualFold
// with each marker.
func FuzzIsRedactionMarker(f *testing.F) {
	for _, seed := range []string{"REDACTED", "redacted", "Sanitized", "\u017Fanitized", "***", "**", Redacted, "<REDACTED:LISTKEYS-CONFORMANCE>", "", "x", "S", "é"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := slices.ContainsFunc(redactionMarkers, func(m string) bool { return strings.EqualFold(s, m) })
		if got := isRedactionMarker(s); got != want {
			t.Fatalf("isRedactionMarker(%q) = %v; strings.EqualFold with each marker says %v", s, got, want)
		}
	})
}

// FuzzIsQuantumEndpoint holds isQuantumEndpoint to the expression it stands for.
func FuzzIsQuantumEndpoint(f *testing.F) {
	for _, seed := range []string{"https://westus.quantum.azure.com/", "HTTPS://WestUS-v2.Quantum-Test.Azure.com/",
		"https://.quantum.azure.com/", "https://a-v2-v2.quantum.azure.com/", "https://westus.quantum.azure.com",
		"https://we\u017Ftu\u017F.quantum.azure.com/", "http\u017F://x.quantum.azure.com/", "https://x.quantum.azure.com/x",
		"https://x_y.quantum.azure.com/", "https://x.quantum-test.azure.com/"} {
		f.Add(seed)
	}
	expr := regexp.MustCompile(`(?i)^https://[a-z0-9]+(-v2)?\.quantum(-test)?\.azure\.com/$`)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isQuantumEndpoint(s), expr.MatchString(s); got != want {
			t.Fatalf("isQuantumEndpoint(%q) = %v; the expression says %v", s, got, want)
		}
	})
}

// FuzzIsUUID holds isUUID to the expression it stands for.
func FuzzIsUUID(f *testing.F) {
	for _, seed := range []string{"00000000-1111-2222-3333-444444444444", "0000000g-1111-2222-3333-444444444444",
		"00000000-1111-2222-3333-4444444444444", "00000000x1111-2222-3333-444444444444", "ABCDEFab-1111-2222-3333-444444444444"} {
		f.Add(seed)
	}
	expr := regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isUUID(s), expr.MatchString(s); got != want {
			t.Fatalf("isUUID(%q) = %v; the expression says %v", s, got, want)
		}
	})
}
