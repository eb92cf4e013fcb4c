package markdown

import (
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Title is an essay's title, written with inline Markdown ("**Asset**
// policy", "Using `go test`"), in the two forms pages need.
type Title struct {
	// HTML keeps the formatting (emphasis, code, strikethrough) for the
	// page's h1 and lists. Links become their text and images their
	// alternative text, so it may stand inside a link; raw HTML shows as
	// text, as the title was written.
	HTML template.HTML
	// Text is plain text, for <title>, meta tags, feeds and JSON-LD.
	Text string
}

// Titles renders titles. It is safe for concurrent use; make one per
// build, not one per title.
type Titles struct {
	md goldmark.Markdown
}

// NewTitles configures the inline Markdown of titles: CommonMark inlines
// and strikethrough, no typographer (a title reads as written everywhere).
func NewTitles() *Titles {
	return &Titles{md: goldmark.New(
		goldmark.WithExtensions(extension.Strikethrough),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(titleRenderers{}, 100))),
	)}
}

// titleSyntax are the bytes that may start inline Markdown; a title
// without any is its own text.
const titleSyntax = "*_`[]!<&\\~"

// PlainTitle reports whether s holds nothing that inline Markdown would
// change: Render then returns it as it is, escaped for HTML, at once.
func PlainTitle(s string) bool { return !strings.ContainsAny(s, titleSyntax+"\n\r\t") }

// Render renders one title.
func (t *Titles) Render(s string) Title {
	if PlainTitle(s) {
		return Title{HTML: template.HTML(template.HTMLEscapeString(s)), Text: s}
	}
	s = strings.Join(strings.Fields(s), " ") // a title is one line
	// Parsed as the text of an ATX heading, so that "1. First" or "- x"
	// stay text, not a list. A final closing sequence keeps a title's own
	// trailing "#" ("Issue #").
	src := "# " + s
	if strings.HasSuffix(s, "#") {
		src += " #"
	}
	var b bufWriter
	if err := t.md.Convert([]byte(src), &b); err != nil {
		return Title{HTML: template.HTML(template.HTMLEscapeString(s)), Text: s}
	}
	h := strings.TrimSpace(b.String())
	text := PlainText([]byte(h))
	if text == "" { // nothing visible: "![](x.png)"
		return Title{HTML: template.HTML(template.HTMLEscapeString(s)), Text: s}
	}
	return Title{HTML: template.HTML(h), Text: text}
}

// titleRenderers render a title's heading without its element, links as
// their text, images as their alternative text and raw HTML as text.
type titleRenderers struct{}

func (titleRenderers) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindLink, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindAutoLink, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			template.HTMLEscape(w, n.(*ast.AutoLink).Label(src))
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindImage, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			template.HTMLEscape(w, []byte(plainText(n, src)))
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n := node.(*ast.RawHTML)
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				template.HTMLEscape(w, seg.Value(src))
			}
		}
		return ast.WalkSkipChildren, nil
	})
}
