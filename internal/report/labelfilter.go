package report

import (
	"errors"
	"regexp"
	"strings"
)

// parseLabelFilter is Ginkgo's types.ParseLabelFilter: the filter a --label-filter query stands for, or an
// error when Ginkgo would refuse the query. It follows Ginkgo's parser (v2.34.0, types/label_filter.go) step by
// step, corner cases included, so that FromGinkgo leaves out exactly the specs Ginkgo's filter did, without
// the CLI linking Ginkgo; TestLabelFilterIsGinkgos and FuzzLabelFilter hold the two to the same answers.
func parseLabelFilter(input string) (func(labels []string) bool, error) {
	if input == "" {
		return func([]string) bool { return true }, nil
	}
	next := labelTokens(input)
	root := &lfNode{token: lfRoot}
	current := root
	for {
		node, err := next()
		if err != nil {
			return nil, err
		}
		switch node.token {
		case lfEOF:
			return root.filter()
		case lfLabel, lfRegexp, lfSetKey:
			if current.right != nil {
				return nil, errLabelFilter // two adjacent labels
			}
			current.setRight(node)
		case lfNot, lfOpenGroup:
			if current.right != nil {
				return nil, errLabelFilter
			}
			current.setRight(node)
			current = node
		case lfAnd, lfOr:
			if current.right == nil {
				return nil, errLabelFilter // no left operand
			}
			stealFrom := current.firstAncestorWithPrecedenceLEQ(node.token.precedence())
			node.setLeft(stealFrom.right)
			stealFrom.setRight(node)
			current = node
		case lfSetOperation:
			if current.right == nil {
				return nil, errLabelFilter
			}
			node.setLeft(current.right)
			current.setRight(node)
			current = node
		case lfSetArgument:
			if current.right != nil {
				return nil, errLabelFilter
			}
			current.setRight(node)
		case lfCloseGroup:
			open := current.firstUnmatchedOpenNode()
			if open == nil || open == current && current.right == nil {
				return nil, errLabelFilter // a ')' without its '(', or an empty group
			}
			open.token = lfCloseGroup // the group is closed
			current = open.parent
		default:
			return nil, errLabelFilter
		}
	}
}

var errLabelFilter = errors.New("not a label filter Ginkgo would accept")

type lfToken uint

const (
	lfInvalid lfToken = iota
	lfRoot
	lfOpenGroup
	lfCloseGroup
	lfNot
	lfAnd
	lfOr
	lfRegexp
	lfLabel
	lfSetKey
	lfSetOperation
	lfSetArgument
	lfEOF
)

func (t lfToken) precedence() int {
	switch t {
	case lfRoot, lfOpenGroup:
		return 0
	case lfOr:
		return 1
	case lfAnd:
		return 2
	case lfNot:
		return 3
	case lfSetOperation:
		return 4
	}
	return -1
}

type lfNode struct {
	token               lfToken
	value               string
	parent, left, right *lfNode
}

func (n *lfNode) setRight(child *lfNode) { n.right, child.parent = child, n }
func (n *lfNode) setLeft(child *lfNode)  { n.left, child.parent = child, n }

func (n *lfNode) firstAncestorWithPrecedenceLEQ(precedence int) *lfNode {
	if n.token.precedence() <= precedence {
		return n
	}
	return n.parent.firstAncestorWithPrecedenceLEQ(precedence)
}

func (n *lfNode) firstUnmatchedOpenNode() *lfNode {
	if n.token == lfOpenGroup {
		return n
	}
	if n.parent == nil {
		return nil
	}
	return n.parent.firstUnmatchedOpenNode()
}

// setOperations are the set operations a "key: operation {values}" query may name, in lower case.
var setOperations = []string{"containsany", "containsall", "consistsof", "issubsetof", "isempty"}

func (n *lfNode) filter() (func([]string) bool, error) {
	switch n.token {
	case lfOpenGroup:
		return nil, errLabelFilter // a '(' without its ')'
	case lfLabel:
		want := strings.ToLower(n.value)
		return func(labels []string) bool {
			for _, l := range labels {
				if strings.ToLower(l) == want {
					return true
				}
			}
			return false
		}, nil
	case lfRegexp:
		re, err := regexp.Compile(n.value)
		if err != nil {
			return nil, errLabelFilter
		}
		return func(labels []string) bool {
			for _, l := range labels {
				if re.MatchString(l) {
					return true
				}
			}
			return false
		}, nil
	case lfSetOperation:
		return n.setFilter()
	}
	if n.right == nil {
		return nil, errLabelFilter // unexpected end
	}
	right, err := n.right.filter()
	if err != nil {
		return nil, err
	}
	switch n.token {
	case lfRoot, lfCloseGroup:
		return right, nil
	case lfNot:
		return func(labels []string) bool { return !right(labels) }, nil
	}
	if n.left == nil {
		return nil, errLabelFilter
	}
	left, err := n.left.filter()
	if err != nil {
		return nil, err
	}
	switch n.token {
	case lfAnd:
		return func(labels []string) bool { return left(labels) && right(labels) }, nil
	case lfOr:
		return func(labels []string) bool { return left(labels) || right(labels) }, nil
	}
	return nil, errLabelFilter
}

