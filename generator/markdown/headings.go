package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// headingsKey holds the essay's []Heading, in the order of the page.
var headingsKey = parser.NewContextKey()

// headingList is the transformer that lists the essay's headings, with
// their ids (given earlier by headingIDs, headingid.go) and their text as
// a reader sees it, for the table of contents and the build's check of
// links to them. It runs once goldmark's footnotes have settled where
// they go (a heading in a footnote is listed where the note is shown).
type headingList struct{}

// Extend registers the transformer.
func (h headingList) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(h, headingsPriority)))
}

// Transform implements parser.ASTTransformer.
func (headingList) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if documentOf(pc) == nil {
		return
	}
	src := reader.Source()
	var list []Heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if h, ok := n.(*ast.Heading); ok {
			id := ""
			if v, ok := h.AttributeString("id"); ok {
				if b, ok := v.([]byte); ok {
					id = string(b)
				}
			}
			list = append(list, Heading{Level: h.Level, ID: id, Text: plainText(h, src)})
			return ast.WalkSkipChildren, nil
		}
		if holdsInlines(n) {
			return ast.WalkSkipChildren, nil // no heading among inlines
		}
		return ast.WalkContinue, nil
	})
	appendTo(pc, headingsKey, list...)
}

// holdsInlines reports whether n's children are inline content, which
// holds no block.
func holdsInlines(n ast.Node) bool {
	c := n.FirstChild()
	return c != nil && c.Type() == ast.TypeInline
}
