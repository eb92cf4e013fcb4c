package pipeline

import (
	"context"
	"testing"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestPathLinks: a link to a path of the site that no page, list, alias or
// file answers is a warning at its bracket, saying what was likely meant;
// every path the site has is quiet, and so are links to other sites.
func TestPathLinks(t *testing.T) {
	const front = "---\ntitle: A\ndate: 2024-01-01\ntags: [go]\naliases: [/old/]\n---\n"
	const fix = "fix the address, or add what it names (an address that another server answers can stay as it is)"
	tests := []struct {
		name string
		body string            // content/guides/a.md after its front matter (line 7 on)
		more map[string]string // other files
		want []string          // every warning, sorted
	}{
		{name: "paths the site has",
			body: "[home](/) [list](/guides/) [me](/guides/a/) [up](../) [tag](/tags/go/) [tags](/tags/) " +
				"[feed](/feed.xml) [old](/old/) [b](/b) [b2](../../b/#x) [pdf](/files/x.pdf) [img](pic.png) [s](/static-page/) " +
				"[ext](https://example.org/x) [mail](mailto:a@example.org) [frag](#top) [q](?x=1) <a href=\"/b/\">raw</a>\n",
			more: map[string]string{
				"content/b.md":                  "# B\n",
				"content/guides/pic.png":        "png",
				"static/files/x.pdf":            "pdf",
				"static/static-page/index.html": "<p>hi</p>",
				// A folder's index is at the folder's URL.
				"content/guides/_index.md": "[a](a/) [b](../b/) [gone](c/)\n",
			},
			want: []string{
				`content/guides/_index.md:1:20: warning: link to "c/": no page or file of the site is at /guides/c/; ` + fix,
			}},
		{name: "a path the site lacks",
			body: "[gone](/nope/) and <a href=\"/nope/either\">raw</a>\n",
			want: []string{
				`content/guides/a.md:7:1: warning: link to "/nope/": no page or file of the site is at /nope/; ` + fix,
				`content/guides/a.md:7:23: warning: link to "/nope/either": no page or file of the site is at /nope/either; ` + fix,
			}},
		{name: "another generator's feed",
			body: "[rss](/index.xml) [posts](/posts.rss)\n",
			want: []string{
				`content/guides/a.md:7:1: warning: link to "/index.xml": no page or file of the site is at /index.xml; Steward writes the site's feed at /feed.xml (Atom); link to /feed.xml`,
				`content/guides/a.md:7:19: warning: link to "/posts.rss": no page or file of the site is at /posts.rss; Steward writes the site's feed at /feed.xml (Atom); link to /feed.xml`,
			}},
		{name: "a link written inside a link's parentheses",
			body: "The [docs]([https://example.org/kv](https://example.org/kv#start)) say.\n",
			want: []string{
				`content/guides/a.md:7:5: warning: link to "[https://example.org/kv](https://example.org/kv": no page or file of the site is at /guides/a/[https://example.org/kv](https://example.org/kv; the address is itself written as a Markdown link; write the address alone in the ( )`,
			}},
		{name: "a host without its scheme",
			body: "[repo](github.com/simonw/x) [w](www.example.org) [cn](codingstyle.cn) [sh](install.sh)\n",
			want: []string{
				`content/guides/a.md:7:1: warning: link to "github.com/simonw/x": no page or file of the site is at /guides/a/github.com/simonw/x; the address has no https://, so it is read as a path of this site; write https://github.com/simonw/x`,
				`content/guides/a.md:7:29: warning: link to "www.example.org": no page or file of the site is at /guides/a/www.example.org; the address has no https://, so it is read as a path of this site; write https://www.example.org`,
				`content/guides/a.md:7:50: warning: link to "codingstyle.cn": no page or file of the site is at /guides/a/codingstyle.cn; the address has no https://, so it is read as a path of this site; write https://codingstyle.cn`,
				`content/guides/a.md:7:71: warning: link to "install.sh": no page or file of the site is at /guides/a/install.sh; ` + fix,
			}},
		{name: "a URL that differs in case, as Hugo lowercased it",
			body: "[where](/functions/where/) [rel](functions/where/) [caps](/functions/Sort/)\n",
			more: map[string]string{"content/functions/Where.md": "# Where\n", "content/functions/sort.md": "# Sort\n"},
			want: []string{
				`content/guides/a.md:7:1: warning: link to "/functions/where/": no page or file of the site is at /functions/where/; the page at /functions/Where/ differs only in case: a URL keeps the case of its file's name, while Hugo by default made every URL lower case; link to /functions/Where/, or make the URLs of content/functions/ lower case, as Hugo did, with permalinks: {functions: /:sections/:filename/} in site.yaml`,
				`content/guides/a.md:7:28: warning: link to "functions/where/": no page or file of the site is at /guides/a/functions/where/; the address is relative, so it starts from this page's URL, /guides/a/; did you mean /functions/where/, from the site's root? the page at /functions/Where/ differs only in case: a URL keeps the case of its file's name, while Hugo by default made every URL lower case; link to /functions/Where/, or make the URLs of content/functions/ lower case, as Hugo did, with permalinks: {functions: /:sections/:filename/} in site.yaml`,
				`content/guides/a.md:7:52: warning: link to "/functions/Sort/": no page or file of the site is at /functions/Sort/; the page at /functions/sort/ differs only in case, and URLs are compared as written; link to /functions/sort/`,
			}},
		{name: "the permalinks that the hint names make Hugo's URLs",
			body: "[where](/functions/where/)\n",
			more: map[string]string{
				"site.yaml":                  "title: T\npermalinks: {functions: /:sections/:filename/}\n",
				"content/functions/Where.md": "# Where\n",
			}},
		{name: "a relative address meant from the root",
			body: "[b](b/)\n",
			more: map[string]string{"content/b.md": "# B\n"},
			want: []string{
				`content/guides/a.md:7:1: warning: link to "b/": no page or file of the site is at /guides/a/b/; the address is relative, so it starts from this page's URL, /guides/a/; did you mean /b/, from the site's root?`,
			}},
		{name: "a folder the copy left out",
			body: "[post](/blog/release/v1/) [home](/std/index.html)\n",
			more: map[string]string{"content/release/v1.md": "# V1\n"},
			want: []string{
				`content/guides/a.md:7:1: warning: link to "/blog/release/v1/": no page or file of the site is at /blog/release/v1/; /release/v1/ is there: this path less its first folder; if content/ was copied from the old site's blog/ folder, move it into content/blog/ to keep the URLs the links name`,
				`content/guides/a.md:7:27: warning: link to "/std/index.html": no page or file of the site is at /std/index.html; ` + fix,
			}},
		{name: "a page of that name elsewhere",
			body: "[f1](/2021/f1-perf/) [twice](/2021/dup/) [html](../../2021/01/26/f1-perf.html)\n",
			more: map[string]string{
				"content/2021/03/f1-perf/index.md": "# F1\n",
				"content/2021/03/dup.md":           "# Dup\n",
				"content/2021/04/dup.md":           "# Dup\n",
			},
			want: []string{
				`content/guides/a.md:7:1: warning: link to "/2021/f1-perf/": no page or file of the site is at /2021/f1-perf/; the page at /2021/03/f1-perf/ has this name: link to it, or, if the old site made its URLs another way (/:year/:slug/), set permalinks in site.yaml to make them so`,
				`content/guides/a.md:7:22: warning: link to "/2021/dup/": no page or file of the site is at /2021/dup/; ` + fix,
				`content/guides/a.md:7:42: warning: link to "../../2021/01/26/f1-perf.html": no page or file of the site is at /2021/01/26/f1-perf.html; the page at /2021/03/f1-perf/ has this name: link to it, or, if the old site made its URLs another way (/:year/:slug/), set permalinks in site.yaml to make them so`,
			}},
		{name: "mdBook's links to chapters by their HTML names",
			body: "[next](ch02.html#start) [none](ch03.html) [real](page.html)\n",
			more: map[string]string{"content/guides/ch02.md": "## Start\n", "content/guides/page.html": "<p>x</p>"},
			want: []string{
				`content/guides/a.md:7:25: warning: link to "ch03.html": no page or file of the site is at /guides/a/ch03.html; ` + fix,
			}},
		{name: "VitePress's and Docusaurus's links to a page's file without .md",
			body: "[w](watchers#x) [w2](./watchers) [up](../b) [api](/guides/watchers.html#x) [none](./gone) [file](LICENSE) [html](/guides/page.html)\n",
			more: map[string]string{
				"content/guides/watchers.md": "## X\n",
				"content/b.md":               "# B\n",
				"content/guides/LICENSE":     "MIT",
				"content/guides/page.html":   "<p>x</p>",
				"content/guides/page.md":     "# P\n",
			},
			want: []string{
				`content/guides/a.md:7:76: warning: link to "./gone": no page or file of the site is at /guides/a/gone; ` + fix,
			}},
		{name: "a link to MDX, which is not published",
			body: "[m](b.mdx) [t](t.njk) [mdx](/guides/b.mdx)\n",
			more: map[string]string{"content/guides/b.mdx": "# B\n", "content/guides/t.njk": "x"},
			want: []string{
				`content/guides/a.md:7:1: warning: link to "b.mdx": no page or file of the site is at /guides/a/b.mdx; Steward does not read or publish content/guides/b.mdx (its own warning says why): rename it to .md, and write the link with that name`,
				`content/guides/a.md:7:12: warning: link to "t.njk": no page or file of the site is at /guides/a/t.njk; ` + fix,
				`content/guides/a.md:7:23: warning: link to "/guides/b.mdx": no page or file of the site is at /guides/b.mdx; Steward does not read or publish content/guides/b.mdx (its own warning says why): rename it to .md, and write the link with that name`,
				`content/guides/b.mdx: warning: not published: ` + content.ForeignMarkdown("b.mdx"),
				`content/guides/t.njk: warning: not published: it is a template or data file of Eleventy or another generator (.njk), which Steward does not run (as it is, readers would get its code); write what it makes as Markdown, or put the file it makes in static/`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"site.yaml": "title: T\nmarkdown: {unsafe: true}\n", "content/guides/a.md": front + tt.body}
			for k, v := range tt.more {
				files[k] = v
			}
			site, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
			if err != nil {
				t.Fatal(err)
			}
			var got diag.List
			for _, d := range site.Warnings() {
				got = append(got, d)
			}
			wantDiags(t, got, tt.want)
		})
	}
}
