package pipeline

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/url"
	"path"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/selfcheck"
)

// wordsPerMinute is a common reading speed for essays.
const wordsPerMinute = 230

// generator assembles the pages of one build.
type generator struct {
	b             *Builder
	cfg           config.Config
	theme         *layout.Theme // nil when the theme has errors
	now           time.Time
	fsys          fs.FS // the site's folder
	pages         []*content.Page
	urls          map[string]string
	out           output
	disk          *diskCache
	conv          *markdown.Converter
	mdFingerprint string
	keepHTML      bool
	stats         Stats
	writeErrs     []error
	converted     int64 // atomic
	rendered      int64 // atomic
	// mu guards generated and the used maps, written by all workers.
	mu          sync.Mutex
	listJobs    []page
	images      *siteFiles // published files other than pages, and image sizes
	keysUsed    map[*content.Page]mdKey
	derivedUsed map[*markdown.Result]derived
	// used collects the conversions of this build, for the next.
	used map[string]*markdown.Result
	// titles renders titles; titleUsed collects those goldmark rendered.
	titles    *markdown.Titles
	titleUsed map[string]markdown.Title

	siteData     layout.Site
	assetURLs    layout.Assets
	anySelfCheck atomic.Bool
	generated    map[string]bool
	common       [32]byte

	// essays are in order, newest first; src[i] is essays[i]'s page.
	essays  []*layout.Essay
	src     []*content.Page
	results []*markdown.Result // by essay, filled by the pipeline
	shallow []*layout.Essay    // by essay, filled by the pipeline
	indexes map[string]*content.Page
	tags    []layout.Tag
	byTag   map[string][]int // tag slug -> essay indexes
	dirs    []string         // folders with a list page

	digests []([32]byte)   // essay digests, filled by the pipeline
	filled  []*filledEssay // what fill made, for the Builder's next build
	keys    []string       // markdown cache keys, by essay
	htmls   [][]byte       // converted HTML held until the page is rendered
	// indexResults are the conversions of folders' index.md, by source.
	indexResults map[string]*markdown.Result
	indexHTMLs   map[string][]byte
}

// model builds what every page needs from the front matter alone: the
// essays in order with their URLs, tags and sections.
func (g *generator) model() {
	c := g.cfg
	g.generated = make(map[string]bool, 2*len(g.pages))
	g.siteData = layout.Site{
		Title: c.Title, Description: c.Description, BaseURL: c.BaseURL, Language: c.Language,
		Author:  layout.Author{Name: c.Author.Name, Email: c.Author.Email, URL: c.Author.URL},
		FeedURL: "/feed.xml", TagsURL: "/tags/", Params: c.Params,
	}
	for _, m := range c.Menu {
		g.siteData.Menu = append(g.siteData.Menu, layout.Link{Label: m.Label, URL: m.URL})
	}
	g.assetURLs = layout.Assets{
		Stylesheet: "/css/steward.css", SyntaxCSS: "/css/syntax.css",
		SelfCheckJS:  "/" + hashName("selfcheck", ".js", selfcheck.JS()),
		SelfCheckCSS: "/" + hashName("selfcheck", ".css", selfcheck.CSS()),
	}
	g.indexes = map[string]*content.Page{}
	for _, p := range g.pages {
		if p.IsIndex {
			g.indexes[p.Dir] = p
			continue
		}
		t, u := g.title(p.Title), escapeURL(p.URL)
		e := &layout.Essay{
			Title: t.Text, TitleHTML: t.HTML, URL: u, Permalink: layout.AbsURL(c.BaseURL, u),
			Date: p.Front.Date, Lastmod: p.Front.Lastmod, Draft: p.Front.Draft,
			Author:      layout.Author{Name: c.Author.Name, Email: c.Author.Email, URL: c.Author.URL},
			Description: strings.TrimSpace(p.Front.Description),
			Params:      p.Front.Params,
		}
		if a := strings.TrimSpace(p.Front.Author); a != "" {
			e.Author = layout.Author{Name: a}
		}
		g.essays = append(g.essays, e)
		g.src = append(g.src, p)
	}
	order := make([]int, len(g.essays))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := g.essays[order[x]], g.essays[order[y]]
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.URL < b.URL
	})
	essays, src := make([]*layout.Essay, len(order)), make([]*content.Page, len(order))
	for i, o := range order {
		essays[i], src[i] = g.essays[o], g.src[o]
	}
	g.essays, g.src = essays, src
	g.results = make([]*markdown.Result, len(essays))
	g.shallow = make([]*layout.Essay, len(essays))
	g.digests = make([][32]byte, len(essays))
	g.filled = make([]*filledEssay, len(essays))
	g.keys = make([]string, len(essays))
	g.htmls = make([][]byte, len(essays))

	// Tags, first spelling wins, counted once per essay.
	names := map[string]string{}
	g.byTag = map[string][]int{}
	for i, p := range g.src {
		for _, t := range p.Tags {
			if _, ok := names[t.Slug]; !ok {
				names[t.Slug] = t.Name
			}
			g.byTag[t.Slug] = append(g.byTag[t.Slug], i)
		}
	}
	for _, slug := range sortedKeys(g.byTag) {
		g.tags = append(g.tags, layout.Tag{Name: names[slug], Slug: slug, URL: escapeURL("/tags/" + slug + "/"), Count: len(g.byTag[slug])})
	}
	bySlug := map[string]layout.Tag{}
	for _, t := range g.tags {
		bySlug[t.Slug] = t
	}
	dirs := map[string]bool{}
	for d := range g.indexes {
		if d != "" {
			dirs[d] = true
		}
	}
	for i, e := range g.essays {
		if n := len(g.src[i].Tags); n > 0 {
			e.Tags = make([]layout.Tag, n)
			for k, t := range g.src[i].Tags {
				e.Tags[k] = bySlug[t.Slug]
			}
		}
		if dir := g.src[i].Dir; dir != "" {
			e.Section = &layout.Link{Label: g.sectionTitle(dir), URL: dirURL(dir)}
			for d := dir; d != "."; d = path.Dir(d) {
				dirs[d] = true
			}
		}
	}
	g.dirs = sortedKeys(dirs)
	g.common = g.commonDigest()
}

