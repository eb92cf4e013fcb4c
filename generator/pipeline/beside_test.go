package pipeline

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/sitecheck"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// pngOf returns a PNG of w by h pixels.
func pngOf(t testing.TB, w, h int) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// svgOf returns an SVG of w by h pixels.
func svgOf(w, h string) string {
	return `<svg xmlns="http://www.w3.org/2000/svg" width="` + w + `" height="` + h + `"></svg>` + "\n"
}

func buildSite(t *testing.T, dir string) *Site {
	t.Helper()
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return site
}

func fileOf(t *testing.T, s *Site, p string) string {
	t.Helper()
	b, ok := s.File(p)
	if !ok {
		t.Fatalf("no %s in %v", p, s.Paths())
	}
	return string(b)
}

// contains fails for each of want that s lacks.
func contains(t *testing.T, name, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %s:\n%s", name, w, s)
		}
	}
}

// TestFilesBeside builds a site whose essays keep their images and files
// beside them, as Hugo's page bundles and Zola's colocated assets do.
func TestFilesBeside(t *testing.T) {
	photo := pngOf(t, 3, 2)
	dir := testsite.New(t, map[string]string{
		"site.yaml": "title: Beside\nbaseURL: https://example.org\n",
		"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\n" +
			"![A diagram](img/diagram.svg \"The diagram\") first.\n\n" +
			"![A photo](img/photo%20one.png) and ![again](</posts/img/photo one.png>)\n\n" +
			"[The slides](files/talk.pdf#page=2), [notes](<files/my notes.txt>), [up](../top.txt?v=1).\n\n" +
			"[Elsewhere](other.html) and ![remote](https://example.org/x.png) stay as written.\n",
		"content/posts/img/diagram.svg":         svgOf("40", "30"),
		"content/posts/img/photo one.png":       photo,
		"content/posts/files/talk.pdf":          "%PDF\n",
		"content/posts/files/my notes.txt":      "notes\n",
		"content/top.txt":                       "top\n",
		"content/index.md":                      "---\ntitle: Home\n---\nSee ![the diagram](posts/img/diagram.svg).\n",
		"content/bundle/index.md":               "---\ntitle: Bundle\n---\n![Cover](cover.svg)\n",
		"content/bundle/cover.svg":              svgOf("8", "4"),
		"content/from-static.md":                "---\ntitle: S\n---\n![Logo](../static/img/logo.svg)\n",
		"static/img/logo.svg":                   svgOf("16", "16"),
		"content/_drafts/hidden.png":            photo,
		"content/.git/config":                   "x",
		"content/posts/.DS_Store":               "x",
		"content/posts/_unpublished/secret.txt": "x",
	})
	site := buildSite(t, dir)

	for p, want := range map[string]string{
		"posts/img/diagram.svg":    svgOf("40", "30"),
		"posts/img/photo one.png":  photo,
		"posts/files/talk.pdf":     "%PDF\n",
		"posts/files/my notes.txt": "notes\n",
		"top.txt":                  "top\n",
		"bundle/cover.svg":         svgOf("8", "4"),
	} {
		if got := fileOf(t, site, p); got != want {
			t.Errorf("%s = %q, want the file's bytes %q", p, got, want)
		}
	}
	for _, p := range []string{"_drafts/hidden.png", ".git/config", "posts/.DS_Store", "posts/_unpublished/secret.txt"} {
		if _, ok := site.File(p); ok {
			t.Errorf("%s is published; folders starting with _ or . and hidden files are not", p)
		}
	}

	contains(t, "posts/a/index.html", fileOf(t, site, "posts/a/index.html"),
		`<img src="/posts/img/diagram.svg" alt="A diagram" title="The diagram" width="40" height="30" loading="lazy" decoding="async">`,
		`<img src="/posts/img/photo%20one.png" alt="A photo" width="3" height="2"`,
		`<img src="/posts/img/photo%20one.png" alt="again" width="3" height="2"`,
		`<a href="/posts/files/talk.pdf#page=2">The slides</a>`,
		`<a href="/posts/files/my%20notes.txt">notes</a>`,
		`<a href="/top.txt?v=1">up</a>`,
		`<a href="other.html">Elsewhere</a>`,
		`<img src="https://example.org/x.png" alt="remote" loading="lazy"`)
	// The summary is rendered from the same tree: lists show the image too.
	contains(t, "index.html", fileOf(t, site, "index.html"),
		`<img src="/posts/img/diagram.svg" alt="A diagram" title="The diagram" width="40" height="30"`,
		`<img src="/posts/img/diagram.svg" alt="the diagram" width="40" height="30"`)
	contains(t, "bundle/index.html", fileOf(t, site, "bundle/index.html"), `<img src="/bundle/cover.svg" alt="Cover" width="8" height="4"`)
	contains(t, "from-static/index.html", fileOf(t, site, "from-static/index.html"), `<img src="/img/logo.svg" alt="Logo" width="16" height="16"`)
	for _, b := range sitecheck.BrokenLinks(site) {
		if !strings.Contains(b, "other.html") {
			t.Error(b)
		}
	}
}

