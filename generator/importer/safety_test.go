package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestAgainSkipsThenOverwrites: a second import writes nothing and lists
// every essay as skipped; with Overwrite it writes them again, the same.
func TestAgainSkipsThenOverwrites(t *testing.T) {
	for _, imp := range importers {
		t.Run(imp.name, func(t *testing.T) {
			site := newSite(t)
			first, err := imp.run(t, Options{Into: site})
			if err != nil {
				t.Fatal(err)
			}
			before := tree(t, site)
			// The author edits one essay.
			edited := filepath.Join(site, filepath.FromSlash(first.Written[0]))
			if err := os.WriteFile(edited, []byte("---\ntitle: Mine now\n---\nEdited.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			again, err := imp.run(t, Options{Into: site})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Written) != 0 || strings.Join(again.Skipped, " ") != strings.Join(first.Written, " ") {
				t.Errorf("again: wrote %v, skipped %v; want nothing written and %v skipped", again.Written, again.Skipped, first.Written)
			}
			if b, _ := os.ReadFile(edited); string(b) != "---\ntitle: Mine now\n---\nEdited.\n" {
				t.Errorf("the edited essay was replaced without Overwrite")
			}
			over, err := imp.run(t, Options{Into: site, Overwrite: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(over.Skipped) != 0 || len(over.Written) != len(first.Written) {
				t.Errorf("overwrite: wrote %v, skipped %v", over.Written, over.Skipped)
			}
			after := tree(t, site)
			if len(after) != len(before) {
				t.Errorf("after overwriting, %d files; want the %d of the first import", len(after), len(before))
			}
			for p, b := range before {
				if !bytes.Equal(after[p], b) {
					t.Errorf("%s differs after overwriting", p)
				}
			}
		})
	}
}

// TestWritesOnlyContent: an import writes below content/ and nowhere
// else, and leaves no staging folder behind.
func TestWritesOnlyContent(t *testing.T) {
	for _, imp := range importers {
		t.Run(imp.name, func(t *testing.T) {
			site := newSite(t)
			if _, err := imp.run(t, Options{Into: site}); err != nil {
				t.Fatal(err)
			}
			for p := range tree(t, site) {
				if p != "site.yaml" && !strings.HasPrefix(p, "content/") {
					t.Errorf("wrote %s, outside content/", p)
				}
				if strings.Contains(p, "/.") {
					t.Errorf("left %s behind", p)
				}
			}
		})
	}
}

// TestIncludePaid publishes the paid post, with its alias.
func TestIncludePaid(t *testing.T) {
	site := newSite(t)
	sum, err := Substack(context.Background(), zipDir(t, "testdata/substack"), Options{Into: site, IncludePaid: true})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(site, "content", "members-only.md"))
	if strings.Contains(string(b), "draft:") || !strings.Contains(string(b), `aliases: ["/p/members-only/"]`) {
		t.Errorf("members-only.md with IncludePaid:\n%s", b)
	}
	if sum.Paid != 0 || sum.Drafts != 1 {
		t.Errorf("Paid %d, Drafts %d; want 0 and 1 (the unpublished post)", sum.Paid, sum.Drafts)
	}
}

// TestIntoMustBeASite: nothing is written into a folder that is not a
// site, or does not exist.
func TestIntoMustBeASite(t *testing.T) {
	empty := t.TempDir()
	for _, into := range []string{empty, filepath.Join(empty, "missing")} {
		for _, imp := range importers {
			_, err := imp.run(t, Options{Into: into})
			var oe *OptionError
			if !errors.As(err, &oe) || oe.Option != "Into" {
				t.Errorf("%s into %s: err = %v; want an OptionError on Into", imp.name, into, err)
			}
		}
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("wrote %v", entries)
	}
}

// zipFiles writes an archive of the given entries.
func zipFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[name]))
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "export.zip")
	os.WriteFile(p, buf.Bytes(), 0o644)
	return p
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

const goodCSV = "post_id,post_date,is_published,type,audience,title,subtitle\n1.a,2023-01-01T00:00:00.000Z,true,newsletter,everyone,A,\n"

