package content

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// frontSummary prints the fields of front matter that a test checks.
func frontSummary(f FrontMatter) string {
	d := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format(time.RFC3339)
	}
	var params []string
	for k, v := range f.Params {
		params = append(params, fmt.Sprintf("%s=%#v", k, v))
	}
	sort.Strings(params)
	return fmt.Sprintf("title=%q date=%s lastmod=%s draft=%v tags=%q summary=%q author=%q aliases=%q params=%s",
		f.Title, d(f.Date), d(f.Lastmod), f.Draft, f.Tags, f.Summary, f.Author, f.Aliases, strings.Join(params, ","))
}

// TestFrontMatter: YAML and TOML read alike, the keys of other tools
// mean what they mean there, and every mistake is at its position.
func TestFrontMatter(t *testing.T) {
	const none = `title="" date=- lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`
	tests := []struct {
		name, raw string
		want      string // frontSummary, when the file parses
		diags     []string
	}{
		{name: "yaml", raw: "---\ntitle: A\ndate: 2024-01-02\ntags: [x, y]\n---\n",
			want: `title="A" date=2024-01-02T00:00:00Z lastmod=- draft=false tags=["x" "y"] summary="" author="" aliases=[] params=`},
		{name: "toml", raw: "+++\ntitle = \"A\"\ndate = 2024-01-02\ntags = [\"x\", \"y\"]\n+++\nBody\n",
			want: `title="A" date=2024-01-02T00:00:00Z lastmod=- draft=false tags=["x" "y"] summary="" author="" aliases=[] params=`},
		{name: "toml date with offset", raw: "+++\ndate = 2024-01-02T10:00:00-07:00\n+++\n",
			want: `title="" date=2024-01-02T17:00:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "toml local date-time", raw: "+++\ndate = 2024-01-02T10:00:00\n+++\n",
			want: `title="" date=2024-01-02T10:00:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "zola taxonomies and extra", raw: "+++\ntitle = \"Z\"\nupdated = 2024-03-01\n[taxonomies]\ntags = [\"rust\"]\ncategories = [\"code\"]\n[extra]\ntoc = true\n+++\n",
			want: `title="Z" date=- lastmod=2024-03-01T00:00:00Z draft=false tags=["rust" "code"] summary="" author="" aliases=[] params=extra=map[string]interface {}{"toc":true},taxonomies=map[string]interface {}{"categories":[]interface {}{"code"}, "tags":[]interface {}{"rust"}},updated=time.Date(2024, time.March, 1, 0, 0, 0, 0, time.UTC)`},
		{name: "jekyll date", raw: "---\ndate: 2008-10-18 12:00:00 -0700\n---\n",
			want: `title="" date=2008-10-18T19:00:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "jekyll date without seconds", raw: "---\ndate: 2008-10-18 12:00\n---\n",
			want: `title="" date=2008-10-18T12:00:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "date with a one-digit month (the Go blog)", raw: "---\ndate: \"2024-4-09\"\n---\n",
			want: `title="" date=2024-04-09T00:00:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "date with slashes and a time", raw: "---\ndate: 2019/5/4 10:30\n---\n",
			want: `title="" date=2019-05-04T10:30:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "date with the month's name (Astro, Hugo, Jekyll)", raw: "---\ndate: 04 July 2023\n---\n",
			want: `title="" date=2023-07-04T00:00:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "date with the month's short name", raw: "---\ndate: 25 Aug 2024\n---\n",
			want: `title="" date=2024-08-25T00:00:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "date with the month's name first", raw: "---\ndate: \"March 9, 2021\"\n---\n",
			want: `title="" date=2021-03-09T00:00:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "date as RFC 1123", raw: "---\ndate: Mon, 02 Jan 2006 15:04:05 -0700\n---\n",
			want: `title="" date=2006-01-02T22:04:05Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "yaml date-time with a t", raw: "---\ndate: 2001-12-14t21:59:43.10-05:00\n---\n",
			want: `title="" date=2001-12-15T02:59:43Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},
		{name: "jekyll keys", raw: "---\npublished: false\nexcerpt: Short.\nredirect_from: /old/\nlast_modified_at: 2020-01-02\ncategories: [a, b]\ncategory: c\ntags: t\nlayout: post\n---\n",
			want: `title="" date=- lastmod=2020-01-02T00:00:00Z draft=true tags=["t" "a" "b" "c"] summary="Short." author="" aliases=["/old/"] params=categories=[]interface {}{"a", "b"},category="c",excerpt="Short.",last_modified_at="2020-01-02",layout="post",published=false,redirect_from="/old/"`},
		// Lil'Log's tag pages (layout: tagpage) carry Jekyll's singular
		// tag: one tag, not a typo of tags.
		{name: "jekyll singular tag", raw: "---\nlayout: tagpage\ntitle: \"Tag: architecture\"\ntag: neural architecture\ncategory: c\ntags: [t]\n---\n",
			want: `title="Tag: architecture" date=- lastmod=- draft=false tags=["t" "neural architecture" "c"] summary="" author="" aliases=[] params=category="c",layout="tagpage",tag="neural architecture"`},
		{name: "hugo keys", raw: "---\npublishDate: 2021-05-06\nmodified: 2021-06-07\nweight: 3\ntoc: true\nauthors: [Ada, Grace]\n---\n",
			want: `title="" date=2021-05-06T00:00:00Z lastmod=2021-06-07T00:00:00Z draft=false tags=[] summary="" author="Ada, Grace" aliases=[] params=authors=[]interface {}{"Ada", "Grace"},modified="2021-06-07",publishDate="2021-05-06",toc=true,weight=3`},
		{name: "own keys win", raw: "---\ndate: 2020-01-01\npublishDate: 2021-05-06\nsummary: Mine.\nexcerpt: Theirs.\n---\n",
			want: `title="" date=2020-01-01T00:00:00Z lastmod=- draft=false tags=[] summary="Mine." author="" aliases=[] params=excerpt="Theirs.",publishDate="2021-05-06"`},
		{name: "hugo published is a date", raw: "---\npublished: 2021-05-06\n---\n",
			want: `title="" date=2021-05-06T00:00:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=published="2021-05-06"`},
		{name: "published: yes", raw: "---\npublished: yes\ndraft: no\n---\n", want: none + `published="yes"`},
		{name: "author as a mapping", raw: "---\nauthor: {name: Ada, twitter: ada}\n---\n",
			want: `title="" date=- lastmod=- draft=false tags=[] summary="" author="Ada" aliases=[] params=`},
		{name: "numbers as text", raw: "---\ntitle: 3.10\ntags: [2024, true]\n---\n",
			want: `title="3.10" date=- lastmod=- draft=false tags=["2024" "true"] summary="" author="" aliases=[] params=`},
		{name: "empty values", raw: "---\ntitle:\ntags:\ndate:\n---\n", want: none},
		{name: "empty front matter", raw: "---\n---\nText.\n", want: none},
		{name: "yaml closed with ...", raw: "---\ntitle: A\n...\nText.\n",
			want: `title="A" date=- lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=`},

		{name: "typos warn", raw: "---\ntitel: A\ndate: 2020-01-01\nDate: 2020-01-02\ntgas: x\ndescripton: d\n---\n", want: `title="" date=2020-01-01T00:00:00Z lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=Date="2020-01-02",descripton="d",tgas="x",titel="A"`,
			diags: []string{
				`content/a.md:2:1: warning: front matter: unknown key "titel"; did you mean "title"?`,
				`content/a.md:4:1: warning: front matter: unknown key "Date"; did you mean "date"?`,
				`content/a.md:5:1: warning: front matter: unknown key "tgas"; did you mean "tags"?`,
				`content/a.md:6:1: warning: front matter: unknown key "descripton"; did you mean "description"?`,
			}},
		{name: "keys in any case, as Hugo reads them and Pelican writes them", raw: "---\nTitle: BBQ/World cup\nDate: 2010-06-12 23:10:00\nTags: [a]\nCategory: life\n---\n",
			want: `title="BBQ/World cup" date=2010-06-12T23:10:00Z lastmod=- draft=false tags=["a" "life"] summary="" author="" aliases=[] params=Category="life"`},
		{name: "toml typo warns", raw: "+++\ntitle = \"A\"\ntgs = [\"x\"]\n+++\n",
			want:  `title="A" date=- lastmod=- draft=false tags=[] summary="" author="" aliases=[] params=tgs=[]interface {}{"x"}`,
			diags: []string{`content/a.md:3:1: warning: front matter: unknown key "tgs"; did you mean "tags"?`}},
		{name: "other tools' keys are silent", raw: "---\nweight: 1\nlayout: post\ntoc: true\npermalink: /x/\npath: x\ntype: post\nmath: true\nname: n\nimage: i.png\nseries: [s]\n---\n",
			want: none + `image="i.png",layout="post",math=true,name="n",path="x",permalink="/x/",series=[]interface {}{"s"},toc=true,type="post",weight=1`},

		{name: "tags of the wrong type", raw: "---\ntags: {a: 1}\n---\n",
			diags: []string{`content/a.md:2:7: front matter: tags: expected a list, like tags: [a, b]`}},
		{name: "a list in tags", raw: "---\ntags: [a, [b]]\n---\n",
			diags: []string{`content/a.md:2:11: front matter: tags: expected a list of names, like tags: [a, b], found a list in it`}},
		{name: "toml tags of the wrong type", raw: "+++\ntags = 5\n+++\n",
			diags: []string{`content/a.md:2:8: front matter: tags: expected a list, like tags: [a, b]`}},
		{name: "title of the wrong type", raw: "---\ntitle: [a]\n---\n",
			diags: []string{`content/a.md:2:8: front matter: title: expected text, found a list; write it as title: "..."`}},
		{name: "draft of the wrong type", raw: "---\ndraft: maybe\n---\n",
			diags: []string{`content/a.md:2:8: front matter: draft: expected true or false, found "maybe"`}},
		{name: "toml bad date", raw: "+++\ndate = \"yesterday\"\n+++\n",
			diags: []string{`content/a.md:2:8: front matter: date: "yesterday" is not a valid date (write it as 2024-03-12, 2024-03-12T09:00:00Z or 2024-03-12 09:00:00 -0700)`}},
		{name: "a date of the wrong type", raw: "---\ndate: [1]\n---\n",
			diags: []string{`content/a.md:2:7: front matter: date: expected a date, like date: 2024-03-12, found a list`}},
		{name: "taxonomies of the wrong type", raw: "+++\ntaxonomies = 1\n+++\n",
			diags: []string{`content/a.md:2:14: front matter: taxonomies: expected a table of lists, like [taxonomies] tags = ["a", "b"]`}},
		{name: "toml syntax error", raw: "+++\ntitle = \"A\"\ntags = [\n+++\n",
			diags: []string{`content/a.md:3:9: front matter: array is incomplete`}},
		// go-toml counts bytes in a column; an editor counts characters.
		{name: "toml syntax error after accents", raw: "+++\ntitle = \"Ćé\nx = 1\n+++\n",
			diags: []string{`content/a.md:2:12: front matter: basic strings cannot have new lines`}},
		{name: "toml value after accents", raw: "+++\naliases = [\"/é/\", \"../x\"]\n+++\n",
			diags: []string{`content/a.md:2:19: alias "../x" would escape the output folder; write a path such as /old-name/`}},
		{name: "toml duplicate key", raw: "+++\ntitle = \"A\"\ntitle = \"B\"\n+++\n",
			diags: []string{`content/a.md:3:1: front matter: key title is already defined`}},
		{name: "toml unclosed", raw: "+++\ntitle = \"A\"\n",
			diags: []string{`content/a.md:1:1: front matter starts with +++ but has no closing +++ line; add one after the last key`}},
		{name: "yaml not a mapping", raw: "---\n- a\n- b\n---\n",
			diags: []string{`content/a.md:2:1: front matter: expected keys with values (key: value), found a list`}},
		{name: "toml escaping alias", raw: "+++\naliases = [\"/ok/\", \"../x\"]\n+++\n",
			diags: []string{`content/a.md:2:20: alias "../x" would escape the output folder; write a path such as /old-name/`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Parse("content/a.md", []byte(tt.raw))
			if len(diags) != len(tt.diags) {
				t.Fatalf("diagnostics %v, want %d: %q", diags, len(tt.diags), tt.diags)
			}
			for i, d := range diags {
				if !sameMessage(d.Error(), tt.diags[i]) {
					t.Errorf("diagnostic %d:\n got: %s\nwant: %s", i, d, tt.diags[i])
				}
			}
			if tt.want == "" {
				if p != nil {
					t.Errorf("got a page despite errors")
				}
				return
			}
			if p == nil {
				t.Fatal("got no page")
			}
			if got := frontSummary(p.Front); got != tt.want {
				t.Errorf("front matter\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestFrontMatterReaders: the keys of search, series and social cards,
// which stay in Params too (other themes read them).
func TestFrontMatterReaders(t *testing.T) {
	tests := []struct {
		name, raw string
		want      string // NoSearch, Series, SeriesOrder, Image
		diags     []string
	}{
		{name: "none", raw: "---\ntitle: A\n---\n", want: `false "" 0 ""`},
		{name: "search false", raw: "---\nsearch: false\n---\n", want: `true "" 0 ""`},
		{name: "search true", raw: "---\nsearch: true\n---\n", want: `false "" 0 ""`},
		{name: "search empty", raw: "---\nsearch:\n---\n", want: `false "" 0 ""`},
		{name: "toml search false", raw: "+++\nsearch = false\n+++\n", want: `true "" 0 ""`},
		{name: "series with order", raw: "---\nseries: ' Delegation '\nseries_order: 2\n---\n", want: `false "Delegation" 2 ""`},
		{name: "toml series", raw: "+++\nseries = \"D\"\nseries_order = 3\n+++\n", want: `false "D" 3 ""`},
		{name: "hugo series list", raw: "---\nseries: [Delegation]\n---\n", want: `false "Delegation" 0 ""`},
		{name: "series order as text", raw: "---\nseries: D\nseries_order: '4'\n---\n", want: `false "D" 4 ""`},
		{name: "image", raw: "---\nimage: /img/card.png\n---\n", want: `false "" 0 "/img/card.png"`},
		{name: "a theme's image mapping is left alone", raw: "---\nimage: {src: a.png}\n---\n", want: `false "" 0 ""`},
		{name: "two series warn", raw: "---\nseries: [A, B]\n---\n", want: `false "A" 0 ""`,
			diags: []string{`content/a.md:2:9: warning: front matter: series: an essay is part of one series; "A" is used`}},
		{name: "bad order", raw: "---\nseries: A\nseries_order: 0\n---\n",
			diags: []string{`content/a.md:3:15: front matter: series_order: expected the essay's place in its series, a whole number such as series_order: 2`}},
		{name: "fractional order", raw: "---\nseries_order: 1.5\n---\n",
			diags: []string{`content/a.md:2:15: front matter: series_order: expected`}},
		{name: "bad search", raw: "---\nsearch: maybe\n---\n",
			diags: []string{`content/a.md:2:9: front matter: search: expected true or false, found "maybe"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Parse("content/a.md", []byte(tt.raw))
			if len(diags) != len(tt.diags) {
				t.Fatalf("diagnostics %v, want %q", diags, tt.diags)
			}
			for i, d := range diags {
				if !strings.HasPrefix(d.Error(), tt.diags[i]) {
					t.Errorf("diagnostic %d:\n got %s\nwant %s...", i, d, tt.diags[i])
				}
			}
			if tt.want == "" {
				if p != nil {
					t.Errorf("got a page despite errors")
				}
				return
			}
			if p == nil {
				t.Fatal("got no page")
			}
			f := p.Front
			if got := fmt.Sprintf("%v %q %d %q", f.NoSearch, f.Series, f.SeriesOrder, f.Image); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// TestFrontMatterSameInBothFormats: the same keys in YAML and in TOML give
// the same front matter, params included.
func TestFrontMatterSameInBothFormats(t *testing.T) {
	y, d1 := Parse("content/a.md", []byte("---\ntitle: A\ndate: 2024-01-02T03:04:05Z\ntags: [x]\nweight: 2\nratio: 0.5\nextra: {list: [1, b]}\n---\n"))
	m, d2 := Parse("content/a.md", []byte("+++\ntitle = \"A\"\ndate = 2024-01-02T03:04:05Z\ntags = [\"x\"]\nweight = 2\nratio = 0.5\n[extra]\nlist = [1, \"b\"]\n+++\n"))
	if len(d1)+len(d2) > 0 {
		t.Fatal(d1, d2)
	}
	if a, b := frontSummary(y.Front), frontSummary(m.Front); a != b {
		t.Errorf("YAML %s\nTOML %s", a, b)
	}
}

func TestTypoOf(t *testing.T) {
	for key, want := range map[string]string{
		"titel": "title", "Title": "title", "tag": "tags", "tgs": "tags", "data": "date", "drafts": "draft",
		"sumary": "summary", "desciption": "description", "alias": "aliases", "categorie": "categories",
		"path": "", "type": "", "math": "", "name": "", "time": "", "weight": "", "layout": "", "toc": "",
		"image": "", "pages": "", "state": "", "table": "", "url": "", "hero": "", "subtitle": "",
	} {
		if got := typoOf(key); got != want {
			t.Errorf("typoOf(%q) = %q, want %q", key, got, want)
		}
	}
}
