package content

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/steward-ssg/steward/generator/config"
)

// TestPermalinks: site.yaml's permalinks give a section's essays the URLs
// Hugo's setting of that name gives them; folder pages and other sections
// keep theirs, and an essay the pattern cannot place keeps its own, with
// a warning.
func TestPermalinks(t *testing.T) {
	const dated = "---\ndate: 2016-04-01T00:00:00Z\nslug: legal-transparency-report\n---\n"
	tests := []struct {
		name       string
		permalinks map[string]string
		files      map[string]string
		want       []string // placed(pages)
		diags      []string
	}{
		{name: "one slug in two years: letsencrypt.org's posts",
			permalinks: map[string]string{"post": "/:year/:month/:day/:slug/"},
			files: map[string]string{
				"content/post/2015-7-1-legal-transparency-report.markdown": "---\ndate: 2015-07-01\nslug: legal-transparency-report\n---\n",
				"content/post/2016-4-1-legal-transparency-report.markdown": dated,
				"content/post/_index.md":                                   "# Blog\n",
				"content/about.md":                                         "# About\n",
			},
			want: []string{
				`content/about.md /about/ essay dir="" title="About" -`,
				`content/post/2015-7-1-legal-transparency-report.markdown /2015/07/01/legal-transparency-report/ essay dir="post" title="legal-transparency-report" 2015-07-01`,
				`content/post/2016-4-1-legal-transparency-report.markdown /2016/04/01/legal-transparency-report/ essay dir="post" title="legal-transparency-report" 2016-04-01`,
				`content/post/_index.md /post/ list dir="post" title="Blog" -`,
			}},
		{name: "every token",
			permalinks: map[string]string{"notes": "/:section/:sections/:yearday/:weekday-:weekdayname/:monthname/:title/:filename/:slugorfilename/:contentbasename/"},
			files:      map[string]string{"content/notes/deep/2016-04-01-Note One.md": "---\ntitle: \"What's next, C++?\"\ndate: 2016-04-01\n---\n"},
			want:       []string{`content/notes/deep/2016-04-01-Note One.md /notes/notes/deep/92/5-friday/april/whats-next-c++/2016-04-01-note one/2016-04-01-note one/2016-04-01-note one/ essay dir="notes/deep" title="What's next, C++?" 2016-04-01`}},
		{name: ":slug is the title without a slug, as in Hugo; a bundle's :filename is its folder",
			permalinks: map[string]string{"/": "/:slug/", "posts": "/p/:filename/"},
			files: map[string]string{
				"content/a.md":                "---\ntitle: Hello World\n---\n",
				"content/posts/trip/index.md": "# Trip\n",
				"content/posts/trip/map.png":  "png",
			},
			want: []string{
				`content/a.md /hello-world/ essay dir="" title="Hello World" -`,
				`content/posts/trip/index.md /p/trip/ essay dir="posts" title="Trip" -`,
			}},
		{name: "an undated essay keeps its URL, with a warning",
			permalinks: map[string]string{"post": "/:year/:slug/"},
			files:      map[string]string{"content/post/x.md": "# X\n"},
			want:       []string{`content/post/x.md /post/x/ essay dir="post" title="X" -`},
			diags:      []string{`content/post/x.md:1:1: warning: permalinks.post "/:year/:slug/" cannot be followed: :year needs a date, and the essay has none; the essay keeps the URL /post/x/`}},
		{name: "a title that would leave the folder",
			permalinks: map[string]string{"post": "/:title/"},
			files:      map[string]string{"content/post/x.md": "---\ntitle: ..\n---\n"},
			want:       []string{`content/post/x.md /post/x/ essay dir="post" title=".." -`},
			diags:      []string{`content/post/x.md:1:1: warning: permalinks.post "/:title/" cannot be followed: it makes the URL /../, which would leave its folder; the essay keeps the URL /post/x/`}},
		{name: "front matter's url (Hugo), path (Zola) and permalink (Jekyll) win over the pattern",
			permalinks: map[string]string{"post": "/:year/:slug/"},
			files: map[string]string{
				"content/post/hugo.md":   "---\ndate: 2015-01-10\nurl: /2015/01/10/2015Jekyll/\n---\n",
				"content/post/zola.md":   "+++\npath = \"inside-rust/2024/10/01/cargo-1.82\"\n+++\n",
				"content/about.md":       "---\npermalink: /team\n---\n",
				"content/old.md":         "---\npermalink: /old/page.html\naliases: [/older/]\n---\n",
				"content/link.md":        "---\nurl: https://example.org/elsewhere\n---\n",
				"content/bad.md":         "---\nurl: ../../etc/\n---\n",
				"content/pattern.md":     "---\npermalink: /:categories/:title/\n---\n",
				"content/404.md":         "---\npermalink: /404.html\n---\n",
				"content/post/_index.md": "---\nurl: /blog/\n---\n",
			},
			want: []string{
				`content/404.md /404/ essay dir="" title="404" -`,
				`content/about.md /team/ essay dir="" title="about" -`,
				`content/bad.md /bad/ essay dir="" title="bad" -`,
				`content/link.md /link/ essay dir="" title="link" -`,
				`content/old.md /old/ essay dir="" title="old" - aliases=[/older/ /old/page.html]`,
				`content/pattern.md /pattern/ essay dir="" title="pattern" -`,
				`content/post/_index.md /post/ list dir="post" title="" -`,
				`content/post/hugo.md /2015/01/10/2015Jekyll/ essay dir="post" title="hugo" 2015-01-10`,
				`content/post/zola.md /inside-rust/2024/10/01/cargo-1.82/ essay dir="post" title="zola" -`,
			},
			diags: []string{
				`content/404.md:1:1: warning: front matter: permalink "/404.html" is not followed: Steward writes the site's not-found page, 404.html, itself (layouts/404.html shapes it); the essay's URL is /404/`,
				`content/bad.md:1:1: warning: front matter: url "../../etc/" is not followed: it would leave the output folder; the essay's URL is /bad/`,
				`content/pattern.md:1:1: warning: front matter: permalink "/:categories/:title/" is not followed: a pattern of Jekyll's tokens is not followed (site.yaml's permalinks takes Hugo's); the essay's URL is /pattern/`,
				`content/post/zola.md:1:1: warning: permalinks.post "/:year/:slug/" cannot be followed: :year needs a date, and the essay has none; the essay keeps the URL /post/zola/`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for p, s := range tt.files {
				fsys[p] = &fstest.MapFile{Data: []byte(s)}
			}
			l := NewLoader()
			opts := Options{Permalinks: tt.permalinks}
			pages, diags := l.Load(fsys, opts)
			if got, want := placedAliases(pages), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("placed:\n%s\nwant:\n%s", got, want)
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.Error())
			}
			if !slices.Equal(got, tt.diags) {
				t.Errorf("diagnostics\n got %q\nwant %q", got, tt.diags)
			}
			again, diags2 := l.Load(fsys, opts)
			if !slices.Equal(pages, again) || len(diags2) != len(diags) {
				t.Errorf("a second Load made new pages or lost a warning: %v, %v", again, diags2)
			}
		})
	}
}

// TestPermalinkTokens: every token config accepts is one content expands.
func TestPermalinkTokens(t *testing.T) {
	p := &Doc{Source: "content/a/b.md", Dir: "a", Title: "T"}
	for _, tok := range config.PermalinkTokens() {
		if _, _, ok := tokenValue(p, tok); !ok {
			t.Errorf("config accepts :%s, which content does not expand", tok)
		}
	}
}

// placedAliases is placed with each page's aliases, when it has some.
func placedAliases(pages []*Doc) string {
	lines := strings.Split(placed(pages), "\n")
	for i, p := range pages {
		if len(p.Front.Aliases) > 0 {
			lines[i] += fmt.Sprintf(" aliases=%v", p.Front.Aliases)
		}
	}
	return strings.Join(lines, "\n")
}
