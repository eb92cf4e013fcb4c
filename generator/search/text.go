package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// inline are the elements whose tags do not separate words
// ("<em>lead</em>ers" is one word); every other tag does.
var inline = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true, "data": true,
	"del": true, "dfn": true, "em": true, "i": true, "ins": true, "kbd": true, "mark": true, "q": true,
	"s": true, "samp": true, "small": true, "span": true, "strong": true, "sub": true, "sup": true,
	"time": true, "u": true, "var": true, "wbr": false,
}

// skipped are the elements whose content is not text a reader reads:
// scripts, styles, and the self-check's form (its questions are not the
// essay's text; its heading-like parts would only add noise). A heading's
// anchor link shows a sign, not a word, and needs no rule.
var skipped = map[string]bool{"script": true, "style": true, "svg": true, "template": true, "form": true, "button": true}

// Text returns the text of HTML as a reader reads it: tags dropped
// (those of blocks leaving a space), the content of scripts, styles,
// SVG and forms left out, entities decoded, white space collapsed. It
// reads the HTML that Steward's Markdown wrote, which is well formed;
// anything else still gives text, never an error.
func Text(src []byte) string {
	var b strings.Builder
	b.Grow(len(src) / 2)
	s := string(src)
	skip := "" // the element whose content is being skipped
	depth := 0 // of nested elements of that name
	for len(s) > 0 {
		if skip == "script" || skip == "style" {
			// Their text may hold '<': only their end tag ends them.
			end := indexFold(s, "</"+skip)
			if end < 0 {
				break
			}
			s, skip = s[end:], ""
			if gt := strings.IndexByte(s, '>'); gt >= 0 {
				s = s[gt+1:]
			} else {
				s = ""
			}
			b.WriteByte(' ')
			continue
		}
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			if skip == "" {
				b.WriteString(html.UnescapeString(s))
			}
			break
		}
		if skip == "" {
			b.WriteString(html.UnescapeString(s[:lt]))
		}
		s = s[lt:]
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		gt := strings.IndexByte(s, '>')
		if gt < 0 {
			break
		}
		tag := s[1:gt]
		s = s[gt+1:]
		closing := strings.HasPrefix(tag, "/")
		name := strings.ToLower(strings.TrimLeft(tag, "/"))
		if i := strings.IndexAny(name, " \t\n\r/"); i >= 0 {
			name = name[:i]
		}
		switch {
		case skip != "":
			if name == skip {
				if closing {
					depth--
				} else if !strings.HasSuffix(tag, "/") {
					depth++
				}
				if depth == 0 {
					skip = ""
					b.WriteByte(' ')
				}
			}
		case !closing && skipped[name] && !strings.HasSuffix(tag, "/"):
			skip, depth = name, 1
		case !inline[name]:
			b.WriteByte(' ')
		}
	}
	return collapse(b.String())
}

// collapse is strings.Join(strings.Fields(s), " ") without the list of
// words: white space runs made one space, none at the ends.
func collapse(s string) string {
	out := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				space = true
			} else {
				if space && len(out) > 0 {
					out = append(out, ' ')
				}
				space = false
				out = append(out, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			space = true
		} else {
			if space && len(out) > 0 {
				out = append(out, ' ')
			}
			space = false
			out = append(out, s[i:i+n]...)
		}
		i += n
	}
	return string(out)
}

// asciiSpace are the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// indexFold is strings.Index ignoring ASCII case.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
