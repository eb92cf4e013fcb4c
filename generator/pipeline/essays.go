package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"maps"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/plan"
)

// wordsPerMinute is a common reading speed for essays.
const wordsPerMinute = 230

// essay is one essay's state through a build: made by newEssays from the
// plan, completed by its conversion, then rendered.
type essay struct {
	doc *content.Doc
	// data is the essay as its neighbours and the lists show it, shallow:
	// no Content, Prev or Next. Its own page renders a copy that adds
	// them, so data is never written once filled, and one copy of it is
	// held per essay, not two.
	data   *layout.Essay
	result *markdown.Result
	key    string // the conversion's cache key
	// html is the converted HTML, held from conversion until the page (and,
	// for the newest essays, the feed) is written.
	html   []byte
	digest [32]byte // see essayDigest
	filled *filledEssay
	// indexed is set once the essay is in the search index (or is one
	// that stays out of it).
	indexed bool
	// series and related are what the essay's own page shows of its
	// series and related essays (see layout.Essay); seriesOf and
	// relatedTo are their essays' numbers, whose refSums the page's
	// fingerprint covers.
	series    *layout.Series
	related   []layout.EssayRef
	seriesOf  []int
	relatedTo []int
	// refSum covers what other pages show of this essay in a link to it
	// (see layout.EssayRef): a page links up to a dozen essays, and
	// hashing each link's fields again on every page cost a dev-server
	// rebuild of 10,000 essays 7% of its CPU time.
	refSum [32]byte
}

// essayHead is what an essay's page data takes from its page alone (its
// title, URL and date) and the site's base URL, with the digest of a link
// to it: the Builder keeps the last build's, taken again while those
// inputs are the same, as a dev-server rebuild of 10,000 essays spent a
// tenth of its time making them again.
type essayHead struct {
	// The inputs.
	source, rawTitle, rawURL, base string
	date                           time.Time
	// What is made of them.
	title     markdown.Title
	ref       layout.EssayRef
	permalink string
	refSum    [32]byte // see essay.refSum
}

// head returns page p's essay head, made once per build (see heads), and
// again only when its inputs changed since the last. It is called from one
// goroutine (the plan, then newEssays).
func (g *generator) head(p *content.Doc) *essayHead {
	if h := g.next.heads[p]; h != nil {
		return h
	}
	h := g.makeHead(p)
	g.next.heads[p] = h
	return h
}

// heads makes the heads of the essays among pages on all cores, before
// the plan asks for them one at a time: a one-shot build of 10,000 essays
// spent some 30 ms of its plan making them on one core.
func (g *generator) heads(ctx context.Context, pages []*content.Doc) {
	const chunk = 256
	hs := make([]*essayHead, len(pages))
	parallel(ctx, (len(pages)+chunk-1)/chunk, func(c int) {
		for i := c * chunk; i < min(len(pages), (c+1)*chunk); i++ {
			if !pages[i].IsIndex {
				hs[i] = g.makeHead(pages[i])
			}
		}
	})
	for i, h := range hs {
		if h != nil {
			g.next.heads[pages[i]] = h
		}
	}
}

// makeHead makes page p's essay head, or takes the last build's again.
// It is safe for concurrent use.
func (g *generator) makeHead(p *content.Doc) *essayHead {
	base := g.cfg.BaseURL
	h := g.b.heads[p]
	// time.Time's == also compares the location, which Dated follows.
	if h == nil || h.source != p.Source || h.rawTitle != p.Title || h.rawURL != p.URL || h.base != base || h.date != p.Front.Date {
		t, u := g.title(p.Title), plan.EscapeURL(p.URL)
		h = &essayHead{source: p.Source, rawTitle: p.Title, rawURL: p.URL, base: base, date: p.Front.Date, title: t, permalink: layout.AbsURL(base, u)}
		h.ref = layout.EssayRef{Title: t.Text, TitleHTML: t.HTML, URL: u, Date: p.Front.Date}
		h.ref.DateISO, h.ref.DateText = layout.Dated(p.Front.Date)
		h.refSum = refDigest(&h.ref)
	} else if !markdown.PlainTitle(p.Title) {
		g.mu.Lock()
		g.next.titles[p.Title] = h.title // kept for the lists that show it
		g.mu.Unlock()
	}
	return h
}

