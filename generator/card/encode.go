package card

import (
	"bytes"
	"encoding/binary"
	"image"
)

// Drawing a card into a canvas and deflating it costs in proportion to
// its letters' anti-aliased edges, which are many: most of a card's time.
// But every glyph's rows are the same bytes wherever it stands, so encode
// deflates each glyph's rows once, the first time a build draws it, and
// a card's image data is then written row by row as the background
// between glyphs (a byte and a copy) and the glyphs' rows spliced in as
// bits, with their share of the checksum, summed once too. Within a
// glyph's row, copies reach back only inside the glyph's own box (the
// row above it, the byte before): where glyphs' boxes overlap, as
// kerned pairs' do, they are first merged into one glyph, kept too.
// Below a line's first row, what repeats the row above (the row's start,
// the background between glyphs, a glyph's row that is its row above, as
// down a stem) is one copy of the row above, up to where a glyph's row
// differs: a quarter of glyphs' rows take no splice of their own.

// glyphCode is a glyph's rows deflated in one ink: for each row, from
// the top, a record of a header word (the row's length in bits, and
// sameRow if the row is the one above it, which the first never is), a
// word of what its bytes add to an Adler-32 checksum (see blankSum: the
// sum in the low half, the weighted sum in the high), then its bits, from
// a word's start. A card reads a glyph's records in turn as its rows go
// by, so they are kept together: the cost of writing a card was mostly
// that of fetching rows from memory.
type glyphCode struct {
	data []uint32
}

const sameRow = 1 << 31

// code returns g deflated in ink. The caller holds the Drawer's lock.
func (g *glyph) code(ink uint8) *glyphCode {
	if c := g.codes[ink]; c != nil {
		return c
	}
	w, h := g.dr.Dx(), g.dr.Dy()
	gc := &glyphCode{}
	// buf holds the row above (zeros above the first, never copied from)
	// and the row, so that a copy of the row above is one at distance w
	// in buf, and stride in the card.
	buf := make([]byte, 2*w)
	for y := range h {
		copy(buf, buf[w:])
		for x, l := range g.level[y*w : (y+1)*w] {
			buf[w+x] = 0
			if l != 0 {
				buf[w+x] = ink*steps + l
			}
		}
		code := bitsOf(func(bw *bitWriter) {
			for i := w; i < 2*w; {
				up, run := 0, 0
				if y > 0 {
					up = matchLen(buf, i, i-w)
				}
				if i > w { // not from before the glyph's box
					run = runLen(buf, i, buf[i-1])
				}
				i += bw.pick(up, run, buf[i])
			}
		})
		head := code.n
		if y > 0 && bytes.Equal(buf[:w], buf[w:]) {
			head |= sameRow
		}
		var sum, wsum uint64
		for i, b := range buf[w:] {
			sum += uint64(b)
			wsum += uint64(w-i) * uint64(b)
		}
		gc.data = append(gc.data, head, uint32(sum%adlerMod|wsum%adlerMod<<16))
		gc.data = append(gc.data, code.words[:(code.n+31)/32]...)
	}
	g.codes[ink] = gc
	return gc
}

// encode appends the card with text lines, as a PNG file, to dst.
func (d *Drawer) encode(dst []byte, lines []line) []byte {
	pieces, ok := d.pieces(lines)
	if !ok {
		// Glyphs outside the card or lines that overlap: draw the pixels
		// and deflate them as they are.
		c, _ := d.canvases.Get().(*canvas)
		if c == nil {
			c = newCanvas()
		}
		defer func() {
			c.clear()
			d.canvases.Put(c)
		}()
		c.draw(lines)
		return c.encodePNG(dst, palette)
	}
	return pngFile(dst, palette, func(w *bitWriter) uint32 {
		return writeRows(w, pieces)
	})
}

// piece is a glyph, or glyphs merged, deflated and placed on the card;
// at is where its record of the next row to write starts.
type piece struct {
	code *glyphCode
	box  image.Rectangle
	at   int
}

