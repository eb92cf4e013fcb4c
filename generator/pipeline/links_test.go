package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// noEssay ends the message of a link to an essay that is not there.
const noEssay = " (drafts and essays dated in the future are left out unless the build includes them); fix the file name or remove the link"

// TestLinksInRealWriting holds what essays written elsewhere do with links:
// a link may start with anything (typographic quotes were once a crash),
// and a fragment is an error only where no browser would find its target.
func TestLinksInRealWriting(t *testing.T) {
	const front = "---\ntitle: A\ndate: 2024-01-01\n---\n"
	tests := []struct {
		name string
		body string            // content/a.md after its front matter (line 5 on)
		more map[string]string // other files
		want []string          // every diagnostic, sorted (see wantDiags); none means the build succeeds
	}{
		{name: "link text starting with a quote, dashes, an ellipsis",
			body: "[\"The Servant as Leader\"](https://example.org/g), ['Quoted'](b.md), [--dash](b.md), [...more](b.md)\n",
			more: map[string]string{"content/b.md": "B\n"}},
		{name: "broken links are reported at their bracket whatever they start with",
			body: "See [\"Quoted\"](x.md), [`code` first](x.md), [*em*](x.md), [![img](/i.png)](x.md), [<span>raw</span>](x.md), [](x.md).\n",
			want: []string{
				`content/a.md:5:5: link to "x.md": there is no essay content/x.md` + noEssay,
				`content/a.md:5:23: link to "x.md": there is no essay content/x.md` + noEssay,
				`content/a.md:5:45: link to "x.md": there is no essay content/x.md` + noEssay,
				`content/a.md:5:59: link to "x.md": there is no essay content/x.md` + noEssay,
				`content/a.md:5:60: warning: image "/i.png": no file is published at /i.png (there is no static/i.png, nor content/i.png); copy the image there, or fix the path`,
				`content/a.md:5:83: link to "x.md": there is no essay content/x.md` + noEssay,
				`content/a.md:5:109: link to "x.md": there is no essay content/x.md` + noEssay,
			}},
		{name: "reference links resolve and are positioned at their bracket",
			body: "A [\"ref\"][r] and [*b*][r2].\n\n[r]: b.md#nope\n[r2]: x.md\n",
			more: map[string]string{"content/b.md": "## Yes\n"},
			want: []string{
				`content/a.md:5:3: link to #nope: content/b.md has no heading or anchor with that id; its headings are #yes`,
				`content/a.md:5:18: link to "x.md": there is no essay content/x.md` + noEssay,
			}},
		{name: "percent-encoded fragments are decoded",
			body: "<a id=\"café\"></a>\n\n[to it](#caf%C3%A9) and [there](b.md#na%C3%AFve)\n",
			more: map[string]string{"content/b.md": "<span id='naïve'>x</span>\n"}},
		{name: "Zola's @/ links start from the content folder",
			body: "[b](@/notes/b.md#there), [gone](@/nope.md)\n",
			more: map[string]string{"content/notes/b.md": "## There\n"},
			want: []string{`content/a.md:5:26: link to "@/nope.md": there is no essay content/nope.md` + noEssay}},
		{name: "a Zola site copied from below Zola's content/ is named as such",
			body: "[page](@/documentation/content/page.md#front-matter)\n",
			more: map[string]string{"content/content/page.md": "## Front matter\n"},
			want: []string{`content/a.md:5:1: link to "@/documentation/content/page.md#front-matter": there is no essay content/documentation/content/page.md` + noEssay + `; a Zola @/ link starts at Zola's content folder, and content/content/page.md exists: was content/ copied from Zola's content/documentation/? Copy Zola's whole content/ folder instead`}},
		{name: "MkDocs' { #id } after inline text is a target",
			body: "* **`locale`**{ #mkdocs-locale }: the locale.\n\n[locale](b.md#readthedocs-locale)\n",
			more: map[string]string{"content/b.md": "* **`locale`**{ #readthedocs-locale }: the locale.\n"}},
		{name: "a link written for Zola's ids says how to get them",
			body: "[next](b.md#what-s-next)\n",
			more: map[string]string{"content/b.md": "## What's next\n"},
			want: []string{`content/a.md:5:1: link to #what-s-next: content/b.md has no heading or anchor with that id; #what-s-next is the id zola makes of the heading "What’s next"; set markdown.headingIDs: zola in site.yaml to make ids that way, or link to #whats-next`}},
		{name: "#top is always there",
			body: "[back to top](#top), [their top](b.md#top)\n",
			more: map[string]string{"content/b.md": "No headings.\n"}},
		{name: "ids in raw HTML are targets",
			body: "<div id=\"box\">\n\nx\n\n</div>\n\nInline <a name=\"old-anchor\"></a> and <span id=bare>s</span>.\n\n[1](#box) [2](#old-anchor) [3](#bare) [4](b.md#legacy)\n",
			more: map[string]string{"content/b.md": "<h2 id='legacy'>Legacy</h2>\n"}},
		{name: "an id in an HTML comment is no target",
			body: "<!-- <a id=\"hidden\"></a> -->\n\nText <!-- <span id=\"also\"> --> here.\n\n[x](#hidden) [y](#also)\n",
			want: []string{
				`content/a.md:9:1: link to #hidden: content/a.md has no heading or anchor with that id; it has no headings`,
				`content/a.md:9:14: link to #also: content/a.md has no heading or anchor with that id; it has no headings`,
			}},
		{name: "name= counts only on <a>",
			body: "<input name=\"field\">\n\n[x](#field)\n",
			want: []string{`content/a.md:7:1: link to #field: content/a.md has no heading or anchor with that id; it has no headings`}},
		{name: "footnote ids are targets",
			body: "Text.[^1] Again.[^1]\n\n[note](#fn:1), [ref](#fnref:1), [second ref](#fnref1:1), [missing](#fn:2)\n\n[^1]: The note.\n",
			want: []string{`content/a.md:7:58: link to #fn:2: content/a.md has no heading or anchor with that id; it has no headings`}},
		{name: "an id inside a code block is no target",
			body: "```html\n<a id=\"code\"></a>\n```\n\n[x](#code)\n",
			want: []string{`content/a.md:9:1: link to #code: content/a.md has no heading or anchor with that id; it has no headings`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"site.yaml": "title: T\nmarkdown: {unsafe: true}\n", "content/a.md": front + tt.body}
			for k, v := range tt.more {
				files[k] = v
			}
			dir := testsite.New(t, files)
			_, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
			wantDiags(t, diag.AsList(err), tt.want)
		})
	}
}

