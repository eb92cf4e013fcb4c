package scaffold

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/internal/sitecheck"
	"github.com/steward-ssg/steward/generator/internal/testsite"
	"github.com/steward-ssg/steward/generator/pipeline"
	"github.com/steward-ssg/steward/generator/selfcheck"
)

func clock() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }

// TestSiteBuildsClean: a new site builds with no warning, its example
// essay shows a footnote and a self-check, and no link is broken.
func TestSiteBuildsClean(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blog")
	wrote, err := Site(SiteOptions{Dir: dir, Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".gitignore", "content/your-first-essay.md", "site.yaml", "static/"}
	slices.Sort(wrote)
	if !slices.Equal(wrote, want) {
		t.Errorf("wrote %v, want %v", wrote, want)
	}
	if fi, err := os.Stat(filepath.Join(dir, "static")); err != nil || !fi.IsDir() {
		t.Errorf("static/ is not a folder: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ".gitignore")); string(b) != "/public/\n" {
		t.Errorf(".gitignore = %q", b)
	}
	s, err := pipeline.NewBuilder().Build(context.Background(), pipeline.Options{Source: dir, Now: clock})
	if err != nil {
		t.Fatalf("the new site does not build:\n%v", err)
	}
	if w := s.Warnings(); len(w) > 0 {
		t.Errorf("the new site builds with warnings:\n%v", w)
	}
	page, ok := s.File("your-first-essay/index.html")
	if !ok {
		t.Fatalf("no your-first-essay/index.html among %v", s.Paths())
	}
	for _, want := range []string{`id="sc-first-draft"`, `class="footnotes"`, `<h2 id="a-self-check"`, `datetime="2025-06-01`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("the example essay lacks %s", want)
		}
	}
	if home, _ := s.File("index.html"); !strings.Contains(string(home), "Your First Essay") {
		t.Errorf("the home page does not list the example essay")
	}
	if broken := sitecheck.BrokenLinks(s); len(broken) > 0 {
		t.Errorf("broken links:\n%s", strings.Join(broken, "\n"))
	}
	feed, _ := s.File("feed.xml")
	if probs := sitecheck.CheckFeed(feed, "https://example.org/"); len(probs) > 0 {
		t.Errorf("feed: %v", probs)
	}
}

// TestSiteRefusesNonEmptyFolder: nothing of the author's is replaced.
func TestSiteRefusesNonEmptyFolder(t *testing.T) {
	dir := testsite.New(t, map[string]string{"notes.txt": "mine"})
	_, err := Site(SiteOptions{Dir: dir, Now: clock})
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option != "Dir" || !strings.Contains(oe.Reason, "not empty (it holds notes.txt)") {
		t.Fatalf("err = %v, want an OptionError on Dir saying it holds notes.txt", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d entries after the refusal, want 1", len(entries))
	}
	// An empty folder is fine.
	empty := t.TempDir()
	if _, err := Site(SiteOptions{Dir: empty, Now: clock}); err != nil {
		t.Errorf("an empty folder: %v", err)
	}
}

// commented matches a setting left at its default: "# key: value".
var commented = regexp.MustCompile(`(?m)^(\s*)# ([a-z_][A-Za-z_]*:(?: .*)?)$`)

// TestSiteYAMLExplainsEveryKey: every key site.yaml can hold is in the new
// site's site.yaml, set or commented out; uncommented, the file is still
// valid, and the self-check's texts are the defaults.
func TestSiteYAMLExplainsEveryKey(t *testing.T) {
	b, err := skeleton.ReadFile("skeleton/site.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	for _, key := range yamlKeys(reflect.TypeOf(config.Config{})) {
		if !regexp.MustCompile(`(?m)(^[#\s-]*|[{,]\s*)` + regexp.QuoteMeta(key) + `:`).MatchString(src) {
			t.Errorf("site.yaml does not mention %s", key)
		}
	}
	if _, diags := config.Parse(b); len(diags) > 0 {
		t.Errorf("site.yaml: %v", diags)
	}
	open := commented.ReplaceAllString(src, "$1$2")
	if open == src {
		t.Fatal("no setting is commented out; the test's pattern is stale")
	}
	c, diags := config.Parse([]byte(open))
	if len(diags) > 0 {
		t.Fatalf("site.yaml with every setting uncommented:\n%s\n%v", open, diags)
	}
	if c.SelfCheck != selfcheck.DefaultStrings() {
		t.Errorf("the self-check texts in site.yaml are not the defaults:\ngot  %+v\nwant %+v", c.SelfCheck, selfcheck.DefaultStrings())
	}
	d := config.Defaults()
	if c.Markdown != d.Markdown || c.Links != d.Links {
		t.Errorf("markdown and links in site.yaml are not the defaults: got %+v %+v, want %+v %+v", c.Markdown, c.Links, d.Markdown, d.Links)
	}
}

// yamlKeys lists the keys of a struct's yaml tags, and of its struct
// fields' (depth first), without their parents' names.
func yamlKeys(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, name)
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			out = append(out, yamlKeys(ft)...)
		}
	}
	return out
}