// pieces turns lines into rows of pieces, from the top, left to right:
// false if a glyph leaves the card or the accent bar, or lines overlap.
func (d *Drawer) pieces(lines []line) ([][]piece, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var rows [][]piece
	top := 0 // the first row below the lines so far
	inside := image.Rect(barWidth, 0, Width, Height)
	for _, l := range lines {
		ps := make([]piece, 0, len(l))
		var lineBox image.Rectangle
		for k := 0; k < len(l); {
			// Glyphs whose boxes overlap the first one's, or the
			// ones merged with it, go together.
			box := l[k].box()
			n := 1
			for k+n < len(l) && l[k+n].box().Min.X < box.Max.X {
				if l[k+n].box().Min.X < box.Min.X {
					return nil, false
				}
				box = box.Union(l[k+n].box())
				n++
			}
			g := l[k].g
			if n > 1 {
				g = d.merged(l[k : k+n])
			}
			if !box.In(inside) {
				return nil, false
			}
			ps = append(ps, piece{g.code(l[k].ink), box, 0})
			lineBox = lineBox.Union(box)
			k += n
		}
		if len(ps) == 0 {
			continue
		}
		if lineBox.Min.Y < top {
			return nil, false
		}
		top = lineBox.Max.Y
		rows = append(rows, ps)
	}
	return rows, true
}

// merged returns the glyph of glyphs ps drawn together, as drawing them
// one by one into a canvas would: overlapping edges keep the darker.
// The caller holds the Drawer's lock.
func (d *Drawer) merged(ps []placement) *glyph {
	key := make([]byte, 0, 16*len(ps))
	var box image.Rectangle
	for _, p := range ps {
		key = binary.AppendUvarint(key, p.g.id)
		key = binary.AppendVarint(key, int64(p.at.X-ps[0].at.X))
		key = binary.AppendVarint(key, int64(p.at.Y-ps[0].at.Y))
		box = box.Union(p.box())
	}
	if g, ok := d.merges[string(key)]; ok {
		return g
	}
	d.nextID++
	g := &glyph{id: d.nextID, dr: box.Sub(box.Min), level: make([]uint8, box.Dx()*box.Dy())}
	for _, p := range ps {
		w := p.g.dr.Dx()
		at := p.at.Sub(box.Min)
		for y := range p.g.dr.Dy() {
			row := g.level[(at.Y+y)*box.Dx()+at.X:]
			for x, l := range p.g.level[y*w : (y+1)*w] {
				row[x] = max(row[x], l)
			}
		}
	}
	d.merges[string(key)] = g
	return g
}

