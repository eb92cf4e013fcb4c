package build

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/markdown"
)

// wordsPerMinute is a common reading speed for essays.
const wordsPerMinute = 230

// generator assembles the pages of one build.
type generator struct {
	cfg       config.Config
	theme     *layout.Theme
	now       time.Time
	site      *Site
	pages     []*content.Page
	results   []*markdown.Result
	assetURLs layout.Assets
	generated map[string]bool

	siteData layout.Site
	essays   []*layout.Essay // newest first
	sources  map[*layout.Essay]string
	indexes  map[string]int // folder -> index of its index.md in pages
	tags     []layout.Tag
	byTag    map[string][]*layout.Essay
	jobs     []job
	shallow  map[*layout.Essay]*layout.Essay

	// For the render cache: see fingerprint.go.
	digests       map[*layout.Essay][32]byte
	contentDigest map[string][32]byte // essay URL -> its conversion's digest
	paramsJSON    []byte
	// prevRendered holds the pages of the previous build by output path;
	// rendered collects this build's for the next.
	prevRendered map[string]rendered
	rendered     map[string]rendered
}

// rendered is a page's bytes with the fingerprint of the data they came from.
type rendered struct {
	fp  [32]byte
	out []byte
}

// job is one HTML page to render.
type job struct {
	out    string // output path
	source string // what the page is built from, for errors
	data   *layout.Data
	fp     [32]byte
}

// model builds the data every template receives.
func (g *generator) model() {
	c := g.cfg
	g.generated = map[string]bool{}
	g.siteData = layout.Site{
		Title: c.Title, Description: c.Description, BaseURL: c.BaseURL, Language: c.Language,
		Author:  layout.Author{Name: c.Author.Name, Email: c.Author.Email, URL: c.Author.URL},
		FeedURL: "/feed.xml", Params: c.Params,
	}
	for _, m := range c.Menu {
		g.siteData.Menu = append(g.siteData.Menu, layout.Link{Label: m.Label, URL: m.URL})
	}
	g.sources = map[*layout.Essay]string{}
	g.digests = map[*layout.Essay][32]byte{}
	g.contentDigest = map[string][32]byte{}
	g.paramsJSON, _ = json.Marshal(c.Params) // encoding/json sorts map keys
	g.indexes = map[string]int{}
	tagNames := map[string]string{} // slug -> first spelling seen
	g.byTag = map[string][]*layout.Essay{}
	for i, p := range g.pages {
		if p.IsIndex {
			g.indexes[p.Dir] = i
			continue
		}
		r := g.results[i]
		e := &layout.Essay{
			Title: p.Title, URL: p.URL, Permalink: layout.AbsURL(c.BaseURL, p.URL),
			Date: p.Front.Date, Lastmod: p.Front.Lastmod, Draft: p.Front.Draft,
			Author:       layout.Author{Name: c.Author.Name, Email: c.Author.Email, URL: c.Author.URL},
			Content:      template.HTML(r.HTML),
			Summary:      template.HTML(r.Summary),
			SummaryText:  r.SummaryText,
			WordCount:    r.Words,
			ReadingTime:  max(1, (r.Words+wordsPerMinute/2)/wordsPerMinute),
			HasSelfCheck: r.SelfChecks > 0,
		}
		if a := strings.TrimSpace(p.Front.Author); a != "" {
			e.Author = layout.Author{Name: a}
		}
		if s := strings.TrimSpace(p.Front.Summary); s != "" {
			e.Summary = template.HTML("<p>" + template.HTMLEscapeString(s) + "</p>")
			e.SummaryText = s
		}
		e.Description = strings.TrimSpace(p.Front.Description)
		if e.Description == "" {
			e.Description = truncate(e.SummaryText, 160)
		}
		h2 := 0
		for _, h := range r.Headings {
			if h.Level == 2 || h.Level == 3 {
				e.TOC = append(e.TOC, layout.Heading{Level: h.Level, ID: h.ID, Text: h.Text})
			}
			if h.Level == 2 {
				h2++
			}
		}
		e.ShowTOC = h2 >= 3
		seen := map[string]bool{}
		for _, t := range p.Front.Tags {
			slug := content.Slugify(t)
			if slug == "" || seen[slug] {
				continue
			}
			seen[slug] = true
			if _, ok := tagNames[slug]; !ok {
				tagNames[slug] = strings.TrimSpace(t)
			}
			g.byTag[slug] = append(g.byTag[slug], e)
		}
		g.sources[e] = p.Source
		g.contentDigest[e.URL] = r.Digest
		g.essays = append(g.essays, e)
	}
	sortEssays(g.essays)
	for slug, list := range g.byTag {
		sortEssays(list)
		g.tags = append(g.tags, layout.Tag{Name: tagNames[slug], Slug: slug, URL: "/tags/" + slug + "/", Count: len(list)})
	}
	sort.Slice(g.tags, func(i, j int) bool { return g.tags[i].Slug < g.tags[j].Slug })
	tagBySlug := map[string]layout.Tag{}
	for _, t := range g.tags {
		tagBySlug[t.Slug] = t
	}
	for _, e := range g.essays {
		for _, slug := range tagSlugs(g.pageOf(e)) {
			e.Tags = append(e.Tags, tagBySlug[slug])
		}
		if dir := path.Dir(strings.TrimPrefix(g.sources[e], content.Dir+"/")); dir != "." {
			e.Section = &layout.Link{Label: g.sectionTitle(dir), URL: "/" + dir + "/"}
		}
	}
	// Lists and neighbours see shallow copies, without Prev and Next (see
	// layout.Essay), made before the links below are set.
	g.shallow = map[*layout.Essay]*layout.Essay{}
	for _, e := range g.essays {
		c := *e
		g.shallow[e] = &c
	}
	for i, e := range g.essays {
		if i > 0 {
			e.Next = g.shallow[g.essays[i-1]]
		}
		if i+1 < len(g.essays) {
			e.Prev = g.shallow[g.essays[i+1]]
		}
	}
	g.plan()
}

