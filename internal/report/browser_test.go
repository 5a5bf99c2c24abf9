package report_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/listkeys-conformance/listkeys-conformance/internal/report"
)

// TestHTMLInChromium opens report.html in a real headless browser (Debian's chromium, which .ci/install
// installs) and reads the page it rendered: the totals it shows equal report.json's, and its script ran (the
// filter counted every result as shown).
func TestHTMLInChromium(t *testing.T) {
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed: run .ci/install (as root), or apt-get install chromium")
	}
	dir := t.TempDir()
	r := fromFixture(t)
	paths, err := r.Write(dir, report.DefaultNames)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, report.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	saved, err := report.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	dom := dumpDOM(t, browser, filepath.Join(dir, report.HTMLFile))
	if !regexp.MustCompile(`<body data-ready="1"`).Match(dom) {
		t.Fatalf("the page's script did not run to the end:\n%.2000s", dom)
	}
	cell := regexp.MustCompile(`data-level="(\w+)" data-state="(\w+)">(?:<strong>)?(\d+)<`)
	got := map[string]int{}
	for _, m := range cell.FindAllSubmatch(dom, -1) {
		n, _ := strconv.Atoi(string(m[3]))
		got[string(m[1])+"/"+string(m[2])] = n
	}
	for _, s := range report.States {
		if got["all/"+string(s)] != saved.Summary.States[s] {
			t.Errorf("%s: the page shows %d, report.json says %d", s, got["all/"+string(s)], saved.Summary.States[s])
		}
		for _, l := range report.Levels {
			if got[l+"/"+string(s)] != saved.Summary.Levels[l][s] {
				t.Errorf("%s %s: the page shows %d, report.json says %d", l, s, got[l+"/"+string(s)], saved.Summary.Levels[l][s])
			}
		}
	}
	if got["all/total"] != saved.Summary.Total || saved.Summary.Total == 0 {
		t.Errorf("total: the page shows %d, report.json says %d", got["all/total"], saved.Summary.Total)
	}
	shown := regexp.MustCompile(`<strong id="shown">(\d+)</strong>`).FindSubmatch(dom)
	if shown == nil || string(shown[1]) != strconv.Itoa(saved.Summary.Total) {
		t.Errorf("the filter shows %q of %d results", shown, saved.Summary.Total)
	}
	if len(paths) != 4 {
		t.Errorf("wrote %v, want the four files", paths)
	}
}

// dumpDOM renders a local file in headless chromium, with the network off, and returns the DOM after the
// page's script ran.
func dumpDOM(t *testing.T, browser, file string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	profile := t.TempDir()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-dev-shm-usage", "--user-data-dir="+profile, "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--dump-dom", "file://"+file)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("chromium: %v\n%s", err, stderr)
	}
	return out
}
