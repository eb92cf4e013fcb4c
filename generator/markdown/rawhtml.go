package markdown

import (
	"bytes"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Raw HTML in an essay passes through as it is written (markdown.unsafe,
// the default: the author is trusted, as in Jekyll, Zola or MkDocs). With
// markdown.unsafe: false it is escaped, so the reader sees the tags as text,
// and the essay's first piece is reported once, naming the setting. HTML
// comments never reach the page in either mode: a comment is a note to the
// author, and <!--more--> marks the end of the summary.

// rawHTMLCheck is the goldmark extension that reports escaped raw HTML.
type rawHTMLCheck struct{ unsafe bool }

// Extend registers the transformer.
func (r rawHTMLCheck) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(r, 200)))
}

// Transform implements parser.ASTTransformer.
func (r rawHTMLCheck) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if r.unsafe {
		return
	}
	src := reader.Source()
	count, first, firstOffset := 0, "", 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var shown []byte
		switch n := n.(type) {
		case *ast.HTMLBlock:
			shown = htmlBlockShown(n, src)
		case *ast.RawHTML:
			if !isComment(rawHTMLSource(n, src)) {
				shown = rawHTMLSource(n, src)
			}
		default:
			return ast.WalkContinue, nil
		}
		if len(bytes.TrimSpace(shown)) > 0 {
			if count == 0 {
				first, firstOffset = excerpt(shown), n.Pos()
			}
			count++
		}
		return ast.WalkSkipChildren, nil
	})
	if count == 0 {
		return
	}
	others := ""
	switch count {
	case 1:
	case 2:
		others = " (and 1 more piece of raw HTML in this essay)"
	default:
		others = " (and " + strconv.Itoa(count-1) + " more pieces of raw HTML in this essay)"
	}
	warn(pc, firstOffset, "raw HTML %s is shown as text%s because site.yaml sets markdown.unsafe: false; remove that setting to let raw HTML through, or write Markdown instead", first, others)
}

// excerpt is the start of a piece of HTML, short enough for a message.
func excerpt(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " ..."
	}
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + " ..."
	}
	return s
}

// rawHTMLSource is an inline piece of raw HTML as written.
func rawHTMLSource(n *ast.RawHTML, src []byte) []byte {
	if n.Segments.Len() == 1 {
		seg := n.Segments.At(0)
		return seg.Value(src)
	}
	var b []byte
	for i := 0; i < n.Segments.Len(); i++ {
		seg := n.Segments.At(i)
		b = append(b, seg.Value(src)...)
	}
	return b
}

// isComment reports whether an inline piece of raw HTML is a comment:
// goldmark makes one node of a whole comment.
func isComment(b []byte) bool { return bytes.HasPrefix(b, []byte("<!--")) }

// htmlBlockShown is what of an HTML block reaches the page (with its links
// resolved, see resolver.html in htmllinks.go): all of it,
// except for a comment block (CommonMark's type 2, from "<!--" to the line
// holding "-->"), which loses its comments and keeps only what follows them
// on its last line.
func htmlBlockShown(n *ast.HTMLBlock, src []byte) []byte {
	b := rewritten(n, src)
	if n.HTMLBlockType == ast.HTMLBlockType2 {
		b = stripComments(b)
	}
	return b
}

// stripComments removes the complete HTML comments from b, as CommonMark
// defines them: "<!-->", "<!--->", or "<!--" up to the next "-->". A comment
// left open is kept: in the page it hides what follows, as it always did.
func stripComments(b []byte) []byte {
	var out []byte
	for {
		i := bytes.Index(b, []byte("<!--"))
		if i < 0 {
			return append(out, b...)
		}
		rest := b[i+4:]
		var end int
		switch {
		case bytes.HasPrefix(rest, []byte(">")):
			end = 1
		case bytes.HasPrefix(rest, []byte("->")):
			end = 2
		default:
			j := bytes.Index(rest, []byte("-->"))
			if j < 0 {
				return append(out, b...)
			}
			end = j + 3
		}
		out = append(out, b[:i]...)
		b = rest[end:]
	}
}

// rawHTML renders inline raw HTML: as written when unsafe, else escaped so
// the author sees what they wrote instead of it vanishing; a comment
// (<!--more--> among them) gives nothing.
func (r *renderers) rawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	b := rawHTMLSource(node.(*ast.RawHTML), src)
	switch {
	case isComment(b):
	case r.unsafe:
		goldhtml.DefaultWriter.SecureWrite(w, rewritten(node, src))
	default:
		template.HTMLEscape(w, b)
	}
	return ast.WalkSkipChildren, nil
}

// htmlBlock renders a block of raw HTML: as written when unsafe, else
// escaped in a paragraph; its comments give nothing.
func (r *renderers) htmlBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	b := htmlBlockShown(node.(*ast.HTMLBlock), src)
	if len(bytes.TrimSpace(b)) == 0 {
		return ast.WalkSkipChildren, nil
	}
	if r.unsafe {
		goldhtml.DefaultWriter.SecureWrite(w, b)
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString("<p>")
	template.HTMLEscape(w, bytes.TrimSpace(b))
	_, _ = w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

// unclosedHTML is the transformer that warns of raw HTML that swallows
// what follows it, with no word from CommonMark or the browser: an HTML
// comment never closed with "-->" hides the rest of the page (a
// forgotten "<!-- TODO" loses the end of an essay), and a <script>,
// <style>, <textarea> or <pre> block never closed runs to the end of the
// file, which is then read as raw HTML, not Markdown (the browser hides
// it, too, in a script or a style). Only with raw HTML let through: else
// it shows as text.
type unclosedHTML struct{ unsafe bool }

// Extend registers the transformer.
func (u unclosedHTML) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(u, fencesPriority+1)))
}

