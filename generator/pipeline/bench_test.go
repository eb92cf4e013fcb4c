package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/corpus"
	"github.com/steward-ssg/steward/generator/internal/testsite"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/markdown/selfcheckext"
	"github.com/steward-ssg/steward/generator/selfcheck"
)

// benchDir is a temporary folder on tmpfs when the machine has one, so
// that benchmarks measure Steward rather than the disk.
func benchDir(b *testing.B) string {
	b.Helper()
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		dir, err := os.MkdirTemp("/dev/shm", "steward-bench-")
		if err == nil {
			b.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return b.TempDir()
}

func corpusSite(b *testing.B, n int) string {
	b.Helper()
	dir := benchDir(b)
	if err := corpus.Write(dir, corpus.Options{Essays: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBuild1000 is a cold build of 1,000 generated essays, written to
// disk: what `steward build` does, minus process start.
func BenchmarkBuild1000(b *testing.B) {
	dir := corpusSite(b, 1000)
	out := filepath.Join(benchDir(b), "public")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := os.RemoveAll(out); err != nil {
			b.Fatal(err)
		}
		if _, _, err := NewOneShot().BuildTo(context.Background(), Options{Source: dir, Now: fixedClock}, out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild1000Search is a cold `steward build` of 1,000 generated
// essays, an empty persistent cache and an empty output folder each time,
// with search off and on: what the index adds to a first build (benchstat
// compares the two).
func BenchmarkBuild1000Search(b *testing.B) {
	dir := corpusSite(b, 1000)
	yaml, err := os.ReadFile(filepath.Join(dir, "site.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	tmp := benchDir(b)
	out, cacheDir := filepath.Join(tmp, "public"), filepath.Join(tmp, "cache")
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("search=%v", on), func(b *testing.B) {
			base := strings.ReplaceAll(string(yaml), "search: {enabled: false}\n", "") // the corpus's
			testsite.WriteFile(b, dir, "site.yaml", fmt.Sprintf("%ssearch: {enabled: %v}\n", base, on))
			for b.Loop() {
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
				if err := os.RemoveAll(cacheDir); err != nil {
					b.Fatal(err)
				}
				if _, _, err := NewOneShot().BuildTo(context.Background(), Options{Source: dir, Now: fixedClock, CacheDir: cacheDir}, out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuild1000Cards is BenchmarkBuild1000 with social cards off and
// on: what drawing 1,000 cards adds to a cold build (benchstat compares
// the two).
func BenchmarkBuild1000Cards(b *testing.B) {
	dir := corpusSite(b, 1000)
	yaml, err := os.ReadFile(filepath.Join(dir, "site.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(benchDir(b), "public")
	for _, draw := range []bool{false, true} {
		b.Run(fmt.Sprintf("cards=%v", draw), func(b *testing.B) {
			base := strings.ReplaceAll(string(yaml), "cards: {draw: false}\n", "") // the corpus's
			testsite.WriteFile(b, dir, "site.yaml", fmt.Sprintf("%scards: {draw: %v}\n", base, draw))
			for b.Loop() {
				if err := os.RemoveAll(out); err != nil {
					b.Fatal(err)
				}
				st, _, err := NewOneShot().BuildTo(context.Background(), Options{Source: dir, Now: fixedClock}, out)
				if err != nil {
					b.Fatal(err)
				}
				if draw && st.Cards != 1000 {
					b.Fatalf("%d cards drawn, want 1000", st.Cards)
				}
			}
		})
	}
}

// BenchmarkRebuildOneEdit is what the dev server does after a save: one
// essay's body changed, the Builder reused, the site built in memory.
func BenchmarkRebuildOneEdit(b *testing.B) {
	editCorpora(b, func(b *testing.B, dir string) {
		builder := NewBuilder()
		if _, err := builder.Build(context.Background(), Options{Source: dir, Now: fixedClock}); err != nil {
			b.Fatal(err)
		}
		name, body := corpus.Essay(1, 7)
		path := filepath.Join(dir, "content", name)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			edited := append(body[:len(body):len(body)], fmt.Sprintf("\nEdit %d.\n", i)...)
			if err := os.WriteFile(path, edited, 0o644); err != nil {
				b.Fatal(err)
			}
			// As the dev server does: the watcher names the file saved.
			// Labelled, so that a profile shows the rebuilds apart
			// from the first build: -cpuprofile, then pprof
			// -tagfocus phase=edit.
			var err error
			pprof.Do(context.Background(), pprof.Labels("phase", "edit"), func(ctx context.Context) {
				_, err = builder.Build(ctx, Options{Source: dir, Now: fixedClock, Changed: []string{"content/" + name}})
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWarmBuild1000 is a second `steward build` in a new process:
// a new Builder, the persistent cache warm, nothing changed.
func BenchmarkWarmBuild1000(b *testing.B) {
	dir := corpusSite(b, 1000)
	out := filepath.Join(benchDir(b), "public")
	opts := Options{Source: dir, Now: fixedClock, CacheDir: filepath.Join(benchDir(b), "cache")}
	if _, _, err := NewOneShot().BuildTo(context.Background(), opts, out); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, _, err := NewOneShot().BuildTo(context.Background(), opts, out)
		if err != nil {
			b.Fatal(err)
		}
		if st.Written != 0 {
			b.Fatalf("a warm build wrote %d files", st.Written)
		}
	}
}

// BenchmarkEditBuild is `steward build` in a new process after one
// essay's body changed: a new Builder, the persistent cache warm. The
// rebuilds are labelled for profiles (pprof -tagfocus phase=edit).
func BenchmarkEditBuild(b *testing.B) {
	editCorpora(b, func(b *testing.B, dir string) {
		out := filepath.Join(dir, "public")
		opts := Options{Source: dir, Now: fixedClock, CacheDir: filepath.Join(dir, "cache")}
		if _, _, err := NewOneShot().BuildTo(context.Background(), opts, out); err != nil {
			b.Fatal(err)
		}
		name, body := corpus.Essay(1, 7)
		path := filepath.Join(dir, "content", name)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			edited := append(body[:len(body):len(body)], fmt.Sprintf("\nEdit %d.\n", i)...)
			if err := os.WriteFile(path, edited, 0o644); err != nil {
				b.Fatal(err)
			}
			var err error
			pprof.Do(context.Background(), pprof.Labels("phase", "edit"), func(ctx context.Context) {
				_, _, err = NewOneShot().BuildTo(ctx, opts, out)
			})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
}

// editCorpora runs f on the generated corpus of 1,000 and 10,000 essays,
// with search off and on, each a sub-benchmark (essays=N, essays=N-search);
// -short leaves out the 10,000.
func editCorpora(b *testing.B, f func(b *testing.B, dir string)) {
	for _, c := range []struct {
		n      int
		search bool
	}{{1000, false}, {10000, false}, {1000, true}, {10000, true}} {
		name := fmt.Sprintf("essays=%d", c.n)
		if c.search {
			name += "-search"
		}
		b.Run(name, func(b *testing.B) {
			if testing.Short() && c.n > 1000 {
				b.Skip("large corpus in -short mode")
			}
			dir := benchDir(b)
			if err := corpus.Write(dir, corpus.Options{Essays: c.n, Seed: 1, Search: c.search}); err != nil {
				b.Fatal(err)
			}
			f(b, dir)
		})
	}
}

// BenchmarkFloor1000 converts the same 1,000 essays' Markdown with the same
// goldmark and chroma configuration on all cores, and nothing else: the
// floor BenchmarkBuild1000 is compared against.
func BenchmarkFloor1000(b *testing.B) {
	dir := corpusSite(b, 1000)
	var bodies [][]byte
	for i := 0; i < 1000; i++ {
		name, _ := corpus.Essay(1, i)
		data, err := os.ReadFile(filepath.Join(dir, "content", name))
		if err != nil {
			b.Fatal(err)
		}
		bodies = append(bodies, data)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		conv := markdown.New(markdown.Options{Extensions: []markdown.Extension{selfcheckext.New(selfcheck.DefaultStrings())}})
		next := make(chan []byte)
		var wg sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for body := range next {
					conv.Convert(markdown.Input{File: "content/e.md", Body: body, Resolve: func(string) (string, bool) { return "", false }})
				}
			}()
		}
		for _, body := range bodies {
			next <- body
		}
		close(next)
		wg.Wait()
	}
}
