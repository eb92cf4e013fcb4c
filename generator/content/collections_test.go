package content

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// TestJekyllCollections: the collections a Jekyll site's _config.yml
// publishes (output: true), as folders of content/.
func TestJekyllCollections(t *testing.T) {
	tests := []struct {
		name, config string
		want         []string
	}{
		{"jekyll's own docs", "collections:\n  docs:\n    permalink: \"/:collection/:path/\"\n    output: true\n  posts:\n    output: true\n  tutorials:\n    output: true\n  drafts_only:\n    output: false\n", []string{"_docs", "_tutorials"}},
		{"a list is not published (output defaults to false)", "collections: [recipes]\n", nil},
		{"not YAML", "collections: [\n", nil},
		{"a path is no collection", "collections:\n  ../x: {output: true}\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ReadJekyll(fstest.MapFS{"content/_config.yml": {Data: []byte(tt.config)}}).Collections
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if got := ReadJekyll(fstest.MapFS{}); got.Found() || got.Collections != nil {
		t.Errorf("without _config.yml: %q", got)
	}
}

// TestCollectionsLoad: a collection's folder is content, published
// without its _ (its own permalink and the site's permalinks apply as to
// any folder); other _ folders stay skipped and named; a second Load
// gives the same pages, and one without the collection drops them.
func TestCollectionsLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"content/_docs/index.md":        {Data: []byte("# Docs\n")},
		"content/_docs/install.md":      {Data: []byte("# Install\n")},
		"content/_docs/deep/plugins.md": {Data: []byte("---\npermalink: /docs/plugins/\n---\n")},
		"content/_notes/n.md":           {Data: []byte("x")},
		"content/about.md":              {Data: []byte("x")},
	}
	l := NewLoader()
	opts := Options{Jekyll: Jekyll{Collections: []string{"_docs"}, Exclude: jekyllExcludes}}
	pages, diags := l.Load(fsys, opts)
	want := []string{
		`content/_docs/deep/plugins.md /docs/plugins/ essay dir="docs/deep" title="plugins" -`,
		`content/_docs/index.md /docs/ list dir="docs" title="Docs" -`,
		`content/_docs/install.md /docs/install/ essay dir="docs" title="Install" -`,
		`content/about.md /about/ essay dir="" title="about" -`,
	}
	if got := placed(pages); got != strings.Join(want, "\n") {
		t.Errorf("placed:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if len(diags) != 1 || !strings.Contains(diags[0].Msg, "content/_notes") || strings.Contains(diags[0].Msg, "_docs") {
		t.Errorf("diagnostics %v, want the one naming content/_notes alone", diags)
	}
	again, _ := l.Load(fsys, opts)
	if !slices.Equal(pages, again) {
		t.Errorf("a second Load made new pages")
	}
	without, _ := l.Load(fsys, Options{})
	if got := placed(without); got != `content/about.md /about/ essay dir="" title="about" -` {
		t.Errorf("without the collection:\n%s", got)
	}
}

// TestJekyllExcluded: paths are left out as Jekyll matches its exclude
// list (opensource.guide's, with Jekyll's own merged in).
func TestJekyllExcluded(t *testing.T) {
	j := ReadJekyll(fstest.MapFS{"content/_config.yml": {Data: []byte("exclude:\n  - Gemfile*\n  - docs\n  - README.md\n  - /script\n  - vendor/keep/\n")}})
	for _, tt := range []struct {
		rel  string
		want bool
	}{
		{"Gemfile", true},
		{"Gemfile.lock", true},
		{"docs", true},
		{"docs/intro.md", true},
		{"README.md", true},
		{"script", true},
		{"script/bootstrap", true},
		{"node_modules", true}, // Jekyll's own
		{"vendor/bundle", true},
		{"vendor/keep", true},
		{"vendor/other.md", false},
		{"guide/README.md", false},
		{"_articles/legal.md", false},
		{"index.md", false},
	} {
		if got := j.Excluded(tt.rel); got != tt.want {
			t.Errorf("Excluded(%q) = %v, want %v", tt.rel, got, tt.want)
		}
	}
	if (Jekyll{}).Excluded("Gemfile") {
		t.Errorf("a site without _config.yml excludes Gemfile")
	}
}

// TestJekyllPermalink: a collection's permalink in Jekyll's tokens.
func TestJekyllPermalink(t *testing.T) {
	p := &Doc{Source: "content/_articles/fr/legal.md", Slug: "legal"}
	dated := &Doc{Source: "content/_notes/n.md", Slug: "n"}
	dated.Front.Date = time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		p             *Doc
		coll, pattern string
		want, wantWhy string
	}{
		{p, "_articles", "/:path/", "/fr/legal/", ""},
		{p, "_articles", "/:collection/:path:output_ext", "/articles/fr/legal.html", ""},
		{p, "_articles", "pretty", "/articles/fr/legal/", ""},
		{p, "_articles", "/guides/:name/", "/guides/legal/", ""},
		{dated, "_notes", "/:year/:i_month/:day/:title/", "/2024/3/05/n/", ""},
		{p, "_articles", "/:year/:title/", "", ":year needs a date, and the essay has none"},
		{p, "_articles", "/:categories/:title/", "", "Steward does not know the token :categories"},
	} {
		got, why := jekyllPermalink(tt.p, tt.coll, tt.pattern)
		if got != tt.want || why != tt.wantWhy {
			t.Errorf("%s: got %q, %q; want %q, %q", tt.pattern, got, why, tt.want, tt.wantWhy)
		}
	}
}
