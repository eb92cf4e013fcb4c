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

// foreignSyntax is the goldmark extension that reports what other
// generators would have processed and Steward leaves as it is: Hugo
// shortcodes ({{< >}}, {{% %}}), Liquid tags and output ({% %}, {{ page.x }})
// of Jekyll, Zola's shortcodes, and kramdown's attribute lists ({: .class})
// and {:toc}. Each occurrence is a warning at its position saying what it is,
// where the reader will see it, and what to write instead. Code spans and
// code blocks are never looked at: there such text is what the author meant.
type foreignSyntax struct{}

// Extend registers the transformer.
func (foreignSyntax) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(foreignSyntax{}, 300)))
}

// Transform implements parser.ASTTransformer.
func (foreignSyntax) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() != ast.TypeBlock {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindFencedCodeBlock, ast.KindCodeBlock:
			return ast.WalkSkipChildren, nil
		case ast.KindHTMLBlock:
			scanForeign(pc, src, n.Lines(), nil, whereHTML)
			return ast.WalkSkipChildren, nil
		}
		if n.Lines().Len() > 0 {
			// A block with lines holds inline content, not other blocks.
			scanForeign(pc, src, n.Lines(), n, whereText)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// where says what a reader gets of foreign syntax found at some place.
type where int

const (
	whereText where = iota // in the text: shown as it is
	whereHTML              // inside raw HTML: left in the HTML
	whereLink              // in a link's or image's address
)

func (w where) consequence() string {
	switch w {
	case whereHTML:
		return "it is left as it is in the raw HTML around it"
	case whereLink:
		return "it is left in a link's or image's address, which will not work"
	}
	return "readers will see it as text"
}

// foreignRe finds candidates; classify decides what each one is. Bodies do
// not cross a code span (masked with NUL) and are kept short, so a stray
// "{{" cannot reach far.
var foreignRe = regexp.MustCompile(`(?s)\{\{[<%][^\x00]{0,400}?[>%]\}\}|\{\{[^\x00]{0,400}?\}\}|\{%[^\x00]{0,400}?%\}|\{:[^}\n\x00]{0,200}\}`)

// scanForeign reports foreign syntax in a block's lines. For a block of
// inline content (block != nil), code spans are skipped and each finding
// is placed in the text, in raw HTML, or in a link's address.
func scanForeign(pc parser.Context, src []byte, lines *text.Segments, block ast.Node, in where) {
	brace := false
	for i := 0; i < lines.Len() && !brace; i++ {
		seg := lines.At(i)
		brace = bytes.IndexByte(seg.Value(src), '{') >= 0
	}
	if !brace {
		return // most blocks: nothing to look for
	}
	// The block's text as one buffer, with the source offset of each byte.
	var buf []byte
	var offs []int
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		for o := seg.Start; o < seg.Stop; o++ {
			buf = append(buf, src[o])
			offs = append(offs, o)
		}
	}
	var code, htmlRanges, textRanges []text.Segment
	if block != nil {
		_ = ast.Walk(block, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if !entering || n == block {
				return ast.WalkContinue, nil
			}
			switch n := n.(type) {
			case *ast.CodeSpan:
				for c := n.FirstChild(); c != nil; c = c.NextSibling() {
					if t, ok := c.(*ast.Text); ok {
						code = append(code, t.Segment)
					}
				}
				return ast.WalkSkipChildren, nil
			case *ast.RawHTML:
				for i := 0; i < n.Segments.Len(); i++ {
					htmlRanges = append(htmlRanges, n.Segments.At(i))
				}
			case *ast.Text:
				textRanges = append(textRanges, n.Segment)
			}
			return ast.WalkContinue, nil
		})
		for i, o := range offs {
			if inSegments(code, o) {
				buf[i] = 0
			}
		}
	}
	for from := 0; from < len(buf); {
		m := foreignRe.FindIndex(buf[from:])
		if m == nil {
			return
		}
		start, end := from+m[0], from+m[1]
		kind, shown, hint := classify(string(buf[start:end]))
		if kind == "" || (offs[start] > 0 && src[offs[start]-1] == '\\') {
			from = start + 1 // not foreign syntax, or escaped: look inside it
			continue
		}
		w := in
		if block != nil {
			switch {
			case inSegments(htmlRanges, offs[start]):
				w = whereHTML
			case inSegments(textRanges, offs[start]):
				w = whereText
			default:
				w = whereLink
			}
		}
		warnKind(pc, offs[start], kind+" is not supported by Steward",
			kind+" "+shown+" is not supported by Steward; "+w.consequence()+". "+hint)
		from = end
	}
}

// inSegments reports whether offset o lies in one of segs (a block's few).
func inSegments(segs []text.Segment, o int) bool {
	for _, s := range segs {
		if s.Start <= o && o < s.Stop {
			return true
		}
	}
	return false
}

