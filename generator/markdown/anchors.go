package markdown

import (
	"bytes"
	"html"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"

	"github.com/steward-ssg/steward/generator/diag"
)

// HasAnchor reports whether a link to #id lands somewhere on the page:
// "top" (browsers scroll to the top for it), a heading's id, a footnote or
// its reference, or an id written in raw HTML. id is percent-decoded.
func (r *Result) HasAnchor(id string) bool {
	if id == "top" {
		return true
	}
	for _, h := range r.Headings {
		if h.ID == id {
			return true
		}
	}
	for _, a := range r.Anchors {
		if a == id {
			return true
		}
	}
	return false
}

// IDStyleFor says which style of heading ids (see HeadingIDStyles) would
// have given one of the page's headings the id frag, when the style in use
// did not: a link written for Zola or an older Hugo. It returns the style
// and the heading, or "" when no style explains frag.
func (r *Result) IDStyleFor(frag string) (style string, heading Heading) {
	slugs := map[string]func(string) string{GitHubIDs: githubSlug, GitHubASCIIIDs: githubASCIISlug, ZolaIDs: zolaSlug}
	for _, st := range HeadingIDStyles() {
		for _, h := range r.Headings {
			if slugs[st](h.Text) == frag && h.ID != frag {
				return st, h
			}
		}
	}
	return "", Heading{}
}

// isEssayPath reports a link to an essay's file rather than to another
// file: Markdown, as the build's content loader reads it (.md, .markdown).
func isEssayPath(p string) bool {
	return strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".markdown")
}

// tagRe matches one start tag of raw HTML; attrRe an id or name attribute
// in it, quoted either way or not at all, as HTML allows.
var (
	startTagRe = regexp.MustCompile(`<([A-Za-z][A-Za-z0-9-]*)\b([^>]*)>`)
	attrRe     = regexp.MustCompile(`(?i)(?:^|\s)(id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>` + "`" + `]+))`)
)

// htmlIDs lists the link targets a piece of raw HTML defines: id= on any
// element and name= on <a>, as browsers resolve fragments.
func htmlIDs(raw []byte) []string {
	var ids []string
	for _, tag := range startTagRe.FindAllSubmatch(raw, -1) {
		isA := strings.EqualFold(string(tag[1]), "a")
		for _, m := range attrRe.FindAllSubmatch(tag[2], -1) {
			if strings.EqualFold(string(m[1]), "name") && !isA {
				continue
			}
			v := string(m[2]) + string(m[3]) + string(m[4])
			if v = html.UnescapeString(v); v != "" {
				ids = append(ids, v)
			}
		}
	}
	return ids
}

// fullRefRe matches a full or collapsed reference link, [text][label] or
// [text][], with an optional "!" for an image.
var fullRefRe = regexp.MustCompile(`!?\[([^\[\]]+)\]\[([^\[\]]*)\]`)

// undefinedReferences warns about [text][label] links whose label has no
// definition: goldmark shows them as the bracketed text, silently. Only
// the full and collapsed forms are reported; a lone [text] is ordinary
// prose far too often ("[sic]", "[1]") to be taken for a link.
func undefinedReferences(block ast.Node, src []byte, pc parser.Context, pos func(int) diag.Pos, diags *diag.List) {
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
			diags.Warn(pos(seg.Start+m[0]), "reference link %s has no definition, so readers see the brackets; add a line such as [%s]: https://example.org/ or write an inline link [text](url)", line[m[0]:m[1]], label)
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
