package pipeline

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/pipeline/internal/cache"
	"github.com/steward-ssg/steward/generator/plan"
	"github.com/steward-ssg/steward/generator/search"
)

// The search index (package search) is made from the essays' analyses
// (analysis.go), found or made before the plan. Each essay's result file
// is written by the worker that converted it (indexEssay): reused by its
// fingerprint when the analysis is known without its text, else written
// with the text made from the HTML. The step searchIndex then writes the
// meta, the shards and the script. The index as a whole is keyed by its
// essays' analysis keys in order: when that key is the last build's and
// its files are still in place, nothing of it is built.

// searchState is what a build collects of the index, by essay number in
// it: each essay's analysis.
type searchState struct {
	analyses []*essayAnalysis
}

// newSearch prepares the index of the plan's searchable essays.
func (g *generator) newSearch(site *plan.Site) {
	g.index = searchState{analyses: make([]*essayAnalysis, len(site.Search))}
	g.searchIDs = make([]int, len(site.Essays))
	for i := range g.searchIDs {
		g.searchIDs[i] = -1
	}
	for id, i := range site.Search {
		g.searchIDs[i] = id
	}
}

// indexEssay writes the result file of essay i (once it is filled). html
// is its converted HTML, or nil when that is not at hand: it is then read
// only if the file must be written. It reports whether the essay is done
// (always, but for an error).
func (g *generator) indexEssay(e *essay, i int, html []byte) (bool, error) {
	id := g.searchIDs[i]
	if id < 0 {
		return true, nil
	}
	a := g.analyses[e.doc]
	if a == nil {
		return false, fmt.Errorf("%s: internal error: the essay was not analysed", e.doc.Source)
	}
	g.index.analyses[id] = a
	if a.early == id+1 {
		return true, nil
	}
	path := resultPath(id)
	entry := a.entry
	if entry == nil && a.encoded == nil {
		return false, fmt.Errorf("%s: internal error: the essay was analysed as number %d of the search index, not %d", e.doc.Source, a.early-1, id)
	}
	if entry != nil && entry.HasText() {
		// Kept by the dev server's Builder with its text: the result
		// file's fingerprint is known once it was written, and the file
		// of the last build is reused while its number is the same.
		if sum, ok := entry.MadeSum(); ok && g.out.reuse(path, sum) {
			return true, nil
		}
		f, sum := entry.ResultFile(id)
		// The file holds the text, which the Builder need not keep as
		// well (some 70 MB at 10,000 essays).
		entry.LetGoText()
		return true, g.out.write(path, f.Data, sum)
	}
	var sum [32]byte
	if entry != nil {
		sum = entry.ResultSum()
	} else {
		sum, _ = search.EncodedResultSum(a.encoded)
	}
	if g.out.reuse(path, sum) {
		return true, nil
	}
	if entry == nil {
		var err error
		if entry, err = search.DecodeEntry(a.encoded, e.data.URL, e.data.Title, searchDate(e.doc)); err != nil {
			return false, fmt.Errorf("build cache: %w; delete the cache folder and build again", err)
		}
	}
	if html == nil {
		var err error
		if html, err = g.htmlOf(e); err != nil {
			return false, err
		}
	}
	f := search.Result(id, entry.WithText(html))
	return true, g.out.write(path, f.Data, sha256.Sum256(f.Data))
}

// resultPath is the output path of the result file of essay number id.
func resultPath(id int) string {
	return strings.TrimPrefix(plan.SearchURL, "/") + "d/" + strconv.Itoa(id) + ".json"
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
		if err := protect(e.doc.Source, "indexing it for search", func() error {
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
			paths = append(paths, resultPath(id))
		}
	}
	js := strings.TrimPrefix(g.assetURLs.SearchJS, "/")
	g.put(js, search.JS())
	paths = append(paths, js)

	// The index's key: what it is made from, every essay's analysis in
	// order. The same key, and its files still in place, and there is
	// nothing to build.
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00", search.Version, len(g.index.analyses))
	for _, a := range g.index.analyses {
		h.Write(a.key[:])
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
			if g.disk != nil {
				g.disk.Analysis(stateKey(key)) // kept for the next build's edit
			}
			g.b.searchIndex, g.b.indexHow = last, "kept"
			return paths, diags
		}
	}
	urls := make([]string, len(g.index.analyses))
	for i, e := range essays {
		if id := g.searchIDs[i]; id >= 0 {
			urls[id] = e.doc.URL
		}
	}
	ix, err := g.updatedIndex(urls)
	if err != nil {
		return nil, append(diags, diag.AsList(err)...)
	}
	g.b.indexHow = "updated"
	if ix == nil && g.b.once && g.disk != nil {
		ix, g.b.indexHow = g.indexFromState(last.Key, urls), "state"
	}
	if ix == nil {
		g.b.indexHow = "anew"
		// Decoded and added on all cores, each entry let go once added
		// (the index is the same in any order of adding). A one-shot
		// build added the essays it analysed as it did (see
		// analyseEssay).
		ix = g.early
		if ix == nil {
			ix = search.NewIndex(len(g.index.analyses))
		}
		parallel(ctx, len(g.index.analyses), func(id int) {
			a := g.index.analyses[id]
			if a.early == id+1 {
				return
			}
			if a.early != 0 {
				report(fmt.Errorf("internal error: essay %d of the search index was analysed as number %d", id, a.early-1))
				return
			}
			e, err := entryOf(a)
			if err != nil {
				report(err)
				return
			}
			ix.Add(id, e)
		})
	}
	if diags.HasErrors() || ctx.Err() != nil {
		return nil, diags
	}
	if !g.b.once {
		g.b.index = indexMade{ix: ix, analyses: g.index.analyses, urls: urls}
	}
	if g.b.once && g.disk != nil {
		g.disk.StoreAnalysis(stateKey(key), indexState(ix, g.index.analyses, urls))
	}
	rec := cache.SearchIndex{Key: key, Files: map[string][32]byte{}}
	// After an edit, the dev server's index makes again only the shards
	// the edit changed; the others are the last build's, by their sums.
	for _, f := range ix.Files() {
		if !g.out.reuse(dir+f.Path, f.Sum) {
			g.putSum(dir+f.Path, f.Data, f.Sum)
		}
		paths = append(paths, dir+f.Path)
		rec.Files[f.Path] = f.Sum
	}
	if g.disk != nil {
		g.disk.SetSearchIndex(rec)
	}
	g.b.searchIndex = rec
	return paths, diags
}