// TestFilesBesideErrors: a relative image that names no published file, and
// a file that would replace a page or a static file, are errors.
func TestFilesBesideErrors(t *testing.T) {
	const ok = "---\ntitle: OK\ndate: 2024-01-01\n---\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string // each error, in order (see wantDiags)
	}{
		{"missing image", map[string]string{"content/posts/a.md": ok + "Text ![a map](img/map.png).\n"},
			[]string{`content/posts/a.md:5:6: image "img/map.png": there is no file content/posts/img/map.png; fix the path (it is relative to content/posts/) or add the file`}},
		{"image in a folder that is not published", map[string]string{"content/a.md": ok + "![x](_assets/x.png)\n", "content/_assets/x.png": "x"},
			[]string{`content/a.md:5:1: image "_assets/x.png": content/_assets/x.png is in the folder _assets, and folders starting with _ or . are not published; fix the path (it is relative to content/) or add the file`}},
		{"image outside the site", map[string]string{"content/a.md": ok + "![x](../../x.png)\n"},
			[]string{`content/a.md:5:1: image "../../x.png": it points outside the site's folder, and from the page's URL, /a/, a browser would ask for /x.png, which neither static/x.png nor content/x.png is; fix the path (it is relative to content/) or add the file`}},
		{"image outside content and static", map[string]string{"content/a.md": ok + "![x](../layouts/x.png)\n"},
			[]string{`content/a.md:5:1: image "../layouts/x.png": there is no file layouts/x.png (only files under content/ and static/ are published); fix the path (it is relative to content/) or add the file`}},
		{"image in a list item, after text", map[string]string{"content/a.md": ok + "- one\n- two ![*x*](x.svg)\n"},
			[]string{`content/a.md:6:7: image "x.svg": there is no file content/x.svg; fix the path (it is relative to content/) or add the file`}},
		{"file replaces an essay's page", map[string]string{"content/a.md": ok, "content/a/index.html": "<p>old</p>"},
			[]string{"content/a/index.html: this file would replace the generated a/index.html; rename or move it"}},
		{"file replaces the feed", map[string]string{"content/a.md": ok, "content/feed.xml": "<feed/>"},
			[]string{"content/feed.xml: this file would replace the generated feed.xml; rename or move it"}},
		{"file where pages need a folder", map[string]string{"content/a.md": ok, "content/a": "no extension"},
			[]string{"content/a: this file stands where the generated pages under /a/ need a folder; rename it"}},
		{"file and static file", map[string]string{"content/a.md": ok, "content/img/x.png": "1", "static/img/x.png": "2"},
			[]string{"content/img/x.png: this file and static/img/x.png are both published as /img/x.png; remove or rename one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testsite.New(t, tt.files)
			site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
			if err == nil {
				t.Fatalf("build succeeded with %d files, want errors %q", len(site.Paths()), tt.want)
			}
			wantDiags(t, diag.AsList(err).Errors(), tt.want)
		})
	}
}

// TestFileBesideReplacesThemeStatic: a file beside the essays wins over
// the theme's static file of the same path, as the site's static/ does.
func TestFileBesideReplacesThemeStatic(t *testing.T) {
	dir := testsite.New(t, map[string]string{"content/a.md": "# A\n", "content/css/steward.css": "body{}\n"})
	if got := fileOf(t, buildSite(t, dir), "css/steward.css"); got != "body{}\n" {
		t.Errorf("css/steward.css = %q, want the site's own", got)
	}
}

