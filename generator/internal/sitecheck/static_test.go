package sitecheck

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// budget is the most an essay page may weigh, gzipped, with everything it
// loads: its HTML, CSS, fonts, scripts (the self-check included).
const budget = 60 * 1024

// selfCheckEssay is the example essay with a continuum self-check, a table
// of contents and a footnote.
const selfCheckEssay = "two-leadership-models/index.html"

// files is a site in a map, for the tests of the checks themselves.
type files map[string]string

func (f files) Paths() []string {
	var out []string
	for p := range f {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func (f files) File(p string) ([]byte, bool) {
	s, ok := f[p]
	return []byte(s), ok
}

func TestBrokenLinksFindsWhatIsBroken(t *testing.T) {
	s := files{
		"index.html": `<a href="/a/">a</a> <a href="/a/#x">x</a> <a href="/a/#nope">n</a> <a href="/gone/">g</a>
<a href="https://example.org/">out</a> <a href="#top">top</a> <a href="#missing">m</a> <img src="img/p.png" alt="">
<img srcset="img/p.png 1x, img/q.png 2x" alt=""> <a id="top" href="mailto:a@b.c">mail</a>`,
		"a/index.html": `<h2 id="x">x</h2><a href="../">up</a><a href="b">rel</a>`,
		"img/p.png":    "",
		"css/s.css":    `@font-face{src:url("../fonts/f.woff2")} body{background:url(data:image/png;base64,AA)}`,
	}
	got := BrokenLinks(s)
	want := []string{
		`index.html: link to /a/#nope: a/index.html has no element with id "nope"`,
		"index.html: link to /gone/: no such file gone/index.html",
		`index.html: link to #missing: index.html has no element with id "missing"`,
		"index.html: link to img/q.png: no such file img/q.png",
		"a/index.html: link to b: no such file a/b",
		"css/s.css: link to ../fonts/f.woff2: no such file fonts/f.woff2",
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("BrokenLinks:\ngot\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestRenderBlockingFindsClassicScripts(t *testing.T) {
	s := files{
		"index.html": `<html><head><script src="/a.js"></script><script type="module" src="/m.js"></script>
<script defer src="/d.js"></script><script async src=/x.js></script><script type="application/ld+json">{}</script></head>
<body><script src="/late.js"></script></body></html>`,
	}
	got := RenderBlocking(s)
	if len(got) != 1 || !strings.Contains(got[0], `"/a.js"`) {
		t.Errorf("RenderBlocking = %q, want only /a.js", got)
	}
}

func TestPageWeightFollowsReferences(t *testing.T) {
	s := files{
		"p/index.html": `<link rel="stylesheet" href="/s.css"><link rel="alternate" href="/feed.xml"><script type="module" src="../m.js"></script><img src="/i.png" alt="">`,
		"s.css":        `@import "t.css"; @font-face{src:url(/f.woff2)}`,
		"t.css":        `x{}`,
		"f.woff2":      strings.Repeat("f", 100),
		"m.js":         `import {a} from './n.js'; import './o.js';`,
		"n.js":         `export const a = 1`,
		"o.js":         ``,
		"i.png":        `png`,
		"feed.xml":     `not loaded`,
	}
	w, err := PageWeight(s, "p/index.html")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range w.Assets {
		got = append(got, a.Path)
	}
	want := "p/index.html f.woff2 i.png m.js n.js o.js s.css t.css"
	if strings.Join(got, " ") != want {
		t.Errorf("PageWeight assets = %s, want %s", strings.Join(got, " "), want)
	}
	if w.Gzip() <= 0 {
		t.Errorf("Gzip() = %d", w.Gzip())
	}
}

func TestCheckSitemapRules(t *testing.T) {
	bad := `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/relative/</loc></url>
<url><loc>https://other.example/x/</loc><lastmod>June 1</lastmod></url>
<url><loc>https://site.example/a/</loc><lastmod>2024-06-01T10:00Z</lastmod><priority>2</priority></url>
<url><loc>https://site.example/a/</loc><changefreq>often</changefreq></url>
</urlset>`
	got := CheckSitemap([]byte(bad), "https://site.example/")
	if len(got) != 6 {
		t.Errorf("CheckSitemap found %d problems, want 6:\n\t%s", len(got), strings.Join(got, "\n\t"))
	}
	wrongNS := `<urlset xmlns="http://example.org/"><url><loc>https://site.example/</loc></url></urlset>`
	if got := CheckSitemap([]byte(wrongNS), "https://site.example/"); len(got) != 1 {
		t.Errorf("CheckSitemap accepted the wrong namespace: %q", got)
	}
}

func TestCheckFeedRules(t *testing.T) {
	bad := `<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><updated>yesterday</updated>
<entry><title>E</title><id>x</id><updated>2024-01-01T00:00:00Z</updated><link href="/rel/"/></entry></feed>`
	got := CheckFeed([]byte(bad), "https://site.example/")
	for _, want := range []string{"feed has no <id>", "not an RFC 3339 date", `no <link rel="self">`, "not an absolute", "has no <content>", "has no <author><name>"} {
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("CheckFeed did not report %q; it reported:\n\t%s", want, strings.Join(got, "\n\t"))
		}
	}
}

// TestNoBrokenLinks checks every href, src and srcset (and CSS url()) of
// the example site, and of its paged copy, that points inside the site.
func TestNoBrokenLinks(t *testing.T) {
	e := site(t)
	for name, s := range map[string]Files{"site": e.site, "paginate 2": e.paged} {
		for _, b := range BrokenLinks(s) {
			t.Errorf("%s: %s", name, b)
		}
	}
}

// TestFeedIsAtom checks feed.xml as Atom 1.0.
func TestFeedIsAtom(t *testing.T) {
	e := site(t)
	feed, ok := e.site.File("feed.xml")
	if !ok {
		t.Fatal("no feed.xml")
	}
	for _, p := range CheckFeed(feed, e.baseURL) {
		t.Error("feed.xml: " + p)
	}
}

// TestSitemap checks sitemap.xml against the sitemap protocol, and that
// every URL in it is a page of the site.
func TestSitemap(t *testing.T) {
	e := site(t)
	sm, ok := e.site.File("sitemap.xml")
	if !ok {
		t.Fatal("no sitemap.xml")
	}
	for _, p := range CheckSitemap(sm, e.baseURL) {
		t.Error("sitemap.xml: " + p)
	}
	base, _ := url.Parse(e.baseURL)
	var doc Sitemap
	if err := xml.Unmarshal(sm, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.URLs) == 0 {
		t.Error("sitemap.xml lists no URLs")
	}
	for _, u := range doc.URLs {
		l, err := url.Parse(u.Loc)
		if err != nil {
			continue // reported above
		}
		p := strings.TrimPrefix(strings.TrimPrefix(l.Path, strings.TrimSuffix(base.Path, "/")), "/")
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		if _, ok := e.site.File(p); !ok {
			t.Errorf("sitemap.xml lists %s, but the site has no %s", u.Loc, p)
		}
	}
	if robots, ok := e.site.File("robots.txt"); ok && !bytes.Contains(robots, []byte("Sitemap: ")) {
		t.Error("robots.txt does not name the sitemap")
	}
}

// vnuMessage is one message of the Nu HTML Checker's JSON output.
type vnuMessage struct {
	Type      string `json:"type"`
	SubType   string `json:"subType"`
	URL       string `json:"url"`
	LastLine  int    `json:"lastLine"`
	FirstCol  int    `json:"firstColumn"`
	LastCol   int    `json:"lastColumn"`
	Message   string `json:"message"`
	Extract   string `json:"extract"`
	HiliteLen int    `json:"hiliteLength"`
}

// TestValidHTML runs the Nu HTML Checker (vnu.jar, one JVM) over every HTML
// file of the example site and of its paged copy.
func TestValidHTML(t *testing.T) {
	e := site(t)
	validHTML(t, map[string]Files{"site": e.site, "paged": e.paged})
}

// validHTML runs the Nu HTML Checker over every HTML file of the sites
// (named for the messages), skipping without Java or vnu.jar.
func validHTML(t *testing.T, sites map[string]Files) {
	t.Helper()
	skipShort(t, "Java")
	java, err := exec.LookPath("java")
	need(t, err == nil, "Java (for the Nu HTML Checker)", installJava)
	needFile(t, vnuJar)
	dir := t.TempDir()
	args := []string{"-jar", vnuJar, "--errors-only", "--format", "json"}
	n := 0
	for name, s := range sites {
		writeSite(t, s, filepath.Join(dir, name))
		for _, p := range s.Paths() {
			if strings.HasSuffix(p, ".html") {
				args = append(args, filepath.Join(dir, name, filepath.FromSlash(p)))
				n++
			}
		}
	}
	cmd := exec.Command(java, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	// vnu writes its JSON report to stderr and exits 1 when it found errors.
	out := stderr.Bytes()
	if len(bytes.TrimSpace(out)) == 0 {
		out = stdout.Bytes()
	}
	var report struct {
		Messages []vnuMessage `json:"messages"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("vnu.jar (%v) wrote no JSON report: %v\nstdout: %s\nstderr: %s", runErr, err, stdout.String(), stderr.String())
	}
	for _, m := range report.Messages {
		f := strings.TrimPrefix(m.URL, "file:")
		if r, err := filepath.Rel(dir, f); err == nil {
			f = filepath.ToSlash(r)
		}
		t.Errorf("%s:%d:%d: %s: %s\n\t%s", f, m.LastLine, m.FirstCol, m.Type, m.Message, strings.TrimSpace(m.Extract))
	}
	if runErr != nil && len(report.Messages) == 0 {
		t.Errorf("vnu.jar failed with no message: %v\n%s", runErr, stderr.String())
	}
	t.Logf("Nu HTML Checker: %d HTML files, %d errors", n, len(report.Messages))
}

// TestWeightBudget weighs the essay with the self-check and everything it
// loads, each file gzipped on its own, against the budget.
func TestWeightBudget(t *testing.T) {
	e := site(t)
	w, err := PageWeight(e.site, selfCheckEssay)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s weighs:\n%s", selfCheckEssay, w)
	if w.Gzip() > budget {
		t.Errorf("%s weighs %d B gzipped with what it loads, over the budget of %d B:\n%s", selfCheckEssay, w.Gzip(), budget, w)
	}
	var kinds []string
	for _, a := range w.Assets {
		kinds = append(kinds, filepath.Ext(a.Path))
	}
	for _, want := range []string{".css", ".js"} {
		if !strings.Contains(strings.Join(kinds, " "), want) {
			t.Errorf("the weighed page loads no %s file; is the self-check still on it? %v", want, kinds)
		}
	}
}

// TestNoRenderBlockingScript checks every page's <head>.
func TestNoRenderBlockingScript(t *testing.T) {
	e := site(t)
	for _, s := range []Files{e.site, e.paged} {
		for _, b := range RenderBlocking(s) {
			t.Error(b)
		}
	}
}
