package suite_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/scenarios"
	"github.com/listkeys-conformance/listkeys-conformance/internal/traffic"
)

// The suite proves its own detection power: for every check a recording can show, a mutant of a committed
// cassette (a temp copy) breaks that rule and nothing else, and the judgement of the copy reports exactly
// that check failing. A check with no row below, or whose rows are not caught, fails the test by name: a new
// check is one new row.
//
// Response-side checks are judged as the suites judge a scenario (its replay through go-vcr, in process, and
// contract.Judge with the scenario's expectation). Request-side checks and response.status, which a scenario's
// expectation supersedes, are judged as `validate --recording` judges the file.

// judgement says which consumer judges a mutant.
type judgement int

const (
	replay    judgement = iota // the scenario replayed from the copy, as the suites judge it
	recording                  // the copy read as a recording, as validate --recording judges it
)

type mutant struct {
	check    contract.ID
	cassette string // the committed cassette (a scenario's name)
	what     string
	by       judgement
	edit     func(*cassette.Interaction)
}

// clientRun is why no recording shows a client check.
const clientRun = "a client check judges a run of a client (exit code, output, the series of requests), which no recording holds; proved by internal/clientrun's fixture clients"

// unobservable are the checks no single recording can show, each with the reason. Schema checks whose
// keywords no response definition uses are left out by contract.ResponsesCanViolate, not here.
var unobservable = map[contract.ID]string{
	contract.ClientRetry:       "needs the timing of a series of requests from one client, which serve observes",
	contract.ClientRequests:    clientRun,
	contract.ClientCalls:       clientRun,
	contract.ClientExitSuccess: clientRun,
	contract.ClientExitRefusal: clientRun,
	contract.ClientErrorCode:   clientRun,
	contract.ClientTransient:   clientRun,
	contract.ClientBounded:     clientRun,
	contract.ClientNoRetry4xx:  clientRun,
	contract.ClientNoToken:     clientRun,
	contract.ClientNoKey:       clientRun,
	contract.ClientShapes:      clientRun,
	contract.RequestReadable:   "a recording holds a request that was read whole; serve sees the ones that cannot be (internal/server's hostile-input tests)",
}

const (
	realKey   = "c2VjcmV0LWtleS1vbmU"
	otherKey  = "c2VjcmV0LWtleS10d28"
	okConnFmt = "SubscriptionId=00000000-1111-2222-3333-444444444444;ResourceGroupName=quantumResourcegroup;WorkspaceName=%s;ApiKey=%s;QuantumEndpoint=https://westcentralus.quantum.azure.com/;"
)

func body(b string) func(*cassette.Interaction) {
	return func(i *cassette.Interaction) { i.Response.Body = b }
}

// inBody replaces one piece of the recorded response body.
func inBody(old, new string) func(*cassette.Interaction) {
	return func(i *cassette.Interaction) {
		if !strings.Contains(i.Response.Body, old) {
			panic(fmt.Sprintf("the recorded body has no %q", old))
		}
		i.Response.Body = strings.Replace(i.Response.Body, old, new, 1)
	}
}

func member(name, value string) func(*cassette.Interaction) {
	return func(i *cassette.Interaction) {
		i.Response.Body = strings.Replace(i.Response.Body, "{", fmt.Sprintf(`{"%s":%s,`, name, value), 1)
	}
}

func header(name, value string) func(*cassette.Interaction) {
	return func(i *cassette.Interaction) {
		h := http.Header(i.Response.Headers)
		if value == "" {
			h.Del(name)
		} else {
			h.Set(name, value)
		}
	}
}

func requestHeader(name, value string) func(*cassette.Interaction) {
	return func(i *cassette.Interaction) { http.Header(i.Request.Headers).Set(name, value) }
}

func inURL(old, new string) func(*cassette.Interaction) {
	return func(i *cassette.Interaction) {
		if !strings.Contains(i.Request.URL, old) {
			panic(fmt.Sprintf("the recorded URL has no %q", old))
		}
		i.Request.URL = strings.Replace(i.Request.URL, old, new, 1)
	}
}

func status(code int) func(*cassette.Interaction) {
	return func(i *cassette.Interaction) {
		i.Response.Code = code
		i.Response.Status = fmt.Sprintf("%d %s", code, http.StatusText(code))
	}
}

