package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/diag"

	"github.com/steward-ssg/steward/generator/internal/corpus"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// indexedURLs returns the URLs of the essays in a built site's search
// index, in the index's order, checking that the meta counts them.
func indexedURLs(t *testing.T, site *Site) []string {
	t.Helper()
	var meta struct{ N int }
	if err := json.Unmarshal([]byte(fileOf(t, site, "search/index.json")), &meta); err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, p := range site.Paths() {
		if strings.HasPrefix(p, "search/d/") {
			var r struct{ U, T, D, X string }
			if err := json.Unmarshal([]byte(fileOf(t, site, p)), &r); err != nil {
				t.Fatal(err)
			}
			urls = append(urls, r.U)
		}
	}
	if len(urls) != meta.N {
		t.Errorf("the meta counts %d essays, %d results were written", meta.N, len(urls))
	}
	sort.Strings(urls)
	return urls
}

var searchSite = map[string]string{
	"site.yaml":          "title: S\nsearch: {enabled: true}\n",
	"content/a.md":       "---\ntitle: Alpha\ndate: 2024-01-01\ntags: [x]\n---\nDelegation matters.\n",
	"content/b.md":       "---\ntitle: Beta\ndate: 2024-01-02\nsearch: false\n---\nHidden from search.\n",
	"content/c.md":       "---\ntitle: Gamma\ndate: 2024-01-03\ndraft: true\n---\nA draft.\n",
	"content/d.md":       "---\ntitle: Delta\ndate: 2999-01-01\n---\nFrom the future.\n",
	"content/notes/e.md": "---\ntitle: Epsilon\n---\n## Running meetings\n\nText.\n",
}

// TestSearchIndexHoldsPublishedEssays: drafts and future essays only when
// built with them, never an essay with search: false, never a folder's
// page; the search page and the script are written.
func TestSearchIndexHoldsPublishedEssays(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"published", Options{}, "/a/ /notes/e/"},
		{"with drafts", Options{Drafts: true}, "/a/ /c/ /notes/e/"},
		{"with future", Options{Future: true}, "/a/ /d/ /notes/e/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := buildFiles(t, searchSite, tt.opts)
			if got := strings.Join(indexedURLs(t, site), " "); got != tt.want {
				t.Errorf("indexed %s, want %s", got, tt.want)
			}
		})
	}
	site := buildFiles(t, searchSite, Options{})
	page := fileOf(t, site, "search/index.html")
	contains(t, "search page", page, `<form class="search-form" role="search" action="/search/"`, `data-index="/search/"`, `<label for="search-q">`,
		`role="status" aria-live="polite"`, "Search needs JavaScript", `<a href="/tags/x/">x</a>`, `<script type="module" src="/search.`)
	contains(t, "essay page", fileOf(t, site, "a/index.html"), `<form class="site-search" role="search" action="/search/" method="get">`)
	if strings.Contains(fileOf(t, site, "a/index.html"), "search.") && strings.Contains(fileOf(t, site, "a/index.html"), `<script type="module" src="/search.`) {
		t.Error("the essay page loads the search script")
	}
	if strings.Contains(fileOf(t, site, "sitemap.xml"), "/search/") {
		t.Error("the sitemap lists the search page")
	}
	var js string
	for _, p := range site.Paths() {
		if strings.HasPrefix(p, "search.") && strings.HasSuffix(p, ".js") {
			js = p
		}
	}
	if js == "" || !strings.Contains(page, `src="/`+js+`"`) {
		t.Errorf("the search page does not load the script written (%q)", js)
	}
	heading := fileOf(t, site, "search/s/_.json")
	if !strings.Contains(heading, `"run"`) || !strings.Contains(heading, `"running":"run"`) {
		t.Errorf("the heading's words are not indexed by stem: %s", heading)
	}
}

