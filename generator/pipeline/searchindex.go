package pipeline

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/plan"
	"github.com/steward-ssg/steward/generator/search"
)

// The search index (package search) is built in two places: each essay is
// analysed and added by the worker that converted it, while its HTML is at
// hand (indexEssay); the step searchIndex then adds those whose HTML was
// not (their conversion came from the persistent cache), and writes the
// meta, the shards and the script.

// newSearch prepares the index of the plan's searchable essays.
func (g *generator) newSearch(site *plan.Site) {
	if g.b.analyzer == nil || g.b.analyzer.Fingerprint() != search.NewAnalyzer(g.cfg.Language).Fingerprint() {
		g.b.analyzer = search.NewAnalyzer(g.cfg.Language)
	}
	g.analyzer = g.b.analyzer
	g.index = search.NewIndex(len(site.Search))
	g.searchIDs = make([]int, len(site.Essays))
	for i := range g.searchIDs {
		g.searchIDs[i] = -1
	}
	for id, i := range site.Search {
		g.searchIDs[i] = id
	}
}

// indexEssay analyses essay i (once it is filled) and adds it to the
// index, writing its result file. Without its HTML (nil) it does so only
// when the Builder remembers its analysis; it reports whether it did.
func (g *generator) indexEssay(e *essay, i int, html []byte) (bool, error) {
	id := g.searchIDs[i]
	if id < 0 {
		return true, nil
	}
	entry := g.b.searchMemo[e.digest]
	if entry == nil {
		if html == nil {
			return false, nil
		}
		d := e.data
		in := search.Input{URL: d.URL, Title: d.Title, Summary: d.SummaryText, HTML: html}
		if !d.Date.IsZero() {
			in.Date = d.Date.Format("January 2, 2006")
		}
		for _, h := range e.result.Headings {
			in.Headings = append(in.Headings, h.Text)
		}
		for _, t := range d.Tags {
			in.Tags = append(in.Tags, t.Name)
		}
		entry = g.analyzer.Analyze(in)
	}
	if !g.b.once {
		g.mu.Lock()
		g.next.search[e.digest] = entry
		g.mu.Unlock()
	}
	g.index.Add(id, entry)
	f := search.Result(id, entry)
	return true, g.out.write(strings.TrimPrefix(plan.SearchURL, "/")+f.Path, f.Data, sha256.Sum256(f.Data))
}

// searchIndex completes the index with the essays not yet in it and writes
// its meta, shards and script. It returns the paths of what it wrote.
func (g *generator) searchIndex(ctx context.Context, essays []*essay, added []bool) ([]string, diag.List) {
	var diags diag.List
	var mu sync.Mutex
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				e := essays[i]
				err := protect(e.page.Source, "indexing it for search", func() error {
					html, err := g.htmlOf(e)
					if err != nil {
						return err
					}
					_, err = g.indexEssay(e, i, html)
					return err
				})
				if err != nil {
					mu.Lock()
					diags = append(diags, diag.AsList(err)...)
					mu.Unlock()
				}
			}
		}()
	}
	for i := range essays {
		if ctx.Err() != nil {
			break
		}
		if !added[i] {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	if diags.HasErrors() || ctx.Err() != nil {
		return nil, diags
	}
	dir := strings.TrimPrefix(plan.SearchURL, "/")
	var paths []string
	for _, f := range g.index.Files() {
		g.put(dir+f.Path, f.Data)
		paths = append(paths, dir+f.Path)
	}
	for i := range essays {
		if id := g.searchIDs[i]; id >= 0 {
			paths = append(paths, fmt.Sprintf("%sd/%d.json", dir, id))
		}
	}
	js := strings.TrimPrefix(g.assetURLs.SearchJS, "/")
	g.put(js, search.JS())
	return append(paths, js), diags
}
