package selfcheck

import "bytes"

// minifyJS drops the comments and the whitespace that the widget's script
// does not need, token by token: strings, template literals (with their
// ${} expressions) and regular expression literals are copied as they
// are. It is written for this one script, whose statements all end with a
// semicolon, and is checked by loading the result in Node and Chromium:
// a line break is kept where dropping it could join two statements.
func minifyJS(src []byte) []byte {
	m := &jsMin{src: src}
	m.code(false)
	return m.out.Bytes()
}

type jsMin struct {
	src []byte
	i   int
	out bytes.Buffer
	// prev is the last significant character written, and word tells
	// whether the last token was a word (name, keyword or number), for
	// telling a regular expression from a division.
	prev     byte
	lastWord string
}

func isWord(c byte) bool {
	return c == '_' || c == '$' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// regexAfter are the words after which a slash starts a regular expression.
var regexAfter = map[string]bool{"return": true, "typeof": true, "case": true, "do": true, "else": true, "in": true, "of": true, "new": true, "delete": true, "void": true, "throw": true}

// code copies code up to the end of src, or, inside a template's ${}, up
// to its closing brace (consumed, not written).
func (m *jsMin) code(inTemplate bool) {
	depth := 0
	space, newline := false, false
	for m.i < len(m.src) {
		c := m.src[m.i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			space = true
			m.i++
			continue
		case c == '\n':
			newline = true
			m.i++
			continue
		case c == '/' && m.i+1 < len(m.src) && m.src[m.i+1] == '/':
			for m.i < len(m.src) && m.src[m.i] != '\n' {
				m.i++
			}
			continue
		case c == '/' && m.i+1 < len(m.src) && m.src[m.i+1] == '*':
			end := bytes.Index(m.src[m.i+2:], []byte("*/"))
			if end < 0 {
				m.i = len(m.src)
			} else {
				m.i += end + 4
			}
			space = true
			continue
		}
		if inTemplate && c == '}' && depth == 0 {
			m.i++
			return
		}
		m.gap(c, space, newline)
		space, newline = false, false
		switch {
		case c == '\'' || c == '"':
			m.str(c)
		case c == '`':
			m.template()
		case c == '/' && m.regexHere():
			m.regex()
		case isWord(c):
			start := m.i
			for m.i < len(m.src) && isWord(m.src[m.i]) {
				m.i++
			}
			m.out.Write(m.src[start:m.i])
			m.lastWord = string(m.src[start:m.i])
			m.prev = c // any word character
			continue
		default:
			if c == '{' {
				depth++
			} else if c == '}' {
				depth--
			}
			m.out.WriteByte(c)
			m.i++
		}
		m.prev = m.src[m.i-1]
		m.lastWord = ""
	}
}

// gap writes what must separate the previous token from the next one,
// which begins with c.
func (m *jsMin) gap(c byte, space, newline bool) {
	p := m.prev
	switch {
	case p == 0:
	case newline && !bytes.ContainsRune([]byte(";{(,[=:?&|"), rune(p)) && !bytes.ContainsRune([]byte(")]},;.:?"), rune(c)):
		m.out.WriteByte('\n')
	case (space || newline) && (isWord(p) && isWord(c) || p == c && (c == '+' || c == '-')):
		m.out.WriteByte(' ')
	}
}

// regexHere tells whether a slash here starts a regular expression.
func (m *jsMin) regexHere() bool {
	if m.lastWord != "" {
		return regexAfter[m.lastWord]
	}
	return m.prev == 0 || bytes.ContainsRune([]byte("(,=:[!&|?{};+-*%<>~^"), rune(m.prev))
}

func (m *jsMin) str(q byte) {
	start := m.i
	m.i++
	for m.i < len(m.src) && m.src[m.i] != q {
		if m.src[m.i] == '\\' {
			m.i++
		}
		m.i++
	}
	m.i++
	m.out.Write(m.src[start:min(m.i, len(m.src))])
}

func (m *jsMin) template() {
	m.out.WriteByte('`')
	m.i++
	for m.i < len(m.src) {
		c := m.src[m.i]
		switch {
		case c == '\\':
			m.out.Write(m.src[m.i:min(m.i+2, len(m.src))])
			m.i += 2
		case c == '`':
			m.out.WriteByte('`')
			m.i++
			return
		case c == '$' && m.i+1 < len(m.src) && m.src[m.i+1] == '{':
			m.out.WriteString("${")
			m.i += 2
			m.prev, m.lastWord = '{', ""
			m.code(true)
			m.out.WriteByte('}')
		default:
			m.out.WriteByte(c)
			m.i++
		}
	}
}

func (m *jsMin) regex() {
	start := m.i
	m.i++
	class := false
	for m.i < len(m.src) {
		c := m.src[m.i]
		m.i++
		switch {
		case c == '\\':
			m.i++
		case c == '[':
			class = true
		case c == ']':
			class = false
		case c == '/' && !class:
			for m.i < len(m.src) && isWord(m.src[m.i]) {
				m.i++ // flags
			}
			m.out.Write(m.src[start:m.i])
			return
		}
	}
	m.out.Write(m.src[start:])
}
