package generator

import (
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/listkeys-conformance/listkeys-conformance/harness/contract"
)

// copied keywords mean the same in swagger 2.0 and draft-07 and are written unchanged.
var copied = map[string]bool{
	"type": true, "format": true, "pattern": true,
	"minLength": true, "maxLength": true, "minimum": true, "maximum": true,
	"enum": true, "readOnly": true, "description": true, "default": true,
	"x-ms-secret": true, // tells the recorder and the contract which values are secrets
}

// dropped keywords are documentation only; title is replaced by the definition's name.
var dropped = map[string]bool{"title": true, "example": true, "externalDocs": true, "xml": true}

// unsupported keywords change what is valid but are not translated. Failing here beats writing a
// schema that silently accepts or rejects more than the spec says.
var unsupported = map[string]string{
	"discriminator":            "polymorphism is not translated",
	"x-ms-discriminator-value": "polymorphism is not translated",
	"x-nullable":               "it changes whether null is valid and is not translated",
	"collectionFormat":         "serialized arrays are not translated",
	"allowEmptyValue":          "it is not translated",
	"multipleOf":               "it is not translated yet",
	"minItems":                 "it is not translated yet",
	"maxItems":                 "it is not translated yet",
	"uniqueItems":              "it is not translated yet",
	"minProperties":            "it is not translated yet",
	"maxProperties":            "it is not translated yet",
}

var swaggerTypes = []string{"string", "number", "integer", "boolean", "array", "object"}

// convert turns a swagger schema found at at into a draft-07 schema. References to definitions become
// references to their files and queue the definition; nothing is inlined, so recursion needs no guard here.
func (g *generator) convert(at location, node any) (map[string]any, error) {
	schema, ok := node.(map[string]any)
	if !ok {
		return nil, at.errorf("a schema must be an object, got %s", kind(node))
	}
	if _, ok := schema["$ref"]; ok {
		return g.convertRef(at, schema)
	}
	out := map[string]any{}
	for _, key := range slices.Sorted(maps.Keys(schema)) {
		value := schema[key]
		if err := checkValue(at, key, value); err != nil {
			return nil, err
		}
		switch key {
		case "exclusiveMinimum", "exclusiveMaximum":
			// handled below, once minimum and maximum are known
		case "required":
			if !isStringArray(value) {
				return nil, at.errorf("required must be an array of property names, got %s", kind(value))
			}
			out[key] = value
		case "items":
			items, err := g.convert(at.child(key), value)
			if err != nil {
				return nil, err
			}
			out[key] = items
		case "properties":
			props, ok := value.(map[string]any)
			if !ok {
				return nil, at.errorf("properties must be an object, got %s", kind(value))
			}
			converted := map[string]any{}
			for _, name := range slices.Sorted(maps.Keys(props)) {
				p, err := g.convert(at.child(key, name), props[name])
				if err != nil {
					return nil, err
				}
				converted[name] = p
			}
			out[key] = converted
		case "additionalProperties":
			if b, ok := value.(bool); ok {
				out[key] = b
				break
			}
			ap, err := g.convert(at.child(key), value)
			if err != nil {
				return nil, err
			}
			out[key] = ap
		case "allOf":
			members, ok := value.([]any)
			if !ok || len(members) == 0 {
				return nil, at.errorf("allOf must be a non-empty array")
			}
			converted := make([]any, len(members))
			for i, m := range members {
				c, err := g.convert(at.child(key, strconv.Itoa(i)), m)
				if err != nil {
					return nil, err
				}
				converted[i] = c
			}
			out[key] = converted
		default:
			if reason, ok := unsupported[key]; ok {
				return nil, at.errorf("keyword %q is not supported: %s", key, reason)
			}
			switch {
			case copied[key]:
				out[key] = value
			case dropped[key], strings.HasPrefix(key, "x-"):
				// annotations with no meaning for validation or for the contract
			default:
				return nil, at.errorf("unknown keyword %q", key)
			}
		}
	}
	if err := convertExclusive(at, schema, out, "exclusiveMinimum", "minimum"); err != nil {
		return nil, err
	}
	if err := convertExclusive(at, schema, out, "exclusiveMaximum", "maximum"); err != nil {
		return nil, err
	}
	return out, nil
}

