package clientrun_test

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/clientrun"
	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
)

func needCurl(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl not found: install the Debian package curl (.ci/install does)")
	}
}

func execute(t *testing.T, opts clientrun.Options) *clientrun.Result {
	t.Helper()
	res, err := clientrun.Execute(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func fixture(mode string) []string {
	return []string{"sh", "testdata/client.sh", mode, "{url}", "{token}"}
}

// The bad client is reported with exactly its three faults, each in exactly the scenarios that show it; every
// other check passes. This proves each of those checks by a client that breaks it.
func TestBadClientGetsExactlyItsFindings(t *testing.T) {
	needCurl(t)
	res := execute(t, clientrun.Options{Command: fixture("bad")})
	var played []string
	for _, r := range res.Runs {
		if r.Skipped == "" {
			played = append(played, r.Scenario.Name)
		}
	}
	want := badFindings(played)
	got := res.Failed()
	for id := range maps.Keys(want) {
		slices.Sort(want[id])
		slices.Sort(got[id])
	}
	if !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("findings:\n got %v\nwant %v", got, want)
	}
	rep := res.Report(report.Tool{Name: "test"})
	js, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "emulator-token") {
		t.Error("the report holds the bearer token")
	}
	if rep.Conformant() {
		t.Error("the bad client's report says conformant")
	}
}

// The good client passes every check of every scenario it is run through.
func TestGoodClientPasses(t *testing.T) {
	needCurl(t)
	res := execute(t, clientrun.Options{Command: fixture("good")})
	if f := res.Failed(); len(f) > 0 {
		for _, r := range res.Runs {
			t.Logf("%s: %s\n%s%s", r.Scenario.Name, r.Did(), r.Stdout, r.Stderr)
		}
		t.Fatalf("findings: %v", f)
	}
	for name, outcome := range map[string]string{"throttled-once": "retried and succeeded", "transient-503": "retried and succeeded"} {
		if r, _ := res.Run(name); r.Outcome() != outcome {
			t.Errorf("%s: outcome %q, want %q", name, r.Outcome(), outcome)
		}
	}
	rep := res.Report(report.Tool{Name: "test"})
	if !rep.Conformant() || rep.Summary.States[report.Pass] == 0 {
		t.Errorf("report: %+v", rep.Summary)
	}
	for _, f := range []func() ([]byte, error){rep.JSON, rep.HTML, rep.JUnit} {
		if _, err := f(); err != nil {
			t.Error(err)
		}
	}
}

const curl = `curl -q -s -S --noproxy '*' -X POST -H "Authorization: Bearer $TOKEN" `

// faults are clients that each break one check (two where one fault breaks both) and nothing else.
var faults = []struct {
	check     contract.ID
	scenarios string
	script    string
	also      contract.ID // a second check the same fault breaks
}{
	{contract.ClientCalls, "ok", `exit 0`, ""},
	{contract.ClientRequests, "ok", curl + `-X GET "$URL"`, ""},
	{contract.ClientExitSuccess, "ok", curl + `"$URL"; exit 1`, ""},
	{contract.ClientShapes, "keys-disabled-empty", curl + `"$URL"; exit 3`, ""},
	{contract.ClientShapes, "ok", curl + `--compressed "$URL" >/dev/null; exit 3`, contract.ClientExitSuccess},
	{contract.ClientErrorCode, "no-permission", curl + `"$URL" >/dev/null; exit 1`, ""},
	{contract.ClientNoKey, "no-permission", curl + `"$URL"; echo "ApiKey=abcdefghijklmnop;"; exit 1`, ""},
	{contract.ClientTransient, "transient-503", curl + `"$URL" >/dev/null; exit 0`, ""},
	{contract.ClientBounded, "internal-error", `for i in 1 2 3 4 5 6 7 8 9 10 11; do ` + curl + `"$URL"; done; exit 1`, ""},
	{contract.ClientNoRetry4xx, "unknown-workspace", curl + `"$URL"; ` + curl + `"$URL"; exit 1`, ""},
}

// Each check the bad client does not break, broken by a client of its own.
func TestEachCheckCatchesItsClient(t *testing.T) {
	needCurl(t)
	for _, c := range faults {
		t.Run(string(c.check)+"/"+c.scenarios, func(t *testing.T) {
			res := execute(t, clientrun.Options{Scenarios: []string{c.scenarios},
				Command: []string{"sh", "-c", "URL='{url}' TOKEN='{token}'; " + c.script}})
			got := slices.Sorted(maps.Keys(res.Failed()))
			want := []contract.ID{c.check}
			if c.also != "" {
				want = slices.Sorted(slices.Values(append(want, c.also)))
			}
			if !slices.Equal(got, want) {
				r := res.Runs[0]
				t.Errorf("findings %v, want exactly %v\n%s\n%s%s", got, want, r.Did(), r.Stdout, r.Stderr)
			}
		})
	}
}

