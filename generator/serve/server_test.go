package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/testsite"

	"github.com/steward-ssg/steward/generator/diag"
)

// newServer builds src with the fake builder and serves it on 127.0.0.1.
func newServer(t *testing.T, src string, cfg Config) (*Server, *httptest.Server, *lockedBuffer) {
	t.Helper()
	out := &lockedBuffer{}
	cfg.Source = src
	if cfg.Build == nil {
		cfg.Build = fakeBuild(src)
	}
	cfg.Out = out
	s := New(cfg)
	s.Rebuild(context.Background(), nil)
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		hs.Close()
	})
	return s, hs, out
}

// lockedBuffer is a bytes.Buffer safe for one writer and one reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func diagAt(file string, line int) diag.List {
	return diag.List{diag.Errorf(diag.Pos{File: file, Line: line, Col: 1}, "x")}
}

// rawGet sends a request line as given, bypassing any client cleaning.
func rawGet(t *testing.T, addr, target string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func get(t *testing.T, base, p string) (*http.Response, string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + p)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestServesSite(t *testing.T) {
	src := basicSite(t)
	_, hs, _ := newServer(t, src, Config{})
	for _, tc := range []struct {
		path, ctype string
		status      int
		contains    string
	}{
		{"/", "text/html; charset=utf-8", 200, "First essay"},
		{"/index.html", "text/html; charset=utf-8", 200, "Other essay"},
		{"/essay/", "text/html; charset=utf-8", 200, "Original body."},
		{"/essay/index.html", "text/html; charset=utf-8", 200, "Original body."},
		{"/css/steward.css", "text/css; charset=utf-8", 200, "rgb(0, 0, 255)"},
		{"/img/dot.png", "image/png", 200, "PNG"},
		{"/missing/", "text/html; charset=utf-8", 404, "Not found"},
		{"/essay/missing.css", "text/html; charset=utf-8", 404, "Not found"},
	} {
		resp, body := get(t, hs.URL, tc.path)
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.ctype || !strings.Contains(body, tc.contains) {
			t.Errorf("GET %s: %d %q, body containing %q: %v; want %d %q containing %q",
				tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.contains, strings.Contains(body, tc.contains), tc.status, tc.ctype, tc.contains)
		}
		injected := strings.Contains(body, scriptPath)
		if wantInjected := strings.HasPrefix(tc.ctype, "text/html"); injected != wantInjected {
			t.Errorf("GET %s: script injected = %v, want %v", tc.path, injected, wantInjected)
		}
	}
	// The script goes right before </body>.
	_, body := get(t, hs.URL, "/essay/")
	if !regexp.MustCompile(`<script type="module" src="/_steward/live.js\?[^"]+"></script>\n</body>`).MatchString(body) {
		t.Errorf("script not injected before </body>:\n%s", body)
	}
	// CSS is served byte for byte.
	_, css := get(t, hs.URL, "/css/steward.css")
	if css != "h1 { color: rgb(0, 0, 255); }\n" {
		t.Errorf("css = %q", css)
	}
	// /essay redirects to /essay/, keeping the query.
	resp, _ := get(t, hs.URL, "/essay?x=1")
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/essay/?x=1" {
		t.Errorf("GET /essay: %d Location %q; want 302 /essay/?x=1", resp.StatusCode, resp.Header.Get("Location"))
	}
	// HEAD and other methods.
	req, _ := http.NewRequest(http.MethodHead, hs.URL+"/essay/", nil)
	hr, err := http.DefaultClient.Do(req)
	if err != nil || hr.StatusCode != 200 {
		t.Errorf("HEAD /essay/: %v %v", hr, err)
	}
	pr, err := http.Post(hs.URL+"/", "text/plain", strings.NewReader("x"))
	if err != nil || pr.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /: %v %v; want 405", pr, err)
	}
}

