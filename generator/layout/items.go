package layout

import (
	"html/template"
	"strconv"
	"strings"
)

// The list functions (tocItems, tagItems, relatedItems) write the items
// of the default theme's table of contents, tag list and related essays
// in Go: the same bytes as the range loops they replace, whose actions
// html/template escapes one by one through reflection (some 25 function
// calls and allocations an item, a tenth of an essay page's rendering).
// Each value is escaped as html/template would escape it where it stands;
// a value the escaper would leave as it is (nearly all: slugs, titles
// without quotes, URLs that are already percent-encoded) is written as it
// is, any other goes through html/template itself (escapers), so the
// output is the template's by construction.

// escapers escape one value in each context the list functions write
// one in, through html/template: each template's output is its value
// between a known prefix and suffix.
type escapers struct{ t *template.Template }

func newEscapers() escapers {
	return escapers{template.Must(template.New("").Parse(
		`{{define "text"}}{{.}}{{end}}` +
			`{{define "attr"}}<p title="{{.}}">{{end}}` +
			`{{define "url"}}<a href="{{.}}">{{end}}` +
			`{{define "frag"}}<a href="#{{.}}">{{end}}`))}
}

// escape returns s escaped as html/template escapes an action in the
// named context.
func (e escapers) escape(context, s string) string {
	var b strings.Builder
	if err := e.t.ExecuteTemplate(&b, context, s); err != nil {
		return "" // cannot happen: a string always executes
	}
	out := b.String()
	switch context {
	case "attr":
		return out[len(`<p title="`) : len(out)-len(`">`)]
	case "url":
		return out[len(`<a href="`) : len(out)-len(`">`)]
	case "frag":
		return out[len(`<a href="#`) : len(out)-len(`">`)]
	}
	return out
}

// plainText reports whether html/template leaves s as it is in text and
// in a quoted attribute: none of NUL " & ' + < >.
func plainText(s string) bool {
	return !strings.ContainsAny(s, "\x00\"&'+<>")
}

// plainURL reports whether html/template leaves s as it is as a whole
// href: a path from the root (or, with unreserved characters in its
// name, after an http or https scheme) of unreserved characters, slashes
// and percent-escapes.
func plainURL(s string) bool {
	rest := s
	switch {
	case strings.HasPrefix(s, "/"):
	case strings.HasPrefix(s, "https://"):
		rest = s[len("https://"):]
	case strings.HasPrefix(s, "http://"):
		rest = s[len("http://"):]
	default:
		return false
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if !unreserved(c) && c != '/' && !(c == '%' && i+2 < len(rest) && hex(rest[i+1]) && hex(rest[i+2])) {
			return false
		}
	}
	return true
}

// plainFragment reports whether html/template leaves s as it is after
// href="#: unreserved characters only.
func plainFragment(s string) bool {
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			return false
		}
	}
	return true
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func hex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// itemWriter writes escaped values.
type itemWriter struct {
	strings.Builder
	esc escapers
}

func (w *itemWriter) text(s string) {
	if plainText(s) {
		w.WriteString(s)
	} else {
		w.WriteString(w.esc.escape("text", s))
	}
}

func (w *itemWriter) attr(s string) {
	if plainText(s) {
		w.WriteString(s)
	} else {
		w.WriteString(w.esc.escape("attr", s))
	}
}

func (w *itemWriter) url(s string) {
	if plainURL(s) {
		w.WriteString(s)
	} else {
		w.WriteString(w.esc.escape("url", s))
	}
}

func (w *itemWriter) fragment(s string) {
	if plainFragment(s) {
		w.WriteString(s)
	} else {
		w.WriteString(w.esc.escape("frag", s))
	}
}

// tocItems writes the items of a table of contents as the default
// theme's did with range: for each heading, on a line of its own,
//
//	<li class="toc-h{{.Level}}"><a href="#{{.ID}}">{{.Text}}</a></li>
func (e escapers) tocItems(toc []Heading) template.HTML {
	w := itemWriter{esc: e}
	for _, h := range toc {
		w.WriteString("\n<li class=\"toc-h")
		w.attr(strconv.Itoa(h.Level))
		w.WriteString("\"><a href=\"#")
		w.fragment(h.ID)
		w.WriteString("\">")
		w.text(h.Text)
		w.WriteString("</a></li>")
	}
	return template.HTML(w.String())
}

// tagItems writes the items of an essay's tag list: for each tag
//
//	<li><a href="{{.URL}}" rel="tag">{{.Name}}</a></li>
func (e escapers) tagItems(tags []Tag) template.HTML {
	w := itemWriter{esc: e}
	for _, t := range tags {
		w.WriteString("<li><a href=\"")
		w.url(t.URL)
		w.WriteString("\" rel=\"tag\">")
		w.text(t.Name)
		w.WriteString("</a></li>")
	}
	return template.HTML(w.String())
}

// relatedItems writes the items of a list of related essays: for each
// essay, on a line of its own,
//
//	<li><a href="{{.URL}}">{{.TitleHTML}}</a>{{if .DateISO}} <time datetime="{{.DateISO}}">{{.DateText}}</time>{{end}}</li>
func (e escapers) relatedItems(refs []EssayRef) template.HTML {
	w := itemWriter{esc: e}
	for _, r := range refs {
		w.WriteString("\n<li><a href=\"")
		w.url(r.URL)
		w.WriteString("\">")
		w.WriteString(string(r.TitleHTML))
		w.WriteString("</a>")
		if r.DateISO != "" {
			w.WriteString(" <time datetime=\"")
			w.attr(r.DateISO)
			w.WriteString("\">")
			w.text(r.DateText)
			w.WriteString("</time>")
		}
		w.WriteString("</li>")
	}
	return template.HTML(w.String())
}
