package recording

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/dnaeon/go-vcr.v3/cassette"
	"gopkg.in/dnaeon/go-vcr.v3/recorder"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
)

// ErrNotRecorded is wrapped by the error a replay returns for a request the cassette has no unused
// interaction for.
var ErrNotRecorded = errors.New("request not in the cassette")

// ErrLeak is wrapped by the error Stop returns when a secret would have been written to the cassette.
var ErrLeak = errors.New("a secret would be written to the cassette")

// Options configures Open.
type Options struct {
	// Mode is the run's mode (LISTKEYS_MODE, read by internal/arm).
	Mode arm.Mode
	// Cassette is the cassette's path, with or without ".yaml" (go-vcr always adds it). Live mode needs none.
	Cassette string
	// RealTransport makes the real calls in record and live mode (http.DefaultTransport when nil). Replay never
	// uses it.
	RealTransport http.RoundTripper
	// Contract says which properties are secrets; contract.Default() when nil.
	Contract *contract.Contract
}

// Recorder is one cassette in use. Its transport is safe for concurrent use; Stop is called once, after the
// last request.
type Recorder struct {
	mode arm.Mode
	file string // the cassette file, ".yaml" included
	vcr  *recorder.Recorder

	// record: go-vcr writes to partial+".yaml"; Stop moves it to file once the leak scan passes, so a
	// cassette that failed the scan never sits at its real path (and an older good one stays there).
	partial   string
	sanitizer *sanitizer
	secrets   []secret // every real secret met while sanitizing, for the leak scan

	// replay: the cassette as loaded, and which interactions (by id) have answered. go-vcr keeps its own
	// replayed flags out of reach, so they are mirrored through a BeforeResponseReplayHook.
	mu       sync.Mutex
	recorded []*cassette.Interaction
	replayed map[int]bool

	stopOnce sync.Once
	stopErr  error
}

// partialSuffix names the file a recording is saved to before its leak scan.
const partialSuffix = ".partial"

// Open starts a recorder. In replay mode the cassette must exist.
func Open(opts Options) (*Recorder, error) {
	switch opts.Mode {
	case arm.Replay, arm.Record, arm.Live:
	default:
		return nil, fmt.Errorf("recording: unknown mode %q: valid modes are %q, %q and %q", opts.Mode, arm.Replay, arm.Record, arm.Live)
	}
	name := strings.TrimSuffix(opts.Cassette, ".yaml")
	if name == "" && opts.Mode != arm.Live {
		return nil, fmt.Errorf("recording: %s mode needs a cassette path", opts.Mode)
	}
	r := &Recorder{mode: opts.Mode, replayed: map[int]bool{}}
	if name != "" {
		r.file = name + ".yaml"
	}
	vopts := &recorder.Options{CassetteName: name, RealTransport: opts.RealTransport, SkipRequestLatency: true}
	switch opts.Mode {
	case arm.Replay:
		vopts.Mode = recorder.ModeReplayOnly
		vopts.RealTransport = noNetwork{}
		if err := r.load(name); err != nil {
			return nil, err
		}
	case arm.Record:
		c := opts.Contract
		if c == nil {
			var err error
			if c, err = contract.Default(); err != nil {
				return nil, fmt.Errorf("recording: loading the contract: %w", err)
			}
		}
		r.sanitizer = newSanitizer(c)
		vopts.Mode = recorder.ModeRecordOnly
		r.partial = name + partialSuffix
		vopts.CassetteName = r.partial
	case arm.Live:
		vopts.Mode = recorder.ModePassthrough
	}
	vcr, err := recorder.NewWithOptions(vopts)
	if err != nil {
		return nil, fmt.Errorf("recording: cassette %s: %w", r.file, err)
	}
	vcr.SetMatcher(match)
	switch opts.Mode {
	case arm.Replay:
		vcr.AddHook(r.markReplayed, recorder.BeforeResponseReplayHook)
	case arm.Record:
		// Detaching only, no redaction: what the caller sees must stay real until the cassette is saved. The
		// copy keeps the recording as sent even if the caller edits its request's header map afterwards.
		vcr.AddHook(func(i *cassette.Interaction) error { detach(i); return nil }, recorder.AfterCaptureHook)
		vcr.AddHook(r.beforeSave, recorder.BeforeSaveHook)
	}
	r.vcr = vcr
	return r, nil
}

// load reads the cassette for diagnostics (Unused, the closest interaction on a miss).
func (r *Recorder) load(name string) error {
	if _, err := os.Stat(r.file); err != nil {
		return fmt.Errorf("recording: cassette %s: %w (record it first with LISTKEYS_MODE=record)", r.file, err)
	}
	c, err := cassette.Load(name)
	if err != nil {
		return fmt.Errorf("recording: cassette %s: %w", r.file, err)
	}
	seen := map[int]bool{}
	for _, i := range c.Interactions {
		if seen[i.ID] {
			return fmt.Errorf("recording: cassette %s: interaction id %d appears twice (was it edited by hand? re-record it)", r.file, i.ID)
		}
		seen[i.ID] = true
	}
	r.recorded = c.Interactions
	return nil
}

