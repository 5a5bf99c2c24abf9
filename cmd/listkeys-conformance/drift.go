package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sort"

	"github.com/listkeys-conformance/listkeys-conformance/harness/traffic"
)

func init() {
	register("drift", "say what a fresh recording answers differently from the committed cassettes", runDrift)
}

// runDrift is the nightly's plain statement of what changed: for each scenario, status, error.code, body
// members and header names of the fresh recording against the committed one. It exits 3 (exitDrift) when
// anything differs: drift is news, not a violation, so it does not share 1 with the commands that judge.
func runDrift(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("drift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	committed := fs.String("committed", "", "folder of the committed cassettes")
	recorded := fs.String("recorded", "", "folder of the freshly recorded cassettes")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "drift: "+format+"\n", a...)
		return exitUsage
	}
	if *committed == "" || *recorded == "" || fs.NArg() > 0 {
		return fail("usage: listkeys-conformance drift --committed DIR --recorded DIR")
	}
	was, err := readCassettes(*committed)
	if err != nil {
		return fail("--committed %s: %v", *committed, err)
	}
	now, err := readCassettes(*recorded)
	if err != nil {
		return fail("--recorded %s: %v", *recorded, err)
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

func readCassettes(dir string) (map[string]traffic.Recording, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.yaml cassettes in it")
	}
	out := map[string]traffic.Recording{}
	for _, f := range files {
		data, err := readCapped(f, nil, defaultMaxBody)
		if err != nil {
			return nil, err
		}
		rec, err := traffic.Read(f, data)
		if err != nil {
			return nil, err
		}
		out[filepath.Base(f)] = rec
	}
	return out, nil
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
