package markdown

import (
	"bytes"
	"fmt"
	"regexp"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// mdxStatements is the transformer that warns of MDX's import and export
// statements in an essay: Docusaurus reads every .md file as MDX, so its
// writers put "import Tabs from '@theme/Tabs';" above the text, and
// CommonMark shows the line as a paragraph. Once per essay, at the first,
// with the count of the rest. Only lines that begin a paragraph at the top
// of the essay, as MDX requires; in code they are what the writer meant.
type mdxStatements struct{}

// Extend registers the transformer.
func (m mdxStatements) Extend(md goldmark.Markdown) {
	md.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(m, referencesPriority+1)))
}

// mdxStatementRe is an ES module statement as MDX writers put one on a
// line of its own: an import of names from a quoted module (or the first
// line of one whose names run on, "import {"), or an export of a
// declaration. Not an import of a module alone: Go's import "fmt" looks
// the same.
var mdxStatementRe = regexp.MustCompile(`^(?:import\s+[\w*${}\s,]+\s+from\s+['"][^'"\n]+['"];?|import\s+(?:[\w$]+\s*,\s*)?\{[^}\n]*|export\s+(?:const|let|var|default|function|async\s+function|class)\b[^\n]*)$`)

// importEndRe is the last line of an import whose names run on lines of
// their own.
var importEndRe = regexp.MustCompile(`^\s*\}\s*from\s+['"][^'"\n]+['"];?$`)

// Transform implements parser.ASTTransformer.
func (mdxStatements) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if documentOf(pc) == nil || !bytes.Contains(src, []byte("import")) && !bytes.Contains(src, []byte("export")) {
		return
	}
	first, n := -1, 0
	var firstLine []byte
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Kind() != ast.KindParagraph {
			continue
		}
		// Only a paragraph of statements: code that a template tag
		// shows ({% highlight "js" %} and an export on the next line)
		// is another matter, warned of as such.
		lines := c.Lines()
		var at []int
		open := false // within an import's names, "import {" to "} from 'x'"
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			line := bytes.TrimRight(seg.Value(src), " \t\r\n")
			switch {
			case open:
				open = !importEndRe.Match(line)
			case mdxStatementRe.Match(line):
				at = append(at, seg.Start)
				open = bytes.HasPrefix(line, []byte("import")) && bytes.Contains(line, []byte("{")) && !bytes.Contains(line, []byte("}"))
			default:
				at = nil
				i = lines.Len()
			}
		}
		if len(at) > 0 && n == 0 {
			first = at[0]
			firstLine = bytes.TrimRight(src[first:lines.At(0).Stop], " \t\r\n")
		}
		n += len(at)
	}
	if n == 0 {
		return
	}
	more := ""
	if n > 1 {
		more = fmt.Sprintf(" (and %d more in this essay)", n-1)
	}
	if len(firstLine) > 60 {
		firstLine = append(firstLine[:57:57], "..."...)
	}
	warn(pc, first, "%s is an MDX statement (Docusaurus reads .md files as MDX), which Steward does not run: readers will see it as text%s; remove it, and write what the component it brings in showed as Markdown", firstLine, more)
}