func TestTraversalIs404(t *testing.T) {
	src := basicSite(t)
	testsite.WriteFile(t, src, "content/secret.txt", "SECRET")
	_, hs, _ := newServer(t, src, Config{})
	addr := strings.TrimPrefix(hs.URL, "http://")
	for _, target := range []string{
		"/../site.yaml", "/../content/secret.txt", "/css/../../site.yaml", "/essay/../index.html",
		"/%2e%2e/site.yaml", "/%2E%2E/content/secret.txt", "/..%2fsite.yaml", "/%2e%2e%2fsite.yaml",
		"/css%2fsite.css", "//etc/passwd", "//site.yaml", "/%2fetc/passwd", "/..\\site.yaml", "/%5c..%5csite.yaml",
		"/./index.html", "/essay/%00", "/etc/passwd", "/site.yaml", "/content/secret.txt",
	} {
		resp, body := rawGet(t, addr, target)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, resp.StatusCode)
		}
		if strings.Contains(body, "SECRET") || strings.Contains(body, "title: Test") || strings.Contains(body, "root:") {
			t.Errorf("GET %s: leaked a file: %q", target, body)
		}
		if !strings.Contains(body, "Not found") {
			t.Errorf("GET %s: body is not the site's 404.html: %q", target, body)
		}
	}
}

func TestInject(t *testing.T) {
	for in, want := range map[string]string{
		"<html><body>x</body></html>":      "<html><body>xS\n</body></html>",
		"<html><BODY>x</BODY></html>":      "<html><BODY>xS\n</BODY></html>",
		"<p>no body":                       "<p>no bodyS\n",
		"</body> in text </body></html>\n": "</body> in text S\n</body></html>\n",
	} {
		if got := string(inject([]byte(in), "S")); got != want {
			t.Errorf("inject(%q) = %q, want %q", in, got, want)
		}
	}
}

// stream is one tab's event stream, read in the background.
type stream struct {
	msgs   chan map[string]any
	cancel context.CancelFunc
}

// connect opens the event stream as the page at u (as served) would.
func connect(t *testing.T, base, u string) *stream {
	t.Helper()
	_, body := get(t, base, u)
	m := regexp.MustCompile(`src="(/_steward/live\.js\?[^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no script in %s", u)
	}
	src := strings.ReplaceAll(m[1], "&amp;", "&")
	q, _ := url.ParseQuery(src[strings.Index(src, "?")+1:])
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+eventsPath+"?"+q.Encode(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("event stream Content-Type = %q", ct)
	}
	s := &stream{msgs: make(chan map[string]any, 32), cancel: cancel}
	go func() {
		defer resp.Body.Close()
		defer close(s.msgs)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
				var m map[string]any
				if err := json.Unmarshal([]byte(data), &m); err == nil {
					s.msgs <- m
				}
			}
		}
	}()
	t.Cleanup(cancel)
	return s
}

// next returns the next message, or nil if none comes within wait.
func (s *stream) next(wait time.Duration) map[string]any {
	select {
	case m := <-s.msgs:
		return m
	case <-time.After(wait):
		return nil
	}
}

// nothingBefore checks that none of tabs was sent a message since its last
// one, without waiting for a message that should not come: it changes the
// stylesheet every page links, and the next message each tab gets must be
// that change. Messages on a stream arrive in order, so one sent wrongly
// would come first. fence numbers the stylesheet's versions.
func nothingBefore(t *testing.T, s *Server, src string, fence *int, tabs ...*stream) {
	t.Helper()
	*fence++
	testsite.WriteFile(t, src, "static/css/steward.css", fmt.Sprintf("h1 { margin: %dpx; }\n", *fence))
	s.Rebuild(context.Background(), []string{"static/css/steward.css"})
	for _, tab := range tabs {
		if m := tab.next(5 * time.Second); m["type"] != "css" {
			t.Errorf("got %v before the stylesheet's change; want nothing", m)
		}
	}
}

func TestEventsTellWhatChanged(t *testing.T) {
	src := basicSite(t)
	s, hs, _ := newServer(t, src, Config{})
	essayTab := connect(t, hs.URL, "/essay/")
	otherTab := connect(t, hs.URL, "/other/")
	waitClients(t, s, 2)
	var fence int
	nothingBefore(t, s, src, &fence, essayTab, otherTab) // a fresh tab gets nothing

	// The essay changes: its tab reloads, the other tab's page is unchanged.
	testsite.WriteFile(t, src, "content/essay.md", essay("First essay", "New body."))
	res := s.Rebuild(context.Background(), []string{"content/essay.md"})
	if fmt.Sprint(res.Changed) != "[essay/index.html]" {
		t.Errorf("changed = %v", res.Changed)
	}
	if m := essayTab.next(5 * time.Second); m["type"] != "reload" {
		t.Errorf("essay tab got %v, want reload", m)
	}
	nothingBefore(t, s, src, &fence, otherTab) // the other tab's page is unchanged

	// Only CSS changes: both tabs swap stylesheets.
	testsite.WriteFile(t, src, "static/css/steward.css", "h1 { color: red; }\n")
	s.Rebuild(context.Background(), []string{"static/css/steward.css"})
	for _, tab := range []*stream{essayTab, otherTab} {
		m := tab.next(5 * time.Second)
		if m["type"] != "css" || fmt.Sprint(m["paths"]) != "[/css/steward.css]" {
			t.Errorf("got %v, want css [/css/steward.css]", m)
		}
	}

	// A rebuild that changes nothing sends nothing.
	s.Rebuild(context.Background(), []string{"content/other.md"})
	nothingBefore(t, s, src, &fence, essayTab, otherTab)
}

func TestStaleTabReloadsOnConnect(t *testing.T) {
	src := basicSite(t)
	s, hs, _ := newServer(t, src, Config{})
	_, body := get(t, hs.URL, "/essay/")
	m := regexp.MustCompile(`src="/_steward/live\.js\?([^"]+)"`).FindStringSubmatch(body)
	q, _ := url.ParseQuery(strings.ReplaceAll(m[1], "&amp;", "&"))
	testsite.WriteFile(t, src, "content/essay.md", essay("First essay", "Changed before the tab connected."))
	s.Rebuild(context.Background(), nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, hs.URL+eventsPath+"?"+q.Encode(), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "data: ") {
			if !strings.Contains(sc.Text(), `"reload"`) {
				t.Errorf("got %s, want reload", sc.Text())
			}
			return
		}
	}
	t.Error("no message on a stale tab's connect")
}