var mutants = []mutant{
	{contract.SchemaType, "ok", `apiKeyEnabled "true", a string`, replay, inBody(`"apiKeyEnabled":true`, `"apiKeyEnabled":"true"`)},
	{contract.SchemaFormat, "ok", `primaryKey.createdAt "yesterday"`, replay, inBody(`"createdAt":"2025-03-04T23:03:39Z"`, `"createdAt":"yesterday"`)},
	{contract.ResponseJSON, "ok", "a body that is not JSON", replay, body("<html>502 Bad Gateway</html>")},
	{contract.BodyJSON, "ok", `data after the body's value ("… x")`, replay, func(i *cassette.Interaction) { i.Response.Body += " x" }},
	{contract.BodyJSON, "ok", "primaryKey.createdAt twice, both valid", replay, inBody(`"createdAt":"2025-03-04T23:03:39Z"`, `"createdAt":"2025-03-04T23:03:39Z","createdAt":"2025-03-04T23:03:39Z"`)},
	{contract.NotErrorResponse, "ok", "a 200 carrying an ErrorResponse", replay, body(`{"error":{"code":"InternalServerError","message":"oops"}}`)},
	{contract.ErrorCodeMsg, "error-no-token", "error.message removed", replay, body(`{"error":{"code":"AuthenticationFailed"}}`)},
	{contract.ErrorNoKey, "error-no-token", "an ApiKey= in the error message", replay, inBody(`header is missing.`, `header is missing. ApiKey=`+realKey+`;`)},
	{contract.Undocumented, "ok", "an undocumented member expiresAt", replay, member("expiresAt", `"2030-01-01T00:00:00Z"`)},
	{contract.ConnFormat, "ok", "a primary connection string with 2 parts", replay, func(i *cassette.Interaction) {
		conn := `"primaryConnectionString":"`
		start := strings.Index(i.Response.Body, conn) + len(conn)
		end := start + strings.Index(i.Response.Body[start:], `"`)
		i.Response.Body = i.Response.Body[:start] + "SubscriptionId=00000000-1111-2222-3333-444444444444;ApiKey=" + realKey + ";" + i.Response.Body[end:]
	}},
	{contract.ConnAPIKey, "ok", "primaryKey.key and the ApiKey of the primary connection string differ", replay, func(i *cassette.Interaction) {
		inBody(`"key":"<redacted:listkeys-conformance>"`, `"key":"`+realKey+`"`)(i)
		replaceConn(i, "primaryConnectionString", fmt.Sprintf(okConnFmt, "quantumworkspace1", otherKey))
	}},
	{contract.ConnWorkspace, "ok", "the primary connection string names workspace otherworkspace", replay, func(i *cassette.Interaction) {
		replaceConn(i, "primaryConnectionString", fmt.Sprintf(okConnFmt, "otherworkspace", realKey))
	}},
	{contract.KeysWhenEnabled, "ok", "primaryKey.key removed, its connection string empty", replay, func(i *cassette.Interaction) {
		inBody(`,"key":"<redacted:listkeys-conformance>"`, ``)(i)
		replaceConn(i, "primaryConnectionString", "")
	}},
	{contract.KeysDistinct, "ok", "the same key twice", replay, func(i *cassette.Interaction) {
		i.Response.Body = strings.ReplaceAll(i.Response.Body, `"key":"<redacted:listkeys-conformance>"`, `"key":"`+realKey+`"`)
	}},
	{contract.KeysInPast, "ok", "primaryKey.createdAt in 2999", replay, inBody(`"createdAt":"2025-03-04T23:03:39Z"`, `"createdAt":"2999-01-01T00:00:00Z"`)},
	{contract.ScenarioStatus, "error-no-token", "status 403 instead of 401", replay, status(403)},
	{contract.ScenarioCode, "error-no-token", "error.code InvalidAuthenticationToken", replay, inBody(`"code":"AuthenticationFailed"`, `"code":"InvalidAuthenticationToken"`)},
	{contract.ContentType, "ok", "Content-Type text/plain", replay, header("Content-Type", "text/plain")},
	{contract.RequestIDs, "ok", "x-ms-request-id removed", replay, header("X-Ms-Request-Id", "")},
	{contract.NoCache, "ok", "Cache-Control removed", replay, header("Cache-Control", "")},
	{contract.WWWAuthenticate, "error-no-token", "WWW-Authenticate removed", replay, header("Www-Authenticate", "")},
	{contract.WWWAuthenticate, "error-invalid-token", "a Basic challenge", replay, header("Www-Authenticate", `Basic realm="arm"`)},
	{contract.RetryAfter, "error-throttled", "Retry-After removed", replay, header("Retry-After", "")},
	{contract.RetryAfter, "error-throttled", `Retry-After "soon"`, replay, header("Retry-After", "soon")},
	{contract.ResponseStatus, "error-internal", "status 302", recording, status(302)},
	{contract.RequestMethod, "ok", "GET", recording, func(i *cassette.Interaction) { i.Request.Method = "GET" }},
	{contract.RequestPath, "ok", "resourcegroupz instead of resourceGroups", recording, inURL("/resourceGroups/", "/resourcegroupz/")},
	{contract.RequestPathSafe, "ok", "resource group %2E%2E (a dot segment, which the pattern admits), named so in the body too", recording, renameGroup("%2E%2E", "..")},
	{contract.RequestParam, "ok", "a 91-character resource group, named so in the body too", recording, renameGroup(strings.Repeat("g", 91), strings.Repeat("g", 91))},
	{contract.RequestVersion, "ok", "api-version 2023-11-13-preview", recording, inURL("api-version=2025-12-15-preview", "api-version=2023-11-13-preview")},
	{contract.RequestAuth, "ok", "Authorization: Basic", recording, requestHeader("Authorization", "Basic dXNlcg==")},
	{contract.RequestBody, "ok", "a request body {}", recording, func(i *cassette.Interaction) { i.Request.Body = "{}" }},
	{contract.RequestAccept, "ok", "Accept: application/xml", recording, requestHeader("Accept", "application/xml")},
	{contract.UnsanitizedSecret, "ok", "an unredacted 86-character key", recording, inBody(`"key":"<redacted:listkeys-conformance>"`, `"key":"`+strings.Repeat("k", 76)+"AZQU"+"kkkkkk"+`"`)},
	{contract.RegenerateBody, scenarios.RotationCassette, `regenerateKey body {"keys":"Primary"}, not a list`, recording, func(i *cassette.Interaction) { i.Request.Body = `{"keys":"Primary"}` }},
	{contract.RegenerateKeysNamed, scenarios.RotationCassette, `regenerateKey body {"keys":[]}, naming no key`, recording, func(i *cassette.Interaction) { i.Request.Body = `{"keys":[]}` }},
	{contract.RegenerateNoContent, scenarios.RotationCassette, "a body in the 204 to regenerateKey", recording, body(`{"done":true}`)},
	{contract.RequestClientID, "ok", `x-ms-client-request-id "abc"`, recording, requestHeader("X-Ms-Client-Request-Id", "abc")},
}

