// Package markdown owns the conversion of an essay's Markdown to HTML: one
// configured goldmark (GFM, footnotes, typographer, definition lists,
// heading IDs made as GitHub makes them, and attributes), raw HTML let
// through or escaped, other generators' syntax reported, code fences
// highlighted by chroma with CSS classes, selfcheck fences turned into
// widgets, and links between essays resolved to their URLs and checked. It
// returns HTML, headings, a summary and positioned diagnostics; it knows
// nothing of layouts or output paths.
package markdown

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html"
	"html/template"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/selfcheck"
)

// Options are the settings that change the HTML produced. Every field must
// be part of Fingerprint, which keys caches.
type Options struct {
	// Unsafe lets raw HTML through; otherwise it is escaped and shows as text.
	Unsafe bool
	// SelfCheck are the widget's user-facing strings.
	SelfCheck selfcheck.Strings
	// ImageSize, when set, gives the pixel size of a local image by its
	// URL path ("/img/x.png"), so the page can reserve its space. The sizes
	// found are part of Result.Images: a cached conversion is valid only
	// while they still hold.
	ImageSize func(src string) (width, height int, ok bool)
	// HeadingIDs is how automatic heading ids are made: GitHubIDs (also
	// the zero value), GitHubASCIIIDs or ZolaIDs.
	HeadingIDs string
	// BrokenLinks is the severity of a link to an essay that does not
	// exist: diag.Error (the zero value) fails the build, diag.Warning
	// lets a site with stale links be published while it is mended.
	BrokenLinks diag.Severity
	// Asset, when set, gives the URL of a published file that is not an
	// essay by its source path ("content/posts/img/a.png"), so relative
	// images and links to files beside an essay work from its pretty URL
	// (see FileRef). What it answered is part of Result.Files.
	Asset func(source string) (url string, ok bool)
	// Code, when set, remembers highlighted code blocks. It does not change
	// the output, so it is not part of Fingerprint.
	Code CodeCache
}

// CodeCache remembers the HTML of highlighted code by language and code.
// It must be safe for concurrent use.
type CodeCache interface {
	Highlighted(lang, code string) ([]byte, bool)
	Store(lang, code string, html []byte)
}

// Converter converts essays. It is safe for concurrent use; make one per
// build, not one per essay.
type Converter struct {
	opts Options
	md   goldmark.Markdown
}

// New configures goldmark once.
func New(opts Options) *Converter {
	c := &Converter{opts: opts}
	var rendererOpts []renderer.Option
	if opts.Unsafe {
		rendererOpts = append(rendererOpts, goldhtml.WithUnsafe())
	}
	c.md = goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.DefinitionList,
			extension.Typographer,
			&renderers{unsafe: opts.Unsafe, cache: opts.Code, imageSize: opts.ImageSize},
			headingIDs{style: opts.HeadingIDs},
			rawHTMLCheck{unsafe: opts.Unsafe},
			foreignSyntax{unsafe: opts.Unsafe},
		),
		goldmark.WithParserOptions(parser.WithAttribute()),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	return c
}

// Input is one essay to convert.
type Input struct {
	// File names the essay in diagnostics ("content/x.md") and is the base
	// that relative links are resolved against.
	File string
	// Body is the Markdown, without front matter.
	Body []byte
	// LineOffset is the number of lines of the file before Body.
	LineOffset int
	// Root is the content folder ("content"), where links written as
	// Zola writes them ("@/notes/x.md") start.
	Root string
	// Resolve maps an essay's source path ("content/x.md") to its URL.
	Resolve func(source string) (url string, ok bool)
}

// Heading is a heading of the essay.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// Image is a local image and the size written into the page for it.
type Image struct {
	Src           string
	Width, Height int
}

// Link is a link to an essay (or a heading of one) found in the text, kept
// so that the build can check the fragment once every essay is converted.
type Link struct {
	// Target is the linked essay's source path; the linking file itself
	// for a bare "#fragment".
	Target   string
	Fragment string
	// URL is what the link was resolved to; a cached result is reusable
	// only while every link still resolves to the same URL.
	URL string
	Pos diag.Pos
}

