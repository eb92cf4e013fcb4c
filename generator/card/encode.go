package card

import (
	"encoding/binary"
	"image"
)

// Drawing a card into a canvas and deflating it costs in proportion to
// its letters' anti-aliased edges, which are many: most of a card's time.
// But every glyph's rows are the same bytes wherever it stands, so encode
// deflates each glyph's rows once, the first time a build draws it, and
// a card's image data is then written row by row as the zeros between
// glyphs (a code from a table) and the glyphs' rows spliced in as bits.
// The rows are Up-filtered (see png.go): a glyph's row is its difference
// from the row above it, which within its box is its own row above (or
// the background, above its first row), and the row below its box is
// the background less its last row. So each glyph has a row more than
// it is high, and the rows of different glyphs never meet: glyphs whose
// boxes overlap, as kerned pairs' do, are first merged into one glyph
// (kept too), and lines are a row apart. The zeros at a glyph's row's
// start and end join the background's around it, and a row of zeros (a
// quarter of them: a stem's, a bar's) is no more than its record's word.
// The Adler-32 checksum of the image data is the blank card's and each
// glyph's share, which is its rows' sums weighted by their places: each
// glyph's is summed once too, and shifted to where it stands.

// glyphCode is a glyph's rows deflated in one ink: for each row, from
// the top, and the row below its box, a record. A row of zeros is a zero
// word; any other row is a word of the length of its bits (the low 16
// bits), how many zeros it starts with (the next 16) and ends with (the
// 16 after), then its bits, 56 to a word (see bitString). A card reads a glyph's
// records in turn as its rows go by, so they are kept together: the cost
// of writing a card is mostly that of fetching rows from memory.
type glyphCode struct {
	data []uint64
	// sum and wsum are the rows' bytes' sum and their sum weighted by
	// their offset (row*stride + column) in the image data from the
	// box's corner, modulo adlerMod.
	sum, wsum uint64
}

// code returns g deflated in ink. The caller holds the Drawer's lock.
func (g *glyph) code(ink uint8) *glyphCode {
	if c := g.codes[ink]; c != nil {
		return c
	}
	w, h := g.dr.Dx(), g.dr.Dy()
	gc := &glyphCode{}
	value := func(y, x int) byte { // the glyph's pixel, 0 outside its box
		if y < 0 || y >= h || g.level[y*w+x] == 0 {
			return 0
		}
		return ink*steps + g.level[y*w+x]
	}
	res := make([]byte, w)
	for y := range h + 1 {
		lead, end := w, 0
		for x := range res {
			res[x] = value(y, x) - value(y-1, x)
			if res[x] != 0 {
				lead, end = min(lead, x), x+1
			}
			gc.sum += uint64(res[x])
			gc.wsum += uint64(y*stride+x) * uint64(res[x])
		}
		if end == 0 {
			gc.data = append(gc.data, 0)
			continue
		}
		mid := res[lead:end]
		code := bitsOf(func(bw *bitWriter) {
			for i := 0; i < len(mid); {
				if i > 0 {
					if run := runLen(mid, i, mid[i-1]); run >= 3 {
						bw.run(run)
						i += run
						continue
					}
				}
				bw.code(int(mid[i]))
				i++
			}
		})
		gc.data = append(gc.data, uint64(code.n)|uint64(lead)<<16|uint64(w-end)<<32)
		gc.data = append(gc.data, code.chunks...)
	}
	gc.sum %= adlerMod
	gc.wsum %= adlerMod
	g.codes[ink] = gc
	return gc
}

// encode appends the card with text lines, as a PNG file, to dst.
func (d *Drawer) encode(s *scratch, dst []byte, lines []line) []byte {
	pieces, ok := d.pieces(s, lines)
	if !ok {
		// Glyphs outside the card, or lines that overlap or touch: draw the pixels
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
		return c.encodePNG(dst)
	}
	return pngFile(dst, func(w *bitWriter) uint32 {
		return writeRows(w, pieces)
	})
}

// piece is a glyph, or glyphs merged, deflated and placed on the card;
// next is the index in its code's data of the record of the next row to
// write. (An index, not the records left as a slice: writeRows moves it
// on at every row, and storing a slice costs a write barrier while the
// garbage collector runs, which in a build it mostly is.)
type piece struct {
	code *glyphCode
	data []uint64 // code.data
	box  image.Rectangle
	next int
}

