package main

import (
	"errors"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/listkeys-conformance/listkeys-conformance/harness/examples"
)

// Every command: -h prints its usage on stdout and exits 0; a flag it does not know is one line on stderr,
// with the one error prefix, and exit 2.
func TestEveryCommandHelpAndBadFlag(t *testing.T) {
	if len(commands) < 6 {
		t.Fatalf("only %d commands registered", len(commands))
	}
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			for _, help := range []string{"-h", "--help"} {
				code, out, errOut := invoke(t, nil, name, help)
				if code != exitOK || errOut != "" || !strings.HasPrefix(out, "usage: listkeys-conformance "+name) || !strings.Contains(out, "Exit codes:") {
					t.Errorf("%s %s: exit %d, stdout %q, stderr %q; want exit 0 and the usage on stdout", name, help, code, out, errOut)
				}
			}
			code, out, errOut := invoke(t, nil, name, "--no-such-flag")
			want := "listkeys-conformance " + name + ": flag provided but not defined: -no-such-flag (see 'listkeys-conformance " + name + " -h')\n"
			if code != exitUsage || out != "" || errOut != want {
				t.Errorf("%s --no-such-flag: exit %d, stdout %q, stderr %q; want exit 2 and %q", name, code, out, errOut, want)
			}
		})
	}
}