// writeRows deflates the card's image data, the lines' pieces on the
// blank card, and returns its Adler-32 checksum.
func writeRows(w *bitWriter, lines [][]piece) uint32 {
	a, b := uint64(1), uint64(0)
	blank := func(y0, y1 int) { // blank rows y0 to y1
		if y0 == y1 {
			return
		}
		// The first is written out (the row above it, if any, has
		// text); the rest copy the row above.
		rowStart(w)
		zeros(w, Width-barWidth)
		if n := y1 - y0 - 1; n > 0 {
			copyRowsAbove(w, n)
		}
		// n rows of sum s and weighted sum ws, l bytes each, add n*s
		// to a, and to b n*l*a + ws*n + s*l*n*(n-1)/2.
		n := uint64(y1 - y0)
		b = (b + n*stride*a + n*blankWeighted + blankSum*stride*n*(n-1)/2) % adlerMod
		a = (a + n*blankSum) % adlerMod
	}
	y := 0
	var held []heldRow // see below
	for _, ps := range lines {
		top, bottom := ps[0].box.Min.Y, ps[0].box.Max.Y
		for _, p := range ps {
			top, bottom = min(top, p.box.Min.Y), max(bottom, p.box.Max.Y)
		}
		blank(y, top)
		for y = top; y < bottom; y++ {
			// The row is written with the writer's state in locals,
			// room made for the most a row can take beforehand.
			for w.n+maxRowBytes > len(w.buf) {
				w.grow()
			}
			buf, pos, acc, nacc := w.buf, w.n, w.acc, w.nacc
			b += (1+barWidth)*a + blankPrefixWeighted
			a += blankPrefixSum
			x := barWidth
			if y == top {
				// The line's first row: the row above may be another
				// line's last, so each piece is written out.
				pos, acc, nacc = spliceTo(buf, pos, acc, nacc, rowStartCode.words, rowStartCode.n)
				for k := range ps {
					p := &ps[k]
					if y < p.box.Min.Y {
						continue
					}
					gap := p.box.Min.X - x
					z := &zeroCodes[gap]
					pos, acc, nacc = spliceTo(buf, pos, acc, nacc, z.words[:], z.n)
					b += uint64(gap) * a
					r := p.next()
					pos, acc, nacc = spliceTo(buf, pos, acc, nacc, r[2:], r[0]&^sameRow)
					b += uint64(p.box.Dx())*a + uint64(r[1]>>16)
					a += uint64(r[1] & 0xffff)
					x = p.box.Max.X
				}
				z := &zeroCodes[Width-x]
				pos, acc, nacc = spliceTo(buf, pos, acc, nacc, z.words[:], z.n)
				b += uint64(Width-x) * a
				a, b = a%adlerMod, b%adlerMod
				w.n, w.acc, w.nacc = pos, acc, nacc
				continue
			}
			// Below the line's first row, the row above has only this
			// line's pieces in it: the row's start, the background
			// between pieces and the rows of pieces that repeat the row
			// above them are all the row above, and are written as one
			// copy of it, from from (the row's byte) to where a piece
			// differs. held are the pieces in that stretch (see
			// copyAbove).
			from := 0
			held = held[:0]
			for k := range ps {
				p := &ps[k]
				if y < p.box.Min.Y || y > p.box.Max.Y {
					continue // background here and above
				}
				gap := p.box.Min.X - x
				b += uint64(gap) * a
				x = p.box.Max.X
				if y == p.box.Max.Y {
					// Background below the piece's last row.
					pos, acc, nacc = copyAbove(buf, pos, acc, nacc, from, 1+p.box.Min.X, held)
					z := &zeroCodes[p.box.Dx()]
					pos, acc, nacc = spliceTo(buf, pos, acc, nacc, z.words[:], z.n)
					b += uint64(p.box.Dx()) * a
					from, held = 1+x, held[:0]
					continue
				}
				r := p.next()
				b += uint64(p.box.Dx())*a + uint64(r[1]>>16)
				a += uint64(r[1] & 0xffff)
				if r[0]&sameRow != 0 {
					held = append(held, heldRow{p.box, r})
					continue
				}
				pos, acc, nacc = copyAbove(buf, pos, acc, nacc, from, 1+p.box.Min.X, held)
				pos, acc, nacc = spliceTo(buf, pos, acc, nacc, r[2:], r[0])
				from, held = 1+x, held[:0]
			}
			pos, acc, nacc = copyAbove(buf, pos, acc, nacc, from, stride, held)
			b += uint64(Width-x) * a
			a, b = a%adlerMod, b%adlerMod
			w.n, w.acc, w.nacc = pos, acc, nacc
		}
	}
	blank(y, Height)
	return uint32(b<<16 | a)
}

// next returns the record of p's next row and moves on to the one after.
func (p *piece) next() []uint32 {
	d := p.code.data[p.at:]
	n := 2 + int(d[0]&^sameRow+31)/32
	p.at += n
	return d[:n:n]
}

// heldRow is a piece's row that repeats the row above, in a stretch
// copied from it (see copyAbove).
type heldRow struct {
	box image.Rectangle
	row []uint32 // its record
}

// copyAbove writes the row's bytes from index from to index to as a copy
// of the row above, when there are three or more; fewer are written
// out: background and the rows of pieces held, which are a pixel or two
// wide. It works on a writer's state in locals, as spliceTo.
func copyAbove(buf []byte, pos int, acc uint64, nacc uint, from, to int, held []heldRow) (int, uint64, uint) {
	if n := to - from; n >= 3 {
		u := &upCodes[n]
		return spliceTo(buf, pos, acc, nacc, u.words[:], u.n)
	}
	at := from - 1 // the pixel
	for _, h := range held {
		z := &zeroCodes[h.box.Min.X-at]
		pos, acc, nacc = spliceTo(buf, pos, acc, nacc, z.words[:], z.n)
		pos, acc, nacc = spliceTo(buf, pos, acc, nacc, h.row[2:], h.row[0]&^sameRow)
		at = h.box.Max.X
	}
	z := &zeroCodes[to-1-at]
	return spliceTo(buf, pos, acc, nacc, z.words[:], z.n)
}

// copyRowsAbove writes a copy of the n rows above, as copy would: the
// full copies of 258 bytes from a string of them written beforehand.
func copyRowsAbove(w *bitWriter, n int) {
	size := n * stride
	full := size / 258
	if r := size % 258; r > 0 && r < 3 {
		full-- // copy leaves the last 258+r bytes to two copies
	}
	words, bits := fullCopies.words, uint32(full)*fullCopyBits
	for bits > 0 {
		// Whole words, then the bits that are left.
		k := min(bits, uint32(len(words))*32)
		w.splice(words, k&^31)
		if r := k & 31; r > 0 {
			w.splice(words[k/32:], r)
		}
		bits -= k
	}
	w.copy(size-full*258, stride)
}