func TestEssay(t *testing.T) {
	tests := []struct {
		name, title, section string
		want                 string // path below the site, slash form; "" for an error
		err                  string
	}{
		{name: "plain", title: "Title of the Essay", want: "content/title-of-the-essay.md"},
		{name: "punctuation", title: "  What's next? (A Draft)  ", want: "content/what-s-next-a-draft.md"},
		{name: "accents kept as the build keeps them", title: "Café Über", want: "content/café-über.md"},
		{name: "section", title: "On Notes", section: "notes", want: "content/notes/on-notes.md"},
		{name: "nested section", title: "On Notes", section: "notes/2025/", want: "content/notes/2025/on-notes.md"},
		{name: "section given with content/", title: "X", section: "content/notes", want: "content/notes/x.md"},
		{name: "no title", title: "  ", err: "give the essay a title"},
		{name: "no letter", title: "!!!", err: "no letter or digit"},
		{name: "section escapes", title: "X", section: "../x", err: "below content/"},
		{name: "unpublished section", title: "X", section: "_drafts", err: "not published"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testsite.New(t, map[string]string{"site.yaml": "title: T\n"})
			got, err := Essay(EssayOptions{Source: dir, Title: tt.title, Section: tt.section, Now: clock})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(dir, filepath.FromSlash(tt.want)); got != want {
				t.Fatalf("path = %s, want %s", got, want)
			}
			b, _ := os.ReadFile(got)
			wantFront := "---\ntitle: " + yamlTitle(tt.title) + "\ndate: 2025-06-01\ndraft: true\n---\n"
			if string(b) != wantFront {
				t.Errorf("file =\n%s\nwant\n%s", b, wantFront)
			}
			// The build takes the essay as written, with no warning, at
			// the URL its file name gives.
			s, err := pipeline.NewBuilder().Build(context.Background(), pipeline.Options{Source: dir, Now: clock, Drafts: true})
			if err != nil {
				t.Fatal(err)
			}
			if w := s.Warnings().Errors(); len(w) > 0 {
				t.Errorf("errors: %v", w)
			}
			u, ok := s.URLOf(tt.want)
			wantURL := "/" + strings.TrimSuffix(strings.TrimPrefix(tt.want, "content/"), ".md") + "/"
			if !ok || u != wantURL {
				t.Errorf("URL = %q (%v), want %q", u, ok, wantURL)
			}
			// A second essay of the same title is refused, the first kept.
			if _, err := Essay(EssayOptions{Source: dir, Title: tt.title, Section: tt.section, Now: clock}); err == nil || !strings.Contains(err.Error(), "already exists") {
				t.Errorf("a second essay of the same title: err = %v, want already exists", err)
			}
			if again, _ := os.ReadFile(got); string(again) != string(b) {
				t.Errorf("the first essay changed")
			}
		})
	}
}

func yamlTitle(s string) string {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "'?()") {
		return `"` + s + `"`
	}
	return s
}

func TestEssayNeedsASite(t *testing.T) {
	dir := t.TempDir()
	_, err := Essay(EssayOptions{Source: dir, Title: "X", Now: clock})
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option != "Source" || !strings.Contains(oe.Reason, "not a site") {
		t.Fatalf("err = %v, want an OptionError on Source saying it is not a site", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %v into a folder that is not a site", entries)
	}
	// A folder with content/ alone is a site.
	testsite.Write(t, dir, map[string]string{"content/a.md": "A\n"})
	if _, err := Essay(EssayOptions{Source: dir, Title: "X", Now: clock}); err != nil {
		t.Errorf("with content/: %v", err)
	}
}
