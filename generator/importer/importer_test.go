package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/sitecheck"
	"github.com/steward-ssg/steward/generator/internal/testsite"
	"github.com/steward-ssg/steward/generator/pipeline"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden/")

func clock() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// newSite is a site to import into.
func newSite(t *testing.T) string {
	return testsite.New(t, map[string]string{"site.yaml": "title: Imported\nbaseURL: https://new.example.org/\n"})
}

// zipDir packs a folder of testdata into a zip archive, as Substack
// sends it, and returns the archive's path.
func zipDir(t *testing.T, dir string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Deflate, Modified: clock()})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "export.zip")
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// flags names the options as the command line does, for the summary.
func flags(option string) string {
	return map[string]string{"Overwrite": "--overwrite", "IncludePaid": "--include-paid", "DownloadImages": "--download-images"}[option]
}

// tree reads every file below dir: slash path to contents.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}

// checkGolden compares got (slash path to contents) with the folder
// golden, whole: a missing, extra or different file fails. -update
// rewrites the folder.
func checkGolden(t *testing.T, golden string, got map[string][]byte) {
	t.Helper()
	if *update {
		if err := os.RemoveAll(golden); err != nil {
			t.Fatal(err)
		}
		for p, b := range got {
			testsite.WriteFile(t, golden, p, string(b))
		}
		return
	}
	want := tree(t, golden)
	if len(want) == 0 {
		t.Fatalf("no golden files in %s; run go test -run %s -update", golden, t.Name())
	}
	for p, b := range got {
		w, ok := want[p]
		switch {
		case !ok:
			t.Errorf("%s: written, but not in %s", p, golden)
		case !bytes.Equal(b, w):
			t.Errorf("%s differs from %s:\n--- got\n%s\n--- want\n%s", p, golden, b, w)
		}
	}
	for p := range want {
		if _, ok := got[p]; !ok {
			t.Errorf("%s: in %s, but not written", p, golden)
		}
	}
}

// importers run each import on its fixture.
var importers = []struct {
	name string
	run  func(t *testing.T, opts Options) (*Summary, error)
}{
	{"substack", func(t *testing.T, opts Options) (*Summary, error) {
		return Substack(context.Background(), zipDir(t, "testdata/substack"), opts)
	}},
	{"wordpress", func(t *testing.T, opts Options) (*Summary, error) {
		return WordPress(context.Background(), "testdata/wordpress/export.xml", opts)
	}},
}

// TestGolden imports each fixture into a new site and compares what was
// written below content/, and the summary, with testdata/golden/<name>/;
// then builds the site.
func TestGolden(t *testing.T) {
	for _, imp := range importers {
		t.Run(imp.name, func(t *testing.T) {
			site := newSite(t)
			sum, err := imp.run(t, Options{Into: site})
			if err != nil {
				t.Fatal(err)
			}
			got := tree(t, filepath.Join(site, "content"))
			var report bytes.Buffer
			sum.Report(&report, flags)
			got["summary.txt"] = report.Bytes()
			checkGolden(t, filepath.Join("testdata", "golden", imp.name), got)

			checkBuild(t, site)
		})
	}
}

// checkBuild builds the site with drafts and without: each with no
// error, no warning and no broken link.
func checkBuild(t *testing.T, site string) {
	t.Helper()
	for _, drafts := range []bool{true, false} {
		s, err := pipeline.NewBuilder().Build(context.Background(), pipeline.Options{Source: site, Drafts: drafts, Now: clock})
		if err != nil {
			t.Fatalf("the imported site does not build (drafts %v):\n%v", drafts, err)
		}
		if w := s.Warnings(); len(w) > 0 {
			t.Errorf("the imported site builds with warnings (drafts %v):\n%v", drafts, w)
		}
		if broken := sitecheck.BrokenLinks(s); len(broken) > 0 {
			t.Errorf("broken links (drafts %v):\n%s", drafts, strings.Join(broken, "\n"))
		}
	}
}
