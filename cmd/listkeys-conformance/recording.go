package main

import (
	"fmt"
	"io"
)

// validateRecording checks every listKeys interaction of a recording made by another client.
func validateRecording(opts validateOptions, stdout, stderr io.Writer) int {
	fmt.Fprintf(stderr, "validate: --recording %s: recordings are not supported yet\n", opts.recording)
	return exitUsage
}
