// Package markdown owns the conversion of an essay's Markdown to HTML: one
// configured goldmark (GFM, footnotes, typographer, definition lists,
// heading IDs made as GitHub makes them, and attributes), raw HTML let
// through or escaped, other generators' syntax reported, code fences
// highlighted by chroma with CSS classes, and links between essays
// resolved to their URLs and checked. It returns HTML, headings, a summary
// and positioned diagnostics; it knows nothing of layouts or output paths.
//
// Each feature is a goldmark transformer in a file of its own, which
// leaves what it finds in the document's parser.Context (document.go).
// A caller adds features of its own as an Extension (the self-check
// widget: package selfcheckext), which this package does not know.
package markdown

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/steward-ssg/steward/generator/diag"
)

// Options are the settings that change the HTML produced. Every field must
// be part of Fingerprint, which keys caches.
type Options struct {
	// Unsafe lets raw HTML through; otherwise it is escaped and shows as text.
	Unsafe bool
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
	// Extensions add features of the caller's to the conversion, such as
	// the self-check widget (selfcheckext.New). Their fingerprints are
	// part of Fingerprint.
	Extensions []Extension
	// Code, when set, remembers highlighted code blocks. It does not change
	// the output, so it is not part of Fingerprint.
	Code CodeCache
}

// Extension is a feature added to the conversion by its caller: a goldmark
// extension whose transformers find the essay being converted with
// Position and leave what they find in the document's parser.Context,
// under keys of their own, for Collect. Give its transformers a priority
// from 2000 to 9999: after this package's (and goldmark's footnotes),
// before the summary is chosen from the finished tree (document.go).
type Extension interface {
	goldmark.Extender
	// Fingerprint identifies the extension and its settings that change
	// the output; it is part of Options.Fingerprint, which keys caches.
	Fingerprint() string
	// Collect adds to res what the extension's transformers left in pc
	// for one essay: its diagnostics, its counts. It runs once the essay
	// is parsed, before it is rendered.
	Collect(pc parser.Context, res *Result)
}

// CodeRevision names how code is highlighted: a CodeCache keeps it in its
// keys, and it changes when the same code would highlight differently.
// 2: chroma's time limit on a match is lifted (matchLimit), so blocks
// highlighted before on a loaded machine may be wrong.
const CodeRevision = "2"

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
	exts := []goldmark.Extender{
		// GFM, with tables that cannot grow with the square of the text.
		extension.Linkify, tables{}, extension.Strikethrough, extension.TaskList,
		extension.Footnote,
		extension.DefinitionList,
		extension.Typographer,
		&renderers{unsafe: opts.Unsafe, cache: opts.Code},
		// The transformers, each with its priority (see document.go).
		headingIDs{style: opts.HeadingIDs},
		rawHTMLCheck{unsafe: opts.Unsafe},
		foreignSyntax{unsafe: opts.Unsafe},
		unclosedFence{},
		unclosedHTML{unsafe: opts.Unsafe},
		alerts{},
		links{opts: &c.opts},
		images{opts: &c.opts},
		anchors{unsafe: opts.Unsafe},
		references{},
		mdxStatements{},
		words{},
		headingList{},
		summary{},
	}
	for _, e := range opts.Extensions {
		exts = append(exts, e)
	}
	c.md = goldmark.New(
		goldmark.WithExtensions(exts...),
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
	// only while every link still resolves to the same URL. It is empty
	// for a file looked for and not found where a link from the root or
	// from content/ could have meant it: recorded so that a conversion is
	// made again should an essay appear there.
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
	// SelfChecks counts the self-check widgets embedded (set by the
	// extension that makes them, selfcheckext).
	SelfChecks int
	// Images lists the local images (by site-absolute path) and the size
	// written for each, 0 by 0 when none was known.
	Images []Image
	Diags  diag.List
	// Files lists the relative references to files beside the essays.
	Files []FileRef
	// Paths lists the links to paths of the site that the build checks
	// once it knows every URL (see PathLink).
	Paths []PathLink
	// Unrun names the first piece of another generator's syntax in the
	// essay that would have made content where that generator ran it (a
	// Hugo shortcode, a Liquid include, an MkDocs snippet), which Steward
	// leaves as it is, with its line: "the Hugo shortcode {{% def %}} at
	// line 12". A link to an anchor the page lacks may have meant one it
	// made, so the link cannot be called broken. Empty when there is none.
	Unrun string
	// Digest identifies the output (HTML, summary and headings), so a page
	// built from it need not be rendered again while it is unchanged.
	Digest [32]byte
}

