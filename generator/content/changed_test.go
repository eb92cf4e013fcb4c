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

	// An edit that fails would leave the loader nothing to notice, and the
	// step would test nothing.
	check := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
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
		{"delete a file", func() { check(os.Remove(filepath.Join(dir, "content/b.md"))) }, []string{"content/b.md"}},
		{"add a folder", func() {
			write("content/new/f.md", essay("F"))
			write("content/new/sub/g.md", essay("G"))
		}, []string{"content/new"}},
		{"rename a folder", func() {
			check(os.Rename(filepath.Join(dir, "content/notes"), filepath.Join(dir, "content/essays")))
		}, []string{"content/essays", "content/notes"}},
		{"remove a folder", func() { check(os.RemoveAll(filepath.Join(dir, "content/new"))) }, []string{"content/new"}},
		{"a file in a skipped folder", func() { write("content/_notes/h.md", essay("H")) }, []string{"content/_notes/h.md", "content/_notes"}},
		{"another in a skipped folder", func() { write("content/x/_old/deep/h.md", essay("H")) }, []string{"content/x"}},
		{"a skipped folder emptied", func() { check(os.Remove(filepath.Join(dir, "content/_notes/h.md"))) }, []string{"content/_notes/h.md"}},
		{"a skipped folder removed", func() { check(os.RemoveAll(filepath.Join(dir, "content/x"))) }, []string{"content/x"}},
		{"a Jekyll draft", func() { write("content/_drafts/w.md", essay("W")) }, []string{"content/_drafts/w.md", "content/_drafts"}},
		{"a Jekyll post", func() { write("content/_posts/2019-05-04-p.md", essay("P")) }, []string{"content/_posts"}},
		{"a folder's README alone: a bundle", func() { write("content/guide/README.md", essay("Guide")) }, []string{"content/guide"}},
		{"a file beside the README: a list page", func() { write("content/guide/a.md", essay("GA")) }, []string{"content/guide/a.md"}},
		{"an index.md beside the README", func() { write("content/guide/index.md", essay("Guide index")) }, []string{"content/guide/index.md"}},
		{"the other file gone", func() { check(os.Remove(filepath.Join(dir, "content/guide/a.md"))) }, []string{"content/guide/a.md"}},
		{"the index.md gone", func() { check(os.Remove(filepath.Join(dir, "content/guide/index.md"))) }, []string{"content/guide/index.md"}},
		{"an _index.md beside an index.md", func() {
			write("content/guide/index.md", essay("Guide index"))
			write("content/guide/_index.md", essay("Guide branch"))
		}, []string{"content/guide/index.md", "content/guide/_index.md"}},
		{"the _index.md gone", func() { check(os.Remove(filepath.Join(dir, "content/guide/_index.md"))) }, []string{"content/guide/_index.md"}},
		{"a dated name beside its undated twin", func() { write("content/2019-05-04-e.md", essay("E dated")) }, []string{"content/2019-05-04-e.md"}},
		{"the undated twin gone", func() { check(os.Remove(filepath.Join(dir, "content/e.md"))) }, []string{"content/e.md"}},
		{"a folder of the dated name's slug", func() { write("content/e/x.md", essay("EX")) }, []string{"content/e"}},
		{"a dated name and an undated twin", func() {
			write("content/f.md", essay("F"))
			write("content/2019-05-04-f.md", essay("F dated"))
		}, []string{"content/f.md", "content/2019-05-04-f.md"}},
		{"the twin takes another slug", func() { write("content/f.md", "---\nslug: other\n---\n") }, []string{"content/f.md"}},
		{"and its slug back", func() { write("content/f.md", "---\nslug: f\n---\n") }, []string{"content/f.md"}},
		{"a broken README", func() { write("content/guide/README.md", "---\ntitle: [\n---\n") }, []string{"content/guide/README.md"}},
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
			fresh := NewLoader()
			fresh.Load(fsys, Options{})
			if g, w := fmt.Sprint(l.Broken), fmt.Sprint(fresh.Broken); g != w {
				t.Errorf("broken %s, want %s", g, w)
			}
		})
	}
}

// TestLoadChangedTrustsTheList shows that files outside the changed paths
// are not looked at: an edit nobody reported is not seen until it is.
func TestLoadChangedTrustsTheList(t *testing.T) {
	dir := t.TempDir()
	testsite.WriteFile(t, dir, "content/a.md", "---\ntitle: Old\n---\n")
	fsys := os.DirFS(dir)
	l := NewLoader()
	if _, diags := l.Load(fsys, Options{}); len(diags) > 0 {
		t.Fatal(diags)
	}
	testsite.WriteFile(t, dir, "content/a.md", "---\ntitle: New, and longer\n---\n")
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

func summary(pages []*Doc) string {
	var lines []string
	for _, p := range pages {
		lines = append(lines, fmt.Sprintf("%s %s %q %x dir=%q index=%v date=%s draft=%v", p.Source, p.URL, p.Title, p.Hash[:4], p.Dir, p.IsIndex, p.Front.Date.Format("2006-01-02"), p.Front.Draft))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}
