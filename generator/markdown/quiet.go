package markdown

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Some text of an essay is never prose a reader takes for markup, so the
// checks for other generators' syntax and for undefined reference links
// leave it alone: code and script written in raw HTML (the author means it
// as it is), HTML comments (never shown) and TeX math as KaTeX or MathJax
// reads it ("{k=0}" in "\sum_{k=0}" is TeX).

// quietElements are the HTML elements whose text is code, or no text at all.
var quietElements = map[string]bool{
	"pre": true, "code": true, "kbd": true, "samp": true, "script": true, "style": true, "textarea": true,
}

// htmlQuiet returns the ranges of a piece of raw HTML b that hold no prose:
// its comments and the content of quiet elements (an element left open
// runs to the end of b, as it does in the page).
func htmlQuiet(b []byte) []segment {
	var out []segment
	for i := 0; i < len(b); {
		if bytes.HasPrefix(b[i:], []byte("<!--")) {
			end := commentEnd(b, i)
			out = append(out, segment{i, end})
			i = end
			continue
		}
		if b[i] != '<' || i+1 >= len(b) || !isASCIILetter(b[i+1]) {
			i++
			continue
		}
		name, _ := tagName(b[i:])
		if !quietElements[name] {
			i++
			continue
		}
		_, end, ok := scanAttrs(b, i+1+len(name))
		if !ok {
			return append(out, segment{i, len(b)})
		}
		closer := closingTag(b, end, name)
		out = append(out, segment{end, closer})
		i = closer
	}
	return out
}

// tagName returns the lowercased name of the tag b starts with, and whether
// it is a closing tag; "" when b starts with no tag.
func tagName(b []byte) (name string, closing bool) {
	if len(b) < 2 || b[0] != '<' {
		return "", false
	}
	i := 1
	if b[1] == '/' {
		closing, i = true, 2
	}
	j := i
	for j < len(b) && (isASCIILetter(b[j]) || j > i && ('0' <= b[j] && b[j] <= '9' || b[j] == '-')) {
		j++
	}
	return strings.ToLower(string(b[i:j])), closing
}

// inlineQuiet returns the source ranges of a block of inline content that
// hold no prose: its inline HTML comments, the text between the start and
// end tags of a quiet element written inline (<code>...</code>), and its
// TeX math.
func inlineQuiet(block ast.Node, src []byte) []segment {
	lines := block.Lines()
	if lines.Len() == 0 {
		return nil
	}
	var out []segment
	open, from := "", 0
	_ = ast.Walk(block, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		r, ok := n.(*ast.RawHTML)
		if !entering || !ok || r.Segments.Len() == 0 {
			return ast.WalkContinue, nil
		}
		first, last := r.Segments.At(0), r.Segments.At(r.Segments.Len()-1)
		b := rawHTMLSource(r, src)
		if isComment(b) {
			out = append(out, segment{first.Start, last.Stop})
			return ast.WalkSkipChildren, nil
		}
		name, closing := tagName(b)
		switch {
		case open == "" && !closing && quietElements[name] && !bytes.HasSuffix(b, []byte("/>")):
			open, from = name, last.Stop
		case open != "" && closing && name == open:
			out = append(out, segment{from, first.Start})
			open = ""
		}
		return ast.WalkSkipChildren, nil
	})
	end := lines.At(lines.Len() - 1).Stop
	if open != "" {
		out = append(out, segment{from, end})
	}
	// Math, in the block's text with its code spans blanked out, so that a
	// "$" in code does not pair with one in prose.
	var segs []segment
	var buf []byte
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		segs = append(segs, segment{s.Start, s.Stop})
		buf = append(buf, s.Value(src)...)
	}
	if bytes.IndexAny(buf, `$\`) < 0 {
		return out
	}
	var code []segment
	_ = ast.Walk(block, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if c, ok := n.(*ast.CodeSpan); ok && entering {
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					code = append(code, segment{t.Segment.Start, t.Segment.Stop})
				}
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if code != nil {
		for i := range buf {
			if inRanges(code, offsetIn(segs, i)) {
				buf[i] = 0
			}
		}
	}
	for _, m := range mathRanges(buf) {
		// A range crosses no line of another block: map its two ends.
		out = append(out, segment{offsetIn(segs, m.start), offsetIn(segs, m.stop-1) + 1})
	}
	return out
}

// displayMathRe finds display math ($$...$$, \[...\]) and inline math
// written \(...\); in Markdown's source the backslash is often doubled
// (\\( ... \\)) so that MathJax receives one. NUL marks text that is no
// prose (code), which math does not cross.
var displayMathRe = regexp.MustCompile(`(?s)\$\$[^\x00]+?\$\$|\\\\?\([^\x00]+?\\\\?\)|\\\\?\[[^\x00]+?\\\\?\]`)

// mathRanges returns the ranges of b that are TeX math: display math and
// \(...\) (see displayMathRe), and $...$ where it is unambiguous, as Pandoc
// reads it: no space just inside either "$", no digit just after the
// closing one ("$5 and $10" is money), no "$" escaped.
func mathRanges(b []byte) []segment {
	var out []segment
	var masked []byte
	for _, m := range displayMathRe.FindAllIndex(b, -1) {
		out = append(out, segment{m[0], m[1]})
		if masked == nil {
			masked = append([]byte(nil), b...)
		}
		for i := m[0]; i < m[1]; i++ {
			masked[i] = 0
		}
	}
	if masked != nil {
		b = masked
	}
	for i := 0; i < len(b); i++ {
		if b[i] != '$' || i > 0 && b[i-1] == '\\' || i+1 >= len(b) || isMathSpace(b[i+1]) || b[i+1] == '$' {
			continue
		}
		for j := i + 1; j < len(b); j++ {
			if b[j] == 0 {
				break
			}
			if b[j] != '$' || b[j-1] == '\\' {
				continue
			}
			if !isMathSpace(b[j-1]) && (j+1 >= len(b) || b[j+1] < '0' || b[j+1] > '9') {
				out = append(out, segment{i, j + 1})
				i = j
			}
			break
		}
	}
	return out
}

func isMathSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// inRanges reports whether o lies in one of rs.
func inRanges(rs []segment, o int) bool {
	for _, r := range rs {
		if r.start <= o && o < r.stop {
			return true
		}
	}
	return false
}