// TestUndefinedReference: [text][label] without a definition shows its
// brackets to readers; it is a warning at its position, and only that.
func TestUndefinedReference(t *testing.T) {
	body := "---\ntitle: A\n---\n" +
		"A [good][g] link, a [bad][nolabel] one, and [collapsed][].\n\n" + // line 4
		"Prose [sic] and [1] stay quiet, as do `[code][x]` and [^fn] notes.\n\n" +
		"## A [heading][missing]\n\n" + // line 8
		"[g]: https://example.org/\n\n[^fn]: A note.\n"
	dir := testsite.New(t, map[string]string{"site.yaml": "title: T\n", "content/a.md": body})
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`content/a.md:4:21: warning: reference link [bad][nolabel] has no definition, so readers see the brackets; add a line such as [nolabel]: https://example.org/ or write an inline link [text](url)`,
		`content/a.md:4:45: warning: reference link [collapsed][] has no definition, so readers see the brackets; add a line such as [collapsed]: https://example.org/ or write an inline link [text](url)`,
		`content/a.md:8:6: warning: reference link [heading][missing] has no definition, so readers see the brackets; add a line such as [missing]: https://example.org/ or write an inline link [text](url)`,
	}
	wantDiags(t, site.Warnings(), want)
}

// TestBrokenLinksWarn: links.broken: warn publishes a site whose internal
// links are stale, reporting each as a warning.
func TestBrokenLinksWarn(t *testing.T) {
	files := map[string]string{
		"site.yaml":    "title: T\nlinks: {broken: warn}\n",
		"content/a.md": "---\ntitle: A\n---\n[gone](gone.md) and [stale](b.md#old) and [own](#nowhere)\n\n![a lost figure](img/lost.png)\n",
		"content/b.md": "## New\n",
	}
	dir := testsite.New(t, files)
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatalf("build failed: %v", err)
	}
	want := []string{
		`content/a.md:4:1: warning: link to "gone.md": there is no essay content/gone.md` + noEssay,
		`content/a.md:4:21: warning: link to #old: content/b.md has no heading or anchor with that id; its headings are #new`,
		`content/a.md:4:43: warning: link to #nowhere: content/a.md has no heading or anchor with that id; it has no headings`,
		`content/a.md:6:1: warning: image "img/lost.png": there is no file content/img/lost.png; fix the path (it is relative to content/) or add the file`,
	}
	wantDiags(t, site.Warnings(), want)
	if _, ok := site.File("a/index.html"); !ok {
		t.Error("the essay with broken links was not written")
	}

	files["site.yaml"] = "title: T\nlinks: {broken: wran}\n"
	_, err = NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	if err == nil || !strings.Contains(err.Error(), `site.yaml:2:9: links.broken must be "error" or "warn", got "wran"`) {
		t.Errorf("a bad links.broken should be an error at its position, got %v", err)
	}
}

