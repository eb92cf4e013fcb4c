package content

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestReadBody: a page kept without its text reads it back, and refuses a
// file that no longer holds the bytes the page was parsed from.
func TestReadBody(t *testing.T) {
	dir := t.TempDir()
	text := "---\ntitle: A\n---\n# Not the title\nBody.\n"
	testsite.WriteFile(t, dir, "content/a.md", text)
	page, _ := Parse("content/a.md", []byte(text))
	want := string(page.Body)
	page.Raw, page.Body = nil, nil
	fsys := os.DirFS(dir)
	body, err := ReadBody(fsys, page)
	if err != nil || string(body) != want {
		t.Fatalf("ReadBody = %q, %v; want %q", body, err, want)
	}
	testsite.WriteFile(t, dir, "content/a.md", text+"More.\n")
	if _, err := ReadBody(fsys, page); !errors.Is(err, ErrChanged) {
		t.Fatalf("ReadBody of a changed file: %v, want ErrChanged", err)
	}
}

// TestLoadEditKeepingTimes: a Loader sees an edit that keeps the file's
// size and puts its modification time back, told of the change (as the
// dev server is) or not, while a Load with nothing changed reads nothing.
func TestLoadEditKeepingTimes(t *testing.T) {
	for _, told := range []bool{true, false} {
		dir := t.TempDir()
		testsite.WriteFile(t, dir, "content/a.md", "---\ntitle: A\n---\nThe first essay.\n")
		testsite.WriteFile(t, dir, "content/b.md", "---\ntitle: B\n---\nThe second.\n")
		info, err := os.Stat(filepath.Join(dir, "content", "a.md"))
		if err != nil {
			t.Fatal(err)
		}
		if _, full := StampOf(info); !full {
			t.Skip("this system does not tell a file's change time")
		}
		fsys := os.DirFS(dir)
		l := NewLoader()
		load := func(step string, changed []string) []*Page {
			t.Helper()
			opts := Options{}
			if told {
				opts.Changed = changed
			}
			pages, diags := l.Load(fsys, opts)
			if len(diags) > 0 {
				t.Fatalf("%s: %v", step, diags)
			}
			return pages
		}
		load("first", nil)
		if load("nothing changed", []string{}); l.Read != 0 {
			t.Fatalf("told %v: a Load with nothing changed read %d files, want 0", told, l.Read)
		}
		testsite.EditKeepingTimes(t, dir, "content/a.md")
		pages := load("after the edit", []string{"content/a.md"})
		if l.Read != 1 || len(pages) != 2 || string(pages[0].Body) != "The first essaz.\n" {
			t.Errorf("told %v: after the edit read %d files, first body %q; want 1 and %q", told, l.Read, pages[0].Body, "The first essaz.\n")
		}
	}
}
