package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/testsite"

	"github.com/steward-ssg/steward/generator/pipeline"
	"github.com/steward-ssg/steward/generator/theme"
)

var fixedNow = func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// running is a `steward serve` started by a test.
type running struct {
	url  string // "http://127.0.0.1:port/"
	out  *lockedBuffer
	stop func() error // cancels and waits for Run to return
}

// startRun runs the real Run (real build, real fsnotify) on a free port.
func startRun(t *testing.T, opts Options) *running {
	t.Helper()
	return startRunBuilder(t, opts, pipeline.NewBuilder())
}

// startRunBuilder is startRun with the Builder that Run keeps.
func startRunBuilder(t *testing.T, opts Options, b *pipeline.Builder) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{out: &lockedBuffer{}}
	opts.Out, opts.Port, opts.Now = r.out, 0, fixedNow
	ready := make(chan string, 1)
	opts.Ready = func(u string) { ready <- u }
	done := make(chan error, 1)
	go func() { done <- runBuilder(ctx, opts, b) }()
	var once bool
	var runErr error
	r.stop = func() error {
		if !once {
			once = true
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(10 * time.Second):
				runErr = errors.New("Run did not return within 10 s of cancel")
			}
		}
		return runErr
	}
	t.Cleanup(func() {
		if err := r.stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	select {
	case r.url = <-ready:
	case err := <-done:
		t.Fatalf("Run returned before serving: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run not ready within 10 s")
	}
	return r
}

// eventually retries f every 10 ms for up to 5 s, and fails the test with
// f's last error if it never succeeds. (It polls: what it waits for, such
// as a served page equal to a fresh build, tells no event.)
func eventually(t *testing.T, what string, f func() error) time.Duration {
	t.Helper()
	start := time.Now()
	deadline := start.Add(5 * time.Second)
	for {
		err := f()
		if err == nil {
			return time.Since(start)
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5 s: %v", what, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func fetch(u string) (int, string, error) {
	c := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	_, err = b.ReadFrom(resp.Body)
	return resp.StatusCode, b.String(), err
}

func TestRunRebuildsOnSaveAndStops(t *testing.T) {
	src := testsite.New(t, map[string]string{
		"content/essay.md": essay("First essay", "Original body."),
	})
	r := startRun(t, Options{Source: src})
	if !strings.HasPrefix(r.url, "http://127.0.0.1:") {
		t.Errorf("serving at %s, want 127.0.0.1", r.url)
	}
	if _, body, err := fetch(r.url + "essay/"); err != nil || !strings.Contains(body, "Original body.") {
		t.Fatalf("GET /essay/: %v %q", err, body)
	}
	testsite.WriteFile(t, src, "content/essay.md", essay("First essay", "Saved body."))
	took := eventually(t, "saved body served", func() error {
		_, body, err := fetch(r.url + "essay/")
		if err == nil && !strings.Contains(body, "Saved body.") {
			err = errors.New("old body")
		}
		return err
	})
	t.Logf("save to served: %s", took)

	// site.yaml changes rebuild with the new configuration.
	testsite.WriteFile(t, src, "site.yaml", "title: Renamed Site\n")
	eventually(t, "new site title served", func() error {
		_, body, err := fetch(r.url)
		if err == nil && !strings.Contains(body, "Renamed Site") {
			err = errors.New("old title")
		}
		return err
	})
	// An essay deleted while served is a 404.
	if err := os.Remove(filepath.Join(src, "content", "essay.md")); err != nil {
		t.Fatal(err)
	}
	eventually(t, "deleted essay gives 404", func() error {
		code, _, err := fetch(r.url + "essay/")
		if err == nil && code != http.StatusNotFound {
			err = fmt.Errorf("status %d", code)
		}
		return err
	})
	if err := r.stop(); err != nil {
		t.Fatalf("Run after cancel: %v", err)
	}
	if _, _, err := fetch(r.url); err == nil {
		t.Error("still serving after cancel")
	}
	if _, err := os.Stat(filepath.Join(src, "public")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("serve wrote public/: %v", err)
	}
}

func TestRunPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port
	src := testsite.New(t, map[string]string{"content/a.md": essay("A", "a")})
	// The library names its option; its caller says how that is set.
	for _, tt := range []struct {
		setting func(string) string
		want    string
	}{
		{nil, fmt.Sprintf("serve: port %d is in use; choose another with the Port option: ", port)},
		{func(o string) string { return map[string]string{"Port": "--port"}[o] }, fmt.Sprintf("serve: port %d is in use; choose another with --port: ", port)},
	} {
		err = Run(context.Background(), Options{Source: src, Port: port, Setting: tt.setting})
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || !errors.Is(err, syscall.EADDRINUSE) {
			t.Errorf("Run on a busy port: %v; want %q and the system's error", err, tt.want)
		}
	}
}

func TestRunFirstBuildFailsThenRecovers(t *testing.T) {
	src := testsite.New(t, map[string]string{"content/essay.md": "---\ntitle: x\n"})
	r := startRun(t, Options{Source: src})
	code, body, err := fetch(r.url + "essay/")
	if err != nil || code != http.StatusServiceUnavailable || !strings.Contains(body, "content/essay.md:1:1") {
		t.Fatalf("first build broken: %d %v %s", code, err, body)
	}
	if !strings.Contains(r.out.String(), "content/essay.md:1:1") {
		t.Errorf("terminal lacks the error:\n%s", r.out)
	}
	testsite.WriteFile(t, src, "content/essay.md", essay("Fixed", "Now it builds."))
	eventually(t, "recovered", func() error {
		code, body, err := fetch(r.url + "essay/")
		if err == nil && (code != 200 || !strings.Contains(body, "Now it builds.") || strings.Contains(body, "steward-overlay")) {
			err = fmt.Errorf("%d", code)
		}
		return err
	})
}

// scriptTag matches what the server injects into HTML.
var scriptTag = regexp.MustCompile(`<script type="module" src="/_steward/live\.js\?[^"]*"></script>\n`)

// TestServedEqualsFreshBuild is the guarantee: after each of a
// scripted sequence of edits, what the server serves equals a fresh build
// of the same folder, byte for byte, with no extra or missing files.
func TestServedEqualsFreshBuild(t *testing.T) {
	src := testsite.New(t, map[string]string{
		"site.yaml":              "title: Scripted\nbaseURL: https://example.org/\n",
		"content/essay.md":       essay("First essay", "Original body."),
		"content/second.md":      essay("Second essay", "Second body."),
		"content/notes/index.md": "---\ntitle: Notes\n---\nShort notes.\n",
		"content/notes/n1.md":    essay("Note one", "A note."),
	})
	// The site's own layouts: the default theme's, copied, so they can be edited.
	if err := fs.WalkDir(theme.FS(), "layouts", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(theme.FS(), p)
		if err == nil {
			testsite.WriteFile(t, src, p, string(b))
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	r := startRun(t, Options{Source: src})
	replace := func(p, old, new string) {
		b, err := os.ReadFile(filepath.Join(src, p))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s lacks %q", p, old)
		}
		testsite.WriteFile(t, src, p, strings.Replace(string(b), old, new, 1))
	}
	rename := func(from, to string) {
		if err := os.Rename(filepath.Join(src, from), filepath.Join(src, to)); err != nil {
			t.Fatal(err)
		}
	}
	// A failed removal would leave the site as it was, and the step would
	// compare an unchanged site.
	remove := func(p string) {
		if err := os.RemoveAll(filepath.Join(src, filepath.FromSlash(p))); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name string
		do   func()
	}{
		{"start", func() {}},
		{"change a body", func() { testsite.WriteFile(t, src, "content/essay.md", essay("First essay", "Changed body.")) }},
		{"change a title", func() { testsite.WriteFile(t, src, "content/essay.md", essay("Retitled essay", "Changed body.")) }},
		{"add an essay", func() { testsite.WriteFile(t, src, "content/third.md", essay("Third essay", "Third body.")) }},
		{"rename one", func() { rename("content/third.md", "content/renamed.md") }},
		{"delete one", func() { remove("content/second.md") }},
		{"add a tag", func() {
			testsite.WriteFile(t, src, "content/essay.md", "---\ntitle: Retitled essay\ndate: 2024-01-02\ntags: [Leadership]\n---\nChanged body.\n")
		}},
		// The tag's count changes on essay.md's page, whose file did not.
		{"share the tag", func() {
			testsite.WriteFile(t, src, "content/renamed.md", "---\ntitle: Third essay\ndate: 2024-01-03\ntags: [leadership]\n---\nThird body.\n")
		}},
		{"add a folder", func() {
			testsite.WriteFile(t, src, "content/new/a.md", essay("New A", "In a new folder."))
			testsite.WriteFile(t, src, "content/new/deeper/b.md", essay("New B", "Deeper still."))
		}},
		{"remove a folder", func() { remove("content/new") }},
		{"edit a layout", func() { replace("layouts/essay.html", `<article class="essay">`, `<article class="essay edited">`) }},
		{"edit a partial", func() { replace("layouts/partials/site-footer.html", "Built with", "Made with") }},
		{"edit site.yaml", func() {
			testsite.WriteFile(t, src, "site.yaml", "title: Scripted Anew\nbaseURL: https://example.org/\n")
		}},
		{"add a static file", func() { testsite.WriteFile(t, src, "static/files/note.txt", "hello\n") }},
		// Files beside essays: copied, and the essay's relative image and
		// link rewritten to them, sized, and converted again when they change.
		{"add an image beside", func() {
			testsite.WriteFile(t, src, "content/notes/img/fig.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>`)
			testsite.WriteFile(t, src, "content/notes/n1.md", essay("Note one", "![Fig](img/fig.svg) [slides](files/s.pdf)"))
		}},
		{"resize the image", func() {
			testsite.WriteFile(t, src, "content/notes/img/fig.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"></svg>`)
		}},
		{"add the linked file", func() { testsite.WriteFile(t, src, "content/notes/files/s.pdf", "%PDF") }},
		{"remove the linked file", func() { remove("content/notes/files") }},
		{"names to encode", func() {
			testsite.WriteFile(t, src, "content/my café.md", essay("Café", "![Fig](img/my%20fig.svg)"))
			testsite.WriteFile(t, src, "content/img/my fig.svg", `<svg xmlns="http://www.w3.org/2000/svg" width="5" height="5"></svg>`)
		}},
		{"rename a folder", func() { rename("content/notes", "content/journal") }},
		{"atomic save", func() {
			testsite.WriteFile(t, src, "content/renamed.md.tmp", essay("Third essay", "Atomically saved."))
			rename("content/renamed.md.tmp", "content/renamed.md")
		}},
	}
	var prev string
	for _, step := range steps {
		step.do()
		// Each step must change the output, or it tests nothing.
		if now := freshDigest(t, src); now == prev {
			t.Errorf("step %q changed no output", step.name)
		} else {
			prev = now
		}
		var last error
		took := eventually(t, step.name, func() error {
			last = sameAsFresh(src, r.url)
			return last
		})
		t.Logf("%-18s served equals a fresh build after %s", step.name, took.Round(time.Millisecond))
	}
}

// sameAsFresh compares every served path with a fresh build of src and
// checks that paths outside it are 404.
func sameAsFresh(src, base string) error {
	fresh, err := pipeline.NewBuilder().Build(context.Background(), pipeline.Options{Source: src, Now: fixedNow})
	if err != nil {
		return fmt.Errorf("fresh build: %v", err)
	}
	for _, p := range fresh.Paths() {
		want, _ := fresh.File(p)
		code, got, err := fetch(base + p)
		if err != nil {
			return err
		}
		if isHTML(p) {
			got = scriptTag.ReplaceAllString(got, "")
		}
		if code != 200 || got != string(want) {
			return fmt.Errorf("%s: served %d, %d bytes, differs from the fresh build's %d bytes", p, code, len(got), len(want))
		}
	}
	// No extra files: the server's current site has exactly these paths.
	served, err := servedPaths(base)
	if err != nil {
		return err
	}
	if fmt.Sprint(served) != fmt.Sprint(fresh.Paths()) {
		return fmt.Errorf("served paths %v, fresh build %v", served, fresh.Paths())
	}
	return nil
}

func servedPaths(base string) ([]string, error) {
	code, body, err := fetch(base + "_steward/paths")
	if err != nil {
		return nil, err
	}
	if code != 200 {
		return nil, fmt.Errorf("/_steward/paths: %d", code)
	}
	var paths []string
	return paths, json.Unmarshal([]byte(body), &paths)
}

// freshDigest summarises a fresh build's output: paths and contents.
func freshDigest(t *testing.T, src string) string {
	t.Helper()
	s, err := pipeline.NewBuilder().Build(context.Background(), pipeline.Options{Source: src, Now: fixedNow})
	if err != nil {
		t.Fatalf("fresh build: %v", err)
	}
	h := sha256.New()
	for _, p := range s.Paths() {
		b, _ := s.File(p)
		fmt.Fprintf(h, "%s\x00%d\x00%s", p, len(b), b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// TestRunOpensTheBrowser: --open hands the served URL to the system's
// opener (xdg-open here; a script on PATH that records its argument stands
// in for the desktop's) and serving goes on.
func TestRunOpensTheBrowser(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the opener is xdg-open on Linux only")
	}
	bin := t.TempDir()
	got := filepath.Join(bin, "opened")
	script := "#!/bin/sh\nprintf '%s' \"$1\" > '" + got + ".tmp' && mv '" + got + ".tmp' '" + got + "'\n"
	if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	r := startRun(t, Options{Source: basicSite(t), Open: true})
	var opened []byte
	eventually(t, "the opener ran", func() error {
		var err error
		opened, err = os.ReadFile(got)
		return err
	})
	if string(opened) != r.url {
		t.Errorf("opened %q, want the served URL %q", opened, r.url)
	}
	if code, _, err := fetch(r.url); err != nil || code != 200 {
		t.Errorf("after opening: GET / = %d, %v", code, err)
	}
}
