package pipeline

import (
	"context"
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// relatedSite: three essays share a tag; the newest is about gardens, the
// other two about delegation; an untagged essay is about gardens too.
var relatedSite = map[string]string{
	"site.yaml": "title: R\nsearch: {enabled: true}\n",
	"content/a.md": "---\ntitle: Letting go\ndate: 2024-01-01\ntags: [leadership]\n---\n" +
		"Delegation is trust. Delegating a decision means trusting the team with it; delegation without trust is abdication.\n",
	"content/b.md": "---\ntitle: Handing over\ndate: 2024-01-02\ntags: [leadership]\n---\n" +
		"Trust comes first: delegation follows trust, and a delegated decision shows it.\n",
	"content/c.md": "---\ntitle: Tending\ndate: 2024-01-05\ntags: [leadership]\n---\n" +
		"A garden needs compost, and compost needs time; the gardener waits for the soil.\n",
	"content/g.md": "---\ntitle: Soil\ndate: 2023-01-01\n---\n" +
		"Compost feeds the soil of a garden; a gardener learns to wait.\n",
}

// relatedTo returns the URLs of the related essays on an essay's page.
func relatedTo(t *testing.T, page string) string {
	t.Helper()
	i := strings.Index(page, `class="related"`)
	if i < 0 {
		return ""
	}
	sec := page[i:]
	sec = sec[:strings.Index(sec, "</section>")]
	var out []string
	for _, part := range strings.Split(sec, `<a href="`)[1:] {
		out = append(out, part[:strings.IndexByte(part, '"')])
	}
	return strings.Join(out, " ")
}

// TestRelatedByTerms: with the search index on, related essays follow
// shared terms as well as shared tags: by tags alone the newest essay of
// the tag (c, on gardens) would come first for a; by terms the other
// essay on delegation does; an essay without tags has the essay whose
// terms are its own. With search turned off no essay is analysed and tags
// alone decide.
func TestRelatedByTerms(t *testing.T) {
	off := maps.Clone(relatedSite)
	off["site.yaml"] = "title: R\nsearch: {enabled: false}\n"
	for _, tt := range []struct {
		files map[string]string
		page  string
		want  string
	}{
		{relatedSite, "a/index.html", "/b/ /c/"},
		{relatedSite, "b/index.html", "/a/ /c/"},
		{relatedSite, "c/index.html", "/g/ /b/ /a/"},
		{relatedSite, "g/index.html", "/c/"},
		{off, "a/index.html", "/c/ /b/"},
		{off, "b/index.html", "/c/ /a/"},
		{off, "c/index.html", "/b/ /a/"},
		{off, "g/index.html", ""},
	} {
		site := buildFiles(t, tt.files, Options{})
		if got := relatedTo(t, fileOf(t, site, tt.page)); got != tt.want {
			t.Errorf("%q, %s: related %q, want %q", tt.files["site.yaml"], tt.page, got, tt.want)
		}
	}
}

// TestRelatedCached: command-line builds with the persistent cache
// analyse no unchanged essay again, and an edit that changes an essay's
// terms changes the related essays as a fresh build does.
func TestRelatedCached(t *testing.T) {
	dir := testsite.New(t, relatedSite)
	cache, out := filepath.Join(t.TempDir(), "cache"), filepath.Join(t.TempDir(), "public")
	build := func(step string) Stats {
		t.Helper()
		st, _, err := NewOneShot().BuildTo(context.Background(), Options{Source: dir, Now: fixedClock, CacheDir: cache}, out)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		fresh := filepath.Join(t.TempDir(), "fresh")
		if _, _, err := NewOneShot().BuildTo(context.Background(), Options{Source: dir, Now: fixedClock}, fresh); err != nil {
			t.Fatal(err)
		}
		sameTree(t, step, readTree(t, out), readTree(t, fresh))
		return st
	}
	if st := build("first"); st.Analysed != 4 {
		t.Errorf("first build analysed %d essays, want 4", st.Analysed)
	}
	if st := build("again"); st.Analysed != 0 || st.Written != 0 {
		t.Errorf("a build with nothing changed analysed %d essays and wrote %d files", st.Analysed, st.Written)
	}
	testsite.WriteFile(t, dir, "content/c.md", "---\ntitle: Tending\ndate: 2024-01-05\ntags: [leadership]\n---\nDelegation and trust, again: delegating is trusting.\n")
	if st := build("edited"); st.Analysed != 1 {
		t.Errorf("a one-essay edit analysed %d essays, want 1", st.Analysed)
	}
	if got := relatedTo(t, string(readTree(t, out)["g/index.html"])); got != "" {
		t.Errorf("g after c left gardens: related %q, want none", got)
	}
}
