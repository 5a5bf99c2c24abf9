package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/xeipuuv/gojsonschema"
)

// schemaSet is the schemas of one generated set. Each is compiled the first time it is asked for (Load asks
// for all of them at once), so that a process validating one body does not compile the whole set.
type schemaSet struct {
	files  []string // the definitions, in the order of their files
	byName map[string]*lazySchema

	// mu serializes the use of loader, which gojsonschema does not make safe for concurrent use.
	mu          sync.Mutex
	loader      *gojsonschema.SchemaLoader
	register    sync.Once
	registerErr error
}

type lazySchema struct {
	id  string
	doc map[string]any // as decodeSchema read it; the loader rewrites its $refs when it registers it

	once   sync.Once
	schema *gojsonschema.Schema
	err    error
}

// decodeSchema decodes a schema file as gojsonschema reads one (numbers as json.Number), so that the schema
// and the contract's own reading of it share one decode. The package's strict decoder reads a file it finds
// nothing odd in (no duplicate member, no lone surrogate, nothing after the value) to the value
// encoding/json gives, at a fraction of the cost in a process that has just started; any other file is
// left to encoding/json, and one that is not a JSON object gets json.Unmarshal's error.
func decodeSchema(data []byte) (map[string]any, error) {
	if v, strict, err := Decode(data); err == nil && len(strict) == 0 {
		if doc, ok := v.(map[string]any); ok {
			return doc, nil
		}
	}
	var doc map[string]any
	if json.Valid(data) {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if dec.Decode(&doc) == nil {
			return doc, nil
		}
	}
	return doc, json.Unmarshal(data, &doc)
}

// compile returns the compiled schema of a definition, nil for one the set does not have. Every file is
// registered by its $id before the first compile, so cross-file $refs resolve without the network.
func (s *schemaSet) compile(name string) (*gojsonschema.Schema, error) {
	l := s.byName[name]
	if l == nil {
		return nil, nil
	}
	l.once.Do(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.register.Do(func() {
			for _, f := range s.files {
				if err := s.loader.AddSchemas(gojsonschema.NewRawLoader(s.byName[f].doc)); err != nil {
					s.registerErr = fmt.Errorf("%s.schema.json: %w", f, err)
					return
				}
			}
		})
		if l.err = s.registerErr; l.err != nil {
			return
		}
		if l.schema, l.err = s.loader.Compile(gojsonschema.NewReferenceLoader(l.id)); l.err != nil {
			l.err = fmt.Errorf("%s.schema.json: %w", name, l.err)
		}
	})
	return l.schema, l.err
}

// compileAll compiles every schema of the set, in file order: the first that does not compile is the error.
func (s *schemaSet) compileAll() error {
	for _, name := range s.files {
		if _, err := s.compile(name); err != nil {
			return err
		}
	}
	return nil
}

// schema is the compiled schema of a definition, nil for one the contract does not have. A schema that does
// not compile can only be an embedded one (Load compiles the others before it returns), which
// TestEmbeddedSchemasCompile rules out.
func (c *Contract) schema(name string) *gojsonschema.Schema {
	s, err := c.set.compile(name)
	if err != nil {
		panic("contract: embedded schema " + err.Error())
	}
	return s
}