// pieces turns lines into rows of pieces, from the top, left to right:
// false if a glyph leaves the card below its first row and above its
// last (the row below a glyph's box is one of its rows, see glyphCode)
// or touches the accent bar, or if a line is not below the rows of the
// one before it.
func (d *Drawer) pieces(s *scratch, lines []line) ([][]piece, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	var all []piece // the lines' pieces, in one allocation
	var rows [][]piece
	if s == nil {
		all, rows = make([]piece, 0, n), make([][]piece, 0, len(lines))
	} else {
		all, rows = take(&s.pieces, n), take(&s.rows, len(lines))
	}
	top := 0 // the last row of the lines so far (the row below their boxes)
	inside := image.Rect(barWidth, 1, Width, Height-1)
	for _, l := range lines {
		ps := all[len(all) : len(all) : len(all)+len(l)]
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
			c := g.code(l[k].ink)
			ps = append(ps, piece{c, c.data, box, 0})
			lineBox = lineBox.Union(box)
			k += n
		}
		if len(ps) == 0 {
			continue
		}
		if lineBox.Min.Y <= top {
			return nil, false
		}
		top = lineBox.Max.Y
		rows = append(rows, ps)
		all = all[:len(all)+len(ps)]
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
	a, b := blankA, blankB
	w.splice(firstRow)
	y := 1
	for _, ps := range lines {
		top, bottom := ps[0].box.Min.Y, ps[0].box.Max.Y
		for _, p := range ps {
			top, bottom = min(top, p.box.Min.Y), max(bottom, p.box.Max.Y)
			// The piece's share of the checksum: over n bytes a grows by
			// their sum and b by the sum of each weighted by n less its
			// index.
			at := uint64(p.box.Min.Y*stride + 1 + p.box.Min.X)
			a += p.code.sum
			b += (dataLen-at)%adlerMod*p.code.sum + adlerMod - p.code.wsum
		}
		a, b = a%adlerMod, b%adlerMod
		blankRows(w, top-y)
		// Each row has the lines' pieces' rows, below their box the
		// row below it.
		for y = top; y <= bottom; y++ {
			// The row is written with the writer's state in locals,
			// room made for the most a row can take beforehand.
			if w.n+maxRowBytes > len(w.buf) {
				w.grow(maxRowBytes)
			}
			buf, pos, acc, nacc := w.buf, w.n, w.acc, w.nacc
			pos, acc, nacc = put(buf, pos, acc, nacc, filterCode.v, filterCode.n)
			// x is where the row's pixels are written to, zeros the
			// zeros from the last byte that is not one to x.
			x, zeros := 0, 0
			for k := range ps {
				p := &ps[k]
				if y < p.box.Min.Y || y > p.box.Max.Y {
					continue
				}
				head := p.data[p.next]
				if head == 0 {
					p.next++
					continue
				}
				zeros += p.box.Min.X - x + int(head>>16&0xffff)
				z := &zeroCodes[zeros]
				n := uint(head & 0xffff)
				if n+z.n <= chunkBits {
					// A short row and the zeros before it, in one put.
					pos, acc, nacc = put(buf, pos, acc, nacc, z.v|p.data[p.next+1]<<z.n, z.n+n)
					p.next += 2
				} else {
					pos, acc, nacc = put(buf, pos, acc, nacc, z.v, z.n)
					chunks := 1 + (int(n)-1)/chunkBits
					pos, acc, nacc = spliceTo(buf, pos, acc, nacc, p.data[p.next+1:p.next+1+chunks], uint32(n))
					p.next += 1 + chunks
				}
				x, zeros = p.box.Max.X, int(head>>32&0xffff)
			}
			z := &zeroCodes[zeros+Width-x]
			pos, acc, nacc = put(buf, pos, acc, nacc, z.v, z.n)
			w.n, w.acc, w.nacc = pos, acc, nacc
		}
	}
	blankRows(w, Height-y)
	return uint32(b<<16 | a)
}

// blankRows writes n rows that repeat the row above.
func blankRows(w *bitWriter, n int) {
	if need := 8*n + 8; w.n+need > len(w.buf) {
		w.grow(need)
	}
	z := &startCodes[Width]
	pos, acc, nacc := w.n, w.acc, w.nacc
	for range n {
		pos, acc, nacc = put(w.buf, pos, acc, nacc, z.v, z.n)
	}
	w.n, w.acc, w.nacc = pos, acc, nacc
	w.total += uint64(n) * uint64(z.n)
}

// maxRowBytes is more than a row of a card can take deflated: a byte
// takes at most 15 bits (a literal's longest code; zeros and runs take
// fewer), and put writes 8 bytes at the end.
const maxRowBytes = stride*15/8 + 16

// dataLen is the length of a card's image data.
const dataLen = Height * stride

// blankA and blankB are the Adler-32 checksum's two halves over the blank
// card's image data (see writeRows): the filter byte that leads each row,
// the bar in the first row (the rows below repeat it), zeros otherwise.
var blankA, blankB = func() (a, b uint64) {
	a, b = 1, dataLen%adlerMod
	add := func(i int, v byte) {
		a += uint64(v)
		b += uint64(dataLen-i) * uint64(v) % adlerMod
	}
	for y := range Height {
		add(y*stride, filterUp)
	}
	for x := 1; x <= barWidth; x++ {
		add(x, blankRow[x])
	}
	return a % adlerMod, b % adlerMod
}()

// zeroCode is the bits of a run of zeros, or of a filter byte, at most
// 56 of them.
type zeroCode struct {
	v uint64
	n uint
}

// zeroCodes holds what bitWriter.zeros writes, by length (0 to Width);
// startCodes the same after a row's filter byte.
var zeroCodes, startCodes = func() (z, s [Width + 1]zeroCode) {
	one := func(b bitString) zeroCode {
		if len(b.chunks) > 1 {
			panic("card: a run of zeros takes more than a word")
		}
		var v uint64
		if len(b.chunks) > 0 {
			v = b.chunks[0]
		}
		return zeroCode{v, uint(b.n)}
	}
	for n := range z {
		z[n] = one(bitsOf(func(w *bitWriter) { w.zeros(n) }))
		s[n] = one(bitsOf(func(w *bitWriter) {
			w.code(filterUp)
			w.zeros(n)
		}))
	}
	return z, s
}()

// filterCode is the code of the filter byte that leads each row.
var filterCode = zeroCode{uint64(litCodes[filterUp].code), uint(litCodes[filterUp].len)}

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
