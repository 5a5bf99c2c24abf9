package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
)

// RotationWorkspace is the workspace of DefaultConfig that the suites' rotation profile regenerates keys of,
// so that the keys and creation times of every other workspace stay as configured.
const RotationWorkspace = catalogue.RotationWorkspace

// Key types of Workspaces_RegenerateKeys (the documented KeyType enum).
const (
	PrimaryKeyType   = catalogue.PrimaryKeyType
	SecondaryKeyType = catalogue.SecondaryKeyType
)

// rotation holds the keys regenerated so far, per workspace. The configured keys stay in Workspace (fixed
// by New); a workspace whose keys were regenerated answers listKeys with these instead. State lives as long
// as the emulator: a new emulator (a new serve process) starts from the configured keys.
type rotation struct {
	mu   sync.Mutex
	keys map[*workspace]*rotatedKeys
}

type rotatedKeys struct {
	primary, secondary     string
	primaryAt, secondaryAt time.Time
	generation             int // how many keys were regenerated: each new key is derived from it
}

// isRegenerate says whether the request is for …/workspaces/{workspaceName}/regenerateKey.
func isRegenerate(r *http.Request) bool {
	if r.URL == nil {
		return false
	}
	path := strings.TrimRight(r.URL.EscapedPath(), "/")
	i := strings.LastIndex(path, "/")
	return i >= 0 && strings.EqualFold(path[i+1:], "regenerateKey")
}

// serveRegenerate answers Workspaces_RegenerateKeys: every ARM check of listKeys first (route, method,
// token, api-version, subscription, permission, group, workspace, the workspace's scenario), then the body,
// then 204 with an empty body. The next listKeys shows the new key with a later createdAt and a connection
// string carrying it; the other key is untouched.
func (e *Emulator) serveRegenerate(w http.ResponseWriter, r *http.Request) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	}
	now := e.now().UTC()
	ids := e.ids.next(r)
	e.setCommonHeaders(w.Header(), r, now, ids)

	// The checks are listKeys's, asked of the same path with the operation's segment swapped (on the escaped
	// path, so an encoded "/" in a name stays where it is).
	escaped := strings.TrimRight(r.URL.EscapedPath(), "/")
	u := *r.URL
	u.RawPath = escaped[:strings.LastIndex(escaped, "/")+1] + "listKeys"
	u.Path, _ = url.PathUnescape(u.RawPath) // it was unescaped once already
	asList := r.Clone(r.Context())
	asList.URL = &u
	if _, aerr := e.listKeys(asList, now); aerr != nil {
		aerr.message = strings.ReplaceAll(aerr.message, "listKeys", "regenerateKey")
		writeError(w, r, aerr, ids)
		return
	}
	keys, aerr := regenerateBody(body)
	if aerr != nil {
		writeError(w, r, aerr, ids)
		return
	}
	rt, _ := parseRoute(u.EscapedPath()) // listKeys accepted it
	ws := e.lookup(rt.subscription, rt.group, rt.workspace)
	e.rotation.regenerate(e.ids.seed, ws, keys, now)
	setProviderHeaders(w.Header(), ids)
	w.Header().Del("Content-Type") // no body, so no content type
	w.WriteHeader(http.StatusNoContent)
}

// regenerateBody reads the ApiKeys body. An empty list (or none) is valid by the schema and regenerates
// nothing. The refusal codes are the ones ARM gives for a body it cannot
// read and a provider for a value out of its enum; no public recording shows either for this operation.
func regenerateBody(body []byte) ([]string, *armError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, providerError(http.StatusBadRequest, "InvalidRequestContent",
			"The request content was invalid and could not be deserialized: the body is missing; send {\"keys\": [\"Primary\"|\"Secondary\"]}.")
	}
	var doc struct {
		Keys []string `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, providerError(http.StatusBadRequest, "InvalidRequestContent",
			"The request content was invalid and could not be deserialized: %s.", strings.TrimPrefix(err.Error(), "json: "))
	}
	for _, k := range doc.Keys {
		if k != PrimaryKeyType && k != SecondaryKeyType {
			return nil, providerError(http.StatusBadRequest, "InvalidKeyType",
				"The key type '%s' is invalid. Valid key types are '%s' and '%s'.", k, PrimaryKeyType, SecondaryKeyType)
		}
	}
	return doc.Keys, nil
}

func (rot *rotation) regenerate(seed string, w *workspace, keys []string, now time.Time) {
	rot.mu.Lock()
	defer rot.mu.Unlock()
	if rot.keys == nil {
		rot.keys = map[*workspace]*rotatedKeys{}
	}
	k := rot.keys[w]
	if k == nil {
		k = &rotatedKeys{primary: w.PrimaryKey, secondary: w.SecondaryKey, primaryAt: w.PrimaryCreated, secondaryAt: w.SecondaryCreated}
		rot.keys[w] = k
	}
	// A new key is shaped and derived as the configured ones are, so a re-recording finds the same bytes.
	for _, name := range keys {
		k.generation++
		key := derivedKey(seed, w.Workspace, fmt.Sprintf("%s#%d", name, k.generation))
		switch name {
		case PrimaryKeyType:
			k.primary, k.primaryAt = key, later(k.primaryAt, now)
		case SecondaryKeyType:
			k.secondary, k.secondaryAt = key, later(k.secondaryAt, now)
		}
	}
}

// later is now in whole seconds, as the service writes createdAt, and at least a second after before, so
// that a key regenerated twice within a second still shows a later createdAt.
func later(before, now time.Time) time.Time {
	t := now.Truncate(time.Second)
	if !t.After(before) {
		t = before.Truncate(time.Second).Add(time.Second)
	}
	return t
}

// withRotatedKeys puts a workspace's regenerated keys into its listKeys answer.
func (e *Emulator) withRotatedKeys(r *http.Request, result *listKeysResult) {
	rt, ok := parseRoute(r.URL.EscapedPath())
	if !ok {
		return
	}
	w := e.lookup(rt.subscription, rt.group, rt.workspace)
	e.rotation.mu.Lock()
	k := e.rotation.keys[w]
	var rotated Workspace
	if k != nil {
		rotated = w.Workspace
		rotated.PrimaryKey, rotated.PrimaryCreated = k.primary, k.primaryAt
		rotated.SecondaryKey, rotated.SecondaryCreated = k.secondary, k.secondaryAt
	}
	e.rotation.mu.Unlock()
	if k != nil {
		*result = rotated.result()
	}
}

// Keys returns the keys a workspace answers with now (regenerated or as configured), looked up
// case-insensitively.
func (e *Emulator) Keys(subscriptionID, resourceGroup, name string) (primary, secondary string, ok bool) {
	w := e.lookup(subscriptionID, resourceGroup, name)
	if w == nil {
		return "", "", false
	}
	e.rotation.mu.Lock()
	defer e.rotation.mu.Unlock()
	if k := e.rotation.keys[w]; k != nil {
		return k.primary, k.secondary, true
	}
	return w.PrimaryKey, w.SecondaryKey, true
}