// TestSiteSearchPageWins: a site's own page at /search/ (as many Hugo
// themes have) is written instead of Steward's search page, with a
// warning; the search index is still written.
func TestSiteSearchPageWins(t *testing.T) {
	site, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, map[string]string{
		"site.yaml":         "title: T\nsearch: {enabled: true}\n",
		"content/search.md": "---\ntitle: Find\n---\nMy own search.\n",
		"content/a.md":      "---\ntitle: A\n---\nText.\n",
	}), Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	wantDiags(t, site.Warnings(), []string{"content/search.md:1:1: warning: this page takes /search/, so Steward's search page is not written (the header's search field leads here); rename or remove it to get Steward's search"})
	if page := fileOf(t, site, "search/index.html"); !strings.Contains(page, "My own search.") {
		t.Errorf("/search/ is not the site's own page:\n%s", page)
	}
	if _, ok := site.File("search/index.json"); !ok {
		t.Error("the search index is not written")
	}
}

// TestSearchEssayWithErrors: with search on, an essay with an error is
// reported for that error alone, by the build from memory and by the
// command line's (it has no analysis; it said "internal error: the essay
// was not analysed" as well).
func TestSearchEssayWithErrors(t *testing.T) {
	files := map[string]string{
		"site.yaml":    "title: T\nsearch: {enabled: true}\n",
		"content/a.md": "---\ntitle: A\n---\nSee [b](b.md).\n",
		"content/c.md": "---\ntitle: C\n---\nFine.\n",
	}
	want := []string{`content/a.md:4:5: link to "b.md": there is no essay content/b.md` + noEssay}
	_, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	wantDiags(t, diag.AsList(err), want)
	_, _, err = NewOneShot().BuildTo(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock, CacheDir: filepath.Join(t.TempDir(), "cache")}, filepath.Join(t.TempDir(), "public"))
	wantDiags(t, diag.AsList(err), want)
}

// TestSearchOneURLManyEssays: essays that claim one URL (the yearly
// reports of letsencrypt's website, each with the same slug) fail the
// build on that alone, by the build from memory and by the command
// line's: the search index numbers them the same way before and after the
// plan (they said "internal error: the essay was analysed as number 105
// of the search index, not 107" as well).
func TestSearchOneURLManyEssays(t *testing.T) {
	files := map[string]string{"site.yaml": "title: T\n"}
	for _, d := range []string{"2015-7-1", "2016-10-1", "2016-4-1", "2014-12-1"} {
		files["content/post/"+d+"-report.md"] = "---\ntitle: Report\ndate: " + d + "\nslug: report\n---\nThe yearly report.\n"
	}
	want := []string{
		"content/post/2015-7-1-report.md:1:1: URL /post/report/ is claimed by both content/post/2014-12-1-report.md and content/post/2015-7-1-report.md...",
		"content/post/2016-10-1-report.md:1:1: URL /post/report/ is claimed by both content/post/2014-12-1-report.md and content/post/2016-10-1-report.md...",
		"content/post/2016-4-1-report.md:1:1: URL /post/report/ is claimed by both content/post/2014-12-1-report.md and content/post/2016-4-1-report.md...",
	}
	_, err := NewBuilder().Build(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock})
	wantDiags(t, diag.AsList(err), want)
	for _, cacheDir := range []string{filepath.Join(t.TempDir(), "cache"), ""} { // with the cache, and without (--no-cache)
		_, _, err = NewOneShot().BuildTo(context.Background(), Options{Source: testsite.New(t, files), Now: fixedClock, CacheDir: cacheDir}, filepath.Join(t.TempDir(), "public"))
		wantDiags(t, diag.AsList(err), want)
	}
}

