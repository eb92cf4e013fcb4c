package pipeline

import (
	"context"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestRawHTMLLinks builds a handbook whose raw HTML links to essays by
// their files and shows images beside them, as Markdown would: each works
// from the essay's pretty URL.
func TestRawHTMLLinks(t *testing.T) {
	site := buildFiles(t, map[string]string{
		"site.yaml": "title: Handbook\n",
		"content/index.md": "# Handbook\n\n<div class=\"blocks\">\n  <a href=\"guide/setup.md#install\" class=\"block\">Setup</a>\n" +
			"  <a href=\"guide/\">Guide folder</a> <a href=\"#top\">Top</a>\n</div>\n",
		"content/guide/setup.md": "# Setup\n\n<img src=\"img/dot.svg\" alt=\"dot\">\n\n## Install\n\n" +
			"Back <a href=\"../index.md\">home</a>, <a href=\"files/notes.txt\">notes</a>.\n\n<!-- <img src=\"nothing.png\"> -->\n",
		"content/guide/img/dot.svg":     svgOf("1", "1"),
		"content/guide/files/notes.txt": "notes\n",
	}, Options{})
	expect(t, site, map[string][]string{
		"index.html":             {`<a href="/guide/setup/#install" class="block">Setup</a>`, `<a href="guide/">Guide folder</a>`, `<a href="#top">`},
		"guide/setup/index.html": {`<img src="/guide/img/dot.svg" alt="dot">`, `<a href="/">home</a>`, `<a href="/guide/files/notes.txt">notes</a>`},
		"guide/img/dot.svg":      nil,
	})
}

// TestRawHTMLLinksBroken: a raw HTML link to an essay that does not exist,
// to a heading that does not exist, and a missing image are the errors
// Markdown's would be, at the attribute; with links.broken: warn they are
// warnings.
func TestRawHTMLLinksBroken(t *testing.T) {
	body := "---\ntitle: A\n---\n<p><a href=\"gone.md\">x</a>\n<a href=\"b.md#old\">y</a> <a\nhref=\"#nowhere\">z</a></p>\n\n<img alt=\"m\" src=\"img/missing.png\">\n"
	for _, tt := range []struct {
		yaml string
		errs []string
		warn []string
	}{
		{yaml: "title: T\n", errs: []string{
			`content/a.md:4:7: link to "gone.md": there is no essay content/gone.md (drafts and essays dated in the future are left out unless the build includes them); fix the file name or remove the link`,
			`content/a.md:5:4: link to #old: content/b.md has no heading or anchor with that id; its headings are #new`,
			`content/a.md:6:1: link to #nowhere: content/a.md has no heading or anchor with that id; it has no headings`,
			`content/a.md:8:14: image "img/missing.png": there is no file content/img/missing.png; fix the path (it is relative to content/) or add the file`,
		}},
		{yaml: "title: T\nlinks: {broken: warn}\n", warn: []string{
			`content/a.md:4:7: warning: link to "gone.md": there is no essay content/gone.md (drafts and essays dated in the future are left out unless the build includes them); fix the file name or remove the link`,
			`content/a.md:5:4: warning: link to #old: content/b.md has no heading or anchor with that id; its headings are #new`,
			`content/a.md:6:1: warning: link to #nowhere: content/a.md has no heading or anchor with that id; it has no headings`,
			`content/a.md:8:14: warning: image "img/missing.png": there is no file content/img/missing.png; fix the path (it is relative to content/) or add the file`,
		}},
	} {
		dir := testsite.New(t, map[string]string{"site.yaml": tt.yaml, "content/a.md": body, "content/b.md": "## New\n"})
		site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
		// A failed build reports its warnings with its errors.
		got := diag.AsList(err)
		if err == nil {
			got = site.Warnings()
		}
		want := append(append([]string(nil), tt.errs...), tt.warn...)
		if len(got) != len(want) {
			t.Fatalf("%q: got %d diagnostics:\n%v\nwant %q", tt.yaml, len(got), got, want)
		}
		wantDiags(t, got, want)
	}
}