func (n *lfNode) setFilter() (func([]string) bool, error) {
	op, key := strings.ToLower(n.value), n.left.value
	if op == "isempty" {
		return func(labels []string) bool { return len(labelSet(key, labels)) == 0 }, nil
	}
	if n.right == nil {
		return nil, errLabelFilter
	}
	var values []string
	for _, raw := range strings.Split(n.right.value, ",") {
		v := strings.ToLower(strings.TrimSpace(raw))
		if v == "" || strings.ContainsAny(v, "&|!,()/") {
			return nil, errLabelFilter
		}
		values = append(values, v)
	}
	return func(labels []string) bool {
		set := labelSet(key, labels)
		switch op {
		case "containsany":
			for _, v := range values {
				if set[v] {
					return true
				}
			}
			return false
		case "containsall":
			for _, v := range values {
				if !set[v] {
					return false
				}
			}
			return true
		case "consistsof":
			if len(set) != len(values) {
				return false
			}
			for _, v := range values {
				if !set[v] {
					return false
				}
			}
			return true
		default: // issubsetof
			for v := range set {
				if !contains(values, v) {
					return false
				}
			}
			return true
		}
	}, nil
}

// labelSet is the values of the "key: value" labels of a key, in lower case.
func labelSet(key string, labels []string) map[string]bool {
	key = strings.ToLower(strings.TrimSpace(key))
	out := map[string]bool{}
	for _, label := range labels {
		k, v, ok := strings.Cut(label, ":")
		if ok && key == strings.ToLower(strings.TrimSpace(k)) {
			out[strings.ToLower(strings.TrimSpace(v))] = true
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, item := range list {
		if item == s {
			return true
		}
	}
	return false
}

// labelTokens returns the tokens of a query one by one, as Ginkgo's tokenizer reads them.
func labelTokens(input string) func() (*lfNode, error) {
	last, lastValue := lfInvalid, ""
	runes, i := []rune(input), 0
	peekIs := func(r rune) bool { return i+1 < len(runes) && runes[i+1] == r }
	consumeUntil := func(cutset string) (string, int) {
		j := i
		for ; j < len(runes); j++ {
			if strings.ContainsRune(cutset, runes[j]) {
				break
			}
		}
		return string(runes[i:j]), j - i
	}
	return func() (*lfNode, error) {
		for i < len(runes) && runes[i] == ' ' {
			i++
		}
		if i >= len(runes) {
			return &lfNode{token: lfEOF}, nil
		}
		node := &lfNode{}
		defer func() { last, lastValue = node.token, node.value }()

		if last == lfSetKey { // a set operation must follow
			value, n := consumeUntil(" )")
			if !contains(setOperations, strings.ToLower(value)) {
				return &lfNode{}, errLabelFilter
			}
			i += n
			node.token, node.value = lfSetOperation, value
			return node, nil
		}
		if last == lfSetOperation { // its argument, empty for isEmpty
			var arg string
			if runes[i] == '{' {
				i++
				value, n := consumeUntil("}")
				if i+n >= len(runes) {
					return &lfNode{}, errLabelFilter // no closing '}'
				}
				i += n + 1
				arg = value
			} else {
				value, n := consumeUntil("&|!,()/")
				i += n
				arg = strings.TrimSpace(value)
			}
			if isEmpty := strings.ToLower(lastValue) == "isempty"; isEmpty != (arg == "") {
				return &lfNode{}, errLabelFilter
			}
			node.token, node.value = lfSetArgument, arg
			return node, nil
		}

		switch runes[i] {
		case '&':
			if !peekIs('&') {
				return &lfNode{}, errLabelFilter
			}
			i += 2
			node.token = lfAnd
		case '|':
			if !peekIs('|') {
				return &lfNode{}, errLabelFilter
			}
			i += 2
			node.token = lfOr
		case '!':
			i++
			node.token = lfNot
		case ',':
			i++
			node.token = lfOr
		case '(':
			i++
			node.token = lfOpenGroup
		case ')':
			i++
			node.token = lfCloseGroup
		case '/':
			i++
			value, n := consumeUntil("/")
			i += n + 1
			node.token, node.value = lfRegexp, value
		default:
			value, n := consumeUntil("&|!,()/:")
			i += n
			value = strings.TrimSpace(value)
			if i < len(runes) && runes[i] == ':' {
				if peekIs(' ') { // the start of a set operation
					if value == "" {
						return &lfNode{}, errLabelFilter
					}
					i++
					node.token, node.value = lfSetKey, value
					return node, nil
				}
				more, m := consumeUntil("&|!,()/")
				more = strings.TrimSpace(more)
				if more == ":" {
					return &lfNode{}, errLabelFilter
				}
				i += m
				value += more
			}
			lower := strings.ToLower(value)
			for _, op := range setOperations {
				if strings.Index(lower, " "+op) > 0 { // a set operation without its key
					return &lfNode{}, errLabelFilter
				}
			}
			node.token, node.value = lfLabel, strings.TrimSpace(value)
		}
		return node, nil
	}
}