// TestSearchEditRewritesLittle: after one essay's edit, only its result,
// the meta and the shards of its words are written anew; a rebuild with
// nothing changed writes nothing of the index.
func TestSearchEditRewritesLittle(t *testing.T) {
	site := newCachedSite(t, 40, 5)
	testsite.WriteFile(t, site.dir, "site.yaml", "title: Corpus\nbaseURL: https://corpus.example.org\nsearch: {enabled: true}\n")
	site.build(t, "first")
	before := readTree(t, site.out)
	st := site.build(t, "again")
	if st.Written != 0 || st.Analysed != 0 {
		t.Errorf("a build with nothing changed wrote %d files and analysed %d essays", st.Written, st.Analysed)
	}
	stamps := modTimes(t, site.out)
	names, err := filepath.Glob(filepath.Join(site.dir, "content", "*.md"))
	if err != nil || len(names) == 0 {
		t.Fatal(names, err)
	}
	sort.Strings(names)
	f := names[7]
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f, append(b, []byte("\nA zeugma.\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	st = site.build(t, "edited")
	if st.Analysed != 1 {
		t.Errorf("a one-essay edit analysed %d essays, want 1", st.Analysed)
	}
	after := readTree(t, site.out)
	// What did not change was not written again: its file is the same
	// file, with the same modification time.
	for p, mt := range modTimes(t, site.out) {
		if strings.HasPrefix(p, "search/") && string(before[p]) == string(after[p]) && !mt.Equal(stamps[p]) {
			t.Errorf("%s was written again, unchanged", p)
		}
	}
	var changed []string
	for p, d := range after {
		if strings.HasPrefix(p, "search/") && string(before[p]) != string(d) {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	if len(changed) < 3 || changed[0] != "search/d/7.json" || changed[1] != "search/index.json" {
		t.Fatalf("changed %q, want the essay's result, the meta and its shards", changed)
	}
	for _, p := range changed[2:] {
		if !strings.HasPrefix(p, "search/s/") {
			t.Errorf("%s changed", p)
		}
	}
	if !strings.Contains(string(after["search/s/"+shardOf(t, after, "zeugma")+".json"]), `"zeugma"`) {
		t.Error("the new word is not in its shard")
	}
}

// shardOf names the shard file of a word, from a built index's meta.
func shardOf(t *testing.T, tree map[string][]byte, w string) string {
	var meta struct{ S []string }
	if err := json.Unmarshal(tree["search/index.json"], &meta); err != nil {
		t.Fatal(err)
	}
	best := "-"
	for _, p := range meta.S {
		if strings.HasPrefix(w, p) && (best == "-" || len(p) > len(best)) {
			best = p
		}
	}
	if best == "" {
		return "_"
	}
	return best
}

// modTimes returns the modification time of every file under dir, by
// slash path.
func modTimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = fi.ModTime()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestSearchIndexUpdated: the dev server's Builder updates its index
// after an edit (updatedIndex) or makes it anew when essays are numbered
// anew; after every step its search files are those of a fresh build.
func TestSearchIndexUpdated(t *testing.T) {
	files := map[string]string{"site.yaml": "title: S\nsearch: {enabled: true}\n"}
	for i, text := range []string{"Leaders delegate to the team.", "Servants lead by serving.", "Compost and patience.", "The team decides.", "Trust, then delegation.", "Gardens grow slowly."} {
		files[fmt.Sprintf("content/e%d.md", i)] = fmt.Sprintf("---\ntitle: Essay %d\n---\n%s\n", i, text)
	}
	dir := testsite.New(t, files)
	b := NewBuilder()
	for _, step := range []struct {
		name string
		edit func()
	}{
		{"first", func() {}},
		{"a body edited", func() {
			testsite.WriteFile(t, dir, "content/e1.md", "---\ntitle: Essay 1\n---\nServants listen; leaders delegate.\n")
		}},
		{"a title edited", func() {
			testsite.WriteFile(t, dir, "content/e3.md", "---\ntitle: Deciding together\n---\nThe team decides.\n")
		}},
		{"a word no essay has any more", func() { testsite.WriteFile(t, dir, "content/e2.md", "---\ntitle: Essay 2\n---\nNothing here.\n") }},
		{"an essay added", func() { testsite.WriteFile(t, dir, "content/d.md", "---\ntitle: D\n---\nDelegation, again.\n") }},
		{"an essay left out", func() {
			testsite.WriteFile(t, dir, "content/e4.md", "---\ntitle: Essay 4\nsearch: false\n---\nTrust.\n")
		}},
		{"an essay removed", func() { os.Remove(filepath.Join(dir, "content/e0.md")) }},
		{"two edited", func() {
			testsite.WriteFile(t, dir, "content/e5.md", "---\ntitle: Essay 5\n---\nGardens, compost, delegation.\n")
			testsite.WriteFile(t, dir, "content/e1.md", "---\ntitle: Essay 1\n---\nServants.\n")
		}},
	} {
		step.edit()
		got, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock})
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		want, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range want.Paths() {
			if !strings.HasPrefix(p, "search/") {
				continue
			}
			n++
			w, _ := want.File(p)
			if g, ok := got.File(p); !ok || string(g) != string(w) {
				t.Errorf("%s: %s is\n%s\nwant\n%s", step.name, p, g, w)
			}
		}
		if n < 3 {
			t.Fatalf("%s: only %d search files", step.name, n)
		}
	}
}

// TestSearchIndexFromState: `steward build` after an edit changes the
// index the cache kept where the edit changed it (indexFromState), and
// after every step the site is the one a build without any cache makes;
// essays added, removed or left out of search, which number the essays
// anew, make the index anew.
func TestSearchIndexFromState(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Write(dir, corpus.Options{Essays: 30, Seed: 9, Search: true}); err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(dir, "content", "*.md"))
	if err != nil || len(names) < 30 {
		t.Fatal(names, err)
	}
	sort.Strings(names)
	appendTo := func(name, text string) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		testsite.WriteFile(t, dir, "content/"+filepath.Base(name), string(b)+text)
	}
	opts := Options{Source: dir, Now: fixedClock, CacheDir: filepath.Join(t.TempDir(), "cache")}
	out := filepath.Join(t.TempDir(), "public")
	for _, step := range []struct {
		name, how string
		edit      func()
	}{
		{"first", "anew", func() {}},
		{"nothing changed", "kept", func() {}},
		{"a new word", "state", func() { appendTo(names[3], "\nA zeugma, and syzygy.\n") }},
		{"another essay's new word", "state", func() { appendTo(names[11], "\nQuixotic.\n") }},
		{"the words taken back", "state", func() {
			b, _ := os.ReadFile(names[3])
			testsite.WriteFile(t, dir, "content/"+filepath.Base(names[3]), strings.Replace(string(b), "\nA zeugma, and syzygy.\n", "", 1))
		}},
		{"two essays at once", "state", func() {
			appendTo(names[5], "\nDelegation, delegation.\n")
			appendTo(names[20], "\nTrust.\n")
		}},
		{"left out of search", "anew", func() {
			b, _ := os.ReadFile(names[8])
			testsite.WriteFile(t, dir, "content/"+filepath.Base(names[8]), strings.Replace(string(b), "---\n", "---\nsearch: false\n", 1))
		}},
		{"an essay added", "anew", func() {
			testsite.WriteFile(t, dir, "content/zz-new.md", "---\ntitle: New\ndate: 2024-05-01\n---\nA new essay on compost.\n")
		}},
		{"then edited", "state", func() { appendTo(filepath.Join(dir, "content", "zz-new.md"), "\nAnd patience.\n") }},
		{"an essay removed", "anew", func() { os.Remove(names[0]) }},
	} {
		step.edit()
		b := NewOneShot()
		if _, _, err := b.BuildTo(context.Background(), opts, out); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if b.indexHow != step.how {
			t.Errorf("%s: the index was %q, want %q", step.name, b.indexHow, step.how)
		}
		fresh := filepath.Join(t.TempDir(), "fresh")
		if _, _, err := NewOneShot().BuildTo(context.Background(), Options{Source: dir, Now: fixedClock}, fresh); err != nil {
			t.Fatal(err)
		}
		sameTree(t, step.name, readTree(t, out), readTree(t, fresh))
	}
}
