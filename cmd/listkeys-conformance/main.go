// Command listkeys-conformance checks the Microsoft.Quantum Workspaces List Keys operation and its clients
// against the contract generated from the documented definitions.
//
// Every command parses its flags the same way (newFlagSet): -h prints the usage on stdout and exits 0; a bad
// flag or argument is one line on stderr, "listkeys-conformance COMMAND: ...", and exit 2; flags may come
// before or after the arguments ("validate doc.json --strict"); "--" ends the flags.
//
// Exit codes: 0 conformant, 1 violations found, 2 the command line or the input is unusable, 3 the command could
// not do its work (a port in use, a folder it cannot read or write, results it cannot write), 4 (drift only) the
// recorded answers differ from the committed cassettes.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
)

const (
	exitOK         = 0
	exitViolations = 1
	exitUsage      = 2
	exitRuntime    = 3
	// exitDrift is drift's own: answers that differ from the committed cassettes are news, not violations.
	exitDrift = 4
)

const exitCodes = "Exit codes: 0 conformant, 1 violations found, 2 unusable command line or input,\n" +
	"3 the command could not do its work (a port in use, a folder it cannot read or write, results it cannot write),\n" +
	"4 (drift only) the recorded answers differ from the committed cassettes.\n"

// command is one subcommand: it parses its own flags and returns the process exit code.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands = map[string]command{}

func register(name, summary string, run func(args []string, stdin io.Reader, stdout, stderr io.Writer) int) {
	commands[name] = command{summary: summary, run: run}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return errorf(stderr, "", exitUsage, "unknown command %q (see 'listkeys-conformance -h')", args[0])
	}
	out := &resultWriter{w: stdout}
	code := cmd.run(args[1:], stdin, out, stderr)
	if err := out.failure(); err != nil {
		return errorf(stderr, args[0], exitRuntime, "writing the results: %v", err)
	}
	return code
}

func usage(w io.Writer) {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: listkeys-conformance COMMAND [flags] [arguments]\n\ncommands:\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", name, commands[name].summary)
	}
	b.WriteString("\nRun 'listkeys-conformance COMMAND -h' for a command's flags.\n")
	b.WriteString(exitCodes)
	io.WriteString(w, b.String())
}

// errorf prints one line, "listkeys-conformance COMMAND: message", on w and returns code.
func errorf(w io.Writer, command string, code int, format string, a ...any) int {
	prefix := "listkeys-conformance"
	if command != "" {
		prefix += " " + command
	}
	fmt.Fprintf(w, prefix+": "+format+"\n", a...)
	return code
}

// flagSet is a command's flags in the house style. Args, NArg and Arg are the positional arguments, wherever
// they stood among the flags.
type flagSet struct {
	*flag.FlagSet
	name     string
	synopsis []string
	stdout   io.Writer
	stderr   io.Writer
	args     []string
}

// newFlagSet starts a command's flags; synopsis is one line per form of the command, without the leading
// "listkeys-conformance NAME".
func newFlagSet(name string, stdout, stderr io.Writer, synopsis ...string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors itself, in one line
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, name: name, synopsis: synopsis, stdout: stdout, stderr: stderr}
}

// parse parses the flags and arguments. When it returns false the command is done, with the exit code: 0
// after -h (the usage is on stdout), 2 after a bad flag (one line on stderr).
func (f *flagSet) parse(args []string) (int, bool) {
	for {
		if err := f.FlagSet.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printUsage()
				return exitOK, false
			}
			return f.usageError("%v (see 'listkeys-conformance %s -h')", err, f.name), false
		}
		rest := f.FlagSet.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			f.args = append(f.args, rest...)
			return exitOK, true
		}
		if len(rest) == 0 {
			return exitOK, true
		}
		f.args = append(f.args, rest[0])
		args = rest[1:]
	}
}

func (f *flagSet) Args() []string { return f.args }
func (f *flagSet) NArg() int      { return len(f.args) }

func (f *flagSet) Arg(i int) string {
	if i < 0 || i >= len(f.args) {
		return ""
	}
	return f.args[i]
}

// usageError reports an unusable command line or input: one line on stderr, exit 2.
func (f *flagSet) usageError(format string, a ...any) int {
	return errorf(f.stderr, f.name, exitUsage, format, a...)
}

// runtimeError reports that the command could not do its work: one line on stderr, exit 3.
func (f *flagSet) runtimeError(format string, a ...any) int {
	return errorf(f.stderr, f.name, exitRuntime, format, a...)
}

func (f *flagSet) printUsage() {
	var b strings.Builder
	for i, s := range f.synopsis {
		lead := "usage: "
		if i > 0 {
			lead = "       "
		}
		fmt.Fprintf(&b, "%slistkeys-conformance %s %s\n", lead, f.name, s)
	}
	if len(f.synopsis) == 0 {
		fmt.Fprintf(&b, "usage: listkeys-conformance %s\n", f.name)
	}
	first := true
	f.VisitAll(func(fl *flag.Flag) {
		if first {
			b.WriteString("\nflags:\n")
			first = false
		}
		kind, text := flag.UnquoteUsage(fl)
		fmt.Fprintf(&b, "  --%s", fl.Name)
		if kind != "" {
			fmt.Fprintf(&b, " %s", kind)
		}
		fmt.Fprintf(&b, "\n        %s", text)
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "0" && fl.DefValue != "[]" {
			fmt.Fprintf(&b, " (default %s)", fl.DefValue)
		}
		b.WriteString("\n")
	})
	b.WriteString("\n" + exitCodes)
	io.WriteString(f.stdout, b.String())
}

// resultWriter is a command's stdout. It keeps the first write error, so that results that could not be
// written (a full disk, a closed pipe, a value the encoder refused) end the command with exit 3 instead of
// passing unnoticed.
type resultWriter struct {
	mu  sync.Mutex
	w   io.Writer
	err error
}

func (r *resultWriter) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.w.Write(p)
	r.err = err
	return n, err
}

func (r *resultWriter) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err == nil {
		r.err = err
	}
}

func (r *resultWriter) failure() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// writeJSON writes v as indented JSON and a newline. An error is kept by the command's resultWriter, which
// run reports when the command returns.
func writeJSON(w io.Writer, v any) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		if r, ok := w.(*resultWriter); ok {
			r.fail(fmt.Errorf("encoding JSON: %w", err))
		}
		return
	}
	w.Write(append(data, '\n'))
}
