package scenarios

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The README's scenario table is this catalogue, rendered: a row changed here without the README (or the
// other way round) fails, so the table a reader trusts is the one the suites run.
func TestREADMEScenarioTableIsTheCatalogue(t *testing.T) {
	data, err := os.ReadFile(fromModuleRoot("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- scenarios: generated from internal/scenarios -->\n", "<!-- /scenarios -->"
	text := string(data)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no scenario table between %q and %q", strings.TrimSpace(begin), end)
	}
	if got, want := text[i+len(begin):j], scenarioTable(); got != want {
		t.Errorf("README.md's scenario table is not the catalogue's; replace it with:\n%s", want)
	}
}

func scenarioTable() string {
	var b strings.Builder
	b.WriteString("| scenario | expected answer | level | from |\n| --- | --- | --- | --- |\n")
	for _, s := range All() {
		answer := fmt.Sprint(s.Expect.Status)
		if s.Expect.Code != "" {
			answer += " " + s.Expect.Code
		}
		from := string(s.Provenance.Basis)
		if s.Provenance.Basis == "assumed" {
			from += ": " + s.Provenance.Source
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s.Name, answer, s.Provenance.Level(), strings.ReplaceAll(from, "|", "\\|"))
	}
	return b.String()
}