func TestNavigate(t *testing.T) {
	src := basicSite(t)
	s, hs, _ := newServer(t, src, Config{Navigate: true})
	tab := connect(t, hs.URL, "/other/")
	waitClients(t, s, 1)
	testsite.WriteFile(t, src, "content/essay.md", essay("First essay", "Saved."))
	s.Rebuild(context.Background(), []string{"content/essay.md"})
	if m := tab.next(5 * time.Second); m["type"] != "navigate" || m["url"] != "/essay/" {
		t.Errorf("got %v, want navigate to /essay/", m)
	}
}

func TestErrorOverlay(t *testing.T) {
	src := basicSite(t)
	s, hs, out := newServer(t, src, Config{})
	tab := connect(t, hs.URL, "/essay/")
	waitClients(t, s, 1)

	testsite.WriteFile(t, src, "content/essay.md", "---\ntitle: First essay\nthis line is wrong\n---\nbody\n")
	res := s.Rebuild(context.Background(), []string{"content/essay.md"})
	if res.Err == nil {
		t.Fatal("broken front matter built")
	}
	m := tab.next(5 * time.Second)
	html, _ := m["html"].(string)
	if m["type"] != "error" || !strings.Contains(html, "content/essay.md:3:1") || !strings.Contains(html, "this line is wrong") {
		t.Fatalf("got %v, want an error with content/essay.md:3:1 and the line", m)
	}
	if !strings.Contains(html, `role="alertdialog"`) || !strings.Contains(html, `class="steward-mark" aria-current="true">&gt;    3 | this line is wrong`) {
		t.Errorf("overlay lacks the role or the marked line:\n%s", html)
	}
	// Every page served while the error lasts carries it; the last good
	// build is still served.
	for _, p := range []string{"/essay/", "/other/", "/missing/"} {
		_, body := get(t, hs.URL, p)
		if !strings.Contains(body, `id="steward-overlay"`) {
			t.Errorf("%s served without the overlay", p)
		}
	}
	if _, body := get(t, hs.URL, "/essay/"); !strings.Contains(body, "Original body.") {
		t.Error("last good build not served")
	}
	if _, css := get(t, hs.URL, "/css/steward.css"); strings.Contains(css, "steward-overlay") {
		t.Error("overlay injected into CSS")
	}
	if !strings.Contains(out.String(), "content/essay.md:3:1: front matter") || !strings.Contains(out.String(), "> 3 | this line is wrong") {
		t.Errorf("terminal output lacks the error and its source:\n%s", out)
	}

	// Fixed: the overlay clears and the page reloads.
	testsite.WriteFile(t, src, "content/essay.md", essay("First essay", "Fixed body."))
	s.Rebuild(context.Background(), []string{"content/essay.md"})
	if m := tab.next(5 * time.Second); m["type"] != "clear" {
		t.Errorf("got %v, want clear", m)
	}
	if m := tab.next(5 * time.Second); m["type"] != "reload" {
		t.Errorf("got %v, want reload", m)
	}
	if _, body := get(t, hs.URL, "/essay/"); strings.Contains(body, "steward-overlay") || !strings.Contains(body, "Fixed body.") {
		t.Errorf("after the fix: %s", body)
	}
}

