package markdown

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// alerts is the transformer for GitHub's alerts: a blockquote whose first
// line is [!NOTE], [!TIP], [!IMPORTANT], [!WARNING] or [!CAUTION] (in any
// case) becomes <blockquote class="alert alert-note"> with a first
// paragraph <p class="alert-title">Note</p>, and loses the marker, which a
// reader would otherwise see as text. GitHub wants the marker alone on its
// line; text after it on the same line (> [!NOTE] Read this first., as
// handbooks built with remark plugins write) is kept as the alert's text.
type alerts struct{}

// alertsPriority: on the tree as the parser left it, before the links and
// words are collected from it.
const alertsPriority = 320

// calloutKindRe is a kind of Obsidian's callouts beyond GitHub's five: a
// word, of letters and hyphens.
var calloutKindRe = regexp.MustCompile(`^[a-z][a-z-]{0,30}$`)

// alertTitles are GitHub's alerts' kinds and the titles shown for them.
var alertTitles = map[string]string{
	"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution",
}

// Extend registers the transformer.
func (a alerts) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(a, alertsPriority)))
}

// Transform implements parser.ASTTransformer.
func (alerts) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if !bytes.Contains(src, []byte("[!")) {
		return
	}
	var quotes []*ast.Blockquote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if q, ok := n.(*ast.Blockquote); ok && entering {
			quotes = append(quotes, q)
		}
		return ast.WalkContinue, nil
	})
	for _, q := range quotes {
		alert(q, src)
	}
}

// alert makes an alert of the blockquote q when its first line is a marker.
func alert(q *ast.Blockquote, src []byte) {
	p, ok := q.FirstChild().(*ast.Paragraph)
	if !ok || p.Lines().Len() == 0 {
		return
	}
	first := p.Lines().At(0)
	line := first.Value(src)
	rest, ok := bytes.CutPrefix(line, []byte("[!"))
	if !ok {
		return
	}
	end := bytes.IndexByte(rest, ']')
	if end < 0 {
		return
	}
	kind := strings.ToLower(string(rest[:end]))
	title, ok := alertTitles[kind]
	if !ok {
		if !calloutKindRe.MatchString(kind) {
			return
		}
		// Obsidian's callouts (and Hugo's alerts) take any kind:
		// [!info], [!todo], [!example], titled by it.
		title = strings.ToUpper(kind[:1]) + kind[1:]
	}
	after := rest[end+1:]
	markerEnd := first.Start + 2 + end + 1
	if len(after) > 0 && (after[0] == '+' || after[0] == '-') {
		// Obsidian's fold sign ([!tip]-: folded at first); shown open.
		after, markerEnd = after[1:], markerEnd+1
	}
	if len(bytes.TrimSpace(after)) > 0 && after[0] != ' ' && after[0] != '\t' {
		return // [!NOTE]: text, [!NOTE]s: not a marker
	}
	// The marker is the paragraph's first text nodes (goldmark may split
	// it at its brackets): they go, and one that runs past it keeps the
	// rest. Anything else there (a link's [!NOTE](x)) is no marker.
	var marker []*ast.Text
	for c := p.FirstChild(); ; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok {
			return
		}
		marker = append(marker, t)
		if t.Segment.Stop >= markerEnd {
			break
		}
	}
	for _, t := range marker {
		if t.Segment.Stop <= markerEnd {
			p.RemoveChild(p, t)
			continue
		}
		seg := t.Segment.WithStart(markerEnd)
		t.Segment = seg.TrimLeftSpace(src)
	}
	q.SetAttributeString("class", []byte("alert alert-"+kind))
	heading := ast.NewParagraph()
	heading.SetAttributeString("class", []byte("alert-title"))
	heading.AppendChild(heading, ast.NewString([]byte(title)))
	if p.ChildCount() == 0 {
		q.ReplaceChild(q, p, heading)
		return
	}
	q.InsertBefore(q, p, heading)
}
