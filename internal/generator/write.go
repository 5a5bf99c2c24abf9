package generator

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// WriteDir writes files into dir, creating it, and removes the *.schema.json files there that files no
// longer holds, so a renamed or dropped definition does not linger in the embedded set.
func WriteDir(files map[string][]byte, dir string) error {
	for name := range files {
		if filepath.Base(name) != name || !strings.HasSuffix(name, schemaSuffix) {
			return fmt.Errorf("write %s: %q is not a plain *%s file name", dir, name, schemaSuffix)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create schema folder: %w", err)
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return fmt.Errorf("write schema: %w", err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list schema folder: %w", err)
	}
	for _, e := range entries {
		name := e.Name()
		if _, keep := files[name]; keep || e.IsDir() || !strings.HasSuffix(name, schemaSuffix) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("remove stale schema: %w", err)
		}
	}
	return nil
}