// TestFilesBesideRebuild holds, for files beside essays, the promise the
// dev server relies on: a Builder reused after each edit, told what
// changed as the watcher tells it (or not told), builds what a fresh
// Builder does, and a cached conversion is not reused once an image it
// sized or a file it linked changed.
func TestFilesBesideRebuild(t *testing.T) {
	for _, told := range []bool{true, false} {
		dir := testsite.New(t, map[string]string{
			"content/posts/a.md":         "---\ntitle: A\ndate: 2024-01-01\n---\n![Plan](img/plan.svg) [slides](files/s.pdf) ![Later](/img/later.svg)\n",
			"content/posts/img/plan.svg": svgOf("10", "10"),
		})
		write := func(p, s string) { testsite.WriteFile(t, dir, p, s) }
		remove := func(p string) {
			if err := os.RemoveAll(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
				t.Fatal(err)
			}
		}
		b := NewBuilder()
		steps := []struct {
			name    string
			do      func()
			changed []string
			want    string // in posts/a/index.html
		}{
			{"start", func() {}, nil, `<img src="/posts/img/plan.svg" alt="Plan" width="10" height="10"`},
			{"resize the image", func() { write("content/posts/img/plan.svg", svgOf("20", "15")) }, []string{"content/posts/img/plan.svg"},
				`<img src="/posts/img/plan.svg" alt="Plan" width="20" height="15"`},
			{"add the linked file", func() { write("content/posts/files/s.pdf", "%PDF") }, []string{"content/posts/files"},
				`<a href="/posts/files/s.pdf">slides</a>`},
			{"the absolute image appears", func() { write("static/img/later.svg", svgOf("5", "6")) }, []string{"static/img/later.svg"},
				`<img src="/img/later.svg" alt="Later" width="5" height="6"`},
			{"remove the linked file", func() { remove("content/posts/files/s.pdf") }, []string{"content/posts/files/s.pdf"},
				`<a href="files/s.pdf">slides</a>`},
			{"add an unlinked file", func() { write("content/posts/extra/notes.txt", "n") }, []string{"content/posts/extra"}, ""},
			{"edit it", func() { write("content/posts/extra/notes.txt", "notes, longer") }, []string{"content/posts/extra/notes.txt"}, ""},
			{"remove its folder", func() { remove("content/posts/extra") }, []string{"content/posts/extra"}, ""},
			{"a file in a folder that is not published", func() { write("content/_drafts/x.txt", "x") }, []string{"content/_drafts/x.txt"}, ""},
		}
		for _, st := range steps {
			st.do()
			opts := Options{Source: dir, Now: fixedClock}
			if told && st.changed != nil {
				opts.Changed = st.changed
			}
			got, err := b.Build(context.Background(), opts)
			if err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			want := buildSite(t, dir)
			if strings.Join(got.Paths(), " ") != strings.Join(want.Paths(), " ") {
				t.Fatalf("%s (told %v): paths differ:\n got %v\nwant %v", st.name, told, got.Paths(), want.Paths())
			}
			for _, p := range want.Paths() {
				g, _ := got.File(p)
				w, _ := want.File(p)
				if !bytes.Equal(g, w) {
					t.Errorf("%s (told %v): %s differs from a fresh build", st.name, told, p)
				}
			}
			if st.want != "" {
				contains(t, st.name, fileOf(t, got, "posts/a/index.html"), st.want)
			}
		}
		// An image that disappears is an error, not a stale page.
		remove("content/posts/img/plan.svg")
		_, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock, Changed: []string{"content/posts/img/plan.svg"}})
		if err == nil || !strings.Contains(err.Error(), `content/posts/a.md:5:1: image "img/plan.svg": there is no file content/posts/img/plan.svg`) {
			t.Errorf("removing a used image: got %v, want an error at the image", err)
		}
	}
}

