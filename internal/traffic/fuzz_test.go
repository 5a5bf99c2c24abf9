package traffic

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// FuzzRead: no input makes Read or Judge panic, and what Read accepts is numbered and judged without error
// other than "no listKeys interaction".
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, seed := range []string{"", "{}", "[]", "version: 2\ninteractions: [{}]", `{"log":{"entries":[{}]}}`, `{"Entries":[null]}`, "a: &a [*a]", "!!binary x"} {
		f.Add([]byte(seed))
	}
	c := contract.MustDefault()
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := Read("fuzz", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for i, in := range rec.Interactions {
			if in.Index != i+1 {
				t.Fatalf("interaction %d has index %d", i, in.Index)
			}
		}
		if _, err := Judge(c, rec); err != nil && !strings.Contains(err.Error(), ErrNoListKeys.Error()) {
			t.Fatalf("Judge: %v", err)
		}
	})
}
