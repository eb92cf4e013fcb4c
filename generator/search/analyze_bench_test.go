package search

import (
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
