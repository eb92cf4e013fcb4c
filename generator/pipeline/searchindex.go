package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"runtime"
	"strings"
	"sync"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/pipeline/internal/cache"
	"github.com/steward-ssg/steward/generator/plan"
	"github.com/steward-ssg/steward/generator/search"
)

// The search index (package search) is built in two places: each essay's
// analysis is found or made by the worker that converted it (indexEssay),
// which writes its result file; the step searchIndex then completes those
// whose HTML was not at hand, and writes the meta, the shards and the
// script.
//
// An essay's analysis is kept by the key of everything it is made from
// (analysisKey): in the Builder's memory for the dev server, and in the
// persistent cache, encoded without its text, for the command line's
// builds. So an unchanged essay is never analysed again, and its result
// file, known by its fingerprint, is neither made nor read. The index as
// a whole is keyed by its essays' keys in order: when that key is the last
// build's and its files are still in place, nothing of it is built.

// searchState is what a build collects of the index, by essay number in
// it: each essay's analysis key and its analysis, either decoded (entries)
// or as the persistent cache holds it (encoded), decoded only if the
// index must be built.
type searchState struct {
	keys    [][32]byte
	entries []*search.Entry
	encoded [][]byte
}

// newSearch prepares the index of the plan's searchable essays.
func (g *generator) newSearch(site *plan.Site) {
	if g.b.analyzer == nil || g.b.analyzer.Fingerprint() != search.NewAnalyzer(g.cfg.Language).Fingerprint() {
		g.b.analyzer = search.NewAnalyzer(g.cfg.Language)
	}
	g.analyzer = g.b.analyzer
	n := len(site.Search)
	g.index = searchState{keys: make([][32]byte, n), entries: make([]*search.Entry, n), encoded: make([][]byte, n)}
	g.searchIDs = make([]int, len(site.Essays))
	for i := range g.searchIDs {
		g.searchIDs[i] = -1
	}
	for id, i := range site.Search {
		g.searchIDs[i] = id
	}
}

// searchInput is what the index is told of essay e, once it is filled;
// the HTML is set by the caller.
func searchInput(e *essay) search.Input {
	d := e.data
	in := search.Input{URL: d.URL, Title: d.Title, Summary: d.SummaryText}
	if !d.Date.IsZero() {
		in.Date = d.Date.Format("January 2, 2006")
	}
	for _, h := range e.result.Headings {
		in.Headings = append(in.Headings, h.Text)
	}
	for _, t := range d.Tags {
		in.Tags = append(in.Tags, t.Name)
	}
	return in
}

// analysisKey is the key of essay e's analysis: the analyzer's
// fingerprint, the conversion's key (which covers the file's bytes and
// every setting that shapes its HTML) and the rest of the search input.
func (g *generator) analysisKey(in *search.Input, e *essay) [32]byte {
	h := sha256.New()
	str := func(s string) {
		var n [binary.MaxVarintLen64]byte
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		h.Write([]byte(s))
	}
	str(g.analyzer.Fingerprint())
	str(e.key)
	str(in.URL)
	str(in.Title)
	str(in.Date)
	str(in.Summary)
	list(h, str, in.Headings)
	list(h, str, in.Tags)
	return [32]byte(h.Sum(nil))
}

func list(h hash.Hash, str func(string), l []string) {
	var n [binary.MaxVarintLen64]byte
	h.Write(n[:binary.PutUvarint(n[:], uint64(len(l)))])
	for _, s := range l {
		str(s)
	}
}

