package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// unclosedFence is the transformer that warns of a code fence (``` or
// ~~~) that is never closed. CommonMark then runs the code block to the
// end of the file: every later heading, link and image is shown as code,
// silently, and links to those headings fail with no word of why (the
// Prometheus docs' contributing guide lost its last sections so).
type unclosedFence struct{}

// Extend registers the transformer.
func (u unclosedFence) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(u, fencesPriority)))
}

// Transform implements parser.ASTTransformer. Only the document's last
// block can be such a fence; one inside a list or a quotation ends with
// it, which is another matter.
func (unclosedFence) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	fence, ok := doc.LastChild().(*ast.FencedCodeBlock)
	if !ok || documentOf(pc) == nil {
		return
	}
	src := reader.Source()
	lines := fence.Lines()
	var at, after int // the opening line's start, and where its content ends
	switch {
	case lines.Len() > 0:
		// The line before the first line of code (whose start may lie
		// past a tab's padding).
		at = lineStart(src, max(lineStart(src, lines.At(0).Start)-1, 0))
		after = lines.At(lines.Len() - 1).Stop
	case fence.Info != nil:
		at = lineStart(src, fence.Info.Segment.Start)
		after = lineEnd(src, fence.Info.Segment.Stop)
	default:
		return
	}
	indent, char, n := fenceOpening(src[at:])
	if n == 0 {
		return
	}
	for rest := src[min(after, len(src)):]; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = nil
		}
		if closesFence(line, char, n) {
			return
		}
	}
	warn(pc, at+indent, "this code block, opened with %s, is never closed, so everything after it to the end of the file (%s) is shown as code, its headings, links and images too; end it with a line %s where the code ends", bytes.Repeat([]byte{char}, n), lineCount(lines.Len()), bytes.Repeat([]byte{char}, n))
}

// lineStart is the offset of the start of the line that holds offset i.
func lineStart(src []byte, i int) int {
	return bytes.LastIndexByte(src[:i], '\n') + 1
}

// lineEnd is the offset just past the end of the line that holds offset i.
func lineEnd(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j + 1
	}
	return len(src)
}

// fenceOpening reads the code fence that opens line: its indent (up to
// three spaces), its character and its length; a length of 0 means none.
func fenceOpening(line []byte) (indent int, char byte, n int) {
	for indent < len(line) && indent < 3 && line[indent] == ' ' {
		indent++
	}
	if indent >= len(line) || line[indent] != '`' && line[indent] != '~' {
		return 0, 0, 0
	}
	char = line[indent]
	for indent+n < len(line) && line[indent+n] == char {
		n++
	}
	if n < 3 {
		return 0, 0, 0
	}
	return indent, char, n
}

// closesFence reports whether line closes a fence of n chars, as
// CommonMark has it: up to three spaces, at least n of the same
// character, then only spaces and tabs.
func closesFence(line []byte, char byte, n int) bool {
	line = bytes.TrimRight(line, " \t\r")
	i := 0
	for i < len(line) && i < 3 && line[i] == ' ' {
		i++
	}
	run := 0
	for i+run < len(line) && line[i+run] == char {
		run++
	}
	return run >= n && i+run == len(line)
}

// lineCount says how many lines: "1 line", "12 lines".
func lineCount(n int) string {
	if n == 1 {
		return "1 line"
	}
	return fmt.Sprintf("%d lines", n)
}