// TestPanicIsRecovered: a fault while converting one essay costs one
// positioned error; the other essays' errors are still collected, and the
// next build, once the fault is gone, succeeds.
func TestPanicIsRecovered(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":    "title: T\n",
		"content/a.md": "---\ntitle: A\n---\nFine.\n",
		"content/b.md": "---\ntitle: B\n---\nBoom.\n",
		"content/c.md": "---\ntitle: C\n---\n[x](missing.md)\n",
	})
	b := NewBuilder()
	b.convertHook = func(source string) {
		if source == "content/b.md" {
			panic("boom")
		}
	}
	_, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock})
	wantDiags(t, diag.AsList(err), []string{
		"content/b.md:1:1: internal error while converting its Markdown: boom; please report it, with this file",
		`content/c.md:4:1: link to "missing.md": there is no essay content/missing.md (drafts and essays dated in the future are left out unless the build includes them); fix the file name or remove the link`,
	})
	b.convertHook = nil
	if err := os.Remove(filepath.Join(dir, "content", "c.md")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock}); err != nil {
		t.Fatalf("build after the fault: %v", err)
	}
}

// TestEscapedHTMLDefinesNoAnchor: with markdown.unsafe: false raw HTML is
// shown as text, so its ids are not on the page and a link to one is
// broken.
func TestEscapedHTMLDefinesNoAnchor(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":    "title: T\nmarkdown: {unsafe: false}\n",
		"content/a.md": "---\ntitle: A\n---\n<a id=\"x\"></a>\n\n[x](#x)\n",
	})
	_, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err == nil || !strings.Contains(err.Error(), "content/a.md:6:1: link to #x: content/a.md has no heading or anchor with that id") {
		t.Errorf("got %v", err)
	}
}

// TestAliasFiles: an alias naming an HTML file, as Hugo and Jekyll sites
// carry them, is written as that file; one naming a folder gets its
// index.html; an alias's index.html is that folder's page.
func TestAliasFiles(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml":    "title: T\nbaseURL: https://example.org\n",
		"content/a.md": "---\ntitle: A\naliases: [/posts/old-a.html, /post/old-a/index.html, /p/old-a, /Old.HTM]\n---\nA.\n",
	}, Options{})
	for _, p := range []string{"posts/old-a.html", "post/old-a/index.html", "p/old-a/index.html", "Old.HTM"} {
		b, ok := site.File(p)
		if !ok {
			t.Errorf("no redirect at %s; the site has %v", p, site.Paths())
			continue
		}
		if !strings.Contains(string(b), `https://example.org/a/`) {
			t.Errorf("%s does not redirect to the essay:\n%s", p, b)
		}
	}
	for _, p := range site.Paths() {
		if strings.HasSuffix(p, ".html/index.html") || strings.HasSuffix(p, ".HTM/index.html") {
			t.Errorf("an HTML alias became a folder: %s", p)
		}
	}
	dir := testsite.New(t, map[string]string{
		"content/a.md": "---\naliases: [/b/index.html]\n---\n",
		"content/b.md": "B\n",
	})
	_, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err == nil || !strings.Contains(err.Error(), "URL /b/ is claimed by both content/b.md and content/a.md (alias)") {
		t.Errorf("an alias to /b/index.html should claim /b/, got %v", err)
	}
}

