package markdown

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// foreignSyntax is the goldmark extension that reports what other
// generators would have processed and Steward leaves as it is: Hugo
// shortcodes ({{< >}}, {{% %}}), Liquid tags and output ({% %}, {{ page.x }})
// of Jekyll, Zola's shortcodes, kramdown's attribute lists ({: .class}) and
// {:toc}, and MkDocs' (Python-Markdown's) attribute lists after inline text
// (**x**{ #id }), admonitions (!!! note), snippet includes (--8<-- "f.md")
// and ::: blocks. Each occurrence is a warning at its position saying what
// it is, where the reader will see it, and what to write instead. Code
// spans and code blocks are never looked at: there such text is what the
// author meant; nor are code elements and comments of raw HTML, and TeX
// math (quiet.go). unsafe is markdown.unsafe: without it raw HTML shows as
// text, and so does what is in it.
type foreignSyntax struct{ unsafe bool }

// Extend registers the transformer.
func (f foreignSyntax) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(f, 300)))
}

// Transform implements parser.ASTTransformer.
func (f foreignSyntax) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	inHTML := whereHTML
	if !f.unsafe {
		inHTML = whereText
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() != ast.TypeBlock {
			return ast.WalkContinue, nil
		}
		if n.Lines().Len() > 0 {
			scanMdBook(pc, src, n.Lines(), n.Kind() == ast.KindFencedCodeBlock || n.Kind() == ast.KindCodeBlock)
		}
		switch n.Kind() {
		case ast.KindFencedCodeBlock, ast.KindCodeBlock:
			return ast.WalkSkipChildren, nil
		case ast.KindHTMLBlock:
			scanBlockSyntax(pc, src, n.Lines(), true, inHTML)
			lines := n.Lines()
			if h := n.(*ast.HTMLBlock); h.HasClosure() {
				// The closing line ("-->", "</pre>") ends a comment or
				// an element that hides what is before it.
				lines = text.NewSegments()
				lines.AppendAll(n.Lines().Sliced(0, n.Lines().Len()))
				lines.Append(h.ClosureLine)
			}
			scanForeign(pc, src, lines, nil, inHTML)
			return ast.WalkSkipChildren, nil
		}
		if n.Lines().Len() > 0 {
			// A block with lines holds inline content, not other blocks.
			if n.Kind() == ast.KindParagraph || n.Kind() == ast.KindTextBlock {
				scanBlockSyntax(pc, src, n.Lines(), false, whereText)
			}
			scanForeign(pc, src, n.Lines(), n, inHTML)
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
// "{{" cannot reach far. The last kind is an attribute list without a
// colon, "{ #id .class key=value }", which must start with "#" or "." and
// a letter, or with key=, so that "{.5}" or "{#1}" in a formula is not one.
//
// It is compiled on first use, not at start-up: its bounded repeats make a
// large program (4 ms to compile), which every process would pay, while
// only essays with braces in their text need it.
var foreignRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`(?s)\{\{[<%][^\x00]{0,400}?[>%]\}\}|\{\{[^\x00]{0,400}?\}\}|\{%[^\x00]{0,400}?%\}|\{:[^}\n\x00]{0,200}\}|\{[ \t]*(?:[#.][A-Za-z_]|[A-Za-z_][\w-]*=)[^{}\n\x00]{0,200}\}`)
})

