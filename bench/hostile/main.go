// Command hostile makes the inputs of bench/rss and plays the hostile peer: the largest bodies and files the
// tool accepts, built to multiply work (an ErrorResponse of empty details, gzip bombs), and an upstream that
// answers every request with such a body. It is a bench tool, not part of the suite.
//
//	hostile body FILE        a 10 MB ErrorResponse with 3.5 million empty details
//	hostile har FILE         a HAR just under 10 MB: the 10 MB body (as 7 MB) and twenty 5 MB gzip bombs
//	hostile cassette FILE    a go-vcr cassette just under 10 MB: 2,980 listKeys interactions, each answered 400
//	                         with an ErrorResponse of ~1,000 empty details
//	hostile upstream ADDR    answer every request with the 10 MB body (400); prints "listening on URL"
//	hostile post URL N       send N listKeys requests with a 10 MB body, then 10 N with a 1 MB path
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"github.com/listkeys-conformance/listkeys-conformance/internal/hostile"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
)

const listKeys = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/quantumResourcegroup/providers/Microsoft.Quantum/workspaces/quantumworkspace1/listKeys?api-version=2025-12-15-preview"

func har() []byte {
	entry := func(status int, encoding string, body []byte) any {
		h := []map[string]string{{"name": "Content-Type", "value": "application/json"}}
		if encoding != "" {
			h = append(h, map[string]string{"name": "Content-Encoding", "value": encoding})
		}
		return map[string]any{
			"request":  map[string]any{"method": "POST", "url": "https://management.azure.com" + listKeys, "headers": []any{}},
			"response": map[string]any{"status": status, "headers": h, "content": map[string]any{"text": base64.StdEncoding.EncodeToString(body), "encoding": "base64"}},
		}
	}
	entries := []any{entry(400, "", hostile.Details(7<<20))}
	bomb := hostile.Gzip(make([]byte, 5<<20))
	for range 20 {
		entries = append(entries, entry(200, "gzip", bomb))
	}
	data, _ := json.Marshal(map[string]any{"log": map[string]any{"version": "1.2", "entries": entries}})
	return data
}

func cassette() []byte {
	var b bytes.Buffer
	b.WriteString("---\nversion: 2\ninteractions:\n")
	body := hostile.Details(3000)
	for i := 0; b.Len() < 10<<20-4000; i++ {
		fmt.Fprintf(&b, "    - id: %d\n      request:\n        headers:\n            Authorization:\n                - Bearer <redacted>\n", i)
		fmt.Fprintf(&b, "        url: https://management.azure.com%s\n        method: POST\n", listKeys)
		fmt.Fprintf(&b, "      response:\n        body: '%s'\n        headers:\n            Content-Type:\n                - application/json\n        status: 400 Bad Request\n        code: 400\n", body)
	}
	return b.Bytes()
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: hostile body FILE | har FILE | cassette FILE | upstream ADDR | post URL N")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "body":
		err = os.WriteFile(os.Args[2], hostile.Details(10<<20-100), 0o644)
	case "har":
		err = os.WriteFile(os.Args[2], har(), 0o644)
	case "cassette":
		err = os.WriteFile(os.Args[2], cassette(), 0o644)
	case "upstream":
		body := hostile.Details(10<<20 - 100)
		var l net.Listener
		if l, err = net.Listen("tcp", os.Args[2]); err == nil {
			fmt.Printf("listening on http://%s\n", l.Addr())
			err = http.Serve(l, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(400)
				w.Write(body)
			}))
		}
	case "post":
		n := 1
		if len(os.Args) > 3 {
			n, _ = strconv.Atoi(os.Args[3])
		}
		err = post(os.Args[2], n)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostile:", err)
		os.Exit(1)
	}
}

func post(base string, n int) error {
	body := bytes.Repeat([]byte("x"), 10<<20-1)
	longPath := strings.Replace(listKeys, "quantumworkspace1", strings.Repeat("w", 1<<20), 1)
	for _, target := range []struct {
		path  string
		body  []byte
		count int
	}{{listKeys, body, n}, {longPath, nil, 10 * n}} {
		for range target.count {
			req, err := http.NewRequest("POST", base+target.path, bytes.NewReader(target.body))
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer emulator-token")
			req.Header.Set("User-Agent", strings.Repeat("u", 2<<10)) // with a 1 MB path, within net/http's 1 MB header limit
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
	return nil
}
