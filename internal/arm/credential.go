package arm

import (
	"context"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// DefaultCredential is azidentity's DefaultAzureCredential for cfg's cloud: environment variables, workload
// identity in CI, managed identity, then an Azure CLI or Developer CLI login on a laptop. Tokens are fetched
// from the cloud's login endpoint directly, never through the recorder.
func DefaultCredential(cfg Config) (azcore.TokenCredential, error) {
	conf, err := cfg.CloudConfiguration()
	if err != nil {
		return nil, err
	}
	cred, err := azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{
		ClientOptions: policy.ClientOptions{Cloud: conf},
	})
	if err != nil {
		return nil, fmt.Errorf("azure credential: %w (log in with `az login`, or set AZURE_TENANT_ID, AZURE_CLIENT_ID and a secret or certificate)", err)
	}
	return cred, nil
}

// StaticCredential is a fixed bearer token, for replay (a cassette holds no real token, and a request is
// matched by method and URL only) and for the emulator (emulator.ValidToken and its siblings).
type StaticCredential string

// GetToken returns the token, valid for an hour from now, so azcore's bearer policy never refreshes it
// during a run.
func (s StaticCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(s), ExpiresOn: time.Now().Add(time.Hour)}, nil
}