// scanForeign reports foreign syntax in a block's lines. For a block of
// inline content (block != nil), code spans are skipped and each finding
// is placed in the text, in raw HTML (where it is as in) or in a link's
// address; otherwise it is as in.
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
	var texts []*ast.Text
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
				texts = append(texts, n)
			}
			return ast.WalkContinue, nil
		})
		quiet := inlineQuiet(block, src) // quiet.go
		for i, o := range offs {
			if inSegments(code, o) || inRanges(quiet, o) {
				buf[i] = 0
			}
		}
	} else {
		for _, r := range htmlQuiet(buf) {
			clear(buf[r.start:r.stop])
		}
		for _, r := range mathRanges(buf) {
			clear(buf[r.start:r.stop])
		}
	}
	for from := 0; from < len(buf); {
		m := foreignRe().FindIndex(buf[from:])
		if m == nil {
			return
		}
		start, end := from+m[0], from+m[1]
		kind, shown, hint := classify(string(buf[start:end]))
		if kind == "" && start > 0 && buf[start-1] == '=' && bytes.HasPrefix(buf[start:end], []byte("{{")) {
			// <span style={{wordBreak: 'break-word'}}>: JSX, which
			// CommonMark does not read as a tag, so all of it shows.
			kind, shown, hint = "JSX attribute", short("="+string(buf[start:end])), "Write the attribute in HTML, its value in quotes (style=\"word-break: break-word\"), or remove it"
		}
		if kind == "" || (offs[start] > 0 && (src[offs[start]-1] == '\\' || src[offs[start]-1] == '{')) ||
			strings.HasPrefix(kind, "attribute list") && !attrListPlaced(buf, start, end) {
			from = start + 1 // not foreign syntax, or escaped: look inside it
			continue
		}
		w := in
		if block != nil {
			switch {
			case inSegments(htmlRanges, offs[start]):
				w = in
			case inSegments(textRanges, offs[start]):
				w = whereText
			default:
				w = whereLink
			}
		}
		if w == whereText && strings.HasPrefix(kind, "attribute list") {
			if id, ok := attrList(string(buf[start+1 : end-1])); ok && id != "" && len(strings.Fields(string(buf[start+1:end-1]))) == 1 {
				var done bool
				if texts, done = anchorInText(pc, texts, offs[start], offs[end-1]+1, id); done {
					from = end
					continue
				}
			}
		}
		seen := w.consequence()
		if w == whereText && swallowsCode(src, offs[start], offs[end-1]+1, offs[len(offs)-1]+1) {
			seen += "; and because it stands on the line just above indented code, that code is read as part of the same paragraph, not as a code block, until this line is removed"
		}
		warnKind(pc, offs[start], kind+" is not supported by Steward",
			kind+" "+shown+" is not supported by Steward; "+seen+". "+hint)
		if makesContent(kind, shown) {
			noteUnrun(pc, offs[start], "the "+kind+" "+shown)
		}
		from = end
	}
}

// anchorInText puts an anchor with id in place of the attribute list
// "{ #id }" at src[start:stop], as MkDocs' attr_list gives the element
// before it that id (**`locale`**{ #mkdocs-locale }): links to the id
// then land there. It does so only when the list lies within one run of
// adjoining text nodes (extensions may split a text), and reports whether
// it did, with texts as they now are.
func anchorInText(pc parser.Context, texts []*ast.Text, start, stop int, id string) ([]*ast.Text, bool) {
	for _, first := range texts {
		if start < first.Segment.Start || start >= first.Segment.Stop {
			continue
		}
		// The text nodes from first to the one that holds stop.
		last, run := first, []*ast.Text{first}
		for stop > last.Segment.Stop {
			next, ok := last.NextSibling().(*ast.Text)
			if !ok || next.Segment.Start != last.Segment.Stop {
				return texts, false
			}
			last = next
			run = append(run, next)
		}
		parent := first.Parent()
		if parent == nil {
			return texts, false
		}
		anchor := ast.NewString([]byte(`<a id="` + html.EscapeString(id) + `"></a>`))
		anchor.SetCode(true) // written as it is: an id of attrListToken's characters, escaped
		after := ast.NewTextSegment(text.NewSegment(stop, last.Segment.Stop))
		after.SetSoftLineBreak(last.SoftLineBreak())
		after.SetHardLineBreak(last.HardLineBreak())
		parent.InsertAfter(parent, last, anchor)
		parent.InsertAfter(parent, anchor, after)
		for _, t := range run[1:] {
			parent.RemoveChild(parent, t)
		}
		first.Segment = first.Segment.WithStop(start)
		first.SetSoftLineBreak(false)
		first.SetHardLineBreak(false)
		// texts loses the nodes removed and gains after, so a later list
		// in the same text is found.
		out := make([]*ast.Text, 0, len(texts)+1)
		for _, t := range texts {
			if !slices.Contains(run[1:], t) {
				out = append(out, t)
			}
			if t == first {
				out = append(out, after)
			}
		}
		appendTo(pc, anchorsKey, id)
		return out, true
	}
	return texts, false
}

// unrunKey holds what Result.Unrun reports: the first piece of another
// generator's syntax in the essay that would have made content there.
var unrunKey = parser.NewContextKey()

// makesContent reports whether the foreign syntax classify named would
// have put content in the page where the writer's generator ran it (a
// shortcode, an include), so that anchors other pages link to may have
// come from it. Closing tags, Liquid's raw and comment blocks, its
// highlighting and values (a page's title) make no anchor.
func makesContent(kind, shown string) bool {
	switch kind {
	case "Hugo shortcode":
		return !strings.Contains(shown, " /")
	case "Zola shortcode", "template placeholder":
		return true
	case "Liquid tag":
		name := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(shown, "{%"), "%}"))
		switch name {
		case "raw", "endraw", "comment", "endcomment", "highlight", "endhighlight":
			return false
		}
		return !strings.HasPrefix(name, "end")
	}
	return false
}

