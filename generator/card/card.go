// Package card draws an essay's social card: the 1200 by 630 PNG that link
// previews show (og:image, twitter:card summary_large_image), with the
// essay's title, the site's name, the author and the date, in the default
// theme's colours. It draws with a font embedded in Steward (the Go fonts)
// or one the site names, in pure Go, so the same input gives the same
// bytes on every machine.
package card

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Version changes whenever the drawing changes; it is part of Key.
const Version = "4"

// The card's size and layout, in pixels.
const (
	Width  = 1200
	Height = 630
	// Margin is the space kept free on every side.
	Margin = 80
	// footer is the height of the site's name and the byline, at the
	// bottom; the title fills what is above it.
	footer = 110
	// Title sizes tried, from the largest: a long title shrinks to fit.
	maxTitleSize = 76
	minTitleSize = 44
	maxLines     = 5
)

// The default theme's light colours (static/css/steward.css).
var (
	background = color.RGBA{0xfc, 0xfc, 0xfa, 0xff}
	foreground = color.RGBA{0x1d, 0x1f, 0x23, 0xff}
	muted      = color.RGBA{0x59, 0x5e, 0x66, 0xff}
	accent     = color.RGBA{0x1d, 0x4e, 0xd8, 0xff}
)

// Input is what a card shows.
type Input struct {
	Title  string // plain text
	Site   string
	Author string
	Date   string // as readers see it, or empty
}

// Drawer draws cards with one font. It is safe for concurrent use.
type Drawer struct {
	title, text *sfnt.Font
	digest      [32]byte
	// mu guards faces and everything in them: the fonts' faces are not
	// safe for concurrent use, and the glyphs they rasterised and the
	// advances they measured are kept, as titles share most of their
	// letters and rasterising them was most of a card's cost.
	mu    sync.Mutex
	faces map[faceKey]*face
	// canvases keeps blank canvases for reuse: a card is three quarters
	// of a megabyte of pixels, and making one blank costs more than
	// drawing its text.
	canvases sync.Pool
	// scratches hold what drawing a card needs room for, kept across
	// garbage collections (which empty a sync.Pool, and a buffer grown
	// anew to a card's size is a dozen allocations).
	scratches chan *scratch
	// merges are the glyphs made of several whose boxes overlap, by
	// their glyphs and places (see encode).
	merges map[string]*glyph
	nextID uint64
	// sites are the site's name's line, by the name: the same on every
	// card of a site.
	sites map[string]line
}

type faceKey struct {
	f    *sfnt.Font
	size float64
}

// face is a font at one size, with what it measured and rasterised.
type face struct {
	d      *Drawer
	f      font.Face
	glyphs map[glyphKey]*glyph
	adv    map[rune]fixed.Int26_6
	// ascii and asciiAdv hold, for the ASCII runes that titles are
	// mostly made of, what glyphs and adv do, found without hashing:
	// glyphs by the dot's place in quarter pixels, and advances plus one
	// (zero: not measured yet).
	ascii    [128][4]*glyph
	asciiAdv [128]fixed.Int26_6
	kern     map[uint64]fixed.Int26_6 // by pair of runes, the first in the high half
}

type glyphKey struct {
	r    rune
	frac fixed.Int26_6 // the dot's position within its pixel, in quarters
}

// glyph is a rasterised glyph: its coverage, quantised to the palette's
// shades (0 the background, steps the ink), row by row over dr.
type glyph struct {
	id    uint64          // for keys of glyphs merged
	dr    image.Rectangle // relative to the dot's pixel
	level []uint8
	codes [3]*glyphCode // by ink, made when first drawn
}

// New returns a Drawer with the Go fonts (bold titles, regular text), or,
// when fontData is not nil, that TrueType or OpenType font for both.
func New(fontData []byte) (*Drawer, error) {
	d := &Drawer{faces: map[faceKey]*face{}, merges: map[string]*glyph{}, sites: map[string]line{}, scratches: make(chan *scratch, 8)}
	h := sha256.New()
	if fontData == nil {
		var err error
		if d.title, err = opentype.Parse(gobold.TTF); err != nil {
			return nil, err
		}
		if d.text, err = opentype.Parse(goregular.TTF); err != nil {
			return nil, err
		}
		h.Write([]byte("go fonts"))
	} else {
		f, err := CheckFont(fontData)
		if err != nil {
			return nil, err
		}
		d.title, d.text = f, f
		h.Write(fontData)
	}
	h.Sum(d.digest[:0])
	return d, nil
}

