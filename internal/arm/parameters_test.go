package arm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/internal/arm"
	"github.com/listkeys-conformance/listkeys-conformance/internal/values"
	"github.com/listkeys-conformance/listkeys-conformance/schemas"
)

// These tests are the builder's own: what arm.Builder refuses before a request is sent (the generated
// parameters schema, then path safety), and what its pipeline puts on the wire. They test the suite's code,
// not a service or a client under test, so they are unit tests here rather than specs in a conformance
// report.

// accepts is the outcome "the builder accepts the value"; any other outcome is the constraint the refusal
// must name.
const accepts values.Constraint = ""

func parameterRules(t *testing.T) (*contract.Contract, *values.Rules, *arm.Builder) {
	t.Helper()
	c, err := contract.Default()
	if err != nil {
		t.Fatalf("the embedded contract: %v", err)
	}
	rules, err := values.Default()
	if err != nil {
		t.Fatalf("the parameter rules of the embedded parameters schema: %v", err)
	}
	b, err := arm.NewBuilder(c)
	if err != nil {
		t.Fatal(err)
	}
	return c, rules, b
}

// documentedParams is the documented example's request, at the api-version under test: each case replaces
// one of its values.
func documentedParams() arm.Params {
	p := validParams()
	p.APIVersion = schemas.DefaultAPIVersion
	return p
}

