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

// BenchmarkConvertUntaggedCode converts a note with code blocks of no
// language and of a language chroma does not know, as much real writing
// has (a blog of 577 notes took 7 s to build when each such block cost a
// search of every lexer's file patterns).
func BenchmarkConvertUntaggedCode(b *testing.B) {
	note := []byte("# A note\n\nRun this:\n\n```\n$ make all\n```\n\nAnd this:\n\n    indented code\n\nThen:\n\n```console-output\nok\n```\n")
	c := New(Options{})
	b.SetBytes(int64(len(note)))
	for i := 0; i < b.N; i++ {
		r := c.Convert(Input{File: "content/e.md", Body: note, Resolve: func(string) (string, bool) { return "", false }})
		if r.Diags.HasErrors() {
			b.Fatal(r.Diags)
		}
	}
}
