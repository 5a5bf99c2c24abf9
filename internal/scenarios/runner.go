package scenarios

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/google/uuid"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/recording"
	"github.com/listkeys-conformance/listkeys-conformance/internal/traffic"
)

// Variables the runner reads besides arm.LoadConfig's.
const (
	// EnvBearerToken is a ready-made bearer token used instead of DefaultAzureCredential: for an emulator or a
	// conformance server, or a token from `az account get-access-token`. It is a secret and never echoed.
	EnvBearerToken = "LISTKEYS_BEARER_TOKEN"
	// EnvEmulator says the endpoint is this project's emulator (or `serve`), so the scenarios real ARM cannot
	// be made to produce run too.
	EnvEmulator = "LISTKEYS_EMULATOR"
)

// Runner performs scenarios in the configured mode: replay from the cassettes, record (live, then write
// sanitized cassettes) or live.
type Runner struct {
	Config   arm.Config
	Target   Target
	Emulator bool
	// Committed is the folder of the repository's cassettes (cassettes/<api-version>/), which a record or
	// live answer is compared with for drift, whatever folder the run records into.
	Committed string
	// Rotate allows the rotation profile against real ARM (LISTKEYS_ROTATE=1; see rotation.go).
	Rotate bool

	contract  *contract.Contract
	cred      azcore.TokenCredential
	transport http.RoundTripper
	tokenSet  bool
}

// FromEnvironment reads the configuration once. A missing or invalid variable is one error naming every one.
func FromEnvironment(getenv func(string) string) (*Runner, error) {
	cfg, err := arm.LoadConfig(getenv)
	if err != nil {
		return nil, err
	}
	r := &Runner{Config: cfg, Target: cfg.Params(), Emulator: truthy(getenv(EnvEmulator)), Rotate: truthy(getenv(EnvRotate))}
	if r.contract, err = contract.ForAPIVersion(cfg.APIVersion); err != nil {
		return nil, fmt.Errorf("%s: %w", arm.EnvAPIVersion, err)
	}
	switch token := getenv(EnvBearerToken); {
	case token != "":
		r.cred, r.tokenSet = arm.StaticCredential(token), true
	case cfg.Mode.Network():
		if r.cred, err = arm.DefaultCredential(cfg); err != nil {
			return nil, fmt.Errorf("credential for %s mode: %w (log in with `az login`, or set %s)", cfg.Mode, err, EnvBearerToken)
		}
	default:
		// Replay sends nothing anywhere, and the cassettes hold only redacted tokens.
		r.cred = arm.StaticCredential("replay-mode-token")
	}
	if !cfg.Mode.Network() {
		r.Target = withDocumentedDefaults(r.Target)
	}
	r.Config.Cassettes = fromModuleRoot(cfg.Cassettes)
	r.Committed = fromModuleRoot(filepath.Join("cassettes", cfg.APIVersion))
	return r, nil
}

// fromModuleRoot resolves a relative folder against the module root (the folder with go.mod above the working
// directory): each Ginkgo suite runs in its own folder, but "cassettes/..." means the repository's.
func fromModuleRoot(path string) string {
	if filepath.IsAbs(path) {
		return path
	}
	dir, err := os.Getwd()
	if err != nil {
		return path
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, path)
		}
		if filepath.Dir(d) == d {
			return path
		}
	}
}

// WithTransport returns a copy of the runner that reaches the network through t (a test's TLS client).
func (r *Runner) WithTransport(t http.RoundTripper) *Runner {
	copy := *r
	copy.transport = t
	return &copy
}

// withDocumentedDefaults fills what replay was not told with the documented example's workspace, which the
// committed cassettes were recorded against (through the emulator).
func withDocumentedDefaults(t Target) Target {
	if t.SubscriptionID == "" {
		t.SubscriptionID = examples.SubscriptionID
	}
	if t.ResourceGroup == "" {
		t.ResourceGroup = examples.ResourceGroup
	}
	if t.Workspace == "" {
		t.Workspace = examples.Workspace
	}
	return t
}

func truthy(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes":
		return true
	}
	return false
}

// Describe is what a run echoes first: the configuration, secrets masked.
func (r *Runner) Describe() string {
	token := "not set (DefaultAzureCredential in record/live)"
	if r.tokenSet {
		token = "set (masked)"
	}
	return fmt.Sprintf("%s\n%s: %s\n%s: %v\ntarget: %s",
		strings.TrimRight(r.Config.Describe(), "\n"), EnvBearerToken, token, EnvEmulator, r.Emulator, r.describeTarget())
}

func (r *Runner) describeTarget() string {
	return fmt.Sprintf("subscription %s, resource group %s, workspace %s, api-version %s",
		arm.Mask(r.Target.SubscriptionID), r.Target.ResourceGroup, r.Target.Workspace, r.Target.APIVersion)
}

// Cassette is the scenario's cassette file.
func (r *Runner) Cassette(s Scenario) string {
	return filepath.Join(r.Config.Cassettes, s.Name+".yaml")
}

