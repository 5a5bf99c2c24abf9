package emulator

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// armError is an error answer, written as {"error":{"code":...,"message":...}}.
type armError struct {
	status  int
	code    string
	message string
	gateway bool        // produced by ARM itself, not by the provider: adds x-ms-failure-cause: gateway
	header  http.Header // extra headers (WWW-Authenticate, Allow, Retry-After)
}

type errorResponse struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func gatewayError(status int, code, format string, args ...any) *armError {
	return &armError{status: status, code: code, message: fmt.Sprintf(format, args...), gateway: true}
}

func providerError(status int, code, format string, args ...any) *armError {
	return &armError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

// route holds the three names of the request path, percent-decoded but otherwise as received: ARM echoes
// them that way in its messages.
type route struct {
	subscription, group, workspace string
}

// resourceID is the workspace's ARM id as the request spelled it (the scope of an authorization check).
func (rt route) resourceID() string {
	return "/subscriptions/" + rt.subscription + "/resourceGroups/" + rt.group +
		"/providers/Microsoft.Quantum/workspaces/" + rt.workspace
}

// listKeys runs ARM's checks in ARM's order, then the provider's, and returns the first failure or the
// workspace's keys.
func (e *Emulator) listKeys(r *http.Request, now time.Time) (listKeysResult, *armError) {
	path := ""
	if r.URL != nil {
		path = r.URL.EscapedPath()
	}
	rt, ok := parseRoute(path)
	if !ok {
		return listKeysResult{}, gatewayError(http.StatusNotFound, "NotFound",
			"The requested path '%s' was not found. This emulator serves only POST /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Quantum/workspaces/{workspaceName}/listKeys.", path)
	}
	if r.Method != http.MethodPost {
		aerr := gatewayError(http.StatusMethodNotAllowed, "MethodNotAllowed",
			"The requested resource does not support http method '%s'.", r.Method)
		aerr.header = http.Header{"Allow": {http.MethodPost}}
		return listKeysResult{}, aerr
	}
	kind, aerr := e.authenticate(r.Header, now)
	if aerr != nil {
		return listKeysResult{}, aerr
	}
	if aerr := e.checkAPIVersion(r.URL.RawQuery, rt); aerr != nil {
		return listKeysResult{}, aerr
	}
	sub, aerr := e.findSubscription(rt.subscription)
	if aerr != nil {
		return listKeysResult{}, aerr
	}
	// ARM authorizes before it looks inside the subscription: a caller without permission learns nothing
	// about which groups or workspaces exist.
	if kind == NoPermission {
		return listKeysResult{}, gatewayError(http.StatusForbidden, "AuthorizationFailed",
			"The client '%s' with object id '%s' does not have authorization to perform action 'Microsoft.Quantum/workspaces/listKeys/action' over scope '%s' or the scope is invalid. If access was recently granted, please refresh your credentials.",
			noPermissionClientID, noPermissionObjectID, rt.resourceID())
	}
	g, aerr := findGroup(sub, rt.group)
	if aerr != nil {
		return listKeysResult{}, aerr
	}
	w, aerr := findWorkspace(g, rt)
	if aerr != nil {
		return listKeysResult{}, aerr
	}
	if aerr := e.scenarioError(w, rt); aerr != nil {
		return listKeysResult{}, aerr
	}
	return w.result(), nil
}

// The fake caller named in AuthorizationFailed.
const (
	noPermissionClientID = "99999999-8888-7777-6666-555555555555"
	noPermissionObjectID = "99999999-8888-7777-6666-000000000000"
)

// template is the operation's path; "{}" marks a name, every other segment is compared case-insensitively.
var template = strings.Split("/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Quantum/workspaces/{}/listKeys", "/")

// parseRoute splits the escaped path before decoding, so an encoded slash stays inside its name (and is
// then refused as a character the name may not hold) instead of moving the segments.
func parseRoute(escapedPath string) (route, bool) {
	segments := strings.Split(escapedPath, "/")
	if len(segments) != len(template) {
		return route{}, false
	}
	var names []string
	for i, raw := range segments {
		seg, err := url.PathUnescape(raw)
		if err != nil {
			return route{}, false
		}
		switch {
		case template[i] == "{}":
			names = append(names, seg)
		case !strings.EqualFold(seg, template[i]):
			return route{}, false
		}
	}
	return route{subscription: names[0], group: names[1], workspace: names[2]}, true
}

// allowedAudiences is what ARM names when it refuses a token for another resource.
const allowedAudiences = "'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'"

func (e *Emulator) authenticate(h http.Header, now time.Time) (TokenKind, *armError) {
	values := h.Values("Authorization")
	// A header sent empty is treated as missing: it carries no credential at all.
	if len(values) == 0 || (len(values) == 1 && strings.TrimSpace(values[0]) == "") {
		return 0, e.unauthorized("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.",
			"The authentication failed because of missing 'Authorization' header.")
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if len(values) > 1 || !ok || !strings.EqualFold(scheme, "Bearer") || token == "" || strings.ContainsAny(token, " \t") {
		return 0, e.unauthorized("AuthenticationFailedInvalidHeader",
			"Authentication failed. The 'Authorization' header is provided in an invalid format.",
			"The authentication failed because of invalid format of 'Authorization' header.")
	}
	kind, known := e.tokens[token]
	switch {
	case !known:
		msg := "The access token is invalid."
		return 0, e.unauthorized("InvalidAuthenticationToken", msg, msg)
	case kind == Expired:
		// .NET's general date format, as ARM writes it.
		const layout = "1/2/2006 3:04:05 PM"
		msg := fmt.Sprintf("The access token expiry UTC time '%s' is earlier than current UTC time '%s'.",
			now.Add(-time.Hour).Format(layout), now.Format(layout))
		return 0, e.unauthorized("ExpiredAuthenticationToken", msg, msg)
	case kind == WrongAudience:
		msg := "The access token has been obtained for wrong audience or resource 'https://storage.azure.com/'. It should exactly match with one of the allowed audiences " + allowedAudiences + "."
		return 0, e.unauthorized("InvalidAuthenticationTokenAudience", msg, msg)
	}
	return kind, nil
}

// unauthorized is a 401 with the challenge ARM sends; description must hold no double quote.
func (e *Emulator) unauthorized(code, message, description string) *armError {
	aerr := gatewayError(http.StatusUnauthorized, code, "%s", message)
	aerr.header = http.Header{"Www-Authenticate": {fmt.Sprintf(
		`Bearer authorization_uri="https://login.windows.net/%s", error="invalid_token", error_description="%s"`,
		e.tenantID, description)}}
	return aerr
}

// apiVersionPattern is yyyy-mm-dd with an optional -preview; the date must also be a real one.
var apiVersionPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(?i:-preview)?$`)
})

func (e *Emulator) checkAPIVersion(rawQuery string, rt route) *armError {
	version, present := apiVersion(rawQuery)
	if !present {
		return gatewayError(http.StatusBadRequest, "MissingApiVersionParameter",
			"The api-version query parameter (?api-version=) is required for all requests.")
	}
	if !wellFormedAPIVersion(version) {
		newestFirst := append([]string(nil), e.apiVersions...)
		sort.Sort(sort.Reverse(sort.StringSlice(newestFirst)))
		return gatewayError(http.StatusBadRequest, "InvalidApiVersionParameter",
			"The api-version '%s' is invalid. The supported versions are '%s'.", version, strings.Join(newestFirst, ","))
	}
	for _, v := range e.apiVersions {
		if strings.EqualFold(v, version) {
			return nil
		}
	}
	location := fold(e.region)
	if w := e.lookup(rt.subscription, rt.group, rt.workspace); w != nil {
		location = fold(w.Location)
	}
	oldestFirst := append([]string(nil), e.apiVersions...)
	sort.Strings(oldestFirst)
	return gatewayError(http.StatusBadRequest, "NoRegisteredProviderFound",
		"No registered resource provider found for location '%s' and API version '%s' for type 'workspaces'. The supported api-versions are '%s'. The supported locations are '%s'.",
		location, version, strings.Join(oldestFirst, ", "), strings.Join(e.locations, ", "))
}

// apiVersion finds the parameter by a case-insensitive name, as ARM does. Repeated values are joined with
// commas, as ASP.NET joins them, which makes a repeated parameter malformed rather than silently picked.
func apiVersion(rawQuery string) (string, bool) {
	query, _ := url.ParseQuery(rawQuery) // pairs that fail to decode are skipped, as if absent
	names := make([]string, 0, len(query))
	for name := range query {
		if strings.EqualFold(name, "api-version") {
			names = append(names, name)
		}
	}
	sort.Strings(names) // a stable order for the message when differently cased names repeat
	var values []string
	for _, name := range names {
		values = append(values, query[name]...)
	}
	return strings.Join(values, ","), len(values) > 0
}

func wellFormedAPIVersion(v string) bool {
	if !apiVersionPattern().MatchString(v) {
		return false
	}
	_, err := time.Parse("2006-01-02", v[:10])
	return err == nil
}

var subscriptionPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
})

func (e *Emulator) findSubscription(id string) (*subscription, *armError) {
	if !subscriptionPattern().MatchString(id) {
		return nil, gatewayError(http.StatusBadRequest, "InvalidSubscriptionId",
			"The provided subscription identifier '%s' is malformed or invalid.", id)
	}
	s, ok := e.subscriptions[fold(id)]
	if !ok {
		return nil, gatewayError(http.StatusNotFound, "SubscriptionNotFound", "The subscription '%s' could not be found.", id)
	}
	return s, nil
}

const groupNameRule = "The name can only be a letter, digit, '-', '.', '(', ')' or '_', must be 1 to 90 characters long and must not end in '.'."

func findGroup(s *subscription, name string) (*group, *armError) {
	if invalid := invalidGroupCharacters(name); invalid != "" {
		return nil, gatewayError(http.StatusBadRequest, "InvalidResourceGroup",
			"The provided resource group name '%s' has these invalid characters: '%s'. %s", name, invalid, groupNameRule)
	}
	if n := utf8.RuneCountInString(name); n == 0 || n > 90 || strings.HasSuffix(name, ".") {
		return nil, gatewayError(http.StatusBadRequest, "InvalidResourceGroup",
			"The provided resource group name '%s' is invalid. %s", name, groupNameRule)
	}
	g, ok := s.groups[fold(name)]
	if !ok {
		return nil, gatewayError(http.StatusNotFound, "ResourceGroupNotFound", "Resource group '%s' could not be found.", name)
	}
	return g, nil
}

// invalidGroupCharacters lists, once each and in order, the characters outside ARM's documented set:
// letters (Unicode ones too), digits, '-', '_', '.', '(' and ')'. Bytes that are not UTF-8 count as invalid.
func invalidGroupCharacters(name string) string {
	var invalid strings.Builder
	seen := map[string]bool{}
	for i, r := range name {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.()", r) {
			continue
		}
		c := string(r)
		if r == utf8.RuneError {
			_, size := utf8.DecodeRuneInString(name[i:])
			c = name[i : i+size]
		}
		if !seen[c] {
			seen[c] = true
			invalid.WriteString(c)
		}
	}
	return invalid.String()
}

// workspacePattern is the documented pattern of workspaceName; a name it refuses can name no workspace.
var workspacePattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9]+(-*[a-zA-Z0-9])*$`) })

