package content

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// placed prints where each page went: source, URL, folder, a list
// page's mark, title and date.
func placed(pages []*Doc) string {
	var lines []string
	for _, p := range pages {
		kind := "essay"
		if p.IsIndex {
			kind = "list"
		}
		date := "-"
		if !p.Front.Date.IsZero() {
			date = p.Front.Date.UTC().Format(time.DateOnly)
		}
		if p.Front.Draft {
			date += " draft"
		}
		lines = append(lines, fmt.Sprintf("%s %s %s dir=%q title=%q %s", p.Source, p.URL, kind, p.Dir, p.Title, date))
	}
	return strings.Join(lines, "\n")
}

// TestPlacement: folder pages, page bundles, Jekyll's folders and dated
// names, as the tools they come from place them.
func TestPlacement(t *testing.T) {
	const md = "Text.\n"
	tests := []struct {
		name   string
		files  map[string]string
		want   []string // placed(pages), one line each
		diags  []string
		broken map[string]string
	}{
		{name: "hugo", files: map[string]string{
			"content/_index.md":                      "+++\ntitle = \"Home\"\n+++\n",
			"content/posts/_index.md":                "+++\ntitle = \"Posts\"\n+++\n",
			"content/posts/first.md":                 md,
			"content/posts/my-post/index.md":         "+++\ntitle = \"My post\"\n+++\n",
			"content/posts/trip/index.md":            md,
			"content/posts/2019-05-04-walk/index.md": md,
			"content/about/index.md":                 "# About me\n",
		}, want: []string{
			`content/_index.md / list dir="" title="Home" -`,
			`content/about/index.md /about/ essay dir="" title="About me" -`,
			`content/posts/2019-05-04-walk/index.md /posts/walk/ essay dir="posts" title="walk" 2019-05-04`,
			`content/posts/_index.md /posts/ list dir="posts" title="Posts" -`,
			`content/posts/first.md /posts/first/ essay dir="posts" title="first" -`,
			`content/posts/my-post/index.md /posts/my-post/ essay dir="posts" title="My post" -`,
			`content/posts/trip/index.md /posts/trip/ essay dir="posts" title="trip" -`,
		}},
		{name: "a bundle's slug", files: map[string]string{
			"content/posts/trip/index.md": "---\nslug: journey\ndate: 2020-01-01\n---\n",
			"content/posts/a.md":          md,
		}, want: []string{
			`content/posts/a.md /posts/a/ essay dir="posts" title="a" -`,
			`content/posts/trip/index.md /posts/journey/ essay dir="posts" title="trip" 2020-01-01`,
		}},
		{name: "index beside other Markdown", files: map[string]string{
			"content/index.md":          md,
			"content/notes/index.md":    "---\ntitle: Notes\n---\n",
			"content/notes/deep/d.md":   md,
			"content/untitled/index.md": md,
			"content/untitled/u.md":     md,
		}, want: []string{
			`content/index.md / list dir="" title="" -`,
			`content/notes/deep/d.md /notes/deep/d/ essay dir="notes/deep" title="d" -`,
			`content/notes/index.md /notes/ list dir="notes" title="Notes" -`,
			`content/untitled/index.md /untitled/ list dir="untitled" title="" -`,
			`content/untitled/u.md /untitled/u/ essay dir="untitled" title="u" -`,
		}},
		{name: "github", files: map[string]string{
			"content/README.md":          "# Handbook\n",
			"content/guide/README.md":    "# Guide\n",
			"content/guide/install.md":   md,
			"content/faq/README.md":      "# FAQ\n",
			"content/both/index.md":      md,
			"content/both/README.md":     md,
			"content/branch/_index.md":   md,
			"content/branch/readme.md":   md,
			"content/untitled/README.md": md,
		}, want: []string{
			`content/README.md / list dir="" title="Handbook" -`,
			`content/both/README.md /both/README/ essay dir="both" title="README" -`,
			`content/both/index.md /both/ list dir="both" title="" -`,
			`content/branch/_index.md /branch/ list dir="branch" title="" -`,
			`content/branch/readme.md /branch/readme/ essay dir="branch" title="readme" -`,
			`content/faq/README.md /faq/ essay dir="" title="FAQ" -`,
			`content/guide/README.md /guide/ list dir="guide" title="Guide" -`,
			`content/guide/install.md /guide/install/ essay dir="guide" title="install" -`,
			`content/untitled/README.md /untitled/ essay dir="" title="untitled" -`,
		}},
		{name: "jekyll", files: map[string]string{
			"content/_posts/2019-05-04-hello-world.md":  "---\ntitle: Hello\n---\n",
			"content/_posts/2019-06-01-dated.md":        "---\ndate: 2008-10-18 12:00:00 -0700\n---\n",
			"content/_posts/2020/2020-01-01-sorted.md":  md,
			"content/blog/_posts/2021-02-03-in-blog.md": md,
			"content/_drafts/wip.md":                    md,
			"content/_posts/index.md":                   md,
			"content/about.md":                          md,
		}, want: []string{
			`content/_drafts/wip.md /wip/ essay dir="" title="wip" - draft`,
			`content/_posts/2019-05-04-hello-world.md /hello-world/ essay dir="" title="Hello" 2019-05-04`,
			`content/_posts/2019-06-01-dated.md /dated/ essay dir="" title="dated" 2008-10-18`,
			`content/_posts/2020/2020-01-01-sorted.md /sorted/ essay dir="" title="sorted" 2020-01-01`,
			`content/_posts/index.md /index/ essay dir="" title="index" -`,
			`content/about.md /about/ essay dir="" title="about" -`,
			`content/blog/_posts/2021-02-03-in-blog.md /blog/in-blog/ essay dir="blog" title="in-blog" 2021-02-03`,
		}},
		{name: "dated names that would collide keep their names", files: map[string]string{
			"content/notes/2019-05-04-x.md": md,
			"content/notes/2020-01-01-x.md": md,
			"content/2019-05-04-y.md":       md,
			"content/y.md":                  md,
			"content/2019-05-04-z.md":       md,
			"content/z/a.md":                md,
			"content/2019-05-04-s.md":       md,
			"content/other.md":              "---\nslug: s\n---\n",
			"content/2019-13-45-bad.md":     md,
		}, want: []string{
			`content/2019-05-04-s.md /2019-05-04-s/ essay dir="" title="s" 2019-05-04`,
			`content/2019-05-04-y.md /2019-05-04-y/ essay dir="" title="y" 2019-05-04`,
			`content/2019-05-04-z.md /2019-05-04-z/ essay dir="" title="z" 2019-05-04`,
			`content/2019-13-45-bad.md /2019-13-45-bad/ essay dir="" title="2019-13-45-bad" -`,
			`content/notes/2019-05-04-x.md /notes/2019-05-04-x/ essay dir="notes" title="x" 2019-05-04`,
			`content/notes/2020-01-01-x.md /notes/2020-01-01-x/ essay dir="notes" title="x" 2020-01-01`,
			`content/other.md /s/ essay dir="" title="other" -`,
			`content/y.md /y/ essay dir="" title="y" -`,
			`content/z/a.md /z/a/ essay dir="z" title="a" -`,
		}},
		{name: "two pages for one folder", files: map[string]string{
			"content/x/_index.md": md,
			"content/x/index.md":  md,
			"content/x/a.md":      md,
		}, want: []string{
			`content/x/_index.md /x/ list dir="x" title="" -`,
			`content/x/a.md /x/a/ essay dir="x" title="a" -`,
		}, diags: []string{"content/x/index.md:1:1: content/x/_index.md and this index.md would both be the page of content/x; keep one"},
			broken: map[string]string{"content/x/index.md": "/x/"}},
		{name: "broken files still have a URL", files: map[string]string{
			"content/bad.md":             "---\ntitle: [\n---\n",
			"content/2019-05-04-post.md": "---\ndate: nope\n---\n",
			"content/lone/README.md":     "\xff",
			"content/ok.md":              md,
		}, want: []string{
			`content/ok.md /ok/ essay dir="" title="ok" -`,
		}, diags: []string{"content/2019-05-04-post.md:2:7: front matter: date: \"nope\" is not a valid date (write it as 2024-03-12, 2024-03-12T09:00:00Z or 2024-03-12 09:00:00 -0700)", "content/bad.md:2:8: front matter: ...", "content/lone/README.md:1:1: the file is not valid UTF-8 (byte 0xff); save it as UTF-8"},
			broken: map[string]string{"content/bad.md": "/bad/", "content/2019-05-04-post.md": "/post/", "content/lone/README.md": "/lone/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for p, s := range tt.files {
				fsys[p] = &fstest.MapFile{Data: []byte(s)}
			}
			l := NewLoader()
			pages, diags := l.Load(fsys, Options{Drafts: true})
			if got, want := placed(pages), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("placed:\n%s\nwant:\n%s", got, want)
			}
			if len(diags) != len(tt.diags) {
				t.Fatalf("diagnostics %v, want %q", diags, tt.diags)
			}
			for i, d := range diags {
				if !sameMessage(d.Error(), tt.diags[i]) {
					t.Errorf("diagnostic %d:\n got: %s\nwant: %s", i, d, tt.diags[i])
				}
			}
			if got, want := fmt.Sprint(l.Broken), fmt.Sprint(tt.broken); got != want && len(tt.broken)+len(l.Broken) > 0 {
				t.Errorf("broken %s, want %s", got, want)
			}
		})
	}
}