// newEssays makes the essays' page data from their front matter and the
// plan, before any is converted.
func (g *generator) newEssays(site *plan.Site) []*essay {
	c := g.cfg
	author := layout.Author{Name: c.Author.Name, Email: c.Author.Email, URL: c.Author.URL}
	essays := make([]*essay, len(site.Essays))
	states := make([]essay, len(essays)) // one allocation, not one an essay
	refs := make([]layout.EssayRef, len(essays))
	heads := make([]*essayHead, len(essays))
	for i, p := range site.Essays {
		heads[i] = g.head(p) // (head is for one goroutine)
	}
	// The essays are made on all cores: each is its own, and making them
	// one after another was ~20 ms of every 10,000-essay rebuild.
	const chunk = 256
	parallel(context.Background(), (len(essays)+chunk-1)/chunk, func(ch int) {
		for i := ch * chunk; i < min(len(essays), (ch+1)*chunk); i++ {
			g.newEssay(site, i, heads[i], author, &states[i])
			essays[i], refs[i] = &states[i], heads[i].ref
		}
	})
	for _, sr := range site.Series {
		parts := make([]layout.EssayRef, len(sr.Essays))
		for n, i := range sr.Essays {
			parts[n] = refs[i]
		}
		for n, i := range sr.Essays {
			essays[i].series = &layout.Series{Name: sr.Name, URL: sr.URL, Part: n + 1, Total: len(parts), Parts: parts}
			essays[i].seriesOf = sr.Essays
		}
	}
	for i, rel := range site.Related {
		if len(rel) == 0 {
			continue
		}
		related := make([]layout.EssayRef, len(rel))
		for k, j := range rel {
			related[k] = refs[j]
		}
		essays[i].related, essays[i].relatedTo = related, rel
	}
	if g.b.once {
		// The heads are made for the plan and the page data, both made
		// now, and kept only for a Builder's next build: 10,000 are some
		// 3 MB that a one-shot build would hold to its end.
		g.next.heads = map[*content.Doc]*essayHead{}
	}
	return essays
}

// newEssay makes essay i's state, with its page data from its front
// matter, the plan and its head h, before it is converted.
func (g *generator) newEssay(site *plan.Site, i int, h *essayHead, author layout.Author, st *essay) {
	c, p := g.cfg, site.Essays[i]
	e := &layout.Essay{
		Title: h.ref.Title, TitleHTML: h.ref.TitleHTML, URL: h.ref.URL, Permalink: h.permalink,
		Date: p.Front.Date, Lastmod: p.Front.Lastmod, Draft: p.Front.Draft,
		Author:      author,
		Description: strings.TrimSpace(p.Front.Description),
		Params:      p.Front.Params,
		DateISO:     h.ref.DateISO, DateText: h.ref.DateText,
	}
	if a := strings.TrimSpace(p.Front.Author); a != "" {
		e.Author = layout.Author{Name: a}
	}
	if tags := site.TagsOf(i); len(tags) > 0 {
		e.Tags = make([]layout.Tag, len(tags))
		for k, t := range tags {
			e.Tags[k] = g.tags[t]
		}
	}
	if p.Dir != "" {
		e.Section = &layout.Link{Label: g.sectionTitle(site, p.Dir).Text, URL: plan.DirURL(p.Dir)}
	}
	e.Image, _ = g.essayImage(p)
	e.Card = p.Front.Image == "" && c.Cards.Draw
	if e.Card {
		e.Image = e.Permalink + "card.png"
	}
	*st = essay{doc: p, data: e, refSum: h.refSum}
}