// SkipReason says why the scenario cannot run in this configuration, or "" when it can. Skipped is not
// passed: the reason is in the report.
func (r *Runner) SkipReason(s Scenario) string {
	if s.EmulatorOnly == "" {
		return ""
	}
	switch {
	case r.Config.Mode.Network() && !r.Emulator:
		return fmt.Sprintf("against real ARM this scenario %s (set %s=1 when the endpoint is the emulator)", s.EmulatorOnly, EnvEmulator)
	case !r.Config.Mode.Network():
		if _, err := os.Stat(r.Cassette(s)); errors.Is(err, os.ErrNotExist) {
			return fmt.Sprintf("no cassette %s: a recording made against real ARM cannot hold this scenario, which %s", r.Cassette(s), s.EmulatorOnly)
		}
	}
	return ""
}

// fixedRequestID is the option that gives every call of a client one client request id derived from name,
// against the emulator: there every answer follows from the request, so a re-recording is then byte for byte
// the same. Real ARM gets a new id per call, as from any client (no option).
func (r *Runner) fixedRequestID(name string) []arm.Option {
	if !r.Emulator {
		return nil
	}
	return []arm.Option{arm.WithClientRequestID(uuid.NewSHA1(requestIDSpace, []byte(name)).String())}
}

// requestIDSpace is the namespace of the client request ids derived from scenario names.
var requestIDSpace = uuid.MustParse("6c1a3f0e-9b7d-4e52-8a14-2f3c5d6e7f80")

// Result is what a scenario got, and the contract's verdict on it.
type Result struct {
	*arm.Exchange
	// Report judges the answer as the one the scenario calls for (contract.Judge with its Expectation): each
	// check on its own, so that a wrong status hides none of the others.
	Report contract.Report
	// Unused lists recorded interactions the replay did not need: the cassette and the suite have drifted.
	Unused []string
	// NotJudged says why the body could not be judged at all ("" when it was): a sanitizer broke its JSON.
	NotJudged string
	// Drift says, one line per difference, how a record or live answer differs from the committed cassette
	// (status, error.code, body members, header names); empty in replay or when nothing was committed.
	Drift []string
}

// Expectation is what the scenario's row calls for, as the contract judges it.
func (s Scenario) Expectation() *contract.Expectation {
	return &contract.Expectation{Status: s.Expect.Status, Code: s.Expect.Code}
}

// Run performs the scenario: one recorder (its own cassette), one client, one request. An error is the
// harness's (a missing or unreadable cassette, no credential, no network), never the service's: what the
// service answered, however wrong, is in the Result's Report.
func (r *Runner) Run(ctx context.Context, s Scenario) (*Result, error) {
	var committed []byte
	if r.Config.Mode.Network() {
		// The repository's cassette, whatever folder this run records into; read before recording, since a
		// record run may write over the very file.
		committed, _ = os.ReadFile(filepath.Join(r.Committed, s.Name+".yaml"))
	}
	rec, err := recording.Open(recording.Options{
		Mode: r.Config.Mode, Cassette: filepath.Join(r.Config.Cassettes, s.Name),
		RealTransport: r.transport, Contract: r.contract,
	})
	if err != nil {
		return nil, err
	}
	ex, sendErr := r.send(ctx, rec, s)
	stopErr := rec.Stop()
	if err := errors.Join(sendErr, stopErr); err != nil {
		return nil, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	answer := ex.Exchange
	answer.Expect = s.Expectation()
	res := &Result{Exchange: ex, Report: r.contract.Judge(answer), Unused: rec.Unused()}
	// A body a sanitizer broke (a cassette edited by hand, or by another recorder): no verdict at all.
	res.NotJudged = res.Report.NotJudged
	if len(committed) > 0 {
		was, err := traffic.Read(r.Cassette(s), committed)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: the committed cassette to compare with: %w", s.Name, err)
		}
		now := traffic.Recording{Interactions: []traffic.Interaction{{Status: ex.Status, Header: ex.Header, Body: ex.Body}}}
		res.Drift = traffic.Drift(was, now)
	}
	return res, nil
}

func (r *Runner) send(ctx context.Context, rec *recording.Recorder, s Scenario) (*arm.Exchange, error) {
	var opts []arm.Option
	if s.Expect.Status == http.StatusTooManyRequests || s.Expect.Status >= 500 {
		// The answer a client would retry is itself the subject here.
		opts = append(opts, arm.WithRetry(policy.RetryOptions{MaxRetries: -1}))
	}
	opts = append(opts, arm.WithContract(r.contract))
	opts = append(opts, r.fixedRequestID(s.Name)...)
	client, err := arm.NewClient(r.Config, r.cred, rec.Client(), opts...)
	if err != nil {
		return nil, err
	}
	params := s.Params(r.Target)
	build := client.URL
	if s.Unvalidated {
		build = client.UnsafeURL
	}
	u, err := build(params)
	if err != nil {
		return nil, err
	}
	if s.OmitAPIVersion {
		u, _, _ = strings.Cut(u, "?")
	}
	switch s.Auth {
	case NoAuth:
		return client.Probe(ctx, u, arm.NoAuthorization)
	case RawAuth:
		return client.Probe(ctx, u, arm.RawAuthorization(s.Authorization))
	case Token:
		return client.Probe(ctx, u, arm.BearerToken(s.Token))
	}
	return client.Send(ctx, u)
}