// CheckFont parses a TrueType or OpenType font, saying why it cannot be
// used to draw cards.
func CheckFont(data []byte) (*sfnt.Font, error) {
	f, err := opentype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("not a TrueType or OpenType font (%v)", err)
	}
	var b sfnt.Buffer
	for _, r := range "Aa" {
		if i, err := f.GlyphIndex(&b, r); err != nil || i == 0 {
			return nil, errors.New("the font has no Latin letters")
		}
	}
	return f, nil
}

// Key identifies a card by everything that shapes its bytes.
func (d *Drawer) Key(in Input) [32]byte {
	var buf [256]byte
	b := append(buf[:0], Version...)
	b = append(b, 0)
	b = append(b, d.digest[:]...)
	for _, s := range []string{in.Title, in.Site, in.Author} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return sha256.Sum256(append(b, in.Date...))
}

// Layout is where a card's title went, for tests.
type Layout struct {
	Size  float64         // the title's font size
	Lines []string        // its lines, the last cut with "…" if it had to be
	Box   image.Rectangle // the bounds of the title's ink
	Cut   bool            // the title did not fit and was cut
}

// Draw draws the card of in and encodes it as PNG.
func (d *Drawer) Draw(in Input) ([]byte, Layout, error) {
	var data []byte
	lay, err := d.DrawTo(in, func(png []byte) error {
		data = bytes.Clone(png)
		return nil
	})
	return data, lay, err
}

// DrawTo draws the card of in and hands the PNG file to use, in a buffer
// that the Drawer takes back once use returns: a build writes the file
// out from there, without a copy of its own.
func (d *Drawer) DrawTo(in Input, use func(png []byte) error) (Layout, error) {
	var s *scratch
	select {
	case s = <-d.scratches:
	default:
		s = &scratch{buf: make([]byte, 0, 32<<10)} // most cards' size
	}
	defer func() {
		s.reset()
		select {
		case d.scratches <- s:
		default: // enough are kept
		}
	}()
	lines, lay, err := d.layout(s, in)
	if err != nil {
		return lay, err
	}
	s.buf = d.encode(s, s.buf[:0], lines)
	return lay, use(s.buf)
}

// scratch is the room one card is drawn in: the file's buffer, and the
// slices that setting and splicing its text take their pieces of, which
// a card made anew each time (some 8 KB in two dozen allocations).
// Every method works on a nil scratch too, allocating.
type scratch struct {
	buf    []byte
	places []placement
	runes  []rune
	pos    []fixed.Int26_6
	pieces []piece
	rows   [][]piece
}

// reset makes the room free for the next card.
func (s *scratch) reset() {
	s.places, s.runes, s.pos, s.pieces, s.rows = s.places[:0], s.runes[:0], s.pos[:0], s.pieces[:0], s.rows[:0]
}

// take returns n elements' room at the end of *all, empty, growing *all
// when it has not room enough: slices taken before stay where they are.
func take[T any](all *[]T, n int) []T {
	if cap(*all)-len(*all) < n {
		*all = make([]T, 0, max(2*cap(*all), n, 64))
	}
	l := len(*all)
	*all = (*all)[:l+n]
	return (*all)[l : l : l+n]
}

// line returns room for a line of n glyphs.
func (s *scratch) line(n int) line {
	if s == nil {
		return make(line, 0, n)
	}
	return take(&s.places, n)
}

// line is a line of text on the card: its glyphs, left to right.
type line []placement

// placement is a glyph on the card, with its ink (a colour slot) and
// where its box's top left corner is.
type placement struct {
	g   *glyph
	ink uint8
	at  image.Point
}

// box returns the glyph's bounds on the card.
func (p placement) box() image.Rectangle {
	return image.Rectangle{p.at, p.at.Add(p.g.dr.Size())}
}