// findWorkspace answers as ARM does for a provider-hub provider such as Microsoft.Quantum: ARM holds the
// resources and refuses an unknown one itself, so the answer carries the gateway marker.
func findWorkspace(g *group, rt route) (*workspace, *armError) {
	w, ok := g.workspaces[fold(rt.workspace)]
	if !ok || !workspacePattern().MatchString(rt.workspace) {
		return nil, gatewayError(http.StatusNotFound, "ResourceNotFound",
			"The Resource 'Microsoft.Quantum/workspaces/%s' under resource group '%s' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
			rt.workspace, rt.group)
	}
	return w, nil
}

// scenarioError plays the workspace's scenario. A once-scenario fails exactly one call, however many arrive
// together: the first to flip failedOnce gets the failure.
func (e *Emulator) scenarioError(w *workspace, rt route) *armError {
	once := func() bool { return w.failedOnce.CompareAndSwap(false, true) }
	switch w.Scenario {
	case ThrottledOnce, AlwaysThrottled:
		if w.Scenario == AlwaysThrottled || once() {
			seconds := max(0, int(math.Ceil(e.retryAfter.Seconds())))
			aerr := gatewayError(http.StatusTooManyRequests, "SubscriptionRequestsThrottled",
				"Number of 'write' requests for subscription '%s' exceeded the limit. Please try again after '%d' seconds.",
				rt.subscription, seconds)
			aerr.header = http.Header{"Retry-After": {strconv.Itoa(seconds)}}
			return aerr
		}
	case TransientOnce503:
		if once() {
			return providerError(http.StatusServiceUnavailable, "ServiceUnavailable",
				"The service is temporarily unavailable. Please try again later.")
		}
	case Transient500Once:
		if once() {
			return internalError()
		}
	case AlwaysInternalError:
		return internalError()
	}
	return nil
}

func internalError() *armError {
	return providerError(http.StatusInternalServerError, "InternalServerError",
		"An internal server error occurred while processing the request. Please try again later.")
}
