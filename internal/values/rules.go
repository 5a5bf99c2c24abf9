package values

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"unicode/utf8"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// Constraint is one kind of rule a value can break.
type Constraint string

const (
	Format     Constraint = "format"      // the schema's format (uuid)
	MinLength  Constraint = "minLength"   // fewer characters than the schema's minLength
	MaxLength  Constraint = "maxLength"   // more characters than the schema's maxLength
	Pattern    Constraint = "pattern"     // the schema's pattern does not match
	PathSafety Constraint = "path safety" // a path value that would change the request path (not in the schema)
)

// Rule is one parameter's constraints as the generated parameters schema states them.
type Rule struct {
	Name, In  string // the documented name; "path" or "query"
	Format    string // "" when the schema sets none
	MinLength int    // 0 when the schema sets none
	MaxLength int    // -1 when the schema sets none
	Pattern   string // "" when the schema sets none

	pattern *regexp.Regexp // compiled as the contract compiles it: Go RE2
	tree    *syntax.Regexp // the pattern parsed and simplified, to generate from
}

// Rules is every parameter's Rule, in the order the schema requires them.
type Rules struct {
	APIVersion string // the operation's api-version: the one valid value the server is known to serve
	rules      []*Rule
}

// Default reads the rules from the embedded parameters schema of the default contract.
func Default() (*Rules, error) {
	c, err := contract.Default()
	if err != nil {
		return nil, err
	}
	return FromContract(schemas.FS, c)
}

// FromContract reads the rules from the parameters schema c was loaded from, in fsys (one folder per
// api-version).
func FromContract(fsys fs.FS, c *contract.Contract) (*Rules, error) {
	file := c.Operation.APIVersion + "/" + c.Operation.ID + ".parameters.schema.json"
	doc, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("parameter rules: %w", err)
	}
	rs, err := Parse(doc)
	if err != nil {
		return nil, fmt.Errorf("parameter rules from %s: %w", file, err)
	}
	return rs, nil
}

// known are the keywords this package understands in a parameter's schema. Any other is an error, so a
// contract that grows a constraint (an enum, say) fails here instead of going ungenerated.
var known = []string{"description", "type", "format", "minLength", "maxLength", "pattern", "x-in"}

// Parse reads a generated parameters schema.
func Parse(doc []byte) (*Rules, error) {
	var schema struct {
		Properties map[string]map[string]json.RawMessage `json:"properties"`
		Required   []string                              `json:"required"`
		Operation  struct {
			APIVersion string `json:"apiVersion"`
		} `json:"x-operation"`
	}
	if err := json.Unmarshal(doc, &schema); err != nil {
		return nil, err
	}
	rs := &Rules{APIVersion: schema.Operation.APIVersion}
	// Required first, in the schema's order; any optional parameter after them, sorted, so the order (and so
	// what a seed generates) never depends on map iteration.
	names := slices.Clone(schema.Required)
	var optional []string
	for name := range schema.Properties {
		if !slices.Contains(names, name) {
			optional = append(optional, name)
		}
	}
	slices.Sort(optional)
	names = append(names, optional...)
	for _, name := range names {
		props, ok := schema.Properties[name]
		if !ok {
			return nil, fmt.Errorf("parameter %s is required but has no schema", name)
		}
		r, err := parseRule(name, props)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", name, err)
		}
		rs.rules = append(rs.rules, r)
	}
	return rs, nil
}

func parseRule(name string, props map[string]json.RawMessage) (*Rule, error) {
	if !arm.Carries(name) {
		return nil, fmt.Errorf("arm.Params carries no such parameter")
	}
	r := &Rule{Name: name, MaxLength: -1}
	for key, raw := range props {
		var err error
		switch key {
		case "description":
		case "type":
			var t string
			if err = json.Unmarshal(raw, &t); err == nil && t != "string" {
				err = fmt.Errorf("type %s: only strings are generated", t)
			}
		case "format":
			err = json.Unmarshal(raw, &r.Format)
			if err == nil && formats[r.Format] == nil {
				err = fmt.Errorf("format %q has no grammar here (known: %s)", r.Format, strings.Join(formatNames(), ", "))
			}
		case "minLength":
			err = json.Unmarshal(raw, &r.MinLength)
		case "maxLength":
			err = json.Unmarshal(raw, &r.MaxLength)
		case "pattern":
			err = json.Unmarshal(raw, &r.Pattern)
		case "x-in":
			err = json.Unmarshal(raw, &r.In)
		default:
			err = fmt.Errorf("keyword %s is not one this package generates for (%s): teach it", key, strings.Join(known, ", "))
		}
		if err != nil {
			return nil, err
		}
	}
	if r.Pattern != "" {
		var err error
		if r.pattern, err = regexp.Compile(r.Pattern); err != nil {
			return nil, fmt.Errorf("pattern %s: %w", r.Pattern, err)
		}
		tree, err := syntax.Parse(r.Pattern, syntax.Perl)
		if err != nil {
			return nil, fmt.Errorf("pattern %s: %w", r.Pattern, err)
		}
		r.tree = tree.Simplify()
	}
	return r, nil
}

// All is every rule, in the schema's order.
func (rs *Rules) All() []*Rule { return rs.rules }

// Rule is the named parameter's rule, or nil.
func (rs *Rules) Rule(name string) *Rule {
	for _, r := range rs.rules {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Constraints lists what r constrains, in the order Broken reports them.
func (r *Rule) Constraints() []Constraint {
	var out []Constraint
	if r.In == "path" {
		out = append(out, PathSafety)
	}
	if r.Format != "" {
		out = append(out, Format)
	}
	if r.MinLength > 0 {
		out = append(out, MinLength)
	}
	if r.MaxLength >= 0 {
		out = append(out, MaxLength)
	}
	if r.Pattern != "" {
		out = append(out, Pattern)
	}
	return out
}

// Broken lists the constraints v breaks; none for a valid value. Lengths count characters, as JSON Schema
// does.
func (r *Rule) Broken(v string) []Constraint {
	var out []Constraint
	n := utf8.RuneCountInString(v)
	for _, c := range r.Constraints() {
		broken := false
		switch c {
		case PathSafety:
			broken = contract.PathSafety(v) != ""
		case Format:
			broken = contract.CheckFormat(r.Format, v) != nil
		case MinLength:
			broken = n < r.MinLength
		case MaxLength:
			broken = n > r.MaxLength
		case Pattern:
			broken = !r.pattern.MatchString(v)
		}
		if broken {
			out = append(out, c)
		}
	}
	return out
}

// Wording is what a refusal for breaking c must say to name the constraint: the format's name, the bound,
// the pattern itself, or that the value does not fit the path.
func (r *Rule) Wording(c Constraint) string {
	switch c {
	case Format:
		return r.Format
	case MinLength:
		return fmt.Sprintf("at least %d", r.MinLength)
	case MaxLength:
		return fmt.Sprintf("at most %d", r.MaxLength)
	case Pattern:
		return r.Pattern
	case PathSafety:
		return "path"
	}
	return string(c)
}

// armRules are ARM's documented rules beyond the contract's (docs/arm-errors.md). The client follows the
// contract, so it does not enforce them; but a value generated as valid must satisfy them too, or the server would
// refuse it for a reason the contract does not state. Each divergence has its own row in the server table.
var armRules = map[string]func(string) bool{
	// ARM refuses a resource group name that ends in ".", which the documented pattern lets through.
	"resourceGroupName": func(v string) bool { return !strings.HasSuffix(v, ".") },
}
