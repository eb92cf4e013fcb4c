package markdown

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"
)

// The styles of automatic heading ids (Options.HeadingIDs), named as
// site.yaml's markdown.headingIDs names them.
const (
	// GitHubIDs makes ids as GitHub does, and Hugo by default: the default.
	GitHubIDs = "github"
	// GitHubASCIIIDs makes ids as Hugo's "github-ascii" does: GitHub's,
	// with accents removed and any other non-ASCII character dropped.
	GitHubASCIIIDs = "github-ascii"
	// ZolaIDs makes ids as Zola does by default (the slug crate): letters
	// spelled in ASCII, every run of other characters one "-".
	ZolaIDs = "zola"
)

// HeadingIDStyles are the styles of automatic heading ids, the default first.
func HeadingIDStyles() []string { return []string{GitHubIDs, GitHubASCIIIDs, ZolaIDs} }

// headingIDs is the goldmark extension that gives every heading an id made
// as the generator the writing comes from makes it, so that links written
// for it keep working: by default as GitHub does (and Hugo), see githubSlug;
// or as Zola does (zolaSlug), or Hugo's github-ascii. "-1", "-2"... are
// added to repeats. An id written as {#id} is kept, and is never given to
// another heading.
//
// It runs after inline parsing, on the text a reader sees (a heading that is
// a link gets the id of the link's text), instead of goldmark's own
// generator, which works on the raw line. The ids used so far are the
// document's parser.IDs, set per document by Convert (newHeadingIDs).
type headingIDs struct{ style string }

// Extend registers the transformer.
func (h headingIDs) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(h, 100)))
}

// Transform implements parser.ASTTransformer.
func (hi headingIDs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var headings []*ast.Heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if h, ok := n.(*ast.Heading); ok {
			headings = append(headings, h)
			return ast.WalkSkipChildren, nil
		}
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return ast.WalkSkipChildren, nil // inline content: no headings inside
		}
		return ast.WalkContinue, nil
	})
	// Written ids first: an automatic id must not take one of them, even
	// when the heading that writes it comes later.
	ids := pc.IDs()
	written := map[string]bool{}
	var auto []*ast.Heading
	for _, h := range headings {
		v, ok := h.AttributeString("id")
		id := ""
		if ok {
			if b, isBytes := v.([]byte); isBytes {
				id = string(b)
			} else if v != nil {
				id = fmt.Sprint(v) // {id=2}: the attribute parser made it a number
			}
		}
		if id == "" {
			auto = append(auto, h)
			continue
		}
		h.SetAttributeString("id", []byte(id))
		if written[id] {
			warn(pc, h.Pos(), "heading id #%s is written on an earlier heading too; links to #%s go to the first, so give this heading another id", id, id)
			continue
		}
		written[id] = true
		ids.Put([]byte(id))
	}
	for _, h := range auto {
		h.SetAttributeString("id", ids.Generate([]byte(idText(h, src, hi.style)), ast.KindHeading))
	}
}

// idSet is a document's set of element ids, made of heading text in one
// style. It implements parser.IDs; one is made per document.
type idSet struct {
	slug func(string) string
	used map[string]bool
	// next is the last suffix given for a base id.
	next map[string]int
}

// newHeadingIDs makes a document's set of ids in the named style; an
// unknown name (site.yaml's values are checked before) is GitHub's.
func newHeadingIDs(style string) parser.IDs {
	slug := githubSlug
	switch style {
	case GitHubASCIIIDs:
		slug = githubASCIISlug
	case ZolaIDs:
		slug = zolaSlug
	}
	return &idSet{slug: slug, used: map[string]bool{}, next: map[string]int{}}
}

// Generate implements parser.IDs: value is the heading's text.
func (s *idSet) Generate(value []byte, kind ast.NodeKind) []byte {
	base := s.slug(string(value))
	if base == "" {
		// GitHub would give an empty id, Zola "-1"; an element needs a
		// real one.
		base = "heading"
		if kind != ast.KindHeading {
			base = "id"
		}
	}
	id := base
	for s.used[id] {
		s.next[base]++
		id = base + "-" + strconv.Itoa(s.next[base])
	}
	s.used[id] = true
	return []byte(id)
}

// Put implements parser.IDs.
func (s *idSet) Put(value []byte) { s.used[string(value)] = true }

// githubSlug makes an id of a heading's text as GitHub does: lowercased;
// letters, combining marks, digits, connector punctuation ("_") and "-"
// kept; each space becomes "-" (so "C++ & Go" is "c--go"); everything else
// is dropped.
func githubSlug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r == ' ' || r == '-':
			b.WriteByte('-')
		case unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Pc, r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// githubASCIISlug makes an id as Hugo's github-ascii does: GitHub's, after
