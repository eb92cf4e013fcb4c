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
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Version changes whenever the drawing changes; it is part of Key.
const Version = "1"

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
	// faces are the font's faces by font and size; glyphs are the glyphs
	// they rasterised, by face, rune and position within a pixel: titles
	// share most of their letters, and rasterising them was most of a
	// card's cost.
	mu    sync.Mutex
	faces map[faceKey]font.Face
	// encoders keeps the PNG encoders' compressors for reuse: making
	// one was a tenth of a card's cost.
	encoders encoderPool
	glyphs   map[glyphKey]glyph
}

type faceKey struct {
	f    *sfnt.Font
	size float64
}

type glyphKey struct {
	face faceKey
	r    rune
	frac fixed.Int26_6 // the dot's position within its pixel, in quarters
}

type glyph struct {
	dr  image.Rectangle // relative to the dot's pixel
	adv fixed.Int26_6
	a   []uint8 // coverage, row by row over dr
	ok  bool
}

// New returns a Drawer with the Go fonts (bold titles, regular text), or,
// when fontData is not nil, that TrueType or OpenType font for both.
func New(fontData []byte) (*Drawer, error) {
	d := &Drawer{faces: map[faceKey]font.Face{}, glyphs: map[glyphKey]glyph{}}
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
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%x\x00%d\x00%s\x00%d\x00%s\x00%d\x00%s", Version, d.digest, len(in.Title), in.Title, len(in.Site), in.Site, len(in.Author), in.Author+"\x00"+in.Date)
	var k [32]byte
	h.Sum(k[:0])
	return k
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
	img := image.NewPaletted(image.Rect(0, 0, Width, Height), palette)
	copy(img.Pix, blank()) // the background and the accent bar

	lay, err := d.drawTitle(img, in.Title)
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
	siteLine := fit(site, strings.TrimSpace(in.Site), width)
	drawText(img, site, inkAccent, Margin, Height-Margin-44, siteLine)
	var by []string
	if a := strings.TrimSpace(in.Author); a != "" {
		by = append(by, a)
	}
	if dt := strings.TrimSpace(in.Date); dt != "" {
		by = append(by, dt)
	}
	drawText(img, text, inkMuted, Margin, Height-Margin, fit(text, strings.Join(by, " · "), width))

	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &d.encoders}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, lay, fmt.Errorf("encoding the card: %w", err)
	}
	return buf.Bytes(), lay, nil
}

// drawTitle wraps the title in the largest size at which it fits in at
// most maxLines lines above the footer; at the smallest size a title that
// still does not fit is cut, its last line ending with an ellipsis.
func (d *Drawer) drawTitle(img *image.Paletted, title string) (Layout, error) {
	title = strings.Join(strings.Fields(title), " ")
	width := fixed.I(Width - 2*Margin)
	height := Height - 2*Margin - footer
	var lay Layout
	for size := float64(maxTitleSize); size >= minTitleSize; size -= 4 {
		f, err := d.face(d.title, size)
		if err != nil {
			return lay, err
		}
		lineHeight := int(size * 1.2)
		lines := wrap(f, title, width)
		fits := len(lines)*lineHeight <= height && len(lines) <= maxLines
		if !fits && size-4 >= minTitleSize {
			continue
		}
		if !fits {
			n := min(maxLines, height/lineHeight)
			rest := strings.Join(lines[n-1:], " ")
			lines = append(lines[:n-1], cut(f, rest, width))
			lay.Cut = true
		}
		lay.Size, lay.Lines = size, lines
		y := Margin + int(size) // the first baseline
		for _, l := range lines {
			r := drawText(img, f, inkForeground, Margin, y, l)
			lay.Box = lay.Box.Union(r)
			y += lineHeight
		}
		return lay, nil
	}
	return lay, nil
}

func (d *Drawer) face(f *sfnt.Font, size float64) (font.Face, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := faceKey{f, size}
	if face, ok := d.faces[k]; ok {
		return cachedFace{d, k, face}, nil
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("the card's font: %w", err)
	}
	d.faces[k] = face
	return cachedFace{d, k, face}, nil
}

// cachedFace is a face whose glyphs the Drawer keeps once rasterised.
// (opentype's faces are not safe for concurrent use: every call to one
// holds the Drawer's lock.)
type cachedFace struct {
	d *Drawer
	k faceKey
	font.Face
}

func (c cachedFace) Kern(a, b rune) fixed.Int26_6 {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	return c.Face.Kern(a, b)
}

func (c cachedFace) GlyphAdvance(r rune) (fixed.Int26_6, bool) {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	return c.Face.GlyphAdvance(r)
}

func (c cachedFace) GlyphBounds(r rune) (fixed.Rectangle26_6, fixed.Int26_6, bool) {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	return c.Face.GlyphBounds(r)
}

