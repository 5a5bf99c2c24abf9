// Package harness holds no code: its test checks what each package's doc.go says about what it may use.
package harness

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/listkeys-conformance/listkeys-conformance/"

// mayUse is each package's doc.go, "What it may use", as data: the packages of this module its non-test
// files may import. A new package needs a row here and a doc.go.
var mayUse = map[string][]string{
	"contract":  {"schemas"},
	"examples":  {},
	"matchers":  {"harness/contract"},
	"catalogue": {"harness/examples"},
	"emulator":  {"harness/catalogue", "harness/examples", "schemas"},
	"generator": {"harness/contract"},
	"arm":       {"harness/contract", "schemas"},
	"recording": {"harness/arm", "harness/contract", "harness/examples"},
	"traffic":   {"harness/contract"},
	"values":    {"harness/arm", "harness/contract", "schemas"},
	// Never harness/emulator: what real ARM is asked must not depend on the stand-in.
	"scenarios": {"harness/arm", "harness/catalogue", "harness/contract", "harness/examples", "harness/recording", "harness/traffic"},
	"report":    {"harness/contract", "harness/recording", "schemas"},
	"server":    {"harness/catalogue", "harness/contract", "harness/emulator", "harness/report"},
	"clientrun": {"harness/arm", "harness/catalogue", "harness/contract", "harness/examples", "harness/report", "harness/server", "schemas"},
	"suite":     {"harness/arm", "harness/contract", "harness/matchers", "harness/recording", "harness/report", "harness/scenarios"},
}

func TestPackagesUseOnlyWhatTheirDocSays(t *testing.T) {
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		name := d.Name()
		allowed, ok := mayUse[name]
		if !ok {
			t.Errorf("harness/%s: not in mayUse; say in its doc.go what it may use, and add it here", name)
			continue
		}
		seen++
		doc, err := os.ReadFile(filepath.Join(name, "doc.go"))
		if err != nil || !strings.HasPrefix(string(doc), "// Package "+name+" ") || !strings.Contains(string(doc), "# What it may use") {
			t.Errorf("harness/%s: no doc.go starting \"// Package %s\" with a \"What it may use\" section (%v)", name, name, err)
		}
		files, _ := filepath.Glob(filepath.Join(name, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if own, ok := strings.CutPrefix(path, module); ok && !slices.Contains(allowed, own) {
					t.Errorf("%s imports %s, which harness/%s's doc.go does not allow (allowed: %v)", f, own, name, allowed)
				}
			}
		}
	}
	if seen != len(mayUse) {
		t.Errorf("found %d of the %d packages in mayUse: a row names a package that is gone", seen, len(mayUse))
	}
}
