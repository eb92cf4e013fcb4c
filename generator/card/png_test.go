package card

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestEncodePNG: what encodePNG writes decodes, with the standard
// library's decoder (which checks the zlib checksum and every chunk's
// CRC), to exactly the canvas's pixels: blank cards, cards with text,
// and random rows full of runs, copies of the row above and noise.
func TestEncodePNG(t *testing.T) {
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name string
		fill func(c *canvas)
	}{
		{"blank", func(c *canvas) {}},
		{"title", func(c *canvas) {
			lines, _, err := d.layoutTitle(nil, "Leading from the Back of the Room, and Why It Matters")
			if err != nil {
				t.Fatal(err)
			}
			c.draw(lines)
		}},
		{"first and last rows", func(c *canvas) {
			for _, y := range []int{0, 1, Height - 1} {
				c.dirty[y] = true
				c.row(y)[Width-1] = 5
				c.row(y)[100] = 7
			}
		}},
		{"random", func(c *canvas) {
			for y := range Height {
				if rnd.IntN(3) == 0 {
					continue
				}
				c.dirty[y] = true
				row := c.row(y)
				for x := 0; x < Width; {
					n := 1 + rnd.IntN(300)
					v := uint8(rnd.IntN(len(palette)))
					switch rnd.IntN(3) {
					case 0: // a run
						for k := x; k < min(x+n, Width); k++ {
							row[k] = v
						}
					case 1: // noise
						for k := x; k < min(x+n, Width); k++ {
							row[k] = uint8(rnd.IntN(len(palette)))
						}
					} // else as the row was
					x += n
				}
				if y > 0 && rnd.IntN(4) == 0 { // the row above again
					copy(row, c.row(y-1))
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCanvas()
			tt.fill(c)
			img, err := png.Decode(bytes.NewReader(c.encodePNG(nil)))
			if err != nil {
				t.Fatalf("does not decode: %v", err)
			}
			p, ok := img.(*image.Paletted)
			if !ok || p.Rect != image.Rect(0, 0, Width, Height) || len(p.Palette) != len(palette) {
				t.Fatalf("decoded as %T %v", img, img.Bounds())
			}
			for i, col := range palette {
				if p.Palette[i] != col {
					t.Fatalf("palette[%d] = %v, want %v", i, p.Palette[i], col)
				}
			}
			for y := range Height {
				if got, want := p.Pix[y*p.Stride:y*p.Stride+Width], c.row(y); !bytes.Equal(got, want) {
					t.Fatalf("row %d differs", y)
				}
			}
			c.clear()
			if !bytes.Equal(c.data, newCanvas().data) {
				t.Error("clear left pixels behind")
			}
		})
	}
}

// TestSpliced: a card written from its glyphs' rows deflated beforehand
// decodes to the same pixels as the card drawn and deflated whole, for
// titles with kerned pairs (whose glyphs' boxes overlap and are merged),
// long words, accents, several lines and none; and ordinary cards are
// written that way, not by the fallback.
func TestSpliced(t *testing.T) {
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	titles := []string{
		"", "A", "AVATAR: Type Your Way, Yolanda", "Tea, Toffee and Wry Yarns",
		"Leading from the Back of the Room, and Why It Matters",
		"Ça va? Élan, façade, naïve, Ørsted, Ångström, ﬁnest",
		strings.Repeat("Donaudampfschifffahrtsgesellschaft", 3),
		strings.Repeat("Delegation without abdication in organisations ", 12),
		"指導者の二つのモデル",
	}
	for _, title := range titles {
		for _, in := range []Input{
			{Title: title, Site: "Steward Essays", Author: "Steward Authors", Date: "March 12, 2024"},
			{Title: title},
		} {
			lines, _, err := d.layout(nil, in)
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := d.pieces(nil, lines); !ok {
				t.Errorf("%q: written by the fallback", title)
			}
			c := newCanvas()
			c.draw(lines)
			img, err := png.Decode(bytes.NewReader(d.encode(nil, nil, lines)))
			if err != nil {
				t.Fatalf("%q: does not decode: %v", title, err)
			}
			p := img.(*image.Paletted)
			for y := range Height {
				if got, want := p.Pix[y*p.Stride:y*p.Stride+Width], c.row(y); !bytes.Equal(got, want) {
					t.Fatalf("%q, %+v: row %d differs from the card drawn whole", title, in, y)
				}
			}
		}
	}
	// Lines that overlap are drawn and deflated whole, to the same
	// pixels.
	lines, _, err := d.layout(nil, Input{Title: "Two Leadership Models", Site: "S"})
	if err != nil {
		t.Fatal(err)
	}
	lines = append(lines, lines[0])
	if _, ok := d.pieces(nil, lines); ok {
		t.Fatal("overlapping lines were not refused")
	}
	c := newCanvas()
	c.draw(lines)
	img, err := png.Decode(bytes.NewReader(d.encode(nil, nil, lines)))
	if err != nil {
		t.Fatalf("the fallback does not decode: %v", err)
	}
	p := img.(*image.Paletted)
	for y := range Height {
		if !bytes.Equal(p.Pix[y*p.Stride:y*p.Stride+Width], c.row(y)) {
			t.Fatalf("the fallback's row %d differs from the card drawn", y)
		}
	}
	if len(d.merges) == 0 {
		t.Error("no glyphs' boxes overlapped: merging them is not tested")
	}
}

// TestCodes: the Huffman codes of every card's deflate block are
// complete (decoders refuse others) and give every byte a literal, and
// the code length code that the block's header writes them with is
// complete and no longer than 7 bits.
func TestCodes(t *testing.T) {
	kraft := func(lengths []uint8, limit uint8) {
		t.Helper()
		sum := 0
		for s, l := range lengths {
			if l == 0 || l > limit {
				t.Errorf("symbol %d: length %d", s, l)
				continue
			}
			sum += 1 << (limit - l)
		}
		if sum != 1<<limit {
			t.Errorf("the code is not complete: %d/%d", sum, 1<<limit)
		}
	}
	kraft(litLengths[:], 15)
	kraft(distLengths[:], 15)
	freq := []int{5, 0, 1, 1, 40, 2, 9, 0, 0, 1, 1, 1, 1, 1, 1, 300, 3, 2, 1}
	l := huffmanLengths(freq, 7)
	var used []uint8
	for s, f := range freq {
		if f == 0 && l[s] != 0 {
			t.Errorf("clen symbol %d unused but given length %d", s, l[s])
		}
		if f != 0 {
			used = append(used, l[s])
		}
	}
	kraft(used, 7)
}

// TestSplicedNarrow: pieces a pixel or two wide and as far apart, rows
// that repeat the row above and pieces that start and end on different
// rows, in lines a row apart (the closest that are spliced), decode to
// the pixels drawn.
func TestSplicedNarrow(t *testing.T) {
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	for round := range 50 {
		var lines []line
		y := 100
		for range 3 {
			var l line
			for x := 200; x < 1000; {
				w, h := 1+rnd.IntN(4), 1+rnd.IntN(12)
				g := &glyph{id: uint64(1000 + round*10000 + x), dr: image.Rect(0, 0, w, h), level: make([]uint8, w*h)}
				for r := range h {
					row := g.level[r*w : (r+1)*w]
					switch {
					case r > 0 && rnd.IntN(2) == 0:
						copy(row, g.level[(r-1)*w:r*w]) // the row above again
					case rnd.IntN(4) > 0:
						for k := range row {
							row[k] = uint8(rnd.IntN(steps + 1))
						}
					}
				}
				l = append(l, placement{g, uint8(rnd.IntN(3)), image.Pt(x, y+rnd.IntN(4))})
				x += w + rnd.IntN(4)
			}
			lines = append(lines, l)
			bottom := 0
			for _, p := range l {
				bottom = max(bottom, p.box().Max.Y)
			}
			y = bottom + 1 // the next line a row below
		}
		if _, ok := d.pieces(nil, lines); !ok {
			t.Fatal("written by the fallback")
		}
		c := newCanvas()
		c.draw(lines)
		img, err := png.Decode(bytes.NewReader(d.encode(nil, nil, lines)))
		if err != nil {
			t.Fatalf("round %d: does not decode: %v", round, err)
		}
		p := img.(*image.Paletted)
		for y := range Height {
			if !bytes.Equal(p.Pix[y*p.Stride:y*p.Stride+Width], c.row(y)) {
				t.Fatalf("round %d: row %d differs from the card drawn whole", round, y)
			}
		}
	}
}
