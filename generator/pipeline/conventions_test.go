package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// buildFiles builds files in memory, failing the test on errors.
func buildFiles(t *testing.T, files map[string]string, opts Options) *Site {
	t.Helper()
	opts.Source, opts.Now = testsite.New(t, files), fixedClock
	site, err := NewBuilder().Build(context.Background(), opts)
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	return site
}

// expect checks that each page exists and holds each string.
func expect(t *testing.T, site *Site, pages map[string][]string) {
	t.Helper()
	for p, wants := range pages {
		b, ok := site.File(p)
		if !ok {
			t.Errorf("no %s; the site has %v", p, site.Paths())
			continue
		}
		for _, w := range wants {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %q", p, w)
			}
		}
	}
}

// TestHugoShapedSite: TOML front matter, _index.md list pages and a page
// bundle build where Hugo would put them.
func TestHugoShapedSite(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":               "title: T\n",
		"content/_index.md":       "+++\ntitle = \"Welcome\"\n+++\nHome text.\n",
		"content/posts/_index.md": "+++\ntitle = \"Writing\"\n+++\nAll posts.\n",
		"content/posts/first.md": "+++\ntitle = \"First\"\ndate = 2024-01-02T10:00:00Z\ntags = [\"go\"]\ncategories = [\"Notes\"]\nweight = 5\n+++\n" +
			"See [the bundle](my-bundle/index.md) and [about](../about/index.md).\n",
		"content/posts/my-bundle/index.md": "+++\ntitle = \"Bundle\"\ndate = 2024-02-03\n[taxonomies]\ntags = [\"photos\"]\n+++\nA bundle.\n",
		"content/about/index.md":           "+++\ntitle = \"About\"\n+++\nMe.\n",
	}, Options{})
	if w := site.Warnings(); len(w) != 0 {
		t.Errorf("warnings: %v", w)
	}
	expect(t, site, map[string][]string{
		"index.html":                 {"Home text.", `href="/posts/"`},
		"posts/index.html":           {"Writing", "All posts.", `href="/posts/first/"`, `href="/posts/my-bundle/"`},
		"posts/first/index.html":     {`datetime="2024-01-02T10:00:00Z"`, `href="/posts/my-bundle/"`, `href="/about/"`, `href="/tags/notes/"`},
		"posts/my-bundle/index.html": {`<article class="essay">`, `datetime="2024-02-03T00:00:00Z"`, `href="/tags/photos/"`, `href="/posts/"`},
		"about/index.html":           {`<article class="essay">`, "Me."},
		"tags/go/index.html":         {"First"},
	})
	for _, p := range site.Paths() {
		if strings.Contains(p, "_index") || strings.HasPrefix(p, "posts/my-bundle/index/") {
			t.Errorf("unexpected output %s", p)
		}
	}
}

// TestJekyllShapedSite: _posts, dated names, Jekyll's date format and
// _drafts build as a Jekyll user expects; other _ folders are named once.
func TestJekyllShapedSite(t *testing.T) {
	files := map[string]string{
		"site.yaml": "title: T\n",
		"content/_posts/2019-05-04-hello-world.md": "---\nlayout: post\ntitle: Hello World\ndate: 2019-05-04 12:00:00 -0700\ncategories: [meta]\n---\n" +
			"Hi. Next: [the second](2019-06-01-second.md).\n",
		"content/_posts/2019-06-01-second.md": "---\nlayout: post\ntitle: Second\n---\nText.\n",
		"content/_drafts/wip.md":              "---\ntitle: Work in progress\n---\nSoon.\n",
		"content/_includes/note.md":           "An include.\n",
		"content/_layouts/post.md":            "A layout.\n",
		"content/about.md":                    "---\nlayout: page\ntitle: About\npermalink: /about/\n---\nMe.\n",
		// jekyll new writes .markdown; an image may sit beside the posts.
		"content/_posts/2020-01-02-welcome-to-jekyll.markdown": "---\nlayout: post\ntitle: Welcome\n---\n![The logo](logo.svg) Back to [hello](2019-05-04-hello-world.md).\n",
		"content/_posts/logo.svg":                              `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="4"></svg>`,
	}
	site := buildFiles(t, files, Options{})
	expect(t, site, map[string][]string{
		"hello-world/index.html":       {`datetime="2019-05-04T12:00:00-07:00"`, `href="/second/"`, `href="/tags/meta/"`},
		"second/index.html":            {`datetime="2019-06-01T00:00:00Z"`},
		"about/index.html":             {"Me."},
		"welcome-to-jekyll/index.html": {`datetime="2020-01-02T00:00:00Z"`, `<img src="/_posts/logo.svg" alt="The logo" width="8" height="4"`, `href="/hello-world/"`},
		"_posts/logo.svg":              {"<svg"},
	})
	for _, p := range site.Paths() {
		if strings.Contains(p, "_posts") && p != "_posts/logo.svg" || strings.Contains(p, "wip") || strings.Contains(p, "_includes") {
			t.Errorf("unexpected output %s", p)
		}
	}
	want := "content: warning: not published, because their names start with _: content/_includes, content/_layouts (rename a folder to publish its Markdown)"
	if w := site.Warnings(); len(w) != 1 || w[0].Error() != want {
		t.Errorf("warnings %v, want only: %s", w, want)
	}
	drafts := buildFiles(t, files, Options{Drafts: true})
	expect(t, drafts, map[string][]string{"wip/index.html": {"Work in progress", "Draft"}})
}

