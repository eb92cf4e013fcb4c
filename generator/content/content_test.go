package content

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, source, raw string
		title, url        string
		bodyLine          int
		diag              string // first diagnostic, if any
	}{
		{name: "front matter", source: "content/a.md", raw: "---\ntitle: A\ndate: 2024-01-02\n---\nbody\n", title: "A", url: "/a/", bodyLine: 5},
		{name: "no front matter", source: "content/notes/b-c.md", raw: "# The Title\n\nText.\n", title: "The Title", url: "/notes/b-c/", bodyLine: 1},
		{name: "metadata as link definitions", source: "content/zk.md", raw: "[category]: <> (General,Blockchains)\n[date]: <> (2023/03/31)\n[title]: <> (Multi-client ZK-EVMs)\n[pandoc]: <> (--mathjax)\n\nText.\n", title: "Multi-client ZK-EVMs", url: "/zk/", bodyLine: 1},
		{name: "metadata with a date it cannot read", source: "content/zk.md", raw: "[title]: # (T)\n[date]: # (soon)\n", title: "T", url: "/zk/", bodyLine: 1, diag: `content/zk.md:2:12: warning: [date]: "soon" is not a date Steward reads, so the essay has none; write it as 2024-03-12`},
		{name: "a heading below text names the essay", source: "content/faq.md", raw: "Contents:\n\n- [x](#x)\n\n# What is x\n\nText.\n\n# Why\n", title: "What is x", url: "/faq/", bodyLine: 1},
		{name: "no title at all", source: "content/x.md", raw: "Text.\n", title: "x", url: "/x/", bodyLine: 1},
		{name: "index", source: "content/notes/index.md", raw: "---\ntitle: Notes\n---\n", title: "Notes", url: "/notes/", bodyLine: 4},
		{name: "slug", source: "content/a.md", raw: "---\nslug: other\n---\n", title: "a", url: "/other/", bodyLine: 4},
		{name: "unclosed", source: "content/a.md", raw: "---\ntitle: A\n", diag: "content/a.md:1:1: front matter starts with --- but has no closing --- line; add one after the last key"},
		{name: "bad yaml", source: "content/a.md", raw: "---\ntitle: [A\n---\n", diag: "content/a.md:2:8: front matter: ..."},
		{name: "bad date", source: "content/a.md", raw: "---\ntitle: A\ndate: yesterday\n---\n", diag: `content/a.md:3:7: front matter: date: "yesterday" is not a valid date (write it as 2024-03-12, 2024-03-12T09:00:00Z or 2024-03-12 09:00:00 -0700)`},
		{name: "tags wrong type", source: "content/a.md", raw: "---\ntags: 5\n---\n", diag: "content/a.md:2:7: front matter: tags: expected a list, like tags: [a, b]"},
		{name: "unknown key warns", source: "content/a.md", raw: "---\ntitle: A\ntgs: [x]\n---\n", title: "A", url: "/a/", bodyLine: 5, diag: `content/a.md:3:1: warning: front matter: unknown key "tgs"; did you mean "tags"?`},
		{name: "escaping slug", source: "content/a.md", raw: "---\nslug: ../../etc\n---\n", diag: `content/a.md:2:7: slug "../../etc" would escape its folder; a slug is one URL segment such as my-essay`},
		{name: "escaping alias", source: "content/a.md", raw: "---\naliases: [/ok/, ../../etc]\n---\n", diag: `content/a.md:2:17: alias "../../etc" would escape the output folder; write a path such as /old-name/`},
		{name: "not utf8", source: "content/a.md", raw: "---\ntitle: A\n---\nbad \xff byte\n", diag: "content/a.md:4:5: the file is not valid UTF-8 (byte 0xff); save it as UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Parse(tt.source, []byte(tt.raw))
			if tt.diag != "" {
				if len(diags) == 0 {
					t.Fatalf("no diagnostics, want %s", tt.diag)
				}
				if !sameMessage(diags[0].Error(), tt.diag) {
					t.Fatalf("first diagnostic:\n got: %s\nwant: %s", diags[0].Error(), tt.diag)
				}
			} else if len(diags) != 0 {
				t.Fatalf("unexpected diagnostics %v", diags)
			}
			if tt.title == "" {
				if p != nil && diags.HasErrors() {
					t.Fatalf("got a page despite errors")
				}
				return
			}
			if p == nil {
				t.Fatal("got no page")
			}
			if p.Title != tt.title || p.URL != tt.url || p.BodyLine != tt.bodyLine {
				t.Errorf("got title %q url %q bodyLine %d, want %q %q %d", p.Title, p.URL, p.BodyLine, tt.title, tt.url, tt.bodyLine)
			}
		})
	}
}

