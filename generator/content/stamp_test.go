package content

import (
	"errors"
	"os"
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
