package content

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// later is a clock an hour ahead: every stamp is trusted at once, as if
// each Load began long after the files were written.
var later = Racy{Now: func() time.Time { return time.Now().Add(time.Hour) }}

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
		l.Racy = later // so that the stamp, not the racy rule, tells the edit
		load := func(step string, changed []string) []*Doc {
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

// TestRacy: a file is read again by every Load that finds its stamp
// unchanged until a Load has taken the stamp more than the window after
// the file's last change; a file read again with the same bytes keeps its
// page. The clock is set against the files' own change times, so the test
// neither sleeps nor depends on how fast it runs.
func TestRacy(t *testing.T) {
	dir := t.TempDir()
	testsite.WriteFile(t, dir, "content/a.md", "---\ntitle: A\n---\nThe first essay.\n")
	testsite.WriteFile(t, dir, "content/b.md", "---\ntitle: B\n---\nThe second.\n")
	var changed int64 // the later change of the two files
	for _, p := range []string{"a.md", "b.md"} {
		info, err := os.Stat(filepath.Join(dir, "content", p))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := StampOf(info)
		changed = max(changed, s.CTime, s.MTime)
	}
	var now time.Time
	fsys := os.DirFS(dir)
	l := NewLoader()
	l.Racy = Racy{Now: func() time.Time { return now }, Window: time.Second}
	var last []*Doc
	for _, step := range []struct {
		name  string
		after time.Duration // the Load's start after the files' change
		read  int
		same  bool // the same pages as the Load before
	}{
		{"first", 500 * time.Millisecond, 2, false},
		{"still racy", 900 * time.Millisecond, 2, true},
		{"no longer racy, but taken racy last time", 1100 * time.Millisecond, 2, true},
		{"trusted", 1200 * time.Millisecond, 0, true},
	} {
		now = time.Unix(0, changed).Add(step.after)
		pages, diags := l.Load(fsys, Options{})
		if len(diags) > 0 {
			t.Fatalf("%s: %v", step.name, diags)
		}
		if l.Read != step.read {
			t.Errorf("%s: read %d files, want %d", step.name, l.Read, step.read)
		}
		if same := len(pages) == 2 && len(last) == 2 && pages[0] == last[0] && pages[1] == last[1]; same != step.same {
			t.Errorf("%s: the same pages as before: %v, want %v", step.name, same, step.same)
		}
		last = pages
	}
	if !(Racy{}).Trusted(Stamp{CTime: 1}, time.Unix(0, 1).Add(RacyWindow+1)) || (Racy{}).Trusted(Stamp{CTime: 1}, time.Unix(0, 1).Add(RacyWindow)) {
		t.Error("the zero Racy's window is not RacyWindow, or its edge is not racy")
	}
	if (Racy{}).Trusted(Stamp{MTime: 5e9}, time.Unix(5, 5e8)) || !(Racy{}).Trusted(Stamp{MTime: 5e9}, time.Unix(7, 0)) {
		t.Error("a stamp without a change time is not judged by its modification time")
	}
}
