package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/steward-ssg/steward/generator/card"
	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/plan"
	"github.com/steward-ssg/steward/generator/search"
	"github.com/steward-ssg/steward/generator/selfcheck"
)

// generator is what the steps of one build share, set once before the
// first step and only read after; each step hands what it makes to the
// next as its result. (Its mutex guards next, which collects what this
// build used for the Builder's next build, and the counters are atomic.)
type generator struct {
	b             *Builder
	cfg           config.Config
	theme         *layout.Theme // nil when the theme has errors
	now           time.Time
	fsys          fs.FS // the site's folder
	urls          map[string]string
	out           Output
	disk          persistentCache // nil without a cache folder
	conv          *markdown.Converter
	mdFingerprint string
	analyzerFP    string     // analyzer's Fingerprint
	images        *siteFiles // published files other than pages, and image sizes
	titles        *markdown.Titles
	// search analyses essays for the search index, which collects them
	// under their numbers in it (searchIDs, by essay number; -1 for an
	// essay left out).
	cards     *card.Drawer // nil when the site's font cannot be used
	analyzer  *search.Analyzer
	index     searchState
	searchIDs []int
	// analyses are the essays' analyses, by page; pre the conversions
	// made to analyse them before the plan (see analyseEssays).
	analyses map[*content.Doc]*essayAnalysis
	pre      map[*content.Doc]converted
	// searchOrder numbers the essays of the search index before the plan
	// does (plan.SearchOrder), so that an essay analysed by a one-shot
	// build has its result file written at once (see analyseEssay).
	searchOrder map[*content.Doc]int
	// early is the index a one-shot build adds each essay to as it
	// analyses it (see analyseEssay); the essays found analysed in the
	// cache are added when the index is built.
	early *search.Index

	// What every page shows of the site, and its digest.
	siteData  layout.Site
	assetURLs layout.Assets
	tags      []layout.Tag // in the plan's order
	common    [32]byte

	mu   sync.Mutex
	next memory

	// paths are the pages' links to paths of the site, checked once
	// every URL is known (pathlinks.go).
	paths []pathLink

	converted, rendered, drawn, analysed atomic.Int64
	writeErrs                            []error // from put, which runs in one goroutine
}

// memory is what a build leaves its Builder for the next build.
type memory struct {
	results  map[string]*markdown.Result // conversions by cache key
	keys     map[*content.Doc]mdKey
	derived  map[*markdown.Result]derived
	titles   map[string]markdown.Title   // titles goldmark rendered
	search   map[[32]byte]*essayAnalysis // essays analysed, by analysis key (see analysisKey)
	analysed map[*content.Doc]docAnalysis
	heads    map[*content.Doc]*essayHead
}

// shared sets what every page shows of the site, once the plan is made.
func (g *generator) shared(site *plan.Site) {
	c := g.cfg
	g.siteData = layout.Site{
		Title: c.Title, Description: c.Description, BaseURL: c.BaseURL, Language: c.Language,
		Author:  layout.Author{Name: c.Author.Name, Email: c.Author.Email, URL: c.Author.URL},
		FeedURL: "/feed.xml", TagsURL: "/tags/", Params: c.Params,
	}
	if c.Search.Enabled {
		g.siteData.SearchURL = plan.SearchURL
	}
	for _, m := range c.Menu {
		g.siteData.Menu = append(g.siteData.Menu, layout.Link{Label: m.Label, URL: m.URL})
	}
	g.assetURLs = layout.Assets{
		Stylesheet: "/css/steward.css", SyntaxCSS: "/css/syntax.css",
		SelfCheckJS:  "/" + hashName("selfcheck", ".js", selfcheck.JS()),
		SelfCheckCSS: "/" + hashName("selfcheck", ".css", selfcheck.CSS()),
		SearchJS:     "/" + hashName("search", ".js", search.JS()), SearchIndex: plan.SearchURL,
	}
	g.tags = make([]layout.Tag, len(site.Tags))
	for k, t := range site.Tags {
		g.tags[k] = layout.Tag{Name: t.Name, Slug: t.Slug, URL: t.URL, Count: len(t.Essays)}
	}
	g.common = g.commonDigest()
}

// generated lists the output paths of the pages the plan makes, which no
// file of static/ or beside the essays may replace.
func generated(site *plan.Site, essays []*essay, lists []listPage) map[string]bool {
	gen := make(map[string]bool, len(essays)+len(lists)+len(site.Aliases)+2)
	for _, e := range essays {
		gen[plan.OutPath(e.data.URL)] = true
	}
	for _, l := range lists {
		gen[l.Out] = true
	}
	for _, a := range site.Aliases {
		gen[a.Out] = true
	}
	for _, e := range essays {
		if e.data.Card {
			gen[cardPath(e.data)] = true
		}
	}
	gen["feed.xml"], gen["sitemap.xml"] = true, true
	return gen
}

// put hands a generated (non-template) file to the output.
func (g *generator) put(p string, data []byte) {
	g.putSum(p, data, sha256Sum(data))
}

// putSum is put of data whose SHA-256 is known.
func (g *generator) putSum(p string, data []byte, sum [32]byte) {
	if err := g.out.write(p, data, sum); err != nil {
		g.writeErrs = append(g.writeErrs, fmt.Errorf("%s: %w", p, err))
	}
}

// assets writes the generated assets: the syntax stylesheet and, when an
// essay embeds a self-check, the widget's script and stylesheet. It
// returns their output paths.
func (g *generator) assets(essays []*essay) ([]string, error) {
	css, err := markdown.SyntaxCSS(g.cfg.Markdown.Highlight.Light, g.cfg.Markdown.Highlight.Dark)
	if err != nil {
		return nil, err
	}
	g.put("css/syntax.css", css)
	paths := []string{"css/syntax.css"}
	for _, e := range essays {
		if e.data.HasSelfCheck {
			js, css := strings.TrimPrefix(g.assetURLs.SelfCheckJS, "/"), strings.TrimPrefix(g.assetURLs.SelfCheckCSS, "/")
			g.put(js, selfcheck.JS())
			g.put(css, selfcheck.CSS())
			return append(paths, js, css), nil
		}
	}
	return paths, nil
}

func jsonBytes(v any) []byte {
	b, _ := json.Marshal(v) // encoding/json sorts map keys
	return b
}

// parallel calls f(0) to f(n-1) on all cores, stopping early when ctx is
// done.
func parallel(ctx context.Context, n int, f func(int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), max(n, 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
}