// sectionTitle is the plain title of a folder's list page: its index's
// title, else the folder's name.
func (g *generator) sectionTitle(dir string) string {
	return g.sectionTitleHTML(dir).Text
}

// sectionTitleHTML is sectionTitle in both forms (see markdown.Title).
func (g *generator) sectionTitleHTML(dir string) markdown.Title {
	if p, ok := g.indexes[dir]; ok && p.Title != "" {
		return g.title(p.Title)
	}
	name := path.Base(dir)
	r, n := utf8.DecodeRuneInString(name)
	return plainTitle(string(unicode.ToUpper(r)) + strings.ReplaceAll(name[n:], "-", " "))
}

// plainTitle is a title that is plain text, not Markdown.
func plainTitle(s string) markdown.Title {
	return markdown.Title{HTML: template.HTML(template.HTMLEscapeString(s)), Text: s}
}

// title renders a title written with inline Markdown, reusing the last
// build's rendering of titles that need goldmark.
func (g *generator) title(s string) markdown.Title {
	if markdown.PlainTitle(s) {
		return g.titles.Render(s)
	}
	t, ok := g.b.titleMemo[s]
	if !ok {
		t = g.titles.Render(s)
	}
	g.titleUsed[s] = t
	return t
}

// fill completes essay i with what its conversion found, and makes the
// shallow copy that neighbours and lists see (no Content, Prev or Next).
// An essay whose page, conversion and model data are those of the
// Builder's last build is completed as it was then: a dev-server rebuild
// of 10,000 essays need not derive and hash them all again.
func (g *generator) fill(i int, r *markdown.Result) {
	e, p := g.essays[i], g.src[i]
	g.results[i] = r
	if f := g.b.filled[p]; f != nil && f.result == r && sameModel(&f.model, e) {
		*e = *f.shallow
		g.shallow[i], g.digests[i] = f.shallow, f.digest
		g.filled[i] = f
		if e.HasSelfCheck {
			g.anySelfCheck.Store(true)
		}
		return
	}
	model := *e
	d := g.derive(r)
	e.Summary, e.SummaryText = d.summary, r.SummaryText
	if s := strings.TrimSpace(p.Front.Summary); s != "" {
		e.Summary = template.HTML("<p>" + template.HTMLEscapeString(s) + "</p>")
		e.SummaryText = s
	}
	if e.Description == "" {
		e.Description = d.description
		if p.Front.Summary != "" {
			e.Description = truncate(e.SummaryText, 160)
		}
	}
	e.WordCount = r.Words
	e.ReadingTime = max(1, (r.Words+wordsPerMinute/2)/wordsPerMinute)
	e.HasSelfCheck = r.SelfChecks > 0
	e.TOC, e.ShowTOC = d.toc, d.showTOC
	s := *e
	s.Content, s.Prev, s.Next = "", nil, nil
	g.shallow[i] = &s
	g.digests[i] = essayDigest(&s, p.Hash, p.Source, r.Digest)
	if g.keepHTML { // an in-memory build, whose Builder builds again
		g.filled[i] = &filledEssay{result: r, model: model, shallow: &s, digest: g.digests[i]}
	}
	if e.HasSelfCheck {
		g.anySelfCheck.Store(true)
	}
}

