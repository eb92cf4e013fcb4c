package search

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/corpus"
)

// BenchmarkAnalyze analyses 100 essays of the generated corpus (their
// Markdown's paragraphs as HTML) with a fresh Analyzer, as a first build
// does.
func BenchmarkAnalyze(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Essays: 100, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(dir, "content", "*.md"))
	var inputs []Input
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			b.Fatal(err)
		}
		html := "<p>" + strings.ReplaceAll(string(src), "\n\n", "</p>\n<p>") + "</p>"
		inputs = append(inputs, Input{URL: "/" + filepath.Base(n) + "/", Title: "An essay on delegation", Summary: "Why delegate.", HTML: []byte(html)})
	}
	b.ResetTimer()
	for range b.N {
		a := NewAnalyzer("en")
		for _, in := range inputs {
			a.Analyze(in)
		}
	}
}

// BenchmarkIndexFiles makes the meta and shards of the index of the
// generated corpus' essays from their entries: what a rebuild with search
// on does, in the dev server too, after any essay changed.
func BenchmarkIndexFiles(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("essays=%d", n), func(b *testing.B) {
			if testing.Short() && n > 1000 {
				b.Skip("large corpus in -short mode")
			}
			a := NewAnalyzer("en")
			entries := make([]*Entry, n)
			for i := range entries {
				_, src := corpus.Essay(1, i)
				html := "<p>" + strings.ReplaceAll(string(src), "\n\n", "</p>\n<p>") + "</p>"
				entries[i] = a.Analyze(Input{URL: fmt.Sprintf("/e%05d/", i), Title: "An essay", HTML: []byte(html)})
			}
			b.ResetTimer()
			for range b.N {
				ix := NewIndex(n)
				for i, e := range entries {
					ix.Add(i, e)
				}
				if len(ix.Files()) < 2 {
					b.Fatal("no shards")
				}
			}
		})
	}
}