// essayPages converts every essay and index page on all cores and renders
// each essay's page as soon as it and its neighbours are converted, so
// converted HTML is held only briefly. It returns the index pages'
// conversions, by source, for their list pages.
func (g *generator) essayPages(ctx context.Context, site *plan.Site, essays []*essay) (map[string]converted, diag.List) {
	n := len(essays)
	var mu sync.Mutex // guards diags, done and dispatched
	var diags diag.List
	done := make([]bool, n)
	dispatched := make([]bool, n)
	ready := func(j int) bool {
		return done[j] && (j == 0 || done[j-1]) && (j == n-1 || done[j+1])
	}
	var failed atomic.Bool

	indexes := map[string]converted{}
	for _, dir := range slices.Sorted(maps.Keys(site.Indexes)) {
		p := site.Indexes[dir]
		c := g.convert(p)
		if c.html == nil && g.disk != nil {
			var err error
			if c.html, err = g.disk.HTML(c.key); err != nil {
				diags.Add(diag.Pos{File: p.Source}, "%v", err)
			}
		}
		indexes[p.Source] = c
		diags.Append(c.result.Diags)
		if c.result.Diags.HasErrors() {
			failed.Store(true)
		}
	}

	// Work goes out in chunks of essays, in order; the worker that
	// completes an essay renders, then and there, every page that its
	// conversion made ready (its own and its neighbours'), so no page waits
	// in a queue behind conversions and converted HTML is held briefly.
	const chunk = 16
	jobs := make(chan [2]int)
	go func() {
		defer close(jobs)
		for lo := 0; lo < n; lo += chunk {
			select {
			case jobs <- [2]int{lo, min(lo+chunk, n)}:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var render []int
			for c := range jobs {
				for i := c[0]; i < c[1]; i++ {
					e := essays[i]
					conv := g.convert(e.doc)
					if g.b.once {
						e.doc.Release() // converted: the text is needed no more
					}
					if conv.result.Diags.HasErrors() {
						failed.Store(true)
					}
					e.html, e.key = conv.html, conv.key
					g.fill(e, conv.result)
					var ixErr error
					if !conv.result.Diags.HasErrors() {
						// (An essay with errors has no analysis, and
						// the build fails with its errors.)
						ixErr = protect(e.doc.Source, "indexing it for search", func() (err error) {
							e.indexed, err = g.indexEssay(e, i, conv.html)
							return err
						})
					}
					if ixErr != nil {
						failed.Store(true)
					}
					render = render[:0]
					mu.Lock()
					diags.Append(conv.result.Diags)
					if ixErr != nil {
						diags = append(diags, diag.AsList(ixErr)...)
					}
					done[i] = true
					for k := i - 1; k <= i+1; k++ {
						if k >= 0 && k < n && !dispatched[k] && ready(k) {
							dispatched[k] = true
							render = append(render, k)
						}
					}
					mu.Unlock()
					for _, k := range render {
						if err := g.renderEssay(essays, k, failed.Load()); err != nil {
							failed.Store(true)
							mu.Lock()
							diags = append(diags, diag.AsList(err)...)
							mu.Unlock()
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return indexes, diags
	}
	diags = append(diags, g.essayCards(ctx, essays)...)
	// Links to headings can be checked only now that every essay is known.
	results := make(map[string]*markdown.Result, n+len(indexes))
	for _, e := range essays {
		results[e.doc.Source] = e.result
	}
	for s, c := range indexes {
		results[s] = c.result
	}
	checkFragments(results, g.cfg.Links.BrokenSeverity(), &diags)
	g.paths = pathLinks(results, g.urls)
	if g.b.once {
		// Nothing reads the conversions after this: let them go.
		for _, e := range essays {
			e.result = nil
		}
	}
	return indexes, diags
}

// converted is a page's conversion, its HTML (nil when it must be read
// back from the persistent cache) and its cache key.
type converted struct {
	result *markdown.Result
	html   []byte
	key    string
}

// convert returns the conversion of page p and its HTML, from the
// Builder's memory, the persistent cache, or goldmark.
func (g *generator) convert(p *content.Doc) converted {
	g.mu.Lock()
	c, ok := g.pre[p]
	delete(g.pre, p) // taken once: held no longer than its essay holds it
	g.mu.Unlock()
	if ok {
		return c // converted before the plan, for its analysis (see analyseEssays)
	}
	k := g.mdKeyOf(p)
	if !g.b.once { // what the Builder keeps for its next build
		g.mu.Lock()
		g.next.keys[p] = k
		g.mu.Unlock()
	}
	key, r := k.key, g.b.results[k.key]
	if r == nil && g.disk != nil {
		r = g.disk.Result(key)
	}
	if r != nil && linksStillResolve(r, g.urls) && g.images.imagesStillHold(r) {
		g.remember(key, r)
		return converted{r, r.HTML, key}
	}
	body, err := content.ReadBody(g.fsys, p) // a known file's page has no Body
	if err != nil {
		r = &markdown.Result{}
		r.Diags.Add(diag.Pos{File: p.Source}, "%v", err)
		return converted{r, nil, key}
	}
	err = protect(p.Source, "converting its Markdown", func() error {
		if g.b.convertHook != nil {
			g.b.convertHook(p.Source)
		}
		r = g.conv.Convert(markdown.Input{File: p.Source, Body: body, LineOffset: p.BodyLine - 1, Root: content.Dir, Resolve: func(source string) (string, bool) {
			u, ok := g.urls[source]
			return u, ok
		}})
		return nil
	})
	if err != nil {
		return converted{&markdown.Result{HTML: []byte{}, Diags: diag.AsList(err)}, nil, key}
	}
	g.converted.Add(1)
	html := r.HTML
	if !r.Diags.HasErrors() {
		if g.disk != nil {
			g.disk.AddResult(key, r)
		}
		if g.b.once {
			// The HTML lives until its page is written; what the Builder
			// keeps of the conversion need not hold it.
			c := *r
			c.HTML = nil
			r = &c
		}
		g.remember(key, r)
	}
	return converted{r, html, key}
}

// mdKeyOf returns the conversion cache key of page p.
func (g *generator) mdKeyOf(p *content.Doc) mdKey {
	k, ok := g.b.keys[p]
	if !ok || k.fingerprint != g.mdFingerprint {
		k = mdKey{mdKeyFor(p.Source, p.BodyLine, p.BodyHash, g.mdFingerprint), g.mdFingerprint}
	}
	return k
}

// mdKeyFor is the hex SHA-256 of the engine's version, the page's source
// path and the line its body starts on, the Markdown settings'
// fingerprint, each ended by a zero byte, then the body's hash. The bytes
// are gathered and hashed at once: a one-shot build makes a key per essay,
// and writing them through fmt.Fprintf into a hash took a warm
// 10,000-essay build 40 ms of CPU time.
func mdKeyFor(source string, bodyLine int, bodyHash [32]byte, fingerprint string) string {
	var buf [512]byte
	b := append(buf[:0], engineVersion...)
	b = append(b, 0)
	b = append(b, source...)
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(bodyLine), 10)
	b = append(b, 0)
	b = append(b, fingerprint...)
	b = append(b, 0)
	b = append(b, bodyHash[:]...)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// remember records a conversion for the Builder's next build, if there
// is one.
func (g *generator) remember(key string, r *markdown.Result) {
	if g.b.once {
		return
	}
	g.mu.Lock()
	g.next.results[key] = r
	g.mu.Unlock()
}

// htmlOf returns an essay's HTML: held since conversion, or from the cache.
func (g *generator) htmlOf(e *essay) ([]byte, error) {
	if e.html != nil {
		return e.html, nil
	}
	if e.result != nil && e.result.HTML != nil {
		return e.result.HTML, nil
	}
	if g.disk != nil {
		return g.disk.HTML(e.key)
	}
	return nil, fmt.Errorf("%s: converted HTML is no longer available", e.doc.Source)
}

// renderEssay renders essay i's page, or keeps the previous one when its
// data did not change. skip is set once any essay failed: the build will
// fail, so nothing is rendered.
func (g *generator) renderEssay(essays []*essay, i int, skip bool) error {
	e := essays[i]
	defer func() {
		if g.b.once && i >= feedSize {
			e.html = nil // the feed carries only the newest
		}
	}()
	if skip || g.theme == nil {
		return nil
	}
	p := plan.OutPath(e.data.URL)
	fp := g.essayFingerprint(essays, i)
	if g.out.reuse(p, fp) {
		return nil
	}
	d := g.base(layout.KindEssay, e.data.Title, e.data.Description, e.data.URL)
	d.Page.TitleHTML = e.data.TitleHTML
	if e.data.HasSelfCheck {
		d.Assets = g.assetURLs
	}
	html, err := g.htmlOf(e)
	if err != nil {
		return err
	}
	c := *e.data
	c.Content = template.HTML(html)
	c.Series, c.Related = e.series, e.related
	if i+1 < len(essays) {
		c.Prev = essays[i+1].data
	}
	if i > 0 {
		c.Next = essays[i-1].data
	}
	d.Essay = &c
	// Room for the essay and the default theme's page around it, so the
	// buffer is not grown (and copied) four or five times a page.
	buf := bytes.NewBuffer(make([]byte, 0, len(html)+8<<10))
	if err := protect(e.doc.Source, "rendering its page", func() error { return g.theme.Execute(buf, d, e.doc.Source) }); err != nil {
		return err
	}
	g.rendered.Add(1)
	return g.out.write(p, buf.Bytes(), fp)
}

// fill completes an essay with what its conversion found. An essay whose page,
// conversion and model data are those of the Builder's last build is
// completed as it was then: a dev-server rebuild of 10,000 essays need not
// derive and hash them all again.
func (g *generator) fill(es *essay, r *markdown.Result) {
	e, p := es.data, es.doc
	es.result = r
	if g.b.once {
		// Only checkFragments reads the conversion after this, once
		// every essay is converted; the summary is in the page data now,
		// and need not be held twice for every essay until then.
		t := *r
		t.Summary = nil
		es.result = &t
	}
	if f := g.b.filled[p]; f != nil && f.result == r && sameModel(&f.model, e) {
		es.data, es.digest, es.filled = f.data, f.digest, f
		return
	}
	model := *e
	d := g.derive(r)
	e.Summary, e.SummaryText = summaryOn(d.summary, e.URL), r.SummaryText
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
	es.digest = essayDigest(e, p.Hash, p.Source, r.Digest)
	if !g.b.once { // the Builder builds again
		es.filled = &filledEssay{result: r, model: model, data: e, digest: es.digest}
	}
}

// filledEssay is what fill made of an essay, and from what.
type filledEssay struct {
	result *markdown.Result
	model  layout.Essay // the essay as newEssays made it, before fill
	data   *layout.Essay
	digest [32]byte
}

// sameModel reports whether newEssays made the same essay twice: every
// field it sets (fill sets the others from the page and its conversion).
func sameModel(a, b *layout.Essay) bool {
	return a.Title == b.Title && a.TitleHTML == b.TitleHTML && a.URL == b.URL && a.Permalink == b.Permalink &&
		a.Date == b.Date && a.DateISO == b.DateISO && a.DateText == b.DateText && a.Lastmod == b.Lastmod && a.Author == b.Author &&
		a.Description == b.Description && a.Draft == b.Draft && a.Image == b.Image && a.Card == b.Card &&
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
	if g.b.once {
		return d // no next build to keep it for
	}
	g.mu.Lock()
	g.next.derived[r] = d
	g.mu.Unlock()
	return d
}

// summaryOn makes the summary's links to its own page's anchors
// (href="#soil") point there from the list pages that show it
// (href="/essay/#soil"): on a list page they would name nothing.
func summaryOn(summary template.HTML, url string) template.HTML {
	const local = `href="#`
	if !strings.Contains(string(summary), local) {
		return summary
	}
	return template.HTML(strings.ReplaceAll(string(summary), local, `href="`+url+`#`))
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

func linksStillResolve(r *markdown.Result, urls map[string]string) bool {
	for _, l := range r.Links {
		if strings.HasPrefix(l.URL, "#") {
			continue
		}
		if urls[l.Target] != l.URL {
			return false
		}
	}
	return true
}

// checkFragments reports links to an anchor that the target lacks, with
// the given severity (site.yaml's links.broken), in the essays converted
// (results, by source).
//
// A target that holds another generator's syntax that would have made
// content there (markdown.Result.Unrun: a Hugo shortcode, say, which
// makes the glossary's anchors on letsencrypt.org) may have had the
// anchor from it, so such a link is not proven broken: the links to each
// such target are one warning, at the first of them.
func checkFragments(results map[string]*markdown.Result, sev diag.Severity, diags *diag.List) {
	type unproven struct {
		first markdown.Link
		more  int
	}
	unsure := map[string]*unproven{}
	// Only the pages that link to an anchor are looked at, in order
	// (sorting every page's source was ~5 ms of a 10,000-essay rebuild).
	var sources []string
	for source, r := range results {
		for _, l := range r.Links {
			if l.Fragment != "" {
				sources = append(sources, source)
				break
			}
		}
	}
	slices.Sort(sources)
	for _, source := range sources {
		for _, l := range results[source].Links {
			if l.Fragment == "" {
				continue
			}
			target := results[l.Target]
			if target == nil || target.HasAnchor(l.Fragment) {
				continue
			}
			if target.Unrun != "" {
				if u := unsure[l.Target]; u != nil {
					u.more++
				} else {
					unsure[l.Target] = &unproven{first: l}
				}
				continue
			}
			*diags = append(*diags, diag.New(l.Pos, sev, "link to #%s: %s has no heading or anchor with that id; %s", l.Fragment, l.Target, fragmentHint(l, target)))
		}
	}
	for _, target := range slices.Sorted(maps.Keys(unsure)) {
		u, r := unsure[target], results[target]
		more := ""
		if u.more > 0 {
			more = fmt.Sprintf(" (and so may %d more links to anchors it lacks)", u.more)
		}
		*diags = append(*diags, diag.Warnf(u.first.Pos, "link to #%s: %s has no heading or anchor with that id, but %s there, which Steward does not run, may have made it%s; Steward cannot check such links, and readers will not find these anchors: replace it with Markdown (an anchor is <a id=\"%s\"></a>)",
			u.first.Fragment, target, r.Unrun, more, u.first.Fragment))
	}
}

// fragmentHint says what may have been meant by a link to an anchor the
// target lacks: the id another style of heading ids made, the spelling of
// an emoji, a near id, or the ids there are.
func fragmentHint(l markdown.Link, target *markdown.Result) string {
	var ids []string
	for _, h := range target.Headings {
		ids = append(ids, h.ID)
	}
	hint := "it has no headings"
	if style, h := target.IDStyleFor(l.Fragment); style != "" {
		hint = fmt.Sprintf("#%s is the id %s makes of the heading %q; set markdown.headingIDs: %s in site.yaml to make ids that way, or link to #%s", l.Fragment, style, h.Text, style, h.ID)
	} else if h := emojiIDHint(target, l.Fragment); h != "" {
		hint = h // emojiids.go
	} else if len(ids) > 0 {
		if near := diag.Nearest(l.Fragment, ids); near != "" {
			hint = fmt.Sprintf("did you mean #%s?", near)
		} else {
			hint = "its headings are #" + strings.Join(ids, ", #")
		}
	}
	return hint
}
