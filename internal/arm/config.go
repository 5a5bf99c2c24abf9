package arm

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"strings"
	"unicode/utf8"

	// For its side effect: it fills the built-in clouds' ResourceManager entries.
	_ "github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"

	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// The environment variables the README lists under "Modes and configuration" (stable: users script against them).
const (
	EnvMode          = "LISTKEYS_MODE"
	EnvAPIVersion    = "LISTKEYS_API_VERSION"
	EnvSubscription  = "AZURE_SUBSCRIPTION_ID"
	EnvResourceGroup = "LISTKEYS_RESOURCE_GROUP"
	EnvWorkspace     = "LISTKEYS_WORKSPACE"
	EnvCloud         = "AZURE_CLOUD"
	EnvEndpoint      = "LISTKEYS_ENDPOINT"
	EnvCassettes     = "LISTKEYS_CASSETTES"
	EnvReportDir     = "LISTKEYS_REPORT_DIR"
)

// Mode says where answers come from: LISTKEYS_MODE, read here, and the one type the recorder (internal/recording)
// and the scenario runner take too.
type Mode string

const (
	Replay Mode = "replay" // cassettes only
	Record Mode = "record" // live, then write sanitized cassettes
	Live   Mode = "live"   // live, write nothing
)

var modes = []Mode{Replay, Record, Live}

// Network reports whether the mode sends requests to a real endpoint.
func (m Mode) Network() bool { return m == Record || m == Live }

// The clouds AZURE_CLOUD names. The values are azcore's built-ins, which carry ResourceManager because this
// package imports azcore/arm.
const (
	AzurePublic     = "AzurePublic"
	AzureChina      = "AzureChina"
	AzureGovernment = "AzureGovernment"
)

var clouds = []string{AzurePublic, AzureChina, AzureGovernment}

func builtinCloud(name string) (cloud.Configuration, bool) {
	switch name {
	case AzurePublic, "":
		return cloud.AzurePublic, true
	case AzureChina:
		return cloud.AzureChina, true
	case AzureGovernment:
		return cloud.AzureGovernment, true
	}
	return cloud.Configuration{}, false
}

// DefaultReportDir is where reports go unless LISTKEYS_REPORT_DIR says otherwise.
const DefaultReportDir = "reports"

// Config is one run's configuration, read once by LoadConfig. Fields hold the values in effect, defaults
// filled in; Endpoint alone stays "" unless overridden, so Describe can say where the endpoint comes from.
type Config struct {
	Mode       Mode
	APIVersion string
	// The workspace under test; required in record and live mode.
	SubscriptionID, ResourceGroup, Workspace string
	Cloud                                    string // AzurePublic, AzureChina or AzureGovernment
	Endpoint                                 string // LISTKEYS_ENDPOINT: scheme://host[:port], or "" for the cloud's
	Cassettes                                string
	ReportDir                                string
}

// VariableProblem is one environment variable that is missing or unusable.
type VariableProblem struct {
	Variable string
	Value    string // as set, secrets masked; "" when missing
	Missing  bool
	Reason   string
}

// ConfigError lists every problem found in the environment at once, so that one run tells the user all
// there is to fix.
type ConfigError struct {
	Mode     Mode
	Problems []VariableProblem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "configuration (%s=%s) is not usable:", EnvMode, e.Mode)
	for _, p := range e.Problems {
		if p.Missing {
			fmt.Fprintf(&b, "\n  %s is not set: %s", p.Variable, p.Reason)
		} else {
			fmt.Fprintf(&b, "\n  %s=%q: %s", p.Variable, p.Value, p.Reason)
		}
	}
	b.WriteString("\nset them in the environment")
	if e.Mode.Network() {
		b.WriteString(", or run from cassettes with " + EnvMode + "=" + string(Replay))
	}
	return b.String()
}

// Variables names the variables with a problem, in the order they were found.
func (e *ConfigError) Variables() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Variable
	}
	return out
}

// secretVariables are masked wherever a value is echoed.
var secretVariables = map[string]bool{EnvSubscription: true}

// APIVersionUnderTest is the api-version a run tests (LISTKEYS_API_VERSION, else the default), for the suites
// that need it without a whole configuration: the contract suite and the parameter rules.
func APIVersionUnderTest(getenv func(string) string) string {
	if v := strings.TrimSpace(getenv(EnvAPIVersion)); v != "" {
		return v
	}
	return schemas.DefaultAPIVersion
}

