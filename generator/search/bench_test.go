package search_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/steward-ssg/steward/generator/internal/browsertest"
	"github.com/steward-ssg/steward/generator/internal/corpus"
	"github.com/steward-ssg/steward/generator/pipeline"
)

// benchQueries are three fixed queries over the corpus's words: one word,
// a word and a prefix, and a stem that the text writes in another form.
var benchQueries = []string{"delegation", "servant lead", "coaches"}

// BenchmarkSearchBrowser1000 and BenchmarkSearchBrowser10000 build the
// generated corpus with search on, serve it on 127.0.0.1 and search it in
// Chromium as a reader would, reporting: the index on disk (files, bytes,
// gzipped bytes), the gzipped bytes each query transfers from focusing the
// field on a fresh page to its first results (meta, shards and the
// results shown), the time from typing to the first result on a fresh
// page, and the same with the shards loaded (medians). A benchmark, not a
// test: the figures depend on the machine. Like every real-browser check
// they skip under -short, as CI runs benchmarks; run one at a time:
//
//	go test -run '^$' -bench 'SearchBrowser1000$' -benchtime 5x ./generator/search
//	go test -run '^$' -bench 'SearchBrowser10000$' -benchtime 5x ./generator/search
func BenchmarkSearchBrowser1000(b *testing.B)  { benchSearch(b, 1000) }
func BenchmarkSearchBrowser10000(b *testing.B) { benchSearch(b, 10000) }

func benchSearch(b *testing.B, n int) {
	browsertest.Require(b)
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Essays: n, Seed: 1, Search: true}); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	if _, _, err := pipeline.NewOneShot().BuildTo(context.Background(), pipeline.Options{Source: dir}, out); err != nil {
		b.Fatal(err)
	}
	benchEngines(b, out, []engine{stewardEngine})
}

// BenchmarkSearchCompare measures Steward's search and Pagefind's on one
// built site, the same way as BenchmarkSearchBrowser1000, taking turns so
// that the machine's load falls on both alike. generator/bench/search.sh
// builds the site (Steward's build, then Pagefind over it, and a search
// page for Pagefind's script) and names it in STEWARD_SEARCH_SITE; without
// it the benchmark skips. Metrics are named engine:metric.
func BenchmarkSearchCompare(b *testing.B) {
	site := os.Getenv("STEWARD_SEARCH_SITE")
	if site == "" {
		b.Skip("STEWARD_SEARCH_SITE names a site built by generator/bench/search.sh")
	}
	browsertest.Require(b)
	benchEngines(b, site, []engine{stewardEngine, pagefindEngine})
}

// An engine is one search's page and files in a built site.
type engine struct {
	name  string
	page  string // the search page's URL path
	ready string // a selector that matches once the page's script runs
	// index and code tell the index's data files and the scripts that a
	// search runs (paths relative to the site, with slashes).
	index, code func(rel string) bool
}

var stewardEngine = engine{
	name:  "steward",
	page:  "/search/",
	ready: "form[data-search]:not([hidden])",
	index: func(rel string) bool { return strings.HasPrefix(rel, "search/") && strings.HasSuffix(rel, ".json") },
	code: func(rel string) bool {
		return path.Dir(rel) == "." && strings.HasPrefix(rel, "search.") && strings.HasSuffix(rel, ".js")
	},
}

// Pagefind's bundle also holds its ready-made interfaces, which its API
// does not load; its WebAssembly is counted with its scripts (the English
// one: the corpus is English).
var pagefindEngine = engine{
	name:  "pagefind",
	page:  "/pagefind-search/",
	ready: "#search-form:not([hidden])",
	index: func(rel string) bool {
		if !strings.HasPrefix(rel, "pagefind/") {
			return false
		}
		return rel == "pagefind/pagefind-entry.json" || strings.Contains(path.Base(rel), ".pf_")
	},
	code: func(rel string) bool {
		return rel == "pagefind/pagefind.js" || rel == "pagefind/pagefind-worker.js" || rel == "pagefind/wasm.en.pagefind"
	},
}

// siteFiles are the sizes of a site's search files, by URL path.
type siteFiles struct {
	gz    map[string]int // gzipped size (a file gzipped already as it is)
	disk  map[string]int
	index map[string][]string // engine name -> its index files' URL paths
	code  map[string][]string
}

