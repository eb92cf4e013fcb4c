package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

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
