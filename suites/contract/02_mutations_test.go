package contract_test

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
	. "github.com/listkeys-conformance/listkeys-conformance/harness/matchers"
	"github.com/listkeys-conformance/listkeys-conformance/internal/suite"
)

// mutated is a body derived from a valid one, with the check and JSON Pointer it must violate, and any other
// check the same change breaks as well: the set of violated checks must be exactly these.
type mutated struct {
	definition string
	body       []byte
	check      contract.ID
	path       string
}

// entry is a table row whose check IDs are declared on the spec (labels, report entries): an ID the registry
// does not know stops the tree from being built.
func entry(title string, m mutated, also ...contract.ID) TableEntry {
	return Entry(title, suite.Checks(append([]contract.ID{m.check}, also...)...), m, also)
}

func result(edits ...examples.Edit) []byte    { return examples.Mutate(examples.Realistic, edits...) }
func errorBody(edits ...examples.Edit) []byte { return examples.Mutate(examples.Error, edits...) }

var (
	set = examples.Set
	del = examples.Delete
)

func connectionString(part, value string) string {
	cs := examples.Get(examples.Realistic, "/primaryConnectionString").(string)
	fields := strings.Split(cs, ";")
	for i, f := range fields {
		if strings.HasPrefix(f, part+"=") {
			fields[i] = part + "=" + value
		}
	}
	return strings.Join(fields, ";")
}

