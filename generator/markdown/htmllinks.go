package markdown

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"

	"github.com/steward-ssg/steward/generator/diag"
)

// Links and images written in raw HTML are resolved as Markdown's are: an
// <a href="other.md#x"> becomes the essay's URL (and its fragment is
// checked), an <img src="img/a.png"> the URL of the file beside the essay,
// because a relative address as written would point elsewhere from the
// essay's pretty URL. Only raw HTML that passes through (markdown.unsafe)
// is looked at, never comments or the text of <script>, <style> and
// <textarea>, and only these attributes:
var htmlURLAttrs = map[string]map[string]urlKind{
	"a":      {"href": urlLink},
	"area":   {"href": urlLink},
	"img":    {"src": urlImage, "srcset": urlSrcset},
	"source": {"src": urlImage, "srcset": urlSrcset},
	"video":  {"src": urlImage, "poster": urlImage},
	"audio":  {"src": urlImage},
}

// urlKind is how an attribute's address is resolved.
type urlKind int

const (
	urlLink   urlKind = iota // as a Markdown link: an essay, or a file beside the essays
	urlImage                 // as a Markdown image: a file that must exist
	urlSrcset                // a list of images with their sizes
)

// rewrittenHTML is the attribute of a raw HTML node (inline or block) that
// holds its source with the addresses resolved, when one was; the
// renderers write it in place of the source.
var rewrittenHTML = []byte("\x00steward:rewritten")

// rewritten returns a raw HTML node's source as it is to be written: with
// its links resolved, if any was.
func rewritten(n ast.Node, src []byte) []byte {
	if v, ok := n.Attribute(rewrittenHTML); ok {
		return v.([]byte)
	}
	return rawText(n, src)
}

// html resolves the relative addresses in the raw HTML node n (see
// htmlURLAttrs) and keeps the rewritten source on the node. Problems are
// reported at the attribute's position.
func (r *resolver) html(n ast.Node) {
	buf, segs := sourceOf(n, r.doc.in.Body)
	if !bytes.Contains(buf, []byte("=")) && !bytes.Contains(buf, []byte("/>")) && !capitalTag(buf) {
		return // no attribute with a value, no tag closed by "/>", no <Component>: most comments and closing tags
	}
	var out []byte
	last := 0
	scanTags(buf, func(t htmlTag) {
		if c := buf[t.nameStart]; 'A' <= c && c <= 'Z' && !htmlElements[t.name] {
			r.component(string(buf[t.nameStart:t.nameEnd]), offsetIn(segs, t.nameStart-1))
		}
		defer func() {
			if t.slash >= 0 && !voidElements[t.name] {
				// <video src="a.mp4" /> as JSX, XHTML and most writers
				// mean it: an element with nothing in it. HTML ignores
				// the "/" of all but void elements, so without its end
				// tag the rest of the page would be inside it, hidden
				// by a <video> or an <iframe>.
				out = append(out, buf[last:t.slash]...)
				out = append(out, "></"...)
				out = append(out, buf[t.nameStart:t.nameEnd]...)
				out = append(out, '>')
				last = t.end
			}
		}()
		kinds := htmlURLAttrs[t.name]
		if kinds == nil {
			return
		}
		for _, a := range t.attrs {
			kind, ok := kinds[a.name]
			if !ok || a.valueStart < 0 {
				continue
			}
			value := html.UnescapeString(string(buf[a.valueStart:a.valueEnd]))
			at := offsetIn(segs, a.at)
			var resolved string
			if kind == urlSrcset {
				resolved = r.srcset(value, at)
			} else {
				resolved = r.htmlURL(value, kind, at)
			}
			if resolved == value {
				continue
			}
			out = append(out, buf[last:a.quotedStart]...)
			out = append(out, '"')
			out = append(out, html.EscapeString(resolved)...)
			out = append(out, '"')
			last = a.quotedEnd
		}
	})
	if out == nil {
		return
	}
	n.SetAttribute(rewrittenHTML, append(out, buf[last:]...))
}