// TestMalformedExports: a damaged export is an error naming the entry or
// the line, and nothing is written.
func TestMalformedExports(t *testing.T) {
	// A zip whose one post is damaged: its bytes no longer match its CRC.
	damaged := func(t *testing.T) string {
		p := zipFiles(t, map[string]string{"posts.csv": goodCSV, "posts/1.a.html": "<p>" + strings.Repeat("An essay. ", 50) + "</p>"})
		b, _ := os.ReadFile(p)
		i := bytes.Index(b, []byte("posts/1.a.html"))
		// The stored data follows the local header's name; flip a byte in it.
		b[i+len("posts/1.a.html")+5] ^= 0xff
		os.WriteFile(p, b, 0o644)
		return p
	}
	xmlFile := func(t *testing.T, s string) string {
		p := filepath.Join(t.TempDir(), "export.xml")
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	wxr, _ := os.ReadFile("testdata/wordpress/export.xml")
	cut := string(wxr[:bytes.Index(wxr, []byte("<wp:post_id>2</wp:post_id>"))])
	// The lines the errors must name: the last of the cut file, and the
	// line of the broken end tag.
	cutLine := strings.Count(cut, "\n") + 1
	brokenLine := bytes.Count(wxr[:bytes.Index(wxr, []byte("<wp:post_name><![CDATA[on-gardens]]>"))], []byte("\n")) + 1
	tests := []struct {
		name string
		run  func(t *testing.T, into string) error
		want string
	}{
		{"not a zip", func(t *testing.T, into string) error {
			_, err := Substack(context.Background(), xmlFile(t, "hello"), Options{Into: into})
			return err
		}, "not a zip archive"},
		{"no posts.csv", func(t *testing.T, into string) error {
			_, err := Substack(context.Background(), zipFiles(t, map[string]string{"posts/1.a.html": "<p>x</p>"}), Options{Into: into})
			return err
		}, "export.zip: no posts.csv"},
		{"posts.csv without post_id", func(t *testing.T, into string) error {
			_, err := Substack(context.Background(), zipFiles(t, map[string]string{"posts.csv": "id,title,is_published,post_date\n1,A,true,\n"}), Options{Into: into})
			return err
		}, "export.zip: posts.csv:1: no column post_id"},
		{"posts.csv with a bad quote", func(t *testing.T, into string) error {
			_, err := Substack(context.Background(), zipFiles(t, map[string]string{"posts.csv": goodCSV + "2.b,,\"false,newsletter\n", "posts/1.a.html": "<p>x</p>"}), Options{Into: into})
			return err
		}, "export.zip: posts.csv:3:"},
		{"damaged entry", func(t *testing.T, into string) error {
			_, err := Substack(context.Background(), damaged(t), Options{Into: into})
			return err
		}, "export.zip: posts/1.a.html:"},
		{"xml cut short", func(t *testing.T, into string) error {
			_, err := WordPress(context.Background(), xmlFile(t, cut), Options{Into: into})
			return err
		}, fmt.Sprintf("export.xml:%d: unexpected EOF; the export is damaged or cut short", cutLine)},
		{"xml broken tag", func(t *testing.T, into string) error {
			_, err := WordPress(context.Background(), xmlFile(t, strings.Replace(string(wxr), "<wp:post_name><![CDATA[on-gardens]]></wp:post_name>", "<wp:post_name>on-gardens</wp:post_nam>", 1)), Options{Into: into})
			return err
		}, fmt.Sprintf("export.xml:%d: element <post_name> closed by </post_nam>", brokenLine)},
		{"rss but not wordpress", func(t *testing.T, into string) error {
			_, err := WordPress(context.Background(), xmlFile(t, `<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>a</title></item></channel></rss>`), Options{Into: into})
			return err
		}, "not a WordPress export"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := testsite.New(t, map[string]string{"site.yaml": "title: T\n"})
			err := tt.run(t, site)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v; want one containing %q", err, tt.want)
			}
			if got := tree(t, site); len(got) != 1 {
				t.Errorf("wrote %d files; want none", len(got)-1)
			}
			if _, err := os.Stat(filepath.Join(site, "content")); err == nil {
				t.Errorf("made content/")
			}
		})
	}
}

// TestSubstackFolder: the archive unpacked imports as the archive does.
func TestSubstackFolder(t *testing.T) {
	fromZip, fromDir := newSite(t), newSite(t)
	if _, err := Substack(context.Background(), zipDir(t, "testdata/substack"), Options{Into: fromZip}); err != nil {
		t.Fatal(err)
	}
	if _, err := Substack(context.Background(), "testdata/substack", Options{Into: fromDir}); err != nil {
		t.Fatal(err)
	}
	a, b := tree(t, fromZip), tree(t, fromDir)
	if len(a) != len(b) {
		t.Fatalf("%d files from the archive, %d from the folder", len(a), len(b))
	}
	for p := range a {
		if !bytes.Equal(a[p], b[p]) {
			t.Errorf("%s differs", p)
		}
	}
}
