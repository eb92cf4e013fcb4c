package markdown

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// renderers is the goldmark extension for what Steward renders its own way:
// code through chroma, headings with an anchor link, images and raw HTML
// (rawhtml.go). It holds no per-document state.
type renderers struct {
	unsafe bool
	cache  CodeCache
	fmt    *chromahtml.Formatter
	// lexers holds the lexer found for each language name (string to
	// chroma.Lexer). chroma's lexers.Get looks a name it does not know up
	// as a file name, matching it against the file patterns of every
	// lexer: about 15 ms, paid by each code block with no language or an
	// unknown one (real writing has many; one blog of 577 notes took 7 s
	// to build, three quarters of it in that lookup).
	lexers sync.Map
}

// Extend registers the renderers ahead of goldmark's defaults.
func (r *renderers) Extend(m goldmark.Markdown) {
	r.fmt = chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithPreWrapper(preWrapper{}))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(r, 100)))
}

// RegisterFuncs implements renderer.NodeRenderer.
func (r *renderers) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.code)
	reg.Register(ast.KindCodeBlock, r.code)
	reg.Register(ast.KindHeading, r.heading)
	reg.Register(ast.KindImage, r.image)
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
}

// preWrapper makes the code block focusable, so keyboard users can scroll
// it, and names its language.
type preWrapper struct{}

func (preWrapper) Start(code bool, styleAttr string) string {
	if code {
		return `<pre class="chroma" tabindex="0"><code>`
	}
	return `<pre class="chroma" tabindex="0">`
}

func (preWrapper) End(code bool) string {
	if code {
		return "</code></pre>"
	}
	return "</pre>"
}

func (r *renderers) code(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	var body bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		body.Write(seg.Value(src))
	}
	lang := ""
	if f, ok := n.(*ast.FencedCodeBlock); ok {
		lang = string(f.Language(src))
	}
	if r.cache != nil {
		if h, ok := r.cache.Highlighted(lang, body.String()); ok {
			_, _ = w.Write(h)
			return ast.WalkSkipChildren, nil
		}
	}
	if h, err := r.highlight(lang, body.String()); err == nil {
		if r.cache != nil {
			r.cache.Store(lang, body.String(), h)
		}
		_, _ = w.Write(h)
		return ast.WalkSkipChildren, nil
	}
	// Chroma failed on this input: plain escaped text is still correct.
	_, _ = w.WriteString(`<pre class="chroma" tabindex="0"><code>`)
	template.HTMLEscape(w, body.Bytes())
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

// lexer returns the lexer for a code block's language, as lexers.Get
// finds it, looked up once per name.
func (r *renderers) lexer(lang string) chroma.Lexer {
	if l, ok := r.lexers.Load(lang); ok {
		return l.(chroma.Lexer)
	}
	l := lexers.Get(lang)
	if l == nil {
		l = lexers.Fallback
	}
	r.lexers.Store(lang, l)
	return l
}

// highlight renders code through chroma, wrapped to name its language.
func (r *renderers) highlight(lang, code string) ([]byte, error) {
	lexer := r.lexer(lang)
	var out bytes.Buffer
	if lang != "" {
		// Name the language for readers of the source and for CSS.
		out.WriteString(`<div class="code" data-lang="` + template.HTMLEscapeString(lang) + `">`)
	}
	// chroma tokenises as Format reads the tokens: both under the gate.
	err := gate.highlight(lexer, func() error {
		it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
		if err != nil {
			return err
		}
		return r.fmt.Format(&out, styles.Fallback, it)
	})
	if err != nil {
		return nil, err
	}
	if lang != "" {
		out.WriteString("</div>")
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func (r *renderers) heading(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	if entering {
		fmt.Fprintf(w, "<h%d", n.Level)
		if n.Attributes() != nil {
			goldhtml.RenderAttributes(w, node, goldhtml.HeadingAttributeFilter)
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok && n.Level > 1 {
		if b, ok := id.([]byte); ok {
			fmt.Fprintf(w, ` <a class="anchor" href="#%s" aria-label="Link to this section: %s">#</a>`,
				template.HTMLEscapeString(string(b)), template.HTMLEscapeString(plainText(n, src)))
		}
	}
	fmt.Fprintf(w, "</h%d>\n", n.Level)
	return ast.WalkContinue, nil
}

// image renders an image that loads lazily and, when its size is known,
// keeps its place so the page does not jump.
func (r *renderers) image(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	dest := n.Destination
	if !r.unsafe && goldhtml.IsDangerousURL(dest) {
		dest = nil
	}
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape(dest, true)))
	_, _ = w.WriteString(`" alt="`)
	template.HTMLEscape(w, []byte(plainText(n, src)))
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		template.HTMLEscape(w, n.Title)
		_ = w.WriteByte('"')
	}
	for _, a := range []string{"width", "height"} {
		if v, ok := n.AttributeString(a); ok {
			fmt.Fprintf(w, ` %s="%s"`, a, v)
		}
	}
	_, _ = w.WriteString(` loading="lazy" decoding="async">`)
	return ast.WalkSkipChildren, nil
}

// SyntaxCSS returns the stylesheet for highlighted code: the light style,
// and the dark one under prefers-color-scheme: dark.
func SyntaxCSS(light, dark string) ([]byte, error) {
	f := chromahtml.New(chromahtml.WithClasses(true))
	var b bytes.Buffer
	ls, ok := styles.Registry[light]
	if !ok {
		return nil, fmt.Errorf("unknown highlight style %q", light)
	}
	ds, ok := styles.Registry[dark]
	if !ok {
		return nil, fmt.Errorf("unknown highlight style %q", dark)
	}
	// Each style sits in its own media block: a dark style often leaves a
	// class uncoloured, and the light colour must not show through there.
	b.WriteString("/* Code highlighting: " + light + " (light), " + dark + " (dark). Generated by Steward. */\n")
	b.WriteString("@media not all and (prefers-color-scheme: dark) {\n")
	if err := f.WriteCSS(&b, ls); err != nil {
		return nil, err
	}
	b.WriteString("}\n@media (prefers-color-scheme: dark) {\n")
	if err := f.WriteCSS(&b, ds); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}
