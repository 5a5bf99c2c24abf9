package server

import (
	"regexp"
	"testing"
)

// FuzzSecretName holds secretName to the expression it replaced, (?i)key|connectionstring|secret|token|password.
func FuzzSecretName(f *testing.F) {
	for _, seed := range []string{"/primaryKey/key", "/PRIMARYCONNECTIONSTRING", "/a/Secret", "/tokens/0", "/passWord",
		"/name", "/ke", "/\u212Aey", "/\u017Fecret", "/k\u00e9y", "/KEy"} {
		f.Add(seed)
	}
	expr := regexp.MustCompile(`(?i)key|connectionstring|secret|token|password`)
	f.Fuzz(func(t *testing.T, pointer string) {
		if got, want := secretName(pointer), expr.MatchString(pointer); got != want {
			t.Fatalf("secretName(%q) = %v; the expression says %v", pointer, got, want)
		}
	})
}
