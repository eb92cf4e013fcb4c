package markdown

import (
	"testing"

	"github.com/steward-ssg/steward/generator/internal/corpus"
)

// BenchmarkConvert converts one generated essay (with a code block: the
// heavier fifth of the corpus) per iteration.
func BenchmarkConvert(b *testing.B) {
	_, essay := corpus.Essay(1, 5)
	c := New(Options{})
	b.SetBytes(int64(len(essay)))
	for i := 0; i < b.N; i++ {
		r := c.Convert(Input{File: "content/e.md", Body: essay, Resolve: func(string) (string, bool) { return "", false }})
		if r.Diags.HasErrors() {
			b.Fatal(r.Diags)
		}
	}
}
