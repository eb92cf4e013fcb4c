package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// newConverter returns the HTML-to-Markdown converter: CommonMark with
// GitHub's tables and strikethrough, as Steward reads them, and raw HTML
// for what Markdown cannot say (superscripts, embeds, definition lists,
// disclosure widgets...), rather than losing it.
func newConverter() *converter.Converter {
	conv := converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(
			commonmark.WithHeadingStyle(commonmark.HeadingStyleATX),
			commonmark.WithEmDelimiter("*"),
			commonmark.WithStrongDelimiter("**"),
			commonmark.WithBulletListMarker("-"),
			commonmark.WithCodeBlockFence("```"),
			// Steward drops HTML comments; the end-of-list comment
			// would only clutter the author's file.
			commonmark.WithListEndComment(false),
		),
		strikethrough.NewStrikethroughPlugin(),
		table.NewTablePlugin(),
	))
	for _, tag := range []string{"iframe", "video", "audio", "dl", "details"} {
		conv.Register.TagType(tag, converter.TagTypeBlock, converter.PriorityEarly)
		conv.Register.RendererFor(tag, converter.TagTypeBlock, base.RenderAsHTML, converter.PriorityEarly)
	}
	for _, tag := range []string{"sup", "sub", "u", "mark", "abbr", "kbd", "ins"} {
		conv.Register.TagType(tag, converter.TagTypeInline, converter.PriorityEarly)
		conv.Register.RendererFor(tag, converter.TagTypeInline, base.RenderAsHTML, converter.PriorityEarly)
	}
	conv.Register.TagType(rawTag, converter.TagTypeInline, converter.PriorityEarly)
	conv.Register.RendererFor(rawTag, converter.TagTypeInline, func(_ converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
		w.WriteString(attr(n, "data-text"))
		return converter.RenderSuccess
	}, converter.PriorityEarly)
	conv.Register.TagType(rawBlockTag, converter.TagTypeBlock, converter.PriorityEarly)
	conv.Register.RendererFor(rawBlockTag, converter.TagTypeBlock, func(_ converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
		w.WriteString("\n\n" + attr(n, "data-text") + "\n\n")
		return converter.RenderSuccess
	}, converter.PriorityEarly)
	return conv
}

// parseBody parses a post's HTML and returns its document and body.
func parseBody(s string) (doc, body *html.Node) {
	doc, err := html.Parse(strings.NewReader(strings.ToValidUTF8(s, "\uFFFD")))
	if err != nil {
		// html.Parse fails only when its reader does.
		panic(err)
	}
	body = find(doc, is(atom.Body))
	return doc, body
}

// footnote is one footnote of a post, in Markdown.
type footnote struct {
	label string
	text  string
}

