package contract

import (
	"fmt"
	"regexp"
	"strings"
)

// ConnectionString is a parsed Azure Quantum connection string.
type ConnectionString struct {
	SubscriptionID    string
	ResourceGroupName string
	WorkspaceName     string
	APIKey            string
	QuantumEndpoint   string
}

// connectionStringParts is the documented order; the SDKs write it so and parse it with one regex.
var connectionStringParts = []string{"SubscriptionId", "ResourceGroupName", "WorkspaceName", "ApiKey", "QuantumEndpoint"}

var quantumEndpoint = regexp.MustCompile(`(?i)^https://[a-z0-9]+(-v2)?\.quantum(-test)?\.azure\.com/$`)

// ZeroGUID is the subscription id recorders write in place of the real one (docs/recorders.md). A request
// URL naming it was sanitized: its subscription says nothing about the workspace that answered.
const ZeroGUID = "00000000-0000-0000-0000-000000000000"

// ParseConnectionString parses the format the Azure Quantum SDKs build and read (docs/connection-string.md):
// SubscriptionId={guid};ResourceGroupName={rg};WorkspaceName={ws};ApiKey={key};QuantumEndpoint=https://{location}.quantum.azure.com/;
// Names are matched case-insensitively, as the SDK's regex does. The error says which part is wrong.
//
// A part whose value is a placeholder (a recorder redacted it) is kept as it is: the format around it
// (names, order, separators, the trailing ";") and every other part are still checked, so a redacted ApiKey
// hides nothing but itself. Placeholders lists those parts.
func ParseConnectionString(s string) (ConnectionString, error) {
	if !strings.HasSuffix(s, ";") {
		return ConnectionString{}, fmt.Errorf("it does not end with \";\"")
	}
	fields := strings.Split(strings.TrimSuffix(s, ";"), ";")
	if len(fields) != len(connectionStringParts) {
		return ConnectionString{}, fmt.Errorf("it has %d parts; want %d (%s)", len(fields), len(connectionStringParts), strings.Join(connectionStringParts, ", "))
	}
	values := make([]string, len(fields))
	for i, field := range fields {
		name, value, ok := strings.Cut(field, "=")
		want := connectionStringParts[i]
		switch {
		case !ok || !strings.EqualFold(name, want):
			return ConnectionString{}, fmt.Errorf("part %d should be %s=…, found %q", i+1, want, redactField(name))
		case value == "" || strings.ContainsAny(value, " \t\r\n\v\f"):
			return ConnectionString{}, fmt.Errorf("%s is empty or holds white space", want)
		}
		values[i] = value
	}
	cs := ConnectionString{values[0], values[1], values[2], values[3], values[4]}
	if err := checkUUID(cs.SubscriptionID); err != nil && !IsPlaceholder(cs.SubscriptionID) {
		return ConnectionString{}, fmt.Errorf("SubscriptionId %q is not a GUID", cs.SubscriptionID)
	}
	if !quantumEndpoint.MatchString(cs.QuantumEndpoint) && !IsPlaceholder(cs.QuantumEndpoint) {
		return ConnectionString{}, fmt.Errorf("QuantumEndpoint %q is not https://{location}.quantum.azure.com/", cs.QuantumEndpoint)
	}
	return cs, nil
}

// Placeholders names the parts whose values are placeholders, in documented order.
func (cs ConnectionString) Placeholders() []string {
	var out []string
	for i, v := range cs.values() {
		if IsPlaceholder(v) {
			out = append(out, connectionStringParts[i])
		}
	}
	return out
}

func (cs ConnectionString) values() []string {
	return []string{cs.SubscriptionID, cs.ResourceGroupName, cs.WorkspaceName, cs.APIKey, cs.QuantumEndpoint}
}

// redactField keeps a malformed part's name readable without echoing what may be a key.
func redactField(name string) string {
	if len(name) > 40 {
		return name[:12] + "…"
	}
	return name
}

// apiKeyExpr finds the ApiKey part of a connection string wherever it stands — in a malformed string, in
// free text, in a JSON body inside a YAML file — with the value as its last submatch. Recorders, the server's
// scrubber and the secret scanner all look for keys with it.
const apiKeyExpr = `(?i)\b(ApiKey=)([^;\s"'\\]+)`

var apiKeyPattern = regexp.MustCompile(apiKeyExpr)

// APIKeyPattern returns a new copy of the expression that finds ApiKey values (the value is the last
// submatch), for a caller that needs the expression itself, such as a scanner's table of patterns. It is a
// fresh value so that no caller can change what the others match.
func APIKeyPattern() *regexp.Regexp { return regexp.MustCompile(apiKeyExpr) }

// APIKeysIn lists the ApiKey values in text.
func APIKeysIn(text string) []string {
	var keys []string
	for _, m := range apiKeyPattern.FindAllStringSubmatch(text, -1) {
		keys = append(keys, m[2])
	}
	return keys
}

// RedactAPIKeys replaces every ApiKey value in text with Redacted, leaving every other byte as it was.
func RedactAPIKeys(text string) string {
	return apiKeyPattern.ReplaceAllString(text, "${1}"+Redacted)
}
