package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestPermalinks: with Hugo's permalinks setting, essays that share a
// slug across years (letsencrypt.org's legal transparency reports) get
// dated URLs, and everything that names an essay follows its URL: links
// between essays (written by source path), aliases, the feed, the
// sitemap, the section's list; the old URL is free.
func TestPermalinks(t *testing.T) {
	files := map[string]string{
		"site.yaml":                       "title: T\nbaseURL: https://example.org\npermalinks:\n  post: /:year/:month/:day/:slug/\n",
		"content/post/2015-7-1-report.md": "---\ntitle: Report 2015\ndate: 2015-07-01\nslug: report\naliases: [/old/report-2015/]\n---\nSee [the next one](2016-4-1-report.md#findings).\n",
		"content/post/2016-4-1-report.md": "---\ntitle: Report 2016\ndate: 2016-04-01\nslug: report\n---\n## Findings\n\nFigure: ![f](fig.png)\n",
		"content/post/fig.png":            "png",
		"content/about.md":                "# About\n\nOur [reports](post/2015-7-1-report.md).\n",
	}
	site := buildFiles(t, files, Options{})
	for _, c := range []struct{ file, want string }{
		{"2015/07/01/report/index.html", `href="/2016/04/01/report/#findings"`},
		{"2016/04/01/report/index.html", `src="/post/fig.png"`},
		{"about/index.html", `href="/2015/07/01/report/"`},
		{"old/report-2015/index.html", `https://example.org/2015/07/01/report/`},
		{"feed.xml", `href="https://example.org/2016/04/01/report/"`},
		{"sitemap.xml", `<loc>https://example.org/2015/07/01/report/</loc>`},
		{"post/index.html", `href="/2016/04/01/report/"`},
	} {
		b, ok := site.File(c.file)
		if !ok {
			t.Errorf("no %s; the site has %v", c.file, site.Paths())
			continue
		}
		if !strings.Contains(string(b), c.want) {
			t.Errorf("%s lacks %s:\n%s", c.file, c.want, b)
		}
	}
	if _, ok := site.File("post/report/index.html"); ok {
		t.Error("the essays are also at their URL without permalinks")
	}

	// Two essays of one day still collide: the error is as without
	// permalinks, at the second.
	files["content/post/2016-4-1-again.md"] = "---\ndate: 2016-04-01\nslug: report\n---\n"
	_, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	wantDiags(t, diag.AsList(err), []string{"content/post/2016-4-1-report.md:1:1: URL /2016/04/01/report/ is claimed by both content/post/2016-4-1-again.md and content/post/2016-4-1-report.md; give one of them another slug or file name"})

	// A pattern's URL is checked as a slug's: /tags/ stays Steward's.
	delete(files, "content/post/2016-4-1-again.md")
	files["site.yaml"] = "title: T\npermalinks: {post: /tags/:slug/}\n"
	_, err = NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	if err == nil || !strings.Contains(err.Error(), "URL /tags/report/ is reserved for Steward's generated pages") {
		t.Errorf("a pattern under /tags/ should be refused, got %v", err)
	}

	// An unknown token is an error at its place in site.yaml.
	files["site.yaml"] = "title: T\npermalinks:\n  post: /:year/:mnth/:slug/\n"
	_, err = NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	if err == nil || !strings.HasPrefix(err.Error(), "site.yaml:3:16: permalinks.post: unknown token :mnth; did you mean :month?") {
		t.Errorf("an unknown token should be an error at its column, got %v", err)
	}
}

// TestPermalinksChangeInServe: the dev server's Builder follows a change
// of the setting at its next build, and back.
func TestPermalinksChangeInServe(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":         "title: T\npermalinks: {post: /:year/:slug/}\n",
		"content/post/a.md": "---\ndate: 2020-05-01\n---\nA.\n",
	})
	b := NewBuilder()
	for i, c := range []struct{ yaml, want, gone string }{
		{"title: T\npermalinks: {post: /:year/:slug/}\n", "2020/a/index.html", "post/a/index.html"},
		{"title: T\n", "post/a/index.html", "2020/a/index.html"},
		{"title: T\npermalinks: {post: /:year/:slug/}\n", "2020/a/index.html", "post/a/index.html"},
	} {
		testsite.Write(t, dir, map[string]string{"site.yaml": c.yaml})
		site, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock})
		if err != nil {
			t.Fatalf("build %d: %v", i, err)
		}
		if _, ok := site.File(c.want); !ok {
			t.Errorf("build %d: no %s; the site has %v", i, c.want, site.Paths())
		}
		if _, ok := site.File(c.gone); ok {
			t.Errorf("build %d: %s is still there", i, c.gone)
		}
	}
}

