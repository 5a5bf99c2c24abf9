package clients_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
)

// requireTool is the path of a client's executable, or skips the spec, saying how to install it.
func requireTool(name, install string) string {
	GinkgoHelper()
	path, err := exec.LookPath(name)
	if err != nil {
		Skip(fmt.Sprintf("%s not found: %s", name, install))
	}
	return path
}

// clientEnv is this process's environment without what would send a client elsewhere or change what it
// prints — proxies, CA bundles, Azure CLI settings and credentials — plus set ("NAME=value"). Clients then
// see only what the spec gives them.
func clientEnv(set ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		upper := strings.ToUpper(name)
		switch {
		case strings.HasSuffix(upper, "_PROXY"),
			strings.HasPrefix(upper, "AZURE_"),
			upper == "REQUESTS_CA_BUNDLE", upper == "CURL_CA_BUNDLE", upper == "SSL_CERT_FILE", upper == "SSL_CERT_DIR":
			continue
		}
		env = append(env, kv)
	}
	return append(env, set...)
}

// offlineProxy is where a client's proxy settings point, so that nothing the client tries to reach beyond
// loopback leaves the machine: it notes the request line (CONNECT host:port for https) and refuses with 403.
// The client's own requests to the server bypass it (NO_PROXY), so any attempt it notes is a client reaching
// for the internet.
type offlineProxy struct {
	URL      string
	l        net.Listener
	mu       sync.Mutex
	attempts []string
}

// startOfflineProxy listens on a loopback port until the end of the enclosing container.
func startOfflineProxy() *offlineProxy {
	GinkgoHelper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	Expect(err).NotTo(HaveOccurred(), "a loopback port for the offline proxy")
	p := &offlineProxy{URL: "http://" + l.Addr().String(), l: l}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { p.refuse(conn) })
		}
	})
	DeferCleanup(func() {
		l.Close()
		wg.Wait()
	})
	return p
}

func (p *offlineProxy) refuse(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil && line == "" {
		line = "(connected, sent no request line)"
	}
	// Noted before the answer, so a client that has seen the refusal has been counted.
	p.mu.Lock()
	p.attempts = append(p.attempts, strings.TrimSpace(line))
	p.mu.Unlock()
	io.WriteString(conn, "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
}

// Attempts returns and forgets what clients tried to reach through the proxy so far.
func (p *offlineProxy) Attempts() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.attempts
	p.attempts = nil
	return out
}

// Env is the proxy settings, both spellings (Python's urllib prefers the lower-case one), with loopback
// exempt so the client reaches the server directly.
func (p *offlineProxy) Env() []string {
	var env []string
	for _, name := range []string{"http_proxy", "https_proxy", "all_proxy"} {
		env = append(env, name+"="+p.URL, strings.ToUpper(name)+"="+p.URL)
	}
	return append(env, "no_proxy=127.0.0.1,localhost,::1", "NO_PROXY=127.0.0.1,localhost,::1")
}