// glyph returns the rasterised glyph of r with the dot at frac within
// its pixel.
func (c cachedFace) glyph(r rune, frac fixed.Int26_6) glyph {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	k := glyphKey{c.k, r, frac}
	if g, ok := c.d.glyphs[k]; ok {
		return g
	}
	dr, mask, mp, adv, ok := c.Face.Glyph(fixed.Point26_6{X: frac, Y: 0}, r)
	g := glyph{dr: dr, adv: adv, ok: ok}
	if ok {
		g.a = make([]uint8, 0, dr.Dx()*dr.Dy())
		for y := 0; y < dr.Dy(); y++ {
			for x := 0; x < dr.Dx(); x++ {
				var a uint32
				if m, isAlpha := mask.(*image.Alpha); isAlpha {
					a = uint32(m.AlphaAt(mp.X+x, mp.Y+y).A)
				} else {
					_, _, _, a = mask.At(mp.X+x, mp.Y+y).RGBA()
					a >>= 8
				}
				g.a = append(g.a, uint8(a))
			}
		}
	}
	c.d.glyphs[k] = g
	return g
}

// wrap breaks text into lines no wider than width, at spaces; a word
// wider than a line is broken where it must be.
func wrap(f font.Face, text string, width fixed.Int26_6) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		try := w
		if line != "" {
			try = line + " " + w
		}
		if font.MeasureString(f, try) <= width {
			line = try
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		line = w
		for font.MeasureString(f, line) > width {
			head := fit(f, line, width)
			lines = append(lines, head)
			line = line[len(head):]
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// fit returns the longest start of s no wider than width (at least one
// character, so that wrapping moves on).
func fit(f font.Face, s string, width fixed.Int26_6) string {
	end := 0
	for i := range s {
		if i > 0 && font.MeasureString(f, s[:i]) > width {
			break
		}
		end = i
	}
	if font.MeasureString(f, s) <= width {
		return s
	}
	if end == 0 {
		for i := range s {
			if i > 0 {
				return s[:i]
			}
		}
	}
	return s[:end]
}

// cut shortens s to fit width with an ellipsis, at a space when one is
// near.
func cut(f font.Face, s string, width fixed.Int26_6) string {
	if font.MeasureString(f, s) <= width {
		return s
	}
	head := fit(f, s, width-font.MeasureString(f, "…"))
	if i := strings.LastIndexByte(head, ' '); i > len(head)/2 {
		head = head[:i]
	}
	return strings.TrimRight(head, " ,.;:") + "…"
}

// Colour slots of the palette (see palette).
const (
	inkForeground = iota
	inkMuted
	inkAccent
)

// drawText draws s with its baseline at (x, y) in a colour slot of the
// palette and returns the bounds of its glyphs. It sets palette indexes
// itself, a glyph's coverage picking the step from the background to the
// colour: drawing through image/draw would search the palette for every
// pixel, which cost most of a card's time.
func drawText(img *image.Paletted, f font.Face, ink, x, y int, s string) image.Rectangle {
	cf := f.(cachedFace)
	dot := fixed.P(x, y)
	prev := rune(-1)
	var box image.Rectangle
	for _, r := range s {
		if prev >= 0 {
			dot.X += cf.Kern(prev, r)
		}
		// The dot's pixel, and its place within it to a quarter pixel.
		px0, frac := dot.X.Floor(), (dot.X-fixed.I(dot.X.Floor()))/16*16
		g := cf.glyph(r, frac)
		if g.ok && !g.dr.Empty() {
			dr := g.dr.Add(image.Pt(px0, dot.Y.Floor()))
			box = box.Union(dr)
			k := 0
			for py := dr.Min.Y; py < dr.Max.Y; py++ {
				for px := dr.Min.X; px < dr.Max.X; px, k = px+1, k+1 {
					a := uint32(g.a[k])
					if a == 0 || !(image.Point{px, py}.In(img.Rect)) {
						continue
					}
					level := (a*steps + 0x7f) / 0xff
					if level == 0 {
						continue
					}
					idx := uint8(1 + ink*steps + int(level) - 1)
					i := img.PixOffset(px, py)
					if img.Pix[i] < idx { // overlapping edges keep the darker
						img.Pix[i] = idx
					}
				}
			}
		}
		dot.X += g.adv
		prev = r
	}
	return box
}

// steps is the number of shades from the background to each colour.
const steps = 16

// palette holds the background and, for smooth edges, steps shades from
// it to each ink (in the order of the ink slots), the last the ink
// itself: a paletted PNG is a fifth of the size of a full-colour one and
// quicker to write.
// blank is a card's pixels before any text: the background, and an accent
// bar along the left edge, as the theme's series box has. Copying it is
// much cheaper than filling the image pixel by pixel.
var blank = sync.OnceValue(func() []uint8 {
	img := image.NewPaletted(image.Rect(0, 0, Width, Height), palette)
	draw.Draw(img, img.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, 16, Height), image.NewUniform(accent), image.Point{}, draw.Src)
	return img.Pix
})

// encoderPool is a png.EncoderBufferPool safe for concurrent use.
type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

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
