// Command hello is BenchmarkHelloCommand's program: a Go process that starts, prints a line and exits, the
// floor under BenchmarkValidateCommand on the same machine.
package main

import "fmt"

func main() { fmt.Println("hello") }