// File is the cassette's path, ".yaml" included ("" in live mode without a cassette).
func (r *Recorder) File() string { return r.file }

// Mode is the recorder's mode.
func (r *Recorder) Mode() arm.Mode { return r.mode }

// Transport is the recorder as an http.RoundTripper.
func (r *Recorder) Transport() http.RoundTripper { return transport{r} }

// Client is an http.Client on the recorder's transport: what azcore takes as ClientOptions.Transport.
func (r *Recorder) Client() *http.Client { return &http.Client{Transport: r.Transport()} }

type transport struct{ r *Recorder }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.r.vcr.RoundTrip(req)
	if errors.Is(err, cassette.ErrInteractionNotFound) {
		return nil, t.r.missError(req)
	}
	return resp, err
}

// noNetwork stands in for the real transport in replay, so that nothing in go-vcr can reach the network.
type noNetwork struct{}

func (noNetwork) RoundTrip(req *http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("replay mode makes no network calls (%s %s)", req.Method, req.URL.Redacted())
}

func (r *Recorder) markReplayed(i *cassette.Interaction) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replayed[i.ID] = true
	return nil
}

// Unused describes, in file order, the interactions of a replayed cassette that never answered, e.g.
// "POST /subscriptions/.../listKeys?api-version=2025-12-15-preview (#2)", where #2 is the interaction's id in
// the file. It is nil in record and live mode.
//
// Stop does not fail on unused interactions: a spec that failed half-way would get a second, misleading
// error. A caller that wants a cassette used up asserts on Unused.
func (r *Recorder) Unused() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, i := range r.recorded {
		if !r.replayed[i.ID] {
			out = append(out, describeRecorded(i))
		}
	}
	return out
}

// Stop ends the recorder. In record mode it saves the sanitized cassette, then reads it back and scans it
// for secrets; on a hit (the error wraps ErrLeak) nothing is left at the cassette's path, and a cassette
// recorded earlier stays as it was. Later calls return the first call's result.
func (r *Recorder) Stop() error {
	r.stopOnce.Do(func() {
		if r.mode == arm.Record {
			r.stopErr = r.stopRecording()
			return
		}
		if err := r.vcr.Stop(); err != nil {
			r.stopErr = fmt.Errorf("recording: cassette %s: %w", r.file, err)
		}
	})
	return r.stopErr
}

func (r *Recorder) beforeSave(i *cassette.Interaction) error {
	// The latency is never replayed (SkipRequestLatency) and would make every re-recording differ; so would a
	// loopback server's port, which is a new one on every run.
	i.Response.Duration = 0
	normaliseLoopbackHost(i)
	found, err := r.sanitizer.sanitize(i)
	if err != nil {
		return fmt.Errorf("sanitizing interaction #%d: %w", i.ID, err)
	}
	r.secrets = append(r.secrets, found...)
	return nil
}

// normaliseLoopbackHost drops the port of a loopback host (an emulator or a test server on a free port) from
// the recorded request. Replay does not match hosts, so the cassette replays against any endpoint.
func normaliseLoopbackHost(i *cassette.Interaction) {
	host, _, err := net.SplitHostPort(i.Request.Host)
	if err != nil || !isLoopback(host) {
		return
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	i.Request.Host = host
	if u, err := url.Parse(i.Request.URL); err == nil {
		if h, _, err := net.SplitHostPort(u.Host); err == nil && isLoopback(h) {
			u.Host = host
			i.Request.URL = u.String()
		}
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (r *Recorder) stopRecording() (err error) {
	partialFile := r.partial + ".yaml"
	defer func() {
		if err != nil {
			if rmErr := os.Remove(partialFile); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
				err = fmt.Errorf("%w; removing %s failed (%v): delete it by hand", err, partialFile, rmErr)
			}
		}
	}()
	if err := r.vcr.Stop(); err != nil {
		return fmt.Errorf("recording: cassette %s not saved: %w", r.file, err)
	}
	data, err := os.ReadFile(partialFile)
	if err != nil {
		return fmt.Errorf("recording: cassette %s not saved: reading it back: %w", r.file, err)
	}
	saved, err := cassette.Load(r.partial)
	if err != nil {
		return fmt.Errorf("recording: cassette %s not saved: reading it back: %w", r.file, err)
	}
	problems := describeLeaks(findLeaks(r.secrets, data, saved))
	for _, f := range ScanForSecrets(data) {
		problems = append(problems, "something like "+f.Kind+" at line "+strconv.Itoa(f.Line)+" of the file")
	}
	if len(problems) > 0 {
		return fmt.Errorf("recording: cassette %s not saved: %w: %s", r.file, ErrLeak, strings.Join(problems, "; "))
	}
	if err := os.Rename(partialFile, r.file); err != nil {
		return fmt.Errorf("recording: cassette %s not saved: %w", r.file, err)
	}
	return nil
}