func TestTitleHeadingNotRepeated(t *testing.T) {
	p, _ := Parse("content/a.md", []byte("# Title\nText\n"))
	if strings.Contains(string(p.Body), "# Title") || !strings.Contains(string(p.Body), "Text") {
		t.Errorf("body = %q", p.Body)
	}
	if strings.Count(string(p.Body), "\n") != 2 {
		t.Errorf("line count changed: %q", p.Body)
	}
}

func TestLoadFilters(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	fsys := fstest.MapFS{
		"content/a.md":         {Data: []byte("---\ntitle: A\ndate: 2024-01-01\n---\n")},
		"content/draft.md":     {Data: []byte("---\ndraft: true\n---\n")},
		"content/future.md":    {Data: []byte("---\ndate: 2030-01-01\n---\n")},
		"content/.hidden.md":   {Data: []byte("x")},
		"content/notes/n.md":   {Data: []byte("x")},
		"content/notes/n.txt":  {Data: []byte("x")},
		"content/_drafts/x.md": {Data: []byte("x")},
	}
	for _, tt := range []struct {
		opts Options
		want string
	}{
		{Options{Now: now}, "content/a.md content/notes/n.md"},
		{Options{Now: now, Drafts: true}, "content/_drafts/x.md content/a.md content/draft.md content/notes/n.md"},
		{Options{Now: now, Future: true}, "content/a.md content/future.md content/notes/n.md"},
	} {
		pages, diags := Load(fsys, tt.opts)
		if len(diags) != 0 {
			t.Fatal(diags)
		}
		var got []string
		for _, p := range pages {
			got = append(got, p.Source)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%+v: got %v, want %s", tt.opts, got, tt.want)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{"Servant Leadership": "servant-leadership", "C++ & Go!": "c-go", "  x  ": "x", "Ünïcode": "ünïcode"} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

type mapFronts struct {
	m      map[[32]byte]FrontMatter
	stores int
}

func (c *mapFronts) Front(k [32]byte) (FrontMatter, bool) { f, ok := c.m[k]; return f, ok }
func (c *mapFronts) StoreFront(k [32]byte, f FrontMatter) { c.m[k] = f; c.stores++ }

// TestFrontCache: clean front matter is decoded once; front matter with a
// warning or an error is decoded every time, so its positions hold.
func TestFrontCache(t *testing.T) {
	c := &mapFronts{m: map[[32]byte]FrontMatter{}}
	clean := []byte("---\ntitle: A\ntags: [x]\n---\nBody.\n")
	a, _ := parse("content/a.md", clean, c)
	b, _ := parse("content/b.md", clean, c)
	if c.stores != 1 || a.Front.Title != "A" || b.Title != "A" || b.URL != "/b/" || len(b.Front.Tags) != 1 {
		t.Errorf("stores %d, pages %+v %+v", c.stores, a, b)
	}
	warn := []byte("---\ntitle: A\ntgs: [x]\n---\n")
	for i := 0; i < 2; i++ {
		_, d := parse("content/w.md", warn, c)
		if want := `content/w.md:3:1: warning: front matter: unknown key "tgs"; did you mean "tags"?`; len(d) != 1 || d[0].Error() != want {
			t.Errorf("run %d: %v, want %s", i, d, want)
		}
	}
	bad := []byte("---\nslug: ../x\n---\n")
	for i := 0; i < 2; i++ {
		_, d := parse("content/s.md", bad, c)
		if want := `content/s.md:2:7: slug "../x" would escape its folder; a slug is one URL segment such as my-essay`; len(d) != 1 || d[0].Error() != want {
			t.Errorf("run %d: %v, want %s", i, d, want)
		}
	}
	if c.stores != 1 {
		t.Errorf("front matter with diagnostics was cached (%d stores)", c.stores)
	}
}

func TestPageTags(t *testing.T) {
	p, _ := Parse("content/a.md", []byte("---\ntags: [' Servant Leadership ', servant-leadership, '!!', Coaching]\n---\n"))
	got := fmt.Sprint(p.Tags)
	if want := "[{Servant Leadership servant-leadership} {Coaching coaching}]"; got != want {
		t.Errorf("tags %s, want %s", got, want)
	}
}

// sameMessage reports whether got is the whole message want, or begins
// with want's beginning when want ends in "..." (for a message whose rest
// another library words, such as the YAML decoder's).
func sameMessage(got, want string) bool {
	if begin, ok := strings.CutSuffix(want, "..."); ok {
		return strings.HasPrefix(got, begin)
	}
	return got == want
}

// TestLinkMeta: metadata written as link definitions above the text, with
// no front matter, gives the essay its title, date and tags; the same
// lines after text, or after front matter, are left alone.
func TestLinkMeta(t *testing.T) {
	tests := []struct {
		name, raw, title, date, tags string
	}{
		{name: "all keys", raw: "[category]: <> (General,Blockchains)\n[date]: <> (2023/03/31)\n\n[title]: <> (ZK-EVMs)\n[pandoc]: <> (--mathjax)\n\nText.\n",
			title: "ZK-EVMs", date: "2023-03-31", tags: "[General Blockchains]"},
		{name: "hash form, below a blank line", raw: "\n[title]: # (T)\n[tags]: # (a, b)\n", title: "T", date: "0001-01-01", tags: "[a b]"},
		{name: "after text", raw: "Text.\n\n[title]: <> (T)\n", title: "zk", date: "0001-01-01", tags: "[]"},
		{name: "front matter wins", raw: "---\ntitle: F\n---\n[title]: <> (T)\n[date]: <> (2023/03/31)\n", title: "F", date: "0001-01-01", tags: "[]"},
		{name: "a comment", raw: "[//]: # (a note to self)\n# Heading\n", title: "Heading", date: "0001-01-01", tags: "[]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Parse("content/zk.md", []byte(tt.raw))
			if len(diags) != 0 || p == nil {
				t.Fatalf("diagnostics %v", diags)
			}
			if got := fmt.Sprint(p.Front.Tags); p.Title != tt.title || p.Front.Date.Format("2006-01-02") != tt.date || got != tt.tags {
				t.Errorf("got title %q date %s tags %s, want %q %s %s", p.Title, p.Front.Date.Format("2006-01-02"), got, tt.title, tt.date, tt.tags)
			}
		})
	}
}

// TestTitleHeadingBelowText: the first # heading names an essay without
// front matter; it stays in the body when text a reader sees is above it
// and more # headings follow (link definitions and comments are not seen),
// so a section's heading below a list of contents keeps its place and its
// anchor; a lone # heading below a line of links is the title.
func TestTitleHeadingBelowText(t *testing.T) {
	tests := []struct {
		name, raw string
		kept      bool
	}{
		{"at the top", "# Title\n\nText.\n", false},
		{"below blank lines, a comment and link definitions", "\n<!-- draft -->\n[a]: https://example.org/\n\n# Title\n", false},
		{"below text, with more # sections", "Contents:\n\n- [x](#title)\n\n# Title\n\nA.\n\n# Second\n", true},
		{"below code, with more # sections", "```\ncode\n```\n# Title\n# Second\n", true},
		{"alone below a line of links (a README)", "[Read on the web](https://example.org/)\n\n# Title\n\n## Section\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Parse("content/a.md", []byte(tt.raw))
			if len(diags) != 0 || p == nil {
				t.Fatalf("diagnostics %v", diags)
			}
			if p.Title != "Title" {
				t.Errorf("title %q", p.Title)
			}
			if kept := strings.Contains(string(p.Body), "# Title"); kept != tt.kept {
				t.Errorf("heading kept in the body: %t, want %t; body %q", kept, tt.kept, p.Body)
			}
		})
	}
}

// TestHeaderMeta: a metadata header above the text, with no front matter,
// as Pelican and MultiMarkdown read it ("Title: x") and Frog writes it
// (indented four spaces), gives the essay its title, date, tags and the
// rest, and leaves the body; prose that opens with "Note: ..." does not.
func TestHeaderMeta(t *testing.T) {
	tests := []struct {
		name, raw, title, date, tags, body string
		draft                              bool
	}{
		{name: "Frog", raw: "    Title: Rascal: a Haskell\n    Date: 2017-01-02T09:16:42\n    Tags: hackett, racket\n\n> Note.\n\n# Why Rascal?\n",
			title: "Rascal: a Haskell", date: "2017-01-02", tags: "[hackett racket]", body: "\n\n\n\n> Note.\n\n# Why Rascal?\n"},
		{name: "Pelican", raw: "Title: My super title\nDate: 2010-12-03 10:20\nCategory: Python\nSlug: my-super-post\nSummary: Short.\n\nText.\n",
			title: "My super title", date: "2010-12-03", tags: "[Python]", body: "\n\n\n\n\n\nText.\n"},
		{name: "Pelican draft", raw: "Title: Not yet\nStatus: draft\n\nText.\n", title: "Not yet", date: "0001-01-01", tags: "[]", body: "\n\n\nText.\n", draft: true},
		{name: "prose", raw: "Note: this is prose.\nDate: not a header.\n\nText.\n", title: "a", date: "0001-01-01", tags: "[]", body: "Note: this is prose.\nDate: not a header.\n\nText.\n"},
		{name: "a paragraph that opens with a title line", raw: "Title: x\nand more text\n", title: "a", date: "0001-01-01", tags: "[]", body: "Title: x\nand more text\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Parse("content/a.md", []byte(tt.raw))
			if len(diags) != 0 || p == nil {
				t.Fatalf("diagnostics %v", diags)
			}
			if got := fmt.Sprint(p.Front.Tags); p.Title != tt.title || p.Front.Date.Format("2006-01-02") != tt.date || got != tt.tags || string(p.Body) != tt.body || p.Front.Draft != tt.draft {
				t.Errorf("draft %v (want %v); got title %q date %s tags %s body %q\nwant %q %s %s %q", p.Front.Draft, tt.draft, p.Title, p.Front.Date.Format("2006-01-02"), got, p.Body, tt.title, tt.date, tt.tags, tt.body)
			}
		})
	}
}

// TestHeaderMetaBadDate: a header's date Steward cannot read is a
// warning at its line, and the rest of the header still counts.
func TestHeaderMetaBadDate(t *testing.T) {
	p, diags := Parse("content/a.md", []byte("Title: T\nDate: soon\n\nText.\n"))
	want := `content/a.md:2:1: warning: Date: "soon" is not a date Steward reads, so the essay has none; write it as 2024-03-12`
	if p == nil || len(diags) != 1 || diags[0].Error() != want || p.Title != "T" {
		t.Fatalf("got %v, title %v; want %s", diags, p, want)
	}
}