func (g *generator) pageOf(e *layout.Essay) *content.Page {
	src := g.sources[e]
	i := sort.Search(len(g.pages), func(i int) bool { return g.pages[i].Source >= src })
	return g.pages[i]
}

func tagSlugs(p *content.Page) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range p.Front.Tags {
		s := content.Slugify(t)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// sortEssays orders newest first; ties by title, then URL, so output is
// deterministic.
func sortEssays(l []*layout.Essay) {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.URL < b.URL
	})
}

func (g *generator) sectionTitle(dir string) string {
	if i, ok := g.indexes[dir]; ok {
		return g.pages[i].Title
	}
	name := path.Base(dir)
	return strings.ToUpper(name[:1]) + strings.ReplaceAll(name[1:], "-", " ")
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

func (g *generator) base(kind, title, description, url string) *layout.Data {
	if description == "" {
		description = g.cfg.Description
	}
	assets := g.assetURLs
	assets.SelfCheckJS, assets.SelfCheckCSS = "", "" // only essays that embed one load them
	return &layout.Data{
		Kind: kind, Site: g.siteData, Tags: g.tags, Assets: assets,
		Page:  layout.Page{Title: title, Description: description, URL: url, Permalink: layout.AbsURL(g.cfg.BaseURL, url), PageNumber: 1},
		Build: layout.BuildInfo{Version: Version, Time: g.now.UTC().Truncate(24 * time.Hour)},
	}
}

// outPath maps a URL with slashes at both ends to its index.html.
func outPath(url string) string {
	return strings.TrimPrefix(url+"index.html", "/")
}

// plan lists every HTML page to render.
func (g *generator) plan() {
	for _, e := range g.essays {
		d := g.base("essay", e.Title, e.Description, e.URL)
		d.Essay = e
		if e.HasSelfCheck {
			d.Assets = g.assetURLs
		}
		g.add(job{out: outPath(e.URL), source: g.sources[e], data: d})
		g.site.Stats.Pages++
	}
	// Home: content/index.md's text above every essay.
	homeText, homeTitle, homeSource := template.HTML(""), g.cfg.Title, "content/"
	if i, ok := g.indexes[""]; ok {
		homeText, homeSource = template.HTML(g.results[i].HTML), g.pages[i].Source
	}
	g.paginate("home", homeTitle, g.cfg.Description, "/", homeText, homeSource, g.essays, nil, nil)
	// Sections: every folder with essays or an index.md.
	dirs := map[string]bool{}
	for d := range g.indexes {
		if d != "" {
			dirs[d] = true
		}
	}
	for e, src := range g.sources {
		_ = e
		for d := path.Dir(strings.TrimPrefix(src, content.Dir+"/")); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	var dirList []string
	for d := range dirs {
		dirList = append(dirList, d)
	}
	sort.Strings(dirList)
	for _, dir := range dirList {
		var list []*layout.Essay
		for _, e := range g.essays {
			if strings.HasPrefix(g.sources[e], content.Dir+"/"+dir+"/") {
				list = append(list, e)
			}
		}
		var subs []layout.Link
		for _, d := range dirList {
			if path.Dir(d) == dir {
				subs = append(subs, layout.Link{Label: g.sectionTitle(d), URL: "/" + d + "/"})
			}
		}
		text, desc, src := template.HTML(""), "", content.Dir+"/"+dir+"/"
		if i, ok := g.indexes[dir]; ok {
			text, src = template.HTML(g.results[i].HTML), g.pages[i].Source
			desc = strings.TrimSpace(g.pages[i].Front.Description)
		}
		g.paginate("section", g.sectionTitle(dir), desc, "/"+dir+"/", text, src, list, nil, subs)
	}
	// Tags.
	d := g.base("tags", "Tags", "", "/tags/")
	g.add(job{out: "tags/index.html", source: "tags", data: d})
	g.site.Stats.Lists++
	for i := range g.tags {
		t := &g.tags[i]
		g.paginate("tag", "Essays tagged “"+t.Name+"”", "", t.URL, "", "tag "+t.Name, g.byTag[t.Slug], t, nil)
	}
	nf := g.base("404", "Page not found", "", "/404.html")
	g.add(job{out: "404.html", source: "404", data: nf})
	// Top-level sub-sections also show on the home page.
	for _, j := range g.jobs {
		if j.data.Kind == "home" {
			for _, dir := range dirList {
				if !strings.Contains(dir, "/") {
					j.data.Sections = append(j.data.Sections, layout.Link{Label: g.sectionTitle(dir), URL: "/" + dir + "/"})
				}
			}
		}
	}
}

func (g *generator) add(j job) {
	g.generated[j.out] = true
	g.jobs = append(g.jobs, j)
}

// paginate adds the pages of one list: url for the first, url/page/N/ after.
func (g *generator) paginate(kind, title, desc, url string, text template.HTML, source string, list []*layout.Essay, tag *layout.Tag, subs []layout.Link) {
	per := g.cfg.Paginate
	total := max(1, (len(list)+per-1)/per)
	pageURL := func(n int) string {
		if n == 1 {
			return url
		}
		return url + "page/" + strconv.Itoa(n) + "/"
	}
	for n := 1; n <= total; n++ {
		t := title
		if n > 1 {
			t = fmt.Sprintf("%s, page %d", title, n)
		}
		d := g.base(kind, t, desc, pageURL(n))
		d.Page.PageNumber = n
		if n == 1 {
			d.Page.Content = text
		}
		lo, hi := (n-1)*per, min(n*per, len(list))
		for _, e := range list[lo:hi] {
			d.Essays = append(d.Essays, g.shallow[e])
		}
		d.Paginator = &layout.Paginator{PageNumber: n, TotalPages: total, TotalEssays: len(list)}
		if n > 1 {
			d.Paginator.PrevURL = pageURL(n - 1)
		}
		if n < total {
			d.Paginator.NextURL = pageURL(n + 1)
		}
		d.Tag = tag
		d.Sections = subs
		g.add(job{out: outPath(pageURL(n)), source: source, data: d})
		g.site.Stats.Lists++
	}
}

// render executes every planned page on all cores, reusing the previous
// build's bytes for pages whose fingerprint did not change.
func (g *generator) render(ctx context.Context) diag.List {
	common := g.commonDigest()
	for i := range g.jobs {
		g.jobs[i].fp = g.fingerprint(common, g.jobs[i].data)
	}
	out := make([][]byte, len(g.jobs))
	errs := make([]error, len(g.jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				j := g.jobs[i]
				if prev, ok := g.prevRendered[j.out]; ok && prev.fp == j.fp {
					out[i] = prev.out
					continue
				}
				var b bytes.Buffer
				errs[i] = g.theme.Execute(&b, j.data, j.source)
				out[i] = b.Bytes()
			}
		}()
	}
	for i := range g.jobs {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	var diags diag.List
	g.rendered = make(map[string]rendered, len(g.jobs))
	for i, j := range g.jobs {
		if errs[i] != nil {
			diags = append(diags, diag.AsList(errs[i])...)
			continue
		}
		g.site.files[j.out] = out[i]
		g.rendered[j.out] = rendered{fp: j.fp, out: out[i]}
	}
	return diags
}