// TestGitHubShapedSite: README.md is its folder's page, and links to it
// go to the folder.
func TestGitHubShapedSite(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":                "title: T\n",
		"content/README.md":        "# Team handbook\n\nStart with [the guide](guide/README.md).\n",
		"content/guide/README.md":  "# Guide\n\nRead [install](install.md).\n",
		"content/guide/install.md": "# Install\n\nBack to [the guide](README.md) and [home](../README.md).\n",
		"content/faq/README.md":    "# FAQ\n\nAsk.\n",
	}, Options{})
	expect(t, site, map[string][]string{
		"index.html":               {"Start with", `href="/guide/"`, `href="/faq/"`},
		"guide/index.html":         {"Guide", `href="/guide/install/"`},
		"guide/install/index.html": {`href="/guide/"`, `href="/"`},
		"faq/index.html":           {`<article class="essay">`, "Ask."},
	})
	for _, p := range site.Paths() {
		if strings.Contains(strings.ToLower(p), "readme") {
			t.Errorf("unexpected output %s", p)
		}
	}
}

// TestParamsInLayouts: front matter keys Steward does not use reach
// layouts as .Essay.Params.
func TestParamsInLayouts(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":          "title: T\n",
		"layouts/essay.html": "{{define \"main\"}}weight={{.Essay.Params.weight}} toc={{.Essay.Params.extra.toc}}{{end}}",
		"content/a.md":       "+++\ntitle = \"A\"\nweight = 5\n[extra]\ntoc = true\n+++\n",
	}, Options{})
	expect(t, site, map[string][]string{"a/index.html": {"weight=5 toc=true"}})
}

// TestBrokenEssayIsNoCascade: an essay with front matter errors still
// exists for links: its own errors are reported, and no link to it is.
func TestBrokenEssayIsNoCascade(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":                  "title: T\n",
		"content/a.md":               "---\ntitle: A\n---\nSee [b](b.md), [b's part](b.md#part), [c](c/README.md) and [d](2019-05-04-d.md).\n",
		"content/b.md":               "---\ntitle: [\n---\n## Part\n",
		"content/c/README.md":        "---\ndate: nope\n---\n",
		"content/2019-05-04-d.md":    "\xff",
		"content/my notes/README.md": "---\ntags: 5\n---\n",
		"content/e.md":               "See [notes](my%20notes/README.md).\n",
	})
	_, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	// One error for each broken file.
	wantDiags(t, diag.AsList(err), []string{"content/2019-05-04-d.md:1:1: the file is not valid UTF-8 (byte 0xff); save it as UTF-8", "content/b.md:2:8: front matter: ...", "content/c/README.md:2:7: front matter: date: \"nope\" is not a valid date (write it as 2024-03-12, 2024-03-12T09:00:00Z or 2024-03-12 09:00:00 -0700)", "content/my notes/README.md:2:7: front matter: tags: expected a list, like tags: [a, b]"})
}

// TestSiteOwnRobotsAndRepeatedTitle: a site's own static/robots.txt is
// published instead of the generated one; a body that opens with its
// front matter's title as a # heading shows one h1, not two.
func TestSiteOwnRobotsAndRepeatedTitle(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":         "title: T\n",
		"static/robots.txt": "User-agent: *\nDisallow: /drafts/\n",
		"content/a.md":      "+++\ntitle = \"This Cycle in *Cargo*: 1.82\"\n+++\n\n# This cycle in Cargo: 1.82\n\nText.\n\n# A second h1 stays\n",
		"content/b.md":      "---\ntitle: Other\n---\n# Not the title\n\nText.\n",
	}, Options{})
	if b, _ := site.File("robots.txt"); string(b) != "User-agent: *\nDisallow: /drafts/\n" {
		t.Errorf("robots.txt = %q, want the site's own", b)
	}
	a, _ := site.File("a/index.html")
	if n := strings.Count(string(a), "<h1"); n != 2 || !strings.Contains(string(a), "A second h1 stays") {
		t.Errorf("a: want the title's h1 and the second heading's, got %d h1:\n%s", n, a)
	}
	b, _ := site.File("b/index.html")
	if !strings.Contains(string(b), "Not the title</h1>") {
		t.Errorf("b: a heading that differs from the title must stay:\n%s", b)
	}
}

// TestHomeHeading: a handbook's README opens with its # title; the home
// page shows it as its heading instead of losing it.
func TestHomeHeading(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":         "title: Site\n",
		"content/README.md": "# Engineering *Practices*\n\nHow we work.\n",
		"content/review.md": "Review.\n",
	}, Options{})
	expect(t, site, map[string][]string{"index.html": {"<h1>Engineering <em>Practices</em></h1>", "How we work.", "<title>Site</title>"}})
	plain := buildFiles(t, map[string]string{"site.yaml": "title: Site\n", "content/index.md": "Just text.\n"}, Options{})
	expect(t, plain, map[string][]string{"index.html": {"<h1>Site</h1>", "Just text."}})
}
