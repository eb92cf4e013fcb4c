package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// skipWithoutChangeTime skips a test of the change time where the system
// does not tell it (Windows): there an edit that keeps the size and the
// modification time goes unseen, as it does in git.
func skipWithoutChangeTime(t *testing.T, file string) {
	t.Helper()
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, full := content.StampOf(info); !full {
		t.Skip("this system does not tell a file's change time")
	}
}

// later is a clock an hour ahead: every stamp is trusted at once, as if
// each build began long after the files were written.
var later = content.Racy{Now: func() time.Time { return time.Now().Add(time.Hour) }}

// TestEditKeepingTimes: an edit that keeps a file's size and puts its
// modification time back is seen by the next build of the same Builder,
// told of the change (as the dev server is) or not, for an essay, a
// static file and a file beside the essays; and a build with nothing
// changed reuses each file's record, so that it is the stamp that tells
// the edited file from the others.
func TestEditKeepingTimes(t *testing.T) {
	files := map[string]string{
		"content/a.md":      "---\ntitle: A\ndate: 2024-01-01\n---\nThe first essay.\n",
		"static/style.css":  "body { color: black; }\n",
		"content/notes.txt": "notes beside the essay\n",
	}
	for _, told := range []bool{true, false} {
		for _, edit := range []struct {
			source, out string
		}{
			{"content/a.md", "a/index.html"},
			{"static/style.css", "style.css"},
			{"content/notes.txt", "notes.txt"},
		} {
			name := edit.source
			if told {
				name += " (told)"
			}
			t.Run(name, func(t *testing.T) {
				dir := testsite.New(t, files)
				skipWithoutChangeTime(t, filepath.Join(dir, filepath.FromSlash(edit.source)))
				b := NewBuilder()
				b.Racy = later // so that the stamp, not the racy rule, tells the edit
				build := func(step string, changed []string) *Site {
					t.Helper()
					opts := Options{Source: dir, Now: fixedClock}
					if told {
						opts.Changed = changed
					}
					site, err := b.Build(context.Background(), opts)
					if err != nil {
						t.Fatalf("%s: %v", step, err)
					}
					return site
				}
				build("first build", nil)
				static, beside := b.static["static/style.css"].data, b.beside["content/notes.txt"]
				if st := build("nothing changed", []string{}).Stats; st.Read != 0 {
					t.Fatalf("a build with nothing changed read %d content files, want 0", st.Read)
				}
				if &b.static["static/style.css"].data[0] != &static[0] || b.beside["content/notes.txt"] != beside {
					t.Fatal("a build with nothing changed did not reuse the records of the static file and the file beside the essays")
				}

				text := testsite.EditKeepingTimes(t, dir, edit.source)
				got := build("after the edit", []string{edit.source})
				want := buildSite(t, dir)
				sameSite(t, "after the edit", got, want)
				if edit.source == "content/a.md" {
					contains(t, edit.out, fileOf(t, got, edit.out), "The first essaz.")
				} else if page := fileOf(t, got, edit.out); page != text {
					t.Errorf("%s = %q, want %q", edit.out, page, text)
				}
			})
		}
	}
}

// sameSite fails for each path that got and want do not share and each
// file whose bytes differ.
func sameSite(t *testing.T, step string, got, want *Site) {
	t.Helper()
	if g, w := strings.Join(got.Paths(), " "), strings.Join(want.Paths(), " "); g != w {
		t.Fatalf("%s: paths differ:\n got %v\nwant %v", step, g, w)
	}
	for _, p := range want.Paths() {
		g, _ := got.File(p)
		w, _ := want.File(p)
		if string(g) != string(w) {
			t.Errorf("%s: %s differs from a fresh build", step, p)
		}
	}
}

// TestRacyStaticAndBeside: a static file or a file beside the essays
// listed within the racy window of its last change is read again by the
// next build, however equal its stamp; once listed after the window, its
// record is reused. The clock is set against the files' own times.
func TestRacyStaticAndBeside(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"content/a.md":      "---\ntitle: A\ndate: 2024-01-01\n---\nThe first essay.\n",
		"static/style.css":  "body { color: black; }\n",
		"content/notes.txt": "notes beside the essay\n",
	})
	var changed int64
	for _, p := range []string{"static/style.css", "content/notes.txt"} {
		info, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		s, _ := content.StampOf(info)
		changed = max(changed, s.CTime, s.MTime)
	}
	var now time.Time
	b := NewBuilder()
	b.Racy = content.Racy{Now: func() time.Time { return now }, Window: time.Second}
	var static *byte
	var beside *besideFile
	for _, step := range []struct {
		name   string
		after  time.Duration // the build's start after the files' change
		reused bool
	}{
		{"first", 500 * time.Millisecond, false},
		{"still racy", 900 * time.Millisecond, false},
		{"no longer racy, but listed racy last time", 1100 * time.Millisecond, false},
		{"trusted", 1200 * time.Millisecond, true},
	} {
		now = time.Unix(0, changed).Add(step.after)
		site, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock})
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if got := fileOf(t, site, "style.css") + fileOf(t, site, "notes.txt"); got != "body { color: black; }\nnotes beside the essay\n" {
			t.Fatalf("%s: served %q", step.name, got)
		}
		sf, bf := &b.static["static/style.css"].data[0], b.beside["content/notes.txt"]
		if reused := sf == static; reused != step.reused {
			t.Errorf("%s: static file's record reused: %v, want %v", step.name, reused, step.reused)
		}
		if reused := bf == beside; reused != step.reused {
			t.Errorf("%s: the record of the file beside the essays reused: %v, want %v", step.name, reused, step.reused)
		}
		static, beside = sf, bf
	}
}
