package importer

import (
	"fmt"
	"html"
	"regexp"
	"strings"
)

// WordPress keeps some of a post in shortcodes, [name attr="v"]...[/name],
// which it expands when it shows the post. The export holds them as
// written, so the common ones are expanded here into the HTML WordPress
// would show; forms are removed as debris; any other is left as text,
// with a warning.

var (
	// scAttr is one attribute of a shortcode: name="v", name='v', name=v.
	scAttr = regexp.MustCompile(`([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s\]]+))`)
	// scEnclosing is a shortcode with content: [name ...]...[/name].
	scEnclosing = regexp.MustCompile(`(?s)\[(caption|wp_caption|embed|code|sourcecode|audio|video)\b([^\]]*)\](.*?)\[/(?:caption|wp_caption|embed|code|sourcecode|audio|video)\]`)
	// scSelf is a shortcode without content: [name ...].
	scSelf = regexp.MustCompile(`\[(gallery|audio|video|youtube|vimeo|jetpack_subscription_form|jetpack-subscription-form|mc4wp_form|newsletter|mailpoet_form|convertkit|jetpack-related-posts|sharing)\b([^\]]*)\]`)
	// scOther is what looks like some other shortcode: a name with
	// attributes, or with a closing tag.
	scOther    = regexp.MustCompile(`\[([a-z][\w-]*)(\s+[\w-]+=[^\]]*)\]|\[/([a-z][\w-]*)\]`)
	imgTag     = regexp.MustCompile(`(?is)^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$`)
	youtubeArg = regexp.MustCompile(`^=?\s*(\S+)`)
)

func scAttrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range scAttr.FindAllStringSubmatch(s, -1) {
		m[strings.ToLower(a[1])] = a[2] + a[3] + a[4]
	}
	return m
}

// shortcodes expands a post's shortcodes. attachments maps ids to
// files' URLs, own lists the post's attachments (a gallery without ids
// shows them).
func shortcodes(s string, p *post, attachments map[string]attachment, own []string, notes *[]Note) string {
	if !strings.Contains(s, "[") {
		return s
	}
	s = scEnclosing.ReplaceAllStringFunc(s, func(m string) string {
		g := scEnclosing.FindStringSubmatch(m)
		name, attrs, inner := g[1], scAttrs(g[2]), g[3]
		switch name {
		case "caption", "wp_caption":
			im := imgTag.FindStringSubmatch(inner)
			if im == nil {
				return inner
			}
			caption := strings.TrimSpace(im[2])
			if caption == "" {
				caption = attrs["caption"]
			}
			if caption == "" {
				return im[1]
			}
			return "<figure>" + im[1] + "<figcaption>" + caption + "</figcaption></figure>"
		case "embed":
			u := strings.TrimSpace(inner)
			return "\n\n<p><a href=\"" + html.EscapeString(u) + "\">" + html.EscapeString(u) + "</a></p>\n\n"
		case "code", "sourcecode":
			lang := attrs["language"]
			if lang == "" {
				lang = attrs["lang"]
			}
			class := ""
			if lang != "" {
				class = ` class="language-` + html.EscapeString(lang) + `"`
			}
			// SyntaxHighlighter keeps the code as written, entities and all.
			return "\n\n<pre><code" + class + ">" + html.EscapeString(strings.Trim(html.UnescapeString(inner), "\n")) + "</code></pre>\n\n"
		default: // audio, video with a fallback inside
			return media(name, attrs)
		}
	})
	s = scSelf.ReplaceAllStringFunc(s, func(m string) string {
		g := scSelf.FindStringSubmatch(m)
		name, rest := g[1], g[2]
		attrs := scAttrs(rest)
		switch name {
		case "gallery":
			ids := own
			if v := attrs["ids"]; v != "" {
				ids = strings.Split(v, ",")
			}
			var b strings.Builder
			b.WriteString("\n\n<p>")
			for _, id := range ids {
				if a, ok := attachments[strings.TrimSpace(id)]; ok && a.url != "" {
					b.WriteString(`<img src="` + html.EscapeString(a.url) + `" alt="` + html.EscapeString(a.alt) + `">` + "\n")
				}
			}
			b.WriteString("</p>\n\n")
			return b.String()
		case "audio", "video":
			return media(name, attrs)
		case "youtube", "vimeo":
			u := attrs["url"]
			if u == "" {
				if a := youtubeArg.FindStringSubmatch(rest); a != nil {
					u = a[1]
				}
			}
			u = html.EscapeString(strings.Trim(u, `"'`))
			return "\n\n<p><a href=\"" + u + "\">" + u + "</a></p>\n\n"
		case "jetpack-related-posts":
			p.debris[debrisRelated]++
			return ""
		case "sharing":
			p.debris[debrisShare]++
			return ""
		default:
			p.debris[debrisForm]++
			return ""
		}
	})
	seen := map[string]bool{}
	for _, m := range scOther.FindAllStringSubmatch(s, -1) {
		name := m[1] + m[3]
		if !seen[name] {
			seen[name] = true
			*notes = append(*notes, Note{p.entry, fmt.Sprintf("the shortcode [%s] is not known; left as text for you to replace", name)})
		}
	}
	return s
}

// media is the HTML of an [audio] or [video] shortcode.
func media(name string, attrs map[string]string) string {
	src := attrs["src"]
	for _, k := range []string{"mp3", "m4a", "ogg", "wav", "mp4", "webm", "ogv"} {
		if src == "" {
			src = attrs[k]
		}
	}
	if src == "" {
		return ""
	}
	e := html.EscapeString(src)
	// In a paragraph: <audio> and <video> start no HTML block in Markdown.
	return "\n\n<p><" + name + ` controls preload="none" src="` + e + `"><a href="` + e + `">the ` + name + " file</a></" + name + "></p>\n\n"
}

var (
	blankLines = regexp.MustCompile(`\n\s*\n`)
	// blockStart matches a chunk that starts with a block element, which
	// wpautop leaves unwrapped.
	blockStart = regexp.MustCompile(`(?i)^<(?:p|div|h[1-6]|ul|ol|dl|li|blockquote|pre|table|thead|tbody|tr|td|th|figure|figcaption|hr|form|iframe|section|article|aside|header|footer|address|details|audio|video|style|script|!--)[\s/>]`)
	preBlock   = regexp.MustCompile(`(?is)<pre\b.*?</pre>`)
)

// autop makes paragraphs of text separated by blank lines, as WordPress's
// wpautop does when it shows a post written in the classic editor: the
// export holds such posts without <p>. Posts of the block editor (with
// <!-- wp: comments) have their paragraphs already.
func autop(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if strings.Contains(s, "<!-- wp:") {
		return s
	}
	// <pre> keeps its lines as they are.
	var pres []string
	s = preBlock.ReplaceAllStringFunc(s, func(m string) string {
		pres = append(pres, m)
		return fmt.Sprintf("<pre>\x00%d\x00</pre>", len(pres)-1)
	})
	var b strings.Builder
	for _, chunk := range blankLines.Split(s, -1) {
		chunk = strings.TrimSpace(chunk)
		if chunk == "" {
			continue
		}
		if blockStart.MatchString(chunk) {
			b.WriteString(chunk)
		} else {
			b.WriteString("<p>" + strings.ReplaceAll(chunk, "\n", "<br>\n") + "</p>")
		}
		b.WriteString("\n\n")
	}
	out := b.String()
	for i, pre := range pres {
		out = strings.Replace(out, fmt.Sprintf("<pre>\x00%d\x00</pre>", i), pre, 1)
	}
	return out
}
