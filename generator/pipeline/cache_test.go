package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/internal/corpus"
	"github.com/steward-ssg/steward/generator/internal/testsite"
	"github.com/steward-ssg/steward/generator/pipeline/internal/cache"
)

// readTree returns every file below dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)], err = os.ReadFile(p)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameTree(t *testing.T, step string, got, want map[string][]byte) {
	t.Helper()
	for p, w := range want {
		if g, ok := got[p]; !ok {
			t.Errorf("%s: missing %s", step, p)
		} else if !bytes.Equal(g, w) {
			t.Errorf("%s: %s differs from a fresh build", step, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: extra file %s", step, p)
		}
	}
}

// cachedSite is a generated site built with a persistent cache.
type cachedSite struct {
	dir, cache, out string
	opts            Options
	// racy is the rule of each build's new Builder.
	racy content.Racy
}

// newCachedSite writes a corpus of n essays.
func newCachedSite(t *testing.T, n int, seed uint64) *cachedSite {
	t.Helper()
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Essays: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	c := &cachedSite{dir: dir, cache: filepath.Join(t.TempDir(), "cache"), out: filepath.Join(t.TempDir(), "public")}
	c.opts = Options{Source: dir, Now: fixedClock, CacheDir: c.cache}
	return c
}

// build builds the site in a new Builder (as a new process would) and
// checks the output against a build without any cache.
func (c *cachedSite) build(t *testing.T, step string) Stats {
	t.Helper()
	b := NewBuilder()
	b.Racy = c.racy
	st, _, err := b.BuildTo(context.Background(), c.opts, c.out)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	if _, _, err := NewBuilder().BuildTo(context.Background(), Options{Source: c.dir, Now: fixedClock}, fresh); err != nil {
		t.Fatal(err)
	}
	sameTree(t, step, readTree(t, c.out), readTree(t, fresh))
	return st
}