// capitalTag reports whether b holds a "<" followed by a capital letter.
func capitalTag(b []byte) bool {
	for i := bytes.IndexByte(b, '<'); i >= 0 && i+1 < len(b); {
		if c := b[i+1]; 'A' <= c && c <= 'Z' {
			return true
		}
		j := bytes.IndexByte(b[i+1:], '<')
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

// A tag whose name starts with a capital letter and that HTML does not
// know (<Server>, <RecentPlays />, <Listing caption="...">, <T>) is a
// component of MDX, JSX or an mdBook preprocessor, which Steward does not
// run, or text such as a generic type (Vec<T>) that CommonMark reads as a
// tag: either way the reader sees none of it but what it holds. The first
// of each name in an essay is a warning, with how many more there are.

// htmlElements are the elements of HTML as it is now; the obsolete ones
// (<listing>, <font>) are left out, as a capitalized <Listing> is far
// more likely a component than one of them.
var htmlElements = func() map[string]bool {
	m := map[string]bool{}
	for _, e := range strings.Fields(`a abbr address area article aside audio b base bdi bdo blockquote body br
		button canvas caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em
		embed fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe
		img input ins kbd label legend li link main map mark math menu meta meter nav noscript object ol
		optgroup option output p param picture pre progress q rp rt ruby s samp script search section
		select slot small source span strong style sub summary sup svg table tbody td template textarea
		tfoot th thead time title tr track u ul var video wbr`) {
		m[e] = true
	}
	return m
}()

// componentUse is a component's first use in the essay, and its count.
type componentUse struct {
	offset, n int
}

// component records a use of the component name at offset.
func (r *resolver) component(name string, offset int) {
	if r.components == nil {
		r.components = map[string]*componentUse{}
	}
	if u := r.components[name]; u != nil {
		u.n++
		return
	}
	r.components[name] = &componentUse{offset: offset, n: 1}
	r.componentOrder = append(r.componentOrder, name)
}

// componentDiags are the warnings for the components the essay uses.
func (r *resolver) componentDiags() diag.List {
	var out diag.List
	for _, name := range r.componentOrder {
		u := r.components[name]
		more := ""
		switch u.n {
		case 1:
		case 2:
			more = " (and 1 more in this essay)"
		default:
			more = fmt.Sprintf(" (and %d more in this essay)", u.n-1)
		}
		out = append(out, &diag.Diagnostic{Pos: r.doc.pos(u.offset), Severity: diag.Warning, Kind: "component",
			Msg: fmt.Sprintf("<%s> is read as an HTML tag, but HTML has no such element%s: if it is a component (of MDX, JSX or an mdBook preprocessor), Steward does not run it, and readers see only what it holds, not its attributes; replace it with Markdown or HTML. If it is text, such as a generic type, write it in a code span (`<%s>`) or escape it (\\<%s>)", name, more, name, name)})
	}
	return out
}

// htmlURL resolves one address, found at offset, as a Markdown link or
// image with that destination would be, and returns what it became (value
// itself when it was left as written).
func (r *resolver) htmlURL(value string, kind urlKind, offset int) string {
	dest := pelican([]byte(value))
	var toEssay, toFile bool
	if kind != urlImage {
		dest, toEssay = r.essayLink(dest, offset)
	}
	dest, toFile = r.file(dest, kind == urlImage, offset)
	if kind == urlLink && !toEssay && !toFile {
		r.sitePath(dest, offset)
	}
	if string(dest) == value {
		return value
	}
	return string(util.URLEscape(dest, true))
}

// srcset resolves each image of a srcset ("a.png 1x, b.png 2x").
func (r *resolver) srcset(value string, offset int) string {
	cands := strings.Split(value, ",")
	changed := false
	for i, cand := range cands {
		fields := strings.Fields(cand)
		if len(fields) == 0 {
			continue
		}
		u := r.htmlURL(fields[0], urlImage, offset)
		if u != fields[0] {
			fields[0] = u
			cands[i] = strings.Join(fields, " ")
			changed = true
		}
	}
	if !changed {
		return value
	}
	for i := range cands {
		cands[i] = strings.TrimSpace(cands[i])
	}
	return strings.Join(cands, ", ")
}

// sourceOf is the source of a raw HTML node, inline or block (with its
// closing line), and the segments of the Markdown it is made of.
func sourceOf(n ast.Node, src []byte) ([]byte, []segment) {
	var segs []segment
	switch n := n.(type) {
	case *ast.HTMLBlock:
		for i := 0; i < n.Lines().Len(); i++ {
			s := n.Lines().At(i)
			segs = append(segs, segment{s.Start, s.Stop})
		}
		if n.HasClosure() {
			segs = append(segs, segment{n.ClosureLine.Start, n.ClosureLine.Stop})
		}
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			s := n.Segments.At(i)
			segs = append(segs, segment{s.Start, s.Stop})
		}
	}
	if len(segs) == 1 {
		return src[segs[0].start:segs[0].stop], segs // most inline HTML: one tag
	}
	var buf []byte
	for _, s := range segs {
		buf = append(buf, src[s.start:s.stop]...)
	}
	return buf, segs
}

// offsetIn maps the offset i of the text made of segs to the Markdown's.
func offsetIn(segs []segment, i int) int {
	for _, s := range segs {
		if i < s.stop-s.start {
			return s.start + i
		}
		i -= s.stop - s.start
	}
	return 0
}

type segment struct{ start, stop int }

// htmlAttr is an attribute of a start tag, by its offsets in the HTML:
// where its name starts, where its value starts and ends without quotes
// and with them. valueStart is -1 for an attribute without a value.
type htmlAttr struct {
	name                   string
	at                     int
	valueStart, valueEnd   int
	quotedStart, quotedEnd int
}

// rawTextElements hold text, not tags, up to their closing tag.
var rawTextElements = map[string]bool{"script": true, "style": true, "textarea": true, "title": true, "xmp": true}

// voidElements are the HTML elements that have no content and no end
// tag, so that "<br/>" and "<br>" are the same; HTML ignores the "/" of
// any other ("<div/>" opens a div).
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "param": true,
	"source": true, "track": true, "wbr": true,
	"basefont": true, "bgsound": true, "frame": true, "keygen": true, "image": true,
}