// layout sets the card's text: the title, the site's name and the byline.
func (d *Drawer) layout(s *scratch, in Input) ([]line, Layout, error) {
	lines, lay, err := d.layoutTitle(s, in.Title)
	if err != nil {
		return nil, lay, err
	}
	site, err := d.face(d.title, 34)
	if err != nil {
		return nil, lay, err
	}
	text, err := d.face(d.text, 28)
	if err != nil {
		return nil, lay, err
	}
	width := fixed.I(Width - 2*Margin)
	// The site's name is the same on every card of a site, and the
	// author's name on most: each is kept as one glyph, its rows deflated
	// once (see merged), so that a card is spliced from fewer pieces.
	name := strings.TrimSpace(in.Site)
	d.mu.Lock()
	siteLine, ok := d.sites[name]
	d.mu.Unlock()
	if !ok {
		t := d.measure(nil, site, name)
		l, _, _ := d.place(nil, site, t, 0, t.fit(0, t.len(), width), inkAccent, Margin, Height-Margin-44, 0)
		siteLine = d.whole(l)
		d.mu.Lock()
		d.sites[name] = siteLine
		d.mu.Unlock()
	}
	lines = append(lines, siteLine)
	author, date := strings.TrimSpace(in.Author), strings.TrimSpace(in.Date)
	by, mark := date, 0 // mark: the runes of the author's name and the dot after it
	switch {
	case author != "" && date != "":
		by, mark = author+" · "+date, utf8.RuneCountInString(author+" · ")
	case author != "":
		by, mark = author, utf8.RuneCountInString(author)
	}
	byline := d.measure(s, text, by)
	l, _, m := d.place(s, text, byline, 0, byline.fit(0, byline.len(), width), inkMuted, Margin, Height-Margin, mark)
	return append(lines, append(d.whole(l[:m]), l[m:]...)), lay, nil
}

// whole returns line l as one glyph, made of its glyphs, at their place.
func (d *Drawer) whole(l line) line {
	if len(l) < 2 {
		return l
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	box := l[0].box()
	for _, p := range l[1:] {
		box = box.Union(p.box())
	}
	return line{{d.merged(l), l[0].ink, box.Min}}
}

// layoutTitle wraps the title in the largest size at which it fits in at
// most maxLines lines above the footer; at the smallest size a title that
// still does not fit is cut, its last line ending with an ellipsis.
func (d *Drawer) layoutTitle(s *scratch, title string) ([]line, Layout, error) {
	if !singleSpaced(title) {
		title = strings.Join(strings.Fields(title), " ")
	}
	width := fixed.I(Width - 2*Margin)
	height := Height - 2*Margin - footer
	var lay Layout
	for size := float64(maxTitleSize); size >= minTitleSize; size -= 4 {
		f, err := d.face(d.title, size)
		if err != nil {
			return nil, lay, err
		}
		lineHeight := int(size * 1.2)
		t := d.measure(s, f, title)
		wrapped := t.wrap(width)
		fits := len(wrapped)*lineHeight <= height && len(wrapped) <= maxLines
		if !fits && size-4 >= minTitleSize {
			continue
		}
		type part struct {
			t    *text
			i, j int
		}
		var parts []part
		for _, l := range wrapped {
			parts = append(parts, part{t, l[0], l[1]})
		}
		if !fits {
			n := min(maxLines, height/lineHeight)
			last := d.measure(s, f, d.cut(s, f, t, wrapped[n-1][0], t.len(), width))
			parts = append(parts[:n-1], part{last, 0, last.len()})
			lay.Cut = true
		}
		lay.Size = size
		lines := make([]line, 0, len(parts)+2) // and the footer's two
		y := Margin + int(size)                // the first baseline
		for _, p := range parts {
			lay.Lines = append(lay.Lines, p.t.str(p.i, p.j))
			l, r, _ := d.place(s, f, p.t, p.i, p.j, inkForeground, Margin, y, 0)
			lines = append(lines, l)
			lay.Box = lay.Box.Union(r)
			y += lineHeight
		}
		return lines, lay, nil
	}
	return nil, lay, nil
}

// singleSpaced reports whether s is ASCII with its words one space apart
// and no space around them: as strings.Fields and Join would leave it.
func singleSpaced(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' '):
			return false
		}
	}
	return true
}