// renameGroup names another resource group in the request URL (escaped) and in the connection strings
// (as the service would name it), so that only the request-side rule about the name breaks.
func renameGroup(escaped, name string) func(*cassette.Interaction) {
	return func(i *cassette.Interaction) {
		inURL("/quantumResourcegroup/", "/"+escaped+"/")(i)
		i.Response.Body = strings.ReplaceAll(i.Response.Body, "ResourceGroupName=quantumResourcegroup;", "ResourceGroupName="+name+";")
	}
}

func replaceConn(i *cassette.Interaction, name, value string) {
	conn := `"` + name + `":"`
	start := strings.Index(i.Response.Body, conn) + len(conn)
	end := start + strings.Index(i.Response.Body[start:], `"`)
	i.Response.Body = i.Response.Body[:start] + value + i.Response.Body[end:]
}

func committedDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "cassettes", contract.MustDefault().Operation.APIVersion))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func scenarioNamed(t *testing.T, name string) scenarios.Scenario {
	t.Helper()
	for _, s := range scenarios.All() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no scenario %s in the catalogue", name)
	return scenarios.Scenario{}
}

// copyCassette writes the committed cassette, edited, into dir and returns the copy's path. A mutant edits
// the one call of a scenario's cassette, or the first regenerateKey call of the rotation profile's.
func copyCassette(t *testing.T, name, dir string, edit func(*cassette.Interaction)) string {
	t.Helper()
	c, err := cassette.Load(filepath.Join(committedDir(t), name))
	if err != nil {
		t.Fatalf("committed cassette %s: %v", name, err)
	}
	target := -1
	switch {
	case len(c.Interactions) == 1:
		target = 0
	case name == scenarios.RotationCassette:
		target = slices.IndexFunc(c.Interactions, func(i *cassette.Interaction) bool { return strings.Contains(i.Request.URL, "/regenerateKey?") })
	}
	if target < 0 {
		t.Fatalf("cassette %s has %d interactions and none the mutants edit", name, len(c.Interactions))
	}
	if edit != nil {
		edit(c.Interactions[target])
	}
	c.Name = filepath.Join(dir, name)
	c.File = c.Name + ".yaml"
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
	return c.File
}

