package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/sitecheck"
	"github.com/steward-ssg/steward/generator/internal/testsite"
	"github.com/steward-ssg/steward/generator/plan"
)

// jsonLD returns the JSON-LD object of an HTML page.
func jsonLD(t *testing.T, page string) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no JSON-LD in\n%s", page)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(m[1]), &obj); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	return obj
}

// feedOf parses a site's feed, after checking it is valid Atom.
func feedOf(t *testing.T, s *Site, baseURL string) sitecheck.Atom {
	t.Helper()
	b := fileOf(t, s, "feed.xml")
	for _, p := range sitecheck.CheckFeed([]byte(b), baseURL) {
		t.Errorf("feed.xml: %s", p)
	}
	var f sitecheck.Atom
	if err := xml.Unmarshal([]byte(b), &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// sitemapOf parses a site's sitemap, after checking it follows the protocol.
func sitemapOf(t *testing.T, s *Site, baseURL string) sitecheck.Sitemap {
	t.Helper()
	b := fileOf(t, s, "sitemap.xml")
	for _, p := range sitecheck.CheckSitemap([]byte(b), baseURL) {
		t.Errorf("sitemap.xml: %s", p)
	}
	var sm sitecheck.Sitemap
	if err := xml.Unmarshal([]byte(b), &sm); err != nil {
		t.Fatal(err)
	}
	return sm
}

// TestMarkdownTitles: a title written with Markdown is plain text where
// text is wanted and keeps its formatting in the h1 and lists.
func TestMarkdownTitles(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":              "title: Site\nbaseURL: https://example.org/\n",
		"content/policy.md":      "---\ndate: 2024-01-02\n---\n# **Asset** policy\n\nText.\n",
		"content/testing.md":     "---\ntitle: \"Using `go test` & <T>\"\ndate: 2024-01-01\n---\nText.\n",
		"content/notes/index.md": "---\ntitle: \"*Field* notes\"\n---\nNotes.\n",
		"content/notes/n.md":     "---\ntitle: N\ndate: 2023-01-01\n---\nN.\n",
	})
	site := buildSite(t, dir)
	for _, tt := range []struct {
		page, text, html string
	}{
		{"policy/index.html", "Asset policy", "<strong>Asset</strong> policy"},
		{"testing/index.html", "Using go test &amp; &lt;T&gt;", "Using <code>go test</code> &amp; &lt;T&gt;"},
	} {
		p := fileOf(t, site, tt.page)
		contains(t, tt.page, p,
			"<title>"+tt.text+" · Site</title>",
			`<meta property="og:title" content="`+tt.text+`">`,
			`<meta name="twitter:title" content="`+tt.text+`">`,
			"<h1>"+tt.html+"</h1>")
		if strings.Contains(p, "**") || strings.Contains(p, "`") {
			t.Errorf("%s shows Markdown syntax:\n%s", tt.page, p)
		}
	}
	if h := jsonLD(t, fileOf(t, site, "testing/index.html"))["headline"]; h != "Using go test & <T>" {
		t.Errorf("JSON-LD headline = %q, want plain text", h)
	}
	home := fileOf(t, site, "index.html")
	contains(t, "index.html", home,
		`<a href="/policy/"><strong>Asset</strong> policy</a>`,
		`<a href="/testing/">Using <code>go test</code> &amp; &lt;T&gt;</a>`)
	contains(t, "policy/index.html", fileOf(t, site, "policy/index.html"),
		`<span class="title">Using <code>go test</code> &amp; &lt;T&gt;</span>`)
	contains(t, "notes/index.html", fileOf(t, site, "notes/index.html"), "<h1><em>Field</em> notes</h1>", "<title>Field notes · Site</title>")
	contains(t, "notes/n/index.html", fileOf(t, site, "notes/n/index.html"), `<p class="kicker"><a href="/notes/">Field notes</a></p>`)
	var titles []string
	for _, e := range feedOf(t, site, "https://example.org/").Entries {
		titles = append(titles, e.Title)
	}
	if got := strings.Join(titles, " | "); got != "Asset policy | Using go test & <T> | N" {
		t.Errorf("feed titles = %s", got)
	}
}