func readSite(b *testing.B, public string, engines []engine) siteFiles {
	sf := siteFiles{gz: map[string]int{}, disk: map[string]int{}, index: map[string][]string{}, code: map[string][]string{}}
	err := filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(public, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		var isIndex, isCode []string
		for _, e := range engines {
			if e.index(rel) {
				isIndex = append(isIndex, e.name)
			}
			if e.code(rel) {
				isCode = append(isCode, e.name)
			}
		}
		if isIndex == nil && isCode == nil {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		u := "/" + rel
		sf.disk[u] = len(data)
		sf.gz[u] = gzipLen(data)
		for _, n := range isIndex {
			sf.index[n] = append(sf.index[n], u)
		}
		for _, n := range isCode {
			sf.code[n] = append(sf.code[n], u)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range engines {
		if len(sf.index[e.name]) == 0 || len(sf.code[e.name]) == 0 {
			b.Fatalf("%s: no %s index or script in the site", public, e.name)
		}
	}
	return sf
}

// counter is a file server that adds up the gzipped sizes of the search
// files it sends: the bytes a host serving them compressed would send.
// Counting at the server sees what Pagefind's web worker fetches too.
type counter struct {
	files http.Handler
	gz    map[string]int
	mu    sync.Mutex
	bytes int
	paths []string
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	c.files.ServeHTTP(sw, r)
	if n, ok := c.gz[r.URL.Path]; ok && sw.status == http.StatusOK && r.Method == http.MethodGet {
		c.mu.Lock()
		c.bytes += n
		c.paths = append(c.paths, r.URL.Path)
		c.mu.Unlock()
	}
}

// take returns the bytes counted since the last take, and the files.
func (c *counter) take() (int, []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, p := c.bytes, c.paths
	c.bytes, c.paths = 0, nil
	return n, p
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// samples are one engine's measurements: bytes by query, and times.
type samples struct {
	bytes         map[string][]float64
	fresh, loaded []float64
}

// benchEngines serves public on 127.0.0.1 and, b.N times, runs each
// query on each engine's search page in a fresh browser context (no
// cache), the engines taking turns; then reports the medians. With one
// engine the metrics carry no engine's name.
func benchEngines(b *testing.B, public string, engines []engine) {
	sf := readSite(b, public, engines)
	cnt := &counter{files: http.FileServer(http.Dir(public)), gz: sf.gz}
	srv := httptest.NewServer(cnt)
	defer srv.Close()

	actx, cancelA := chromedp.NewExecAllocator(context.Background(), browsertest.Options(b.TempDir())...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	if err := chromedp.Do(bctx); err != nil {
		b.Fatal(err)
	}
	got := map[string]*samples{}
	for _, e := range engines {
		got[e.name] = &samples{bytes: map[string][]float64{}}
	}
	b.ResetTimer()
	for range b.N {
		for _, q := range benchQueries {
			for _, e := range engines {
				s := got[e.name]
				ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
				if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+e.page), chromedp.WaitReady(chromedp.CSS(e.ready))); err != nil {
					b.Fatalf("%s: %v", e.name, err)
				}
				cnt.take()
				ms := timeQuery(b, ctx, q)
				n, paths := cnt.take()
				if n == 0 {
					b.Fatalf("%s: query %q fetched nothing", e.name, q)
				}
				b.Logf("%s %q: %d bytes gzipped from %d files: %s", e.name, q, n, len(paths), strings.Join(paths, " "))
				timeQuery(b, ctx, "")
				s.loaded = append(s.loaded, timeQuery(b, ctx, q))
				s.fresh = append(s.fresh, ms)
				s.bytes[q] = append(s.bytes[q], float64(n))
				cancel()
			}
		}
	}
	b.StopTimer()
	for _, e := range engines {
		unit := func(u string) string {
			if len(engines) == 1 {
				return u
			}
			return e.name + ":" + u
		}
		sum := func(paths []string, size map[string]int) float64 {
			t := 0
			for _, p := range paths {
				t += size[p]
			}
			return float64(t) / 1024
		}
		s := got[e.name]
		b.ReportMetric(float64(len(sf.index[e.name])), unit("index-files"))
		b.ReportMetric(sum(sf.index[e.name], sf.disk), unit("index-KB"))
		b.ReportMetric(sum(sf.index[e.name], sf.gz), unit("index-KB-gzip"))
		b.ReportMetric(sum(sf.code[e.name], sf.gz), unit("script-KB-gzip"))
		for i, q := range benchQueries {
			b.ReportMetric(median(s.bytes[q])/1024, unit(fmt.Sprintf("KB-gzip-q%d", i+1)))
		}
		b.ReportMetric(median(s.fresh), unit("ms-first-results-fresh"))
		b.ReportMetric(median(s.loaded), unit("ms-first-results-loaded"))
	}
}

// timeQuery types q into the search page's field (as one input event,
// just after focusing it) and returns the milliseconds until the first
// result is in the list (or, for an empty q, until the list is empty).
func timeQuery(b *testing.B, ctx context.Context, q string) float64 {
	b.Helper()
	expr := fmt.Sprintf(`new Promise(done => {
  const list = document.getElementById('search-results'), input = document.getElementById('search-q');
  const q = %q;
  const ready = () => q ? list.querySelector('li') : !list.firstChild;
  let t0;
  const obs = new MutationObserver(() => { if (ready()) { obs.disconnect(); done(performance.now() - t0); } });
  obs.observe(list, {childList: true});
  input.focus();
  input.value = q;
  t0 = performance.now();
  input.dispatchEvent(new Event('input'));
  if (!q && ready()) { obs.disconnect(); done(0); }
})`, q)
	ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.Fatalf("query %q: %v", q, err)
	}
	return ms
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// gzipLen is the size of data gzipped, or of data itself when it is
// gzipped already (Pagefind's index files and WebAssembly are).
func gzipLen(data []byte) int {
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		return len(data)
	}
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(data)
	w.Close()
	return buf.Len()
}