func TestSnippetsStayInsideSource(t *testing.T) {
	outside := testsite.New(t, map[string]string{"secret.md": "SECRET LINE\n"})
	src := basicSite(t)
	for _, f := range []string{"../secret.md", outside + "/secret.md", "/etc/passwd"} {
		snips := snippets(src, diagAt(f, 1))
		if snips[0] != nil {
			t.Errorf("snippet read from %s: %v", f, snips[0])
		}
	}
}

func TestFirstBuildFails(t *testing.T) {
	src := basicSite(t)
	testsite.WriteFile(t, src, "content/essay.md", "---\ntitle: x\n")
	s, hs, _ := newServer(t, src, Config{})
	resp, body := get(t, hs.URL, "/essay/")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "content/essay.md:3:1") || !strings.Contains(body, scriptPath) {
		t.Errorf("first build failed: %d %s", resp.StatusCode, body)
	}
	tab := connect(t, hs.URL, "/essay/")
	waitClients(t, s, 1)
	if m := tab.next(5 * time.Second); m["type"] != "error" {
		t.Errorf("got %v, want the error", m)
	}
	testsite.WriteFile(t, src, "content/essay.md", essay("Recovered", "ok"))
	s.Rebuild(context.Background(), []string{"content/essay.md"})
	var types []any
	for range 2 {
		types = append(types, tab.next(5 * time.Second)["type"])
	}
	if fmt.Sprint(types) != "[clear reload]" {
		t.Errorf("after recovering, got %v; want [clear reload]", types)
	}
	var fence int
	nothingBefore(t, s, src, &fence, tab) // and nothing more
	if resp, body := get(t, hs.URL, "/essay/"); resp.StatusCode != 200 || !strings.Contains(body, "Recovered") {
		t.Errorf("after recovering: %d %s", resp.StatusCode, body)
	}
}

func TestTabsFreedAndNoGoroutineGrowth(t *testing.T) {
	src := basicSite(t)
	s, hs, _ := newServer(t, src, Config{})
	var tabs []*stream
	for range 20 {
		tabs = append(tabs, connect(t, hs.URL, "/essay/"))
	}
	waitClients(t, s, 20)
	for _, tab := range tabs {
		tab.cancel()
	}
	waitClients(t, s, 0)

	tab := connect(t, hs.URL, "/essay/")
	waitClients(t, s, 1)
	before := runtime.NumGoroutine()
	for i := range 200 {
		testsite.WriteFile(t, src, "content/other.md", essay("Other essay", fmt.Sprint("rev ", i)))
		s.Rebuild(context.Background(), []string{"content/other.md"})
	}
	var fence int
	nothingBefore(t, s, src, &fence, tab) // the tab's page did not change
	// Goroutines of the closed streams and the rebuilds end on their own
	// schedule: wait for the count to come back, failing if it never does.
	eventually(t, "goroutines back to their number before the rebuilds", func() error {
		if after := runtime.NumGoroutine(); after > before+2 {
			return fmt.Errorf("goroutines grew from %d to %d over 200 rebuilds", before, after)
		}
		return nil
	})
}

// waitClients waits until n event streams are open.
func waitClients(t *testing.T, s *Server, n int) {
	t.Helper()
	eventually(t, fmt.Sprintf("%d event streams open", n), func() error {
		if c := s.Clients(); c != n {
			return fmt.Errorf("%d event streams open, want %d", c, n)
		}
		return nil
	})
}
