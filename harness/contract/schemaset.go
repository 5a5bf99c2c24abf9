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

	// mu serializes the use of loader, which gojsonschema does not make safe for concurrent use, and guards
	// each file's registration.
	mu     sync.Mutex
	loader *gojsonschema.SchemaLoader
}

type lazySchema struct {
	id   string
	doc  map[string]any // as decodeSchema read it; the loader rewrites its $refs when it registers it
	refs []string       // the definitions doc refers to (refsIn)

	registered  bool // with the loader, by its $id; registerErr is why that failed
	registerErr error

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

// compile returns the compiled schema of a definition, nil for one the set does not have. The files it may
// reach are registered first, so that its $refs resolve without the network.
func (s *schemaSet) compile(name string) (*gojsonschema.Schema, error) {
	l := s.byName[name]
	if l == nil {
		return nil, nil
	}
	l.once.Do(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if l.err = s.registerFor(name); l.err != nil {
			return
		}
		if l.schema, l.err = s.loader.Compile(gojsonschema.NewReferenceLoader(l.id)); l.err != nil {
			l.err = fmt.Errorf("%s.schema.json: %w", name, l.err)
		}
	})
	return l.schema, l.err
}

// compileAll registers every file of the set, then compiles every schema, in file order: the first that
// does not register or compile is the error.
func (s *schemaSet) compileAll() error {
	s.mu.Lock()
	for _, name := range s.files {
		if err := s.registerFile(name); err != nil {
			s.mu.Unlock()
			return err
		}
	}
	s.mu.Unlock()
	for _, name := range s.files {
		if _, err := s.compile(name); err != nil {
			return err
		}
	}
	return nil
}

// registerFor registers the files a definition's schema may reach through $refs: the definition's own and,
// one $ref after another, those it names; every file of the set when a $ref names none of them (the loader
// would look for it on the network). Called with mu held.
func (s *schemaSet) registerFor(name string) error {
	var reach []string
	seen := map[string]bool{}
	for pending := []string{name}; len(pending) > 0; {
		n := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		l := s.byName[n]
		if l == nil {
			reach = s.files
			break
		}
		reach = append(reach, n)
		pending = append(pending, l.refs...)
	}
	for _, n := range reach {
		if err := s.registerFile(n); err != nil {
			return err
		}
	}
	return nil
}

// registerFile adds a file to the loader by its $id, once. Called with mu held.
func (s *schemaSet) registerFile(name string) error {
	l := s.byName[name]
	if !l.registered {
		l.registered = true
		if err := s.loader.AddSchemas(gojsonschema.NewRawLoader(l.doc)); err != nil {
			l.registerErr = fmt.Errorf("%s.schema.json: %w", name, err)
		}
	}
	return l.registerErr
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