// TestBuilderChecksEachParameter: a refusal names the parameter, quotes the value and names the constraint.
func TestBuilderChecksEachParameter(t *testing.T) {
	_, rules, builder := parameterRules(t)
	tests := []struct {
		param, name, value string
		want               values.Constraint
	}{
		// subscriptionId: the documented format uuid (JSON Schema's: 8-4-4-4-12 hexadecimal digits, either case).
		{"subscriptionId", "accepts lower-case hexadecimal digits", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", accepts},
		{"subscriptionId", "accepts upper-case hexadecimal digits", "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE", accepts},
		{"subscriptionId", "refuses a GUID in braces", "{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee}", values.Format},
		{"subscriptionId", "refuses 32 digits without dashes", "aaaaaaaabbbbccccddddeeeeeeeeeeee", values.Format},
		{"subscriptionId", "refuses 35 characters", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeee", values.Format},
		{"subscriptionId", "refuses 37 characters", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeeee", values.Format},
		{"subscriptionId", "refuses a digit that is not hexadecimal", "gaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", values.Format},
		{"subscriptionId", "refuses an empty value", "", values.Format},

		// resourceGroupName: the documented lengths 1 to 90 and pattern.
		{"resourceGroupName", "accepts 1 character", "g", accepts},
		{"resourceGroupName", "accepts 90 characters", strings.Repeat("g", 90), accepts},
		{"resourceGroupName", "refuses 0 characters", "", values.MinLength},
		{"resourceGroupName", "refuses 91 characters", strings.Repeat("g", 91), values.MaxLength},
		{"resourceGroupName", "accepts '-'", "my-group", accepts},
		{"resourceGroupName", "accepts '_'", "my_group", accepts},
		{"resourceGroupName", "accepts '.' inside", "my.group", accepts},
		{"resourceGroupName", "accepts '('", "my(group", accepts},
		{"resourceGroupName", "accepts ')'", "my)group", accepts},
		{"resourceGroupName", "refuses a space", "my group", values.Pattern},
		{"resourceGroupName", "refuses '/', as unfit for the path", "my/group", values.PathSafety},
		{"resourceGroupName", "refuses '#', as unfit for the path", "my#group", values.PathSafety},
		{"resourceGroupName", "refuses '%', as unfit for the path", "my%group", values.PathSafety},
		{"resourceGroupName", "refuses '?', as unfit for the path", "my?group", values.PathSafety},
		// Where ARM's rules differ from the documented pattern (docs/arm-errors.md: ARM allows Unicode letters
		// and refuses a trailing "."; the pattern, read by Go's RE2, does the opposite on both), the builder
		// follows the pattern, since a client is generated from the contract. The server side expects what ARM
		// does (suites/parameters).
		{"resourceGroupName", "accepts a name ending in '.', which the pattern admits and ARM refuses", "my-group.", accepts},
		{"resourceGroupName", "refuses Unicode letters, which ARM allows and the pattern's ASCII \\w does not match", "grüppe", values.Pattern},

		// workspaceName: the documented pattern.
		{"workspaceName", "accepts a single character", "w", accepts},
		{"workspaceName", "accepts '--' inside", "my--workspace", accepts},
		{"workspaceName", "refuses a leading '-'", "-workspace", values.Pattern},
		{"workspaceName", "refuses a trailing '-'", "workspace-", values.Pattern},
		{"workspaceName", "refuses '_'", "my_workspace", values.Pattern},
		{"workspaceName", "refuses '.'", "my.workspace", values.Pattern},
		{"workspaceName", "refuses Unicode letters", "wörkspace", values.Pattern},
		{"workspaceName", "refuses an empty value", "", values.Pattern},

		// api-version, which the contract documents only as a non-empty string.
		{"api-version", "accepts the api-version under test", schemas.DefaultAPIVersion, accepts},
		{"api-version", "refuses an empty value", "", values.MinLength},
		{"api-version", "accepts white space, which the contract does not exclude (the server must refuse it)", " ", accepts},
		{"api-version", "accepts a well-formed api-version, since it cannot know which ones the server serves (the server must refuse one it does not)", "2000-01-01-preview", accepts},
	}
	for _, tt := range tests {
		t.Run(tt.param+"/"+tt.name, func(t *testing.T) {
			err := builder.Check(documentedParams().With(tt.param, tt.value))
			if tt.want == accepts {
				if err != nil {
					t.Errorf("%s %q refused: %v", tt.param, tt.value, err)
				}
				return
			}
			if err := rules.Refused(err, tt.param, tt.value, tt.want); err != nil {
				t.Errorf("%s %q: %v", tt.param, tt.value, err)
			}
		})
	}
}

// arm.Params has no way to leave a value out, so this one is asked of the contract the builder checks
// against.
func TestContractRequiresAPIVersion(t *testing.T) {
	c, _, _ := parameterRules(t)
	p := documentedParams()
	params := map[string]string{"subscriptionId": p.SubscriptionID, "resourceGroupName": p.ResourceGroup, "workspaceName": p.Workspace}
	vs := c.ValidateParameters(params)
	if len(vs) != 1 || vs[0].Path != "/request/query/api-version" || !strings.Contains(vs[0].Message, "required") {
		t.Errorf("without api-version: %+v; want one violation at /request/query/api-version saying required", vs)
	}
	params["api-version"] = p.APIVersion
	if vs := c.ValidateParameters(params); len(vs) != 0 {
		t.Errorf("with api-version: %+v; want none", vs)
	}
}

// Path safety is the builder's own rule, beyond the schema: the documented resource-group pattern admits
// "..", and a pattern says nothing of how a value travels. Each value is tried in every path parameter: one
// that would change the request path, or that a hop may split, cut, decode again or refuse, is refused.
func TestBuilderRefusesPathUnsafeValues(t *testing.T) {
	_, rules, builder := parameterRules(t)
	tests := []struct{ name, value string }{
		{"'/'", "a/b"},
		{"the dot segment '..'", ".."},
		{"the dot segment '.'", "."},
		{"'%2F', an escaped '/'", "a%2Fb"},
		{"'?'", "a?b"},
		{"'#'", "a#b"},
		{`'\'`, `a\b`},
		{"CR LF", "a\r\nb"},
		{"LF", "a\nb"},
		{"NUL", "a\x00b"},
		{"a C0 control character (ESC)", "a\x1bb"},
		{"DEL", "a\x7fb"},
		{"a C1 control character (NEL)", "a\u0085b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, param := range []string{"subscriptionId", "resourceGroupName", "workspaceName"} {
				err := builder.Check(documentedParams().With(param, tt.value))
				if err := rules.Refused(err, param, tt.value, values.PathSafety); err != nil {
					t.Errorf("in %s: %v", param, err)
				}
			}
		})
	}
}

// generatedFor makes values from the run's seed (LISTKEYS_SEED, default values.DefaultSeed), varying the
// documented request one parameter at a time.
func generatedFor(t *testing.T, rules *values.Rules) *values.Generator {
	t.Helper()
	seed, err := values.SeedFromEnvironment()
	if err != nil {
		t.Fatal(err)
	}
	return values.NewGenerator(rules, documentedParams(), seed)
}

// holds fails the test with the counterexample, shrunk, and how to generate the same values again.
func holds(t *testing.T, seed uint64, cx *values.Counterexample) {
	t.Helper()
	if cx != nil {
		t.Errorf("seed %d (run again with %s=%d):\n%s", seed, values.EnvSeed, seed, cx)
	}
}

func TestGeneratedInvalidValuesAreRefused(t *testing.T) {
	_, rules, builder := parameterRules(t)
	gen := generatedFor(t, rules)
	cases, err := gen.Invalid(300)
	if err != nil {
		t.Fatal(err)
	}
	// Each is refused naming the parameter, the value and a constraint the value breaks.
	holds(t, gen.Seed, values.Falsify(cases, values.ClientRefuses(builder, rules), 500))
}

func TestGeneratedValidValuesAreAccepted(t *testing.T) {
	_, rules, builder := parameterRules(t)
	gen := generatedFor(t, rules)
	cases, err := gen.Valid(100)
	if err != nil {
		t.Fatal(err)
	}
	holds(t, gen.Seed, values.Falsify(cases, values.ClientAccepts(builder), 500))
}

// The URL tests prove by construction that the URL keeps each value in its segment; this one follows the same
// generated values, valid or not, through azcore's pipeline and Go's HTTP client to a server on loopback, and
// reads the request target it received: the documented path template with each value escaped into its own
// segment, and api-version alone in the query.
func TestGeneratedValuesArriveAsDocumented(t *testing.T) {
	c, rules, _ := parameterRules(t)
	gen := generatedFor(t, rules)
	invalid, err := gen.Invalid(300)
	if err != nil {
		t.Fatal(err)
	}
	valid, err := gen.Valid(100)
	if err != nil {
		t.Fatal(err)
	}
	l := values.NewLoopback()
	defer l.Close()
	arrives, err := l.ArrivesAsDocumented(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	holds(t, gen.Seed, values.Falsify(append(valid, invalid...), arrives, 200))
}