// TestUndatedEssays: an essay without a date has no empty time element;
// the feed and the sitemap carry valid dates that do not change from one
// build to the next.
func TestUndatedEssays(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":           "title: Site\nbaseURL: https://example.org/\n",
		"content/dated.md":    "---\ntitle: Dated\ndate: 2024-01-02\n---\nText.\n",
		"content/undated.md":  "---\ntitle: Undated\n---\nText.\n",
		"content/modified.md": "---\ntitle: Modified\nlastmod: 2024-05-06\n---\nText.\n",
	})
	site := buildSite(t, dir)
	for _, p := range site.Paths() {
		b, _ := site.File(p)
		for _, bad := range []string{`datetime=""`, `content=""`, "1970", "2025-06-01"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s holds %s", p, bad)
			}
		}
	}
	contains(t, "undated page", fileOf(t, site, "undated/index.html"), `<p class="meta"><span class="reading-time">1 minute to read</span>`)
	ld := jsonLD(t, fileOf(t, site, "modified/index.html"))
	if ld["dateModified"] != "2024-05-06T00:00:00Z" || ld["datePublished"] != nil {
		t.Errorf("JSON-LD of an essay with lastmod only: dateModified %v, datePublished %v", ld["dateModified"], ld["datePublished"])
	}

	f := feedOf(t, site, "https://example.org/")
	if len(f.Entries) != 1 || f.Entries[0].Title != "Dated" {
		t.Errorf("feed entries %v, want only the dated essay", f.Entries)
	}
	if f.Updated != "2024-05-06T00:00:00Z" {
		t.Errorf("feed updated %s, want the newest date or lastmod, 2024-05-06T00:00:00Z", f.Updated)
	}
	lastmod := map[string]string{}
	for _, u := range sitemapOf(t, site, "https://example.org/").URLs {
		lastmod[u.Loc] = u.Lastmod
	}
	for loc, want := range map[string]string{
		"https://example.org/dated/": "2024-01-02", "https://example.org/modified/": "2024-05-06", "https://example.org/undated/": "",
	} {
		if got, ok := lastmod[loc]; !ok || got != want {
			t.Errorf("sitemap lastmod of %s = %q (listed %v), want %q", loc, got, ok, want)
		}
	}

	// Another day, another modification time: the same feed and sitemap.
	later := time.Now().Add(time.Hour)
	for _, p := range []string{"content/undated.md", "content", "."} {
		if err := os.Chtimes(filepath.Join(dir, p), later, later); err != nil {
			t.Fatal(err) // else the check below would compare two identical builds
		}
	}
	again, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: func() time.Time { return fixedClock().AddDate(1, 0, 0) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"feed.xml", "sitemap.xml"} {
		if fileOf(t, site, p) != fileOf(t, again, p) {
			t.Errorf("%s changed from one build to the next", p)
		}
	}
}

// TestNoDatesAtAll: a site whose essays have no dates still has a valid
// feed time.
func TestNoDatesAtAll(t *testing.T) {
	dir := testsite.New(t, map[string]string{"content/a.md": "# A\n", "content/b.md": "# B\n"})
	f := fileOf(t, buildSite(t, dir), "feed.xml")
	contains(t, "feed.xml", f, "<updated>2000-01-01T00:00:00Z</updated>")
	if strings.Contains(f, "<entry>") {
		t.Errorf("undated essays in the feed:\n%s", f)
	}
}

// TestEncodedURLs: file, folder, tag and alias names with spaces or
// letters outside ASCII give URLs percent-encoded everywhere they are
// written; the files keep their real names.
func TestEncodedURLs(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":                 "title: Site\nbaseURL: https://example.org/\n",
		"content/my essay.md":       "---\ntitle: Mine\ndate: 2024-01-02\ntags: [Café]\naliases: [/old name/, /ancien-caf%C3%A9/]\n---\nSee [the café](café.md) and [100%](notes%20été/100%25.md).\n",
		"content/café.md":           "---\ntitle: Café\ndate: 2024-01-01\n---\nBack to [mine](my%20essay.md).\n",
		"content/notes été/100%.md": "---\ntitle: Full\ndate: 2023-01-01\n---\nFull.\n",
	})
	site := buildSite(t, dir)
	for _, p := range []string{"my essay/index.html", "café/index.html", "notes été/100%/index.html", "notes été/index.html",
		"tags/café/index.html", "old name/index.html", "ancien-café/index.html"} {
		if _, ok := site.File(p); !ok {
			t.Errorf("no file %s in %v", p, site.Paths())
		}
	}
	mine := fileOf(t, site, "my essay/index.html")
	contains(t, "my essay/index.html", mine,
		`<link rel="canonical" href="https://example.org/my%20essay/">`,
		`<meta property="og:url" content="https://example.org/my%20essay/">`,
		`<a href="/caf%C3%A9/">the café</a>`,
		`<a href="/notes%20%C3%A9t%C3%A9/100%25/">100%</a>`,
		`<a href="/tags/caf%C3%A9/" rel="tag">Café</a>`,
		`rel="prev" href="/caf%C3%A9/"`)
	if u := jsonLD(t, mine)["url"]; u != "https://example.org/my%20essay/" {
		t.Errorf("JSON-LD url = %v", u)
	}
	contains(t, "index.html", fileOf(t, site, "index.html"),
		`<a href="/my%20essay/">Mine</a>`, `<a href="/notes%20%C3%A9t%C3%A9/">Notes été</a>`)
	contains(t, "notes été/100%/index.html", fileOf(t, site, "notes été/100%/index.html"), `<p class="kicker"><a href="/notes%20%C3%A9t%C3%A9/">Notes été</a></p>`)
	for _, p := range []string{"old name/index.html", "ancien-café/index.html"} {
		contains(t, p, fileOf(t, site, p), `<meta http-equiv="refresh" content="0; url=https://example.org/my%20essay/">`)
	}
	var ids []string
	for _, e := range feedOf(t, site, "https://example.org/").Entries {
		ids = append(ids, e.ID+" "+e.Links[0].Href)
	}
	want := "https://example.org/my%20essay/ https://example.org/my%20essay/|" +
		"https://example.org/caf%C3%A9/ https://example.org/caf%C3%A9/|" +
		"https://example.org/notes%20%C3%A9t%C3%A9/100%25/ https://example.org/notes%20%C3%A9t%C3%A9/100%25/"
	if got := strings.Join(ids, "|"); got != want {
		t.Errorf("feed ids and links:\n got %s\nwant %s", got, want)
	}
	var locs []string
	for _, u := range sitemapOf(t, site, "https://example.org/").URLs {
		locs = append(locs, u.Loc)
	}
	contains(t, "sitemap locs", strings.Join(locs, " "), "https://example.org/my%20essay/", "https://example.org/caf%C3%A9/",
		"https://example.org/notes%20%C3%A9t%C3%A9/100%25/", "https://example.org/notes%20%C3%A9t%C3%A9/", "https://example.org/tags/caf%C3%A9/")
	for _, b := range sitecheck.BrokenLinks(site) {
		t.Error(b)
	}
	if u, _ := site.URLOf("content/my essay.md"); u != "/my essay/" {
		t.Errorf("URLOf = %q, want the unescaped path", u)
	}

	// On disk, as written by a build to a folder.
	out := filepath.Join(t.TempDir(), "public")
	if _, _, err := NewBuilder().BuildTo(context.Background(), Options{Source: dir, Now: fixedClock}, out); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"my essay/index.html", "notes été/100%/index.html", "ancien-café/index.html"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err != nil {
			t.Errorf("on disk: %v", err)
		}
	}
}

