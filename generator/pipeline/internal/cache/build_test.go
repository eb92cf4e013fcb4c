package cache_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/corpus"
	"github.com/steward-ssg/steward/generator/pipeline"
	"github.com/steward-ssg/steward/generator/pipeline/internal/cache"
)

func fixedClock() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// buildSite writes a corpus of n essays, builds it with the cache in a
// new folder, and returns the cache folder.
func buildSite(tb testing.TB, n int, seed uint64) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := corpus.Write(dir, corpus.Options{Essays: n, Seed: seed}); err != nil {
		tb.Fatal(err)
	}
	cacheDir := filepath.Join(tb.TempDir(), "cache")
	opts := pipeline.Options{Source: dir, Now: fixedClock, CacheDir: cacheDir}
	if _, _, err := pipeline.NewBuilder().BuildTo(context.Background(), opts, filepath.Join(tb.TempDir(), "public")); err != nil {
		tb.Fatal(err)
	}
	return cacheDir
}

// TestIndexOutlivesItsFile: a decoded index points into the index file's
// bytes (mapped on Linux); a later save renames a new index over the file,
// and what was decoded must still read the same.
func TestIndexOutlivesItsFile(t *testing.T) {
	p := filepath.Join(buildSite(t, 5, 7), "index.bin")
	data, err := cache.ReadIndex(p)
	if err != nil {
		t.Fatal(err)
	}
	var idx cache.Index
	if err := cache.DecodeIndex(data, &idx); err != nil {
		t.Fatal(err)
	}
	text := func() string {
		var b strings.Builder
		for _, k := range slices.Sorted(maps.Keys(idx.Results)) {
			r := idx.Results[k].Res
			fmt.Fprintf(&b, "%s %s %q %v\n", k, r.Summary, r.SummaryText, r.Headings)
		}
		return b.String()
	}
	before := text()
	if len(idx.Results) != 5 || !strings.Contains(before, "<p>") {
		t.Fatalf("%d results in the index, want 5", len(idx.Results))
	}
	// A new index by rename, as Save writes one; and the old name removed.
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, bytes.Repeat([]byte{0xff}, len(data)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if after := text(); after != before {
		t.Fatal("the decoded index changed when its file was replaced")
	}
}

// BenchmarkDecodeIndex decodes the index of a 1,000-essay site, as a warm
// build does first.
func BenchmarkDecodeIndex(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(buildSite(b, 1000, 1), "index.bin"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var idx cache.Index
		if err := cache.DecodeIndex(data, &idx); err != nil {
			b.Fatal(err)
		}
	}
}
