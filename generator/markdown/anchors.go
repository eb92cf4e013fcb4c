package markdown

import (
	"bytes"
	"html"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// anchorsKey holds the essay's []string of link targets other than its
// headings (Result.Anchors).
var anchorsKey = parser.NewContextKey()

// anchors is the transformer that lists the page's link targets other
// than headings: footnotes and their references, as goldmark's footnotes
// name them once numbered, and, with raw HTML let through, the ids written
// in it (id= on any element, name= on <a>).
type anchors struct{ unsafe bool }

// Extend registers the transformer.
func (a anchors) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(a, anchorsPriority)))
}

// Transform implements parser.ASTTransformer.
func (a anchors) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if documentOf(pc) == nil || !bytes.Contains(src, []byte("[^")) && !(a.unsafe && bytes.IndexByte(src, '<') >= 0) {
		return // no footnote is written without "[^", no HTML without "<"
	}
	var list []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML:
			if a.unsafe { // else the HTML is shown as text, and defines no id
				list = append(list, htmlIDs(stripComments(rawText(n, src)))...)
			}
		case *east.FootnoteLink:
			ref := "fnref"
			if n.RefIndex > 0 {
				ref += strconv.Itoa(n.RefIndex)
			}
			list = append(list, ref+":"+strconv.Itoa(n.Index))
		case *east.Footnote:
			list = append(list, "fn:"+strconv.Itoa(n.Index))
		}
		return ast.WalkContinue, nil
	})
	appendTo(pc, anchorsKey, list...)
}

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
