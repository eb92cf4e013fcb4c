package search

import (
	"bytes"
	"html"
	"slices"
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
	raw := rawText(make([]byte, 0, len(src)/2), src)
	return string(appendCollapsed(make([]byte, 0, len(raw)), raw))
}

// rawText appends to dst the text of HTML src before white space is
// collapsed (see Text): a space for each tag of a block, the text between
// tags with its entities decoded. It works on the bytes as they are, so
// a build does not copy each essay's HTML to read it.
func rawText(dst, src []byte) []byte {
	s := src
	skip := "" // the element whose content is being skipped
	depth := 0 // of nested elements of that name
	var lower [16]byte
	for len(s) > 0 {
		if skip == "script" || skip == "style" {
			// Their text may hold '<': only their end tag ends them.
			end := indexFold(s, "</"+skip)
			if end < 0 {
				break
			}
			s, skip = s[end:], ""
			if gt := bytes.IndexByte(s, '>'); gt >= 0 {
				s = s[gt+1:]
			} else {
				s = nil
			}
			dst = append(dst, ' ')
			continue
		}
		lt := bytes.IndexByte(s, '<')
		if lt < 0 {
			if skip == "" {
				dst = appendUnescaped(dst, s)
			}
			break
		}
		if skip == "" {
			dst = appendUnescaped(dst, s[:lt])
		}
		s = s[lt:]
		if bytes.HasPrefix(s, commentStart) {
			end := bytes.Index(s, commentEnd)
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		gt := bytes.IndexByte(s, '>')
		if gt < 0 {
			break
		}
		tag := s[1:gt]
		s = s[gt+1:]
		closing := len(tag) > 0 && tag[0] == '/'
		name := bytes.TrimLeft(tag, "/")
		if i := bytes.IndexAny(name, " \t\n\r/"); i >= 0 {
			name = name[:i]
		}
		name = lowerName(lower[:0], name)
		selfClosing := len(tag) > 0 && tag[len(tag)-1] == '/'
		switch {
		case skip != "":
			if string(name) == skip {
				if closing {
					depth--
				} else if !selfClosing {
					depth++
				}
				if depth == 0 {
					skip = ""
					dst = append(dst, ' ')
				}
			}
		case !closing && !selfClosing && skipped[string(name)]:
			skip, depth = string(name), 1
		case !inline[string(name)]:
			dst = append(dst, ' ')
		}
	}
	return dst
}

var commentStart, commentEnd = []byte("<!--"), []byte("-->")

// lowerName returns a tag's name in lower case, as strings.ToLower makes
// it: in buf when it is short ASCII (every name the rules know), else a
// copy.
func lowerName(buf, name []byte) []byte {
	if len(name) > cap(buf) {
		return []byte(strings.ToLower(string(name)))
	}
	for _, c := range name {
		if c >= utf8.RuneSelf {
			return []byte(strings.ToLower(string(name)))
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// appendUnescaped appends text with its entities decoded, as
// html.UnescapeString decodes them, but one reference at a time: an
// essay's every paragraph may hold one (the typographer's &ndash;), and
// decoding the whole paragraph copies it twice. A reference is decoded
// from its '&' to the end of the run of letters, digits, '#' and ';'
// after it, beyond which html.UnescapeString never reads, and which holds
// no other '&'.
func appendUnescaped(dst, text []byte) []byte {
	for {
		amp := bytes.IndexByte(text, '&')
		if amp < 0 {
			return append(dst, text...)
		}
		dst = append(dst, text[:amp]...)
		end := amp + 1
		for end < len(text) && inReference(text[end]) {
			end++
		}
		dst = append(dst, html.UnescapeString(string(text[amp:end]))...)
		text = text[end:]
	}
}

// inReference reports whether byte c may be part of a character
// reference after its '&'.
func inReference(c byte) bool {
	return c < utf8.RuneSelf && wordByte[c] != 0 || c == '#' || c == ';'
}

// collapse is strings.Join(strings.Fields(s), " ") without the list of
// words: white space runs made one space, none at the ends.
func collapse(s string) string {
	return string(appendCollapsed(make([]byte, 0, len(s)), []byte(s)))
}

// appendCollapsed appends s to dst with its white space collapsed, as
// collapse does. It writes byte by byte into room made once: the text
// can only shrink.
func appendCollapsed(dst, s []byte) []byte {
	start := len(dst)
	out := slices.Grow(dst, len(s))[:start+len(s)]
	k := start
	space := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				space = true
				continue
			}
			if space && k > start {
				out[k] = ' '
				k++
			}
			space = false
			out[k] = c
			k++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if unicode.IsSpace(r) {
			space = true
		} else {
			if space && k > start {
				out[k] = ' '
				k++
			}
			space = false
			k += copy(out[k:], s[i:i+n])
		}
		i += n
	}
	return out[:k]
}

// asciiSpace are the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// indexFold is strings.Index ignoring case as strings.EqualFold does.
func indexFold(s []byte, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(string(s[i:i+len(sub)]), sub) {
			return i
		}
	}
	return -1
}