// noteUnrun records the first syntax left unrun that would have made
// content (what is described, at offset) for Result.Unrun.
func noteUnrun(pc parser.Context, offset int, what string) {
	d := documentOf(pc)
	if d == nil || d.snippet || pc.Get(unrunKey) != nil {
		return
	}
	pc.Set(unrunKey, fmt.Sprintf("%s at line %d", what, d.pos(offset).Line))
}

// swallowsCode reports whether src[start:end] is alone on its line and
// the next line, still in the paragraph that ends at blockEnd, is indented
// as code is: a paragraph cannot be interrupted by indented code, so what
// would have been a code block after a blank line ({% raw %} on the line
// before it, say) has become the paragraph's text.
func swallowsCode(src []byte, start, end, blockEnd int) bool {
	lineStart := bytes.LastIndexByte(src[:start], '\n') + 1
	lineEnd := len(src)
	if i := bytes.IndexByte(src[end:], '\n'); i >= 0 {
		lineEnd = end + i
	}
	if len(bytes.TrimSpace(src[lineStart:start])) > 0 || len(bytes.TrimSpace(src[end:lineEnd])) > 0 || lineEnd+1 >= blockEnd {
		return false
	}
	next := src[lineEnd+1:]
	if i := bytes.IndexByte(next, '\n'); i >= 0 {
		next = next[:i]
	}
	return (bytes.HasPrefix(next, []byte("    ")) || bytes.HasPrefix(next, []byte("\t"))) && len(bytes.TrimSpace(next)) > 0
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
	goCallRe      = regexp.MustCompile(`^[A-Za-z_]\w*[ \t]+"`)
	placeholderRe = regexp.MustCompile(`^[A-Za-z_][\w-]*:[\w./:-]+$`)
)

const markdownHint = "Replace it with Markdown, or remove it"

// classify names a candidate: its kind ("Hugo shortcode"), how to show it
// in a message, and what to write instead. An empty kind means it is no
// other generator's syntax (a "{{a}}" in a LaTeX formula, say).
func classify(s string) (kind, shown, hint string) {
	switch {
	case (strings.HasPrefix(s, "{{<") || strings.HasPrefix(s, "{{%")) && len(s) >= 6:
		// ("{{%}}" is too short to be one: its "%" opens and closes.)
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
		case placeholderRe.MatchString(body):
			// {{generator:team_members_list}}: a marker that the old
			// site's own build replaced (Sourcegraph's handbook).
			return "template placeholder", "{{" + body + "}}", "The old site's build put content in its place: write that content as Markdown, or remove it"
		case goCallRe.MatchString(body):
			// A Go template's function called on a string, as the Go
			// blog's essays ({{image "x.jpg" 850}}, {{code "x.go"}}) have
			// the Go website run them.
			name := nameRe.FindString(body)
			return "Go template action", "{{" + name + " ...}}", hugoHint(name)
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
		case !kramdownAttrs(body):
			return "", "", "" // a Ruby hash, an Elixir tuple: {:limit => 5}
		}
		return "kramdown attribute list", short(s), "Remove it (a heading's id can be written at its end: ## Title {#id})"
	case strings.HasPrefix(s, "{"):
		id, ok := attrList(s[1 : len(s)-1])
		if !ok {
			return "", "", ""
		}
		kind = "attribute list (MkDocs' attr_list or Hugo's block attributes)"
		if id != "" {
			return kind, short(s), "Steward gives nothing the id #" + id + ", so links to it fail; to keep it as a link target, put <a id=\"" + id + "\"></a> in its place (on a heading, ## Title {#" + id + "} works)"
		}
		return kind, short(s), "Remove it (a heading's id and class can be written at its end: ## Title {#id .class})"
	}
	return "", "", ""
}

// attrListPlaced reports whether the attribute list at buf[start:end] (a
// block's text) stands where MkDocs' attr_list or Hugo's block attributes
// read one: right after what it applies to, with no space between
// ([x](y){ .button }), or at the end of the block's last line (a
// paragraph's, alone on its line as Hugo writes it, or a table cell's).
// Elsewhere, "using {result="success"} labels" in the Prometheus docs,
// braces with an equals sign are prose or code, not markup.
func attrListPlaced(buf []byte, start, end int) bool {
	if start > 0 && buf[start-1] != ' ' && buf[start-1] != '\t' && buf[start-1] != '\n' {
		return true
	}
	return len(bytes.TrimSpace(buf[end:])) == 0
}