// TestSkippedFolders: folders starting with _ are named once, in one
// warning, when they hold Markdown.
func TestSkippedFolders(t *testing.T) {
	fsys := fstest.MapFS{
		"content/a.md":                   {Data: []byte("x")},
		"content/_includes/head.html":    {Data: []byte("x")},
		"content/_notes/n.md":            {Data: []byte("x")},
		"content/_notes/more/m.md":       {Data: []byte("x")},
		"content/x/_old/deep/o.md":       {Data: []byte("x")},
		"content/.git/README.md":         {Data: []byte("x")},
		"content/_posts/_inner/i.md":     {Data: []byte("x")},
		"content/_posts/2020-01-01-p.md": {Data: []byte("x")},
	}
	pages, diags := Load(fsys, Options{})
	if len(pages) != 2 {
		t.Errorf("pages %v", pages)
	}
	want := "content: warning: not published, because their names start with _: content/_notes, content/_posts/_inner, content/x/_old (rename a folder to publish its Markdown)"
	if len(diags) != 1 || diags[0].Error() != want {
		t.Errorf("diagnostics %v, want one: %s", diags, want)
	}
}

// TestPlacedPagesStay: a page placed by its neighbours is the same *Page
// from Load to Load while nothing changes (the build keys its work by
// page), and a new one once its place changes.
func TestPlacedPagesStay(t *testing.T) {
	fsys := fstest.MapFS{
		"content/guide/README.md": {Data: []byte("# Guide\n")},
		"content/a.md":            {Data: []byte("x")},
	}
	l := NewLoader()
	first, _ := l.Load(fsys, Options{})
	again, _ := l.Load(fsys, Options{})
	if first[1].URL != "/guide/" || first[1] != again[1] || first[0] != again[0] {
		t.Fatalf("pages not kept: %v then %v", first, again)
	}
	fsys["content/guide/b.md"] = &fstest.MapFile{Data: []byte("x")}
	moved, _ := l.Load(fsys, Options{})
	if moved[1].Source != "content/guide/README.md" || !moved[1].IsIndex || moved[1] == first[1] {
		t.Fatalf("the README became the list page of its folder: got %v", moved)
	}
	if first[1].IsIndex || first[1].URL != "/guide/" {
		t.Errorf("the earlier page was changed in place: %v", first[1])
	}
}

// TestDatedName: Jekyll's names, a one-digit month or day included.
func TestDatedName(t *testing.T) {
	for _, tt := range []struct{ base, slug, date string }{
		{"2019-05-04-hello-world", "hello-world", "2019-05-04"},
		{"2016-4-1-legal-report", "legal-report", "2016-04-01"},
		{"2016-12-31-x", "x", "2016-12-31"},
		{"2016-13-01-x", "2016-13-01-x", ""},
		{"2019-05-04-", "2019-05-04-", ""},
		{"2019-05-04", "2019-05-04", ""},
		{"19-05-04-x", "19-05-04-x", ""},
		{"hello-world", "hello-world", ""},
	} {
		slug, d := datedName(tt.base)
		date := ""
		if !d.IsZero() {
			date = d.Format("2006-01-02")
		}
		if slug != tt.slug || date != tt.date {
			t.Errorf("datedName(%q) = %q, %q; want %q, %q", tt.base, slug, date, tt.slug, tt.date)
		}
	}
}
