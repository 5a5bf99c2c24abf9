package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/emulator"
	"github.com/listkeys-conformance/listkeys-conformance/internal/server"
)

func regeneratePath(workspace string) string {
	return strings.TrimSuffix(workspacePath(workspace), "listKeys") + "regenerateKey"
}

// serve plays rotation: a client regenerates a key and sees the new one; each request is judged by its own
// operation and api-version, and no key, old or new, reaches the report.
func TestServePlaysRotation(t *testing.T) {
	h := start(t, server.Config{})
	const old = "api-version=2023-11-13-preview"
	jsonAuth := http.Header{"Authorization": {validAuth}, "Content-Type": {"application/json"}}

	before := h.post(t, workspacePath(emulator.RotationWorkspace)+"?"+old, auth(validAuth), nil)
	if e := h.last(t); !e.Conformant || before.status != 200 {
		t.Fatalf("listKeys at 2023-11-13-preview: %d, entry %+v", before.status, e)
	}
	a := h.post(t, regeneratePath(emulator.RotationWorkspace)+"?"+old, jsonAuth, []byte(`{"keys":["Primary"]}`))
	if e := h.last(t); a.status != http.StatusNoContent || !e.Conformant || len(e.Warnings) != 0 {
		t.Fatalf("regenerate: %d %s, entry %+v", a.status, a.body, e)
	}
	after := h.post(t, workspacePath(emulator.RotationWorkspace)+"?"+old, auth(validAuth), nil)
	var b, n struct{ PrimaryKey, SecondaryKey struct{ Key string } }
	json.Unmarshal(before.body, &b)
	json.Unmarshal(after.body, &n)
	if b.PrimaryKey.Key == n.PrimaryKey.Key || b.SecondaryKey.Key != n.SecondaryKey.Key {
		t.Error("the next listKeys does not show a new primary key beside the old secondary one")
	}

	// A bad regenerate request is judged as one: its body, not "the operation takes none".
	bad := h.post(t, regeneratePath(emulator.RotationWorkspace)+"?"+apiVersion, jsonAuth, []byte(`{"keys":["Tertiary"]}`))
	e := h.last(t)
	if bad.status != http.StatusBadRequest || e.Conformant || !strings.Contains(strings.Join(e.Failed, ","), "regenerate.body") {
		t.Errorf("an unknown key type: %d, failed %v", bad.status, e.Failed)
	}

	report, _ := json.Marshal(h.srv.Report())
	for _, k := range []string{b.PrimaryKey.Key, b.SecondaryKey.Key, n.PrimaryKey.Key} {
		if strings.Contains(string(report), k) || strings.Contains(h.log.String(), k) {
			t.Error("a key reached the report or the log")
		}
	}
}
