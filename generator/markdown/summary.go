package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// summaryKey holds the essay's *summaryNodes.
var summaryKey = parser.NewContextKey()

// moreMarker separates the summary from the rest.
var moreMarker = []byte("<!--more-->")

// summary is the transformer that chooses the essay's summary in its
// tree: the top-level blocks before <!--more--> (with the paragraph that
// holds it, when it stands in one), else the first paragraph. The summary
// is rendered from the same tree as the page, so its links are resolved
// alike. Footnote references are left out of it: their notes are on
// another page. It runs last, on the finished tree.
type summary struct{}

// summaryNodes are the nodes of an essay's summary.
type summaryNodes struct {
	// blocks are the top-level blocks to render.
	blocks []ast.Node
	// noterefs are the footnote references inside them, to leave out.
	noterefs []ast.Node
}

// Extend registers the transformer.
func (s summary) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(s, summaryPriority)))
}

// Transform implements parser.ASTTransformer.
func (summary) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if documentOf(pc) == nil {
		return
	}
	src := reader.Source()
	var more ast.Node // the top-level block holding <!--more-->
	if bytes.Contains(src, moreMarker) {
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			switch n.(type) {
			case *ast.HTMLBlock, *ast.RawHTML:
				if entering && isMoreMarker(n, src) {
					more = topLevel(n, doc)
					return ast.WalkStop, nil
				}
			}
			return ast.WalkContinue, nil
		})
	}
	s := &summaryNodes{}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if more == nil {
			if _, ok := n.(*ast.Paragraph); ok {
				s.blocks = append(s.blocks, n)
				break
			}
			continue
		}
		if n == more && n.Kind() == ast.KindHTMLBlock {
			break
		}
		s.blocks = append(s.blocks, n)
		if n == more {
			break // the marker stood inside this paragraph
		}
	}
	if bytes.Contains(src, []byte("[^")) { // else no footnote reference
		for _, b := range s.blocks {
			_ = ast.Walk(b, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
				if _, ok := n.(*east.FootnoteLink); ok && entering {
					s.noterefs = append(s.noterefs, n)
				}
				return ast.WalkContinue, nil
			})
		}
	}
	pc.Set(summaryKey, s)
}

// renderSummary renders the summary chosen in pc with r, once the page is
// rendered: it takes the footnote references out of the tree.
func renderSummary(r renderer.Renderer, src []byte, pc parser.Context) []byte {
	s, _ := pc.Get(summaryKey).(*summaryNodes)
	if s == nil {
		return nil
	}
	for _, n := range s.noterefs {
		n.Parent().RemoveChild(n.Parent(), n)
	}
	var b bufWriter
	for _, n := range s.blocks {
		_ = r.Render(&b, src, n)
	}
	if b.Len() == 0 {
		return nil
	}
	// Every essay's summary is kept to the end of a build, for its list
	// pages: without the room the buffer grew into.
	return bytes.Clone(b.Bytes())
}

// isMoreMarker reports whether an HTML node is exactly <!--more-->.
func isMoreMarker(n ast.Node, src []byte) bool {
	return bytes.Equal(bytes.TrimSpace(rawText(n, src)), moreMarker)
}

// topLevel returns the child of doc that holds n.
func topLevel(n, doc ast.Node) ast.Node {
	for n.Parent() != nil && n.Parent() != doc {
		n = n.Parent()
	}
	return n
}
