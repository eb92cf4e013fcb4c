package serve

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/internal/testsite"
	"github.com/steward-ssg/steward/generator/pipeline"
)

// later is a clock an hour ahead: a Builder given it trusts every stamp at
// once, as if each build began long after the files were written.
var later = content.Racy{Now: func() time.Time { return time.Now().Add(time.Hour) }}

// TestServeEditKeepingTimes: the dev server serves an edit that keeps a
// file's size and puts its modification time back, for an essay, a static
// file and a file beside the essays (the Builder it keeps compares each
// file's whole stamp, change time included).
func TestServeEditKeepingTimes(t *testing.T) {
	src := testsite.New(t, map[string]string{
		"content/essay.md":  essay("First essay", "Original body."),
		"static/style.css":  "body { color: black; }\n",
		"content/notes.txt": "notes beside the essay\n",
	})
	info, err := os.Stat(filepath.Join(src, "content", "essay.md"))
	if err != nil {
		t.Fatal(err)
	}
	if _, full := content.StampOf(info); !full {
		t.Skip("this system does not tell a file's change time")
	}
	// The Builder's clock runs an hour ahead, so that it trusts the stamps
	// of the first build at once: the stamp, not the racy rule, tells the
	// edits.
	b := pipeline.NewBuilder()
	b.Racy = later
	r := startRunBuilder(t, Options{Source: src}, b)
	for _, edit := range []struct{ source, path, want string }{
		{"content/essay.md", "essay/", "Original bodz."},
		{"static/style.css", "style.css", "body { color: blacl; }\n"},
		{"content/notes.txt", "notes.txt", "notes beside the essaz\n"},
	} {
		testsite.EditKeepingTimes(t, src, edit.source)
		eventually(t, edit.source+" edited, served", func() error {
			_, body, err := fetch(r.url + edit.path)
			if err == nil && !strings.Contains(body, edit.want) {
				err = fmt.Errorf("served %q, want it to hold %q", body, edit.want)
			}
			return err
		})
		if err := sameAsFresh(src, r.url); err != nil {
			t.Errorf("after editing %s: %v", edit.source, err)
		}
	}
}
