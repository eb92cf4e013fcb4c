package markdown

import (
	"fmt"
	"io"
	"sort"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"

	"github.com/steward-ssg/steward/generator/diag"
)

// Each feature of the conversion is a goldmark parser.ASTTransformer in a
// file of its own (headingid.go, headings.go, links.go, images.go,
// anchors.go, references.go, words.go, summary.go, rawhtml.go, foreign.go),
// registered with a priority as goldmark's own extensions are. They hold
// only settings; what they find in one essay they leave in its
// parser.Context, under their own keys, and Convert builds the Result from
// there. Transformers run from the lowest priority up:
//
//	100-310     heading ids, raw HTML and other generators' syntax, a code
//	            fence never closed, on the tree as the parser left it
//	311         raw HTML left open (a comment, a <script>)
//	320         GitHub's alerts (> [!NOTE]) made of blockquotes
//	999         goldmark's footnotes: the notes move to the end of the
//	            document, unreferenced ones are dropped
//	1000-1600   what the Result holds, on the tree the reader will get:
//	            links, images, anchors, undefined references, words,
//	            the heading list
//	2000-9999   a caller's Extension (the self-check widget)
//	10000       the summary, which keeps nodes of the finished tree
const (
	fencesPriority     = 310
	linksPriority      = 1000
	imagesPriority     = 1100
	anchorsPriority    = 1200
	referencesPriority = 1300
	wordsPriority      = 1400
	headingsPriority   = 1500
	summaryPriority    = 10000
)

// document is the essay being converted, kept in its parser.Context (under
// documentKey) for the transformers. A context without one is not an
// essay's: the self-check widget converts its short texts on their own,
// and the transformers that collect for the Result leave those alone.
type document struct {
	in Input
	// snippet marks a text that an Extension found in the essay and
	// converts as part of it (see Snippet): its findings are the essay's,
	// all reported at at, the text's place in the essay's file.
	snippet bool
	at      diag.Pos
	// lineStarts are the byte offsets at which the body's lines start,
	// made on the first pos: a position is then a search and a count along
	// its line, not a count from the top of the body, which made an essay
	// with thousands of links quadratic in its length. last is the
	// position made last: transformers ask in the order of the text, so
	// the next on its line is counted on from there.
	lineStarts []int
	last       struct{ offset, line, col int }
}

var (
	documentKey = parser.NewContextKey()
	// diagsKey holds the document's diag.List: goldmark's transformers
	// cannot return errors, so they leave them there.
	diagsKey = parser.NewContextKey()
)

// documentOf returns the essay being converted with pc, or nil.
func documentOf(pc parser.Context) *document {
	d, _ := pc.Get(documentKey).(*document)
	return d
}

// pos is where a byte offset of the Markdown body lies in the file.
func (d *document) pos(offset int) diag.Pos {
	if d.snippet {
		return d.at
	}
	body := d.in.Body
	offset = min(max(offset, 0), len(body))
	if d.lineStarts == nil {
		d.lineStarts = append(d.lineStarts, 0)
		for i, c := range body {
			if c == '\n' {
				d.lineStarts = append(d.lineStarts, i+1)
			}
		}
	}
	// The line is the last that starts at or before offset.
	i := sort.SearchInts(d.lineStarts, offset+1) - 1
	// Columns count characters, as diag.LineCol does. Counting on from
	// the last position gives the same count when that one lies on this
	// line, before offset, at the start of a character (not inside a
	// UTF-8 sequence, which counted alone would be one more).
	from, col := d.lineStarts[i], 1
	if l := d.last; l.col > 0 && l.line == i && l.offset >= from && l.offset <= offset && (l.offset == len(body) || utf8.RuneStart(body[l.offset])) {
		from, col = l.offset, l.col
	}
	col += utf8.RuneCount(body[from:offset])
	d.last.offset, d.last.line, d.last.col = offset, i, col
	return diag.Pos{File: d.in.File, Line: i + 1 + d.in.LineOffset, Col: col}
}

// Position returns where a byte offset of the Markdown being converted
// with pc lies in the essay's file, for an Extension's transformers. ok is
// false when pc is not an essay's: a snippet (a widget's inline text)
// converted on its own, which an Extension should leave as it is.
func Position(pc parser.Context, offset int) (pos diag.Pos, ok bool) {
	d := documentOf(pc)
	if d == nil || d.snippet {
		return diag.Pos{}, false
	}
	return d.pos(offset), true
}

// report records diagnostics for the essay being converted with pc; outside
// an essay they are dropped, as nobody would see them.
func report(pc parser.Context, l ...*diag.Diagnostic) {
	if len(l) == 0 || documentOf(pc) == nil {
		return
	}
	list, _ := pc.Get(diagsKey).(diag.List)
	pc.Set(diagsKey, append(list, l...))
}

// warn records a warning at offset for the essay being converted; its kind
// (diag.Diagnostic.Kind, by which many of one kind fold when printed) is
// its format.
func warn(pc parser.Context, offset int, format string, args ...any) {
	warnKind(pc, offset, format, fmt.Sprintf(format, args...))
}

// warnKind records a warning of the named kind. A snippet's are dropped:
// of a widget's texts only the links are checked (see Snippet).
func warnKind(pc parser.Context, offset int, kind, msg string) {
	if d := documentOf(pc); d != nil && !d.snippet {
		report(pc, &diag.Diagnostic{Pos: d.pos(offset), Severity: diag.Warning, Msg: msg, Kind: kind})
	}
}

// listOf returns the list a transformer left under key.
func listOf[T any](pc parser.Context, key parser.ContextKey) []T {
	l, _ := pc.Get(key).([]T)
	return l
}

// appendTo adds to the list under key; nothing keeps an empty list, so a
// Result's lists stay nil when nothing was found.
func appendTo[T any](pc parser.Context, key parser.ContextKey, v ...T) {
	if len(v) > 0 {
		pc.Set(key, append(listOf[T](pc, key), v...))
	}
}

// Snippet converts s, a short text that an Extension found at at in the
// essay being converted with pc (a self-check's band text, say), with md
// into w, as part of that essay: its links to essays, to headings and to
// files are resolved and checked as the essay's own are, and what they
// find (links, files, diagnostics, all at at) goes into the essay's
// Result. Outside an essay it converts s alone.
func Snippet(md goldmark.Markdown, pc parser.Context, s string, at diag.Pos, w io.Writer) error {
	d := documentOf(pc)
	if d == nil || d.snippet {
		return md.Convert([]byte(s), w)
	}
	in := d.in
	in.Body = []byte(s)
	sub := parser.NewContext()
	sub.Set(documentKey, &document{in: in, snippet: true, at: at})
	if err := md.Convert(in.Body, w, parser.WithContext(sub)); err != nil {
		return err
	}
	appendTo(pc, linksKey, listOf[Link](sub, linksKey)...)
	appendTo(pc, filesKey, listOf[FileRef](sub, filesKey)...)
	appendTo(pc, pathsKey, listOf[PathLink](sub, pathsKey)...)
	l, _ := sub.Get(diagsKey).(diag.List)
	report(pc, l...)
	return nil
}
