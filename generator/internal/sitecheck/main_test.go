package sitecheck

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/pipeline"
)

// repo is the repository's root, which is the example site's folder.
const repo = "../../.."

// Where the npm packages that testdata/package-lock.json pins are installed.
const (
	axeJS  = "testdata/node_modules/axe-core/axe.min.js"
	vnuJar = "testdata/node_modules/vnu-jar/build/dist/vnu.jar"
)

// How to install what the checks need, for the skip messages.
const (
	installChromium = "apt-get install -y chromium"
	installJava     = "apt-get install -y default-jre-headless"
	installNPM      = "cd generator/internal/sitecheck/testdata && npm ci"
)

// fixedClock is the build's clock: the output does not depend on the day.
func fixedClock() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// need skips the test with a message saying how to install what is missing
// when ok is false; when the environment variable CI is set it fails
// instead, so a check can never silently not run in CI.
func need(t testing.TB, ok bool, what, install string) {
	t.Helper()
	if ok {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing, and CI is set: .ci/run must install it (%s)", what, install)
	}
	t.Skipf("%s is missing; to run this check, install it: %s", what, install)
}

// skipShort skips a check that needs a browser or Java under go test
// -short, which is meant to run in well under a minute without them.
func skipShort(t testing.TB, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("a check in %s; -short skips it (run go test without -short)", what)
	}
}

// needFile is need for a file installed by npm ci.
func needFile(t testing.TB, p string) {
	t.Helper()
	_, err := os.Stat(p)
	need(t, err == nil, "generator/sitecheck/"+p, installNPM)
}

// example is the repository's example site, built once, and served on
// 127.0.0.1 for the browser checks; paged is the same site built with two
// essays a page, so that the home page has a page 2.
type example struct {
	once          sync.Once
	err           error
	site, paged   *pipeline.Site
	baseURL       string
	srv, pagedSrv *httptest.Server
	browser       browserOnce
}

// shared is what the tests of this package share: one build of the site,
// one server, one browser. TestMain closes them.
var shared example

func TestMain(m *testing.M) {
	code := m.Run()
	shared.browser.close()
	if shared.srv != nil {
		shared.srv.Close()
		shared.pagedSrv.Close()
	}
	os.Exit(code)
}

// site builds the example site and its paged copy once, and serves them.
func site(t testing.TB) *example {
	t.Helper()
	e := &shared
	e.once.Do(func() { e.err = e.build() })
	if e.err != nil {
		t.Fatal(e.err)
	}
	return e
}

func (e *example) build() error {
	ctx := context.Background()
	s, err := pipeline.NewBuilder().Build(ctx, pipeline.Options{Source: repo, Now: fixedClock})
	if err != nil {
		return fmt.Errorf("the example site does not build:\n%v", err)
	}
	cfg, diags := config.Load(os.DirFS(repo))
	if diags.HasErrors() {
		return fmt.Errorf("site.yaml: %v", diags)
	}
	dir, err := os.MkdirTemp("", "sitecheck-paged-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := copyPaged(dir); err != nil {
		return err
	}
	p, err := pipeline.NewBuilder().Build(ctx, pipeline.Options{Source: dir, Now: fixedClock})
	if err != nil {
		return fmt.Errorf("the example site with paginate: 2 does not build:\n%v", err)
	}
	if _, ok := p.File("page/2/index.html"); !ok {
		return fmt.Errorf("the example site with paginate: 2 has no page/2/index.html")
	}
	e.site, e.paged, e.baseURL = s, p, cfg.BaseURL
	e.srv = httptest.NewServer(handler(s))
	e.pagedSrv = httptest.NewServer(handler(p))
	return nil
}

// copyPaged copies the example site into dir with paginate: 2.
func copyPaged(dir string) error {
	for _, sub := range []string{"content", "layouts", "static"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join(repo, sub))); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	y, err := os.ReadFile(filepath.Join(repo, config.File))
	if err != nil {
		return err
	}
	re := regexp.MustCompile(`(?m)^paginate:.*$`)
	if re.Match(y) {
		y = re.ReplaceAll(y, []byte("paginate: 2"))
	} else {
		y = append(y, "\npaginate: 2\n"...)
	}
	return os.WriteFile(filepath.Join(dir, config.File), y, 0o644)
}

// handler serves a built site as a static host would: /x/ is x/index.html,
// and what does not exist is 404.html with status 404.
func handler(s *pipeline.Site) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if strings.HasSuffix(r.URL.Path, "/") {
			p = path.Join(p, "index.html")
		}
		b, ok := s.File(p)
		status := http.StatusOK
		if !ok {
			if _, dir := s.File(path.Join(p, "index.html")); dir {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			b, _ = s.File("404.html")
			p, status = "404.html", http.StatusNotFound
		}
		ct := mime.TypeByExtension(path.Ext(p))
		if ct == "" {
			ct = http.DetectContentType(b)
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(status)
		w.Write(b)
	})
}

// htmlPages lists the URL paths of every HTML page of s (/x/ for
// x/index.html), sorted.
func htmlPages(s *pipeline.Site) []string {
	var out []string
	for _, p := range s.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		if p == "index.html" {
			out = append(out, "/")
		} else if strings.HasSuffix(p, "/index.html") {
			out = append(out, "/"+strings.TrimSuffix(p, "index.html"))
		} else {
			out = append(out, "/"+p)
		}
	}
	return out
}

// writeSite writes every file of s under dir.
func writeSite(t testing.TB, s Files, dir string) {
	t.Helper()
	for _, p := range s.Paths() {
		b, _ := s.File(p)
		f := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// lookChromium finds Debian's Chromium (or another Chrome) on the PATH.
func lookChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}
