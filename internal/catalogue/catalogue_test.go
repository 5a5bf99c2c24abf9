package catalogue_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/internal/catalogue"
)

const module = "github.com/listkeys-conformance/listkeys-conformance/"

// deps lists the project packages pkg depends on (its tests aside), as the go command sees them.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("the go command is not on PATH (%v): the dependency check asks it", err)
	}
	out, err := exec.Command(goCmd, "list", "-deps", module+pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	var ours []string
	for _, p := range strings.Fields(string(out)) {
		if rest, ok := strings.CutPrefix(p, module); ok && rest != pkg {
			ours = append(ours, rest)
		}
	}
	return ours
}

// Dependencies point one way: the emulator (the fake) reads the catalogue; what asks real ARM never reads
// the fake; the catalogue reads nothing but the documented example's names.
func TestDependenciesPointOneWay(t *testing.T) {
	if got := deps(t, "internal/catalogue"); !slices.Equal(got, []string{"harness/examples"}) {
		t.Errorf("internal/catalogue depends on %v; want only harness/examples", got)
	}
	if got := deps(t, "internal/scenarios"); slices.Contains(got, "harness/emulator") {
		t.Errorf("internal/scenarios depends on the emulator: %v", got)
	}
	if got := deps(t, "harness/emulator"); !slices.Contains(got, "internal/catalogue") || slices.Contains(got, "internal/scenarios") {
		t.Errorf("harness/emulator depends on %v; want the catalogue, not the scenarios", got)
	}
}

func TestEveryBehaviourHasAProvenanceAndAUniqueName(t *testing.T) {
	names, workspaces := map[string]bool{}, map[string]bool{}
	for _, b := range catalogue.Behaviours() {
		if err := b.Provenance.Valid(); err != nil {
			t.Errorf("%s: %v", b.Name, err)
		}
		if names[b.Name] || (b.Workspace != "" && workspaces[b.Workspace]) {
			t.Errorf("%s: name or workspace %q given twice", b.Name, b.Workspace)
		}
		names[b.Name], workspaces[b.Workspace] = true, b.Workspace != ""
	}
	if err := (catalogue.Provenance{Basis: "guessed", Source: "x"}).Valid(); err == nil {
		t.Error("a basis that is none of the three passes")
	}
	if err := catalogue.Assume("").Valid(); err == nil {
		t.Error("an assumption without a reason passes")
	}
}
