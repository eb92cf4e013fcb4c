package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/steward-ssg/steward/generator/corpus"
)

func corpusSite(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Essays: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBuild1000 is a cold build of 1,000 generated essays, written to
// disk: what `steward build` does, minus process start.
func BenchmarkBuild1000(b *testing.B) {
	dir := corpusSite(b, 1000)
	out := filepath.Join(b.TempDir(), "public")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		os.RemoveAll(out)
		if _, _, err := NewBuilder().BuildTo(context.Background(), Options{Source: dir, Now: fixedClock}, out); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRebuildOneEdit1000 is what the dev server does after a save: one
// essay's body changed, the Builder reused.
func BenchmarkRebuildOneEdit1000(b *testing.B) {
	dir := corpusSite(b, 1000)
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
		if _, err := builder.Build(context.Background(), Options{Source: dir, Now: fixedClock}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWarmBuild1000 is a second `steward build` in a new process:
// a new Builder, the persistent cache warm, nothing changed.
func BenchmarkWarmBuild1000(b *testing.B) {
	dir := corpusSite(b, 1000)
	out := filepath.Join(b.TempDir(), "public")
	opts := Options{Source: dir, Now: fixedClock, CacheDir: filepath.Join(b.TempDir(), "cache")}
	if _, _, err := NewBuilder().BuildTo(context.Background(), opts, out); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, _, err := NewBuilder().BuildTo(context.Background(), opts, out)
		if err != nil {
			b.Fatal(err)
		}
		if st.Written != 0 {
			b.Fatalf("a warm build wrote %d files", st.Written)
		}
	}
}