// tidy rewrites a post's body into what converts well: figures as an
// image and its caption, images out of the links that only enlarge them,
// embeds as links, buttons as links, Substack's and WordPress's
// footnotes as Markdown's, <!--more--> kept. It returns the footnotes'
// HTML, by label, in order.
func tidy(body *html.Node, p *post, notes *[]Note) []fnSource {
	note := func(format string, a ...any) { *notes = append(*notes, Note{p.entry, fmt.Sprintf(format, a...)}) }
	var fns []fnSource
	// Substack: embedded posts and videos are cards with their data in
	// data-attrs; a link says what they are.
	for _, n := range findAll(body, func(n *html.Node) bool {
		return hasClass(n, "embedded-post-wrap") || hasClass(n, "youtube-wrap") || hasClass(n, "vimeo-wrap") || hasClass(n, "tweet") && hasAttr(n, "data-attrs")
	}) {
		var d struct {
			URL, Title, VideoID, URLString string
			Username                       string
			Text                           string `json:"full_text"`
		}
		_ = json.Unmarshal([]byte(attr(n, "data-attrs")), &d) // a card without data becomes its text
		switch {
		case hasClass(n, "youtube-wrap") && d.VideoID != "":
			d.URL, d.Title = "https://www.youtube.com/watch?v="+url.QueryEscape(d.VideoID), "Video on YouTube"
		case hasClass(n, "vimeo-wrap") && d.VideoID != "":
			d.URL, d.Title = "https://vimeo.com/"+url.PathEscape(d.VideoID), "Video on Vimeo"
		case hasClass(n, "tweet") && d.URL != "":
			d.Title = strings.TrimSpace("@" + d.Username + ": " + d.Text)
		}
		if d.URL == "" {
			unwrap(n)
			continue
		}
		if d.Title == "" {
			d.Title = d.URL
		}
		para := element("p")
		a := element("a", "href", d.URL)
		a.AppendChild(textNode(d.Title))
		para.AppendChild(a)
		replace(n, para)
	}
	// Video players of other sites become links: a reader who wants the
	// video follows it, and the page asks nothing of another origin.
	for _, n := range findAll(body, is(atom.Iframe)) {
		if link := videoLink(attr(n, "src")); link != "" {
			title := attr(n, "title")
			if title == "" {
				title = "Video"
			}
			para := element("p")
			a := element("a", "href", link)
			a.AppendChild(textNode(title))
			para.AppendChild(a)
			replace(n, para)
		}
	}
	// WordPress's embed blocks hold the embedded URL as text.
	for _, n := range findAll(body, func(n *html.Node) bool { return hasClass(n, "wp-block-embed__wrapper") }) {
		u := strings.TrimSpace(text(n))
		if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
			para := element("p")
			a := element("a", "href", u)
			a.AppendChild(textNode(u))
			para.AppendChild(a)
			replace(n, para)
		}
	}
	// Chrome around images: the expand button, <picture>'s other sources.
	for _, n := range findAll(body, func(n *html.Node) bool {
		return hasClass(n, "image-link-expand") || n.DataAtom == atom.Button || n.DataAtom == atom.Svg || n.DataAtom == atom.Source && n.Parent != nil && n.Parent.DataAtom == atom.Picture
	}) {
		remove(n)
	}
	for _, n := range findAll(body, is(atom.Picture)) {
		unwrap(n)
	}
	// A link whose only content is an image of itself (a larger copy)
	// is the image.
	for _, a := range findAll(body, is(atom.A)) {
		img := find(a, is(atom.Img))
		if img == nil || strings.TrimSpace(text(a)) != "" || len(findAll(a, is(atom.Img))) != 1 {
			continue
		}
		if hasClass(a, "image-link") || looksLikeImage(attr(a, "href")) {
			remove(img)
			replace(a, img)
		}
	}
	// Figures: the image, then its caption as a paragraph in italics.
	for _, fig := range findAll(body, is(atom.Figure)) {
		cap := find(fig, is(atom.Figcaption))
		if cap == nil {
			unwrap(fig)
			continue
		}
		remove(cap)
		p := element("p")
		em := element("em")
		for c := cap.FirstChild; c != nil; {
			next := c.NextSibling
			cap.RemoveChild(c)
			em.AppendChild(c)
			c = next
		}
		p.AppendChild(em)
		fig.Parent.InsertBefore(p, fig.NextSibling)
		unwrap(fig)
	}
	// Buttons the author made (not debris) are links.
	for _, n := range findAll(body, func(n *html.Node) bool { return hasClass(n, "button-wrapper") }) {
		n.Data, n.DataAtom = "p", atom.P
		dropAttr(n, "class", "data-attrs", "data-component-name")
	}
	// Substack's footnotes: <a class="footnote-anchor" href="#footnote-1">1</a>
	// in the text, <div class="footnote"> with the note at the end.
	labels := map[string]string{} // the note's id to its label
	for _, a := range findAll(body, func(n *html.Node) bool { return n.DataAtom == atom.A && hasClass(n, "footnote-anchor") }) {
		label := strings.TrimSpace(text(a))
		target := strings.TrimPrefix(attr(a, "href"), "#")
		if label == "" || target == "" {
			continue
		}
		labels[target] = label
		replace(a, raw("[^"+label+"]", false))
	}
	for _, div := range findAll(body, func(n *html.Node) bool { return hasClass(n, "footnote") }) {
		num := find(div, func(n *html.Node) bool { return hasClass(n, "footnote-number") })
		content := find(div, func(n *html.Node) bool { return hasClass(n, "footnote-content") })
		if num == nil || content == nil {
			continue
		}
		label, ok := labels[attr(num, "id")]
		if !ok {
			label = strings.TrimSpace(text(num))
			note("footnote %s is not referenced in the text; kept at the end", label)
		}
		fns = append(fns, fnSource{label: label, node: content})
		remove(div)
	}
	// WordPress's block footnotes: <sup data-fn="id" class="fn"><a href="#id">1</a></sup>,
	// their text in the post's meta.
	n := 0
	for _, sup := range findAll(body, func(n *html.Node) bool { return n.DataAtom == atom.Sup && hasAttr(n, "data-fn") }) {
		id := attr(sup, "data-fn")
		src, ok := p.footnotes[id]
		if !ok {
			note("footnote %q has no text in the export; kept as a superscript", id)
			continue
		}
		n++
		label := fmt.Sprint(n)
		_, fbody := parseBody(src)
		fns = append(fns, fnSource{label: label, node: fbody})
		replace(sup, raw("[^"+label+"]", false))
	}
	// <!--more--> ends the summary in Steward too.
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; {
			next := c.NextSibling
			if c.Type == html.CommentNode && strings.TrimSpace(c.Data) == "more" {
				replace(c, raw("<!--more-->", true))
			} else {
				walk(c)
			}
			c = next
		}
	}
	walk(body)
	return fns
}

