package pipeline

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestSeriesAndRelated: an essay in a series shows its place and every
// part, the series has its page in order, and every essay ends with the
// essays that share its tags, never itself or a draft.
func TestSeriesAndRelated(t *testing.T) {
	files := map[string]string{
		"content/one.md":   "---\ntitle: One\ndate: 2024-01-01\nseries: Delegation\ntags: [a, b]\n---\nText.\n",
		"content/two.md":   "---\ntitle: Two\ndate: 2024-03-01\nseries: Delegation\ntags: [a]\n---\nText.\n",
		"content/three.md": "---\ntitle: Three\ndate: 2024-02-01\nseries: delegation\nseries_order: 1\ntags: [b]\n---\nText.\n",
		"content/draft.md": "---\ntitle: Draft\ndate: 2024-04-01\ndraft: true\ntags: [a, b]\n---\nText.\n",
		"content/alone.md": "---\ntitle: Alone\ndate: 2024-05-01\n---\nText.\n",
	}
	site := buildFiles(t, files, Options{Drafts: true})
	one := fileOf(t, site, "one/index.html")
	contains(t, "one", one,
		`Part 2 of 3 in <a href="/series/delegation/">Delegation</a>`,
		"<li><a href=\"/three/\">Three</a></li>\n<li><span aria-current=\"page\">One</span></li>\n<li><a href=\"/two/\">Two</a></li>",
		`<section class="related" aria-label="Related essays">`,
		"<li><a href=\"/two/\">Two</a> <time datetime=\"2024-03-01T00:00:00Z\">March 1, 2024</time></li>\n<li><a href=\"/three/\">Three</a>")
	if strings.Contains(one, `href="/draft/"`) && strings.Contains(one[strings.Index(one, "related"):], `href="/draft/"`) {
		t.Error("a draft is among the related essays")
	}
	if strings.Count(one[strings.Index(one, `class="related"`):], `href="/one/"`) != 0 {
		t.Error("an essay is related to itself")
	}
	alone := fileOf(t, site, "alone/index.html")
	if strings.Contains(alone, `class="series"`) || strings.Contains(alone, `class="related"`) {
		t.Error("an essay without series or tags shows them")
	}
	page := fileOf(t, site, "series/delegation/index.html")
	i3, i1, i2 := strings.Index(page, `href="/three/"`), strings.Index(page, `href="/one/"`), strings.Index(page, `href="/two/"`)
	if i3 < 0 || !(i3 < i1 && i1 < i2) {
		t.Errorf("the series page lists its parts out of order:\n%s", page)
	}
	contains(t, "sitemap", fileOf(t, site, "sitemap.xml"), "/series/delegation/")
}

// TestSeriesRebuild: renaming one part re-renders the other parts and
// the related essays that name it (their fingerprints cover it).
func TestSeriesRebuild(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"content/one.md": "---\ntitle: One\ndate: 2024-01-01\nseries: S\ntags: [a]\n---\nText.\n",
		"content/two.md": "---\ntitle: Two\ndate: 2024-03-01\nseries: S\n---\nText.\n",
		"content/far.md": "---\ntitle: Far\ndate: 2020-03-01\ntags: [a]\n---\nText.\n",
		"content/mid.md": "---\ntitle: Mid\ndate: 2022-03-01\n---\nText.\n",
	})
	b := NewBuilder()
	opts := Options{Source: dir, Now: fixedClock}
	if _, err := b.Build(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	testsite.WriteFile(t, dir, "content/one.md", "---\ntitle: Renamed\ndate: 2024-01-01\nseries: S\ntags: [a]\n---\nText.\n")
	site, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock, Changed: []string{filepath.ToSlash("content/one.md")}})
	if err != nil {
		t.Fatal(err)
	}
	contains(t, "two", fileOf(t, site, "two/index.html"), `<span aria-current="page">Two</span>`, `<a href="/one/">Renamed</a>`)
	contains(t, "far", fileOf(t, site, "far/index.html"), `<a href="/one/">Renamed</a>`)
}

// TestEssayHeadsRebuild: what a Builder keeps of each essay's title, URL
// and date for its next build (essayHead) is made again when any of them
// or the base URL changes, in the essay's page and in every link to it.
func TestEssayHeadsRebuild(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"site.yaml":      "title: S\nbaseURL: https://one.example/\n",
		"content/one.md": "---\ntitle: One\ndate: 2024-01-01\nseries: S\ntags: [a]\n---\nText.\n",
		"content/two.md": "---\ntitle: Two\ndate: 2024-03-01\nseries: S\ntags: [a]\n---\nText.\n",
		"content/far.md": "---\ntitle: Far\ndate: 2020-03-01\ntags: [a]\n---\nText.\n",
	})
	b := NewBuilder()
	for _, step := range []struct{ name, file, text string }{
		{"first", "", ""},
		{"base URL", "site.yaml", "title: S\nbaseURL: https://two.example/\n"},
		{"title", "content/one.md", "---\ntitle: \"*One*, again\"\ndate: 2024-01-01\nseries: S\ntags: [a]\n---\nText.\n"},
		{"date", "content/one.md", "---\ntitle: \"*One*, again\"\ndate: 2021-06-02T10:00:00+02:00\nseries: S\ntags: [a]\n---\nText.\n"},
		{"url", "content/one.md", "---\ntitle: \"*One*, again\"\ndate: 2021-06-02T10:00:00+02:00\nseries: S\ntags: [a]\nurl: /elsewhere/\n---\nText.\n"},
	} {
		var changed []string
		if step.file != "" {
			testsite.WriteFile(t, dir, step.file, step.text)
			changed = []string{step.file}
		}
		got, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock, Changed: changed})
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		want, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
		if err != nil {
			t.Fatalf("%s, fresh: %v", step.name, err)
		}
		sameSite(t, step.name, got, want)
	}
}