// Convert converts one essay. Problems are in Result.Diags; the HTML is
// still produced as far as possible, so a caller may show it.
//
// The essay is parsed once; the transformers (see document.go) resolve its
// links and images and leave what they find in its parser.Context, from
// which Convert builds the Result. Then the page is rendered, and the
// summary from the same tree.
func (c *Converter) Convert(in Input) *Result {
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs(c.opts.HeadingIDs)))
	pc.Set(documentKey, &document{in: in})
	doc := c.md.Parser().Parse(text.NewReader(in.Body), parser.WithContext(pc))
	res := &Result{
		Headings: listOf[Heading](pc, headingsKey),
		Anchors:  listOf[string](pc, anchorsKey),
		Links:    listOf[Link](pc, linksKey),
		Images:   listOf[Image](pc, imagesKey),
		Files:    listOf[FileRef](pc, filesKey),
		Paths:    listOf[PathLink](pc, pathsKey),
	}
	res.Words, _ = pc.Get(wordsKey).(int)
	res.Unrun, _ = pc.Get(unrunKey).(string)
	res.Diags, _ = pc.Get(diagsKey).(diag.List)
	for _, e := range c.opts.Extensions {
		e.Collect(pc, res)
	}

	// Room for the HTML, which is usually some 1.3 times the Markdown:
	// one allocation instead of a dozen doublings.
	var buf bufWriter
	buf.Grow(len(in.Body) + len(in.Body)/2)
	if err := c.md.Renderer().Render(&buf, in.Body, doc); err != nil {
		res.Diags.Add(diag.Pos{File: in.File}, "rendering Markdown: %v", err)
	}
	res.HTML = buf.Bytes()
	if res.HTML == nil {
		res.HTML = []byte{} // nil means "not loaded" to callers that cache
	}
	res.Summary = renderSummary(c.md.Renderer(), in.Body, pc) // summary.go
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

// bufWriter is a bytes.Buffer that goldmark takes for a buffered writer
// of its own (util.BufWriter), so that it does not put a bufio.Writer of
// 4 KB, and a copy, between itself and the buffer on every render.
type bufWriter struct{ bytes.Buffer }

// Buffered implements util.BufWriter: nothing waits to be written.
func (*bufWriter) Buffered() int { return 0 }

// Flush implements util.BufWriter: everything is in the buffer already.
func (*bufWriter) Flush() error { return nil }

var _ util.BufWriter = (*bufWriter)(nil)

var (
	imgAltRe = regexp.MustCompile(`<img\b[^>]*\balt="([^"]*)"[^>]*>`)
)

// PlainText strips tags from HTML and unescapes entities, folding space.
// An image stands for its alternative text, as a screen reader reads it.
func PlainText(h []byte) string {
	s := string(h)
	if strings.Contains(s, "<img") {
		s = imgAltRe.ReplaceAllString(s, "$1")
	}
	return collapseSpace(html.UnescapeString(stripTags(s)))
}

// stripTags removes every tag from s, as replacing <[^>]*> with nothing
// would (a "<" with no ">" after it stays), without a regular expression:
// a summary's plain text is made for every essay in every first build.
func stripTags(s string) string {
	i := strings.IndexByte(s, '<')
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		end := strings.IndexByte(s[i:], '>')
		if end < 0 {
			break
		}
		b.WriteString(s[:i])
		s = s[i+end+1:]
		i = strings.IndexByte(s, '<')
	}
	b.WriteString(s)
	return b.String()
}

// collapseSpace is strings.Join(strings.Fields(s), " ") in one pass: runs
// of white space become one space, none at either end.
func collapseSpace(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	word := -1 // where the word being read began
	for i := 0; i < len(s); {
		space, size := false, 1
		if c := s[i]; c < utf8.RuneSelf {
			space = asciiSpace[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			space = unicode.IsSpace(r)
		}
		switch {
		case space && word >= 0:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[word:i]) // as it was, even if not UTF-8
			word = -1
		case !space && word < 0:
			word = i
		}
		i += size
	}
	if word >= 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[word:])
	}
	return b.String()
}

// asciiSpace are the ASCII characters unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

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

// plainText is the text of n's inline content as a reader sees it.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	inlineText(&b, n, src, readerText)
	return strings.TrimSpace(b.String())
}

// revision names the conversion itself: change it whenever the same
// Markdown and options would give different output or diagnostics, so
// that conversions cached by an earlier Steward are not reused.
const revision = "10"

// Fingerprint identifies the options, and the conversion's revision, for
// cache keys.
func (o Options) Fingerprint() string {
	ids := o.HeadingIDs
	if ids == "" {
		ids = GitHubIDs // the same ids, so the same key
	}
	fp := fmt.Sprintf("r%s|%t|%s|%d", revision, o.Unsafe, ids, o.BrokenLinks)
	for _, e := range o.Extensions {
		fp += "|" + e.Fingerprint()
	}
	return fp
}