// filledEssay is what fill made of an essay, and from what.
type filledEssay struct {
	result  *markdown.Result
	model   layout.Essay // the essay as model made it, before fill
	shallow *layout.Essay
	digest  [32]byte
}

// sameModel reports whether model made the same essay twice: every field
// it sets (fill sets the others from the page and its conversion).
func sameModel(a, b *layout.Essay) bool {
	return a.Title == b.Title && a.TitleHTML == b.TitleHTML && a.URL == b.URL && a.Permalink == b.Permalink &&
		a.Date == b.Date && a.Lastmod == b.Lastmod && a.Author == b.Author &&
		a.Description == b.Description && a.Draft == b.Draft &&
		slices.Equal(a.Tags, b.Tags) && sameMap(a.Params, b.Params) &&
		(a.Section == nil) == (b.Section == nil) && (a.Section == nil || *a.Section == *b.Section)
}

// sameMap reports whether two front matter maps are one: a page's params
// are the same map for as long as the page is the same (and comparing
// their contents would cost a rebuild of 10,000 essays a walk of each).
func sameMap(a, b map[string]any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// derived is what an essay's page data takes from its conversion alone,
// remembered by the Builder for as long as the conversion is reused (a
// dev-server rebuild of 10,000 essays spent a third of its time here).
type derived struct {
	summary     template.HTML
	description string // the summary text, shortened
	toc         []layout.Heading
	showTOC     bool
}

func (g *generator) derive(r *markdown.Result) derived {
	d, ok := g.b.derived[r]
	if !ok {
		d.summary = template.HTML(r.Summary)
		d.description = truncate(r.SummaryText, 160)
		h2 := 0
		for _, h := range r.Headings {
			if h.Level == 2 || h.Level == 3 {
				d.toc = append(d.toc, layout.Heading{Level: h.Level, ID: h.ID, Text: h.Text})
			}
			if h.Level == 2 {
				h2++
			}
		}
		d.showTOC = h2 >= 3
	}
	g.mu.Lock()
	g.derivedUsed[r] = d
	g.mu.Unlock()
	return d
}

// truncate shortens s to at most n characters, at a word boundary, with
// an ellipsis.
func truncate(s string, n int) string {
	count, cutAt := 0, -1
	for i := range s {
		if count == n {
			cutAt = i
			break
		}
		count++
	}
	if cutAt < 0 {
		return s
	}
	cut := s[:cutAt]
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
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
		Page:  layout.Page{Title: title, TitleHTML: template.HTML(template.HTMLEscapeString(title)), Description: description, URL: url, Permalink: layout.AbsURL(g.cfg.BaseURL, url), PageNumber: 1},
		Build: layout.BuildInfo{Version: Version, Time: g.now.UTC().Truncate(24 * time.Hour)},
	}
}

// outPath maps a URL with slashes at both ends, percent-encoded as every
// URL of the model is, to its index.html: the file keeps the real name.
func outPath(u string) string {
	if p, err := url.PathUnescape(u); err == nil {
		u = p
	}
	return strings.TrimPrefix(u+"index.html", "/")
}

// aliasOut is the output path of an alias's redirect page: a folder's
// index.html, or the HTML file the alias names (see content.AliasPath).
func aliasOut(ap string) string {
	if strings.HasSuffix(ap, "/") {
		return outPath(ap)
	}
	if p, err := url.PathUnescape(ap); err == nil {
		ap = p
	}
	return strings.TrimPrefix(ap, "/")
}

// escapeURL percent-encodes a site path as it is written in pages, feeds
// and the sitemap: /my essay/ and /café/ become /my%20essay/ and
// /caf%C3%A9/ (slashes stay). Output files keep their real names.
func escapeURL(p string) string {
	for i := 0; i < len(p); i++ {
		if c := p[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '/' || c == '-' || c == '_' || c == '.') {
			return (&url.URL{Path: p}).EscapedPath()
		}
	}
	return p // the common case, without allocating: a rebuild does this for every page
}

