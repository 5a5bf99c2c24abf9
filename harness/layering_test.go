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
	"harness/contract":   {"schemas"},
	"harness/examples":   {},
	"harness/matchers":   {"harness/contract"},
	"internal/catalogue": {"harness/examples"},
	"harness/emulator":   {"internal/catalogue", "harness/examples", "schemas"},
	"internal/generator": {"harness/contract"},
	"internal/arm":       {"harness/contract", "schemas"},
	"internal/recording": {"internal/arm", "harness/contract", "harness/examples"},
	"internal/traffic":   {"harness/contract"},
	"internal/values":    {"internal/arm", "harness/contract", "schemas"},
	// Never harness/emulator: what real ARM is asked must not depend on the stand-in.
	"internal/scenarios": {"internal/arm", "internal/catalogue", "harness/contract", "harness/examples", "internal/recording", "internal/traffic"},
	"internal/report":    {"harness/contract", "internal/recording", "schemas"},
	"internal/server":    {"internal/catalogue", "harness/contract", "harness/emulator", "internal/report"},
	"internal/hostile":   {},
	"internal/clientrun": {"internal/arm", "internal/catalogue", "harness/contract", "harness/examples", "internal/report", "internal/server", "schemas"},
	"internal/suite":     {"internal/arm", "harness/contract", "harness/matchers", "internal/recording", "internal/report", "internal/scenarios"},
}

func TestPackagesUseOnlyWhatTheirDocSays(t *testing.T) {
	seen := 0
	// The public packages (harness/) and those for this project only (internal/), from the module root.
	for _, tree := range []string{"harness", "internal"} {
		dirs, err := os.ReadDir(filepath.Join("..", tree))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dirs {
			if !d.IsDir() {
				continue
			}
			name, pkg := d.Name(), tree+"/"+d.Name()
			allowed, ok := mayUse[pkg]
			if !ok {
				t.Errorf("%s: not in mayUse; say in its doc.go what it may use, and add it here", pkg)
				continue
			}
			seen++
			dir := filepath.Join("..", pkg)
			doc, err := os.ReadFile(filepath.Join(dir, "doc.go"))
			if err != nil || !strings.HasPrefix(string(doc), "// Package "+name+" ") || !strings.Contains(string(doc), "# What it may use") {
				t.Errorf("%s: no doc.go starting \"// Package %s\" with a \"What it may use\" section (%v)", pkg, name, err)
			}
			files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
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
						t.Errorf("%s imports %s, which %s's doc.go does not allow (allowed: %v)", f, own, pkg, allowed)
					}
				}
			}
		}
	}
	if seen != len(mayUse) {
		t.Errorf("found %d of the %d packages in mayUse: a row names a package that is gone", seen, len(mayUse))
	}
	// What other projects import (harness/) never reaches what is this project's own, but for the shared names.
	for pkg, uses := range mayUse {
		if strings.HasPrefix(pkg, "harness/") {
			for _, u := range uses {
				if strings.HasPrefix(u, "internal/") && u != "internal/catalogue" {
					t.Errorf("public %s uses %s: a package of internal/ beyond the shared names", pkg, u)
				}
			}
		}
	}
}
