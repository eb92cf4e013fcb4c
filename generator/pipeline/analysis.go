package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/plan"
	"github.com/steward-ssg/steward/generator/search"
)

// Every essay is analysed (package search) before the plan is made, in
// every build, whether search is on or not: the plan chooses related
// essays by the terms the analysis finds. The analysis is kept by the key
// of everything it is made from (analysisKey), which is known before the
// essay is converted: in the Builder's memory for the dev server, and in
// the persistent cache, encoded without its text, for the command line's
// builds. So an unchanged essay is neither converted nor analysed before
// the plan, and only its top terms are decoded; an essay whose analysis is
// not known is converted here (its conversion is then taken, not made
// again, by the essays' step) and analysed.

// essayAnalysis is what a build knows of one essay's analysis: its key,
// its top terms, and the analysis itself, decoded (entry, which may lack
// its text) or as the persistent cache holds it (encoded).
type essayAnalysis struct {
	key [32]byte
	// top is the essay's top terms (search.Entry.Top) by stem, as the
	// plan takes them for related essays.
	top     []plan.Term
	entry   *search.Entry
	encoded []byte
	// early is 1 + the essay's number in the search index when, as it was
	// analysed, its result file was written and it was added to the index
	// (see generator.early); 0 otherwise.
	early int
}

// docAnalysis is a page's analysis as the Builder keeps it for its next
// build: a page the Loader hands back is the same file, with the same
// front matter, so its analysis is the same while the conversion's key,
// the URL and the analyzer are; the dev server then makes no analysis key
// (a digest of title, date, tags...) for the essays an edit left alone.
type docAnalysis struct {
	md, url, analyzer string
	a                 *essayAnalysis
}

// planTerms returns top terms as the plan takes them, by stem.
func planTerms(top []search.Term) []plan.Term {
	out := make([]plan.Term, len(top))
	for i, t := range top {
		out[i] = plan.Term{Stem: t.Stem, Weight: t.Weight}
	}
	slices.SortFunc(out, func(a, b plan.Term) int { return strings.Compare(a.Stem, b.Stem) })
	return out
}

// analysisKey is the key of page p's analysis: the analyzer's
// fingerprint, the conversion's key md (which covers the file's bytes and
// every setting that shapes its HTML, headings and summary) and the rest
// of the search input, as the page gives it.
func (g *generator) analysisKey(p *content.Doc, md string) [32]byte {
	var b []byte
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	str(g.analyzer.Fingerprint())
	str(md)
	str(plan.EscapeURL(p.URL))
	str(g.title(p.Title).Text)
	str(searchDate(p))
	str(strings.TrimSpace(p.Front.Summary))
	b = binary.AppendUvarint(b, uint64(len(p.Tags)))
	for _, t := range p.Tags {
		str(t.Name)
	}
	return sha256.Sum256(b)
}

// searchDate is the date of page p as search results show it.
func searchDate(p *content.Doc) string {
	if p.Front.Date.IsZero() {
		return ""
	}
	return p.Front.Date.Format("January 2, 2006")
}

// searchInput is what the index is told of page p, converted as r: the
// summary as fill takes it, the tags as the page spells them.
func (g *generator) searchInput(p *content.Doc, r *markdown.Result, html []byte) search.Input {
	in := search.Input{URL: plan.EscapeURL(p.URL), Title: g.title(p.Title).Text, Date: searchDate(p), Summary: r.SummaryText, HTML: html}
	if s := strings.TrimSpace(p.Front.Summary); s != "" {
		in.Summary = s
	}
	for _, h := range r.Headings {
		in.Headings = append(in.Headings, h.Text)
	}
	for _, t := range p.Tags {
		in.Tags = append(in.Tags, t.Name)
	}
	return in
}

