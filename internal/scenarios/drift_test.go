package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A live answer is compared with the committed cassette: the same shapes are no drift, a committed header
// the answer no longer carries is.
func TestLiveDriftFromTheCommittedCassette(t *testing.T) {
	dir := t.TempDir()
	committed, err := os.ReadFile(filepath.Join("..", "..", "cassettes", "2025-12-15-preview", "ok.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(file, committed, 0o644); err != nil {
		t.Fatal(err)
	}
	r := againstEmulator(t, "live", t.TempDir())
	r.Committed = dir
	res, err := r.Run(context.Background(), OK)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Drift) != 0 {
		t.Errorf("the emulator's answer drifts from the cassette recorded through it: %q", res.Drift)
	}
	edited := strings.Replace(string(committed), "            Pragma:\n", "            X-Committed-Only:\n                - x\n            Pragma:\n", 1)
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if res, err = r.Run(context.Background(), OK); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(res.Drift, "\n"); !strings.Contains(got, "header x-committed-only is gone") {
		t.Errorf("drift %q; want the header the answer no longer carries", got)
	}
}