// fnSource is a footnote's HTML before conversion.
type fnSource struct {
	label string
	node  *html.Node
}

// videoLink returns the page of a YouTube or Vimeo player's address.
func videoLink(src string) string {
	u, err := url.Parse(src)
	if err != nil {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Host), "www.")
	switch {
	case host == "youtube.com" || host == "youtube-nocookie.com":
		if id, ok := strings.CutPrefix(u.Path, "/embed/"); ok && id != "" {
			return "https://www.youtube.com/watch?v=" + url.QueryEscape(id)
		}
	case host == "player.vimeo.com":
		if id, ok := strings.CutPrefix(u.Path, "/video/"); ok && id != "" {
			return "https://vimeo.com/" + id
		}
	}
	return ""
}

var imageExt = regexp.MustCompile(`(?i)\.(jpe?g|png|gif|webp|avif|svg|bmp|tiff?)$`)

// looksLikeImage reports a URL that names an image file, or Substack's
// image service.
func looksLikeImage(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	return imageExt.MatchString(u.Path) || strings.HasSuffix(u.Host, "substackcdn.com") || strings.Contains(u.Host, "substack-post-media")
}

// anchors keeps the ids that links point at: a heading's as {#id}, any
// other element's as <a id="..."></a> before it, so Steward's check of
// #fragments finds them. Ids nothing links to are dropped with the HTML.
func anchors(body *html.Node, wanted map[string]bool) {
	for _, n := range findAll(body, func(n *html.Node) bool {
		return wanted[attr(n, "id")] || n.DataAtom == atom.A && wanted[attr(n, "name")]
	}) {
		id := attr(n, "id")
		if id == "" {
			id = attr(n, "name")
		}
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			n.AppendChild(raw(" {#"+id+"}", false))
		default:
			a := raw(`<a id="`+html.EscapeString(id)+`"></a>`, false)
			if n.FirstChild != nil && n.DataAtom != atom.A {
				n.InsertBefore(a, n.FirstChild)
			} else {
				n.Parent.InsertBefore(a, n)
			}
		}
		delete(wanted, id)
	}
}

// toMarkdown converts a tidied body, and its footnotes, to Markdown.
func toMarkdown(conv *converter.Converter, doc *html.Node, fns []fnSource) (string, error) {
	md, err := conv.ConvertNode(doc)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	b.Write(cleanLines(md))
	for i, f := range fns {
		if i == 0 {
			b.WriteString("\n")
		}
		out, err := conv.ConvertNode(f.node)
		if err != nil {
			return "", err
		}
		lines := strings.Split(string(cleanLines(out)), "\n")
		fmt.Fprintf(&b, "\n[^%s]: %s", f.label, lines[0])
		for _, l := range lines[1:] {
			if l != "" {
				l = "    " + l
			}
			b.WriteString("\n" + l)
		}
	}
	s := strings.TrimSpace(b.String())
	if s == "" {
		return "", nil
	}
	return s + "\n", nil
}

// cleanLines empties lines that hold only spaces (the converter leaves
// them between list items) and trims the ends.
func cleanLines(md []byte) []byte {
	lines := bytes.Split(bytes.TrimSpace(md), []byte("\n"))
	for i, l := range lines {
		if len(bytes.TrimSpace(l)) == 0 {
			lines[i] = nil
		}
	}
	return bytes.Join(lines, []byte("\n"))
}
