// Package docs holds no code: its test keeps the repository's references to facts inside the repository.
package docs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	// A fact the code relies on is cited by its file in docs/, with the .md.
	docReference = regexp.MustCompile(`docs/([A-Za-z0-9_-]+\.md)`)
	// Documents that are not in the repository, which no code, comment, message or registry Source may cite.
	// The brackets keep this line itself out of a plain search for the names.
	outsideReference = regexp.MustCompile(`FACT[S]|DESIG[N]\.md|STYL[E]\.md`)
)

// TestReferencesStayInsideTheRepository reads every Go file: each file of docs/ it cites exists, and none
// cites a document outside the repository.
func TestReferencesStayInsideTheRepository(t *testing.T) {
	cited := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if outsideReference.MatchString(line) {
				t.Errorf("%s:%d cites a document outside the repository: %s", path, i+1, strings.TrimSpace(line))
			}
			for _, m := range docReference.FindAllStringSubmatch(line, -1) {
				cited++
				if _, err := os.Stat(m[1]); err != nil {
					t.Errorf("%s:%d cites docs/%s, which does not exist", path, i+1, m[1])
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if cited == 0 {
		t.Error("no Go file cites docs/: the walk read nothing")
	}
}