// TestPersistentCache: a second build in a new Builder converts, renders
// and writes nothing when nothing changed, redoes exactly what an edit
// needs, and always writes what a build without any cache writes.
func TestPersistentCache(t *testing.T) {
	site := newCachedSite(t, 30, 3)
	dir, cache, out, opts := site.dir, site.cache, site.out, site.opts
	build := func(step string) Stats { t.Helper(); return site.build(t, step) }
	first := build("first build")
	if first.Converted != 30 || first.Written == 0 {
		t.Fatalf("first build: %+v", first)
	}
	index := filepath.Join(out, "index.html")
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	// Age every output file, so a rewrite would show.
	if err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		return os.Chtimes(p, old, old)
	}); err != nil {
		t.Fatal(err)
	}
	// The cache trusts size and modification time: record the aged ones.
	if st := build("re-record"); st.Written != 0 {
		t.Fatalf("re-record wrote %d files", st.Written)
	}

	st := build("unchanged")
	if st.Converted != 0 || st.Rendered != 0 || st.Written != 0 {
		t.Errorf("unchanged: converted %d, rendered %d, written %d; want 0, 0, 0", st.Converted, st.Rendered, st.Written)
	}
	if fi, err := os.Stat(index); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("unchanged index.html was rewritten (%v)", err)
	}

	name, body := corpus.Essay(3, 10)
	edited := append(bytes.Clone(body), "\nOne more sentence at the end.\n"...)
	if err := os.WriteFile(filepath.Join(dir, "content", name), edited, 0o644); err != nil {
		t.Fatal(err)
	}
	b := NewBuilder()
	st, _, err := b.BuildTo(context.Background(), opts, out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Converted != 1 || st.Rendered == 0 || st.Rendered > 8 {
		t.Errorf("one essay edited: converted %d, rendered %d; want 1 and a few", st.Converted, st.Rendered)
	}
	// Essay 10 has a code block (every fifth does): it comes from the
	// cache, highlighted once ever.
	if b.code.hits != 1 || b.code.stores != 0 {
		t.Errorf("code blocks: %d from the cache, %d highlighted; want 1 and 0", b.code.hits, b.code.stores)
	}

	if err := os.MkdirAll(filepath.Join(dir, "layouts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "layouts", "essay.html"), []byte(`{{define "main"}}<h1>{{.Essay.Title}}</h1>{{.Essay.Content}}{{end}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	st = build("layout changed")
	if st.Converted != 0 || st.Rendered < 30 {
		t.Errorf("layout changed: converted %d, rendered %d; want 0 and every page", st.Converted, st.Rendered)
	}

	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("title: Other\nbaseURL: https://x.example/\nmarkdown: {unsafe: false}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if st := build("markdown options changed"); st.Converted != 30 {
		t.Errorf("markdown options changed: converted %d, want all 30", st.Converted)
	}

	if err := os.WriteFile(filepath.Join(cache, "index.bin"), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if st := build("corrupt cache"); st.Converted != 30 {
		t.Errorf("corrupt cache: converted %d, want all 30", st.Converted)
	}
	if err := os.RemoveAll(cache); err != nil {
		t.Fatal(err)
	}
	build("cache deleted")
}

// TestCacheJournal: saves append to a journal until it is rewritten whole;
// across more edits than the journal holds, each build converts only the
// edited essay and writes what a build without a cache writes, and a
// journal cut short by a crash costs only time.
func TestCacheJournal(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Essays: 12, Seed: 4}); err != nil {
		t.Fatal(err)
	}
	cacheDir := filepath.Join(t.TempDir(), "cache")
	out := filepath.Join(t.TempDir(), "public")
	opts := Options{Source: dir, Now: fixedClock, CacheDir: cacheDir}
	name, body := corpus.Essay(4, 3)
	for i := 0; i <= cache.JournalMax+3; i++ {
		edited := append(bytes.Clone(body), fmt.Sprintf("\nEdit %d.\n", i)...)
		if err := os.WriteFile(filepath.Join(dir, "content", name), edited, 0o644); err != nil {
			t.Fatal(err)
		}
		st, _, err := NewBuilder().BuildTo(context.Background(), opts, out)
		if err != nil {
			t.Fatal(err)
		}
		if want := 1; i > 0 && st.Converted != want {
			t.Fatalf("edit %d: converted %d, want %d", i, st.Converted, want)
		}
		if i%8 == 0 || i == cache.JournalMax+3 {
			fresh := filepath.Join(t.TempDir(), "fresh")
			if _, _, err := NewBuilder().BuildTo(context.Background(), Options{Source: dir, Now: fixedClock}, fresh); err != nil {
				t.Fatal(err)
			}
			sameTree(t, fmt.Sprintf("edit %d", i), readTree(t, out), readTree(t, fresh))
		}
	}
	f, err := os.OpenFile(filepath.Join(cacheDir, "journal"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	// A torn record: a length of 200 and three bytes of it.
	if _, err := f.Write([]byte{200, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	st, _, err := NewBuilder().BuildTo(context.Background(), opts, out)
	if err != nil || st.Converted != 0 {
		t.Errorf("after a torn journal record: converted %d, err %v; want 0, nil", st.Converted, err)
	}
	// The next save must not be lost behind the torn record.
	edited := append(bytes.Clone(body), "\nAfter the tear.\n"...)
	if err := os.WriteFile(filepath.Join(dir, "content", name), edited, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, want := range []int{1, 0} {
		st, _, err := NewBuilder().BuildTo(context.Background(), opts, out)
		if err != nil || st.Converted != want {
			t.Errorf("edit after a torn journal record: converted %d, err %v; want %d, nil", st.Converted, err, want)
		}
	}
}

// TestKnownFiles: a build with the cache does not read a content file whose
// stamp (size, times, inode) is recorded, yet sees every edit, even one
// that keeps the size and puts the modification time back; and when a
// conversion must be redone for a file it did not read, it reads it then.
func TestKnownFiles(t *testing.T) {
	site := newCachedSite(t, 12, 5)
	dir := site.dir
	name, _ := corpus.Essay(5, 4)
	// Without a change time, files are not known across processes.
	skipWithoutChangeTime(t, filepath.Join(dir, "content", name))
	build := func(step string) Stats { t.Helper(); return site.build(t, step) }
	// Files changed within a second before a build are read again by the
	// next (a write in the same clock tick could keep the stamp): these
	// builds begin an hour later, by their clock.
	site.racy = later
	if st := build("first build"); st.Read != 12 {
		t.Fatalf("first build read %d files, want 12", st.Read)
	}
	if st := build("nothing changed"); st.Read != 0 || st.Converted != 0 {
		t.Fatalf("second build read %d files and converted %d, want none", st.Read, st.Converted)
	}

	// Same size, modification time put back: only the change time tells.
	testsite.EditKeepingTimes(t, dir, "content/"+name)
	if st := build("an edit that keeps size and mtime"); st.Read != 1 || st.Converted != 1 {
		t.Fatalf("after the edit: read %d, converted %d; want 1 and 1", st.Read, st.Converted)
	}

	// A setting that changes every conversion: files not read must be
	// read when their conversion is redone.
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), append(mustRead(t, filepath.Join(dir, "site.yaml")), "markdown:\n  unsafe: false\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if st := build("markdown settings changed"); st.Read != 0 || st.Converted != 12 {
		t.Fatalf("after a settings change: read %d, converted %d; want 0 and 12", st.Read, st.Converted)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCacheIndexDamaged: a build over an index with one byte changed
// discards the cache and converts everything again.
func TestCacheIndexDamaged(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Essays: 6, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	cache := filepath.Join(t.TempDir(), "cache")
	opts := Options{Source: dir, Now: fixedClock, CacheDir: cache}
	out := filepath.Join(t.TempDir(), "public")
	if _, _, err := NewBuilder().BuildTo(context.Background(), opts, out); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(cache, "index.bin")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0x10
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	st, _, err := NewBuilder().BuildTo(context.Background(), opts, out)
	if err != nil || st.Converted != 6 {
		t.Errorf("damaged index: converted %d, err %v; want 6, nil", st.Converted, err)
	}
	st, _, err = NewBuilder().BuildTo(context.Background(), opts, out)
	if err != nil || st.Converted != 0 {
		t.Errorf("after a damaged index: converted %d, err %v; want 0, nil", st.Converted, err)
	}
}