// Result is a converted essay.
type Result struct {
	HTML []byte
	// Summary is HTML: the text before <!--more-->, else the first paragraph.
	Summary     []byte
	SummaryText string
	Headings    []Heading
	// Anchors are the page's other link targets: footnotes and their
	// references, and ids written in raw HTML (id= on any element, name=
	// on <a>).
	Anchors []string
	Words   int
	Links   []Link
	// SelfChecks counts the self-check widgets embedded.
	SelfChecks int
	// Images lists the local images (by site-absolute path) and the size
	// written for each, 0 by 0 when none was known.
	Images []Image
	Diags  diag.List
	// Files lists the relative references to files beside the essays.
	Files []FileRef
	// Digest identifies the output (HTML, summary and headings), so a page
	// built from it need not be rendered again while it is unchanged.
	Digest [32]byte
}

// moreMarker separates the summary from the rest.
var moreMarker = []byte("<!--more-->")

// Convert converts one essay. Problems are in Result.Diags; the HTML is
// still produced as far as possible, so a caller may show it.
func (c *Converter) Convert(in Input) *Result {
	res := &Result{}
	reader := text.NewReader(in.Body)
	pctx := parser.NewContext(parser.WithIDs(newHeadingIDs(c.opts.HeadingIDs)))
	doc := c.md.Parser().Parse(reader, parser.WithContext(pctx))
	pos := func(offset int) diag.Pos {
		line, col := diag.LineCol(in.Body, offset)
		return diag.Pos{File: in.File, Line: line + in.LineOffset, Col: col}
	}
	res.Diags.Append(warningsOf(pctx, pos))
	var blocks []*selfcheck.Block
	var firstPara, more ast.Node // more: the top-level block holding <!--more-->
	type replacement struct{ old, new ast.Node }
	var replace []replacement
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			idStr := ""
			if b, ok := id.([]byte); ok {
				idStr = string(b)
			}
			res.Headings = append(res.Headings, Heading{Level: n.Level, ID: idStr, Text: plainText(n, in.Body)})
			undefinedReferencesOutside(n, in.Body, pctx, pos, &res.Diags)
		case *ast.Paragraph:
			if firstPara == nil && n.Parent() == doc {
				firstPara = n
			}
			undefinedReferencesOutside(n, in.Body, pctx, pos, &res.Diags)
		case *ast.HTMLBlock, *ast.RawHTML:
			if more == nil && isMoreMarker(n, in.Body) {
				more = topLevel(n, doc)
			}
			if c.opts.Unsafe { // else the HTML is shown as text, and defines no id or link
				res.Anchors = append(res.Anchors, htmlIDs(stripComments(rawText(n, in.Body)))...)
				c.resolveHTMLLinks(n, in, pos, res) // htmllinks.go
			}
		case *east.FootnoteLink:
			ref := "fnref"
			if n.RefIndex > 0 {
				ref += strconv.Itoa(n.RefIndex)
			}
			res.Anchors = append(res.Anchors, ref+":"+strconv.Itoa(n.Index))
		case *east.Footnote:
			res.Anchors = append(res.Anchors, "fn:"+strconv.Itoa(n.Index))
		case *ast.Text:
			res.Words += countWords(n.Segment.Value(in.Body))
		case *ast.CodeSpan:
			res.Words += countWords([]byte(plainText(n, in.Body)))
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			c.resolveLink(n, in, pos, res)
			c.resolveFile(n, in, pos(linkOffset(n)), res) // files.go
		case *ast.Image:
			c.resolveFile(n, in, pos(linkOffset(n)), res)
			c.sizeImage(n, res)
		case *ast.FencedCodeBlock:
			if string(n.Language(in.Body)) != "selfcheck" {
				return ast.WalkSkipChildren, nil
			}
			body, first := blockBody(n, in.Body)
			line, col := pos(first).Line, 0
			if n.Lines().Len() == 0 {
				line = pos(fenceStart(n, in.Body)).Line + 1
			} else {
				// In a list item or a quote the lines lose their indent:
				// the YAML's columns start after it (found by fuzzing).
				col = pos(first).Col - 1
			}
			b, d := selfcheck.Parse(in.File, body, line, col)
			res.Diags.Append(d)
			if b == nil {
				return ast.WalkSkipChildren, nil
			}
			blocks = append(blocks, b)
			h, err := b.Render(c.inline, c.opts.SelfCheck)
			if err != nil {
				res.Diags.Add(b.Pos(), "selfcheck: %v", err)
				return ast.WalkSkipChildren, nil
			}
			replace = append(replace, replacement{n, &selfCheckNode{html: h}})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, r := range replace {
		r.old.Parent().ReplaceChild(r.old.Parent(), r.old, r.new)
	}
	res.SelfChecks = len(blocks)
	res.Diags.Append(selfcheck.CheckPage(blocks))

	var buf bytes.Buffer
	if err := c.md.Renderer().Render(&buf, in.Body, doc); err != nil {
		res.Diags.Add(diag.Pos{File: in.File}, "rendering Markdown: %v", err)
	}
	res.HTML = buf.Bytes()
	if res.HTML == nil {
		res.HTML = []byte{} // nil means "not loaded" to callers that cache
	}

	// The summary is rendered from the same tree as the page (links already
	// resolved): the blocks before <!--more-->, else the first paragraph.
	// Footnote references are dropped: their notes are on another page.
	var sb bytes.Buffer
	if more != nil {
		for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
			if n == more && n.Kind() == ast.KindHTMLBlock {
				break
			}
			_ = c.md.Renderer().Render(&sb, in.Body, n)
			if n == more {
				break // the marker stood inside this paragraph
			}
		}
	} else if firstPara != nil {
		_ = c.md.Renderer().Render(&sb, in.Body, firstPara)
	}
	res.Summary = footnoteRef.ReplaceAll(sb.Bytes(), nil)
	res.SummaryText = PlainText(res.Summary)
	h := sha256.New()
	h.Write(res.HTML)
	h.Write([]byte{0})
	h.Write(res.Summary)
	for _, hd := range res.Headings {
		fmt.Fprintf(h, "\x00%d\x00%s\x00%s", hd.Level, hd.ID, hd.Text)
	}
	fmt.Fprintf(h, "\x00%d\x00%d", res.Words, res.SelfChecks)
	h.Sum(res.Digest[:0])
	return res
}

