package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// BenchmarkValidateCommand times the built binary validating one file, process start included: the number
// to compare with oav validate-example (~680 ms per process here). Target: 5 ms (a Go hello world starts in
// ~2.5 ms here).
func BenchmarkValidateCommand(b *testing.B) {
	dir := b.TempDir()
	bin := filepath.Join(dir, "listkeys-conformance")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0") // as make builds it (docs/libraries.md)
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	body := filepath.Join(dir, "body.json")
	if err := os.WriteFile(body, examples.Documented, 0o644); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if out, err := exec.Command(bin, "validate", body).CombinedOutput(); err != nil {
			b.Fatalf("validate: %v\n%s", err, out)
		}
	}
}
