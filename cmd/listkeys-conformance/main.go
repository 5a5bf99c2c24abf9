// Command listkeys-conformance checks the Microsoft.Quantum Workspaces List Keys operation and its clients
// against the contract generated from the documented definitions.
//
// Exit codes: 0 conformant, 1 violations found, 2 the input or the command line is unusable, 3 (drift only)
// the recorded answers differ from the committed cassettes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

const (
	exitOK         = 0
	exitViolations = 1
	exitUsage      = 2
	// exitDrift is drift's own: answers that differ from the committed cassettes are news, not violations.
	exitDrift = 3
)

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
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "listkeys-conformance: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: listkeys-conformance COMMAND [flags]\n\ncommands:\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %-10s %s\n", name, commands[name].summary)
	}
	b.WriteString("\nRun 'listkeys-conformance COMMAND -h' for a command's flags.\n")
	b.WriteString("Exit codes: 0 conformant, 1 violations found, 2 unusable input or command line, 3 drift (drift only).\n")
	io.WriteString(w, b.String())
}

// parseFlags parses a command's flags. When it returns false the command is done, with the exit code: 0 after
// -h, 2 after a bad flag (the flag package has already printed what is wrong and the usage).
func parseFlags(fs *flag.FlagSet, args []string) (int, bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	}
	return exitUsage, false
}
