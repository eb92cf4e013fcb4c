package markdown

import (
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// wordsKey holds the number of words of the essay, an int.
var wordsKey = parser.NewContextKey()

// words is the transformer that counts the words a reader reads, for the
// reading time: those of the text, code spans, the alternative text of
// images and the footnotes; not those of code blocks or raw HTML.
type words struct{}

// Extend registers the transformer.
func (w words) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(w, wordsPriority)))
}

// Transform implements parser.ASTTransformer.
func (words) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	if documentOf(pc) == nil {
		return
	}
	src := reader.Source()
	count := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			count += countWords(n.Segment.Value(src))
		case *ast.CodeSpan:
			count += countWords([]byte(plainText(n, src)))
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	pc.Set(wordsKey, count)
}

func countWords(b []byte) int {
	n, in := 0, false
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			// ASCII, most of any essay's text, without decoding a rune:
			// the same answers as unicode.IsSpace, IsLetter and IsDigit.
			i++
			switch {
			case c == ' ' || c-'\t' <= '\r'-'\t':
				in = false
			case !in && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'):
				n++
				in = true
			}
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		i += size
		if unicode.IsSpace(r) || r == '—' || r == '–' {
			in = false
			continue
		}
		if !in && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			n++
			in = true
		}
	}
	return n
}
