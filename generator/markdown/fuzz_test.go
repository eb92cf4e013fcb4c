package markdown_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	goldhtml "github.com/yuin/goldmark/renderer/html"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/fuzzpos"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/markdown/selfcheckext"
	"github.com/steward-ssg/steward/generator/selfcheck"
)

// FuzzConvert converts any Markdown as an essay's body, with the
// converter composed as the build composes it (the self-check extension
// included), with raw HTML off and on and heading ids made in each style,
// and checks what must hold
// for every input (see harness.check). Seeds: the hand-written essays
// below, every CommonMark spec example and every input of goldmark's case
// files, and testdata/fuzz/FuzzConvert. Run it longer with
//
//	go test -run '^$' -fuzz '^FuzzConvert$' -fuzztime 10m -fuzzminimizetime 5s -parallel 1 ./generator/markdown
func FuzzConvert(f *testing.F) {
	for i, s := range convertSeeds {
		f.Add([]byte(s), false, uint8(i))
		f.Add([]byte(s), true, uint8(i+1))
	}
	spec, err := specExamples()
	if err == nil {
		var more []mdCase
		more, err = caseFileInputs()
		spec = append(spec, more...)
	}
	if err != nil {
		if os.Getenv("CI") != "" {
			f.Fatalf("cannot read goldmark's test corpus (CI is set, so this fails): %v", err)
		}
		f.Logf("fuzzing from the hand-written seeds only: cannot read goldmark's test corpus: %v", err)
	}
	for i, c := range spec {
		f.Add(c.MD, false, uint8(i))
		f.Add(c.MD, true, uint8(i+1))
	}
	h := newHarness()
	f.Fuzz(func(t *testing.T, body []byte, unsafe bool, ids uint8) {
		defer fuzzpos.Watchdog(body)()
		style := h.style(ids)
		if err := h.check(h.input(body, 3), unsafe, style); err != nil {
			t.Fatalf("raw HTML %s, %s heading ids:\n%s\n--- Markdown:\n%q", onOff(unsafe), style, err, body)
		}
	})
}

// selfcheckContinuum and selfcheckQuiz are valid self-check blocks.
const (
	selfcheckContinuum = "```selfcheck\nid: stance\nversion: 1\nkind: continuum\ntitle: Where do *you* stand?\naxis: {left: Practitioner, right: Servant}\nitems:\n  - type: choice\n    text: When a colleague is stuck, you...\n    options:\n      - text: Take over\n        score: -2\n      - text: \"Ask what is in their way\"\n        score: 2\n  - type: likert\n    statement: Leaders are our best practitioners.\n    keyed: left\n  - type: reflection\n    prompt: What could someone else decide?\nbands:\n  - {from: -100, to: 0, title: Practitioner}\n  - {from: 0, to: 100, title: Servant, body: \"You [support](other.md).\"}\n```\n"
	selfcheckQuiz      = "```selfcheck\nid: q1\nversion: 2\nkind: quiz\ntitle: Did it stick?\npass: 1\nitems:\n  - type: choice\n    text: Who wrote it?\n    options:\n      - text: Greenleaf\n        correct: true\n        feedback: Yes, in 1970.\n      - text: \"<script>alert(1)</script>\"\n  - type: multi\n    text: Which apply?\n    options:\n      - {text: a, correct: true}\n      - {text: b}\n```\n"
)

