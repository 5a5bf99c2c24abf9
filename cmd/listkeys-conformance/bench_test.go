package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// BenchmarkValidateCommand times the built binary validating one file, process start included: the number
// to compare with oav validate-example (~1 s per process here) and with BenchmarkHelloCommand, a Go hello
// world started the same way. Target: 5 ms.
func BenchmarkValidateCommand(b *testing.B) {
	dir := b.TempDir()
	bin := buildStatic(b, dir, ".")
	body := filepath.Join(dir, "body.json")
	if err := os.WriteFile(body, examples.Documented, 0o644); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		runQuiet(b, bin, "validate", body)
	}
}

// BenchmarkHelloCommand is the floor under BenchmarkValidateCommand: a Go program that only prints a line,
// built and started the same way.
func BenchmarkHelloCommand(b *testing.B) {
	bin := buildStatic(b, b.TempDir(), "./testdata/hello")
	b.ResetTimer()
	for b.Loop() {
		runQuiet(b, bin)
	}
}

// buildStatic builds the package in dir as make builds the CLI (docs/libraries.md) and returns the binary.
func buildStatic(b *testing.B, dir, pkg string) string {
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", bin, pkg)
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// runQuiet starts the command with its output discarded (no pipes to copy, as a shell's > /dev/null), and shows
// the output only when it fails.
func runQuiet(b *testing.B, name string, args ...string) {
	if err := exec.Command(name, args...).Run(); err != nil {
		out, _ := exec.Command(name, args...).CombinedOutput()
		b.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}