// kramdownAttrsRe is the body of a kramdown attribute list (after "{:",
// without "}"): attributes #id, .class, key="value" (quoted) or the name of
// a list defined elsewhere, optionally after "name:" to define one.
var kramdownAttrsRe = regexp.MustCompile(`^\s*(?:[A-Za-z_][\w-]*:\s)?(?:\s*(?:#[A-Za-z_][\w:-]*|\.-?[A-Za-z_][\w-]*|[A-Za-z_][\w-]*=(?:"[^"]*"|'[^']*')|[A-Za-z_][\w-]*))*\s*$`)

// kramdownAttrs reports whether body is a kramdown attribute list as
// kramdown reads one; code in prose ("{:limit => 5}", an Elixir tuple
// "{:__aliases__, [alias: false]}") is not.
func kramdownAttrs(body string) bool { return kramdownAttrsRe.MatchString(body) }

// attrListToken is one attribute of an attribute list: #id, .class or
// key=value.
var attrListToken = regexp.MustCompile(`^(#[A-Za-z_][\w:.-]*|\.[A-Za-z_][\w-]*|[A-Za-z_][\w-]*=("[^"]*"|'[^']*'|[^\s"']+))$`)

// attrList reports whether body (an attribute list without its braces) is
// one as Python-Markdown writes it, every word an attribute, and returns
// its id, if any. "{x}" or "{a b}" in prose is none.
func attrList(body string) (id string, ok bool) {
	words := strings.Fields(body)
	if len(words) == 0 {
		return "", false
	}
	for _, w := range words {
		if !attrListToken.MatchString(w) {
			return "", false
		}
		if strings.HasPrefix(w, "#") {
			id = w[1:]
		}
	}
	return id, true
}

var (
	// admonitionRe is an admonition's first line as Python-Markdown reads
	// it (!!! type "Title"), or as pymdownx.details writes a collapsible
	// one (??? type, ???+ type).
	admonitionRe = regexp.MustCompile(`^(!!!|\?\?\?\+?) ?([\w-]+(?: +[\w-]+)*)(?: +"[^"]*")? *$`)
	// snippetRe is a line of pymdownx.snippets: --8<-- "file", or --8<--
	// alone around a list of files.
	snippetRe = regexp.MustCompile(`^-{1,}8<-{1,}(?: +("[^"]*"|'[^']*'))? *$`)
	// colonBlockRe opens a ::: block: mkdocstrings' "::: package.module",
	// or a container of Pandoc, Docusaurus or VitePress ("::: note").
	colonBlockRe = regexp.MustCompile(`^:{3,} ?([A-Za-z_][\w.:-]*|\{ *[#.]?[A-Za-z_][^}]*\})( .*)?$`)
)

// admonitionTypes are the types of admonition MkDocs' themes style; a line
// such as "!!! Wow" in prose is taken for one only when it has a title or
// indented text under it.
var admonitionTypes = map[string]bool{
	"note": true, "abstract": true, "summary": true, "tldr": true, "info": true, "todo": true,
	"tip": true, "hint": true, "important": true, "success": true, "check": true, "done": true,
	"question": true, "help": true, "faq": true, "warning": true, "caution": true, "attention": true,
	"failure": true, "fail": true, "missing": true, "danger": true, "error": true, "bug": true,
	"example": true, "quote": true, "cite": true, "seealso": true, "admonition": true,
}