// convertSeeds are essays written to reach Steward's own code: links of
// every shape (to essays, fragments, missing files, with text that starts
// with punctuation or markup), headings, <!--more-->, footnotes,
// self-check fences valid and broken, raw HTML, images, other generators'
// syntax.
var convertSeeds = []string{
	"",
	"# Title\n\nA paragraph.\n",
	`See ["The Servant as Leader"](https://example.org/greenleaf) and ["Other"](other.md).` + "\n",
	"[--dash](other.md) [...dots](other.md#sec) ['single'](notes/n.md) [*em*](other.md) [`code`](other.md)\n",
	"[![chart](/img/a.png)](other.md) [<b>raw</b> text](other.md#x) [**strong** start](#top)\n",
	"[missing](missing.md) [up](../outside.md) [dir](notes/) [query](notes/n.md?x=1#y) [pct](other.md#caf%C3%A9)\n",
	"[café](caf%C3%A9.md) [angle](<café.md#a b>) [space](my%20essay.md)\n",
	"[abs](/abs/) [proto](//example.org/a.md) [ext](https://example.org/a.md) [mail](mailto:a@b.c) [js](javascript:alert(1)) [JS](JaVaScRiPt:x) [data](data:text/html,x)\n",
	"<https://example.org/auto> www.example.org <javascript:alert(1)> a@example.org\n",
	"[text][ref] [collapsed][] [shortcut] [missing ref][nope] [^1] ![img][ref]\n\n[ref]: other.md#intro \"Title\"\n[shortcut]: https://example.org\n[^1]: A note with a [link](other.md).\n",
	"[outer [inner](other.md)](notes/n.md) [a](other.md \"t\")[b](other.md 'u')\n",
	"## Intro\n\nJump to [intro](#intro), [missing](#nope), [self](essay.md#intro), [top](#top).\n",
	"# One\n## Same\n## Same\n### Same {#custom .cls data-x=\"y\"}\nSetext\n======\nOther\n------\n## [Link heading](other.md)\n## **Asset** policy `code`\n",
	"##### Five\n###### Six\n####### Seven\n#\n## {#empty}\n",
	"First paragraph.\n\n<!--more-->\n\nAfter the fold.\n",
	"Inline <!--more--> marker.\n\nMore.\n",
	"- item <!--more-->\n- two\n\nAfter.\n",
	"```html\n<!--more-->\n```\n\nFirst.\n",
	"> quote\n> <!--more-->\n\nrest\n",
	"Text.[^1] More.[^note] Again.[^1]\n\n[^1]: Note one.\n[^note]: Note *two*\n    continued.\n\n    Second paragraph.\n",
	"[^unused]: never cited\n\nBody [^missing].\n",
	selfcheckContinuum,
	selfcheckQuiz,
	selfcheckQuiz + "\n" + selfcheckQuiz,
	"Intro.\n\n" + selfcheckContinuum + "\n<!--more-->\n\n" + selfcheckQuiz,
	"```selfcheck\nid: [broken\n```\n",
	"```selfcheck\nid: x\nversion: 1\nkind: quizz\ntitle: T\nitems: []\n```\n",
	"```selfcheck\nid: bad id!\nversion: 0\nkind: continuum\ntitle: \"\"\ntitel: typo\n```\n",
	"```selfcheck\n```\n",
	"```selfcheck\n",
	"```selfcheck\n\t- tab\n```\n",
	"- list\n\n  ```selfcheck\n  id: [\n  ```\n",
	"> ```selfcheck\n> id: x\n> version: one\n> ```\n",
	"1. a\n   - ```selfcheck\n     id: q\n     kind: quiz\n     ```\n",
	"~~~selfcheck\nid: t\nversion: 1\nkind: continuum\ntitle: T\naxis: {left: L, right: R}\nitems:\n  - {type: likert, statement: S, keyed: right}\nbands:\n  - {from: -100, to: 100, title: All}\n~~~\n",
	"<script>alert(1)</script>\n\nInline <b onclick=\"x()\">bold</b> and <a id=\"anchor\" name=\"n\">a</a>.\n",
	"<div id=\"raw\" class=x>\n*not emphasis*\n</div>\n\n<!-- a comment -->\n\n<!-- a --!> <script>alert(1)</script> -->\n",
	"<iframe src=\"javascript:alert(1)\"></iframe>\n<style>p{}</style>\n<?php echo 1; ?>\n<![CDATA[x]]>\n<!DOCTYPE html>\n",
	"![A *chart*](/img/a.png \"T\") ![rel](img/b.png) ![remote](https://x.example/c.png) ![bad](javascript:alert(1)) ![d](data:image/png;base64,AAAA)\n",
	"```go\nfunc main() { fmt.Println(\"<script>\") }\n```\n\n    indented <script>\n\n`<script>`\n",
	"```\nno language\n```\n\n```klingon\nqapla'\n```\n\n```go {.class}\nx\n```\n",
	"| a | b |\n|---|:-:|\n| [l](other.md) | `c\\|d` |\n\n- [x] done\n- [ ] todo\n\nTerm\n: Meaning\n\n~~old~~\n",
	"\"Quotes\" -- dashes --- and... 'single' <<angles>>\n",
	"{{< figure src=\"x.png\" >}} {{% note %}} {% include x.html %} {{ page.title }}\n{:toc}\n{: .class}\n",
	"[zola](@/notes/n.md#x) [zola missing](@/nope.md) ![rel](img/a.png) ![up](../content/img/a.png) ![missing](img/nope.png) [pdf](files/a%20b.pdf?x=1#p) [fig](notes/fig.svg)\n",
	"## Café au lait — 2024!\n## Ünïcödé & <b>html</b>\n## 你好 世界\n## Café au lait — 2024!\n## -_- 1.2.3\n## `code` *em* [link](other.md)\n",
	"+++\ntitle = \"TOML\"\n+++\n\nBody.\n",
	"---\ntitle: front matter left in the body\n---\n",
	"\ufeff# BOM\r\n\r\nWindows line ends.\r\n",
	"line\x00with NUL\n\ttab\v\f\n",
	strings.Repeat("> ", 50) + "deep\n",
	strings.Repeat("[", 40) + "x" + strings.Repeat("](other.md)", 40) + "\n",
	strings.Repeat("*a ", 30) + strings.Repeat("*", 30) + "\n",
}