// fullCopies is copies of 258 bytes from the row above, one after
// another, as many as a card's rows take; fullCopyBits is one's length.
var fullCopies, fullCopyBits = func() (bitString, uint32) {
	one := bitsOf(func(w *bitWriter) { w.copy(258, stride) })
	return bitsOf(func(w *bitWriter) { w.copy(258*(Height*stride/258), stride) }), one.n
}()

// maxRowBytes is more than a row of a card can take deflated: a glyph's
// row takes at most 10 bits a byte (a literal 9, the shortest copy 21 bits
// for 3 bytes), and each background between glyphs, at least a pixel
// wide, at most 86 bits.
const maxRowBytes = 2 * stride * 11 / 8

// spliceTo is bitWriter.splice on a writer's state in locals, buf
// having room for the words.
func spliceTo(buf []byte, pos int, acc uint64, nacc uint, words []uint32, n uint32) (int, uint64, uint) {
	full := n / 32
	for _, word := range words[:full] {
		acc |= uint64(word) << nacc
		binary.LittleEndian.PutUint32(buf[pos:], uint32(acc))
		pos += 4
		acc >>= 32
	}
	if r := uint(n % 32); r > 0 {
		acc |= uint64(words[full]) & (1<<r - 1) << nacc
		nacc += r
		if nacc >= 32 {
			binary.LittleEndian.PutUint32(buf[pos:], uint32(acc))
			pos += 4
			acc >>= 32
			nacc -= 32
		}
	}
	return pos, acc, nacc
}

// rowStart writes the start of a row: the filter byte and the accent bar.
func rowStart(w *bitWriter) {
	w.splice(rowStartCode.words, rowStartCode.n)
}

var rowStartCode = bitsOf(func(w *bitWriter) {
	w.code(0)
	w.code(int(blankRow[1]))
	w.copy(barWidth-1, 1)
})

// blankPrefixSum and blankPrefixWeighted are what a row's start (the
// filter byte and the accent bar) adds to an Adler-32 checksum.
var blankPrefixSum, blankPrefixWeighted = func() (s, w uint64) {
	for i, b := range blankRow[:1+barWidth] {
		s += uint64(b)
		w += uint64(1+barWidth-i) * uint64(b)
	}
	return s, w
}()

// zeros writes n bytes of background.
func zeros(w *bitWriter, n int) {
	z := zeroCodes[n]
	w.splice(z.words[:], z.n)
}

// upCodes holds copies of the row above, by length (3 to stride).
var upCodes = func() (t [stride + 1]struct {
	words [5]uint32
	n     uint32
}) {
	for n := 3; n <= stride; n++ {
		b := bitsOf(func(w *bitWriter) { w.copy(n, stride) })
		t[n].n = b.n
		copy(t[n].words[:], b.words)
	}
	return t
}()

// zeroCodes holds what zeros writes, by length.
var zeroCodes = func() (t [Width + 1]struct {
	words [4]uint32
	n     uint32
}) {
	for n := range t {
		b := bitsOf(func(w *bitWriter) { writeZeros(w, n) })
		t[n].n = b.n
		copy(t[n].words[:], b.words)
	}
	return t
}()

func writeZeros(w *bitWriter, n int) {
	if n < 4 {
		for range n {
			w.code(0)
		}
		return
	}
	w.code(0)
	w.copy(n-1, 1)
}

// draw draws lines into c, as encode writes them.
func (c *canvas) draw(lines []line) {
	for _, l := range lines {
		for _, p := range l {
			r := p.box().Intersect(image.Rect(0, 0, Width, Height))
			w := p.g.dr.Dx()
			for y := r.Min.Y; y < r.Max.Y; y++ {
				c.dirty[y] = true
				row := c.row(y)
				src := p.g.level[(y-p.at.Y)*w:]
				for x := r.Min.X; x < r.Max.X; x++ {
					if l := src[x-p.at.X]; l != 0 {
						// Overlapping edges keep the darker.
						row[x] = max(row[x], p.ink*steps+l)
					}
				}
			}
		}
	}
}