// judge is the failed checks of a cassette copy in dir, as the consumer judges it.
func judge(t *testing.T, by judgement, name, dir, file string) []contract.ID {
	t.Helper()
	c := contract.MustDefault()
	if by == recording {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := traffic.Read(file, data)
		if err != nil {
			t.Fatal(err)
		}
		res, err := traffic.Judge(c, rec)
		if err != nil {
			t.Fatal(err)
		}
		var failed []contract.ID
		for _, v := range res.Verdicts {
			failed = append(failed, v.Report.Failed()...)
		}
		for _, f := range res.Findings {
			failed = append(failed, contract.ID(f.Check))
		}
		slices.Sort(failed)
		return slices.Compact(failed)
	}
	env := map[string]string{"LISTKEYS_MODE": "replay", "LISTKEYS_CASSETTES": dir}
	r, err := scenarios.FromEnvironment(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	res, err := r.Run(context.Background(), scenarioNamed(t, name))
	if err != nil {
		t.Fatalf("replaying %s: %v", file, err)
	}
	return res.Report.Failed()
}

func TestEveryCheckHasACaughtMutant(t *testing.T) {
	c := contract.MustDefault()
	// The unmutated copies must be clean, so that a mutant's failures are its own.
	baseline := map[string]bool{}
	for _, m := range mutants {
		key := fmt.Sprintf("%s/%d", m.cassette, m.by)
		if baseline[key] {
			continue
		}
		baseline[key] = true
		dir := t.TempDir()
		if failed := judge(t, m.by, m.cassette, dir, copyCassette(t, m.cassette, dir, nil)); len(failed) > 0 {
			t.Fatalf("the committed cassette %s already fails %v: a mutant of it proves nothing", m.cassette, failed)
		}
	}
	caught := map[contract.ID]bool{}
	var table strings.Builder
	fmt.Fprintf(&table, "%-28s %-22s %-9s %-6s %s\n", "check", "cassette", "judged", "caught", "mutant")
	for _, m := range mutants {
		dir := t.TempDir()
		failed := judge(t, m.by, m.cassette, dir, copyCassette(t, m.cassette, dir, m.edit))
		ok := slices.Equal(failed, []contract.ID{m.check})
		by := map[judgement]string{replay: "replay", recording: "recording"}[m.by]
		fmt.Fprintf(&table, "%-28s %-22s %-9s %-6v %s\n", m.check, m.cassette, by, ok, m.what)
		if ok {
			caught[m.check] = true
		} else {
			t.Errorf("mutant %q of %s (%s) must fail exactly %s; it fails %v", m.what, m.cassette, by, m.check, failed)
		}
	}
	t.Logf("mutation table:\n%s", table.String())
	for _, check := range contract.Checks() {
		switch {
		case unobservable[check.ID] != "":
			t.Logf("%s: no mutant: %s", check.ID, unobservable[check.ID])
		case !c.ResponsesCanViolate(check.ID):
			t.Logf("%s: no mutant: no response definition of this contract uses its keywords", check.ID)
		case !slices.ContainsFunc(mutants, func(m mutant) bool { return m.check == check.ID }):
			t.Errorf("check %s has no mutant: add a row to mutants that breaks it and nothing else", check.ID)
		case !caught[check.ID]:
			t.Errorf("check %s: no mutant of it was caught", check.ID)
		}
	}
}
