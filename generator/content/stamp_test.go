package content

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestReadBody: a page kept without its text reads it back, and refuses a
// file that no longer holds the bytes the page was parsed from.
func TestReadBody(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "content", "a.md")
	os.MkdirAll(filepath.Dir(p), 0o755)
	text := "---\ntitle: A\n---\n# Not the title\nBody.\n"
	os.WriteFile(p, []byte(text), 0o644)
	page, _ := Parse("content/a.md", []byte(text))
	want := string(page.Body)
	page.Raw, page.Body = nil, nil
	fsys := os.DirFS(dir)
	body, err := ReadBody(fsys, page)
	if err != nil || string(body) != want {
		t.Fatalf("ReadBody = %q, %v; want %q", body, err, want)
	}
	os.WriteFile(p, []byte(text+"More.\n"), 0o644)
	if _, err := ReadBody(fsys, page); !errors.Is(err, ErrChanged) {
		t.Fatalf("ReadBody of a changed file: %v, want ErrChanged", err)
	}
}
