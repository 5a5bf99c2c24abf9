package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/listkeys-conformance/listkeys-conformance/internal/traffic"
)

func init() {
	register("drift", "say what a fresh recording answers differently from the committed cassettes", runDrift)
}

// runDrift is the nightly's plain statement of what changed: for each scenario, status, error.code, body
// members and header names of the fresh recording against the committed one. It exits 4 (exitDrift) when
// anything differs: drift is news, not a violation, so it does not share 1 with the commands that judge.
func runDrift(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("drift", stdout, stderr, "--committed DIR --recorded DIR")
	committed := fs.String("committed", "", "folder of the committed cassettes")
	recorded := fs.String("recorded", "", "folder of the freshly recorded cassettes")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	fail := fs.usageError
	if *committed == "" || *recorded == "" || fs.NArg() > 0 {
		return fail("give --committed DIR and --recorded DIR, and no arguments (see 'listkeys-conformance drift -h')")
	}
	was, code, err := readCassettes(*committed)
	if err != nil {
		return errorf(stderr, "drift", code, "--committed %s: %v", *committed, err)
	}
	now, code, err := readCassettes(*recorded)
	if err != nil {
		return errorf(stderr, "drift", code, "--recorded %s: %v", *recorded, err)
	}
	drifted := false
	for _, name := range sortedNames(was, now) {
		w, inWas := was[name]
		n, inNow := now[name]
		var lines []string
		switch {
		case !inNow:
			lines = []string{"not recorded this run (skipped, or the scenario failed before answering)"}
		case !inWas:
			lines = []string{"new: no committed cassette to compare with"}
		default:
			lines = traffic.Drift(w, n)
		}
		if len(lines) == 0 {
			fmt.Fprintf(stdout, "%s: unchanged\n", name)
			continue
		}
		drifted = true
		for _, l := range lines {
			fmt.Fprintf(stdout, "%s: %s\n", name, l)
		}
	}
	if drifted {
		return exitDrift
	}
	return exitOK
}

// readCassettes reads the *.yaml cassettes of a folder. On failure the code says whose fault it is: exitUsage
// when the folder is missing or holds no readable cassettes, exitRuntime when it exists but cannot be read.
func readCassettes(dir string) (map[string]traffic.Recording, int, error) {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, exitUsage, errors.New("the folder does not exist")
	case err != nil && !isDir(dir):
		return nil, exitUsage, errors.New("not a folder")
	case err != nil:
		return nil, exitRuntime, err
	}
	out := map[string]traffic.Recording{}
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".yaml" {
			continue
		}
		f := filepath.Join(dir, e.Name())
		data, err := readCapped(f, nil, defaultMaxBody, fmt.Sprintf("%d MiB, which no cassette of this suite is", defaultMaxBody>>20))
		if err != nil {
			return nil, exitUsage, err
		}
		rec, err := traffic.Read(f, data)
		if err != nil {
			return nil, exitUsage, err
		}
		out[e.Name()] = rec
	}
	if len(out) == 0 {
		return nil, exitUsage, errors.New("no *.yaml cassettes in it")
	}
	return out, exitOK, nil
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

func sortedNames(sets ...map[string]traffic.Recording) []string {
	seen := map[string]bool{}
	var names []string
	for _, set := range sets {
		for name := range set {
			if !seen[name] {
				seen[name] = true
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	return names
}