var (
	nameRe        = regexp.MustCompile(`^[A-Za-z_][\w-]*`)
	liquidValueRe = regexp.MustCompile(`^[A-Za-z_][\w-]*((\.[\w-]+)|(\[[^\]]*\]))*\s*(\|.*)?$`)
	zolaRe        = regexp.MustCompile(`(?s)^[A-Za-z_]\w*\(.*\)$`)
)

const markdownHint = "Replace it with Markdown, or remove it"

// classify names a candidate: its kind ("Hugo shortcode"), how to show it
// in a message, and what to write instead. An empty kind means it is no
// other generator's syntax (a "{{a}}" in a LaTeX formula, say).
func classify(s string) (kind, shown, hint string) {
	switch {
	case strings.HasPrefix(s, "{{<") || strings.HasPrefix(s, "{{%"):
		open, closer := s[:3], s[len(s)-3:]
		body := strings.TrimSpace(s[3 : len(s)-3])
		if strings.HasPrefix(body, "/*") {
			return "escaped Hugo shortcode", short(s), "Steward shows it with its /* */; write the shortcode in a code span instead: `" + open + " ... " + closer + "`"
		}
		closing := strings.HasPrefix(body, "/")
		name := nameRe.FindString(strings.TrimSpace(strings.TrimPrefix(body, "/")))
		if name == "" {
			return "", "", ""
		}
		if closing {
			return "Hugo shortcode", open + " /" + name + " " + closer, "Remove it with its opening " + open + " " + name + " " + closer
		}
		return "Hugo shortcode", open + " " + name + " " + closer, hugoHint(name)
	case strings.HasPrefix(s, "{{"):
		body := strings.TrimSpace(strings.Trim(strings.TrimSpace(s[2:len(s)-2]), "-"))
		switch {
		case zolaRe.MatchString(body):
			return "Zola shortcode", "{{ " + nameRe.FindString(body) + "() }}", markdownHint
		case liquidValueRe.MatchString(body) && (strings.ContainsAny(body, ".|[") || strings.HasPrefix(s, "{{ ") || strings.HasPrefix(s, "{{- ")):
			shown := "{{ " + short(body) + " }}"
			if strings.Contains(body, "baseurl") || strings.Contains(body, "site.url") || strings.Contains(body, "relative_url") || strings.Contains(body, "absolute_url") {
				return "Liquid output", shown, "Write the address itself, from the site's root (/images/x.png)"
			}
			return "Liquid output", shown, "Write the value itself, or remove it"
		}
		return "", "", ""
	case strings.HasPrefix(s, "{%"):
		body := strings.TrimSpace(strings.Trim(strings.TrimSpace(s[2:len(s)-2]), "-"))
		name := nameRe.FindString(body)
		switch {
		case name == "":
			return "", "", ""
		case zolaRe.MatchString(body):
			return "Zola shortcode", "{% " + name + "() %}", markdownHint
		case name == "end":
			return "Zola shortcode end", "{% end %}", "Remove it with its opening shortcode"
		}
		return "Liquid tag", "{% " + name + " %}", liquidHint(name)
	case strings.HasPrefix(s, "{:"):
		body := strings.TrimSpace(s[2 : len(s)-1])
		switch {
		case body == "toc":
			return "kramdown table of contents marker", "{:toc}", "Remove it: Steward's default theme shows a table of contents by itself when an essay has three or more ## headings"
		case strings.HasPrefix(body, ":"):
			return "kramdown extension", short(s), "Remove it"
		}
		return "kramdown attribute list", short(s), "Remove it (a heading's id can be written at its end: ## Title {#id})"
	}
	return "", "", ""
}

func hugoHint(name string) string {
	switch strings.ToLower(name) {
	case "figure", "img", "image":
		return "Replace it with Markdown (an image: ![alt](src))"
	case "ref", "relref":
		return "Replace it with a link to the essay's file ([text](other.md))"
	case "highlight", "code":
		return "Replace it with a fenced code block (```lang ... ```)"
	case "youtube", "vimeo", "tweet", "x", "instagram", "gist":
		return "Replace it with a link to what it embeds ([title](https://...))"
	}
	return markdownHint
}

func liquidHint(name string) string {
	switch name {
	case "highlight", "endhighlight":
		return "Replace {% highlight %} ... {% endhighlight %} with a fenced code block (```lang ... ```)"
	case "raw", "endraw":
		return "Remove it: Steward does not process Liquid, so the text it protects shows as it is"
	case "post_url", "link":
		return "Replace it with a link to the essay's file ([text](other.md))"
	case "include", "include_relative":
		return "Paste the text it includes, or remove it"
	case "comment", "endcomment":
		return "Use an HTML comment (<!-- ... -->), which Steward leaves out of the page"
	}
	return markdownHint
}

// short keeps a message's excerpt to one line of at most 40 characters.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "..."
	}
	return s
}