// htmlTag is a start tag found by scanTags: its lowercased name, its
// attributes, the offsets of its name as written and of its end (after
// the ">"), and the offset of the "/" of a tag that ends with "/>" (-1
// for one that does not).
type htmlTag struct {
	name               string
	attrs              []htmlAttr
	nameStart, nameEnd int
	slash, end         int
}

// scanTags calls f for each start tag of b, with its lowercased name and
// its attributes (lowercased names), as a browser reads them: comments and
// the content of <script>, <style> and <textarea> are skipped (but for a
// tag ending with "/>", which is written with its end tag). A tag left
// unclosed at the end of b is not reported.
func scanTags(b []byte, f func(t htmlTag)) {
	for i := 0; i < len(b); {
		if bytes.HasPrefix(b[i:], []byte("<!--")) {
			i = commentEnd(b, i)
			continue
		}
		if b[i] != '<' || i+1 >= len(b) || !isASCIILetter(b[i+1]) {
			i++
			continue
		}
		j := i + 1
		for j < len(b) && !isHTMLSpace(b[j]) && b[j] != '/' && b[j] != '>' {
			j++
		}
		tag := strings.ToLower(string(b[i+1 : j]))
		attrs, end, ok := scanAttrs(b, j)
		if !ok {
			return
		}
		slash := -1
		if b[end-2] == '/' && (len(attrs) == 0 || attrs[len(attrs)-1].quotedEnd != end-1) {
			slash = end - 2 // not the end of an unquoted value, as in <a href=/x/>
		}
		f(htmlTag{name: tag, attrs: attrs, nameStart: i + 1, nameEnd: j, slash: slash, end: end})
		i = end
		if rawTextElements[tag] && slash < 0 {
			i = closingTag(b, i, tag)
		}
	}
}

// scanAttrs reads the attributes of a start tag from b[i:] up to its ">",
// and returns them and the offset after the ">"; ok is false when the tag
// does not end.
func scanAttrs(b []byte, i int) (attrs []htmlAttr, end int, ok bool) {
	for {
		for i < len(b) && (isHTMLSpace(b[i]) || b[i] == '/') {
			i++
		}
		if i >= len(b) {
			return nil, 0, false
		}
		if b[i] == '>' {
			return attrs, i + 1, true
		}
		a := htmlAttr{at: i, valueStart: -1}
		j := i + 1 // a name may start with "=", as HTML reads it
		for j < len(b) && !isHTMLSpace(b[j]) && b[j] != '/' && b[j] != '>' && b[j] != '=' {
			j++
		}
		a.name = strings.ToLower(string(b[i:j]))
		k := j
		for k < len(b) && isHTMLSpace(b[k]) {
			k++
		}
		if k >= len(b) || b[k] != '=' {
			attrs = append(attrs, a)
			i = j
			continue
		}
		k++
		for k < len(b) && isHTMLSpace(b[k]) {
			k++
		}
		if k >= len(b) {
			return nil, 0, false
		}
		a.quotedStart = k
		if q := b[k]; q == '"' || q == '\'' {
			e := bytes.IndexByte(b[k+1:], q)
			if e < 0 {
				return nil, 0, false
			}
			a.valueStart, a.valueEnd, a.quotedEnd = k+1, k+1+e, k+2+e
		} else {
			e := k
			for e < len(b) && !isHTMLSpace(b[e]) && b[e] != '>' {
				e++
			}
			a.valueStart, a.valueEnd, a.quotedEnd = k, e, e
		}
		attrs = append(attrs, a)
		i = a.quotedEnd
	}
}

// commentEnd returns the offset after the comment that starts at b[i:]
// ("<!--"), as CommonMark ends one (see stripComments); the end of b for
// a comment left open.
func commentEnd(b []byte, i int) int {
	rest := b[i+4:]
	switch {
	case bytes.HasPrefix(rest, []byte(">")):
		return i + 5
	case bytes.HasPrefix(rest, []byte("->")):
		return i + 6
	}
	if j := bytes.Index(rest, []byte("-->")); j >= 0 {
		return i + 4 + j + 3
	}
	return len(b)
}

// closingTag returns the offset of the closing tag </tag> at or after b[i:]
// (any case), or the end of b.
func closingTag(b []byte, i int, tag string) int {
	for j := i; j < len(b); j++ {
		if b[j] == '<' && j+2+len(tag) <= len(b) && b[j+1] == '/' && strings.EqualFold(string(b[j+2:j+2+len(tag)]), tag) {
			return j
		}
	}
	return len(b)
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
