package markdown

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strings"

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
	refs, wikis := bytes.Contains(src, []byte("][")), bytes.Contains(src, []byte("[["))
	if documentOf(pc) == nil || !refs && !wikis {
		return // no line of the essay can hold one
	}
	var wl wikiLinks
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Heading, *ast.Paragraph:
			if refs {
				undefinedReferences(n, src, pc)
			}
		}
		if wikis && holdsInlines(n) {
			// Tight lists' text blocks and tables' cells too.
			wl.find(n, src)
		}
		if holdsInlines(n) {
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	wl.report(pc)
}

// wikiRe matches a wikilink, [[Note]], [[Note#Heading|text]], or an
// embed, ![[picture.png]].
var wikiRe = regexp.MustCompile(`!?\[\[([^\[\]\n]+)\]\]`)

// tomlKeyRe is a line of TOML's "key = value".
var tomlKeyRe = regexp.MustCompile(`^\s*[A-Za-z_][\w.-]*\s*=\s*\S`)

// wikiLinks gathers an essay's wikilinks, to report them once.
type wikiLinks struct {
	first []byte // the first, as written
	at    int    // its offset
	n     int
	toc   []int // markdown-it's [[toc]] markers, which are no links
}

// find records the wikilinks of block that readers would see as text:
// Obsidian, Foam, Roam and Dendron link notes so, and CommonMark has no
// such syntax. Those in code, raw HTML and math are what their writer
// meant, and left alone.
func (w *wikiLinks) find(block ast.Node, src []byte) {
	var quiet []segment
	quietFound := false
	lines := block.Lines()
	var texts []span
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if l := seg.Value(src); bytes.Contains(l, []byte("{{<")) || bytes.Contains(l, []byte("{{%")) || bytes.Contains(l, []byte("{%")) || tomlKeyRe.Match(l) {
			// A template's block ({{< code-toggle >}} around TOML's
			// [[build.cachebusters]]), warned of as such, or TOML's
			// tables shown as text (name = 'About' under
			// [[menus.main]]): code, not links.
			return
		}
	}
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := seg.Value(src)
		if !bytes.Contains(line, []byte("[[")) {
			continue
		}
		if texts == nil {
			collectTexts(block, &texts)
		}
		for _, m := range wikiRe.FindAllSubmatchIndex(line, -1) {
			open := m[0]
			if line[open] == '!' {
				open++
			}
			if !inText(texts, seg.Start+open) || !inText(texts, seg.Start+m[1]-1) {
				continue
			}
			if c := line[m[2]]; c == '\'' || c == '"' {
				continue // [['\(', '\)']]: a list of lists, in TOML or code
			}
			if strings.EqualFold(string(line[m[2]:m[3]]), "toc") && line[m[0]] != '!' {
				w.toc = append(w.toc, seg.Start+m[0])
				continue
			}
			if !quietFound {
				quiet, quietFound = inlineQuiet(block, src), true
			}
			if inRanges(quiet, seg.Start+m[0]) {
				continue
			}
			if w.n == 0 {
				w.first, w.at = line[m[0]:m[1]], seg.Start+m[0]
			}
			w.n++
		}
	}
}

// report warns once, at the essay's first wikilink, with the count of the
// rest and the Markdown link to write in its place.
func (w *wikiLinks) report(pc parser.Context) {
	for _, at := range w.toc {
		warn(pc, at, "[[toc]] (the table of contents marker of markdown-it, as VitePress and Eleventy use it) is not supported by Steward; readers will see it as text. Remove it: Steward's default theme shows a table of contents by itself when an essay has three or more ## headings")
	}
	if w.n == 0 {
		return
	}
	more := ""
	if w.n > 1 {
		more = fmt.Sprintf(" (and %d more in this essay)", w.n-1)
	}
	warn(pc, w.at, "%s is a wikilink (of Obsidian, Foam or a wiki), which Steward does not read: readers will see it as text%s. Write Markdown in its place, with the file's path from this essay: %s", w.first, more, wikiAdvice(w.first))
}

// wikiAdvice gives the Markdown to write for a wikilink: [text](Note.md)
// for [[Note|text]], ![Note](picture.png) for the embed ![[picture.png]].
func wikiAdvice(link []byte) string {
	s := string(link)
	embed := strings.HasPrefix(s, "!")
	s = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(s, "!"), "[["), "]]")
	target, label, hasLabel := strings.Cut(s, "|")
	target, frag, _ := strings.Cut(target, "#")
	target = strings.TrimSpace(target)
	if !hasLabel {
		label = target
		if frag != "" {
			label = frag
		}
	}
	file := target
	if path.Ext(file) == "" && file != "" {
		file += ".md"
	}
	file = strings.ReplaceAll(file, " ", "%20")
	if frag != "" {
		file += "#" + githubSlug(frag)
	}
	if embed && path.Ext(target) != "" && !isEssayPath(target) {
		return fmt.Sprintf("![%s](%s)", strings.TrimSuffix(path.Base(target), path.Ext(target)), file)
	}
	return fmt.Sprintf("[%s](%s)", label, file)
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
