package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportWordPress goes as an author does: a new site, an import, a
// build, and the same import again.
func TestImportWordPress(t *testing.T) {
	site := filepath.Join(t.TempDir(), "blog")
	if code, _, errOut := steward("new", "site", site); code != 0 {
		t.Fatalf("new site: %s", errOut)
	}
	export := "../../importer/testdata/wordpress/export.xml"
	code, out, errOut := steward("import", "wordpress", export, "--into", site)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Imported 4 essays and 1 page from export.xml (1 draft).",
		"Left remote (--download-images fetches them):",
		"Removed: 1 newsletter form, 1 share widget, 1 tracking pixel.",
		"Next: steward serve --source " + site + " --drafts",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import said:\n%s\nwant it to contain %q", out, want)
		}
	}
	code, out, errOut = steward("build", "--source", site)
	if code != 0 || errOut != "" {
		t.Errorf("build after import: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = steward("import", "wordpress", "--into", site, export)
	if code != 0 || !strings.Contains(out, "Skipped 5 essays whose file exists (--overwrite replaces them):") {
		t.Errorf("import again: exit %d, %q", code, out)
	}
}

func TestImportRefusals(t *testing.T) {
	notSite := t.TempDir()
	bad := filepath.Join(t.TempDir(), "export.xml")
	os.WriteFile(bad, []byte("<rss><channel><item>"), 0o644)
	site := t.TempDir()
	os.WriteFile(filepath.Join(site, "site.yaml"), []byte("title: T\n"), 0o644)
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"import"}, 2, "steward import substack"},
		{[]string{"help", "import"}, 0, "steward import wordpress"},
		{[]string{"import", "medium", "x"}, 2, `unknown platform "medium"`},
		{[]string{"import", "substack"}, 2, "name the export file"},
		{[]string{"import", "substack", "-h"}, 0, "-include-paid"},
		{[]string{"import", "wordpress", "-h"}, 0, "-download-images"},
		{[]string{"import", "wordpress", "--include-paid", bad}, 2, "flag provided but not defined: -include-paid"},
		{[]string{"import", "wordpress", "--max-image-mb", "0", bad}, 2, "must be more than 0"},
		{[]string{"import", "wordpress", bad, "--into", notSite}, 2, "--into " + notSite + ": not a site"},
		{[]string{"import", "wordpress", filepath.Join(notSite, "none.xml"), "--into", site}, 2, "no such file"},
		{[]string{"import", "wordpress", bad, "--into", site}, 1, "export.xml:1: unexpected EOF"},
		{[]string{"import", "substack", bad, "--into", site}, 2, "not a zip archive"},
	}
	for _, tt := range tests {
		code, o, e := steward(tt.args...)
		if code != tt.code || !strings.Contains(o+e, tt.out) {
			t.Errorf("steward %q: exit %d, output %q; want exit %d and %q", tt.args, code, o+e, tt.code, tt.out)
		}
	}
	for _, dir := range []string{notSite, site} {
		if entries, _ := os.ReadDir(dir); len(entries) > 1 {
			t.Errorf("a refused import wrote into %s: %v", dir, entries)
		}
	}
}
