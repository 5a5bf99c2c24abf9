package arm

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// Params are the values of the operation's parameters.
type Params struct {
	SubscriptionID, ResourceGroup, Workspace, APIVersion string
}

// fields binds the documented parameter names to Params' fields: the one place the two meet. NewBuilder
// refuses a contract whose parameters are not exactly these.
var fields = map[string]func(*Params) *string{
	"subscriptionId":    func(p *Params) *string { return &p.SubscriptionID },
	"resourceGroupName": func(p *Params) *string { return &p.ResourceGroup },
	"workspaceName":     func(p *Params) *string { return &p.Workspace },
	"api-version":       func(p *Params) *string { return &p.APIVersion },
}

// Carries reports whether Params has a field for the documented parameter name.
func Carries(name string) bool { return fields[name] != nil }

func (p *Params) field(name string) *string {
	if f := fields[name]; f != nil {
		return f(p)
	}
	return nil
}

// Get is the value of the parameter with the documented name, "" for a name Params does not carry.
func (p Params) Get(name string) string {
	if f := p.field(name); f != nil {
		return *f
	}
	return ""
}

// With returns p with the named parameter set to v. It panics on a name Params does not carry, which
// NewBuilder makes a contract error long before.
func (p Params) With(name, v string) Params {
	*p.field(name) = v
	return p
}

// ParamError is one parameter value the request may not carry. Constraint reads on from the quoted value:
// `workspaceName "a_b" does not match the pattern ^[a-zA-Z0-9]+(-*[a-zA-Z0-9])*$`.
type ParamError struct {
	Name, Value, Constraint string
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("%s %q %s", e.Name, e.Value, e.Constraint)
}

// Builder fills the documented path template of one contract. It is safe for concurrent use.
type Builder struct {
	contract *contract.Contract
	segments []string // the template split on "/"; "{name}" marks a parameter
	in       map[string]string
}

// NewBuilder checks that the contract's path template names only the parameters Params carries, each once,
// and that the only query parameter is api-version, so that a changed contract fails here and not in a
// request.
func NewBuilder(c *contract.Contract) (*Builder, error) {
	b := &Builder{contract: c, segments: strings.Split(c.Operation.Path, "/"), in: map[string]string{}}
	for _, p := range c.Parameters() {
		if p.In == "body" {
			continue // sent as the request body, not in the URL
		}
		if !Carries(p.Name) {
			return nil, fmt.Errorf("the contract documents parameter %s, which Params does not carry", p.Name)
		}
		b.in[p.Name] = p.In
	}
	inTemplate := map[string]bool{}
	for _, seg := range b.segments {
		name, ok := placeholder(seg)
		if !ok {
			continue
		}
		if b.in[name] != "path" || inTemplate[name] {
			return nil, fmt.Errorf("path template %s: {%s} is not a path parameter named once", c.Operation.Path, name)
		}
		inTemplate[name] = true
	}
	for name, in := range b.in {
		if (in == "path") != inTemplate[name] || (in == "query" && name != "api-version") || (in != "path" && in != "query") {
			return nil, fmt.Errorf("parameter %s (in %s) does not fit the path template %s", name, in, c.Operation.Path)
		}
	}
	if len(b.in) != len(fields) {
		return nil, fmt.Errorf("the contract documents %d parameters; Params carries %d", len(b.in), len(fields))
	}
	return b, nil
}

func placeholder(segment string) (string, bool) {
	if len(segment) > 2 && strings.HasPrefix(segment, "{") && strings.HasSuffix(segment, "}") {
		return segment[1 : len(segment)-1], true
	}
	return "", false
}

var (
	defaultOnce sync.Once
	defaultB    *Builder
	defaultErr  error
)

// defaultBuilder is the builder of contract.Default().
func defaultBuilder() (*Builder, error) {
	defaultOnce.Do(func() {
		c, err := contract.Default()
		if err != nil {
			defaultErr = err
			return
		}
		defaultB, defaultErr = NewBuilder(c)
	})
	return defaultB, defaultErr
}

// URL is Builder.URL with the contract of the default api-version.
func URL(endpoint string, p Params) (string, error) {
	b, err := defaultBuilder()
	if err != nil {
		return "", err
	}
	return b.URL(endpoint, p)
}

