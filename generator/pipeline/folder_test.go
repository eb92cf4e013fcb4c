package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/pipeline/internal/filelock"
)

// TestStagingLeftovers: a build removes the staging folders that killed
// builds of its output folder left, and refuses to start, touching
// nothing, while another build of that folder runs.
func TestStagingLeftovers(t *testing.T) {
	if !filelock.Supported {
		t.Skip("no file locking on this system")
	}
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	leftover := filepath.Join(parent, ".public.new-12345")
	// Staging folders of other output folders: blog and public.new-x.
	other := filepath.Join(parent, ".blog.new-12345")
	other2 := filepath.Join(parent, ".public.new-x.new-12345")
	for _, d := range []string{leftover, other, other2} {
		if err := os.MkdirAll(filepath.Join(d, "essay"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "essay", "index.html"), []byte("<p>half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	running := NewFolder(dest)
	if err := running.open(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("leftover staging folder after a build started: %v, want it removed", err)
	}
	for _, d := range []string{other, other2} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("another output folder's staging folder: %v, want it kept", err)
		}
	}
	err := NewFolder(dest).open(nil)
	if want := "another build is writing to " + dest + "; wait for it to finish"; err == nil || err.Error() != want {
		t.Errorf("second build while one runs: got %v, want %q", err, want)
	}
	if _, err := os.Stat(running.staging); err != nil {
		t.Errorf("the running build's staging folder: %v, want it kept", err)
	}
	running.abort()
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if want := []string{filepath.Base(other), filepath.Base(other2)}; !slices.Equal(names, want) {
		t.Errorf("after abort the parent folder holds %v, want %v", names, want)
	}
}

// TestOutputChangedByHand: a build with the persistent cache keeps an
// output file only while it is as the last build wrote it. Files edited,
// replaced, removed or turned into something else in the output folder
// since are written again, and the folder equals a fresh build's; the
// files left alone are not written.
func TestOutputChangedByHand(t *testing.T) {
	site := newCachedSite(t, 12, 8)
	site.build(t, "first build")
	var pages []string
	for p := range readTree(t, site.out) {
		if strings.HasSuffix(p, "/index.html") && !strings.HasPrefix(p, "tags/") && !strings.HasPrefix(p, "page/") {
			pages = append(pages, p)
		}
	}
	slices.Sort(pages)
	hour := time.Now().Add(-time.Hour)
	changes := []struct {
		name   string
		change func(full string) error
	}{
		{"edited, longer", func(full string) error {
			f, err := os.OpenFile(full, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				return err
			}
			_, err = f.WriteString("<p>added by hand</p>")
			return errors.Join(err, f.Close())
		}},
		{"edited, same size", func(full string) error {
			b, err := os.ReadFile(full)
			if err != nil {
				return err
			}
			b[len(b)/2] ^= 1
			if err := os.WriteFile(full, b, 0o644); err != nil {
				return err
			}
			// Written within the clock tick of the build, it could keep
			// the recorded time; an edit by hand comes later.
			return os.Chtimes(full, hour, hour)
		}},
		{"replaced", func(full string) error {
			if err := os.WriteFile(full+".new", []byte("<p>another page</p>"), 0o644); err != nil {
				return err
			}
			return os.Rename(full+".new", full)
		}},
		{"removed", os.Remove},
		{"a folder now", func(full string) error {
			if err := os.Remove(full); err != nil {
				return err
			}
			return os.Mkdir(full, 0o755)
		}},
		{"a link to its copy", func(full string) error {
			b, err := os.ReadFile(full)
			if err != nil {
				return err
			}
			copied := filepath.Join(t.TempDir(), "copy.html")
			if err := os.WriteFile(copied, b, 0o644); err != nil {
				return err
			}
			if err := os.Remove(full); err != nil {
				return err
			}
			return os.Symlink(copied, full)
		}},
	}
	if len(pages) < len(changes) {
		t.Fatalf("%d essay pages, want at least %d", len(pages), len(changes))
	}
	for i, c := range changes {
		if err := c.change(filepath.Join(site.out, filepath.FromSlash(pages[i]))); err != nil {
			if c.name == "a link to its copy" && runtime.GOOS == "windows" {
				continue // symbolic links need a privilege there
			}
			t.Fatalf("%s: %v", c.name, err)
		}
	}
	st := site.build(t, "after the changes by hand")
	if st.Rendered != len(changes) || st.Written != len(changes) {
		t.Errorf("after changing %d files by hand: rendered %d, written %d; want %d and %d", len(changes), st.Rendered, st.Written, len(changes), len(changes))
	}
	if st := site.build(t, "after that"); st.Rendered != 0 || st.Written != 0 {
		t.Errorf("a build after the one that mended them: rendered %d, written %d; want 0 and 0", st.Rendered, st.Written)
	}
}
