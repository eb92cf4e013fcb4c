package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestWritingFromElsewhere builds Markdown written for GitHub, Hugo and
// Jekyll: links to headings by GitHub's ids resolve, raw HTML passes through
// (or, with markdown.unsafe: false, is escaped and reported once per essay),
// comments never reach the page, and other generators' syntax is a warning
// at its position in the file.
func TestWritingFromElsewhere(t *testing.T) {
	files := map[string]string{
		"site.yaml": "title: Imported\nbaseURL: https://example.org/\n",
		"content/guide.md": "---\ntitle: Guide\ndate: 2024-01-02\n---\n" +
			"<!-- imported from the wiki -->\n" + // line 5
			"## C++ & Go\n\n" +
			"## [Servant Leadership](https://example.org/greenleaf)\n\n" + // line 8
			"## Café\n\n" +
			"<div class=\"note\">A <em>note</em>.</div>\n\n" + // line 12
			"{{< figure src=\"/img/a.png\" >}}\n\n" + // line 14
			"Written by {{ page.author }}, see `{{ page.author }}`.\n", // line 16
		"content/links.md": "---\ntitle: Links\ndate: 2024-01-01\n---\n" +
			"[One](guide.md#c--go), [two](guide.md#servant-leadership), [three](guide.md#café), [four](#notes).\n\n" +
			"## Notes\n\n* TOC\n{:toc}\n", // {:toc} on line 10
	}
	dir := testsite.New(t, files)
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatalf("links to GitHub-style heading ids must resolve:\n%v", err)
	}
	wantDiags(t, site.Warnings(), []string{
		"content/guide.md:14:1: warning: Hugo shortcode {{< figure >}} is not supported by Steward; readers will see it as text. Replace it with Markdown (an image: ![alt](src))",
		"content/guide.md:16:12: warning: Liquid output {{ page.author }} is not supported by Steward; readers will see it as text. Write the value itself, or remove it",
		"content/links.md:10:1: warning: kramdown table of contents marker {:toc} is not supported by Steward; readers will see it as text. Remove it: Steward's default theme shows a table of contents by itself when an essay has three or more ## headings",
	})
	page, _ := site.File("guide/index.html")
	h := string(page)
	for _, want := range []string{`<h2 id="c--go">`, `<h2 id="servant-leadership">`, `<h2 id="café">`, `<div class="note">A <em>note</em>.</div>`} {
		if !strings.Contains(h, want) {
			t.Errorf("guide lacks %s", want)
		}
	}
	if strings.Contains(h, "imported from the wiki") {
		t.Error("an HTML comment reached the page")
	}

	// Raw HTML turned off: escaped, and reported once, naming the setting.
	testsite.WriteFile(t, dir, "site.yaml", files["site.yaml"]+"markdown:\n  unsafe: false\n")
	site, err = NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	wantDiags(t, site.Warnings(), []string{
		"content/guide.md:12:1: warning: raw HTML <div class=\"note\">A <em>note</em>.</div> is shown as text because site.yaml sets markdown.unsafe: false; remove that setting to let raw HTML through, or write Markdown instead",
		"content/guide.md:14:1: warning: Hugo shortcode {{< figure >}} is not supported by Steward; readers will see it as text. Replace it with Markdown (an image: ![alt](src))",
		"content/guide.md:16:12: warning: Liquid output {{ page.author }} is not supported by Steward; readers will see it as text. Write the value itself, or remove it",
		"content/links.md:10:1: warning: kramdown table of contents marker {:toc} is not supported by Steward; readers will see it as text. Remove it: Steward's default theme shows a table of contents by itself when an essay has three or more ## headings",
	})
	page, _ = site.File("guide/index.html")
	h = string(page)
	if !strings.Contains(h, `&lt;div class=&#34;note&#34;&gt;A &lt;em&gt;note&lt;/em&gt;.&lt;/div&gt;`) || strings.Contains(h, "imported from the wiki") {
		t.Errorf("with unsafe: false, raw HTML must show as text and the comment not at all:\n%s", h)
	}
}