// accents are removed (canonical decomposition, marks dropped), with every
// other non-ASCII character dropped ("Über naïve Straße" is "uber-naive-strae").
func githubASCIISlug(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.TrimSpace(s)) {
		switch {
		case r >= utf8.RuneSelf:
		case r == ' ' || r == '-':
			b.WriteByte('-')
		case r == '_' || 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			b.WriteRune(r)
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		}
	}
	return b.String()
}

// zolaSlug makes an id as Zola does by default, with the slug crate: the
// text spelled in ASCII, lowercased, every run of other characters ("_",
// spaces and punctuation alike) made one "-", none at either end
// ("What's next" is "what-s-next", "1.31.0" is "1-31-0"). Zola spells every
// letter in ASCII with a large table; here accented letters lose their
// accents ("Über" is "uber") and a few others are spelled out (asciiLetters),
// while letters of other scripts, which Zola spells in Latin letters, are
// kept as they are, and emoji, which Zola spells by name, are dropped.
func zolaSlug(s string) string {
	var b strings.Builder
	dash := true // no "-" at the start
	put := func(r rune) {
		switch {
		case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
			b.WriteRune(r)
			dash = false
		case 'A' <= r && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
			dash = false
		case unicode.Is(unicode.Mn, r):
			// an accent left of a letter kept as it is
		case r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsNumber(r)):
			b.WriteRune(unicode.ToLower(r))
			dash = false
		case !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	var buf []byte
	for _, r := range s {
		if r < utf8.RuneSelf {
			put(r)
			continue
		}
		if a, ok := asciiLetters[r]; ok {
			for _, c := range a {
				put(c)
			}
			continue
		}
		// A compatibility decomposition that starts in ASCII spells the
		// character: "é" is "e" and an accent, "ﬁ" is "fi", "½" is "1⁄2".
		buf = norm.NFKD.AppendString(buf[:0], string(r))
		if len(buf) > 0 && buf[0] < utf8.RuneSelf {
			for _, c := range string(buf) {
				put(c)
			}
			continue
		}
		put(r)
	}
	return strings.TrimSuffix(b.String(), "-")
}

// asciiLetters spells the Latin letters that have no decomposition as Zola
// (the deunicode crate) spells them.
var asciiLetters = map[rune]string{
	'ß': "ss", 'ẞ': "SS", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE",
	'ø': "o", 'Ø': "O", 'đ': "d", 'Đ': "D", 'ð': "d", 'Ð': "D",
	'þ': "th", 'Þ': "Th", 'ł': "l", 'Ł': "L", 'ı': "i", 'ŋ': "ng", 'Ŋ': "Ng",
	'ħ': "h", 'Ħ': "H", 'ŧ': "t", 'Ŧ': "T",
}

// idText is the text of a heading as the style's generator takes it for the
// id: what a reader sees of the Markdown, before smart typography (so "--"
// stays two hyphens), without raw HTML or footnote references. An image
// gives its alternative text to Zola, nothing to GitHub; a line break gives
// a space to GitHub, nothing to Zola.
func idText(n ast.Node, src []byte, style string) string {
	var b strings.Builder
	mode := githubText
	if style == ZolaIDs {
		mode = zolaText
	}
	inlineText(&b, n, src, mode)
	return b.String()
}

// textMode says for what inlineText writes the text.
type textMode int

const (
	readerText textMode = iota // as a reader sees it
	githubText                 // for an id made as GitHub makes it
	zolaText                   // for an id made as Zola makes it
)

// inlineText writes the text of n's inline content: escapes and entities
// resolved, code spans as written. For an id, typographic dashes are
// written back as the hyphens they came from, and raw HTML and footnote
// references give nothing; an image gives its alternative text except to
// GitHub, and a line break a space except to Zola.
func inlineText(b *strings.Builder, n ast.Node, src []byte, mode textMode) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			v := t.Segment.Value(src)
			if !t.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			if (t.SoftLineBreak() || t.HardLineBreak()) && mode != zolaText {
				b.WriteByte(' ') // a heading on two lines reads as one
			}
		case *ast.String:
			v := string(t.Value)
			if t.IsCode() {
				v = html.UnescapeString(v) // the typographer's "&ldquo;"
			}
			if mode != readerText {
				switch v {
				case "–":
					v = "--"
				case "—":
					v = "---"
				}
			}
			b.WriteString(v)
		case *ast.CodeSpan:
			for g := t.FirstChild(); g != nil; g = g.NextSibling() {
				if tx, ok := g.(*ast.Text); ok {
					b.Write(tx.Segment.Value(src))
				} else if s, ok := g.(*ast.String); ok {
					b.Write(s.Value)
				}
			}
		case *ast.AutoLink:
			b.Write(t.Label(src))
		case *ast.RawHTML:
		case *ast.Image:
			if mode != githubText {
				inlineText(b, t, src, mode)
			}
		case *east.FootnoteLink, *east.FootnoteBacklink:
		default:
			inlineText(b, c, src, mode)
		}
	}
}
