package emulator

import (
	"regexp"
	"testing"
)

// The expressions the name scans of checks.go stand for.
var (
	apiVersionPattern   = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}(?i:-preview)?$`)
	subscriptionPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	workspacePattern    = regexp.MustCompile(`^[a-zA-Z0-9]+(-*[a-zA-Z0-9])*$`)
)

var nameSeeds = []string{
	"", "-", "a", "a-", "-a", "a-b", "a--b", "ab-cd-e", "A9", "a_b", "a.b", "a b", "ä", "K",
	"2025-12-15", "2025-12-15-preview", "2025-12-15-PREVIEW", "2025-12-15-previe", "2025-12-15-preview ",
	"2025-1-15", "20251215", "2025-12-15-preview-preview", "2025-12-15-prevıew", "2025-12-15-preview\n",
	"00000000-1111-2222-3333-444444444444", "00000000-1111-2222-3333-44444444444G", "00000000111122223333444444444444",
	"0000000-11111-2222-3333-444444444444", "ABCDEFab-cdef-0123-4567-89abcdefABCD", "00000000-1111-2222-3333-444444444444\n",
}

func checkNameScans(t *testing.T, s string) {
	for _, tt := range []struct {
		name string
		scan func(string) bool
		re   *regexp.Regexp
	}{
		{"apiVersionShape", apiVersionShape, apiVersionPattern},
		{"isGUID", isGUID, subscriptionPattern},
		{"workspaceShape", workspaceShape, workspacePattern},
	} {
		if got, want := tt.scan(s), tt.re.MatchString(s); got != want {
			t.Errorf("%s(%q) = %v; the expression %s says %v", tt.name, s, got, tt.re, want)
		}
	}
}

func TestNameScansMatchTheirExpressions(t *testing.T) {
	for _, s := range nameSeeds {
		checkNameScans(t, s)
	}
}

func FuzzNameScans(f *testing.F) {
	for _, s := range nameSeeds {
		f.Add(s)
	}
	f.Fuzz(checkNameScans)
}
