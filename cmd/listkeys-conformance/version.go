package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

func init() {
	register("version", "print the module version and the VCS revision the binary was built from", runVersion)
}

// runVersion prints what the Go toolchain recorded in the binary: the module version (a tag, a pseudo-version,
// or "(devel)") and, when built inside a checkout, the revision, its time and whether the tree was modified.
func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("version", stdout, stderr, "")
	if code, ok := fs.parse(args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return fs.usageError("takes no arguments (got %q)", fs.Arg(0))
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintln(stdout, "listkeys-conformance: no build information (built without module support)")
		return exitOK
	}
	fmt.Fprintln(stdout, versionLine(info))
	return exitOK
}

func versionLine(info *debug.BuildInfo) string {
	version := info.Main.Version
	if version == "" {
		version = "(devel)"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	line := fmt.Sprintf("listkeys-conformance %s, %s", version, info.GoVersion)
	revision := settings["vcs.revision"]
	if revision == "" {
		return line + ", revision unknown (built outside a checkout, or with -buildvcs=false)"
	}
	line += ", revision " + revision
	if t := settings["vcs.time"]; t != "" {
		line += " (" + t + ")"
	}
	if settings["vcs.modified"] == "true" {
		line += ", modified"
	}
	return line
}
