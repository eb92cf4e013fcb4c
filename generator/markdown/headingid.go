package markdown

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// headingIDs is the goldmark extension that gives every heading an id the
// way GitHub does (and Hugo by default), so that links written for a
// repository's Markdown or a Hugo site keep working: the heading's text,
// lowercased; letters, marks, digits and "_" and "-" kept; each space made
// "-"; everything else dropped; "-1", "-2"... added to repeats. An id
// written as {#id} is kept, and is never given to another heading.
//
// It runs after inline parsing, on the text a reader sees (a heading that is
// a link gets the id of the link's text), instead of goldmark's own
// generator, which works on the raw line. The ids used so far are the
// document's parser.IDs, set per document by Convert (newHeadingIDs).
type headingIDs struct{}

// Extend registers the transformer.
func (headingIDs) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(headingIDs{}, 100)))
}

// Transform implements parser.ASTTransformer.
func (headingIDs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var headings []*ast.Heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if h, ok := n.(*ast.Heading); ok {
			headings = append(headings, h)
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return ast.WalkSkipChildren, nil // inline content: no headings inside
		}
		return ast.WalkContinue, nil
	})
	// Written ids first: an automatic id must not take one of them, even
	// when the heading that writes it comes later.
	ids := pc.IDs()
	written := map[string]bool{}
	var auto []*ast.Heading
	for _, h := range headings {
		v, ok := h.AttributeString("id")
		id := ""
		if ok {
			if b, isBytes := v.([]byte); isBytes {
				id = string(b)
			} else if v != nil {
				id = fmt.Sprint(v) // {id=2}: the attribute parser made it a number
			}
		}
		if id == "" {
			auto = append(auto, h)
			continue
		}
		h.SetAttributeString("id", []byte(id))
		if written[id] {
			warn(pc, h.Pos(), "heading id #%s is written on an earlier heading too; links to #%s go to the first, so give this heading another id", id, id)
			continue
		}
		written[id] = true
		ids.Put([]byte(id))
	}
	for _, h := range auto {
		h.SetAttributeString("id", ids.Generate([]byte(idText(h, src)), ast.KindHeading))
	}
}

// githubIDs is a document's set of element ids, made as GitHub makes heading
// ids. It implements parser.IDs; one is made per document.
type githubIDs struct {
	used map[string]bool
	// next is the last suffix given for a base id.
	next map[string]int
}

func newHeadingIDs() parser.IDs {
	return &githubIDs{used: map[string]bool{}, next: map[string]int{}}
}

// Generate implements parser.IDs: value is the heading's text.
func (s *githubIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := slug(string(value))
	if base == "" {
		// GitHub would give an empty id; an element needs a real one.
		base = "heading"
		if kind != ast.KindHeading {
			base = "id"
		}
	}
	id := base
	for s.used[id] {
		s.next[base]++
		id = base + "-" + strconv.Itoa(s.next[base])
	}
	s.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (s *githubIDs) Put(value []byte) { s.used[string(value)] = true }

// slug makes an id of a heading's text as GitHub does: lowercased; letters,
// combining marks, digits, connector punctuation ("_") and "-" kept; each
// space becomes "-" (so "C++ & Go" is "c--go"); everything else is dropped.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == ' ' || r == '-':
			b.WriteByte('-')
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Pc, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// idText is the text of a heading as GitHub takes it for the id: what a
// reader sees of the Markdown, before smart typography (so "--" stays two
// hyphens), without images, raw HTML or footnote references.
func idText(n ast.Node, src []byte) string {
	var b strings.Builder
	inlineText(&b, n, src, true)
	return b.String()
}

// inlineText writes the text of n's inline content: escapes and entities
// resolved, code spans as written. For an id (forID), typographic dashes are
// written back as the hyphens they came from, and images, raw HTML and
// footnote references give nothing, as on GitHub; otherwise an image gives
// its alternative text.
func inlineText(b *strings.Builder, n ast.Node, src []byte, forID bool) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			v := t.Segment.Value(src)
			if !t.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ') // a heading on two lines reads as one
			}
		case *ast.String:
			v := string(t.Value)
			if t.IsCode() {
				v = html.UnescapeString(v) // the typographer's "&ldquo;"
			}
			if forID {
				switch v {
				case "–":
					v = "--"
				case "—":
					v = "---"
				}
			}
			b.WriteString(v)
		case *ast.CodeSpan:
			for g := t.FirstChild(); g != nil; g = g.NextSibling() {
				if tx, ok := g.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				} else if s, ok := g.(*ast.String); ok {
					b.Write(s.Value)
				}
			}
		case *ast.AutoLink:
			b.Write(t.Label(src))
		case *ast.RawHTML:
		case *ast.Image:
			if !forID {
				inlineText(b, t, src, forID)
			}
		case *east.FootnoteLink, *east.FootnoteBacklink:
		default:
			inlineText(b, c, src, forID)
		}
	}
}