// convertRef handles a schema that is a reference. Swagger and draft-07 both ignore a $ref's siblings for
// validation; the annotations we keep elsewhere are kept, anything that looks like a constraint is an
// error because its author evidently expected it to apply.
func (g *generator) convertRef(at location, schema map[string]any) (map[string]any, error) {
	name, err := g.reference(at, schema["$ref"])
	if err != nil {
		return nil, err
	}
	out := map[string]any{"$ref": name + schemaSuffix}
	for _, key := range slices.Sorted(maps.Keys(schema)) {
		switch {
		case key == "$ref", dropped[key]:
		case key == "description" || key == "readOnly" || key == "x-ms-secret":
			if err := checkValue(at, key, schema[key]); err != nil {
				return nil, err
			}
			out[key] = schema[key]
		case unsupported[key] != "":
			return nil, at.errorf("keyword %q is not supported: %s", key, unsupported[key])
		case strings.HasPrefix(key, "x-"):
		default:
			return nil, at.errorf("%q beside $ref would be ignored; move it into the definition", key)
		}
	}
	return out, nil
}

// convertExclusive rewrites swagger's boolean exclusiveMinimum (a flag on minimum) into draft-07's
// numeric form (the bound itself, with no minimum).
func convertExclusive(at location, schema, out map[string]any, exclusive, bound string) error {
	flag, present := schema[exclusive]
	if !present {
		return nil
	}
	b, ok := flag.(bool)
	if !ok {
		return at.errorf("%s must be a boolean in swagger 2.0, got %s", exclusive, kind(flag))
	}
	if !b {
		return nil
	}
	limit, ok := schema[bound]
	if !ok {
		return at.errorf("%s is true but there is no %s", exclusive, bound)
	}
	out[exclusive] = limit
	delete(out, bound)
	return nil
}

// checkValue rejects values of the wrong JSON type for the keywords whose value the generator relies on,
// and formats and patterns that nothing downstream could check.
func checkValue(at location, key string, value any) error {
	switch key {
	case "type":
		s, ok := value.(string)
		if s == "file" {
			return at.errorf("type \"file\" is not supported: a file upload has no JSON Schema")
		}
		if !ok || !slices.Contains(swaggerTypes, s) {
			return at.errorf("unknown type %v", jsonText(value))
		}
	case "format":
		s, ok := value.(string)
		// Only formats the contract checks get through: any other would pass unchecked.
		if !ok || !slices.Contains(contract.FormatNames(), s) {
			return at.errorf("unknown format %v", jsonText(value))
		}
	case "pattern":
		s, ok := value.(string)
		if !ok {
			return at.errorf("pattern must be a string, got %s", kind(value))
		}
		// Validators here use Go's RE2; an ECMA-only pattern would fail later, far from its source.
		if _, err := regexp.Compile(s); err != nil {
			return at.errorf("pattern %q is not valid RE2: %v", s, err)
		}
	case "minLength", "maxLength", "minimum", "maximum":
		if _, ok := value.(json.Number); !ok {
			return at.errorf("%s must be a number, got %s", key, kind(value))
		}
	case "enum":
		if _, ok := value.([]any); !ok {
			return at.errorf("enum must be an array, got %s", kind(value))
		}
	case "readOnly", "x-ms-secret":
		if _, ok := value.(bool); !ok {
			return at.errorf("%s must be a boolean, got %s", key, kind(value))
		}
	case "description":
		if _, ok := value.(string); !ok {
			return at.errorf("description must be a string, got %s", kind(value))
		}
	}
	return nil
}

func isStringArray(v any) bool {
	items, ok := v.([]any)
	if !ok {
		return false
	}
	for _, item := range items {
		if _, ok := item.(string); !ok {
			return false
		}
	}
	return true
}

// jsonText shows a value as it appears in the spec, so `unknown format "datetime"` quotes a string.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return kind(v)
	}
	return string(b)
}
