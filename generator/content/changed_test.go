package content

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestLoadChanged checks the dev server's incremental Load: after each
// edit, a Load told what changed returns exactly what a fresh Loader
// reads from disk.
func TestLoadChanged(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) { t.Helper(); testsite.WriteFile(t, dir, rel, text) }
	essay := func(title string) string { return "---\ntitle: " + title + "\n---\nText.\n" }
	write("content/a.md", essay("A"))
	write("content/b.md", essay("B"))
	write("content/notes/c.md", essay("C"))
	write("content/notes/deep/d.md", essay("D"))

	fsys := os.DirFS(dir)
	l := NewLoader()
	if _, diags := l.Load(fsys, Options{}); len(diags) > 0 {
		t.Fatal(diags)
	}
	steps := []struct {
		name    string
		edit    func()
		changed []string
	}{
		{"edit a file", func() { write("content/a.md", essay("A, edited at more length")) }, []string{"content/a.md"}},
		{"add a file", func() { write("content/e.md", essay("E")) }, []string{"content/e.md"}},
		{"delete a file", func() { os.Remove(filepath.Join(dir, "content/b.md")) }, []string{"content/b.md"}},
		{"add a folder", func() {
			write("content/new/f.md", essay("F"))
			write("content/new/sub/g.md", essay("G"))
		}, []string{"content/new"}},
		{"rename a folder", func() {
			os.Rename(filepath.Join(dir, "content/notes"), filepath.Join(dir, "content/essays"))
		}, []string{"content/essays", "content/notes"}},
		{"remove a folder", func() { os.RemoveAll(filepath.Join(dir, "content/new")) }, []string{"content/new"}},
		{"a file in a skipped folder", func() { write("content/_drafts/h.md", essay("H")) }, []string{"content/_drafts/h.md", "content/_drafts"}},
		{"a hidden file and a non-Markdown file", func() {
			write("content/.i.md", essay("I"))
			write("content/notes.txt", "x")
		}, []string{"content/.i.md", "content/notes.txt"}},
		{"outside content", func() { write("static/j.md", essay("J")) }, []string{"static/j.md", "site.yaml"}},
		{"a broken file", func() { write("content/k.md", "---\ntitle: [K\n---\n") }, []string{"content/k.md"}},
		{"the broken file fixed", func() { write("content/k.md", essay("K")) }, []string{"content/k.md"}},
		{"everything", func() { write("content/essays/c.md", essay("C again")) }, []string{"content"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			s.edit()
			got, gotDiags := l.Load(fsys, Options{Changed: s.changed})
			want, wantDiags := NewLoader().Load(fsys, Options{})
			if g, w := summary(got), summary(want); g != w {
				t.Errorf("incremental load:\n%s\nfresh load:\n%s", g, w)
			}
			if g, w := fmt.Sprint(gotDiags), fmt.Sprint(wantDiags); g != w {
				t.Errorf("diagnostics %s, want %s", g, w)
			}
		})
	}
}

// TestLoadChangedTrustsTheList shows that files outside the changed paths
// are not looked at: an edit nobody reported is not seen until it is.
func TestLoadChangedTrustsTheList(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "content", "a.md")
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("---\ntitle: Old\n---\n"), 0o644)
	fsys := os.DirFS(dir)
	l := NewLoader()
	l.Load(fsys, Options{})
	os.WriteFile(p, []byte("---\ntitle: New, and longer\n---\n"), 0o644)
	if pages, _ := l.Load(fsys, Options{Changed: []string{"content/other.md"}}); pages[0].Title != "Old" {
		t.Fatalf("an unreported file was read again: title %q", pages[0].Title)
	}
	if pages, _ := l.Load(fsys, Options{Changed: []string{"content/a.md"}}); pages[0].Title != "New, and longer" {
		t.Fatalf("a reported file was not read again: title %q", pages[0].Title)
	}
	// A Loader that never walked cannot trust a list.
	if pages, _ := NewLoader().Load(fsys, Options{Changed: []string{}}); len(pages) != 1 {
		t.Fatalf("a first Load with a changed list found %d pages", len(pages))
	}
}

func summary(pages []*Page) string {
	var lines []string
	for _, p := range pages {
		lines = append(lines, fmt.Sprintf("%s %s %q %x", p.Source, p.URL, p.Title, p.Hash[:4]))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
