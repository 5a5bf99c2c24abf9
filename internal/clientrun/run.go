package clientrun

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// DefaultTimeout bounds one run of the client.
const DefaultTimeout = 60 * time.Second

// MaxOutput is how much of each of stdout and stderr a run keeps; the rest is counted, not held.
const MaxOutput = 1 << 20

// killGrace is how long a killed client's process group may keep the output pipes open.
const killGrace = 2 * time.Second

// Placeholders are what a command line may name; each is replaced by the scenario's value.
var Placeholders = []string{"{url}", "{endpoint}", "{subscription}", "{resourceGroup}", "{workspace}", "{apiVersion}", "{token}"}

// Options configure a series of runs.
type Options struct {
	// Command is the program and its arguments, with Placeholders.
	Command []string
	// Scenarios are the names to play, in catalogue order; empty means all.
	Scenarios []string
	// Timeout bounds each run; 0 means DefaultTimeout.
	Timeout time.Duration
	// APIVersion is {apiVersion}; "" means the contract's default.
	APIVersion string
	// Env is the environment the client starts from (the CA and LISTKEYS_* variables are added); nil means
	// this process's.
	Env []string
	// Dir is the client's working directory; "" means this process's.
	Dir string
}

// Result is a series of runs: one per scenario asked for.
type Result struct {
	Command    []string // as given, placeholders unexpanded
	APIVersion string
	Endpoint   string
	Started    time.Time
	Duration   time.Duration
	Timeout    time.Duration
	Runs       []Run
}

// Run is what the client did in one scenario.
type Run struct {
	Scenario server.Scenario
	// Skipped says why the scenario was not played: it is reached by a request a client chooses (no token,
	// another method), not by the arguments a client is given.
	Skipped string
	Params  arm.Params
	Token   string
	Args    []string // expanded, token included: never reported as is (see MaskedArgs)
	// ExitCode is the client's exit status; -1 when it could not start or was killed.
	ExitCode       int
	StartError     string // why the command could not start
	TimedOut       bool   // killed (its process group) at the timeout
	Stdout, Stderr []byte // the first MaxOutput bytes of each
	OutputCut      bool   // there was more
	Duration       time.Duration
	// Requests are the server's entries for this run, in arrival order; AcceptEncoding what each asked for.
	Requests       []server.Entry
	AcceptEncoding []string
}

// MaskedArgs is the run's command line with the token masked.
func (r Run) MaskedArgs() []string { return mask(r.Args, r.Token) }

func mask(args []string, token string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if token != "" {
			a = strings.ReplaceAll(a, token, "***")
		}
		out[i] = a
	}
	return out
}

// plan is how a scenario is played through the arguments a client is given.
type plan struct {
	params arm.Params
	token  string
}

// Unknown names the scenarios use where the catalogue says "any other".
const (
	unknownWorkspace     = "nosuchworkspace"
	unknownResourceGroup = "nosuchgroup"
	unknownSubscription  = "99999999-8888-7777-6666-555555555555"
	unknownToken         = "not-a-known-token"
	unsupportedVersion   = "2020-01-01"
)

// planFor is how scenario b is played, or why it cannot be by a client given a URL and a token.
func planFor(b catalogue.Behaviour, apiVersion string) (plan, string) {
	p := plan{params: arm.Params{SubscriptionID: examples.SubscriptionID, ResourceGroup: examples.ResourceGroup,
		Workspace: catalogue.DefaultWorkspace, APIVersion: apiVersion}, token: catalogue.ValidToken}
	switch b.Name {
	case "rotation", "regenerate-no-body":
		return p, "another operation (Workspaces_RegenerateKeys)"
	case "unknown-workspace":
		p.params.Workspace = unknownWorkspace
	case "unknown-resource-group":
		p.params.ResourceGroup = unknownResourceGroup
	case "unknown-subscription":
		p.params.SubscriptionID = unknownSubscription
	case "unsupported-api-version":
		p.params.APIVersion = unsupportedVersion
	case "invalid-token":
		p.token = unknownToken
	case "expired-token":
		p.token = catalogue.ExpiredToken
	case "wrong-audience-token":
		p.token = catalogue.WrongAudienceToken
	case "no-permission":
		p.token = catalogue.NoPermissionToken
	default:
		if b.Workspace == "" {
			return p, "reached only by a request the client makes up itself, not by the arguments it is given"
		}
		p.params.Workspace = b.Workspace
	}
	return p, ""
}

