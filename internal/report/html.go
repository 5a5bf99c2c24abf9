package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"sync"
)

//go:embed report.html.tmpl
var htmlTemplate string

// page is parsed on first use, not at package init: every command of the binary would pay for it at start.
var page = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("report").Funcs(template.FuncMap{
		"title": stateTitle,
		"count": func(c map[State]int, s State) int { return c[s] },
		"total": func(c map[State]int) int {
			n := 0
			for _, v := range c {
				n += v
			}
			return n
		},
		"level":  func(s Summary, l string) map[State]int { return s.Levels[l] },
		"ids":    checkIDs,
		"pretty": prettyBody,
		"header": headerLines,
		"reason": Reason,
		"join":   strings.Join,
	}).Parse(htmlTemplate))
})

// htmlView is what the template needs beyond the report.
type htmlView struct {
	Report
	States   []State
	Levels   []string
	Failing  []Located
	Skips    []SkipGroup
	Registry map[string]Check
}

// HTML renders the report as one self-contained page: inline CSS and script, no fetch of anything (its
// Content-Security-Policy forbids it), filtering by state in the page itself.
func (r Report) HTML() ([]byte, error) {
	reg := map[string]Check{}
	for _, c := range r.Registry {
		reg[c.ID] = c
	}
	v := htmlView{Report: r, States: States, Levels: Levels, Failing: r.Failing(), Skips: r.Skips(), Registry: reg}
	var b bytes.Buffer
	if err := page().Execute(&b, v); err != nil {
		return nil, fmt.Errorf("rendering report.html: %w", err)
	}
	return b.Bytes(), nil
}

// prettyBody indents a JSON body; any other body is shown as it is.
func prettyBody(body string) string {
	var out bytes.Buffer
	if json.Indent(&out, []byte(body), "", "  ") == nil {
		return out.String()
	}
	return body
}

// headerLines writes headers one per line, sorted by name.
func headerLines(h map[string][]string) string {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		for _, v := range h[n] {
			fmt.Fprintf(&b, "%s: %s\n", n, v)
		}
	}
	return b.String()
}