// A client that hangs is killed with its process group at the timeout, and the next scenario still runs; a
// command that cannot start is reported, not fatal.
func TestHangingAndMissingClients(t *testing.T) {
	res := execute(t, clientrun.Options{Scenarios: []string{"ok", "no-permission"}, Timeout: 300 * time.Millisecond,
		Command: []string{"sh", "-c", "sleep 30; echo never"}})
	if len(res.Runs) != 2 {
		t.Fatalf("%d runs, want 2", len(res.Runs))
	}
	for _, r := range res.Runs {
		if !r.TimedOut || r.ExitCode != -1 {
			t.Errorf("%s: timed out %v, exit %d", r.Scenario.Name, r.TimedOut, r.ExitCode)
		}
		if r.Duration > 10*time.Second {
			t.Errorf("%s: the run took %s: the process group was not killed", r.Scenario.Name, r.Duration)
		}
	}
	if f := res.Failed(); len(f[contract.ClientCalls]) != 2 {
		t.Errorf("findings %v, want client.calls in both", f)
	}

	res = execute(t, clientrun.Options{Scenarios: []string{"ok"}, Command: []string{"/nonexistent/client"}})
	if r := res.Runs[0]; r.StartError == "" || !strings.Contains(r.Verdicts()[0].Message, "could not start") {
		t.Errorf("start error %q, verdicts %+v", r.StartError, r.Verdicts())
	}
	if _, err := clientrun.Execute(context.Background(), clientrun.Options{Command: []string{"true"}, Scenarios: []string{"nosuch"}}); err == nil ||
		!strings.Contains(err.Error(), `unknown scenario "nosuch"`) {
		t.Errorf("an unknown scenario: %v", err)
	}
}

// The placeholders and the environment reach the client; the token is masked in the report's command line.
func TestPlaceholdersAndEnvironment(t *testing.T) {
	res := execute(t, clientrun.Options{Scenarios: []string{"ok"}, Env: []string{"NO_PROXY=example.invalid", "PATH=" + os.Getenv("PATH")},
		Command: []string{"sh", "-c", `printf '%s\n' "$0" "$1" "$2" "$3" "$4" "$5" "$6" "$SSL_CERT_FILE" "$REQUESTS_CA_BUNDLE" "$NODE_EXTRA_CA_CERTS" "$CURL_CA_BUNDLE" "$LISTKEYS_ENDPOINT" "$LISTKEYS_TOKEN" "$NO_PROXY"`,
			"{url}", "{endpoint}", "{subscription}", "{resourceGroup}", "{workspace}", "{apiVersion}", "{token}"}})
	r := res.Runs[0]
	lines := strings.Split(strings.TrimSpace(string(r.Stdout)), "\n")
	if len(lines) != 14 {
		t.Fatalf("output %q", r.Stdout)
	}
	if !strings.HasPrefix(lines[0], res.Endpoint+"/subscriptions/"+lines[2]+"/resourceGroups/"+lines[3]) || !strings.Contains(lines[0], "api-version="+lines[5]) ||
		lines[1] != res.Endpoint || lines[6] != "emulator-token" || lines[11] != res.Endpoint || lines[12] != lines[6] {
		t.Errorf("expanded: %q", lines)
	}
	if lines[13] != "example.invalid,127.0.0.1,localhost,::1" {
		t.Errorf("NO_PROXY %q: loopback not added to the environment's", lines[13])
	}
	for _, ca := range lines[7:11] {
		if ca == "" || ca != lines[7] {
			t.Errorf("CA variables: %q", lines[7:11])
		}
	}
	js, _ := json.Marshal(res.Report(report.Tool{Name: "test"}).Configuration)
	if strings.Contains(string(js), "emulator-token") || !strings.Contains(string(js), "{token}") {
		t.Errorf("configuration: %s", js)
	}
}

// badFindings are the bad fixture client's faults: its token printed in every scenario played, no wait for
// Retry-After, exit 0 on each 404.
func badFindings(played []string) map[contract.ID][]string {
	return map[contract.ID][]string{
		contract.ClientNoToken:     played,
		contract.ClientRetry:       {"throttled-once", "throttled"},
		contract.ClientExitRefusal: {"unknown-workspace", "unknown-resource-group", "unknown-subscription"},
	}
}

// Every client check of the registry is proven by a fixture client that breaks it.
func TestEveryClientCheckHasAFaultyClient(t *testing.T) {
	proven := map[contract.ID]bool{}
	for id := range badFindings(nil) {
		proven[id] = true
	}
	for _, f := range faults {
		proven[f.check] = true
	}
	for _, c := range contract.Checks() {
		if strings.HasPrefix(string(c.ID), "client.") && !proven[c.ID] {
			t.Errorf("check %s: no fixture client breaks it (add one to faults)", c.ID)
		}
	}
}
