package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// JSON encodes the report as report.json, checked against the v1 schema: a report that would not validate
// is a bug, and is not written.
func (r Report) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // placeholders such as <redacted:listkeys-conformance> stay readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encoding report.json: %w", err)
	}
	if err := Validate(b.Bytes()); err != nil {
		return nil, fmt.Errorf("report.json: %w", err)
	}
	return b.Bytes(), nil
}

// Decode reads a saved report.json, refusing anything that is not format v1.
func Decode(data []byte) (Report, error) {
	var head struct {
		Format string `json:"format"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return Report{}, fmt.Errorf("not JSON: %w", err)
	}
	if head.Format != Format {
		return Report{}, fmt.Errorf("format %q, want %q (a Ginkgo JSON report is read with --from-ginkgo)", head.Format, Format)
	}
	if err := Validate(data); err != nil {
		return Report{}, err
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		return Report{}, err
	}
	return r, nil
}

// File is one rendering and where it goes.
type File struct {
	Path string
	Data []byte
}

// Files renders the report as the four files of a report folder: report.json, report.html, report.md and
// junit.xml, under the given names.
func (r Report) Files(dir string, names Names) ([]File, error) {
	js, err := r.JSON()
	if err != nil {
		return nil, err
	}
	page, err := r.HTML()
	if err != nil {
		return nil, err
	}
	junit, err := r.JUnit()
	if err != nil {
		return nil, err
	}
	return []File{
		{filepath.Join(dir, names.JSON), js},
		{filepath.Join(dir, names.HTML), page},
		{filepath.Join(dir, names.Markdown), r.Markdown()},
		{filepath.Join(dir, names.JUnit), junit},
	}, nil
}

// Names are the file names of a report folder.
type Names struct{ JSON, HTML, Markdown, JUnit string }

// DefaultNames are the suites' report files.
var DefaultNames = Names{JSONFile, HTMLFile, MarkdownFile, JUnitFile}

// Write renders the report into dir (created if missing) and returns the paths written.
func (r Report) Write(dir string, names Names) ([]string, error) {
	files, err := r.Files(dir, names)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report folder: %w", err)
	}
	var paths []string
	for _, f := range files {
		if err := WriteFile(f.Path, f.Data); err != nil {
			return paths, err
		}
		paths = append(paths, f.Path)
	}
	return paths, nil
}

// WriteFile writes one rendering, replacing the file whole (written aside, then renamed), so a reader never
// sees half a report.
func WriteFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