// face returns font f at size.
func (d *Drawer) face(f *sfnt.Font, size float64) (*face, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := faceKey{f, size}
	if fc, ok := d.faces[k]; ok {
		return fc, nil
	}
	ff, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("the card's font: %w", err)
	}
	fc := &face{d: d, f: ff, glyphs: map[glyphKey]*glyph{}, adv: map[rune]fixed.Int26_6{}, kern: map[uint64]fixed.Int26_6{}}
	d.faces[k] = fc
	return fc, nil
}

// text is a string measured in a face, once: where each of its runes
// goes, so that the width of any part of it is a subtraction.
type text struct {
	runes []rune
	// end[k] is the pen's position after rune k-1 from the start,
	// kerning included; kern[k] is the kerning between runes k-1 and k.
	end, kern []fixed.Int26_6
}

// measure measures s in face f.
func (d *Drawer) measure(sc *scratch, f *face, s string) *text {
	n := utf8.RuneCountInString(s)
	var pos []fixed.Int26_6
	t := &text{}
	if sc == nil {
		t.runes, pos = make([]rune, 0, n), make([]fixed.Int26_6, 2*n+1) // one allocation for both
	} else {
		t.runes, pos = take(&sc.runes, n), take(&sc.pos, 2*n+1)[:2*n+1]
		clear(pos)
	}
	for _, r := range s {
		t.runes = append(t.runes, r)
	}
	t.end, t.kern = pos[:n+1], pos[n+1:]
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, r := range t.runes {
		x := t.end[k]
		if k > 0 {
			prev := t.runes[k-1]
			pair := uint64(uint32(prev))<<32 | uint64(uint32(r))
			kn, ok := f.kern[pair]
			if !ok {
				kn = f.f.Kern(prev, r)
				f.kern[pair] = kn
			}
			t.kern[k] = kn
			x += kn
		}
		t.end[k+1] = x + f.advance(r)
	}
	return t
}

func (t *text) len() int { return len(t.runes) }

func (t *text) str(i, j int) string { return string(t.runes[i:j]) }

// width is the width of runes i to j drawn on their own.
func (t *text) width(i, j int) fixed.Int26_6 {
	if i == j {
		return 0
	}
	return t.end[j] - t.end[i] - t.kern[i]
}

// wrap breaks the text (its words single-spaced) into lines no wider
// than width, at spaces; a word wider than a line is broken where it
// must be. It returns each line's runes as [start, end).
func (t *text) wrap(width fixed.Int26_6) [][2]int {
	var lines [][2]int
	start, end := 0, 0 // the line so far; empty when start == end
	for ws := 0; ws < t.len(); {
		we := ws
		for we < t.len() && t.runes[we] != ' ' {
			we++
		}
		from := ws
		if start != end {
			from = start
		}
		if t.width(from, we) <= width {
			start, end = from, we
		} else {
			if start != end {
				lines = append(lines, [2]int{start, end})
			}
			start, end = ws, we
			for t.width(start, end) > width {
				head := t.fit(start, end, width)
				lines = append(lines, [2]int{start, head})
				start = head
			}
		}
		ws = we + 1
	}
	if start != end {
		lines = append(lines, [2]int{start, end})
	}
	return lines
}

// fit returns the end of the longest start of runes i to j no wider than
// width (at least one rune, so that wrapping moves on).
func (t *text) fit(i, j int, width fixed.Int26_6) int {
	end := i + 1
	for end < j && t.width(i, end+1) <= width {
		end++
	}
	return min(end, j)
}

// cut shortens runes i to j of t to fit width with an ellipsis, at a
// space when one is near.
func (d *Drawer) cut(s *scratch, f *face, t *text, i, j int, width fixed.Int26_6) string {
	if t.width(i, j) <= width {
		return t.str(i, j)
	}
	ell := d.measure(s, f, "…")
	head := t.str(i, t.fit(i, j, width-ell.width(0, ell.len())))
	if k := strings.LastIndexByte(head, ' '); k > len(head)/2 {
		head = head[:k]
	}
	return strings.TrimRight(head, " ,.;:") + "…"
}

// Colour slots of the palette (see palette).
const (
	inkForeground = iota
	inkMuted
	inkAccent
)