// scanBlockSyntax reports other generators' block syntax written on a line
// of a paragraph (where CommonMark leaves it): MkDocs' admonitions, snippet
// includes and ::: blocks. In a block of raw HTML (html) only a snippet
// include, which MkDocs would replace even there, is looked for; in says
// what readers see of it.
func scanBlockSyntax(pc parser.Context, src []byte, lines *text.Segments, html bool, in where) {
	inSnippets := false // between the two lines of a --8<-- block
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := seg.Value(src)
		lead := len(line) - len(bytes.TrimLeft(line, " \t"))
		line = bytes.TrimRight(line[lead:], " \t\r\n")
		if len(line) < 3 {
			continue
		}
		at := seg.Start + lead
		switch line[0] {
		case '!', '?':
			m := admonitionRe.FindSubmatch(line)
			if m == nil || html {
				continue
			}
			typ := strings.ToLower(strings.Fields(string(m[2]))[0])
			titled := bytes.HasSuffix(line, []byte(`"`))
			seen := "readers will see it as text"
			switch {
			case i+1 < lines.Len():
				seen = "readers will see it as text, with the text under it in the same paragraph"
			case indentedAfter(src, seg.Stop):
				seen = "readers will see its first line as text, and the indented text under it as a code block"
			case !admonitionTypes[typ] && !titled:
				continue // "!!! Wow" on its own in prose
			}
			what := "MkDocs admonition"
			if m[1][0] == '?' {
				what = "MkDocs collapsible admonition"
			}
			warnKind(pc, at, what+" is not supported by Steward",
				what+" "+string(m[1])+" "+typ+" is not supported by Steward; "+seen+". Write it as a blockquote instead (> **"+strings.ToUpper(typ[:1])+typ[1:]+":** ...), its text not indented")
		case '-':
			m := snippetRe.FindSubmatch(line)
			if m == nil {
				continue
			}
			if len(m[1]) == 0 {
				inSnippets = !inSnippets
				if !inSnippets {
					continue // the block's closing line: reported with its opening
				}
			}
			shown, hint := "--8<--", "Paste the text of the files it includes, or link to them"
			if len(m[1]) > 0 {
				file := string(m[1][1 : len(m[1])-1])
				shown += " " + short(string(m[1]))
				hint = "Paste the text of " + short(file) + " here, or link to it"
			}
			warnKind(pc, at, "MkDocs snippet include is not supported by Steward",
				"MkDocs snippet include "+shown+" is not supported by Steward; "+in.consequence()+", not the text it includes. "+hint)
			noteUnrun(pc, at, "the MkDocs snippet include "+shown)
		case ':':
			if !colonBlockRe.Match(line) || html {
				continue
			}
			warnKind(pc, at, "::: block is not supported by Steward",
				short(string(line))+" (a ::: block: mkdocstrings' API documentation, or a container of Pandoc, Docusaurus or VitePress) is not supported by Steward; readers will see it as text. Write its text itself (a note can be a blockquote: > **Note:** ...), or remove it")
			noteUnrun(pc, at, "the ::: block "+short(string(line)))
		}
	}
}

// indentedAfter reports whether the first line with text after offset end
// (the end of a line) is indented by four columns or more, as an
// admonition's body is.
func indentedAfter(src []byte, end int) bool {
	rest := src[min(end, len(src)):]
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		return bytes.HasPrefix(line, []byte("    ")) || bytes.HasPrefix(line, []byte("\t"))
	}
	return false
}

func hugoHint(name string) string {
	switch strings.ToLower(name) {
	case "figure", "img", "image":
		return "Replace it with Markdown (an image: ![alt](src))"
	case "ref", "relref":
		return "Replace it with a link to the essay's file ([text](other.md))"
	case "highlight", "code", "play":
		return "Replace it with a fenced code block (```lang ... ```)"
	case "youtube", "vimeo", "tweet", "x", "instagram", "gist", "video":
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

// mdBookRe is one of mdBook's directives, as its preprocessor finds them
// anywhere in a chapter, code blocks included: {{#include file}},
// {{#rustdoc_include file:anchor}}, {{#playground file}}, {{#title x}}.
var mdBookRe = regexp.MustCompile(`\{\{\s*#(include|rustdoc_include|playground|playpen|title)\s+([^}]+)\}\}`)

// scanMdBook warns of mdBook's directives in a block's lines (code says
// the block is code, where they are most often found: the Rust book's
// listings are all {{#rustdoc_include}} lines in code fences). mdBook
// leaves one escaped with a backslash as it is written, and so does this.
func scanMdBook(pc parser.Context, src []byte, lines *text.Segments, code bool) {
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := seg.Value(src)
		if !bytes.Contains(line, []byte("{{")) {
			continue
		}
		for _, m := range mdBookRe.FindAllSubmatchIndex(line, -1) {
			if m[0] > 0 && line[m[0]-1] == '\\' {
				continue
			}
			name, arg := string(line[m[2]:m[3]]), strings.TrimSpace(string(line[m[4]:m[5]]))
			if file := strings.Fields(arg); name != "title" && (len(file) == 0 || strings.ContainsAny(file[0], "<>\"'") || !strings.ContainsAny(file[0], "./")) {
				continue // not a file's path: C++'s #include <cmath> in a Rust macro's {{ }}
			}
			shown := "{{#" + name + " " + arg + "}}"
			seen := "readers will see it as text"
			if code {
				seen = "readers will see this line in the code block"
			}
			msg := "mdBook's " + shown + " is not supported by Steward; " + seen + ", not the text it includes. Paste the text of " + arg + " (the part it names) in its place"
			if name == "title" {
				msg = "mdBook's " + shown + " is not supported by Steward; " + seen + ". Give the title in front matter (title: " + arg + "), and remove it"
			}
			warnKind(pc, seg.Start+m[0], "mdBook directive is not supported by Steward", msg)
		}
	}
}