// harness converts with fixed settings and checks the result. Its code
// cache is emptied before each check, so every input is checked alike.
type harness struct {
	conv  map[convKey]*markdown.Converter
	cache *memCodeCache
}

type convKey struct {
	unsafe bool
	ids    string
}

// essays are the essays the harness's Resolve knows.
var essays = map[string]string{
	"content/essay.md":       "/essay/",
	"content/other.md":       "/other/",
	"content/notes/n.md":     "/notes/n/",
	"content/café.md":        "/caf%C3%A9/",
	"content/my essay.md":    "/my%20essay/",
	"content/notes/index.md": "/notes/",
}

// assets are the files beside essays the harness's Asset knows.
var assets = map[string]string{
	"content/img/a.png":     "/img/a.png",
	"content/notes/fig.svg": "/notes/fig.svg",
	"content/files/a b.pdf": "/files/a%20b.pdf",
}

func newHarness() *harness {
	h := &harness{conv: map[convKey]*markdown.Converter{}, cache: &memCodeCache{m: map[string][]byte{}}}
	sizes := map[string][2]int{"/img/a.png": {640, 480}}
	for _, unsafe := range []bool{false, true} {
		for _, ids := range markdown.HeadingIDStyles() {
			h.conv[convKey{unsafe, ids}] = markdown.New(markdown.Options{
				Unsafe: unsafe,
				ImageSize: func(src string) (int, int, bool) {
					s, ok := sizes[src]
					return s[0], s[1], ok
				},
				HeadingIDs: ids,
				Asset: func(source string) (string, bool) {
					u, ok := assets[source]
					return u, ok
				},
				Extensions: []markdown.Extension{selfcheckext.New(selfcheck.DefaultStrings())},
				Code:       h.cache,
			})
		}
	}
	return h
}

// style picks a heading id style by number.
func (h *harness) style(n uint8) string {
	styles := markdown.HeadingIDStyles()
	return styles[int(n)%len(styles)]
}

func (h *harness) input(body []byte, lineOffset int) markdown.Input {
	return markdown.Input{File: "content/essay.md", Body: body, LineOffset: lineOffset, Root: "content", Resolve: func(s string) (string, bool) {
		u, ok := essays[s]
		return u, ok
	}}
}