var _ = Describe("A mutated body", Label("core"), func() {
	DescribeTable("violates exactly the rule it breaks, at the JSON Pointer where it breaks it",
		func(m mutated, also []contract.ID) {
			report := validate(m.definition, m.body)
			Expect(report).To(HaveViolation(m.check, m.path))
			Expect(report).To(ViolateExactly(append([]contract.ID{m.check}, also...)...))
		},
		// Types, at every nesting level.
		entry("apiKeyEnabled must be a boolean, not a string", mutated{"ListKeysResult", result(set("/apiKeyEnabled", "true")), "schema.type", "/apiKeyEnabled"}),
		entry("apiKeyEnabled must be a boolean, not null", mutated{"ListKeysResult", result(set("/apiKeyEnabled", nil)), "schema.type", "/apiKeyEnabled"}),
		entry("primaryKey must be an object", mutated{"ListKeysResult", result(set("/primaryKey", "key")), "schema.type", "/primaryKey"}, "api-key.enabled-has-keys", "connection-string.api-key"),
		entry("secondaryKey must be an object, not an array", mutated{"ListKeysResult", result(set("/secondaryKey", []any{})), "schema.type", "/secondaryKey"}, "api-key.enabled-has-keys", "connection-string.api-key"),
		entry("primaryKey.createdAt must be a string", mutated{"ListKeysResult", result(set("/primaryKey/createdAt", 1700000000)), "schema.type", "/primaryKey/createdAt"}),
		entry("primaryKey.key must be a string", mutated{"ListKeysResult", result(set("/primaryKey/key", 42)), "schema.type", "/primaryKey/key"}),
		entry("secondaryKey.key must be a string", mutated{"ListKeysResult", result(set("/secondaryKey/key", true)), "schema.type", "/secondaryKey/key"}),
		entry("primaryConnectionString must be a string", mutated{"ListKeysResult", result(set("/primaryConnectionString", 1)), "schema.type", "/primaryConnectionString"}),
		entry("secondaryConnectionString must be a string", mutated{"ListKeysResult", result(set("/secondaryConnectionString", map[string]any{})), "schema.type", "/secondaryConnectionString"}),
		entry("a ListKeysResult must be an object, not an array", mutated{"ListKeysResult", result(set("", []any{1})), "schema.type", ""}),
		entry("a ListKeysResult must be an object, not a number", mutated{"ListKeysResult", result(set("", 7)), "schema.type", ""}),
		// Formats.
		entry("secondaryKey.createdAt must be a date-time", mutated{"ListKeysResult", result(set("/secondaryKey/createdAt", "yesterday")), "schema.format", "/secondaryKey/createdAt"}),
		// Undocumented members.
		entry("a ListKeysResult carries no undocumented property", mutated{"ListKeysResult", result(set("/expiresAt", "2026-01-01T00:00:00Z")), "body.undocumented-property", "/expiresAt"}),
		entry("an ApiKey carries no undocumented property", mutated{"ListKeysResult", result(set("/primaryKey/name", "key1")), "body.undocumented-property", "/primaryKey/name"}),
		// Cross-field rules of ListKeysResult.
		entry("the primary connection string carries the primary key", mutated{"ListKeysResult", result(set("/primaryConnectionString", connectionString("ApiKey", "c29tZS1vdGhlci1rZXk="))), "connection-string.api-key", "/primaryConnectionString"}),
		entry("the secondary connection string carries the secondary key, not the primary", mutated{"ListKeysResult", result(set("/secondaryConnectionString", examples.Get(examples.Realistic, "/primaryConnectionString"))), "connection-string.api-key", "/secondaryConnectionString"}),
		entry("a connection string ends with a semicolon", mutated{"ListKeysResult", result(set("/primaryConnectionString", strings.TrimSuffix(connectionString("ApiKey", "k"), ";"))), "connection-string.format", "/primaryConnectionString"}),
		entry("a connection string keeps the documented order", mutated{"ListKeysResult", result(set("/primaryConnectionString", "WorkspaceName=quantumworkspace1;SubscriptionId=00000000-1111-2222-3333-444444444444;ResourceGroupName=quantumResourcegroup;ApiKey=k;QuantumEndpoint=https://westus.quantum.azure.com/;")), "connection-string.format", "/primaryConnectionString"}),
		entry("a connection string's QuantumEndpoint is https://{location}.quantum.azure.com/", mutated{"ListKeysResult", result(set("/primaryConnectionString", connectionString("QuantumEndpoint", "http://westus.quantum.azure.com/"))), "connection-string.format", "/primaryConnectionString"}),
		entry("a connection string's SubscriptionId is a GUID", mutated{"ListKeysResult", result(set("/primaryConnectionString", connectionString("SubscriptionId", "my-subscription"))), "connection-string.format", "/primaryConnectionString"}),
		entry("a connection string names the requested workspace", mutated{"ListKeysResult", result(set("/primaryConnectionString", connectionString("WorkspaceName", "otherworkspace"))), "connection-string.workspace", "/primaryConnectionString"}),
		entry("a connection string names the requested resource group", mutated{"ListKeysResult", result(set("/primaryConnectionString", connectionString("ResourceGroupName", "otherGroup"))), "connection-string.workspace", "/primaryConnectionString"}),
		entry("a connection string names the requested subscription", mutated{"ListKeysResult", result(set("/primaryConnectionString", connectionString("SubscriptionId", "99999999-1111-2222-3333-444444444444"))), "connection-string.workspace", "/primaryConnectionString"}),
		entry("the two keys differ", mutated{"ListKeysResult", result(set("/secondaryKey/key", examples.Get(examples.Realistic, "/primaryKey/key"))), "api-key.distinct", "/secondaryKey/key"}, "connection-string.api-key"),
		entry("createdAt does not lie in the future", mutated{"ListKeysResult", result(set("/primaryKey/createdAt", "2099-01-01T00:00:00Z")), "api-key.created-in-past", "/primaryKey/createdAt"}),
		entry("apiKeyEnabled true comes with both keys", mutated{"ListKeysResult", result(del("/primaryKey/key")), "api-key.enabled-has-keys", "/primaryKey/key"}, "connection-string.api-key"),
		// Every member of ErrorResponse, at every level.
		entry("an error body has an error member", mutated{"ErrorResponse", errorBody(del("/error")), "error.code-message", "/error"}),
		entry("error must be an object", mutated{"ErrorResponse", errorBody(set("/error", "boom")), "schema.type", "/error"}),
		entry("error.code is present", mutated{"ErrorResponse", errorBody(del("/error/code")), "error.code-message", "/error/code"}),
		entry("error.code is not empty", mutated{"ErrorResponse", errorBody(set("/error/code", "")), "error.code-message", "/error/code"}),
		entry("error.code is a string", mutated{"ErrorResponse", errorBody(set("/error/code", 404)), "schema.type", "/error/code"}),
		entry("error.message is present", mutated{"ErrorResponse", errorBody(del("/error/message")), "error.code-message", "/error/message"}),
		entry("error.message is a string", mutated{"ErrorResponse", errorBody(set("/error/message", map[string]any{})), "schema.type", "/error/message"}),
		entry("error.target is a string", mutated{"ErrorResponse", errorBody(set("/error/target", 1)), "schema.type", "/error/target"}),
		entry("error.details is an array", mutated{"ErrorResponse", errorBody(set("/error/details", map[string]any{})), "schema.type", "/error/details"}),
		entry("a nested error has a code", mutated{"ErrorResponse", errorBody(del("/error/details/0/code")), "error.code-message", "/error/details/0/code"}),
		entry("a nested error's message is a string", mutated{"ErrorResponse", errorBody(set("/error/details/0/message", 5)), "schema.type", "/error/details/0/message"}),
		entry("error.additionalInfo is an array", mutated{"ErrorResponse", errorBody(set("/error/additionalInfo", "x")), "schema.type", "/error/additionalInfo"}),
		entry("additionalInfo.type is a string", mutated{"ErrorResponse", errorBody(set("/error/additionalInfo/0/type", 1)), "schema.type", "/error/additionalInfo/0/type"}),
		entry("additionalInfo.info is an object", mutated{"ErrorResponse", errorBody(set("/error/additionalInfo/0/info", "s")), "schema.type", "/error/additionalInfo/0/info"}),
		entry("an error carries no undocumented property", mutated{"ErrorResponse", errorBody(set("/error/status", 404)), "body.undocumented-property", "/error/status"}),
	)

	It("is reported as a placeholder, not a violation, where a redaction marker stands for a string", func() {
		report := validate("ListKeysResult", result(set("/primaryKey/createdAt", "REDACTED")))
		Expect(report).To(BeStrictlyConformant())
		Expect(report.Notes).To(ContainElement(ContainSubstring("/primaryKey/createdAt is a placeholder")))
	})

	It("is a type violation where a redaction marker stands for a boolean", func() {
		Expect(validate("ListKeysResult", result(set("/apiKeyEnabled", "Sanitized")))).To(HaveViolation("schema.type", "/apiKeyEnabled"))
	})
})