// TestPermalinksOfNoSection: a pattern for a folder that holds no essay
// (Hugo's posts, while the essays are in post) is named, not ignored.
func TestPermalinksOfNoSection(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":         "title: T\npermalinks: {posts: /:year/:slug/, post: /:year/:slug/}\n",
		"content/post/a.md": "---\ndate: 2020-05-01\n---\nA.\n",
	}, Options{})
	var got diag.List
	for _, w := range site.Warnings() {
		if strings.HasPrefix(w.Msg, "permalinks") {
			got = append(got, w)
		}
	}
	wantDiags(t, got, []string{"site.yaml: warning: permalinks.posts: content/posts/ holds no essay, so the pattern changes no URL; name the folder the essays are in"})
}

// TestJekyllCollections: a Jekyll site's collections (_config.yml's
// collections with output: true) are published without their _; their
// files go with them, linked from their essays; _config.yml itself and
// other _ folders are not.
func TestJekyllCollections(t *testing.T) {
	files := map[string]string{
		"site.yaml":              "title: T\n",
		"content/_config.yml":    "collections:\n  docs:\n    output: true\n    permalink: /:collection/:path/\n",
		"content/_docs/index.md": "# Docs\n",
		"content/_docs/guide.md": "# Guide\n\n![map](map.png) See [the index](index.md) and [notes](../_notes/n.md).\n",
		"content/_docs/map.png":  "png",
		"content/_notes/n.md":    "Not published.\n",
		"content/index.md":       "Home: [guide](_docs/guide.md).\n",
	}
	_, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	wantDiags(t, diag.AsList(err), []string{"content: warning: not published, because their names start with _: content/_notes (rename a folder to publish its Markdown)", "content/_docs/guide.md:3:47: link to \"../_notes/n.md\": there is no essay content/_notes/n.md" + noEssay})
	files["content/_docs/guide.md"] = "# Guide\n\n![map](map.png) See [the index](index.md).\n"
	site := buildFiles(t, files, Options{})
	for _, c := range []struct{ file, want string }{
		{"docs/guide/index.html", `src="/_docs/map.png"`},
		{"docs/guide/index.html", `href="/docs/"`},
		{"index.html", `href="/docs/guide/"`},
		{"_docs/map.png", "png"},
	} {
		b, ok := site.File(c.file)
		if !ok || !strings.Contains(string(b), c.want) {
			t.Errorf("%s lacks %s; the site has %v", c.file, c.want, site.Paths())
		}
	}
	for _, p := range []string{"_config.yml", "_notes/n/index.html", "_docs/guide/index.html"} {
		if _, ok := site.File(p); ok {
			t.Errorf("%s is published", p)
		}
	}
}

// TestJekyllSiteCopiedWhole: a Jekyll site copied whole into content/
// (as opensource.guide's) is published as Jekyll would publish it: its
// exclude list and Jekyll's own leave out its repository's files, and a
// collection's permalink places its essays.
func TestJekyllSiteCopiedWhole(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":                     "title: T\n",
		"content/_config.yml":           "exclude:\n  - Gemfile*\n  - README.md\n  - script\ncollections:\n  articles:\n    output: true\n    permalink: \"/:path/\"\n",
		"content/_articles/legal.md":    "# Legal\n\nSee [the French one](fr/legal.md).\n",
		"content/_articles/fr/legal.md": "# Juridique\n",
		"content/Gemfile":               "source 'https://rubygems.org'\n",
		"content/Gemfile.lock":          "GEM\n",
		"content/README.md":             "# The repository\n",
		"content/script/bootstrap":      "#!/bin/sh\n",
		"content/node_modules/x/x.js":   "x\n",
		"content/index.md":              "Home: [legal](_articles/legal.md).\n",
		"content/CNAME":                 "opensource.guide\n",
	}, Options{})
	for _, c := range []struct{ file, want string }{
		{"legal/index.html", `href="/fr/legal/"`},
		{"fr/legal/index.html", "Juridique"},
		{"index.html", `href="/legal/"`},
		{"CNAME", "opensource.guide"},
	} {
		b, ok := site.File(c.file)
		if !ok || !strings.Contains(string(b), c.want) {
			t.Errorf("%s lacks %s; the site has %v", c.file, c.want, site.Paths())
		}
	}
	for _, p := range []string{"Gemfile", "Gemfile.lock", "README/index.html", "script/bootstrap", "node_modules/x/x.js", "articles/legal/index.html"} {
		if _, ok := site.File(p); ok {
			t.Errorf("%s is published", p)
		}
	}
}