// check converts in twice (the second time with code from the cache) and
// returns what is wrong:
//   - a panic;
//   - no HTML (nil means "not loaded" to callers that cache);
//   - a diagnostic or link not in the file, or at a line or column the
//     file does not have;
//   - a heading level outside 1..6;
//   - a second conversion that differs from the first: the build's cache
//     relies on the same input giving the same output;
//   - with raw HTML off: HTML (page or summary) that is not made only of
//     well-formed tags, or holds a script other than the self-checks'
//     JSON (which must parse), an element or attribute that runs script,
//     or a javascript: URL.
func (h *harness) check(in markdown.Input, unsafe bool, ids string) error {
	h.cache.reset()
	c := h.conv[convKey{unsafe, ids}]
	first, err := convertSafely(c, in)
	if err != nil {
		return err
	}
	var errs []error
	if first.HTML == nil {
		errs = append(errs, errors.New("HTML is nil"))
	}
	errs = append(errs, checkDiags(first.Diags, in)...)
	for _, l := range first.Links {
		if err := checkPos(l.Pos, in); err != nil {
			errs = append(errs, fmt.Errorf("link to %s#%s: %w", l.Target, l.Fragment, err))
		}
		_, essay := essays[l.Target]
		switch {
		case l.URL == "" && essay:
			errs = append(errs, fmt.Errorf("link to essay %q recorded as missed", l.Target))
		case l.URL != "" && !essay:
			errs = append(errs, fmt.Errorf("link recorded to %q, which is no essay", l.Target))
		}
	}
	for _, fr := range first.Files {
		if fr.URL != "" && assets[fr.Source] != fr.URL {
			errs = append(errs, fmt.Errorf("file %q resolved to %q, which Asset did not give", fr.Source, fr.URL))
		}
	}
	for _, hd := range first.Headings {
		if hd.Level < 1 || hd.Level > 6 {
			errs = append(errs, fmt.Errorf("heading %q has level %d", hd.Text, hd.Level))
		}
	}
	if !unsafe {
		if err := checkSafeHTML(first.HTML); err != nil {
			errs = append(errs, fmt.Errorf("HTML: %w\n%s", err, first.HTML))
		}
		if err := checkSafeHTML(first.Summary); err != nil {
			errs = append(errs, fmt.Errorf("summary: %w\n%s", err, first.Summary))
		}
	}
	second, err := convertSafely(c, in)
	if err != nil {
		return fmt.Errorf("second conversion: %w", err)
	}
	if !bytes.Equal(first.HTML, second.HTML) || !bytes.Equal(first.Summary, second.Summary) || first.Digest != second.Digest {
		errs = append(errs, fmt.Errorf("a second conversion (code from the cache) differs:\n%s\n--- second:\n%s", first.HTML, second.HTML))
	}
	if a, b := first.Diags.Error(), second.Diags.Error(); a != b {
		errs = append(errs, fmt.Errorf("a second conversion has other diagnostics:\n%s\n--- second:\n%s", a, b))
	}
	return errors.Join(errs...)
}

// convertSafely turns a panic into an error with its stack.
func convertSafely(c *markdown.Converter, in markdown.Input) (r *markdown.Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v\n%s", v, stack())
		}
	}()
	r = c.Convert(in)
	if r == nil {
		return nil, errors.New("Convert returned nil")
	}
	return r, nil
}

// checkDiags checks that every diagnostic names the file, at a position
// within it, and says something.
func checkDiags(l diag.List, in markdown.Input) []error {
	var errs []error
	for _, d := range l {
		if err := checkPos(d.Pos, in); err != nil {
			errs = append(errs, fmt.Errorf("%q: %w", d.Error(), err))
		}
		if strings.TrimSpace(d.Msg) == "" {
			errs = append(errs, fmt.Errorf("diagnostic at %s has no message", d.Pos))
		}
		if d.Severity != diag.Error && d.Severity != diag.Warning {
			errs = append(errs, fmt.Errorf("%q: severity %d", d.Error(), d.Severity))
		}
	}
	return errs
}