// indexEssay finds or makes the analysis of essay i (once it is filled)
// and writes its result file. html is its converted HTML, or nil when that
// is not at hand: it is then read only if the essay must be analysed. It
// reports whether the essay is done (always, but for an error).
func (g *generator) indexEssay(e *essay, i int, html []byte) (bool, error) {
	id := g.searchIDs[i]
	if id < 0 {
		return true, nil
	}
	in := searchInput(e)
	key := g.analysisKey(&in, e)
	g.index.keys[id] = key
	entry := g.b.searchMemo[key]
	var encoded []byte
	if entry == nil && g.disk != nil {
		if b, ok := g.disk.Analysis(key); ok {
			if _, ok := search.EncodedResultSum(b); ok {
				encoded = b
			}
		}
	}
	path := strings.TrimPrefix(plan.SearchURL, "/") + "d/" + fmt.Sprint(id) + ".json"
	analyse := func() error {
		if html == nil {
			var err error
			if html, err = g.htmlOf(e); err != nil {
				return err
			}
		}
		in.HTML = html
		entry, encoded = g.analyzer.Analyze(in), nil
		g.analysed.Add(1)
		if g.disk != nil {
			g.disk.StoreAnalysis(key, entry.Encode())
		}
		return nil
	}
	// The result file: reused by its fingerprint when the analysis is
	// known without its text, else written.
	switch {
	case encoded != nil:
		if sum, _ := search.EncodedResultSum(encoded); !g.out.reuse(path, sum) {
			if err := analyse(); err != nil {
				return false, err
			}
		}
	case entry != nil && !entry.HasText():
		if !g.out.reuse(path, entry.ResultSum()) {
			if err := analyse(); err != nil {
				return false, err
			}
		}
	case entry == nil:
		if err := analyse(); err != nil {
			return false, err
		}
	}
	if entry != nil && entry.HasText() {
		f := search.Result(id, entry)
		if err := g.out.write(path, f.Data, sha256.Sum256(f.Data)); err != nil {
			return false, err
		}
	}
	if entry == nil && !g.b.once {
		// The dev server keeps its analyses decoded.
		var err error
		if entry, err = search.DecodeEntry(encoded, in.URL, in.Title, in.Date); err != nil {
			return false, fmt.Errorf("build cache: %w", err)
		}
		encoded = nil
	}
	if !g.b.once {
		g.mu.Lock()
		g.next.search[key] = entry
		g.mu.Unlock()
	}
	g.index.entries[id], g.index.encoded[id] = entry, encoded
	return true, nil
}

// searchIndex completes the index with the essays not yet in it and writes
// its meta, shards and script. It returns the paths of what it wrote.
func (g *generator) searchIndex(ctx context.Context, essays []*essay, added []bool) ([]string, diag.List) {
	var diags diag.List
	var mu sync.Mutex
	report := func(err error) {
		mu.Lock()
		diags = append(diags, diag.AsList(err)...)
		mu.Unlock()
	}
	parallel(ctx, len(essays), func(i int) {
		if added[i] {
			return
		}
		e := essays[i]
		if err := protect(e.page.Source, "indexing it for search", func() error {
			_, err := g.indexEssay(e, i, nil)
			return err
		}); err != nil {
			report(err)
		}
	})
	if diags.HasErrors() || ctx.Err() != nil {
		return nil, diags
	}
	dir := strings.TrimPrefix(plan.SearchURL, "/")
	var paths []string
	for i := range essays {
		if id := g.searchIDs[i]; id >= 0 {
			paths = append(paths, fmt.Sprintf("%sd/%d.json", dir, id))
		}
	}
	js := strings.TrimPrefix(g.assetURLs.SearchJS, "/")
	g.put(js, search.JS())
	paths = append(paths, js)

	// The index's key: what it is made from, every essay's analysis in
	// order. The same key, and its files still in place, and there is
	// nothing to build.
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00", search.Version, len(g.index.keys))
	for _, k := range g.index.keys {
		h.Write(k[:])
	}
	key := [32]byte(h.Sum(nil))
	last := g.b.searchIndex
	if g.disk != nil {
		last = g.disk.SearchIndex()
	}
	if last.Key == key && len(last.Files) > 0 {
		reused := true
		for p, fp := range last.Files {
			if !g.out.reuse(dir+p, fp) {
				reused = false
				break
			}
		}
		if reused {
			for p := range last.Files {
				paths = append(paths, dir+p)
			}
			g.b.searchIndex = last
			return paths, diags
		}
	}
	// Decoded on all cores; the index is filled in order of number.
	parallel(ctx, len(g.index.entries), func(id int) {
		if g.index.entries[id] != nil {
			return
		}
		e, err := search.DecodeEntry(g.index.encoded[id], "", "", "")
		if err != nil {
			report(fmt.Errorf("build cache: %w; delete the cache folder and build again", err))
			return
		}
		g.index.entries[id] = e
	})
	if diags.HasErrors() || ctx.Err() != nil {
		return nil, diags
	}
	ix := search.NewIndex(len(g.index.entries))
	for id, e := range g.index.entries {
		ix.Add(id, e)
	}
	rec := cache.SearchIndex{Key: key, Files: map[string][32]byte{}}
	for _, f := range ix.Files() {
		g.put(dir+f.Path, f.Data)
		paths = append(paths, dir+f.Path)
		rec.Files[f.Path] = sha256.Sum256(f.Data)
	}
	if g.disk != nil {
		g.disk.SetSearchIndex(rec)
	}
	g.b.searchIndex = rec
	return paths, diags
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