// analyseEssays finds or makes the analysis of every essay of pages, on
// all cores, and returns each essay's top terms for the plan.
func (g *generator) analyseEssays(ctx context.Context, pages []*content.Doc) (func(*content.Doc) []plan.Term, diag.List) {
	if g.b.analyzer == nil || g.b.analyzer.Fingerprint() != search.NewAnalyzer(g.cfg.Language).Fingerprint() {
		g.b.analyzer = search.NewAnalyzer(g.cfg.Language)
	}
	g.analyzer, g.analyzerFP = g.b.analyzer, g.b.analyzer.Fingerprint()
	var essays []*content.Doc
	for _, p := range pages {
		if !p.IsIndex {
			essays = append(essays, p)
		}
	}
	if g.b.once {
		g.searchOrder = map[*content.Doc]int{}
		order := plan.SearchOrder(essays)
		for id, p := range order {
			g.searchOrder[p] = id
		}
		g.early = search.NewIndex(len(order))
	}
	found := make([]*essayAnalysis, len(essays))
	convs := make([]*converted, len(essays))
	var mu sync.Mutex
	var diags diag.List
	parallel(ctx, len(essays), func(k int) {
		p := essays[k]
		err := protect(p.Source, "analysing it for search and related essays", func() error {
			var err error
			found[k], convs[k], err = g.analyseEssay(p)
			return err
		})
		if err != nil {
			mu.Lock()
			diags = append(diags, diag.AsList(err)...)
			mu.Unlock()
		}
	})
	g.analyses = make(map[*content.Doc]*essayAnalysis, len(essays))
	g.pre = map[*content.Doc]converted{}
	for k, p := range essays {
		if a := found[k]; a != nil {
			g.analyses[p] = a
			if !g.b.once {
				g.next.search[a.key] = a
				g.next.analysed[p] = docAnalysis{md: g.mdKeyOf(p).key, url: p.URL, analyzer: g.analyzerFP, a: a}
			}
		}
		if c := convs[k]; c != nil {
			g.pre[p] = *c
		}
	}
	terms := func(p *content.Doc) []plan.Term {
		if a := g.analyses[p]; a != nil {
			return a.top
		}
		return nil
	}
	return terms, diags
}

// planned lets the essays' top terms go once the plan has chosen related
// essays by them, in a one-shot build (the dev server's Builder keeps
// them for its next plan): 10,000 essays' terms are some 5 MB that
// nothing reads after the plan.
func (g *generator) planned() {
	if !g.b.once {
		return
	}
	for _, a := range g.analyses {
		a.top = nil
	}
}

// analyseEssay finds or makes the analysis of page p; when it converted
// p to make it, it returns the conversion too.
func (g *generator) analyseEssay(p *content.Doc) (*essayAnalysis, *converted, error) {
	md := g.mdKeyOf(p)
	if d, ok := g.b.analysed[p]; ok && d.md == md.key && d.url == p.URL && d.analyzer == g.analyzerFP {
		return d.a, nil, nil
	}
	key := g.analysisKey(p, md.key)
	if a := g.b.searchMemo[key]; a != nil {
		return a, nil, nil
	}
	if g.disk != nil {
		if b, ok := g.disk.Analysis(key); ok {
			if top, err := search.DecodeTop(b); err == nil {
				return &essayAnalysis{key: key, top: planTerms(top), encoded: b}, nil, nil
			}
		}
	}
	c := g.convert(p)
	if g.b.once {
		p.Release() // converted: the text is needed no more, as in essayPages
	}
	if c.result.Diags.HasErrors() {
		return nil, &c, nil // reported by the essays' step
	}
	html := c.html
	if html == nil {
		if g.disk == nil {
			return nil, &c, fmt.Errorf("%s: converted HTML is no longer available", p.Source)
		}
		var err error
		if html, err = g.disk.HTML(c.key); err != nil { // a conversion found in the cache
			return nil, &c, err
		}
	}
	e := g.analyzer.Analyze(g.searchInput(p, c.result, html))
	g.analysed.Add(1)
	a := &essayAnalysis{key: key, top: planTerms(e.Top()), entry: e}
	if g.b.once {
		// The essay's number in the index is known (the plan numbers
		// essays the same way): its result file is written now, while
		// the text is at hand, and the analysis added to the index, so
		// that the entry is let go at once. Only the cache keeps it, in
		// its compact form.
		if id, ok := g.searchOrder[p]; ok {
			f, sum := e.ResultFile(id)
			if err := g.out.write(resultPath(id), f.Data, sum); err != nil {
				return nil, &c, err
			}
			g.early.Add(id, e)
			a.early = id + 1
		}
		a.entry = nil
		if g.disk != nil {
			enc := e.Encode()
			g.disk.StoreAnalysis(key, enc)
			// Kept for the index when it has it not, or when it may be
			// made from the state the cache kept (indexFromState, after
			// an edit: few essays are analysed then). A first build
			// keeps none: 10,000 essays' analyses are 18 MB.
			if a.early == 0 || g.disk.SearchIndex().Key != ([32]byte{}) {
				a.encoded = enc
			}
			c.html = nil // read back from the cache when the page is rendered
		}
	} else if g.disk != nil {
		g.disk.StoreAnalysis(key, e.Encode())
	}
	return a, &c, nil
}