// TestFilesBesideCache: the persistent cache, used by one process after
// another, neither serves a page with an image's old size nor hides that
// an image is gone.
func TestFilesBesideCache(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"content/a.md":       "---\ntitle: A\ndate: 2024-01-01\n---\n![Plan](plan.png)\n",
		"content/plan.png":   pngOf(t, 4, 3),
		"content/b.md":       "---\ntitle: B\ndate: 2024-01-02\n---\nB.\n",
		"content/keep/c.txt": "c",
	})
	opts := Options{Source: dir, Now: fixedClock, CacheDir: filepath.Join(t.TempDir(), "cache")}
	out := filepath.Join(t.TempDir(), "public")
	build := func(step string) (Stats, error) {
		st, _, err := NewBuilder().BuildTo(context.Background(), opts, out)
		return st, err
	}
	page := func() string {
		b, err := os.ReadFile(filepath.Join(out, "a", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if _, err := build("first"); err != nil {
		t.Fatal(err)
	}
	contains(t, "first build", page(), `<img src="/plan.png" alt="Plan" width="4" height="3"`)
	if st, err := build("again"); err != nil || st.Converted != 0 {
		t.Fatalf("a build with nothing changed converted %d essays (err %v), want 0", st.Converted, err)
	}
	testsite.WriteFile(t, dir, "content/plan.png", pngOf(t, 8, 5))
	if st, err := build("resized"); err != nil || st.Converted != 1 {
		t.Fatalf("after resizing the image: converted %d essays (err %v), want 1", st.Converted, err)
	}
	contains(t, "after resizing", page(), `<img src="/plan.png" alt="Plan" width="8" height="5"`)
	if b, _ := os.ReadFile(filepath.Join(out, "plan.png")); string(b) != pngOf(t, 8, 5) {
		t.Error("plan.png was not copied again")
	}
	if b, _ := os.ReadFile(filepath.Join(out, "keep", "c.txt")); string(b) != "c" {
		t.Error("keep/c.txt not published")
	}
	if err := os.Remove(filepath.Join(dir, "content", "plan.png")); err != nil {
		t.Fatal(err)
	}
	if _, err := build("removed"); err == nil || !strings.Contains(err.Error(), `content/a.md:5:1: image "plan.png"`) {
		t.Errorf("after removing the image: got %v, want an error at the image", err)
	}
}

// TestTemplatesBesideEssaysAreNotPublished: a Jekyll or Eleventy site's
// templates copied with its Markdown (a feed, an index.html, Nunjucks,
// Eleventy's data files) are not published as they are, where readers
// would get their code (or an index.html would clash with a list page):
// one warning each, folded when printed. Other files are published.
func TestTemplatesBesideEssaysAreNotPublished(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":                     "title: T\n",
		"content/pages/about.md":        "About.\n",
		"content/pages/index.html":      "---\nlayout: home\n---\n{% for post in site.posts %}{% endfor %}\n",
		"content/feed.xml":              "\ufeff---\nlayout: null\n---\n<feed></feed>\n",
		"content/blog.njk":              "{% for post in collections.posts %}{% endfor %}\n",
		"content/blog/blog.11tydata.js": "export default {};\n",
		"content/css/site.scss":         "---\n---\n@import \"main\";\n",
		"content/plain.html":            "<p>A page of its own.</p>\n",
		"content/data.json":             "{\"a\": 1}\n",
		// Node.js's blog: a few posts are MDX, beside hundreds of .md.
		"content/npm/peer-dependencies.mdx": "---\ntitle: Peer Dependencies\n---\n<AlertBox level=\"info\">Note</AlertBox>\n",
		"content/old.mkd":                   "# Old\n",
		// simonw/til: Datasette's Jinja templates beside the essays.
		"content/templates/index.html": "{% extends \"til_base.html\" %}\n{% block title %}TIL{% endblock %}\n",
	}, Options{})
	want := []string{
		`content/blog.njk: warning: not published: it is a template or data file of Eleventy or another generator (.njk), which Steward does not run (as it is, readers would get its code); write what it makes as Markdown, or put the file it makes in static/`,
		`content/blog/blog.11tydata.js: warning: not published: it is a template or data file of Eleventy or another generator (.11tydata.js), which Steward does not run (as it is, readers would get its code); write what it makes as Markdown, or put the file it makes in static/`,
		`content/css/site.scss: warning: not published: it opens with front matter, so it is a template of Jekyll or Eleventy, which Steward does not run (as it is, readers would get its code); write what it makes as Markdown, or put the file it makes in static/`,
		`content/feed.xml: warning: not published: it opens with front matter, so it is a template of Jekyll or Eleventy, which Steward does not run (as it is, readers would get its code); write what it makes as Markdown, or put the file it makes in static/`,
		`content/npm/peer-dependencies.mdx: warning: not published: it is MDX (Markdown with JSX), which Steward does not read (as it is, readers would get its source); rename it to .md to publish it as an essay (its JSX elements then pass through as HTML; remove its import and export lines, which would show as text)`,
		`content/old.mkd: warning: not published: Steward reads Markdown from .md and .markdown files only, not .mkd (as it is, readers would get its source); rename it to .md to publish it as an essay`,
		`content/pages/index.html: warning: not published: it is a page in HTML with front matter, which Hugo, Jekyll and Eleventy publish in their layouts (as it is, readers would see its front matter); rename it to .md to make it an essay (its HTML passes through), or remove its front matter to publish it as it is`,
		`content/templates/index.html: warning: not published: it starts with a template tag ({%), so it is a template of Jinja, Django, Liquid or Nunjucks, which Steward does not run (as it is, readers would get its code); write what it makes as Markdown, or put the file it makes in static/`,
	}
	var got diag.List
	for _, w := range site.Warnings() {
		if strings.HasPrefix(w.Msg, "not published: ") {
			got = append(got, w)
		}
	}
	wantDiags(t, got, want)
	for _, p := range []string{"plain.html", "data.json"} {
		if _, ok := site.File(p); !ok {
			t.Errorf("%s was not published", p)
		}
	}
	for _, p := range []string{"npm/peer-dependencies.mdx", "old.mkd", "templates/index.html"} {
		if _, ok := site.File(p); ok {
			t.Errorf("%s was published: readers would get its source", p)
		}
	}
	if b, _ := site.File("feed.xml"); strings.Contains(string(b), "layout: null") {
		t.Error("the template replaced the site's feed")
	}
	if b, _ := site.File("pages/index.html"); strings.Contains(string(b), "site.posts") {
		t.Error("the template replaced the folder's list page")
	}
}