// place places runes i to j of t in face f with the baseline starting
// at (x, y), in a colour slot of the palette, and returns the bounds of
// their glyphs and how many of them the runes before mark placed.
func (d *Drawer) place(s *scratch, f *face, t *text, i, j, ink, x, y, mark int) (line, image.Rectangle, int) {
	l := s.line(j - i)
	var box image.Rectangle
	m := 0
	d.mu.Lock()
	defer d.mu.Unlock()
	for k := i; k < j; k++ {
		if k == mark {
			m = len(l)
		}
		// The dot, and its place within its pixel to a quarter pixel.
		dx := fixed.I(x) + t.width(i, k) + t.kern[k]
		if k == i {
			dx = fixed.I(x)
		}
		frac := (dx - fixed.I(dx.Floor())) / 16 * 16
		g := f.glyph(t.runes[k], frac)
		if g.dr.Empty() {
			continue
		}
		p := placement{g, uint8(ink), g.dr.Min.Add(image.Pt(dx.Floor(), y))}
		l = append(l, p)
		box = box.Union(p.box())
	}
	if mark >= j {
		m = len(l)
	}
	return l, box, m
}

// advance returns r's advance. The caller holds the Drawer's lock.
func (f *face) advance(r rune) fixed.Int26_6 {
	if r >= 0 && r < 128 {
		if a := f.asciiAdv[r]; a != 0 {
			return a - 1
		}
	}
	adv, ok := f.adv[r]
	if !ok {
		adv, _ = f.f.GlyphAdvance(r)
		f.adv[r] = adv
	}
	if r >= 0 && r < 128 {
		f.asciiAdv[r] = adv + 1
	}
	return adv
}

// glyph returns the rasterised glyph of r with the dot at frac (a
// multiple of a quarter pixel) within its pixel. The caller holds the
// Drawer's lock.
func (f *face) glyph(r rune, frac fixed.Int26_6) *glyph {
	ascii := r >= 0 && r < 128 && frac >= 0 && frac < 64 && frac%16 == 0
	if ascii {
		if g := f.ascii[r][frac/16]; g != nil {
			return g
		}
	}
	k := glyphKey{r, frac}
	if g, ok := f.glyphs[k]; ok {
		if ascii {
			f.ascii[r][frac/16] = g
		}
		return g
	}
	f.d.nextID++
	g := &glyph{id: f.d.nextID}
	dr, mask, mp, _, ok := f.f.Glyph(fixed.Point26_6{X: frac, Y: 0}, r)
	if ok && !dr.Empty() {
		g.dr = dr
		g.level = make([]uint8, 0, dr.Dx()*dr.Dy())
		// The fonts' faces rasterise into an *image.Alpha, read here
		// byte by byte: At's interface call and colour for each pixel
		// were most of rasterising a glyph, which the Drawer's lock
		// holds every card to while it does.
		alpha, _ := mask.(*image.Alpha)
		for y := 0; y < dr.Dy(); y++ {
			for x := 0; x < dr.Dx(); x++ {
				var a uint32
				if alpha != nil {
					a = uint32(alpha.AlphaAt(mp.X+x, mp.Y+y).A)
				} else {
					_, _, _, a16 := mask.At(mp.X+x, mp.Y+y).RGBA()
					a = a16 >> 8
				}
				g.level = append(g.level, uint8((a*steps+0x7f)/0xff))
			}
		}
	}
	f.glyphs[k] = g
	if ascii {
		f.ascii[r][frac/16] = g
	}
	return g
}

// steps is the number of shades from the background to each colour.
const steps = 16

// palette holds the background and, for smooth edges, steps shades from
// it to each ink (in the order of the ink slots), the last the ink
// itself: a paletted PNG is a fifth of the size of a full-colour one and
// quicker to write.
// inkIndex is the palette index of shade level (0 the background, steps
// the colour itself) of colour slot ink.
func inkIndex(ink, level int) uint8 {
	if level == 0 {
		return 0
	}
	return uint8(ink*steps + level)
}

var palette = func() color.Palette {
	p := color.Palette{background}
	for _, c := range []color.RGBA{foreground, muted, accent} {
		for k := 1; k <= steps; k++ {
			t := float64(k) / steps
			mix := func(a, b uint8) uint8 { return uint8(float64(a)*(1-t) + float64(b)*t + 0.5) }
			p = append(p, color.RGBA{mix(background.R, c.R), mix(background.G, c.G), mix(background.B, c.B), 0xff})
		}
	}
	return p
}()