// TestAliasDecodedOutside: an alias that escapes the output folder once
// percent-decoded is an error, not a file written elsewhere.
func TestAliasDecodedOutside(t *testing.T) {
	dir := testsite.New(t, map[string]string{"content/a.md": "---\naliases: [/%2E%2E/%2E%2E/etc/]\n---\n"})
	_, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err == nil || !strings.Contains(err.Error(), `content/a.md:1:1: alias "/%2E%2E/%2E%2E/etc/" would escape the output folder once decoded`) {
		t.Errorf("got %v", err)
	}
}

func TestEscapeURL(t *testing.T) {
	for in, want := range map[string]string{
		"/a-b_c.D9/": "/a-b_c.D9/", "/my essay/": "/my%20essay/", "/café/": "/caf%C3%A9/",
		"/100%/": "/100%25/", "/a+b~c/": "/a+b~c/", "/q?#/": "/q%3F%23/",
	} {
		if got := plan.EscapeURL(in); got != want {
			t.Errorf("plan.EscapeURL(%q) = %q, want %q", in, got, want)
		}
		if got := plan.OutPath(plan.EscapeURL(in)); got != strings.TrimPrefix(in, "/")+"index.html" {
			t.Errorf("plan.OutPath(plan.EscapeURL(%q)) = %q, want the real name", in, got)
		}
	}
}

// TestChangedSince: a site built after another by the same Builder tells
// which files changed, as comparing every file would, when both have the
// same paths; otherwise it cannot tell.
func TestChangedSince(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"content/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nFirst.\n",
		"content/b.md": "---\ntitle: B\ndate: 2024-01-02\n---\nSecond.\n",
	})
	b := NewBuilder()
	build := func() *Site {
		t.Helper()
		s, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// compare is what changed, file by file.
	compare := func(a, b *Site) []string {
		var out []string
		for _, p := range b.Paths() {
			x, _ := a.File(p)
			y, _ := b.File(p)
			if !bytes.Equal(x, y) {
				out = append(out, p)
			}
		}
		return out
	}
	first := build()
	if _, ok := first.ChangedSince(nil); ok {
		t.Error("the first site told what changed since nothing")
	}
	steps := []struct {
		name   string
		change func()
		ok     bool
	}{
		{"nothing", func() {}, true},
		{"a body", func() {
			testsite.WriteFile(t, dir, "content/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\nFirst, edited.\n")
		}, true},
		{"a title", func() {
			testsite.WriteFile(t, dir, "content/b.md", "---\ntitle: Bee\ndate: 2024-01-02\n---\nSecond.\n")
		}, true},
		{"an essay added", func() { testsite.WriteFile(t, dir, "content/c.md", "---\ntitle: C\ndate: 2024-01-03\n---\nThird.\n") }, false},
	}
	prev := first
	for _, st := range steps {
		st.change()
		s := build()
		got, ok := s.ChangedSince(prev)
		if ok != st.ok {
			t.Fatalf("%s changed: ok %v, want %v", st.name, ok, st.ok)
		}
		if want := compare(prev, s); ok && !slices.Equal(got, want) {
			t.Errorf("%s changed: ChangedSince says %v, comparing says %v", st.name, got, want)
		}
		if _, ok := s.ChangedSince(first); ok && prev != first {
			t.Errorf("%s changed: told what changed since a site two builds back", st.name)
		}
		prev = s
	}
	if _, ok := build().ChangedSince(first); ok {
		t.Error("told what changed since a site two builds back")
	}
}