var footnoteRef = regexp.MustCompile(`<sup id="fnref[^"]*"><a href="#fn:[^"]*" class="footnote-ref" role="doc-noteref">[^<]*</a></sup>`)

var (
	tagRe    = regexp.MustCompile(`<[^>]*>`)
	imgAltRe = regexp.MustCompile(`<img\b[^>]*\balt="([^"]*)"[^>]*>`)
)

// PlainText strips tags from HTML and unescapes entities, folding space.
// An image stands for its alternative text, as a screen reader reads it.
func PlainText(h []byte) string {
	s := string(h)
	if strings.Contains(s, "<img") {
		s = imgAltRe.ReplaceAllString(s, "$1")
	}
	s = tagRe.ReplaceAllString(s, "")
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// sizeImage records a local image's size as attributes for the renderer.
func (c *Converter) sizeImage(n *ast.Image, res *Result) {
	if c.opts.ImageSize == nil {
		return
	}
	src := string(n.Destination)
	u, err := url.Parse(src)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return
	}
	// Every local image is recorded, sized or not: a cached conversion
	// must be converted again when a missing image appears, too.
	w, h, ok := c.opts.ImageSize(u.Path)
	if !ok {
		res.Images = append(res.Images, Image{Src: u.Path})
		return
	}
	n.SetAttributeString("width", []byte(strconv.Itoa(w)))
	n.SetAttributeString("height", []byte(strconv.Itoa(h)))
	res.Images = append(res.Images, Image{Src: u.Path, Width: w, Height: h})
}

// isMoreMarker reports whether an HTML node is exactly <!--more-->.
func isMoreMarker(n ast.Node, src []byte) bool {
	return bytes.Equal(bytes.TrimSpace(rawText(n, src)), moreMarker)
}

// rawText is the source of a raw HTML node, inline or block.
func rawText(n ast.Node, src []byte) []byte {
	switch n := n.(type) {
	case *ast.HTMLBlock:
		var b []byte
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b = append(b, seg.Value(src)...)
		}
		if n.HasClosure() {
			b = append(b, n.ClosureLine.Value(src)...)
		}
		return b
	case *ast.RawHTML:
		return rawHTMLSource(n, src)
	}
	return nil
}

// topLevel returns the child of doc that holds n.
func topLevel(n, doc ast.Node) ast.Node {
	for n.Parent() != nil && n.Parent() != doc {
		n = n.Parent()
	}
	return n
}

