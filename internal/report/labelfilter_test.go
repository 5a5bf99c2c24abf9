package report

import (
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// labelFilterQueries are the queries both parsers are held to: the documented forms, the project's own, and
// the corner cases of Ginkgo's tokenizer and tree (adjacent labels, empty groups, set operations without key
// or argument, regular expressions, labels with spaces and colons).
var labelFilterQueries = []string{
	"", "clients", "!clients", "check: {headers.no-cache}", "check: containsAny {headers.no-cache}",
	"check: containsAny {headers.no-cache, schema.format}", "check: containsAll {a,b}", "check: consistsOf {x}",
	"check: consistsOf {x,x}", "check: isSubsetOf {x, y}", "check: isEmpty", "check: isEmpty {}", "check: isEmpty {x}",
	"check: containsAny", "check: containsAny {}", "check: containsAny {a,,b}", "check: containsAny {a&b}", "check: bogus {a}",
	"check: containsAny {a", "check:x", "check:x && leaf", "check: containsAny /a/", "check: containsAny a, b",
	"check: containsany x", ": containsAny {x}", "a:", "a: ", "a::", "a:: b", "a :b", "x containsAny y",
	"a && b", "a || b", "a, b", "a && !b", "!a && b", "!(a || b)", "(a) && b", "a && (b || c) || d", "((a))", "()", "(a", "a)",
	"a b", "a && && b", "&& a", "a &", "a |", "!", "!!a", "a !b", "/a/", "/^check:/", "/[/", "/a", "/A/ && leaf",
	"LEAF", " leaf ", "outer label", "a && b || c && d", "a || b && c", "!a || !b && c", "(a || b) && (c || d)",
	"check: containsAny {x} && leaf", "!check: isEmpty", "(check: containsAll {x, y}) || a", "check: containsAny {x})",
	"a || (check: consistsOf {x} && !b)", "a,,b", ",a", "a,", "é && ü", "check: isSubsetOf {é}",
}

var labelSets = [][]string{
	nil, {}, {"clients"}, {"check:headers.no-cache"}, {"check: headers.no-cache", "check:schema.format"}, {"a"}, {"A", "b"},
	{"a", "b", "c", "d"}, {"check:x"}, {"check:x", "check:y", "leaf"}, {"CHECK: X", "check:x"}, {"check:z"},
	{"outer label"}, {"a:b", "a: c"}, {"é", "ü", "check:é"}, {"x containsAny y"},
}

func TestLabelFilterIsGinkgos(t *testing.T) {
	for _, q := range labelFilterQueries {
		compareLabelFilter(t, q, labelSets)
	}
}

func FuzzLabelFilter(f *testing.F) {
	for _, q := range labelFilterQueries {
		f.Add(q, "check:x", "a")
	}
	f.Fuzz(func(t *testing.T, query, label1, label2 string) {
		compareLabelFilter(t, query, append(labelSets, []string{label1, label2}))
	})
}

func compareLabelFilter(t *testing.T, query string, sets [][]string) {
	theirs, theirErr := types.ParseLabelFilter(query)
	ours, ourErr := parseLabelFilter(query)
	if (theirErr == nil) != (ourErr == nil) {
		t.Fatalf("%q: ours refuses: %v, Ginkgo refuses: %v", query, ourErr, theirErr)
	}
	if theirErr != nil {
		return
	}
	for _, labels := range sets {
		if got, want := ours(labels), theirs(labels); got != want {
			t.Errorf("%q on %q: %v, Ginkgo: %v", query, labels, got, want)
		}
	}
}