// UnsafeURL is Builder.UnsafeURL with the contract of the default api-version.
func UnsafeURL(endpoint string, p Params) (string, error) {
	b, err := defaultBuilder()
	if err != nil {
		return "", err
	}
	return b.UnsafeURL(endpoint, p)
}

// URL builds the request URL: endpoint, the documented path with each value as one escaped segment, and
// the single query parameter api-version. The values are checked first, against the contract's parameters
// schema and for path safety (see Check); the error then is a *ParamError, or several joined.
func (b *Builder) URL(endpoint string, p Params) (string, error) {
	if err := b.Check(p); err != nil {
		return "", err
	}
	return b.UnsafeURL(endpoint, p)
}

// UnsafeURL builds the URL without checking the values, for specs that probe the server with invalid ones.
// It still escapes every value into exactly one path segment ("/" as %2F, "." and ".." as %2E), so no value
// can move the request to another path. A spec that wants a raw, unescaped path writes the URL itself and
// sends it with Client.Send or Client.Probe. Only an unusable endpoint is an error.
func (b *Builder) UnsafeURL(endpoint string, p Params) (string, error) {
	base, err := checkEndpoint(endpoint)
	if err != nil {
		return "", fmt.Errorf("endpoint %q %w", endpoint, err)
	}
	var path strings.Builder
	for i, seg := range b.segments {
		if i > 0 {
			path.WriteByte('/')
		}
		if name, ok := placeholder(seg); ok {
			path.WriteString(escapeSegment(p.Get(name)))
		} else {
			path.WriteString(seg)
		}
	}
	query := url.Values{"api-version": {p.APIVersion}}
	return base + path.String() + "?" + query.Encode(), nil
}

// escapeSegment escapes v into one path segment. url.PathEscape leaves dots alone, but a segment that is
// "." or ".." is removed or climbs up at any hop that normalizes paths, so those dots are escaped too.
func escapeSegment(v string) string {
	if v == "." || v == ".." {
		return strings.Repeat("%2E", len(v))
	}
	return url.PathEscape(v)
}

// Check validates p: every value against the contract's generated parameters schema, and every path value
// for path safety, which the documented patterns alone do not give (resourceGroupName's pattern admits "..").
// It returns nil, one *ParamError, or several joined with errors.Join, in documented parameter order.
func (b *Builder) Check(p Params) error {
	errs := b.check(p)
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	joined := make([]error, len(errs))
	for i, e := range errs {
		joined[i] = e
	}
	return errors.Join(joined...)
}

// check reports at most one problem per parameter: a path-safety problem first, since it is the one that
// would have changed the request.
func (b *Builder) check(p Params) []*ParamError {
	values := map[string]string{}
	byName := map[string]*ParamError{}
	for name, in := range b.in {
		values[name] = p.Get(name)
		if in != "path" {
			continue
		}
		if constraint := contract.PathSafety(values[name]); constraint != "" {
			byName[name] = &ParamError{Name: name, Value: values[name], Constraint: constraint}
		}
	}
	for _, v := range b.contract.ValidateParameters(values) {
		name := v.Path[strings.LastIndex(v.Path, "/")+1:]
		if byName[name] == nil {
			byName[name] = &ParamError{Name: name, Value: values[name], Constraint: constraintOf(v.Message, name)}
		}
	}
	var out []*ParamError
	for _, p := range b.contract.Parameters() {
		if e := byName[p.Name]; e != nil {
			out = append(out, e)
			delete(byName, p.Name)
		}
	}
	// What the schema says about no documented parameter (it cannot compile, say) is kept, not dropped.
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		out = append(out, byName[name])
	}
	return out
}

// constraintOf takes the contract's message apart: it reads `name "value" constraint`, with the value
// quoted (and perhaps shortened) by the contract. A message of another shape is kept whole.
func constraintOf(message, name string) string {
	rest, ok := strings.CutPrefix(message, name+" ")
	if !ok {
		return message
	}
	quoted, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return rest
	}
	return strings.TrimPrefix(rest[len(quoted):], " ")
}