// indexMade is an index and what it was made from: each essay's analysis
// and URL, by number.
type indexMade struct {
	ix       *search.Index
	analyses []*essayAnalysis
	urls     []string
}

// updatedIndex returns the last build's index updated to this build's
// analyses, when only a few essays changed and none was numbered anew
// (each number has the same URL): the dev server's rebuild after an edit
// then takes out and puts back one essay instead of making the index of
// all of them. It returns nil when the index must be made anew.
func (g *generator) updatedIndex(urls []string) (*search.Index, error) {
	last := g.b.index
	// Taken: a build stopped while it changes the index leaves none.
	g.b.index = indexMade{}
	now := g.index.analyses
	if last.ix == nil || last.ix.Len() != len(now) || !slices.Equal(last.urls, urls) {
		return nil, nil
	}
	var changed []int
	for id, a := range now {
		if a != last.analyses[id] {
			changed = append(changed, id)
		}
	}
	if len(changed) > len(now)/4 {
		return nil, nil // as quick to make anew
	}
	for _, id := range changed {
		old, err := entryOf(last.analyses[id])
		if err != nil {
			return nil, err
		}
		e, err := entryOf(now[id])
		if err != nil {
			return nil, err
		}
		last.ix.Replace(id, old, e)
	}
	return last.ix, nil
}

// entryOf returns an analysis's entry, decoded if need be (without its
// text, URL, title and date, which the index does not hold).
func entryOf(a *essayAnalysis) (*search.Entry, error) {
	if a.entry != nil {
		return a.entry, nil
	}
	if a.encoded == nil {
		return nil, fmt.Errorf("internal error: an essay's analysis was let go before the search index was made")
	}
	e, err := search.DecodeEntry(a.encoded, "", "", "")
	if err != nil {
		return nil, fmt.Errorf("build cache: %w; delete the cache folder and build again", err)
	}
	return e, nil
}

// A one-shot build with the persistent cache keeps its index there, with
// each essay's analysis key and a digest of the URLs it numbered them by
// (the index's state, stored as an analysis under a key of its own), so
// that `steward build` after an edit changes that index where the edit
// changed it instead of making it again from every essay's analysis (at
// 10,000 essays the most of a one-edit build's time with search on).

// stateKey is the cache key of the state of the index of key.
func stateKey(key [32]byte) [32]byte {
	return sha256.Sum256(append([]byte("search index state\x00"), key[:]...))
}

// urlsDigest is the digest of the URLs by essay number.
func urlsDigest(urls []string) [32]byte {
	h := sha256.New()
	for _, u := range urls {
		h.Write([]byte(u))
		h.Write([]byte{0})
	}
	return [32]byte(h.Sum(nil))
}

// indexState is what the cache keeps of index ix: the digest of urls,
// each essay's analysis key, then the index (search.Index.Encode).
func indexState(ix *search.Index, analyses []*essayAnalysis, urls []string) []byte {
	enc := ix.Encode()
	b := make([]byte, 0, 32*(1+len(analyses))+len(enc))
	d := urlsDigest(urls)
	b = append(b, d[:]...)
	for _, a := range analyses {
		b = append(b, a.key[:]...)
	}
	return append(b, enc...)
}

// indexFromState returns the index of the last build (of key last), kept
// in the cache, changed to this build's analyses; or nil when it is not
// kept, the essays are numbered anew (added, removed or renamed), too
// many changed, or an old analysis is gone: the index is then made anew.
func (g *generator) indexFromState(last [32]byte, urls []string) *search.Index {
	now := g.index.analyses
	b, ok := g.disk.Analysis(stateKey(last))
	if !ok || len(b) < 32*(1+len(now)) || [32]byte(b[:32]) != urlsDigest(urls) {
		return nil
	}
	var changed []int
	for id, a := range now {
		if [32]byte(b[32*(1+id):32*(2+id)]) != a.key {
			changed = append(changed, id)
		}
	}
	if len(changed) > len(now)/4 {
		return nil // as quick to make anew
	}
	ix, err := search.DecodeIndex(b[32*(1+len(now)):])
	if err != nil || ix.Len() != len(now) {
		return nil
	}
	for _, id := range changed {
		oldKey := [32]byte(b[32*(1+id) : 32*(2+id)])
		enc, ok := g.disk.Analysis(oldKey)
		if !ok {
			return nil
		}
		old, err := search.DecodeEntry(enc, "", "", "")
		if err != nil {
			return nil
		}
		e, err := entryOf(now[id])
		if err != nil {
			return nil
		}
		ix.Replace(id, old, e)
	}
	return ix
}