// TestAliasesOfIndexAndOwnURL: a folder's _index.md with aliases gets its
// redirect pages, to its list page (Hugo writes them; they were dropped);
// an essay's alias at that list page leaves it as it is (it replaced it);
// an alias that is the page's own URL (18F's handbook carries
// redirect_from: [/tools/airtable/] in tools/airtable.md) leaves the page
// as it is, with a warning.
func TestAliasesOfIndexAndOwnURL(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":                 "title: T\nbaseURL: https://example.org\n",
		"content/notes/_index.md":   "---\ntitle: Notes\naliases: [/old-notes/]\n---\nAll notes.\n",
		"content/notes/a.md":        "---\ntitle: A\ndate: 2024-01-01\naliases: [/notes/]\n---\nA.\n",
		"content/tools/airtable.md": "---\ntitle: Airtable\nredirect_from:\n  - /tools/airtable/\n---\nUse it.\n",
	})
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := site.File("old-notes/index.html"); !ok || !strings.Contains(string(b), `url=https://example.org/notes/"`) {
		t.Errorf("old-notes/index.html should redirect to the list page; got %q (written %v)", b, ok)
	}
	if b, _ := site.File("notes/index.html"); !strings.Contains(string(b), "All notes.") {
		t.Errorf("an essay's alias replaced the list page of the folder's _index.md:\n%s", b)
	}
	if b, _ := site.File("tools/airtable/index.html"); !strings.Contains(string(b), "Use it.") {
		t.Errorf("the alias replaced the page itself:\n%s", b)
	}
	want := `content/tools/airtable.md:1:1: warning: alias "/tools/airtable/" is this page's own URL, so no redirect is written for it; remove it from the front matter`
	if got := site.Warnings().Error(); !strings.Contains(got, want) {
		t.Errorf("warnings %s, want %s", got, want)
	}
}

// TestSummaryAnchorsOnLists: a summary's link to its own essay's heading
// points at the essay from the list pages that show it (found importing
// real posts whose first paragraph links to a heading further down).
func TestSummaryAnchorsOnLists(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":    "title: T\n",
		"content/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [x]\n---\nStart with [the soil](#soil).\n\n## Soil\n\nText.\n",
	})
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "tags/x/index.html"} {
		b, _ := site.File(p)
		if !strings.Contains(string(b), `<a href="/a/#soil">the soil</a>`) || strings.Contains(string(b), `href="#soil"`) {
			t.Errorf("%s: the summary's link should point at /a/#soil:\n%s", p, b)
		}
	}
	if b, _ := site.File("a/index.html"); !strings.Contains(string(b), `<a href="#soil">the soil</a>`) {
		t.Errorf("the essay's own page should keep its link to #soil:\n%s", b)
	}
}

