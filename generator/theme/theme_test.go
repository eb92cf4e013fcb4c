package theme

import (
	"bytes"
	"io/fs"
	"os"
	"path"
	"testing"
)

// TestEmbeddedMatchesRepository keeps the embedded theme identical to the
// repository's layouts/ and static/css/: edit those, then run
// `go generate ./generator/theme`.
func TestEmbeddedMatchesRepository(t *testing.T) {
	repo := os.DirFS("../..")
	for _, dir := range []string{"layouts", "static/css"} {
		seen := map[string]bool{}
		err := fs.WalkDir(repo, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			seen[p] = true
			want, err := fs.ReadFile(repo, p)
			if err != nil {
				return err
			}
			got, err := fs.ReadFile(FS(), p)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: embedded copy is missing or stale; run go generate ./generator/theme", p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_ = fs.WalkDir(FS(), dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !seen[p] {
				t.Errorf("%s: embedded but no longer in the repository; run go generate ./generator/theme", path.Clean(p))
			}
			return nil
		})
	}
}
