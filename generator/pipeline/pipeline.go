package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/markdown"
)

// essayPages converts every essay and index page on all cores and renders
// each essay's page as soon as it and its neighbours are converted, so
// converted HTML is held only briefly.
func (g *generator) essayPages(ctx context.Context) diag.List {
	n := len(g.essays)
	var indexList []*content.Page
	for _, d := range sortedKeys(g.indexes) {
		indexList = append(indexList, g.indexes[d])
	}
	g.indexResults = map[string]*markdown.Result{}
	g.indexHTMLs = map[string][]byte{}

	var mu sync.Mutex // guards diags, converted, dispatched and the index maps
	var diags diag.List
	converted := make([]bool, n)
	dispatched := make([]bool, n)
	ready := func(j int) bool {
		return converted[j] && (j == 0 || converted[j-1]) && (j == n-1 || converted[j+1])
	}
	var failed atomic.Bool

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

	for _, p := range indexList {
		r, html, key := g.convert(p)
		if html == nil && g.disk != nil {
			var err error
			if html, err = g.disk.html(key); err != nil {
				diags.Add(diag.Pos{File: p.Source}, "%v", err)
			}
		}
		g.indexResults[p.Source], g.indexHTMLs[p.Source] = r, html
		diags.Append(r.Diags)
		if r.Diags.HasErrors() {
			failed.Store(true)
		}
	}

	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var render []int
			for c := range jobs {
				for i := c[0]; i < c[1]; i++ {
					r, html, key := g.convert(g.src[i])
					if !g.keepHTML {
						// A build to disk needs the source no more: let it
						// go (the Loader of a BuildTo is not reused).
						g.src[i].Raw, g.src[i].Body = nil, nil
					}
					if r.Diags.HasErrors() {
						failed.Store(true)
					}
					g.htmls[i], g.keys[i] = html, key
					g.fill(i, r)
					render = render[:0]
					mu.Lock()
					diags.Append(r.Diags)
					converted[i] = true
					for k := i - 1; k <= i+1; k++ {
						if k >= 0 && k < n && !dispatched[k] && ready(k) {
							dispatched[k] = true
							render = append(render, k)
						}
					}
					mu.Unlock()
					for _, k := range render {
						if err := g.renderEssay(k, failed.Load()); err != nil {
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
		return diags
	}
	// Links to headings can be checked only now that every essay is known.
	results := map[string]*markdown.Result{}
	for i, p := range g.src {
		results[p.Source] = g.results[i]
	}
	for s, r := range g.indexResults {
		results[s] = r
	}
	for _, r := range results {
		checkFragments(r, results, g.cfg.Links.BrokenSeverity(), &diags)
	}
	return diags
}

// convert returns the conversion of page p and its HTML, from the
// Builder's memory, the persistent cache, or goldmark.
func (g *generator) convert(p *content.Page) (*markdown.Result, []byte, string) {
	k, ok := g.b.keys[p]
	if !ok || k.fingerprint != g.mdFingerprint {
		h := sha256.New()
		fmt.Fprintf(h, "%s\x00%s\x00%d\x00%s\x00", engineVersion, p.Source, p.BodyLine, g.mdFingerprint)
		h.Write(p.BodyHash[:])
		k = mdKey{hex.EncodeToString(h.Sum(nil)), g.mdFingerprint}
	}
	g.mu.Lock()
	g.keysUsed[p] = k
	g.mu.Unlock()
	key, r := k.key, g.b.results[k.key]
	if r == nil && g.disk != nil {
		r = g.disk.result(key)
	}
	if r != nil && linksStillResolve(r, g.urls) && g.images.imagesStillHold(r) {
		g.remember(key, r)
		return r, r.HTML, key
	}
	body, err := content.ReadBody(g.fsys, p) // a known file's page has no Body
	if err != nil {
		r = &markdown.Result{}
		r.Diags.Add(diag.Pos{File: p.Source}, "%v", err)
		return r, nil, key
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
		r = &markdown.Result{HTML: []byte{}, Diags: diag.AsList(err)}
		return r, nil, key
	}
	atomic.AddInt64(&g.converted, 1)
	html := r.HTML
	if !r.Diags.HasErrors() {
		if g.disk != nil {
			g.disk.addResult(key, r)
		}
		if !g.keepHTML {
			// Build to disk: the HTML lives until its page is written.
			c := *r
			c.HTML = nil
			r = &c
		}
		g.remember(key, r)
	}
	return r, html, key
}

// remember records a conversion for the Builder's next build.
func (g *generator) remember(key string, r *markdown.Result) {
	g.mu.Lock()
	g.used[key] = r
	g.mu.Unlock()
}

// html returns essay i's HTML: held since conversion, or from the cache.
func (g *generator) html(i int) ([]byte, error) {
	if h := g.htmls[i]; h != nil {
		return h, nil
	}
	if h := g.results[i].HTML; h != nil {
		return h, nil
	}
	if g.disk != nil {
		return g.disk.html(g.keys[i])
	}
	return nil, fmt.Errorf("%s: converted HTML is no longer available", g.src[i].Source)
}

// renderEssay renders essay i's page, or keeps the previous one when its
// data did not change.
func (g *generator) renderEssay(i int, skip bool) error {
	n := len(g.essays)
	e := g.essays[i]
	if i+1 < n {
		e.Prev = g.shallow[i+1]
	}
	if i > 0 {
		e.Next = g.shallow[i-1]
	}
	defer func() {
		if !g.keepHTML && i >= feedSize {
			g.htmls[i] = nil
		}
	}()
	if skip || g.theme == nil {
		return nil
	}
	p := outPath(e.URL)
	fp := g.essayFingerprint(i)
	g.mark(p)
	if g.out.reuse(p, fp) {
		return nil
	}
	d := g.base("essay", e.Title, e.Description, e.URL)
	d.Page.TitleHTML = e.TitleHTML
	d.Essay = e
	if e.HasSelfCheck {
		d.Assets = g.assetURLs
	}
	html, err := g.html(i)
	if err != nil {
		return err
	}
	c := *e
	c.Content = template.HTML(html)
	d.Essay = &c
	var buf bytes.Buffer
	if err := protect(g.src[i].Source, "rendering its page", func() error { return g.theme.Execute(&buf, d, g.src[i].Source) }); err != nil {
		return err
	}
	atomic.AddInt64(&g.rendered, 1)
	return g.out.write(p, buf.Bytes(), fp)
}

// lists renders the list pages on all cores.
func (g *generator) lists(ctx context.Context) diag.List {
	if g.theme == nil {
		return nil
	}
	jobs := g.listPages()
	g.listJobs = jobs
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				j := jobs[k]
				fp := g.listFingerprint(j)
				if g.out.reuse(j.out, fp) {
					continue
				}
				var buf bytes.Buffer
				if errs[k] = protect(j.source, "rendering the list page "+j.out, func() error { return g.theme.Execute(&buf, j.data, j.source) }); errs[k] != nil {
					continue
				}
				atomic.AddInt64(&g.rendered, 1)
				errs[k] = g.out.write(j.out, buf.Bytes(), fp)
			}
		}()
	}
	for k, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		g.mark(j.out)
		if j.data.Kind != "404" {
			g.stats.Lists++
		}
		next <- k
	}
	close(next)
	wg.Wait()
	var diags diag.List
	for _, err := range errs {
		if err != nil {
			diags = append(diags, diag.AsList(err)...)
		}
	}
	return diags
}

// mark records a path as generated (static files may not replace it).
func (g *generator) mark(p string) {
	g.mu.Lock()
	g.generated[p] = true
	g.mu.Unlock()
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
// the given severity (site.yaml's links.broken).
func checkFragments(r *markdown.Result, results map[string]*markdown.Result, sev diag.Severity, diags *diag.List) {
	for _, l := range r.Links {
		if l.Fragment == "" {
			continue
		}
		target := results[l.Target]
		if target == nil || target.HasAnchor(l.Fragment) {
			continue
		}
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
		*diags = append(*diags, diag.New(l.Pos, sev, "link to #%s: %s has no heading or anchor with that id; %s", l.Fragment, l.Target, hint))
	}
}