// TestSelfCheckTextLinks: links in a self-check's result texts are
// resolved and checked like the essay's own: to another essay and its
// heading, to the essay's own heading; a broken one is an error at the
// text's line.
func TestSelfCheckTextLinks(t *testing.T) {
	block := "```selfcheck\nid: s\nversion: 1\nkind: continuum\ntitle: Where\naxis: {left: L, right: R}\nitems:\n" +
		"  - {type: likert, statement: One., keyed: left}\n  - {type: likert, statement: Two., keyed: right}\n" +
		"bands:\n" +
		"  - {from: -100, to: 0, title: Left, body: \"Read [the test](other.md#the-test) and [below](#soil).\"}\n" + // line 14
		"  - {from: 0, to: 100, title: Right, body: \"See [nothing](other.md#nope).\"}\n" + // line 15, its body key at column 38
		"```\n"
	files := map[string]string{
		"site.yaml":        "title: T\n",
		"content/a.md":     "---\ntitle: A\n---\n" + block + "\n## Soil\n\nText.\n",
		"content/other.md": "---\ntitle: Other\n---\n## The test\n\nText.\n",
	}
	_, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	wantDiags(t, diag.AsList(err), []string{
		"content/a.md:15:38: link to #nope: content/other.md has no heading or anchor with that id; its headings are #the-test",
	})
	files["content/a.md"] = strings.Replace(files["content/a.md"], "other.md#nope", "other.md", 1)
	site, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	page := fileOf(t, site, "a/index.html")
	for _, want := range []string{`<a href="/other/#the-test">the test</a>`, `<a href="#soil">below</a>`, `<a href="/other/">nothing</a>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the band texts lack %s", want)
		}
	}
}

// TestLinksIntoUnrunSyntax: a page that holds another generator's syntax
// that would have made content there (a Hugo shortcode that writes the
// glossary's anchors, as on letsencrypt.org; an include) may have had the
// anchor a link names from it. Such links are not proven broken: one
// warning per target, at the first link, instead of an error for each.
// A page without such syntax keeps its errors.
func TestLinksIntoUnrunSyntax(t *testing.T) {
	const front = "---\ntitle: A\ndate: 2024-01-01\n---\n"
	tests := []struct {
		name      string
		body      string            // content/a.md after its front matter (line 5 on)
		more      map[string]string // other files
		wantErrs  []string
		wantLinks []string // the warnings about links
	}{
		{name: "Hugo shortcodes may make the anchors: one warning for the page",
			body: "[CA](b.md#def-CA) [AIA](b.md#def-AIA) [again](b.md#def-CA)\n\n[plain](c.md#q)\n",
			more: map[string]string{
				"content/b.md": "Intro.\n\n{{% def id=\"CA\" name=\"CA\" %}}A certificate authority.{{% /def %}}\n",
				"content/c.md": "## Heading\n",
			},
			wantErrs: []string{`content/a.md:7:1: link to #q: content/c.md has no heading or anchor with that id; its headings are #heading`},
			wantLinks: []string{
				`content/a.md:5:1: warning: link to #def-CA: content/b.md has no heading or anchor with that id, but the Hugo shortcode {{% def %}} at line 3 there, which Steward does not run, may have made it (and so may 2 more links to anchors it lacks); Steward cannot check such links, and readers will not find these anchors: replace it with Markdown (an anchor is <a id="def-CA"></a>)`,
			}},
		{name: "a page's own links to anchors its shortcodes make",
			body: "{{< anchor here >}}\n\n[here](#here)\n",
			wantLinks: []string{
				`content/a.md:7:1: warning: link to #here: content/a.md has no heading or anchor with that id, but the Hugo shortcode {{< anchor >}} at line 5 there, which Steward does not run, may have made it; Steward cannot check such links, and readers will not find these anchors: replace it with Markdown (an anchor is <a id="here"></a>)`,
			}},
		{name: "an MkDocs snippet include may bring the anchor",
			body: "[opts](b.md#options)\n",
			more: map[string]string{"content/b.md": "# B\n\n--8<-- \"CONTRIBUTING.md\"\n"},
			wantLinks: []string{
				`content/a.md:5:1: warning: link to #options: content/b.md has no heading or anchor with that id, but the MkDocs snippet include --8<-- "CONTRIBUTING.md" at line 3 there, which Steward does not run, may have made it; ...`,
			}},
		{name: "syntax that makes no content leaves the link an error",
			body: "[x](b.md#q) [y](c.md#q)\n",
			more: map[string]string{
				"content/b.md": "{% highlight go %}\nx := 1\n{% endhighlight %}\n\n{% raw %}raw{% endraw %}\n",
				"content/c.md": "Written by {{ page.author }}.\n",
			},
			wantErrs: []string{
				`content/a.md:5:1: link to #q: content/b.md has no heading or anchor with that id; it has no headings`,
				`content/a.md:5:13: link to #q: content/c.md has no heading or anchor with that id; it has no headings`,
			}},
		{name: "a shortcode in a code span or comment is text, not syntax",
			body:     "[x](b.md#q)\n",
			more:     map[string]string{"content/b.md": "Write `{{< anchor q >}}`.\n\n<!-- {{< anchor q >}} -->\n"},
			wantErrs: []string{`content/a.md:5:1: link to #q: content/b.md has no heading or anchor with that id; it has no headings`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"site.yaml": "title: T\n", "content/a.md": front + tt.body}
			for k, v := range tt.more {
				files[k] = v
			}
			site, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
			all := diag.AsList(err)
			if err == nil {
				all = site.Warnings()
			}
			var errs, links diag.List
			for _, d := range all {
				if d.Severity == diag.Error {
					errs = append(errs, d)
				} else if strings.HasPrefix(d.Msg, "link to #") {
					links = append(links, d)
				}
			}
			wantDiags(t, errs, tt.wantErrs)
			wantDiags(t, links, tt.wantLinks)
		})
	}
}