var (
	startTagNameRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*`)
	closeTagRe     = regexp.MustCompile(`^</[A-Za-z][A-Za-z0-9-]*\s*>`)
	tagAttrRe      = regexp.MustCompile(`^\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>` + "`" + `]+)))?`)
	tagEndRe       = regexp.MustCompile(`^\s*/?>`)
)

// scriptingElements run script or change how the rest of the page is read.
var scriptingElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true, "object": true,
	"embed": true, "applet": true, "base": true, "link": true, "meta": true, "svg": true, "math": true,
	"template": true, "xmp": true, "plaintext": true, "noembed": true, "noframes": true, "noscript": true,
	"title": true,
}

// urlAttributes hold a URL a browser may follow or load.
var urlAttributes = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "poster": true, "data": true,
	"xlink:href": true, "cite": true, "background": true, "srcset": true,
}

// scDataTag opens the JSON a self-check's script reads.
const scDataTag = `<script type="application/json" class="sc-data">`

// checkSafeHTML checks HTML made with raw HTML off: every < in it opens a
// well-formed tag (text is escaped), and nothing in it runs script.
func checkSafeHTML(h []byte) error {
	s := string(h)
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, scDataTag):
			body := rest[len(scDataTag):]
			end := strings.Index(body, "</script>")
			if end < 0 {
				return fmt.Errorf("self-check data at byte %d has no </script>", i)
			}
			if !json.Valid([]byte(body[:end])) {
				return fmt.Errorf("self-check data at byte %d is not valid JSON: %s", i, body[:end])
			}
			i += len(scDataTag) + end + len("</script>") - 1
		case strings.HasPrefix(rest, "<!--"):
			// A comment ends at the first --> or --!>, and <!--> and <!---> are
			// whole comments; a comment that runs on would hide the page.
			if strings.HasPrefix(rest, "<!-->") || strings.HasPrefix(rest, "<!--->") {
				continue
			}
			end := len(rest)
			for _, closer := range []string{"-->", "--!>"} {
				if j := strings.Index(rest[4:], closer); j >= 0 {
					end = min(end, 4+j)
				}
			}
			if end == len(rest) {
				return fmt.Errorf("comment at byte %d never ends", i)
			}
			i += end
		case strings.HasPrefix(rest, "</"):
			m := closeTagRe.FindString(rest)
			if m == "" {
				return fmt.Errorf("malformed end tag at byte %d: %.40q", i, rest)
			}
			i += len(m) - 1
		default:
			n, err := checkStartTag(rest)
			if err != nil {
				return fmt.Errorf("at byte %d: %w", i, err)
			}
			i += n - 1
		}
	}
	return nil
}

// checkStartTag checks the start tag s begins with and returns its length.
func checkStartTag(s string) (int, error) {
	name := startTagNameRe.FindString(s[1:])
	if name == "" {
		return 0, fmt.Errorf("a < that opens no tag: %.40q", s)
	}
	if lower := strings.ToLower(name); scriptingElements[lower] {
		return 0, fmt.Errorf("element <%s>: %.80q", lower, s)
	}
	n := 1 + len(name)
	for {
		if m := tagEndRe.FindString(s[n:]); m != "" {
			return n + len(m), nil
		}
		m := tagAttrRe.FindStringSubmatch(s[n:])
		if m == nil {
			return 0, fmt.Errorf("malformed tag: %.80q", s)
		}
		n += len(m[0])
		attr := strings.ToLower(m[1])
		value := html.UnescapeString(m[2] + m[3] + m[4])
		switch {
		case strings.HasPrefix(attr, "on"), attr == "srcdoc":
			return 0, fmt.Errorf("attribute %s runs script: %.80q", attr, s)
		case urlAttributes[attr] && goldhtml.IsDangerousURL([]byte(strings.TrimSpace(value))):
			return 0, fmt.Errorf("attribute %s=%q: %.80q", attr, value, s)
		}
	}
}

