// Command goclient is the Go adapter of the clients suite: a small client over azcore's pipeline, as an SDK
// built on azcore is (its default retry policy, the bearer token policy, its User-Agent).
//
//	goclient URL TOKEN
//
// It POSTs listKeys to URL and prints the ListKeysResult on stdout (exit 0); an error answer is printed on
// stderr as azcore's ResponseError, which names the ARM error.code (exit 1); a request that gets no answer
// exits 2. The CA it trusts comes from SSL_CERT_FILE, as for any Go program on Linux.
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// staticToken is a credential that hands out the token it was given.
type staticToken string

func (t staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	return azcore.AccessToken{Token: string(t), ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: goclient URL TOKEN")
		os.Exit(2)
	}
	u, token := os.Args[1], staticToken(os.Args[2])
	bearer := runtime.NewBearerTokenPolicy(token, []string{"https://management.azure.com/.default"}, nil)
	pl := runtime.NewPipeline("goclient", "v0.0.1", runtime.PipelineOptions{PerRetry: []policy.Policy{bearer}}, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Second)
	defer cancel()
	req, err := runtime.NewRequest(ctx, http.MethodPost, u)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goclient:", err)
		os.Exit(2)
	}
	resp, err := pl.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goclient:", err)
		os.Exit(2)
	}
	if !runtime.HasStatusCode(resp, http.StatusOK) {
		fmt.Fprintln(os.Stderr, runtime.NewResponseError(resp))
		os.Exit(1)
	}
	body, err := runtime.Payload(resp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goclient: reading the answer:", err)
		os.Exit(2)
	}
	os.Stdout.Write(body)
}
