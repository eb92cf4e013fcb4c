package pipeline

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/testsite"

	"github.com/steward-ssg/steward/generator/diag"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// fixedClock makes builds reproducible.
func fixedClock() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// TestGolden builds each site under testdata/sites and compares the whole
// output tree with testdata/golden/<site>: a changed, missing or extra file
// fails. Run with -update to rewrite the golden trees after a deliberate
// change, then review the diff.
func TestGolden(t *testing.T) {
	sites, err := os.ReadDir("testdata/sites")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sites {
		t.Run(s.Name(), func(t *testing.T) {
			site, err := NewBuilder().Build(context.Background(), Options{Source: filepath.Join("testdata/sites", s.Name()), Now: fixedClock})
			if err != nil {
				t.Fatalf("build failed:\n%v", err)
			}
			golden := filepath.Join("testdata/golden", s.Name())
			if *update {
				if err := os.RemoveAll(golden); err != nil {
					t.Fatal(err)
				}
				for _, p := range site.Paths() {
					b, _ := site.File(p)
					out := filepath.Join(golden, filepath.FromSlash(p))
					if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(out, b, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				return
			}
			want := map[string][]byte{}
			err = filepath.WalkDir(golden, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(golden, p)
				want[filepath.ToSlash(rel)], err = os.ReadFile(p)
				return err
			})
			if err != nil {
				t.Fatalf("reading golden tree (run go test ./generator/pipeline -run TestGolden -update to create it): %v", err)
			}
			for _, p := range site.Paths() {
				got, _ := site.File(p)
				w, ok := want[p]
				if !ok {
					t.Errorf("extra file %s", p)
					continue
				}
				delete(want, p)
				if !bytes.Equal(got, w) {
					t.Errorf("%s differs from the golden file:\n%s", p, firstDiff(string(got), string(w)))
				}
			}
			var missing []string
			for p := range want {
				missing = append(missing, p)
			}
			sort.Strings(missing)
			for _, p := range missing {
				t.Errorf("missing file %s", p)
			}
		})
	}
}

// firstDiff shows the first differing line of got and want.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(same lines, different bytes)"
}

// wantDiags checks that got holds exactly len(want) diagnostics, in
// order, each the whole message of its want; a want ending in "..." is
// the beginning of a message whose rest another library words (a YAML or
// template parser's), or which the test does not mean to pin.
func wantDiags(t *testing.T, got diag.List, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d diagnostics:\n%v\nwant %d: %q", len(got), got, len(want), want)
	}
	for i, w := range want {
		if !sameMessage(got[i].Error(), w) {
			t.Errorf("diagnostic %d:\n got: %s\nwant: %s", i, got[i].Error(), w)
		}
	}
}

// sameMessage reports whether got is want, or begins with want's
// beginning when want ends in "...".
func sameMessage(got, want string) bool {
	if begin, ok := strings.CutSuffix(want, "..."); ok {
		return strings.HasPrefix(got, begin)
	}
	return got == want
}