func TestTopLevelUsage(t *testing.T) {
	code, out, errOut := invoke(t, nil, "-h")
	if code != exitOK || errOut != "" || !strings.Contains(out, "commands:") {
		t.Errorf("-h: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for name := range commands {
		if !strings.Contains(out, "\n  "+name+" ") {
			t.Errorf("-h does not list %s:\n%s", name, out)
		}
	}
	if code, out, errOut := invoke(t, nil); code != exitUsage || out != "" || !strings.Contains(errOut, "commands:") {
		t.Errorf("no arguments: exit %d, stdout %q, stderr %q; want the usage on stderr and exit 2", code, out, errOut)
	}
	code, out, errOut = invoke(t, nil, "frobnicate")
	if code != exitUsage || out != "" || errOut != "listkeys-conformance: unknown command \"frobnicate\" (see 'listkeys-conformance -h')\n" {
		t.Errorf("unknown command: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// Flags may follow the FILE, and "--" ends the flags (a FILE may start with "-" then).
func TestFlagsAfterArguments(t *testing.T) {
	path := writeFile(t, "body.json", examples.Mutate(examples.Realistic, examples.Set("/extra", 1)))
	if code, out, errOut := invoke(t, nil, "validate", path); code != exitOK {
		t.Fatalf("without --strict: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := invoke(t, nil, "validate", path, "--strict"); code != exitViolations || !strings.Contains(out, "1 SHOULD violation)") {
		t.Errorf("validate FILE --strict: exit %d, want %d and \"1 SHOULD violation\"\n%s%s", code, exitViolations, out, errOut)
	}
	if code, out, errOut := invoke(t, nil, "validate", "--", path, "--strict"); code != exitUsage || !strings.Contains(errOut, "got 2") {
		t.Errorf("validate -- FILE --strict: exit %d, want %d (--strict is a second FILE after --)\n%s%s", code, exitUsage, out, errOut)
	}
	if code, _, errOut := invoke(t, nil, "checks", "extra", "--format", "json"); code != exitUsage || errOut != "listkeys-conformance checks: takes no arguments (got \"extra\")\n" {
		t.Errorf("checks extra: exit %d, stderr %q", code, errOut)
	}
}

// failingWriter is a stdout that cannot be written, like a full disk or a closed pipe.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// Results that cannot be written end the command with exit 3 and say so, whatever the verdict was.
func TestResultsThatCannotBeWritten(t *testing.T) {
	path := writeFile(t, "body.json", examples.Documented)
	for _, args := range [][]string{
		{"checks"},
		{"checks", "--format", "json"},
		{"validate", path},
		{"validate", "--format", "json", path},
		{"version"},
		{"serve", "--list-scenarios"},
	} {
		var errOut strings.Builder
		code := run(args, nil, failingWriter{}, &errOut)
		want := "listkeys-conformance " + args[0] + ": writing the results: no space left on device\n"
		if code != exitRuntime || errOut.String() != want {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", args, code, errOut.String(), exitRuntime, want)
		}
	}
}

// A value the JSON encoder refuses is reported like a failed write.
func TestWriteJSONReportsEncoderErrors(t *testing.T) {
	var sink strings.Builder
	out := &resultWriter{w: &sink}
	writeJSON(out, map[string]any{"x": func() {}})
	if err := out.failure(); err == nil || !strings.Contains(err.Error(), "encoding JSON") || sink.Len() != 0 {
		t.Errorf("failure %v, wrote %q; want an encoding error and nothing written", err, sink.String())
	}
}

func TestVersion(t *testing.T) {
	code, out, errOut := invoke(t, nil, "version")
	if code != exitOK || errOut != "" || !strings.HasPrefix(out, "listkeys-conformance ") || strings.Count(out, "\n") != 1 {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := invoke(t, nil, "version", "extra"); code != exitUsage {
		t.Errorf("version extra: exit %d, want %d", code, exitUsage)
	}
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123abcd"}, {Key: "vcs.time", Value: "2026-11-27T05:27:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	if got, want := versionLine(info), "listkeys-conformance v1.2.3, go1.26.8, revision 0123abcd (2026-11-27T05:27:00Z), modified"; got != want {
		t.Errorf("versionLine = %q, want %q", got, want)
	}
	info.Settings, info.Main.Version = nil, ""
	if got := versionLine(info); !strings.Contains(got, "(devel)") || !strings.Contains(got, "revision unknown") {
		t.Errorf("versionLine without VCS information = %q", got)
	}
}

func TestListScenariosFits120Columns(t *testing.T) {
	_, out, _ := invoke(t, nil, "serve", "--list-scenarios")
	for _, line := range strings.Split(out, "\n") {
		if len([]rune(line)) > listWidth {
			t.Errorf("%d columns: %q", len([]rune(line)), line)
		}
	}
	if !slices.ContainsFunc(strings.Split(out, "\n"), func(l string) bool { return strings.HasPrefix(l, "    note:  ") }) {
		t.Errorf("no note line:\n%s", out)
	}
}

func TestServeSaysWhenNothingWasJudged(t *testing.T) {
	r := startServe(t, "--addr", "127.0.0.1:0", "--report-dir", t.TempDir())
	code, errOut := r.stop(t)
	if code != exitOK || !strings.Contains(errOut, "0 requests judged: no client sent one, so nothing was checked") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// A folder the command cannot write is the machine's fault, not the command line's: exit 3.
func TestSchemasOutputFolderCannotBeWritten(t *testing.T) {
	file := writeFile(t, "file", nil)
	code, _, errOut := invoke(t, nil, "schemas", "--spec", "../../schemas/source/2025-12-15-preview/listkeys.json",
		"--operation", "Workspaces_ListKeys", "--out", file+"/sub")
	if code != exitRuntime || !strings.HasPrefix(errOut, "listkeys-conformance schemas: "+file+"/sub: ") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want %d and one line naming the folder", code, errOut, exitRuntime)
	}
}

func TestConfigIsOneMessage(t *testing.T) {
	t.Setenv("LISTKEYS_MODE", "replay")
	t.Setenv("AZURE_CLOUD", "Mars")
	code, stdout, stderr := invoke(t, nil, "config")
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, `AZURE_CLOUD="Mars"`) || strings.Contains(stderr, "{") {
		t.Errorf("config with a bad variable: %d %q %q; want exit 2 and one plain message naming it", code, stdout, stderr)
	}
	t.Setenv("AZURE_CLOUD", "")
	if code, stdout, _ := invoke(t, nil, "config"); code != exitOK || !strings.Contains(stdout, "LISTKEYS_MODE=replay") {
		t.Errorf("config: %d %q", code, stdout)
	}
}
