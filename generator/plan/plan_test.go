package plan

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/layout"
)

// page makes a loaded page: "notes/x.md 2024-05-01 tags=a,B" style specs
// are clearer in tables than struct literals.
func page(source, date string, tags ...string) *content.Doc {
	rel := strings.TrimSuffix(source, ".md")
	dir, slug := "", rel
	if i := strings.LastIndex(rel, "/"); i >= 0 {
		dir, slug = rel[:i], rel[i+1:]
	}
	p := &content.Doc{Source: "content/" + source, Title: strings.ToUpper(slug[:1]) + slug[1:], Slug: slug, Dir: dir, URL: "/" + rel + "/"}
	if slug == "_index" {
		p.IsIndex, p.URL, p.Title = true, "", "Index of "+dir
	}
	if date != "" {
		d, err := time.Parse("2006-01-02", date)
		if err != nil {
			panic(err)
		}
		p.Front.Date = d
	}
	for _, t := range tags {
		p.Tags = append(p.Tags, content.Tag{Name: t, Slug: strings.ToLower(t)})
	}
	return p
}

func sources(ps []*content.Doc) []string {
	var out []string
	for _, p := range ps {
		out = append(out, strings.TrimPrefix(p.Source, "content/"))
	}
	return out
}

func TestOrder(t *testing.T) {
	tests := []struct {
		name  string
		pages []*content.Doc
		want  []string
	}{
		{"newest first", []*content.Doc{page("a.md", "2024-01-01"), page("b.md", "2025-01-01"), page("c.md", "2023-01-01")}, []string{"b.md", "a.md", "c.md"}},
		{"same date by title", []*content.Doc{page("zeta.md", "2024-01-01"), page("alpha.md", "2024-01-01")}, []string{"alpha.md", "zeta.md"}},
		{"undated last", []*content.Doc{page("u.md", ""), page("d.md", "2001-01-01")}, []string{"d.md", "u.md"}},
		{"index pages are not essays", []*content.Doc{page("notes/_index.md", ""), page("notes/n.md", "2024-01-01")}, []string{"notes/n.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(tt.pages, Options{PerPage: 10})
			if got := sources(s.Essays); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("essays %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSortTitleBreaksTies(t *testing.T) {
	a, b := page("a.md", "2024-01-01"), page("b.md", "2024-01-01")
	a.Title, b.Title = "*Z*", "Y" // as written; readers see Z and Y
	s := New([]*content.Doc{a, b}, Options{PerPage: 10, SortTitle: func(p *content.Doc) string { return strings.Trim(p.Title, "*") }})
	if got := sources(s.Essays); !reflect.DeepEqual(got, []string{"b.md", "a.md"}) {
		t.Errorf("essays %v, want b.md (Y) before a.md (Z)", got)
	}
}

func TestNeighbours(t *testing.T) {
	s := New([]*content.Doc{page("a.md", "2024-01-03"), page("b.md", "2024-01-02"), page("c.md", "2024-01-01")}, Options{PerPage: 10})
	for i, want := range [][2]int{{1, -1}, {2, 0}, {-1, 1}} {
		older, newer := s.Neighbours(i)
		if [2]int{older, newer} != want {
			t.Errorf("Neighbours(%d) = %d, %d, want %d, %d", i, older, newer, want[0], want[1])
		}
	}
}

func TestTags(t *testing.T) {
	s := New([]*content.Doc{page("a.md", "2024-01-03", "Trust", "go"), page("b.md", "2024-01-02", "trust"), page("c.md", "2024-01-01")}, Options{PerPage: 10})
	want := []Tag{
		{Name: "go", Slug: "go", URL: "/tags/go/", Essays: []int{0}},
		{Name: "Trust", Slug: "trust", URL: "/tags/trust/", Essays: []int{0, 1}},
	}
	if !reflect.DeepEqual(s.Tags, want) {
		t.Errorf("tags\n got %+v\nwant %+v", s.Tags, want)
	}
	if got := s.TagsOf(0); !reflect.DeepEqual(got, []int{1, 0}) {
		t.Errorf("TagsOf(0) = %v, want [1 0] (the essay's order: Trust, go)", got)
	}
	if got := s.TagsOf(2); got != nil {
		t.Errorf("TagsOf(2) = %v, want none", got)
	}
}

func TestSections(t *testing.T) {
	s := New([]*content.Doc{
		page("top.md", "2024-01-05"),
		page("notes/2024/deep.md", "2024-01-04"),
		page("notes/n.md", "2024-01-03"),
		page("empty/_index.md", ""),
	}, Options{PerPage: 10})
	want := []Section{
		{Dir: "empty", URL: "/empty/"},
		{Dir: "notes", URL: "/notes/", Essays: []int{1, 2}, Subs: []string{"notes/2024"}},
		{Dir: "notes/2024", URL: "/notes/2024/", Essays: []int{1}},
	}
	if !reflect.DeepEqual(s.Sections, want) {
		t.Errorf("sections\n got %+v\nwant %+v", s.Sections, want)
	}
	if sec, ok := s.Section("notes/2024"); !ok || sec.Dir != "notes/2024" {
		t.Errorf("Section(notes/2024) = %+v, %v", sec, ok)
	}
	if _, ok := s.Section("nope"); ok {
		t.Error("Section(nope) found a section")
	}
}

// TestLists checks the whole list of pages to write, in the order the
// sitemap lists them, with pagination at two essays a page.
func TestLists(t *testing.T) {
	s := New([]*content.Doc{
		page("a.md", "2024-01-05", "x"),
		page("b.md", "2024-01-04", "x"),
		page("notes/c.md", "2024-01-03", "x"),
		page("_index.md", ""),
	}, Options{PerPage: 2, Search: true})
	var got []string
	for _, l := range s.Lists {
		got = append(got, fmt.Sprintf("%s %s %s src=%s dir=%s tag=%d %d/%d prev=%s next=%s essays=%v of %d",
			l.Kind, l.URL, l.Out, l.Source, l.Dir, l.Tag, l.Number, l.Total, l.PrevURL, l.NextURL, l.Essays, l.AllEssays))
	}
	want := []string{
		"home / index.html src=content/_index.md dir= tag=-1 1/2 prev= next=/page/2/ essays=[0 1] of 3",
		"home /page/2/ page/2/index.html src=content/_index.md dir= tag=-1 2/2 prev=/ next= essays=[2] of 3",
		"section /notes/ notes/index.html src=content/notes/ dir=notes tag=-1 1/1 prev= next= essays=[2] of 1",
		"tags /tags/ tags/index.html src=the tags page dir= tag=-1 0/0 prev= next= essays=[] of 0",
		"tag /tags/x/ tags/x/index.html src=the page of tag x dir= tag=0 1/2 prev= next=/tags/x/page/2/ essays=[0 1] of 3",
		"tag /tags/x/page/2/ tags/x/page/2/index.html src=the page of tag x dir= tag=0 2/2 prev=/tags/x/ next= essays=[2] of 3",
		"search /search/ search/index.html src=the search page dir= tag=-1 0/0 prev= next= essays=[] of 0",
		"404 /404.html 404.html src=the 404 page dir= tag=-1 0/0 prev= next= essays=[] of 0",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("lists\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	if s.Lists[0].Kind != layout.KindHome {
		t.Errorf("first list is %s, want home", s.Lists[0].Kind)
	}
}

func TestEmptySiteHasOneHomePage(t *testing.T) {
	s := New(nil, Options{Search: true})
	if len(s.Lists) != 4 || s.Lists[0].URL != "/" || s.Lists[0].Total != 1 || len(s.Lists[0].Essays) != 0 {
		t.Errorf("lists of an empty site: %+v, want home (one empty page), tags, search, 404", s.Lists)
	}
}

func inSeries(p *content.Doc, name string, order int) *content.Doc {
	p.Front.Series, p.Front.SeriesOrder = name, order
	return p
}

// TestSeries: essays group by series name (its slug), ordered by
// series_order, then date (oldest first, undated last), then URL; each
// series gets a one-page list at /series/<slug>/.
func TestSeries(t *testing.T) {
	s := New([]*content.Doc{
		inSeries(page("d1.md", "2024-03-01"), "Delegation", 0),
		inSeries(page("d2.md", "2024-01-01"), "delegation", 0),
		inSeries(page("d3.md", "2025-01-01"), "Delegation", 1),
		inSeries(page("d4.md", ""), "Delegation", 0),
		inSeries(page("d5.md", "2024-02-01"), "Delegation", 2),
		inSeries(page("d6.md", "2024-01-01"), "Delegation", 0),
		inSeries(page("t.md", "2024-01-01"), "Trust & Teams", 0),
		page("none.md", "2024-01-01"),
	}, Options{PerPage: 2})
	var got []string
	for _, sr := range s.Series {
		var urls []string
		for _, i := range sr.Essays {
			urls = append(urls, s.Essays[i].URL)
		}
		got = append(got, fmt.Sprintf("%s %s %s %s", sr.Name, sr.Slug, sr.URL, strings.Join(urls, " ")))
	}
	want := []string{
		"Delegation delegation /series/delegation/ /d3/ /d5/ /d2/ /d6/ /d1/ /d4/",
		"Trust & Teams trust-teams /series/trust-teams/ /t/",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("series\n got %q\nwant %q", got, want)
	}
	for _, c := range []struct {
		src          string
		series, part int
	}{{"d3.md", 0, 0}, {"d4.md", 0, 5}, {"t.md", 1, 0}, {"none.md", -1, -1}} {
		i := indexOf(t, s, c.src)
		if k, n := s.SeriesOf(i); k != c.series || n != c.part {
			t.Errorf("SeriesOf(%s) = %d, %d; want %d, %d", c.src, k, n, c.series, c.part)
		}
	}
	var lists []string
	for _, l := range s.Lists {
		if l.Kind == layout.KindSeries {
			lists = append(lists, fmt.Sprintf("%s %s %d/%d %d essays of %d, series %d", l.URL, l.Out, l.Number, l.Total, len(l.Essays), l.AllEssays, l.Series))
		}
	}
	if want := []string{"/series/delegation/ series/delegation/index.html 1/1 6 essays of 6, series 0", "/series/trust-teams/ series/trust-teams/index.html 1/1 1 essays of 1, series 1"}; !reflect.DeepEqual(lists, want) {
		t.Errorf("series lists\n got %q\nwant %q", lists, want)
	}
}

func indexOf(t *testing.T, s *Site, src string) int {
	t.Helper()
	for i, p := range s.Essays {
		if p.Source == "content/"+src {
			return i
		}
	}
	t.Fatalf("no essay %s", src)
	return -1
}

// TestRelated: essays that share rarer tags first, then more tags; ties
// to the newer; at most three; never the essay itself, never a draft,
// never one that shares nothing.
func TestRelated(t *testing.T) {
	draft := page("draft.md", "2024-01-09", "rare", "common")
	draft.Front.Draft = true
	s := New([]*content.Doc{
		page("a.md", "2024-01-08", "rare", "common"),
		page("b.md", "2024-01-07", "rare"),
		page("c.md", "2024-01-06", "common", "other"),
		page("d.md", "2024-01-05", "common"),
		page("e.md", "2024-01-04", "common"),
		page("f.md", "2024-01-03", "lonely"),
		page("g.md", "2024-01-02", "common", "other"),
		draft,
	}, Options{PerPage: 10})
	rel := func(src string) string {
		var out []string
		for _, j := range s.Related[indexOf(t, s, src)] {
			out = append(out, strings.TrimPrefix(s.Essays[j].Source, "content/"))
		}
		return strings.Join(out, " ")
	}
	tests := []struct{ src, want string }{
		{"a.md", "b.md c.md d.md"},     // the rare tag first, then the newest of common
		{"b.md", "a.md"},               // a draft never
		{"c.md", "g.md a.md d.md"},     // two shared tags beat one
		{"f.md", ""},                   // nothing shared
		{"draft.md", "a.md b.md c.md"}, // a draft has related essays itself
	}
	for _, tt := range tests {
		if got := rel(tt.src); got != tt.want {
			t.Errorf("related to %s: %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestSearch: the index numbers essays by URL, whatever their dates, and
// leaves out those with search: false.
func TestSearch(t *testing.T) {
	hidden := page("b.md", "2024-01-03")
	hidden.Front.NoSearch = true
	s := New([]*content.Doc{page("c.md", "2024-01-05"), hidden, page("a.md", "2024-01-01"), page("notes/_index.md", ""), page("d.md", "")}, Options{PerPage: 10, Search: true})
	var got []string
	for _, i := range s.Search {
		got = append(got, s.Essays[i].URL)
	}
	if want := []string{"/a/", "/c/", "/d/"}; !reflect.DeepEqual(got, want) {
		t.Errorf("search index holds %q, want %q", got, want)
	}
}

func TestAliases(t *testing.T) {
	a := page("a.md", "2024-01-02")
	a.Front.Aliases = []string{"/old/", "/2019/01/a.html", "/caf%C3%A9/"}
	b := page("b.md", "2024-01-01")
	b.Front.Aliases = []string{"/b-old/"}
	s := New([]*content.Doc{b, a}, Options{PerPage: 10})
	want := []Alias{{"old/index.html", 0, ""}, {"2019/01/a.html", 0, ""}, {"café/index.html", 0, ""}, {"b-old/index.html", 1, ""}}
	if !reflect.DeepEqual(s.Aliases, want) {
		t.Errorf("aliases %+v, want %+v", s.Aliases, want)
	}
}

// TestAliasOwners: a page's own URL gets no redirect, one page naming an
// alias twice gets one, two pages naming it give it to the first by file
// name (as URLs warns), an alias at the list page of a folder's index
// gets none (the page is kept), and a folder's index leads to its list
// page.
func TestAliasOwners(t *testing.T) {
	own := page("tools/airtable.md", "2024-01-03")
	own.Front.Aliases = []string{"/tools/airtable/", "/airtable/"}
	twice := page("a.md", "2024-01-02")
	twice.Front.Aliases = []string{"/old/", "/old"}
	second := page("z.md", "2024-01-04")
	second.Front.Aliases = []string{"/shared/"}
	first := page("b.md", "2024-01-01")
	first.Front.Aliases = []string{"/shared/"}
	index := page("notes/_index.md", "")
	index.URL = "/notes/"
	index.Front.Aliases = []string{"/old-notes/"}
	list := page("c.md", "2024-01-05")
	list.Front.Aliases = []string{"/notes/", "/elsewhere/"}
	s := New([]*content.Doc{own, twice, second, first, index, list, page("notes/n.md", "2023-01-01"), page("other/o.md", "2023-01-02")}, Options{PerPage: 10})
	var got []string
	for _, a := range s.Aliases {
		to := a.URL
		if a.Essay >= 0 {
			to = s.Essays[a.Essay].URL
		}
		got = append(got, a.Out+" -> "+to)
	}
	want := []string{"elsewhere/index.html -> /c/", "airtable/index.html -> /tools/airtable/", "old/index.html -> /a/", "shared/index.html -> /b/", "old-notes/index.html -> /notes/"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("aliases\n got %q\nwant %q", got, want)
	}
}

func TestURLs(t *testing.T) {
	tests := []struct {
		name  string
		pages []*content.Doc
		diags []string
	}{
		{"distinct", []*content.Doc{page("a.md", ""), page("b.md", "")}, nil},
		{"two essays one URL", []*content.Doc{page("a.md", ""), func() *content.Doc { p := page("b.md", ""); p.URL = "/a/"; return p }()},
			[]string{"content/b.md:1:1: URL /a/ is claimed by both content/a.md and content/b.md; give one of them another slug or file name"}},
		{"two essays of different dates one URL: the hint names permalinks", []*content.Doc{
			func() *content.Doc {
				p := page("post/2015-7-1-report.md", "2015-07-01")
				p.URL = "/post/report/"
				return p
			}(),
			func() *content.Doc {
				p := page("post/2016-4-1-report.md", "2016-04-01")
				p.URL = "/post/report/"
				return p
			}()},
			[]string{"content/post/2016-4-1-report.md:1:1: URL /post/report/ is claimed by both content/post/2015-7-1-report.md and content/post/2016-4-1-report.md; give one of them another slug or file name, or, as they are dated 2015-07-01 and 2016-04-01, give the section's essays dated URLs as Hugo's permalinks setting does: permalinks: {post: /:year/:month/:day/:slug/} in site.yaml"}},
		{"two essays of one date one URL: no hint", []*content.Doc{
			func() *content.Doc { p := page("post/a.md", "2015-07-01"); p.URL = "/post/x/"; return p }(),
			func() *content.Doc { p := page("post/b.md", "2015-07-01"); p.URL = "/post/x/"; return p }()},
			[]string{"content/post/b.md:1:1: URL /post/x/ is claimed by both content/post/a.md and content/post/b.md; give one of them another slug or file name"}},
		{"reserved", []*content.Doc{func() *content.Doc { p := page("t.md", ""); p.URL = "/tags/x/"; return p }()},
			[]string{"content/t.md:1:1: URL /tags/x/ is reserved for Steward's generated pages (/tags/ and /page/); move or rename the file, or give it a slug"}},
		{"reserved by a slug", []*content.Doc{func() *content.Doc { p := page("t.md", ""); p.URL = "/page/"; p.Front.Slug = "page"; return p }()},
			[]string{"content/t.md:1:1: URL /page/ is reserved for Steward's generated pages (/tags/ and /page/); choose another slug"}},
		{"reserved by a permalink", []*content.Doc{func() *content.Doc {
			p := page("Tags.md", "")
			p.URL = "/tags/"
			p.Front.Params = map[string]any{"permalink": "tags"}
			return p
		}()},
			[]string{"content/Tags.md:1:1: URL /tags/ is reserved for Steward's generated pages (/tags/ and /page/); its front matter's permalink: tags puts it there; change or remove that"}},
		{"the site's own search page wins", []*content.Doc{page("search.md", ""), page("searching.md", "")},
			[]string{"content/search.md:1:1: warning: this page takes /search/, so Steward's search page is not written (the header's search field leads here); rename or remove it to get Steward's search"}},
		{"a series page's URL", []*content.Doc{func() *content.Doc { p := page("a.md", ""); p.Front.Series = "Delegation"; return p }(), page("series/delegation.md", ""), page("series/other.md", "")},
			[]string{"content/series/delegation.md:1:1: URL /series/delegation/ is claimed by both Steward's page of the series Delegation and content/series/delegation.md; give one of them another slug or file name"}},
		{"alias over a file the build writes", []*content.Doc{func() *content.Doc { p := page("a.md", ""); p.Front.Aliases = []string{"/404.html"}; return p }()},
			[]string{"content/a.md:1:1: URL /404.html is claimed by both Steward's not-found page and content/a.md (alias); remove the alias from content/a.md's front matter"}},
		{"alias takes an essay's URL", []*content.Doc{page("a.md", ""), func() *content.Doc { p := page("b.md", ""); p.Front.Aliases = []string{"/a/"}; return p }()},
			[]string{"content/b.md:1:1: URL /a/ is claimed by both content/a.md and content/b.md (alias); remove the alias from content/b.md's front matter, or give content/a.md another slug or file name"}},
		// Hugo's docs: functions/time/AsTime.md has aliases: [/functions/time]
		// beside functions/time/_index.md; the list page is kept, as Hugo
		// keeps it (the redirect used to replace it, silently).
		{"alias takes the list page of a folder's index", []*content.Doc{page("notes/a.md", ""), func() *content.Doc {
			p := page("notes/_index.md", "")
			p.URL = "/notes/"
			return p
		}(), func() *content.Doc {
			p := page("b.md", "")
			p.Front.Aliases = []string{"/notes"}
			return p
		}()},
			[]string{`content/b.md:1:1: warning: alias "/notes" is the URL of the list page that content/notes/_index.md makes, so no redirect is written for it; remove it from the front matter`}},
		// 18F's handbook and Jekyll's docs redirect a folder that has no
		// index to one of its pages: the redirect takes Steward's list.
		{"alias takes the list page of a folder without an index", []*content.Doc{page("notes/a.md", ""), func() *content.Doc {
			p := page("b.md", "")
			p.Front.Aliases = []string{"/notes/"}
			return p
		}()}, nil},
		{"a folder's index names its own list page", []*content.Doc{page("notes/a.md", ""), func() *content.Doc {
			p := page("notes/_index.md", "")
			p.URL = "/notes/"
			p.Front.Aliases = []string{"/notes/index.html"}
			return p
		}()},
			[]string{`content/notes/_index.md:1:1: warning: alias "/notes/index.html" is this page's own URL, so no redirect is written for it; remove it from the front matter`}},
		// 18F's handbook: redirect_from: [/tools/airtable/] in tools/airtable.md.
		{"alias is the page's own URL", []*content.Doc{func() *content.Doc {
			p := page("tools/airtable.md", "")
			p.Front.Aliases = []string{"/tools/airtable/", "/tools/airtable"}
			return p
		}()},
			[]string{
				`content/tools/airtable.md:1:1: warning: alias "/tools/airtable/" is this page's own URL, so no redirect is written for it; remove it from the front matter`,
				`content/tools/airtable.md:1:1: warning: alias "/tools/airtable" is this page's own URL, so no redirect is written for it; remove it from the front matter`,
			}},
		{"alias named twice by one page", []*content.Doc{func() *content.Doc { p := page("a.md", ""); p.Front.Aliases = []string{"/old/", "/old"}; return p }()}, nil},
		// Hugo's docs: aliases: [/content/sections/] in two pages. The
		// first by file name keeps it, whatever order the pages come in.
		{"two pages name one alias", []*content.Doc{
			func() *content.Doc {
				p := page("cm/sections.md", "")
				p.Front.Aliases = []string{"/content/sections/"}
				return p
			}(),
			func() *content.Doc {
				p := page("cm/organization/index.md", "")
				p.Front.Aliases = []string{"/content/sections/"}
				return p
			}()},
			[]string{`content/cm/sections.md:1:1: warning: alias "/content/sections/" is also an alias of content/cm/organization/index.md, so its redirect leads there, not here; remove it from one of them`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			urls, diags := URLs(tt.pages, true)
			var got []string
			for _, d := range diags {
				got = append(got, d.Error())
			}
			if !reflect.DeepEqual(got, tt.diags) {
				t.Errorf("diagnostics\n got %q\nwant %q", got, tt.diags)
			}
			for _, p := range tt.pages {
				if urls[p.Source] != EscapeURL(p.URL) {
					t.Errorf("URL of %s = %q, want %q", p.Source, urls[p.Source], EscapeURL(p.URL))
				}
			}
		})
	}
}

// TestSearchPageGivesWay: a site's own page at /search/ (an essay, or a
// folder's list page) is written instead of Steward's search page.
func TestSearchPageGivesWay(t *testing.T) {
	for name, pages := range map[string][]*content.Doc{
		"none":   {page("a.md", "")},
		"essay":  {page("a.md", ""), page("search.md", "")},
		"folder": {page("a.md", ""), page("search/how.md", "")},
	} {
		n := 0
		for _, l := range New(pages, Options{PerPage: 10, Search: true}).Lists {
			if l.Kind == layout.KindSearch {
				n++
			}
		}
		if want := map[bool]int{true: 1, false: 0}[name == "none"]; n != want {
			t.Errorf("%s: %d search pages, want %d", name, n, want)
		}
	}
}

// TestNoSearch: without search (the default), no search page is planned
// and no essay numbered for an index, and a site's own /search/ page
// is no news.
func TestNoSearch(t *testing.T) {
	pages := []*content.Doc{page("a.md", ""), page("search.md", "")}
	s := New(pages, Options{PerPage: 10})
	for _, l := range s.Lists {
		if l.Kind == layout.KindSearch {
			t.Error("a search page is planned without search")
		}
	}
	if len(s.Search) != 0 {
		t.Errorf("essays numbered for search: %v", s.Search)
	}
	if _, diags := URLs(pages, false); len(diags) != 0 {
		t.Errorf("diagnostics without search: %v", diags)
	}
}

// TestRelatedAsSorted: the related essays chosen by a scan over the
// inverted lists are those a full sort by the score that related
// documents (shared tags, and the cosine of every pair's TF-IDF vectors
// over their top terms, computed here the long way) puts first, then by
// essay number, on random sites.
func TestRelatedAsSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 200; round++ {
		var pages []*content.Doc
		terms := map[*content.Doc][]Term{}
		vocab := 3 + rng.IntN(40)
		for i := 0; i < 2+rng.IntN(40); i++ {
			var tags []string
			for k := 0; k < rng.IntN(4); k++ {
				tags = append(tags, fmt.Sprintf("t%d", rng.IntN(6)))
			}
			p := page(fmt.Sprintf("e%d.md", i), fmt.Sprintf("2024-01-%02d", 1+rng.IntN(28)), tags...)
			p.Tags = dedupTags(p.Tags)
			p.Front.Draft = rng.IntN(10) == 0
			seen := map[string]bool{}
			for k := 0; k < rng.IntN(2*TopTerms); k++ {
				if st := fmt.Sprintf("w%d", rng.IntN(vocab)); !seen[st] {
					seen[st] = true
					terms[p] = append(terms[p], Term{st, 1 + rng.IntN(4)})
				}
			}
			pages = append(pages, p)
		}
		s := New(pages, Options{PerPage: 10, Terms: func(p *content.Doc) []Term { return terms[p] }})
		n := len(s.Essays)
		// Each essay's top terms, the long way: all its terms by weight,
		// then stem, the first TopTerms.
		top := make([]map[string]int, n)
		df := map[string]int{}
		for i, p := range s.Essays {
			ts := slices.Clone(terms[p])
			sort.Slice(ts, func(a, b int) bool {
				return ts[a].Weight > ts[b].Weight || ts[a].Weight == ts[b].Weight && ts[a].Stem < ts[b].Stem
			})
			top[i] = map[string]int{}
			for _, t := range ts[:min(TopTerms, len(ts))] {
				top[i][t.Stem] = t.Weight
				df[t.Stem]++
			}
		}
		vec := func(i int) map[string]float64 {
			v := map[string]float64{}
			for st, c := range top[i] {
				if df[st] >= 2 && df[st] <= maxTermEssays(n) {
					v[st] = float64(c) * math.Log(float64(n+1)/float64(df[st]))
				}
			}
			return v
		}
		norm := func(v map[string]float64) float64 {
			var x float64
			for _, w := range v {
				x += w * w
			}
			return math.Sqrt(x)
		}
		for i := range s.Essays {
			score := map[int]float64{}
			for _, k := range s.TagsOf(i) {
				w := math.Log(float64(n+1) / float64(len(s.Tags[k].Essays)))
				for _, j := range s.Tags[k].Essays {
					if j != i && !s.Essays[j].Front.Draft {
						score[j] += w
					}
				}
			}
			vi := vec(i)
			for j := range s.Essays {
				if j == i || s.Essays[j].Front.Draft {
					continue
				}
				vj := vec(j)
				var dot float64
				for st, w := range vi {
					dot += w * vj[st]
				}
				if dot != 0 {
					score[j] += math.Log(float64(n+1)) * dot / (norm(vi) * norm(vj))
				}
			}
			var all []int
			for j, sc := range score {
				if sc > 0 {
					all = append(all, j)
				}
			}
			// Scores equal but for the order of a float sum count as ties.
			const eps = 1e-9
			sort.Slice(all, func(x, y int) bool {
				a, b := all[x], all[y]
				return score[a] > score[b]+eps || math.Abs(score[a]-score[b]) <= eps && a < b
			})
			want := all[:min(MaxRelated, len(all))]
			got := s.Related[i]
			if len(got) != len(want) {
				t.Fatalf("round %d, essay %d: related %v, want %v", round, i, got, want)
			}
			for k := range got {
				if got[k] != want[k] && math.Abs(score[got[k]]-score[want[k]]) > eps {
					t.Fatalf("round %d, essay %d: related %v (scores %v), want %v", round, i, got, score, want)
				}
			}
		}
	}
}

// TestRelatedByTerms: essays that share no tag, or the same tags, are
// told apart by their terms: the essay whose top terms are most like this
// one's comes first; a draft never comes, nor the essay itself, nor an
// essay that shares only a term too common to tell.
func TestRelatedByTerms(t *testing.T) {
	pages := []*content.Doc{
		page("deleg.md", "2024-01-09", "leadership"),
		page("deleg2.md", "2024-01-08", "leadership"),
		page("meetings.md", "2024-01-07", "leadership"),
		page("garden.md", "2024-01-06"),
		page("garden2.md", "2024-01-05"),
		page("draft.md", "2024-01-10"),
		page("lonely.md", "2024-01-04"),
	}
	pages[5].Front.Draft = true
	terms := map[string][]Term{
		"deleg":    {{"deleg", 9}, {"trust", 4}, {"team", 2}},
		"deleg2":   {{"deleg", 7}, {"trust", 3}, {"manag", 1}},
		"meetings": {{"meet", 8}, {"agenda", 3}, {"team", 2}},
		"garden":   {{"soil", 6}, {"seed", 4}, {"compost", 3}},
		"garden2":  {{"seed", 5}, {"soil", 5}, {"water", 2}},
		"draft":    {{"soil", 9}, {"seed", 9}, {"compost", 9}},
		"lonely":   {{"unique", 3}},
	}
	opts := Options{PerPage: 10, Terms: func(p *content.Doc) []Term { return terms[p.Slug] }}
	s := New(pages, opts)
	rel := func(src string) string {
		var out []string
		for _, j := range s.Related[indexOf(t, s, src)] {
			out = append(out, strings.TrimPrefix(s.Essays[j].Source, "content/"))
		}
		return strings.Join(out, " ")
	}
	for _, tt := range []struct{ src, want string }{
		// The tag ties deleg2 and meetings; deleg2 shares two terms, meetings one.
		{"deleg.md", "deleg2.md meetings.md"},
		// The tag ties deleg and deleg2; deleg shares a term (team).
		{"meetings.md", "deleg.md deleg2.md"},
		{"garden.md", "garden2.md"}, // no tag shared; the draft never
		{"garden2.md", "garden.md"},
		{"lonely.md", ""},
		{"draft.md", "garden.md garden2.md"}, // a draft has related essays itself
	} {
		if got := rel(tt.src); got != tt.want {
			t.Errorf("related to %s: %q, want %q", tt.src, got, tt.want)
		}
	}
	// Terms decide what tags alone cannot: made the newest, meetings
	// comes first by tags alone (a tie goes to the newer); by terms
	// deleg2 still does.
	pages[2].Front.Date = pages[0].Front.Date.AddDate(0, 0, 5)
	byTags := New(pages, Options{PerPage: 10})
	s = New(pages, opts)
	if got := rel("deleg.md"); got != "deleg2.md meetings.md" {
		t.Errorf("with terms, related to deleg.md: %q, want deleg2.md first", got)
	}
	if first := byTags.Essays[byTags.Related[indexOf(t, byTags, "deleg.md")][0]].Source; first != "content/meetings.md" {
		t.Errorf("by tags alone the first related to deleg.md is %s, want meetings.md (the newer)", first)
	}
}

func dedupTags(tags []content.Tag) []content.Tag {
	var out []content.Tag
	seen := map[string]bool{}
	for _, t := range tags {
		if !seen[t.Slug] {
			seen[t.Slug] = true
			out = append(out, t)
		}
	}
	return out
}

// TestRelatedFromPrevious: the related essays of the last plan (or those
// known from the cache) are taken again while no essay's place, tags,
// draft state or top terms changed, and chosen afresh when one did.
func TestRelatedFromPrevious(t *testing.T) {
	pages := func(tagOfC string) []*content.Doc {
		return []*content.Doc{page("a.md", "2024-01-03", "x", "y"), page("b.md", "2024-01-02", "x"), page("c.md", "2024-01-01", tagOfC)}
	}
	terms := map[string][]Term{"a": {{"alpha", 2}}, "b": {{"alpha", 1}, {"beta", 1}}, "c": {{"beta", 3}}}
	termsOf := func(p *content.Doc) []Term { return terms[p.Slug] }
	first := New(pages("y"), Options{PerPage: 10, Terms: termsOf})
	again := New(pages("y"), Options{PerPage: 10, Terms: termsOf, Previous: first}) // new pages, same tags
	if &again.Related[0] != &first.Related[0] {
		t.Error("related essays chosen again though nothing changed")
	}
	known := New(pages("y"), Options{PerPage: 10, Terms: termsOf, Known: &Related{Key: first.RelatedKey, Lists: first.Related}})
	if &known.Related[0] != &first.Related[0] {
		t.Error("related essays chosen again though known under the same key")
	}
	changed := New(pages("z"), Options{PerPage: 10, Terms: termsOf, Previous: first})
	fresh := New(pages("z"), Options{PerPage: 10, Terms: termsOf})
	if !reflect.DeepEqual(changed.Related, fresh.Related) || reflect.DeepEqual(changed.Related, first.Related) {
		t.Errorf("after a tag changed: related %v, want %v (as a fresh plan)", changed.Related, fresh.Related)
	}
	// A term changed: chosen again, from the previous plan or the cache.
	terms["c"] = []Term{{"alpha", 3}}
	for name, o := range map[string]Options{
		"previous": {PerPage: 10, Terms: termsOf, Previous: first},
		"known":    {PerPage: 10, Terms: termsOf, Known: &Related{Key: first.RelatedKey, Lists: first.Related}},
	} {
		got := New(pages("y"), o)
		want := New(pages("y"), Options{PerPage: 10, Terms: termsOf})
		if got.RelatedKey == first.RelatedKey || !reflect.DeepEqual(got.Related, want.Related) || &got.Related[0] == &first.Related[0] {
			t.Errorf("%s, after a term changed: related %v, want %v (as a fresh plan)", name, got.Related, want.Related)
		}
	}
}

// benchRelatedSite is 10,000 essays as the generated corpus has them (two
// to four tags of 30), each with its 16 top terms drawn from 3,000 stems
// with a Zipf law, as words are.
func benchRelatedSite() ([]*content.Doc, map[*content.Doc][]Term) {
	rng := rand.New(rand.NewPCG(5, 6))
	zipf := rand.NewZipf(rng, 1.1, 1, 2999)
	var pages []*content.Doc
	terms := map[*content.Doc][]Term{}
	for i := range 10000 {
		var tags []string
		for range 2 + rng.IntN(3) {
			tags = append(tags, fmt.Sprintf("t%d", rng.IntN(30)))
		}
		p := page(fmt.Sprintf("e%d.md", i), fmt.Sprintf("20%02d-%02d-%02d", 10+i%15, 1+i%12, 1+i%28), tags...)
		p.Tags = dedupTags(p.Tags)
		seen := map[string]bool{}
		for len(terms[p]) < TopTerms {
			if st := fmt.Sprintf("w%d", zipf.Uint64()); !seen[st] {
				seen[st] = true
				terms[p] = append(terms[p], Term{st, 1 + rng.IntN(30)})
			}
		}
		pages = append(pages, p)
	}
	return pages, terms
}

// BenchmarkRelated10000 plans 10,000 essays with related essays by tags
// alone (no terms) and by tags and terms.
func BenchmarkRelated10000(b *testing.B) {
	pages, terms := benchRelatedSite()
	for _, bb := range []struct {
		name  string
		terms func(*content.Doc) []Term
	}{{"tags", nil}, {"tags+terms", func(p *content.Doc) []Term { return terms[p] }}} {
		b.Run(bb.name, func(b *testing.B) {
			for range b.N {
				New(pages, Options{PerPage: 10, Terms: bb.terms})
			}
		})
	}
}

// BenchmarkPlanAgain10000 plans 10,000 essays again with the previous
// plan's related essays, as a dev-server rebuild does.
func BenchmarkPlanAgain10000(b *testing.B) {
	pages, _ := benchRelatedSite()
	first := New(pages, Options{PerPage: 10})
	for b.Loop() {
		New(pages, Options{PerPage: 10, Previous: first})
	}
}
