package markdown

import (
	"bytes"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// maxEmptyCells is how many cells a table's rows may leave out, which
// goldmark adds back as empty cells. A header of a thousand columns above
// a thousand short lines (6 KB) made a million cells, 10 MB of HTML and
// seconds of work, growing with the square of the text; GitHub limits the
// same (cmark-gfm's MAX_AUTOCOMPLETED_CELLS). A real table leaves out far
// fewer.
const maxEmptyCells = 100_000

// tables is goldmark's table extension (GFM's), but for a table whose
// rows leave out more than maxEmptyCells cells: that one stays the
// paragraph it was written as, with a warning.
type tables struct{}

func (tables) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithParagraphTransformers(util.Prioritized(boundedTable{extension.NewTableParagraphTransformer()}, 200)),
		parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(extension.NewTableHTMLRenderer(), 500)))
}

// boundedTable makes tables with goldmark's transformer, unless the table
// would leave out too many cells.
type boundedTable struct{ parser.ParagraphTransformer }

func (t boundedTable) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	src := reader.Source()
	// As goldmark reads it, the table's header is the line above the
	// first line that is a delimiter row, and its rows the lines below.
	// A row has at most one cell more than it has |, so the cells left
	// out are at least those counted here.
	for i := 1; i < lines.Len(); i++ {
		delim := lines.At(i)
		cols := delimiterCells(delim.Value(src))
		if cols == 0 {
			continue
		}
		missing := 0
		for j := i + 1; j < lines.Len(); j++ {
			row := lines.At(j)
			missing += max(0, cols-1-bytes.Count(row.Value(src), []byte("|")))
		}
		if missing > maxEmptyCells {
			warn(pc, lines.At(i-1).Start, "this table's %d rows leave out over %d of its %d columns' cells, so it is shown as text, not as a table; write the rows' cells out, or end the table with a blank line where it ends", lines.Len()-i-1, maxEmptyCells, cols)
			return
		}
		break
	}
	t.ParagraphTransformer.Transform(node, reader, pc)
}

// delimiterCells returns the number of cells of a table's delimiter row
// (|---|:-:|), 0 when line is none.
func delimiterCells(line []byte) int {
	line = bytes.TrimSpace(line)
	if !bytes.Contains(line, []byte("-")) || len(bytes.Trim(line, "|-: \t")) > 0 {
		return 0
	}
	line = bytes.TrimSuffix(bytes.TrimPrefix(line, []byte("|")), []byte("|"))
	return bytes.Count(line, []byte("|")) + 1
}
