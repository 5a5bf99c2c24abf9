package arm_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"

	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
)

const testSubscription = "00000000-1111-2222-3333-444444444444"

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestLoadConfigDefaults(t *testing.T) {
	cfg, err := arm.LoadConfig(env(nil))
	if err != nil {
		t.Fatalf("replay with nothing set: %v", err)
	}
	want := arm.Config{
		Mode:       arm.Replay,
		APIVersion: "2025-12-15-preview",
		Cloud:      arm.AzurePublic,
		Cassettes:  "cassettes/2025-12-15-preview",
		ReportDir:  "reports",
	}
	if cfg != want {
		t.Errorf("defaults:\n got %+v\nwant %+v", cfg, want)
	}
	if got := cfg.ARMEndpoint(); got != "https://management.azure.com" {
		t.Errorf("default endpoint %q", got)
	}
}

func TestLoadConfigReadsEveryVariable(t *testing.T) {
	cfg, err := arm.LoadConfig(env(map[string]string{
		arm.EnvMode:          "live",
		arm.EnvAPIVersion:    "2023-11-13-preview",
		arm.EnvSubscription:  testSubscription,
		arm.EnvResourceGroup: "my-rg",
		arm.EnvWorkspace:     "ws1",
		arm.EnvCloud:         "AzureChina",
		arm.EnvEndpoint:      "https://127.0.0.1:8443/",
		arm.EnvCassettes:     "/tmp/c",
		arm.EnvReportDir:     "/tmp/r",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := arm.Config{
		Mode: arm.Live, APIVersion: "2023-11-13-preview",
		SubscriptionID: testSubscription, ResourceGroup: "my-rg", Workspace: "ws1",
		Cloud: arm.AzureChina, Endpoint: "https://127.0.0.1:8443", Cassettes: "/tmp/c", ReportDir: "/tmp/r",
	}
	if cfg != want {
		t.Errorf("\n got %+v\nwant %+v", cfg, want)
	}
	if p := cfg.Params(); p != (arm.Params{SubscriptionID: testSubscription, ResourceGroup: "my-rg", Workspace: "ws1", APIVersion: "2023-11-13-preview"}) {
		t.Errorf("Params() = %+v", p)
	}
}

func TestLoadConfigCassettesFollowTheAPIVersion(t *testing.T) {
	cfg, err := arm.LoadConfig(env(map[string]string{arm.EnvAPIVersion: "2023-11-13-preview"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Cassettes != "cassettes/2023-11-13-preview" {
		t.Errorf("Cassettes = %q", cfg.Cassettes)
	}
}

func TestLoadConfigNamesEveryMissingVariableInOneError(t *testing.T) {
	for _, mode := range []string{"record", "live"} {
		t.Run(mode, func(t *testing.T) {
			_, err := arm.LoadConfig(env(map[string]string{arm.EnvMode: mode}))
			var cerr *arm.ConfigError
			if !errors.As(err, &cerr) {
				t.Fatalf("error %v is not a *ConfigError", err)
			}
			want := []string{arm.EnvSubscription, arm.EnvResourceGroup, arm.EnvWorkspace}
			if !slices.Equal(cerr.Variables(), want) {
				t.Errorf("Variables() = %v, want %v", cerr.Variables(), want)
			}
			for _, name := range want {
				if !strings.Contains(err.Error(), name) {
					t.Errorf("the message does not name %s:\n%s", name, err)
				}
			}
			if !strings.Contains(err.Error(), "LISTKEYS_MODE=replay") {
				t.Errorf("the message does not say how to run without a workspace:\n%s", err)
			}
		})
	}
}

func TestLoadConfigNamesInvalidVariablesWithTheAllowedValues(t *testing.T) {
	_, err := arm.LoadConfig(env(map[string]string{
		arm.EnvMode:     "recrod",
		arm.EnvCloud:    "AzureMoon",
		arm.EnvEndpoint: "management.azure.com",
	}))
	var cerr *arm.ConfigError
	if !errors.As(err, &cerr) {
		t.Fatalf("error %v is not a *ConfigError", err)
	}
	if want := []string{arm.EnvMode, arm.EnvCloud, arm.EnvEndpoint}; !slices.Equal(cerr.Variables(), want) {
		t.Errorf("Variables() = %v, want %v", cerr.Variables(), want)
	}
	for _, fragment := range []string{
		`LISTKEYS_MODE="recrod": must be one of replay, record, live`,
		`AZURE_CLOUD="AzureMoon": must be one of AzurePublic, AzureChina, AzureGovernment`,
		`LISTKEYS_ENDPOINT="management.azure.com": must be an absolute http(s) URL`,
	} {
		if !strings.Contains(err.Error(), fragment) {
			t.Errorf("the message lacks %q:\n%s", fragment, err)
		}
	}
}

func TestLoadConfigChecksWorkspaceValuesAgainstTheContract(t *testing.T) {
	_, err := arm.LoadConfig(env(map[string]string{
		arm.EnvMode:          "record",
		arm.EnvSubscription:  "not-a-guid-at-all",
		arm.EnvResourceGroup: "..",
		arm.EnvWorkspace:     "a_b",
	}))
	var cerr *arm.ConfigError
	if !errors.As(err, &cerr) {
		t.Fatalf("error %v is not a *ConfigError", err)
	}
	if want := []string{arm.EnvSubscription, arm.EnvResourceGroup, arm.EnvWorkspace}; !slices.Equal(cerr.Variables(), want) {
		t.Errorf("Variables() = %v, want %v", cerr.Variables(), want)
	}
	msg := err.Error()
	for _, fragment := range []string{
		`AZURE_SUBSCRIPTION_ID="****-all": as subscriptionId, it is not a valid uuid`,
		`LISTKEYS_RESOURCE_GROUP="..": as resourceGroupName, it is a dot segment`,
		`LISTKEYS_WORKSPACE="a_b": as workspaceName, it does not match the pattern`,
	} {
		if !strings.Contains(msg, fragment) {
			t.Errorf("the message lacks %q:\n%s", fragment, msg)
		}
	}
	if strings.Contains(msg, "not-a-guid") {
		t.Errorf("the message shows the subscription unmasked:\n%s", msg)
	}
}

func TestLoadConfigAcceptsEndpoints(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://management.azure.com", "https://management.azure.com"},
		{"https://management.azure.com/", "https://management.azure.com"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"https://[::1]:8443", "https://[::1]:8443"},
	}
	for _, tt := range tests {
		cfg, err := arm.LoadConfig(env(map[string]string{arm.EnvEndpoint: tt.in}))
		if err != nil || cfg.Endpoint != tt.want {
			t.Errorf("%q: Endpoint %q, err %v; want %q", tt.in, cfg.Endpoint, err, tt.want)
		}
	}
	for _, bad := range []string{"management.azure.com", "ftp://host", "https://", "https://host/arm", "https://host?x=1", "https://host#f", "https://user@host", "/relative", "https://host/?"} {
		_, err := arm.LoadConfig(env(map[string]string{arm.EnvEndpoint: bad}))
		var cerr *arm.ConfigError
		if !errors.As(err, &cerr) || !slices.Equal(cerr.Variables(), []string{arm.EnvEndpoint}) {
			t.Errorf("%q: error %v, want one naming %s", bad, err, arm.EnvEndpoint)
		}
	}
}

func TestLoadConfigIsLenientAboutCase(t *testing.T) {
	cfg, err := arm.LoadConfig(env(map[string]string{arm.EnvMode: "Replay", arm.EnvCloud: "azuregovernment"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Mode != arm.Replay || cfg.Cloud != arm.AzureGovernment {
		t.Errorf("Mode %q, Cloud %q", cfg.Mode, cfg.Cloud)
	}
}

func TestDescribeMasksTheSubscription(t *testing.T) {
	cfg, err := arm.LoadConfig(env(map[string]string{
		arm.EnvMode: "record", arm.EnvSubscription: testSubscription, arm.EnvResourceGroup: "rg", arm.EnvWorkspace: "ws",
	}))
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Describe()
	want := strings.Join([]string{
		"LISTKEYS_MODE=record",
		"LISTKEYS_API_VERSION=2025-12-15-preview",
		"AZURE_SUBSCRIPTION_ID=****4444",
		"LISTKEYS_RESOURCE_GROUP=rg",
		"LISTKEYS_WORKSPACE=ws",
		"AZURE_CLOUD=AzurePublic",
		"LISTKEYS_ENDPOINT=https://management.azure.com (AzurePublic's)",
		"LISTKEYS_CASSETTES=cassettes/2025-12-15-preview",
		"LISTKEYS_REPORT_DIR=reports",
	}, "\n")
	if got != want {
		t.Errorf("Describe():\n%s\nwant:\n%s", got, want)
	}
	if strings.Contains(got, "1111") {
		t.Errorf("Describe shows more of the subscription than its last 4 characters:\n%s", got)
	}
}

func TestDescribeShowsUnsetAndOverride(t *testing.T) {
	cfg, err := arm.LoadConfig(env(map[string]string{arm.EnvEndpoint: "https://127.0.0.1:1"}))
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Describe()
	for _, line := range []string{"AZURE_SUBSCRIPTION_ID=(not set)", "LISTKEYS_ENDPOINT=https://127.0.0.1:1 (override)"} {
		if !strings.Contains(got, line) {
			t.Errorf("Describe() lacks %q:\n%s", line, got)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"short", "****"},
		{"elevenchars", "****"},
		{"twelve-chars", "****hars"},
		{testSubscription, "****4444"},
		{"ünïcödé-välüé", "****älüé"},
	}
	for _, tt := range tests {
		if got := arm.Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCloudConfiguration(t *testing.T) {
	tests := []struct {
		cloud, endpoint, audience string
	}{
		{arm.AzurePublic, "https://management.azure.com", "https://management.core.windows.net/"},
		{arm.AzureChina, "https://management.chinacloudapi.cn", "https://management.core.chinacloudapi.cn/"},
		{arm.AzureGovernment, "https://management.usgovcloudapi.net", "https://management.core.usgovcloudapi.net/"},
	}
	for _, tt := range tests {
		t.Run(tt.cloud, func(t *testing.T) {
			cfg, err := arm.LoadConfig(env(map[string]string{arm.EnvCloud: tt.cloud}))
			if err != nil {
				t.Fatal(err)
			}
			conf, err := cfg.CloudConfiguration()
			if err != nil {
				t.Fatal(err)
			}
			rm := conf.Services[cloud.ResourceManager]
			if rm.Endpoint != tt.endpoint || rm.Audience != tt.audience {
				t.Errorf("ResourceManager = %+v, want endpoint %s, audience %s", rm, tt.endpoint, tt.audience)
			}

			cfg.Endpoint = "https://127.0.0.1:9"
			conf, err = cfg.CloudConfiguration()
			if err != nil {
				t.Fatal(err)
			}
			rm = conf.Services[cloud.ResourceManager]
			if rm.Endpoint != "https://127.0.0.1:9" || rm.Audience != tt.audience {
				t.Errorf("with an override, ResourceManager = %+v; want the override and the cloud's audience %s", rm, tt.audience)
			}
		})
	}
	// The override is applied to a copy: the built-ins, shared by every azcore client, are left alone.
	if got := cloud.AzurePublic.Services[cloud.ResourceManager].Endpoint; got != "https://management.azure.com" {
		t.Errorf("cloud.AzurePublic was modified: %s", got)
	}
}