// ScenarioNames are the scenarios a client can be run through, in catalogue order.
func ScenarioNames() []string {
	var out []string
	for _, s := range server.Scenarios() {
		out = append(out, s.Name)
	}
	return out
}

// CheckScenarios says which of names is no scenario of the catalogue.
func CheckScenarios(names []string) error {
	all := ScenarioNames()
	for _, name := range names {
		if !slices.Contains(all, name) {
			return fmt.Errorf("unknown scenario %q (the scenarios: %s)", name, strings.Join(all, ", "))
		}
	}
	return nil
}

// Execute runs the client once per scenario. An error means the runs could not take place (no port, no CA,
// an unknown scenario); what the client did wrong is in the runs.
func Execute(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Command) == 0 {
		return nil, errors.New("no command to run")
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.APIVersion == "" {
		opts.APIVersion = schemas.DefaultAPIVersion
	}
	if opts.Env == nil {
		opts.Env = os.Environ()
	}
	behaviours := map[string]catalogue.Behaviour{}
	for _, b := range catalogue.Behaviours() {
		behaviours[b.Name] = b
	}
	if err := CheckScenarios(opts.Scenarios); err != nil {
		return nil, err
	}
	var chosen []server.Scenario
	want := map[string]bool{}
	for _, name := range opts.Scenarios {
		want[name] = true
	}
	for _, s := range server.Scenarios() {
		if len(want) == 0 || want[s.Name] {
			chosen = append(chosen, s)
		}
	}

	tlsCfg, caPEM, err := server.SelfSignedTLS(nil, 24*time.Hour)
	if err != nil {
		return nil, fmt.Errorf("a fresh CA: %w", err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(caPEM) {
		return nil, errors.New("the fresh CA is not PEM")
	}
	dir, err := os.MkdirTemp("", "listkeys-client-")
	if err != nil {
		return nil, fmt.Errorf("a folder for the CA: %w", err)
	}
	defer os.RemoveAll(dir)
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o644); err != nil {
		return nil, fmt.Errorf("the CA file: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("a loopback port: %w", err)
	}
	f := &front{}
	hs := &http.Server{Handler: f, TLSConfig: tlsCfg, ReadHeaderTimeout: 10 * time.Second, ErrorLog: quietLog()}
	go hs.ServeTLS(l, "", "")
	defer hs.Close()

	res := &Result{Command: opts.Command, APIVersion: opts.APIVersion, Endpoint: "https://" + l.Addr().String(),
		Started: time.Now().UTC(), Timeout: opts.Timeout}
	for _, s := range chosen {
		run, err := playOne(ctx, opts, f, res.Endpoint, caFile, s, behaviours[s.Name])
		if err != nil {
			return nil, err
		}
		res.Runs = append(res.Runs, run)
	}
	res.Duration = time.Since(res.Started)
	return res, nil
}

// front passes each request to the current scenario's server and notes what the client accepts, which the
// server's report does not keep (whether an answer is gzipped is the client's choice).
type front struct {
	current atomic.Pointer[server.Server]
	mu      sync.Mutex
	accept  []string
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := f.current.Load()
	if s == nil {
		http.Error(w, "no scenario is playing", http.StatusServiceUnavailable)
		return
	}
	f.mu.Lock()
	f.accept = append(f.accept, r.Header.Get("Accept-Encoding"))
	f.mu.Unlock()
	s.ServeHTTP(w, r)
}

func (f *front) start(s *server.Server) {
	f.mu.Lock()
	f.accept = nil
	f.mu.Unlock()
	f.current.Store(s)
}

func (f *front) stop() []string {
	f.current.Store(nil)
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.accept
}

func playOne(ctx context.Context, opts Options, f *front, endpoint, caFile string, s server.Scenario, b catalogue.Behaviour) (Run, error) {
	p, skip := planFor(b, opts.APIVersion)
	run := Run{Scenario: s, Params: p.params, Token: p.token, Skipped: skip, ExitCode: -1}
	if skip != "" {
		return run, nil
	}
	u, err := arm.URL(endpoint, p.params)
	if err != nil {
		return run, fmt.Errorf("scenario %s: the listKeys URL: %w", s.Name, err)
	}
	expand := strings.NewReplacer("{url}", u, "{endpoint}", endpoint, "{subscription}", p.params.SubscriptionID,
		"{resourceGroup}", p.params.ResourceGroup, "{workspace}", p.params.Workspace, "{apiVersion}", p.params.APIVersion, "{token}", p.token)
	for _, a := range opts.Command {
		run.Args = append(run.Args, expand.Replace(a))
	}
	srv, err := server.New(server.Config{})
	if err != nil {
		return run, fmt.Errorf("the conformance server: %w", err)
	}
	env := append(append([]string(nil), opts.Env...),
		"SSL_CERT_FILE="+caFile, "REQUESTS_CA_BUNDLE="+caFile, "NODE_EXTRA_CA_CERTS="+caFile, "CURL_CA_BUNDLE="+caFile,
		"LISTKEYS_ENDPOINT="+endpoint, "LISTKEYS_TOKEN="+p.token)
	env = append(env, loopbackNoProxy(opts.Env)...)
	f.start(srv)
	execute(ctx, &run, env, opts.Dir, opts.Timeout)
	run.AcceptEncoding = f.stop()
	run.Requests = srv.Report().Requests
	return run, nil
}

// execute runs the client in its own process group, killed whole at the timeout.
func execute(ctx context.Context, run *Run, env []string, dir string, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, run.Args[0], run.Args[1:]...)
	cmd.Env, cmd.Dir, cmd.Stdin = env, dir, nil
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = killGrace
	stdout, stderr := &capped{}, &capped{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	started := time.Now()
	err := cmd.Run()
	run.Duration = time.Since(started)
	run.Stdout, run.Stderr, run.OutputCut = stdout.buf.Bytes(), stderr.buf.Bytes(), stdout.cut || stderr.cut
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil && cmd.ProcessState != nil:
		run.TimedOut = true
		if cmd.Process != nil {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // what outlived the group leader
		}
	case err == nil:
		run.ExitCode = 0
	case errors.As(err, &exit):
		run.ExitCode = exit.ExitCode()
	case cmd.ProcessState == nil:
		run.StartError = err.Error()
	default:
		run.ExitCode = cmd.ProcessState.ExitCode()
	}
}

// capped keeps the first MaxOutput bytes written to it.
type capped struct {
	buf bytes.Buffer
	cut bool
}

func (c *capped) Write(p []byte) (int, error) {
	room := MaxOutput - c.buf.Len()
	if len(p) > room {
		c.cut = true
		c.buf.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return c.buf.Write(p)
}

// quietLog drops the HTTP server's own errors (a client that hangs up mid-handshake): what the client did
// is judged from its run, not from the server's log.
func quietLog() *log.Logger { return log.New(io.Discard, "", 0) }

// Played are the scenarios a client is run through (the others are listed as skipped), in catalogue order.
func Played() []string {
	var out []string
	for _, b := range catalogue.Behaviours() {
		if _, skip := planFor(b, schemas.DefaultAPIVersion); skip == "" {
			out = append(out, b.Name)
		}
	}
	return out
}

// loopbackNoProxy are NO_PROXY and no_proxy with loopback added to what env has, so that a proxy configured
// for the client does not stand between it and the server.
func loopbackNoProxy(env []string) []string {
	var out []string
	for _, name := range []string{"NO_PROXY", "no_proxy"} {
		value := "127.0.0.1,localhost,::1"
		for _, kv := range env {
			if v, ok := strings.CutPrefix(kv, name+"="); ok && v != "" {
				value = v + "," + value
			}
		}
		out = append(out, name+"="+value)
	}
	return out
}
