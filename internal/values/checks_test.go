package values_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/values"
)

func TestRefused(t *testing.T) {
	rs := rules(t)
	pe := func(name, value, constraint string) error {
		return &arm.ParamError{Name: name, Value: value, Constraint: constraint}
	}
	const pattern = "does not match the pattern ^[a-zA-Z0-9]+(-*[a-zA-Z0-9])*$"
	for _, tt := range []struct {
		name         string
		err          error
		param, value string
		breaks       []values.Constraint
		kind         string // "" when the refusal is as it must be
	}{
		{"as it must be", pe("workspaceName", "-ws", pattern), "workspaceName", "-ws", nil, ""},
		{"the constraint given", pe("resourceGroupName", "", "has 0 characters; at least 1 are required"), "resourceGroupName", "", []values.Constraint{values.MinLength}, ""},
		{"either constraint broken", pe("resourceGroupName", "", `does not match the pattern ^[-\w\._\(\)]+$`), "resourceGroupName", "", nil, ""},
		{"accepted", nil, "workspaceName", "-ws", nil, "accepted"},
		{"another parameter", pe("subscriptionId", "-ws", pattern), "workspaceName", "-ws", nil, "refused naming another parameter"},
		{"another value", pe("workspaceName", "ws", pattern), "workspaceName", "-ws", nil, "refused without quoting the value"},
		{"another constraint", pe("workspaceName", "-ws", "is too long"), "workspaceName", "-ws", nil, "refused naming another constraint"},
		{"pattern when the path is at stake", pe("workspaceName", "a/b", pattern), "workspaceName", "a/b", nil, "refused naming another constraint"},
		{"path", pe("workspaceName", "a/b", `contains '/', which may not appear in a path segment`), "workspaceName", "a/b", nil, ""},
		{"not a ParamError", errors.New("workspaceName is bad"), "workspaceName", "-ws", nil, "refused without a *arm.ParamError"},
		{"several", errors.Join(pe("workspaceName", "-ws", pattern), pe("subscriptionId", "x", "is not a valid uuid")), "workspaceName", "-ws", nil, "refused naming several parameters"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := rs.Refused(tt.err, tt.param, tt.value, tt.breaks...)
			var f *values.Failure
			switch {
			case tt.kind == "" && err != nil:
				t.Errorf("want no failure, got %v", err)
			case tt.kind != "" && (!errors.As(err, &f) || f.Kind != tt.kind):
				t.Errorf("want a failure of kind %q, got %v", tt.kind, err)
			}
		})
	}
}

func answer(status int, body string) contract.Exchange {
	return contract.Exchange{Status: status, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Body: []byte(body)}
}

const invalidGroup = `{"error":{"code":"InvalidResourceGroup","message":"The provided resource group name 'a b' has these invalid characters: ' '."}}`

// The refusal is judged by the registry: the kind of failure is the MUST checks violated.
func TestErrorAnswer(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		body   string
		kind   string
	}{
		{"a conformant 400", 400, invalidGroup, ""},
		{"a conformant 404", 404, `{"error":{"code":"ResourceGroupNotFound","message":"Resource group 'x' could not be found."}}`, ""},
		{"served", 200, `{"error":{"code":"X","message":"y"}}`, "answered 200, violating scenario.status"},
		{"served with keys", 200, `{"apiKeyEnabled":true,"primaryKey":{"key":"k"}}`, "answered 200, violating error.carries-no-key, error.code-message, scenario.status"},
		{"a server error", 500, `{"error":{"code":"InternalServerError","message":"oops"}}`, "answered 500, violating scenario.status"},
		{"no code", 400, `{"error":{"message":"bad"}}`, "answered 400, violating error.code-message"},
		{"keys in an error", 400, `{"error":{"code":"X","message":"y","target":"ApiKey=abc"}}`, "answered 400, violating error.carries-no-key"},
		{"not JSON", 400, `<html>`, "answered 400, violating response.json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkKind(t, values.ErrorAnswer.Of(contract.MustDefault(), answer(tt.status, tt.body)), tt.kind)
		})
	}
}

func TestValidAnswer(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		body   string
		kind   string
	}{
		{"not found", 404, `{"error":{"code":"ResourceNotFound","message":"The Resource was not found."}}`, ""},
		{"not the caller's", 403, `{"error":{"code":"AuthorizationFailed","message":"no"}}`, ""},
		{"refused as malformed", 400, invalidGroup, "answered 400 InvalidResourceGroup"},
		{"not conformant", 404, `{"error":{"message":"no code"}}`, "answered 404, violating error.code-message"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkKind(t, values.ValidAnswer.Of(contract.MustDefault(), answer(tt.status, tt.body)), tt.kind)
		})
	}
}

func checkKind(t *testing.T, err error, kind string) {
	t.Helper()
	var f *values.Failure
	switch {
	case kind == "" && err != nil:
		t.Errorf("want no failure, got %v", err)
	case kind != "" && (!errors.As(err, &f) || f.Kind != kind):
		t.Errorf("want a failure of kind %q, got %v", kind, err)
	}
}

func TestSentAsDocumented(t *testing.T) {
	c := contract.MustDefault()
	p := arm.Params{SubscriptionID: "s", ResourceGroup: "a/b", Workspace: "..", APIVersion: "v 1"}
	const good = "/subscriptions/s/resourceGroups/a%2Fb/providers/Microsoft.Quantum/workspaces/%2E%2E/listKeys?api-version=v+1"
	for _, tt := range []struct{ name, uri, kind string }{
		{"the template filled in", good, ""},
		{"a decoded slash", strings.Replace(good, "a%2Fb", "a/b", 1), "a path of another shape"},
		{"a dot segment", strings.Replace(good, "%2E%2E", "..", 1), "a dot segment"},
		{"a literal changed", strings.Replace(good, "Microsoft.Quantum", "microsoft.quantum", 1), "a literal segment changed"},
		{"another value", strings.Replace(good, "/s/", "/t/", 1), "a segment that is not its value"},
		{"a second query parameter", good + "&x=1", "a query other than api-version alone"},
		{"api-version twice", good + "&api-version=v+1", "a query other than api-version alone"},
		{"no query", strings.Split(good, "?")[0], "a query other than api-version alone"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			checkKind(t, values.SentAsDocumented(c, tt.uri, p), tt.kind)
		})
	}
}

func TestErrorCode(t *testing.T) {
	if got := contract.ErrorCode([]byte(invalidGroup)); got != "InvalidResourceGroup" {
		t.Errorf("ErrorCode = %q", got)
	}
	if got := contract.ErrorCode([]byte(`not json`)); got != "" {
		t.Errorf("ErrorCode of a non-JSON body = %q", got)
	}
}

func TestEveryGeneratedValueArrivesAsDocumented(t *testing.T) {
	l := values.NewLoopback()
	defer l.Close()
	prop, err := l.ArrivesAsDocumented(context.Background(), contract.MustDefault())
	if err != nil {
		t.Fatal(err)
	}
	g := values.NewGenerator(rules(t), base, 9)
	cases, err := g.Invalid(90)
	if err != nil {
		t.Fatal(err)
	}
	if cx := values.Falsify(cases, prop, 50); cx != nil {
		t.Error(cx)
	}
}