// TestZolaHeadingIDs builds a Zola essay whose links name headings by
// Zola's ids: with markdown.headingIDs: zola they resolve and are the ids
// in the page; with the default GitHub ids they are errors that name the
// id GitHub would give.
func TestZolaHeadingIDs(t *testing.T) {
	files := map[string]string{
		"site.yaml": "title: Zola\nmarkdown:\n  headingIDs: zola\n",
		"content/release.md": "+++\ntitle = \"Announcing 1.31\"\n+++\n\n" +
			"See [what's next](#what-s-next), [the contributors](#contributors-to-1-31-0) and [the notes](notes.md#zcheck-cfg).\n\n" + // line 5
			"## What's next\n\n## Contributors to 1.31.0\n",
		"content/notes.md": "---\ntitle: Notes\n---\n\n## `-Zcheck-cfg`\n",
	}
	dir := testsite.New(t, files)
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatalf("links to Zola's heading ids must resolve with headingIDs: zola:\n%v", err)
	}
	page, _ := site.File("release/index.html")
	for _, want := range []string{`<h2 id="what-s-next">`, `<h2 id="contributors-to-1-31-0">`, `href="/notes/#zcheck-cfg"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("release lacks %s", want)
		}
	}

	testsite.WriteFile(t, dir, "site.yaml", "title: Zola\n")
	_, err = NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	got := diag.AsList(err)
	want := []string{
		"content/release.md:5:5: link to #what-s-next: content/release.md has no heading or anchor with that id; #what-s-next is the id zola makes of the heading \"What’s next\"; set markdown.headingIDs: zola in site.yaml to make ids that way, or link to #whats-next",
		"content/release.md:5:34: link to #contributors-to-1-31-0: content/release.md has no heading or anchor with that id; #contributors-to-1-31-0 is the id zola makes of the heading \"Contributors to 1.31.0\"; set markdown.headingIDs: zola in site.yaml to make ids that way, or link to #contributors-to-1310",
		"content/release.md:5:82: link to #zcheck-cfg: content/notes.md has no heading or anchor with that id; #zcheck-cfg is the id zola makes of the heading \"-Zcheck-cfg\"; set markdown.headingIDs: zola in site.yaml to make ids that way, or link to #-zcheck-cfg",
	}
	wantDiags(t, got, want)
}

// TestMkDocsFolder builds Markdown written for MkDocs: links to headings by
// the ids MkDocs makes ("site_name", "{ #id }" with spaces) resolve, an id
// alone after inline text is an anchor, and its syntax that Steward leaves
// as text (admonitions, snippet includes, ::: blocks) is a warning at its
// position.
func TestMkDocsFolder(t *testing.T) {
	files := map[string]string{
		"site.yaml": "title: Docs\n",
		"content/user-guide/configuration.md": "# Configuration\n\n" +
			"## site_name\n\nThe name.\n\n" + // line 3
			"## Theme settings { #theme .wide }\n\n" + // line 7
			"*   **`locale`**{ #mkdocs-locale }: The locale.\n\n" + // line 9
			"!!! note \"Defaults\"\n\n    Every setting has one.\n", // line 11
		"content/about/contributing.md": "--8<-- \"CONTRIBUTING.md\"\n",
		"content/dev-guide/api.md": "# API\n\nSee [site_name](../user-guide/configuration.md#site_name) and [the theme](../user-guide/configuration.md#theme).\n\n" +
			"::: mkdocs.structure.files.File\n", // line 5
	}
	dir := testsite.New(t, files)
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatalf("links to MkDocs' heading ids must resolve:\n%v", err)
	}
	wantDiags(t, site.Warnings(), []string{
		`content/about/contributing.md:1:1: warning: MkDocs snippet include --8<-- "CONTRIBUTING.md" is not supported by Steward; readers will see it as text, not the text it includes. Paste the text of CONTRIBUTING.md here, or link to it`,
		`content/dev-guide/api.md:5:1: warning: ::: mkdocs.structure.files.File (a ::: block: mkdocstrings' API documentation, or a container of Pandoc, Docusaurus or VitePress) is not supported by Steward; readers will see it as text. Write its text itself (a note can be a blockquote: > **Note:** ...), or remove it`,
		`content/user-guide/configuration.md:11:1: warning: MkDocs admonition !!! note is not supported by Steward; readers will see its first line as text, and the indented text under it as a code block. Write it as a blockquote instead (> **Note:** ...), its text not indented`,
	})
	page, _ := site.File("user-guide/configuration/index.html")
	for _, want := range []string{`<h2 id="site_name">`, `<h2 id="theme" class="wide">Theme settings `, `<strong><code>locale</code></strong><a id="mkdocs-locale"></a>: The locale.`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("configuration lacks %s", want)
		}
	}
}

// TestImportedHeadingIDs builds the tester's cases 07, 11 and 17 as they
// were found (MkDocs' configuration page, Let's Encrypt's FAQ, a Rust
// project goals post): every link to a heading resolves.
func TestImportedHeadingIDs(t *testing.T) {
	files := map[string]string{
		"content/configuration.md": "---\ntitle: Configuration\n---\n\nSet [site_name](#site_name) first.\n\n### site_name\n\nThe name of the site.\n",
		"content/faq.md":           "---\ntitle: FAQ\n---\n\nJump to [General](#general) or [General Questions](#general-questions).\n\n# <a id=\"general\">General Questions</a>\n\nText.\n",
		"content/goals.md":         "---\ntitle: Project goals\n---\n\nJump to [pin ergonomics](#continue-experimentation-with-pin-ergonomics).\n\n## [Continue experimentation with pin ergonomics](https://github.com/rust-lang/rust-project-goals/issues/389)\n\nText.\n",
	}
	dir := testsite.New(t, files)
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatalf("links to imported headings must resolve:\n%v", err)
	}
	for _, w := range site.Warnings() {
		if w.Pos.File != "site.yaml" {
			t.Errorf("unexpected warning: %v", w)
		}
	}
	page, _ := site.File("faq/index.html")
	if !strings.Contains(string(page), `<h1 id="general-questions"><a id="general">General Questions</a></h1>`) {
		t.Errorf("the FAQ's heading lost its id or its raw HTML:\n%s", page)
	}
}
