package markdown

import (
	"strings"
	"testing"
)

func convert(t *testing.T, opts Options, body string) *Result {
	t.Helper()
	pages := map[string]string{"content/other.md": "/other/", "content/notes/n.md": "/notes/n/"}
	return New(opts).Convert(Input{File: "content/essay.md", Body: []byte(body), LineOffset: 4, Root: "content", Resolve: func(s string) (string, bool) {
		u, ok := pages[s]
		return u, ok
	}})
}

func TestConvert(t *testing.T) {
	tests := []struct {
		name, body string
		want       []string // substrings of the HTML
		not        []string
	}{
		{"table", "| a | b |\n|---|---|\n| 1 | 2 |\n", []string{"<table>", "<td>1</td>"}, nil},
		{"strikethrough", "~~old~~", []string{"<del>old</del>"}, nil},
		{"autolink", "see https://example.org now", []string{`<a href="https://example.org">https://example.org</a>`}, nil},
		{"task list", "- [x] done\n- [ ] todo\n", []string{`<input checked="" disabled="" type="checkbox">`}, nil},
		{"footnote", "Text.[^1]\n\n[^1]: Note.\n", []string{`role="doc-noteref"`, `<li id="fn:1">`}, nil},
		{"typographer", `The "leader" -- and... 'so'`, []string{"&ldquo;leader&rdquo;", "&ndash;", "&hellip;", "&lsquo;so&rsquo;"}, nil},
		{"heading ids unique", "## Same\n\n## Same\n", []string{`<h2 id="same">`, `<h2 id="same-1">`}, nil},
		{"custom id", "## Title {#custom-id}\n", []string{`<h2 id="custom-id">Title <a class="anchor" href="#custom-id"`}, nil},
		{"definition list", "Term\n: Meaning\n", []string{"<dl>", "<dt>Term</dt>", "<dd>Meaning</dd>"}, nil},
		{"more marker hidden", "A\n\n<!--more-->\n\nB\n", []string{"<p>A</p>", "<p>B</p>"}, []string{"more"}},
		{"code highlighted", "```go\nfunc main() {}\n```\n", []string{`<div class="code" data-lang="go"><pre class="chroma" tabindex="0"><code>`, `<span class="kd">func</span>`}, nil},
		{"unknown language is plain", "```klingon\nqapla'\n```\n", []string{`<pre class="chroma" tabindex="0"><code>`, "qapla&#39;"}, nil},
		{"link to essay", "[o](other.md) [n](notes/n.md#x)", []string{`<a href="/other/">o</a>`, `<a href="/notes/n/#x">n</a>`}, nil},
		{"zola's @/ link", "[z](@/notes/n.md#y)", []string{`<a href="/notes/n/#y">z</a>`}, nil},
		{"pelican's {filename} and {static}", "[p]({filename}notes/n.md#y) [q]({filename}/notes/n.md) [r](|filename|notes/n.md)", []string{`<a href="/notes/n/#y">p</a>`, `<a href="/notes/n/">q</a>`, `<a href="/notes/n/">r</a>`}, nil},
		{"MkDocs' ids after inline text become anchors", "**a**{ #x } and *b*{ #y } end", []string{`<strong>a</strong><a id="x"></a> and <em>b</em><a id="y"></a> end`}, []string{"{ #"}},
		{"two ids in one text", "word{ #x } more{ #y } end", []string{`word<a id="x"></a> more<a id="y"></a> end`}, []string{"{ #"}},
		{"an id's anchor keeps the line break after it", "**a**{ #x }  \nnext\n`c`{ #z }\nlast", []string{`<strong>a</strong><a id="x"></a><br>` + "\nnext\n" + `<code>c</code><a id="z"></a>` + "\nlast"}, nil},
		{"external links untouched", "[e](https://example.org/a.md) [s](/abs/)", []string{`href="https://example.org/a.md"`, `href="/abs/"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := convert(t, Options{}, tt.body)
			if len(r.Diags) != 0 {
				t.Fatalf("diagnostics: %v", r.Diags)
			}
			h := string(r.HTML)
			for _, w := range tt.want {
				if !strings.Contains(h, w) {
					t.Errorf("HTML lacks %q:\n%s", w, h)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(h, w) {
					t.Errorf("HTML should not contain %q:\n%s", w, h)
				}
			}
		})
	}
}

func TestUnsafe(t *testing.T) {
	r := convert(t, Options{Unsafe: true}, "<div class=\"x\">raw</div>\n")
	if !strings.Contains(string(r.HTML), `<div class="x">raw</div>`) {
		t.Errorf("unsafe mode should pass raw HTML: %s", r.HTML)
	}
}

func TestLinkErrorsAndRecords(t *testing.T) {
	r := convert(t, Options{}, "Intro.\n\nA [broken](missing.md) link and [own](#intro).\n")
	// The library speaks of what the build includes, not of the command
	// line's flags: it does not know them.
	want := `content/essay.md:7:3: link to "missing.md": there is no essay content/missing.md (drafts and essays dated in the future are left out unless the build includes them); fix the file name or remove the link`
	if len(r.Diags) != 1 || r.Diags[0].Error() != want {
		t.Fatalf("got %v", r.Diags)
	}
	if len(r.Links) != 1 || r.Links[0].Target != "content/essay.md" || r.Links[0].Fragment != "intro" || r.Links[0].Pos.String() != "content/essay.md:7:33" {
		t.Errorf("links = %+v", r.Links)
	}
}

// A link's references are decoded before its fragment is checked, as
// goldmark decodes them in the page (opensource.guide's French guide links
// #l&eacute;quipe to its heading "l'équipe").
func TestLinkReferencesDecoded(t *testing.T) {
	r := convert(t, Options{}, "## L’équipe\n\n[a](#l&eacute;quipe) [b](#l&#233;quipe) [c](other.md#caf&eacute;)\n")
	if len(r.Diags) != 0 {
		t.Fatalf("diags: %v", r.Diags)
	}
	var got []string
	for _, l := range r.Links {
		got = append(got, l.Target+"#"+l.Fragment)
	}
	want := "content/essay.md#léquipe content/essay.md#léquipe content/other.md#café"
	if strings.Join(got, " ") != want {
		t.Errorf("links = %q, want %q", got, want)
	}
	if !strings.Contains(string(r.HTML), `href="#l%C3%A9quipe"`) {
		t.Errorf("HTML: %s", r.HTML)
	}
}

func TestSummaryHeadingsWords(t *testing.T) {
	r := convert(t, Options{}, "First para with a note.[^1]\n\nSecond.\n\n## One\n### Sub\n\n[^1]: N.\n")
	if got := string(r.Summary); got != "<p>First para with a note.</p>\n" {
		t.Errorf("summary = %q", got)
	}
	if len(r.Headings) != 2 || r.Headings[0].ID != "one" || r.Headings[1].Level != 3 || r.Headings[1].Text != "Sub" {
		t.Errorf("headings = %+v", r.Headings)
	}
	if r.Words != 9 { // First para with a note Second One Sub N
		t.Errorf("words = %d, want 9", r.Words)
	}
	r = convert(t, Options{}, "Before *the* fold.\n\nStill before.\n\n<!--more-->\n\nAfter.\n")
	if r.SummaryText != "Before the fold. Still before." {
		t.Errorf("summary text = %q", r.SummaryText)
	}
}

func TestSyntaxCSS(t *testing.T) {
	css, err := SyntaxCSS("github", "github-dark")
	if err != nil {
		t.Fatal(err)
	}
	s := string(css)
	if !strings.Contains(s, "@media not all and (prefers-color-scheme: dark) {\n/* Background */") || !strings.Contains(s, "}\n@media (prefers-color-scheme: dark) {\n/* Background */") {
		t.Errorf("css lacks the light or the dark block, each in its own media query:\n%s", s[:200])
	}
	if _, err := SyntaxCSS("nope", "github-dark"); err == nil {
		t.Error("unknown style should fail")
	}
}

func TestImages(t *testing.T) {
	sizes := map[string][2]int{"/img/a.png": {640, 480}}
	c := New(Options{ImageSize: func(src string) (int, int, bool) {
		s, ok := sizes[src]
		return s[0], s[1], ok
	}})
	r := c.Convert(Input{File: "content/e.md", Body: []byte("![A *chart*](/img/a.png \"T\") ![remote](https://x.example/b.png) ![bad](javascript:alert(1))\n"), Resolve: func(string) (string, bool) { return "", false }})
	h := string(r.HTML)
	for _, want := range []string{
		`<img src="/img/a.png" alt="A chart" title="T" width="640" height="480" loading="lazy" decoding="async">`,
		`<img src="https://x.example/b.png" alt="remote" loading="lazy" decoding="async">`,
		`<img src="" alt="bad" loading="lazy" decoding="async">`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s:\n%s", want, h)
		}
	}
	if len(r.Images) != 1 || r.Images[0] != (Image{"/img/a.png", 640, 480}) {
		t.Errorf("images = %+v", r.Images)
	}
}

// TestSummaryFromSameTree: the summary before <!--more--> has its links
// resolved like the page, and a marker shown in code is no marker.
func TestSummaryFromSameTree(t *testing.T) {
	r := convert(t, Options{}, "Read [the other](other.md) first.\n\n<!--more-->\n\nRest.\n")
	if got := string(r.Summary); got != "<p>Read <a href=\"/other/\">the other</a> first.</p>\n" {
		t.Errorf("summary = %q", got)
	}
	r = convert(t, Options{}, "```html\n<!--more-->\n```\n\nFirst.\n")
	if r.SummaryText != "First." {
		t.Errorf("summary text = %q, want the first paragraph", r.SummaryText)
	}
}

// TestHeadingText: a heading's text, for the table of contents and the
// anchor's label, is what the reader sees: typographer entities, escapes
// and character references resolved, not their source.
func TestHeadingText(t *testing.T) {
	r := convert(t, Options{}, "## Let's begin -- \"now\"...\n\n## AT&amp;T \\*and\\* &#169;\n")
	want := []string{"Let’s begin – “now”…", "AT&T *and* ©"}
	if len(r.Headings) != 2 || r.Headings[0].Text != want[0] || r.Headings[1].Text != want[1] {
		t.Fatalf("headings = %+v, want texts %q", r.Headings, want)
	}
	if !strings.Contains(string(r.HTML), `aria-label="Link to this section: Let’s begin – “now”…"`) {
		t.Errorf("the anchor's label should hold the text, not entities:\n%s", r.HTML)
	}
}

func TestPlainTextKeepsAltText(t *testing.T) {
	got := PlainText([]byte(`<p>See <img src="/a.png" alt="a &quot;map&quot;" width="2" height="2" loading="lazy">: the <em>routes</em>.</p>`))
	if want := `See a "map": the routes.`; got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}

// TestForeignSyntaxTooShort: "{{%}}" and "{{<}}" once panicked the check
// for Hugo shortcodes (found by FuzzConvert); they are no shortcodes.
func TestForeignSyntaxTooShort(t *testing.T) {
	for _, body := range []string{"{{%}}", "{{<}}", "a {{%}} b {{<>}}\n"} {
		r := convert(t, Options{}, body)
		if len(r.Diags) != 0 {
			t.Errorf("%q: diagnostics %v", body, r.Diags)
		}
	}
}
