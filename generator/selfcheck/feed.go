package selfcheck

import (
	"bytes"
	"html/template"
	"strings"
)

// The widget's HTML begins and ends with these, as page writes them; the
// data script's JSON cannot hold "</" (encoding/json escapes <), so the
// first formEnd after a form's data script is that form's end.
const (
	formStart = `<form class="selfcheck sc-`
	dataStart = `<script type="application/json" class="sc-data">`
	formEnd   = "</script>\n</form>"
)

// FeedHTML returns page, an essay's HTML as rendered, with every
// self-check widget replaced by a short paragraph that names it and links
// to it on the essay's page at url: the form cannot run in a feed reader,
// which strips scripts and forms to a jumble of labels. A page without a
// self-check comes back unchanged (the same slice).
func FeedHTML(page []byte, url string, s Strings) []byte {
	if !bytes.Contains(page, []byte(formStart)) {
		return page
	}
	var out bytes.Buffer
	rest := page
	for {
		i := bytes.Index(rest, []byte(formStart))
		if i < 0 {
			break
		}
		j := bytes.Index(rest[i:], []byte(dataStart))
		k := -1
		if j >= 0 {
			k = bytes.Index(rest[i+j:], []byte(formEnd))
		}
		if k < 0 {
			break // not a widget this package wrote: leave the rest alone
		}
		end := i + j + k + len(formEnd)
		out.Write(rest[:i])
		out.WriteString(feedParagraph(string(rest[i:end]), url, s))
		rest = rest[end:]
	}
	out.Write(rest)
	return out.Bytes()
}

// feedParagraph is the paragraph that stands for one widget, form.
func feedParagraph(form, url string, s Strings) string {
	root := attr(form, "id")
	title := ""
	if _, t, ok := strings.Cut(form, `<p class="sc-title" id="`+root+`-t">`); ok {
		title, _, _ = strings.Cut(t, "</p>\n")
	}
	if title == "" {
		title = template.HTMLEscapeString(attr(form, "data-id"))
	}
	// The strings are plain text: escape them, then put the title's HTML
	// (the author's inline Markdown, rendered) in its place.
	text := strings.ReplaceAll(template.HTMLEscapeString(s.Feed), "{title}", title)
	return `<p class="selfcheck-feed">` + text + ` <a href="` + template.HTMLEscapeString(url+"#"+root) + `">` +
		template.HTMLEscapeString(s.FeedLink) + "</a></p>"
}

// attr returns the value of the first attribute name="..." in the tag
// that begins s.
func attr(s, name string) string {
	tag, _, _ := strings.Cut(s, ">")
	_, v, ok := strings.Cut(tag, " "+name+`="`)
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, `"`)
	return v
}