// TestErrors holds the promise that bad input fails the build with every
// problem, sorted, each at file:line:col with what to fix.
func TestErrors(t *testing.T) {
	const ok = "---\ntitle: OK\ndate: 2024-01-01\n---\nText.\n"
	tests := []struct {
		name  string
		files map[string]string
		want  []string // each diagnostic, in order (see wantDiags)
	}{
		{"malformed front matter", map[string]string{"content/a.md": "---\ntitle: [oops\n---\n"},
			[]string{"content/a.md:2:8: front matter: ..."}},
		{"date of wrong type", map[string]string{"content/a.md": "---\ndate: yesterday\n---\n"},
			[]string{`content/a.md:2:7: front matter: date: "yesterday" is not a valid date (write it as 2024-03-12, 2024-03-12T09:00:00Z or 2024-03-12 09:00:00 -0700)`}},
		{"tags of wrong type", map[string]string{"content/a.md": "---\ntags: 5\n---\n"},
			[]string{`content/a.md:2:7: front matter: tags: expected a list, like tags: [a, b]`}},
		{"unclosed front matter", map[string]string{"content/a.md": "---\ntitle: A\n"},
			[]string{"content/a.md:1:1: front matter starts with --- but has no closing --- line; add one after the last key"}},
		{"two essays one URL", map[string]string{"content/a.md": "---\nslug: same\n---\n", "content/same.md": ok},
			[]string{"content/same.md:1:1: URL /same/ is claimed by both content/a.md and content/same.md; give one of them another slug or file name"}},
		{"alias claims an essay's URL", map[string]string{"content/a.md": "---\naliases: [/b/]\n---\n", "content/b.md": ok},
			[]string{"content/a.md:1:1: URL /b/ is claimed by both content/b.md and content/a.md (alias); remove the alias from content/a.md's front matter, or give content/b.md another slug or file name"}},
		{"escaping slug", map[string]string{"content/a.md": "---\nslug: ../../etc\n---\n"},
			[]string{`content/a.md:2:7: slug "../../etc" would escape its folder; a slug is one URL segment such as my-essay`}},
		{"escaping alias", map[string]string{"content/a.md": "---\naliases: [../../etc]\n---\n"},
			[]string{`content/a.md:2:11: alias "../../etc" would escape the output folder; write a path such as /old-name/`}},
		{"broken link", map[string]string{"content/a.md": ok + "\nSee [b](b.md).\n"},
			[]string{`content/a.md:7:5: link to "b.md": there is no essay content/b.md (drafts and essays dated in the future are left out unless the build includes them); fix the file name or remove the link`}},
		{"broken anchor", map[string]string{"content/a.md": ok + "\nSee [b](b.md#intro).\n", "content/b.md": "## Intro duction\n"},
			[]string{`content/a.md:7:5: link to #intro: content/b.md has no heading or anchor with that id; its headings are #intro-duction`}},
		{"broken own anchor", map[string]string{"content/a.md": ok + "\n## Here\n\nSee [here](#hear).\n"},
			[]string{`content/a.md:9:5: link to #hear: content/a.md has no heading or anchor with that id; did you mean #here?`}},
		{"not UTF-8", map[string]string{"content/a.md": "---\ntitle: A\n---\nLatin-1 caf\xe9\n"},
			[]string{"content/a.md:4:12: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8"}},
		{"template does not parse", map[string]string{"content/a.md": ok, "layouts/essay.html": "{{define \"main\"}}\n{{.Essay.Title}\n{{end}}"},
			[]string{"layouts/essay.html:2: template: ..."}},
		{"template fails while executing", map[string]string{"content/a.md": ok, "layouts/essay.html": "{{define \"main\"}}\n  {{.Essay.Nope}}\n{{end}}"},
			[]string{"layouts/essay.html:2:10: template: executing \"main\" at <.Essay.Nope>: can't evaluate field Nope in type *layout.Essay (while rendering content/a.md)"}},
		{"unknown site.yaml key", map[string]string{"site.yaml": "title: T\ntitel: T\n", "content/a.md": ok},
			[]string{`site.yaml:2:1: unknown key "titel"; did you mean "title"?`}},
		{"all errors, sorted", map[string]string{"content/b.md": "---\ndate: nope\n---\n", "content/a.md": ok + "[x](zz.md)\n"},
			[]string{`content/a.md:6:1: link to "zz.md": there is no essay content/zz.md (drafts and essays dated in the future are left out unless the build includes them); fix the file name or remove the link`, `content/b.md:2:7: front matter: date: "nope" is not a valid date (write it as 2024-03-12, 2024-03-12T09:00:00Z or 2024-03-12 09:00:00 -0700)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testsite.New(t, tt.files)
			site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
			if err == nil {
				t.Fatalf("build succeeded with %d files, want errors %q", len(site.Paths()), tt.want)
			}
			wantDiags(t, diag.AsList(err).Errors(), tt.want)
		})
	}
}

func TestWarnings(t *testing.T) {
	dir := testsite.New(t, map[string]string{"content/a.md": "---\ntitle: A\ntgas: [x]\n---\n"})
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`content/a.md:3:1: warning: front matter: unknown key "tgas"; did you mean "tags"?`, "site.yaml: warning: no site.yaml found; using the defaults (create site.yaml to set the title and baseURL)"}
	wantDiags(t, site.Warnings(), want)
}

// TestOnlyContent builds a folder that holds nothing but content/: the
// embedded default theme fills every gap.
func TestOnlyContent(t *testing.T) {
	dir := testsite.New(t, map[string]string{"content/hello.md": "# Hello\n\nWorld.\n"})
	site, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "hello/index.html", "css/steward.css", "css/syntax.css", "feed.xml", "sitemap.xml", "robots.txt", "404.html", "tags/index.html"} {
		if _, ok := site.File(p); !ok {
			t.Errorf("missing %s", p)
		}
	}
	page, _ := site.File("hello/index.html")
	if !bytes.Contains(page, []byte("Hello")) || bytes.Count(page, []byte("<h1")) != 1 {
		t.Errorf("hello page should hold its title once as h1:\n%s", page)
	}
}

func TestDraftsAndFuture(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"content/d.md": "---\ntitle: D\ndraft: true\n---\n",
		"content/f.md": "---\ntitle: F\ndate: 2999-01-01\n---\n",
	})
	for _, tt := range []struct {
		opts Options
		d, f bool
	}{{Options{}, false, false}, {Options{Drafts: true}, true, false}, {Options{Future: true}, false, true}} {
		tt.opts.Source, tt.opts.Now = dir, fixedClock
		site, err := NewBuilder().Build(context.Background(), tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		_, d := site.File("d/index.html")
		_, f := site.File("f/index.html")
		if d != tt.d || f != tt.f {
			t.Errorf("drafts=%v future=%v: got draft page %v, future page %v", tt.opts.Drafts, tt.opts.Future, d, f)
		}
	}
}

// TestRebuildEqualsFresh holds the promise the dev server relies on: a
// Builder reused after edits produces what a fresh one does.
func TestRebuildEqualsFresh(t *testing.T) {
	dir := testsite.New(t, map[string]string{
		"content/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nSee [b](b.md#two).\n",
		"content/b.md": "---\ntitle: B\ndate: 2024-01-02\n---\n## Two\n",
	})
	b := NewBuilder()
	steps := []func(){
		func() {},
		func() {
			testsite.WriteFile(t, dir, "content/b.md", "---\ntitle: B2\ndate: 2024-01-02\nslug: bee\n---\n## Two\n")
		},
		func() {
			testsite.WriteFile(t, dir, "content/c.md", "---\ntitle: C\ntags: [x]\n---\nNew.\n")
		},
		func() {
			if err := os.Remove(filepath.Join(dir, "content/c.md")); err != nil {
				t.Fatal(err)
			}
		},
	}
	for i, step := range steps {
		step()
		got, err := b.Build(context.Background(), Options{Source: dir, Now: fixedClock})
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		want, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got.Paths(), " ") != strings.Join(want.Paths(), " ") {
			t.Fatalf("step %d: paths differ:\n got %v\nwant %v", i, got.Paths(), want.Paths())
		}
		for _, p := range want.Paths() {
			g, _ := got.File(p)
			w, _ := want.File(p)
			if !bytes.Equal(g, w) {
				t.Errorf("step %d: %s differs from a fresh build", i, p)
			}
		}
	}
	a, _ := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
	page, _ := a.File("a/index.html")
	if !bytes.Contains(page, []byte(`href="/bee/#two"`)) {
		t.Errorf("link did not follow the renamed slug")
	}
}
