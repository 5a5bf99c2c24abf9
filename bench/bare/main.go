// Command bare is the comparison of bench/serve: the smallest net/http server that answers every request
// with one fixed answer — the status, headers and body `serve` answers listKeys with, read from a file
// that holds that answer as `curl -si` prints it. It reads each request body to its end, as serve does, and
// judges nothing. As a proxy it is the comparison of `serve --upstream`: net/http's own reverse proxy,
// judging nothing, over a transport set up as serve's (compression off, idle connections kept). It is a
// bench tool, not part of the suite.
//
//	bare ANSWER-FILE ADDR          serve the answer on ADDR; prints "listening on URL"
//	bare -proxy UPSTREAM-URL ADDR  forward every request to UPSTREAM-URL; prints "listening on URL"
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
)

func main() {
	if len(os.Args) == 4 && os.Args[1] == "-proxy" {
		proxy(os.Args[2], os.Args[3])
	}
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: bare ANSWER-FILE ADDR | bare -proxy UPSTREAM-URL ADDR")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
	resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare: the answer file:", err)
		os.Exit(1)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare: the answer file's body:", err)
		os.Exit(1)
	}
	header := resp.Header.Clone()
	header.Del("Content-Length")
	header.Del("Date")
	l, err := net.Listen("tcp", os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", l.Addr())
	err = http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		h := w.Header()
		for name, values := range header {
			h[name] = values
		}
		w.WriteHeader(resp.StatusCode)
		w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, "bare:", err)
	os.Exit(1)
}

func proxy(upstream, addr string) {
	target, err := url.Parse(upstream)
	if err != nil || target.Host == "" {
		fmt.Fprintln(os.Stderr, "bare: the upstream URL:", upstream)
		os.Exit(2)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableCompression = true
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 256 // as serve's upstream transport
	p := httputil.NewSingleHostReverseProxy(target)
	p.Transport = t
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", l.Addr())
	fmt.Fprintln(os.Stderr, "bare:", http.Serve(l, p))
	os.Exit(1)
}