// dirURL is the URL of a folder's list page ("notes" is /notes/).
func dirURL(dir string) string { return escapeURL("/" + dir + "/") }

// page is one HTML page to render.
type page struct {
	out    string // output path
	source string // what the page is built from, for errors
	data   *layout.Data
	list   []int // the essays listed, by index
}

// listPages plans every list page: home, sections, tags, tag pages, 404.
func (g *generator) listPages() []page {
	var jobs []page
	var homeSections []layout.Link
	for _, dir := range g.dirs {
		if !strings.Contains(dir, "/") {
			homeSections = append(homeSections, layout.Link{Label: g.sectionTitle(dir), URL: dirURL(dir)})
		}
	}
	all := make([]int, len(g.essays))
	for i := range all {
		all[i] = i
	}
	homeText, homeSource, homeTitle := template.HTML(""), "content/", plainTitle(g.cfg.Title)
	if p, ok := g.indexes[""]; ok {
		homeText, homeSource = g.indexHTML(p), p.Source
		if p.Title != "" {
			// The home page's own title (front matter, or the # heading
			// of a README that opens a handbook) heads it, as a folder's
			// does its list page; the browser tab keeps the site's name.
			homeTitle = g.title(p.Title)
		}
	}
	jobs = g.paginate(jobs, "home", homeTitle, g.cfg.Description, "/", homeText, homeSource, all, nil, homeSections)
	for _, dir := range g.dirs {
		var list []int
		for i, p := range g.src {
			if p.Dir == dir || strings.HasPrefix(p.Dir, dir+"/") {
				list = append(list, i)
			}
		}
		var subs []layout.Link
		for _, d := range g.dirs {
			if path.Dir(d) == dir {
				subs = append(subs, layout.Link{Label: g.sectionTitle(d), URL: dirURL(d)})
			}
		}
		text, desc, source := template.HTML(""), "", content.Dir+"/"+dir+"/"
		if p, ok := g.indexes[dir]; ok {
			text, source = g.indexHTML(p), p.Source
			desc = strings.TrimSpace(p.Front.Description)
		}
		jobs = g.paginate(jobs, "section", g.sectionTitleHTML(dir), desc, dirURL(dir), text, source, list, nil, subs)
	}
	jobs = append(jobs, page{out: "tags/index.html", source: "the tags page", data: g.base("tags", "Tags", "", "/tags/")})
	for i := range g.tags {
		t := &g.tags[i]
		jobs = g.paginate(jobs, "tag", plainTitle("Essays tagged “"+t.Name+"”"), "", t.URL, "", "the page of tag "+t.Name, g.byTag[t.Slug], t, nil)
	}
	jobs = append(jobs, page{out: "404.html", source: "the 404 page", data: g.base("404", "Page not found", "", "/404.html")})
	return jobs
}

// indexHTML is the converted text of a folder's index.md.
func (g *generator) indexHTML(p *content.Page) template.HTML {
	return template.HTML(g.indexHTMLs[p.Source])
}

// paginate plans the pages of one list: url for the first, url/page/N/ after.
func (g *generator) paginate(jobs []page, kind string, title markdown.Title, desc, url string, text template.HTML, source string, list []int, tag *layout.Tag, subs []layout.Link) []page {
	per := g.cfg.Paginate
	total := max(1, (len(list)+per-1)/per)
	pageURL := func(n int) string {
		if n == 1 {
			return url
		}
		return url + "page/" + strconv.Itoa(n) + "/"
	}
	for n := 1; n <= total; n++ {
		t, th := title.Text, title.HTML
		if n > 1 {
			t = fmt.Sprintf("%s, page %d", t, n)
			th += template.HTML(fmt.Sprintf(", page %d", n))
		}
		d := g.base(kind, t, desc, pageURL(n))
		d.Page.TitleHTML = th
		d.Page.PageNumber = n
		if n == 1 {
			d.Page.Content = text
		}
		items := list[(n-1)*per : min(n*per, len(list))]
		for _, i := range items {
			d.Essays = append(d.Essays, g.shallow[i])
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
		jobs = append(jobs, page{out: outPath(pageURL(n)), source: source, data: d, list: items})
	}
	return jobs
}

func jsonBytes(v any) []byte {
	b, _ := json.Marshal(v) // encoding/json sorts map keys
	return b
}