// memCodeCache is a CodeCache in memory.
type memCodeCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memCodeCache) Highlighted(lang, code string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[lang+"\x00"+code]
	return h, ok
}

func (c *memCodeCache) Store(lang, code string, h []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[lang+"\x00"+code] = h
}

func (c *memCodeCache) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
}

// TestCheckSafeHTML: the checker itself tells safe HTML from unsafe.
func TestCheckSafeHTML(t *testing.T) {
	for _, ok := range []string{
		"",
		"<p>a &lt;script&gt; <em>b</em></p>\n<hr>\n<img src=\"/a.png\" alt=\"x\" loading=\"lazy\">",
		`<input checked="" disabled="" type="checkbox"> <h2 id="a" data-x='y' hidden>t</h2>`,
		scDataTag + `{"a":"\u003c/script\u003e"}</script>`,
		"<p>x</p><!-- c -->",
		`<a href="data:image/png;base64,AA">x</a>`,
	} {
		if err := checkSafeHTML([]byte(ok)); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"<script>alert(1)</script>",
		"<SCRIPT src=x></SCRIPT>",
		"<p>1 < 2</p>",
		"<p onclick=\"x()\">a</p>",
		"<b ONMOUSEOVER=x>a</b>",
		`<a href="javascript:alert(1)">x</a>`,
		`<a href=" JavaScript:alert(1)">x</a>`,
		`<a href="&#106;avascript:alert(1)">x</a>`,
		`<img src="data:text/html,x">`,
		`<iframe src="/x"></iframe>`,
		"<!-- a --!> <script>x</script> -->",
		"<!-- never ends",
		scDataTag + `{"a":</script>`,
		"<p a=\"x>",
		"<!DOCTYPE html>",
	} {
		if err := checkSafeHTML([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestCheckPos: positions on the body's lines pass, others do not.
func TestCheckPos(t *testing.T) {
	in := markdown.Input{File: "f.md", Body: []byte("ab\ncé\n"), LineOffset: 2}
	for _, p := range []diag.Pos{{File: "f.md"}, {File: "f.md", Line: 3, Col: 1}, {File: "f.md", Line: 3, Col: 3}, {File: "f.md", Line: 4, Col: 3}, {File: "f.md", Line: 5, Col: 1}, {File: "f.md", Line: 6, Col: 1}} {
		if err := checkPos(p, in); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range []diag.Pos{{File: "g.md", Line: 3, Col: 1}, {File: "f.md", Line: 2, Col: 1}, {File: "f.md", Line: 7, Col: 1}, {File: "f.md", Line: 3, Col: 0}, {File: "f.md", Line: 3, Col: 4}, {File: "f.md", Col: 2}} {
		if err := checkPos(p, in); err == nil {
			t.Errorf("%s: no error", p)
		}
	}
}

// TestValidSelfCheckSeeds: the seeds meant as valid self-checks are, so
// the fuzzer starts from widgets that render.
func TestValidSelfCheckSeeds(t *testing.T) {
	h := newHarness()
	for _, s := range []string{selfcheckContinuum, selfcheckQuiz} {
		r := h.conv[convKey{false, markdown.GitHubIDs}].Convert(h.input([]byte(s), 0))
		if r.SelfChecks != 1 || r.Diags.HasErrors() || !strings.Contains(string(r.HTML), scDataTag) {
			t.Errorf("self-checks %d, diagnostics %v, HTML:\n%s", r.SelfChecks, r.Diags, r.HTML)
		}
	}
}

// checkPos checks that p is in in's file: lines LineOffset+1 up to one past
// the body's last.
func checkPos(p diag.Pos, in markdown.Input) error {
	return fuzzpos.Check(p, in.File, fuzzpos.Widths(in.Body), in.LineOffset+1, 0)
}