// LoadConfig reads the configuration through getenv (os.Getenv in a run, a map in tests). Every problem is
// collected into one *ConfigError. In replay mode nothing is required; values that are set are still checked.
func LoadConfig(getenv func(string) string) (Config, error) {
	get := func(name string) string { return strings.TrimSpace(getenv(name)) }
	var problems []VariableProblem
	invalid := func(name, value, reason string) {
		if secretVariables[name] {
			value = Mask(value)
		}
		problems = append(problems, VariableProblem{Variable: name, Value: value, Reason: reason})
	}

	cfg := Config{
		Mode:           Replay,
		APIVersion:     schemas.DefaultAPIVersion,
		SubscriptionID: get(EnvSubscription),
		ResourceGroup:  get(EnvResourceGroup),
		Workspace:      get(EnvWorkspace),
		Cloud:          AzurePublic,
		Cassettes:      get(EnvCassettes),
		ReportDir:      get(EnvReportDir),
	}
	if v := get(EnvMode); v != "" {
		cfg.Mode = Mode(strings.ToLower(v))
		if !oneOf(cfg.Mode, modes) {
			invalid(EnvMode, v, "must be one of "+join(modes))
		}
	}
	if v := get(EnvAPIVersion); v != "" {
		cfg.APIVersion = v
	}
	if v := get(EnvCloud); v != "" {
		cfg.Cloud = v
		for _, name := range clouds {
			if strings.EqualFold(v, name) {
				cfg.Cloud = name
			}
		}
		if !oneOf(cfg.Cloud, clouds) {
			invalid(EnvCloud, v, "must be one of "+join(clouds))
		}
	}
	if v := get(EnvEndpoint); v != "" {
		endpoint, err := checkEndpoint(v)
		if err != nil {
			invalid(EnvEndpoint, v, err.Error())
		}
		cfg.Endpoint = endpoint
	}
	if cfg.Cassettes == "" {
		cfg.Cassettes = "cassettes/" + cfg.APIVersion
	}
	if cfg.ReportDir == "" {
		cfg.ReportDir = DefaultReportDir
	}

	workspace := []struct{ variable, param, value string }{
		{EnvSubscription, "subscriptionId", cfg.SubscriptionID},
		{EnvResourceGroup, "resourceGroupName", cfg.ResourceGroup},
		{EnvWorkspace, "workspaceName", cfg.Workspace},
	}
	b, err := defaultBuilder()
	if err != nil {
		return cfg, fmt.Errorf("configuration: the contract does not load: %w", err)
	}
	paramErrs := map[string]*ParamError{}
	for _, pe := range b.check(cfg.Params()) {
		paramErrs[pe.Name] = pe
	}
	for _, w := range workspace {
		switch {
		case w.value == "" && cfg.Mode.Network():
			problems = append(problems, VariableProblem{Variable: w.variable, Missing: true,
				Reason: fmt.Sprintf("%s mode needs the workspace under test (%s)", cfg.Mode, w.param)})
		case w.value != "" && paramErrs[w.param] != nil:
			invalid(w.variable, w.value, "as "+w.param+", it "+paramErrs[w.param].Constraint)
		}
	}
	if len(problems) > 0 {
		return cfg, &ConfigError{Mode: cfg.Mode, Problems: problems}
	}
	return cfg, nil
}

func oneOf[T comparable](v T, allowed []T) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func join[T ~string](values []T) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

// errEndpoint is what every unusable endpoint breaks; the request path is appended to the endpoint, so it
// may carry no path, query or fragment of its own.
var errEndpoint = errors.New("must be an absolute http(s) URL with no path, query or fragment, such as https://management.azure.com")

// checkEndpoint returns the endpoint as scheme://host[:port], or errEndpoint.
func checkEndpoint(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", errEndpoint
	}
	return u.Scheme + "://" + u.Host, nil
}

// Params is the workspace under test as configured, with the api-version under test.
func (c Config) Params() Params {
	return Params{SubscriptionID: c.SubscriptionID, ResourceGroup: c.ResourceGroup, Workspace: c.Workspace, APIVersion: c.APIVersion}
}

// CloudConfiguration is the named cloud for azcore and azidentity, with LISTKEYS_ENDPOINT in place of the
// cloud's ARM endpoint. The audience stays the cloud's: a proxy or emulator in front of ARM is still asked
// for tokens issued for ARM.
func (c Config) CloudConfiguration() (cloud.Configuration, error) {
	conf, ok := builtinCloud(c.Cloud)
	if !ok {
		return cloud.Configuration{}, fmt.Errorf("%s %q must be one of %s", EnvCloud, c.Cloud, join(clouds))
	}
	// A copy: the built-ins are package variables shared with every other azcore client in the process.
	conf.Services = maps.Clone(conf.Services)
	rm, ok := conf.Services[cloud.ResourceManager]
	if !ok {
		return cloud.Configuration{}, fmt.Errorf("cloud %s has no ResourceManager entry", c.Cloud)
	}
	if c.Endpoint != "" {
		rm.Endpoint = c.Endpoint
	}
	conf.Services[cloud.ResourceManager] = rm
	return conf, nil
}

// ARMEndpoint is the endpoint requests go to: LISTKEYS_ENDPOINT, else the cloud's.
func (c Config) ARMEndpoint() string {
	conf, err := c.CloudConfiguration()
	if err != nil {
		return c.Endpoint
	}
	return conf.Services[cloud.ResourceManager].Endpoint
}

// Describe is what a run echoes at its start: one NAME=value line per variable, values in effect, secrets
// masked.
func (c Config) Describe() string {
	show := func(name, value string) string {
		switch {
		case value == "":
			value = "(not set)"
		case secretVariables[name]:
			value = Mask(value)
		}
		return name + "=" + value
	}
	endpoint := c.ARMEndpoint() + " (" + c.Cloud + "'s)"
	if c.Endpoint != "" {
		endpoint = c.Endpoint + " (override)"
	}
	return strings.Join([]string{
		show(EnvMode, string(c.Mode)),
		show(EnvAPIVersion, c.APIVersion),
		show(EnvSubscription, c.SubscriptionID),
		show(EnvResourceGroup, c.ResourceGroup),
		show(EnvWorkspace, c.Workspace),
		show(EnvCloud, c.Cloud),
		show(EnvEndpoint, endpoint),
		show(EnvCassettes, c.Cassettes),
		show(EnvReportDir, c.ReportDir),
	}, "\n")
}

// Mask is the one masking rule for anything echoed: the last 4 characters stay, so a reader can tell which
// subscription or token it was; a value shorter than 12 characters is masked whole, since 4 characters of it
// would give too much away.
func Mask(secret string) string {
	if secret == "" {
		return ""
	}
	n := utf8.RuneCountInString(secret)
	if n < 12 {
		return "****"
	}
	return "****" + string([]rune(secret)[n-4:])
}
