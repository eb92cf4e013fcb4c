package markdown

import (
	"bytes"
	"regexp"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// references is the transformer that warns about reference links without
// a definition ([text][label]) in the essay's paragraphs and headings.
type references struct{}

// Extend registers the transformer.
func (r references) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(r, referencesPriority)))
}

// Transform implements parser.ASTTransformer.
func (references) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if documentOf(pc) == nil || !bytes.Contains(src, []byte("][")) {
		return // no line of the essay can hold one
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Heading, *ast.Paragraph:
			undefinedReferences(n, src, pc)
		}
		if holdsInlines(n) {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// fullRefRe matches a full or collapsed reference link, [text][label] or
// [text][], with an optional "!" for an image.
var fullRefRe = regexp.MustCompile(`!?\[([^\[\]]+)\]\[([^\[\]]*)\]`)

// undefinedReferences warns about [text][label] links in block whose label
// has no definition: goldmark shows them as the bracketed text, silently.
// Only the full and collapsed forms are reported; a lone [text] is
// ordinary prose far too often ("[sic]", "[1]") to be taken for a link.
// Nor is one in the block's quiet text (quiet.go): Preferences["a"]["b"]
// in <code> or a[i][j] in $...$ is no link anyone meant; that text is
// found only when a candidate is, as few blocks have any.
func undefinedReferences(block ast.Node, src []byte, pc parser.Context) {
	var quiet []segment
	quietFound := false
	lines := block.Lines()
	var texts []span // gathered once a line could hold such a link
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := seg.Value(src)
		if !bytes.Contains(line, []byte("][")) {
			continue // most lines: no regular expression needed
		}
		if texts == nil {
			collectTexts(block, &texts)
		}
		for _, m := range fullRefRe.FindAllSubmatchIndex(line, -1) {
			open := m[0]
			if line[open] == '!' {
				open++
			}
			label := line[m[4]:m[5]]
			if len(label) == 0 {
				label = line[m[2]:m[3]]
			}
			if len(label) > 0 && label[0] == '^' {
				continue // a footnote's syntax, not a link's
			}
			// Both brackets must be plain text of the paragraph: not code,
			// not raw HTML, not inside a link that did resolve.
			if !inText(texts, seg.Start+open) || !inText(texts, seg.Start+m[3]) {
				continue
			}
			if _, ok := pc.Reference(util.ToLinkReference(label)); ok {
				continue
			}
			at := seg.Start + m[0]
			if !quietFound {
				quiet, quietFound = inlineQuiet(block, src), true
			}
			if inRanges(quiet, at) {
				continue
			}
			warn(pc, at, "reference link %s has no definition, so readers see the brackets; add a line such as [%s]: https://example.org/ or write an inline link [text](url)", line[m[0]:m[1]], label)
		}
	}
}

// span is the source range of one text node.
type span struct{ start, stop int }

// collectTexts gathers the text nodes below n that readers see as plain
// text: not inside code, links or images.
func collectTexts(n ast.Node, out *[]span) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			*out = append(*out, span{c.Segment.Start, c.Segment.Stop})
		case *ast.CodeSpan, *ast.Link, *ast.Image, *ast.AutoLink, *ast.RawHTML:
		default:
			collectTexts(c, out)
		}
	}
}

func inText(texts []span, off int) bool {
	for _, t := range texts {
		if off >= t.start && off < t.stop {
			return true
		}
	}
	return false
}