// TestImagesRelativeToThePage: writers for generators that leave addresses
// as written (MkDocs' raw HTML, Hugo) wrote them for the page's URL, not
// its file: "../../img/a.png" from content/guide/page.md is /img/a.png in
// a browser; and "pics/b.png", meant from the site's root (a theme's
// <base href="/">), is static/pics/b.png. When either names a published
// file, the image is found there.
func TestImagesRelativeToThePage(t *testing.T) {
	files := map[string]string{
		"site.yaml":             "title: T\n",
		"content/img/a.png":     "png",
		"static/pics/b.png":     "png",
		"content/guide/page.md": "# Page\n\n<img src=\"../../img/a.png\" alt=\"a\">\n\n![b](../../pics/b.png)\n\n![beside](../img/a.png)\n\n![root](pics/b.png)\n\n![pelican]({static}/img/a.png) ![pelican too]({filename}../img/a.png)\n",
	}
	site, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	if err != nil {
		t.Fatalf("build failed: %v", err)
	}
	page, _ := site.File("guide/page/index.html")
	for _, want := range []string{`<img src="/img/a.png" alt="a">`, `src="/pics/b.png" alt="b"`, `src="/img/a.png" alt="beside"`, `src="/pics/b.png" alt="root"`, `src="/img/a.png" alt="pelican"`, `src="/img/a.png" alt="pelican too"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %s:\n%s", want, page)
		}
	}

	files["content/guide/page.md"] = "# Page\n\n![gone](../../img/none.png)\n"
	_, err = NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	wantDiags(t, diag.AsList(err), []string{`content/guide/page.md:3:1: image "../../img/none.png": there is no file img/none.png (only files under content/ and static/ are published); fix the path (it is relative to content/guide/) or add the file`})
}

// TestLinksFromTheContentFolder: Eleventy (and GitHub, for a leading /)
// read a link to an input file from the input folder too:
// "blog/third.md" in content/blog/second.md, "/blog/first.md" anywhere.
// Such links go to the essays; a leading / that names no essay is left as
// written, as static/ may serve it.
func TestLinksFromTheContentFolder(t *testing.T) {
	files := map[string]string{
		"site.yaml":             "title: T\n",
		"content/blog/first.md": "## Start\n",
		"content/blog/third.md": "Third.\n",
		"content/blog/second.md": "<a href=\"/blog/first.md\">First</a>\n<a href=\"blog/third.md\">Third</a>\n\n" +
			"[first](/blog/first.md#start) [raw](/files/notes.md)\n",
	}
	site := buildFiles(t, files, Options{})
	page, _ := site.File("blog/second/index.html")
	for _, want := range []string{`<a href="/blog/first/">First</a>`, `<a href="/blog/third/">Third</a>`, `<a href="/blog/first/#start">first</a>`, `<a href="/files/notes.md">raw</a>`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %s:\n%s", want, page)
		}
	}
	files["content/blog/second.md"] = "[gone](/blog/first.md#nowhere)\n"
	_, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	wantDiags(t, diag.AsList(err), []string{"content/blog/second.md:1:1: link to #nowhere: content/blog/first.md has no heading or anchor with that id; its headings are #start"})
}
