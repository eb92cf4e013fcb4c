package search_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
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
// generated corpus, serve it on 127.0.0.1 and search it in Chromium as a
// reader would, reporting: the index on disk (files, bytes, gzipped
// bytes), the gzipped bytes a query transfers from a fresh page (meta,
// shards and the results shown), the time from typing to the first result
// on a fresh page, and the same with the shards loaded. A benchmark, not a
// test: the figures depend on the machine. Run one at a time:
//
//	go test -run '^$' -bench 'SearchBrowser1000$' -benchtime 3x ./generator/search
func BenchmarkSearchBrowser1000(b *testing.B)  { benchSearch(b, 1000) }
func BenchmarkSearchBrowser10000(b *testing.B) { benchSearch(b, 10000) }

func benchSearch(b *testing.B, n int) {
	browsertest.Require(b)
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Essays: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "public")
	if _, _, err := pipeline.NewOneShot().BuildTo(context.Background(), pipeline.Options{Source: dir}, out); err != nil {
		b.Fatal(err)
	}
	gz := map[string]int{} // URL path -> gzipped size
	files, size, gzSize := 0, 0, 0
	err := filepath.WalkDir(filepath.Join(out, "search"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		g := gzipLen(data)
		gz["/"+filepath.ToSlash(rel)] = g
		if strings.HasSuffix(p, ".json") {
			files++
			size += len(data)
			gzSize += g
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()

	actx, cancelA := chromedp.NewExecAllocator(context.Background(), browsertest.Options(b.TempDir())...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	if err := chromedp.Do(bctx); err != nil {
		b.Fatal(err)
	}
	var transferred, fresh, loaded float64
	b.ResetTimer()
	for range b.N {
		for _, q := range benchQueries {
			ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/search/"), chromedp.WaitReady(chromedp.CSS("form[data-search]:not([hidden])"))); err != nil {
				b.Fatal(err)
			}
			before := browsertest.Eval[[]string](b, ctx, `performance.getEntriesByType('resource').map(e => e.name)`)
			ms := timeQuery(b, ctx, q)
			after := browsertest.Eval[[]string](b, ctx, `performance.getEntriesByType('resource').map(e => e.name)`)
			bytes := 0
			for _, u := range after[len(before):] {
				pu, err := url.Parse(u)
				if err != nil {
					b.Fatal(err)
				}
				bytes += gz[pu.Path]
			}
			timeQuery(b, ctx, "")
			again := timeQuery(b, ctx, q)
			transferred += float64(bytes)
			fresh += ms
			loaded += again
			cancel()
		}
	}
	runs := float64(b.N * len(benchQueries))
	b.ReportMetric(float64(files), "index-files")
	b.ReportMetric(float64(size)/1024, "index-KB")
	b.ReportMetric(float64(gzSize)/1024, "index-KB-gzip")
	b.ReportMetric(transferred/runs/1024, "KB-gzip/query")
	b.ReportMetric(fresh/runs, "ms-first-results-fresh")
	b.ReportMetric(loaded/runs, "ms-first-results-loaded")
}

// timeQuery types q into the search page's field (as one input event) and
// returns the milliseconds until the first result is in the list (or, for
// an empty q, until the list is empty).
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

func gzipLen(data []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	w.Write(data)
	w.Close()
	return buf.Len()
}
