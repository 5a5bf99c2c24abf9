package traffic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// exampleHost is the ARM endpoint an example's request is placed on: the files name no host.
const exampleHost = "https://management.azure.com"

// exampleActions maps the operationIds this suite judges to the last segment of their path: an example of
// Regenerate Keys is judged as the regenerateKey call it documents, as in a recording of a rotation.
var exampleActions = map[string]string{"workspaces_listkeys": "listKeys", "workspaces_regeneratekeys": "regenerateKey"}

// readExample reads an official example file (x-ms-examples, docs/recorders.md): the parameters of one call
// and one response per status. Each response becomes an interaction judged by its status; the request URL is
// built from the parameters. Example files hold no request headers; response headers only where the
// specification documents some.
func readExample(top map[string]json.RawMessage) (Recording, error) {
	var ex struct {
		OperationID string                     `json:"operationId"`
		Parameters  map[string]json.RawMessage `json:"parameters"`
		Responses   map[string]struct {
			Headers map[string]json.RawMessage `json:"headers"`
			Body    json.RawMessage            `json:"body"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(mustMarshal(top), &ex); err != nil {
		return Recording{}, fmt.Errorf("x-ms-examples JSON: %w", jsonShapeError(err))
	}
	params := map[string]string{}
	for _, name := range []string{"subscriptionId", "resourceGroupName", "workspaceName", "api-version"} {
		var v string
		if raw, ok := ex.Parameters[name]; !ok || json.Unmarshal(raw, &v) != nil {
			return Recording{}, fmt.Errorf("x-ms-examples JSON: parameters.%s is missing or not a string; the request URL is built from it", name)
		}
		params[name] = v
	}
	action := "listKeys"
	if ex.OperationID != "" {
		var known bool
		if action, known = exampleActions[strings.ToLower(ex.OperationID)]; !known {
			_, action, _ = strings.Cut(ex.OperationID, "_") // another operation's example: not judged
		}
	}
	// The request body, where the operation takes one (Regenerate Keys' ApiKeys), is the "body" parameter.
	var reqBody []byte
	reqHeader := http.Header{}
	if raw, ok := ex.Parameters["body"]; ok {
		reqBody = bytes.TrimSpace(raw)
		reqHeader.Set("Content-Type", "application/json")
	}
	rawURL := fmt.Sprintf("%s/subscriptions/%s/resourceGroups/%s/providers/Microsoft.Quantum/workspaces/%s/%s?api-version=%s", exampleHost,
		url.PathEscape(params["subscriptionId"]), url.PathEscape(params["resourceGroupName"]), url.PathEscape(params["workspaceName"]),
		url.PathEscape(action), url.QueryEscape(params["api-version"]))
	statuses := make([]string, 0, len(ex.Responses))
	for s := range ex.Responses {
		statuses = append(statuses, s)
	}
	sort.Strings(statuses)
	rec := Recording{Format: Example}
	for _, s := range statuses {
		resp := ex.Responses[s]
		status, err := strconv.Atoi(s)
		var note string
		switch {
		case strings.EqualFold(s, "default"):
			status, note = http.StatusInternalServerError, "the example's default response is judged as an error status (500)"
		case err != nil || status < 100 || status > 999:
			return Recording{}, fmt.Errorf("x-ms-examples JSON: responses has %q, which is neither a status code nor \"default\"", clip(s))
		}
		header, err := headerValues(resp.Headers, "responses."+s+".headers")
		if err != nil {
			return Recording{}, fmt.Errorf("x-ms-examples JSON: %w", err)
		}
		in := newInteraction(http.MethodPost, rawURL, reqHeader.Clone(), reqBody, status, header, jsonBody(resp.Body))
		in.note("an example file: the request is built from its parameters, and it holds no request headers")
		if note != "" {
			in.note("%s", note)
		}
		rec.Interactions = append(rec.Interactions, in)
	}
	return rec, nil
}
