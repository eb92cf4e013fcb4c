// Package selfcheckext is the goldmark extension that embeds self-checks
// in essays: a fenced code block whose info string is "selfcheck" is
// parsed and validated by package selfcheck, and replaced in the tree by
// the widget's HTML. It is a markdown.Extension: the build composes it
// into its markdown.Converter. This is the one place where the self-check
// meets goldmark; package selfcheck knows nothing of goldmark, and package
// markdown nothing of the self-check.
package selfcheckext

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/selfcheck"
)

// Extension turns the selfcheck fences of essays into widgets. It holds
// only its settings; make one per build.
type Extension struct {
	strings selfcheck.Strings
}

// New returns the extension, with the widget's user-facing strings.
func New(s selfcheck.Strings) *Extension { return &Extension{strings: s} }

// priority places the transformer after markdown's own and before the
// summary is chosen (see markdown.Extension), so that a widget before
// <!--more--> is part of the summary.
const priority = 5000

// Extend implements goldmark.Extender: it registers the transformer, which
// renders a widget's texts (inline Markdown) with m itself, so with the
// site's settings, and the widget's renderer.
func (e *Extension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(&transformer{strings: e.strings, md: m}, priority)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(widgetRenderer{}, 100)))
}

// Fingerprint implements markdown.Extension: the strings are written into
// every widget.
func (e *Extension) Fingerprint() string { return fmt.Sprintf("selfcheck%+v", e.strings) }

// Collect implements markdown.Extension: the number of widgets and the
// problems found in an essay's self-checks.
func (e *Extension) Collect(pc parser.Context, res *markdown.Result) {
	f, _ := pc.Get(foundKey).(*found)
	if f == nil {
		return
	}
	res.SelfChecks += f.widgets
	res.Diags.Append(f.diags)
}

// foundKey holds, in an essay's parser.Context, what the transformer
// found: a *found.
var foundKey = parser.NewContextKey()

// found is what the transformer found in one essay.
type found struct {
	// widgets counts the valid self-checks, rendered or not.
	widgets int
	diags   diag.List
}

// transformer replaces each selfcheck fence of an essay by its widget.
type transformer struct {
	strings selfcheck.Strings
	md      goldmark.Markdown
}

// Transform implements parser.ASTTransformer.
func (t *transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if _, ok := markdown.Position(pc, 0); !ok {
		return // a widget's own text: a fence there stays code
	}
	src := reader.Source()
	if !bytes.Contains(src, []byte("selfcheck")) {
		return // the info string is as written: no fence can be one
	}
	var fences []*ast.FencedCodeBlock
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if f, ok := n.(*ast.FencedCodeBlock); ok {
			if string(f.Language(src)) == "selfcheck" {
				fences = append(fences, f)
			}
			return ast.WalkSkipChildren, nil
		}
		if c := n.FirstChild(); c != nil && c.Type() == ast.TypeInline {
			return ast.WalkSkipChildren, nil // inline content holds no fence
		}
		return ast.WalkContinue, nil
	})
	f := &found{}
	var blocks []*selfcheck.Block
	for _, n := range fences {
		body, first := blockBody(n, src)
		at, _ := markdown.Position(pc, first)
		line, col := at.Line, 0
		if n.Lines().Len() == 0 {
			start, _ := markdown.Position(pc, fenceStart(n))
			line = start.Line + 1
		} else {
			// In a list item or a quote the lines lose their indent:
			// the YAML's columns start after it (found by fuzzing).
			col = at.Col - 1
		}
		b, d := selfcheck.Parse(at.File, body, line, col)
		f.diags.Append(d)
		if b == nil {
			continue
		}
		blocks = append(blocks, b)
		// A text is converted as part of the essay, so that its links
		// are resolved and checked as the essay's own are, at the text's
		// place in the file (the first of the texts written alike).
		textAt := map[string]diag.Pos{}
		for _, tx := range b.TextsAt() {
			if _, ok := textAt[tx.Text]; !ok {
				textAt[tx.Text] = tx.Pos
			}
		}
		inline := func(s string) template.HTML {
			pos, ok := textAt[s]
			if !ok {
				pos = b.Pos()
			}
			return t.inline(pc, s, pos)
		}
		h, err := b.Render(inline, t.strings)
		if err != nil {
			f.diags.Add(b.Pos(), "selfcheck: %v", err)
			continue
		}
		n.Parent().ReplaceChild(n.Parent(), n, &widget{html: h})
	}
	f.widgets = len(blocks)
	f.diags.Append(selfcheck.CheckPage(blocks))
	pc.Set(foundKey, f)
}

// inline renders a short text of inline Markdown for the widget, with the
// site's settings, without the surrounding paragraph, as part of the essay
// being converted with pc (see markdown.Snippet).
func (t *transformer) inline(pc parser.Context, s string, at diag.Pos) template.HTML {
	var b bytes.Buffer
	if err := markdown.Snippet(t.md, pc, s, at, &b); err != nil {
		return template.HTML(template.HTMLEscapeString(s))
	}
	out := strings.TrimSpace(b.String())
	if strings.HasPrefix(out, "<p>") && strings.HasSuffix(out, "</p>") && strings.Count(out, "<p>") == 1 {
		out = out[3 : len(out)-4]
	}
	return template.HTML(out)
}

// blockBody is the text of a fenced block and the offset of its first line.
func blockBody(n ast.Node, src []byte) ([]byte, int) {
	lines := n.Lines()
	var b bytes.Buffer
	first := 0
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		if i == 0 {
			first = seg.Start
		}
		b.Write(seg.Value(src))
	}
	return b.Bytes(), first
}

// fenceStart is the offset of a fenced block's opening line.
func fenceStart(n *ast.FencedCodeBlock) int {
	if n.Info != nil {
		return n.Info.Segment.Start
	}
	return 0
}

// kindWidget is the node kind of a widget, which replaces its fence once
// the block has been parsed, validated and rendered.
var kindWidget = ast.NewNodeKind("SelfCheck")

// widget is a rendered self-check in the tree.
type widget struct {
	ast.BaseBlock
	html template.HTML
}

// Kind implements ast.Node.
func (n *widget) Kind() ast.NodeKind { return kindWidget }

// Dump implements ast.Node.
func (n *widget) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// IsRaw implements ast.Node: the widget has no inline content.
func (n *widget) IsRaw() bool { return true }

// widgetRenderer writes a widget's HTML.
type widgetRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (widgetRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindWidget, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(string(n.(*widget).html))
			_ = w.WriteByte('\n')
		}
		return ast.WalkSkipChildren, nil
	})
}