// inline renders a short text of inline Markdown for the self-check widget,
// with the site's settings, without the surrounding paragraph.
func (c *Converter) inline(s string) template.HTML {
	var b bytes.Buffer
	if err := c.md.Convert([]byte(s), &b); err != nil {
		return template.HTML(template.HTMLEscapeString(s))
	}
	out := strings.TrimSpace(b.String())
	if strings.HasPrefix(out, "<p>") && strings.HasSuffix(out, "</p>") && strings.Count(out, "<p>") == 1 {
		out = out[3 : len(out)-4]
	}
	return template.HTML(out)
}

// resolveLink rewrites a link to an essay's file into that essay's URL and
// records it; a link to a file that is no essay is an error.
func (c *Converter) resolveLink(n *ast.Link, in Input, pos func(int) diag.Pos, res *Result) {
	dest := string(n.Destination)
	p := pos(linkOffset(n))
	if dest == "" || strings.HasPrefix(dest, "//") || strings.HasPrefix(dest, "/") {
		return
	}
	if u, err := url.Parse(dest); err != nil || u.Scheme != "" {
		return
	}
	target, rawFrag, _ := strings.Cut(dest, "#")
	// Browsers compare a fragment with ids after percent-decoding it, so
	// #caf%C3%A9 finds id="café"; so does the check.
	frag := rawFrag
	if f, err := url.PathUnescape(rawFrag); err == nil {
		frag = f
	}
	if target == "" {
		if frag != "" {
			res.Links = append(res.Links, Link{Target: in.File, Fragment: frag, URL: "#" + rawFrag, Pos: p})
		}
		return
	}
	if q := strings.IndexByte(target, '?'); q >= 0 {
		target = target[:q]
	}
	if !isEssayPath(target) {
		return
	}
	if t, err := url.PathUnescape(target); err == nil {
		target = t
	}
	source := path.Clean(path.Join(path.Dir(in.File), target))
	if rest, ok := strings.CutPrefix(target, "@/"); ok && in.Root != "" {
		// Zola's internal links start from the content folder.
		source = path.Clean(path.Join(in.Root, rest))
	}
	u, ok := in.Resolve(source)
	if !ok {
		res.Diags = append(res.Diags, diag.New(p, c.opts.BrokenLinks, "link to %q: there is no essay %s (drafts and essays dated in the future are left out unless the build includes them); fix the file name or remove the link", dest, source))
		return
	}
	res.Links = append(res.Links, Link{Target: source, Fragment: frag, URL: u, Pos: p})
	if rawFrag != "" {
		u += "#" + rawFrag
	}
	n.Destination = []byte(u)
}

// linkOffset is where a link (or image) starts in the source: its opening
// bracket, or the "!" of an image. goldmark records that offset as the
// node's position; older trees without one fall back to the first
// position found inside or around the node, so a diagnostic never fails.
func linkOffset(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

func blockBody(n ast.Node, src []byte) ([]byte, int) {
	lines := n.Lines()
	var b bytes.Buffer
	first := 0
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if i == 0 {
			first = seg.Start
		}
		b.Write(seg.Value(src))
	}
	return b.Bytes(), first
}

// fenceStart is the offset of a fenced block's opening line.
func fenceStart(n *ast.FencedCodeBlock, src []byte) int {
	if n.Info != nil {
		return n.Info.Segment.Start
	}
	return 0
}

// plainText is the text of n's inline content as a reader sees it.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	inlineText(&b, n, src, readerText)
	return strings.TrimSpace(b.String())
}

func countWords(b []byte) int {
	n, in := 0, false
	for _, r := range string(b) {
		if unicode.IsSpace(r) || r == '—' || r == '–' {
			in = false
			continue
		}
		if !in && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			n++
			in = true
		}
	}
	return n
}

// revision names the conversion itself: change it whenever the same
// Markdown and options would give different output or diagnostics, so
// that conversions cached by an earlier Steward are not reused.
const revision = "6"

// Fingerprint identifies the options, and the conversion's revision, for
// cache keys.
func (o Options) Fingerprint() string {
	ids := o.HeadingIDs
	if ids == "" {
		ids = GitHubIDs // the same ids, so the same key
	}
	return fmt.Sprintf("r%s|%t|%s|%d|%+v", revision, o.Unsafe, ids, o.BrokenLinks, o.SelfCheck)
}