// Transform implements parser.ASTTransformer.
func (u unclosedHTML) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if !u.unsafe || documentOf(pc) == nil {
		return
	}
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		b, ok := n.(*ast.HTMLBlock)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		buf, segs := sourceOf(b, src)
		text := bytes.TrimLeft(buf, " \t")
		tag, _ := tagName(text)
		// In a script or a style "<!--" is text.
		script := b.HTMLBlockType == ast.HTMLBlockType1 && rawTextElements[tag]
		if script && tag == "script" && vueSetupRe.Match(text) {
			warn(pc, offsetIn(segs, len(buf)-len(text)), "<script setup> is a Vue component's script (VitePress runs it to make the page's demos work); Steward passes it to the browser as a plain script, which cannot run it (import, defineProps), so the Vue markup it drives (v-if, @click, {{ }}) does nothing; remove it, and the demos it drives")
		}
		if open := openComment(buf); open >= 0 && !script {
			// Closed in a later block, it hides what is between, as the
			// writer may mean; never closed, it hides all the rest.
			if at := offsetIn(segs, open); !bytes.Contains(src[at:], []byte("-->")) {
				warn(pc, at, "this HTML comment, opened with <!--, is never closed, so it hides everything after it in the page; end it with --> where the comment ends")
			}
			return ast.WalkSkipChildren, nil
		}
		if b.HTMLBlockType == ast.HTMLBlockType6 || b.HTMLBlockType == ast.HTMLBlockType7 {
			swallowed(pc, src, b)
			return ast.WalkSkipChildren, nil
		}
		if b.HTMLBlockType != ast.HTMLBlockType1 || b.HasClosure() || n != doc.LastChild() {
			return ast.WalkSkipChildren, nil
		}
		if tag == "" || bytes.Contains(bytes.ToLower(buf), []byte("</"+tag)) || b.Lines().Len() < 2 {
			return ast.WalkSkipChildren, nil
		}
		how := ""
		if first, _, _ := bytes.Cut(text, []byte("\n")); bytes.Contains(first, []byte("/>")) {
			how = " (HTML does not close a <" + tag + "> with />)"
		}
		warn(pc, offsetIn(segs, len(buf)-len(text)), "this <%s> is never closed with </%s>%s, so everything after it to the end of the file (%s) is read as raw HTML, not as Markdown; end it with </%s>", tag, tag, how, lineCount(b.Lines().Len()-1), tag)
		return ast.WalkSkipChildren, nil
	})
}

// openComment returns the offset of the first HTML comment of b that is
// never closed, as CommonMark reads comments (see stripComments), or -1.
func openComment(b []byte) int {
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte("<!--"))
		if i < 0 {
			return -1
		}
		start := off + i
		rest := b[start+4:]
		switch {
		case bytes.HasPrefix(rest, []byte(">")), bytes.HasPrefix(rest, []byte("->")):
			off = start + 4
			continue
		}
		j := bytes.Index(rest, []byte("-->"))
		if j < 0 {
			return start
		}
		off = start + 4 + j + 3
	}
}

// vueSetupRe is the start of a Vue single-file component's <script setup>
// (<script setup lang="ts">), which VitePress pages hold.
var vueSetupRe = regexp.MustCompile(`(?i)^<script\s(?:[^>]*\s)?setup[\s>=]`)

// markdownAttrRe is kramdown's and Python-Markdown's markdown="1" (or
// "block", "span") on an HTML tag: read what the element holds as Markdown.
var markdownAttrRe = regexp.MustCompile(`(?i)\smarkdown\s*=\s*["']?(1|block|span)\b`)

// swallowed warns of Markdown that a raw HTML block (one that runs to the
// next blank line, as <div> does) takes in as HTML, so readers see it as
// written: a code fence opened on one of its later lines (the fence's
// other line then opens a code block that runs on), and the lines below a
// tag with markdown="1", which kramdown (Jekyll) and Python-Markdown
// (MkDocs) read as Markdown and CommonMark does not. A blank line after
// the tag is what CommonMark needs.
func swallowed(pc parser.Context, src []byte, b *ast.HTMLBlock) {
	lines := b.Lines()
	if lines.Len() < 2 {
		return
	}
	first := lines.At(0)
	startLine := documentOf(pc).pos(first.Start).Line
	if m := markdownAttrRe.FindIndex(first.Value(src)); m != nil {
		warn(pc, first.Start+m[0]+1, "markdown=\"1\" (kramdown's and Python-Markdown's) is not read by Steward: the %d lines after this tag, to the next blank line, are raw HTML, so readers see their Markdown as written; leave a blank line after the tag, and before its closing tag, and they are read as Markdown", lines.Len()-1)
		return
	}
	for i := 1; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := seg.Value(src)
		t := bytes.TrimLeft(line, " ")
		if len(line)-len(t) > 3 || !(bytes.HasPrefix(t, []byte("```")) || bytes.HasPrefix(t, []byte("~~~"))) {
			continue
		}
		warn(pc, seg.Start+len(line)-len(t), "this %s opens no code block: it is part of the raw HTML that starts at line %d, which runs to the next blank line (CommonMark's rule), so readers see it as text; put a blank line before it", t[:3], startLine)
		return
	}
}
