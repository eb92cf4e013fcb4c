package card

import (
	"encoding/binary"
	"hash/crc32"
	"image/color"
	"math/bits"
)

// A card is mostly background: whole rows of it above, between and below
// the lines of text, and long stretches of it between letters. A general
// PNG encoder deflates every byte of the image (1200 by 630, three
// quarters of a megabyte) and sums it byte by byte; that was most of a
// card's cost. encodePNG writes the same kind of file (8-bit paletted, no
// filter, one fixed-Huffman deflate block) knowing the card's shape:
// a row no text touched is a copy of the one above it, taken whole, and
// its checksum is known in advance; within a row that text touched, runs
// of one colour and stretches equal to the row above are copies found a
// word at a time. Only the letters' anti-aliased edges are written byte
// by byte.

// stride is the length of a row in the image data PNG compresses: the
// filter type (0, none) and then a palette index for each pixel.
const stride = 1 + Width

// canvas is a card's image data as PNG compresses it, each row led by its
// filter byte, and which rows text touched.
type canvas struct {
	data  []byte // Height rows of stride bytes
	dirty [Height]bool
}

// newCanvas returns a blank card.
func newCanvas() *canvas {
	c := &canvas{data: make([]byte, Height*stride)}
	for y := range Height {
		copy(c.data[y*stride:], blankRow[:])
	}
	return c
}

// clear makes the canvas blank again, copying the blank row over the
// rows text touched.
func (c *canvas) clear() {
	for y, d := range c.dirty {
		if d {
			copy(c.data[y*stride:], blankRow[:])
			c.dirty[y] = false
		}
	}
}

// row returns row y's pixels (without the filter byte).
func (c *canvas) row(y int) []byte {
	return c.data[y*stride+1 : (y+1)*stride]
}

// barWidth is the width of the accent bar along the card's left edge.
const barWidth = 16

// blankRow is a row of a card before any text: the accent bar, as the
// theme's series box has, and the background.
var blankRow = func() (r [stride]byte) {
	for x := range barWidth {
		r[1+x] = inkIndex(inkAccent, steps)
	}
	return r
}()

// adlerMod is the modulus of the Adler-32 checksum that ends a zlib
// stream.
const adlerMod = 65521

// blankSum and blankWeighted are the blank row's byte sum and its sum
// weighted by the distance from the row's end, which is what a row adds
// to an Adler-32 checksum: over n bytes, a grows by their sum and b by
// n times a plus the weighted sum.
var blankSum, blankWeighted = func() (s, w uint64) {
	for i, b := range blankRow {
		s += uint64(b)
		w += uint64(stride-i) * uint64(b)
	}
	return s % adlerMod, w % adlerMod
}()

// adler returns the Adler-32 checksum of c.data, taking a blank row's
// share whole and a touched row's by runs of one byte.
func (c *canvas) adler() uint32 {
	a, b := uint64(1), uint64(0)
	for y := range Height {
		if !c.dirty[y] {
			b = (b + stride*a + blankWeighted) % adlerMod
			a = (a + blankSum) % adlerMod
			continue
		}
		// Within one row a and b stay far below 2^64 without
		// reduction: a below 2^16 + 1201*255, b below 2^16 + 1201*a.
		row := c.data[y*stride : (y+1)*stride]
		for i := 0; i < len(row); {
			v := row[i]
			n := uint64(runLen(row, i, v))
			a0 := a
			a += n * uint64(v)
			b += n*a0 + uint64(v)*n*(n+1)/2
			i += int(n)
		}
		a, b = a%adlerMod, b%adlerMod
	}
	return uint32(b<<16 | a)
}

// runLen returns how many bytes from s[i] on equal v (at least one when
// s[i] does).
func runLen(s []byte, i int, v byte) int {
	pat := uint64(v) * 0x0101010101010101
	j := i
	for j+8 <= len(s) {
		if x := binary.LittleEndian.Uint64(s[j:]) ^ pat; x != 0 {
			return j + bits.TrailingZeros64(x)/8 - i
		}
		j += 8
	}
	for j < len(s) && s[j] == v {
		j++
	}
	return j - i
}

// matchLen returns how many bytes from s[i] on equal those from s[j]
// on, to the end of s (j < i; the stretches may overlap).
func matchLen(s []byte, i, j int) int {
	n := 0
	for i+n+8 <= len(s) {
		if x := binary.LittleEndian.Uint64(s[i+n:]) ^ binary.LittleEndian.Uint64(s[j+n:]); x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
		n += 8
	}
	for i+n < len(s) && s[i+n] == s[j+n] {
		n++
	}
	return n
}

// encodePNG appends c as a PNG file with palette p to dst.
func (c *canvas) encodePNG(dst []byte, p color.Palette) []byte {
	return pngFile(dst, p, func(w *bitWriter) uint32 {
		c.deflate(w)
		return c.adler()
	})
}

// pngFile appends a PNG file of a card with palette p to dst, its image
// data deflated by idat, which returns the data's Adler-32 checksum.
func pngFile(dst []byte, p color.Palette, idat func(w *bitWriter) uint32) []byte {
	dst = append(dst, "\x89PNG\r\n\x1a\n"...)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], Width)
	binary.BigEndian.PutUint32(ihdr[4:], Height)
	ihdr[8], ihdr[9] = 8, 3 // bit depth 8, paletted
	dst = chunk(dst, "IHDR", ihdr[:])
	plte := make([]byte, 0, 3*len(p))
	for _, col := range p {
		r, g, b, _ := col.RGBA()
		plte = append(plte, byte(r>>8), byte(g>>8), byte(b>>8))
	}
	dst = chunk(dst, "PLTE", plte)

	// The IDAT chunk: its length is filled in once the data is written.
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0, 'I', 'D', 'A', 'T')
	dst = append(dst, 0x78, 0x01) // zlib: deflate, 32 KB window, fastest
	w := bitWriter{buf: dst[:cap(dst)], n: len(dst)}
	w.bits(1, 1) // the final block
	w.bits(1, 2) // fixed Huffman codes
	sum := idat(&w)
	w.code(256) // end of block
	dst = w.flush()
	dst = binary.BigEndian.AppendUint32(dst, sum)
	binary.BigEndian.PutUint32(dst[start:], uint32(len(dst)-start-8))
	dst = binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start+4:]))

	return chunk(dst, "IEND", nil)
}

// chunk appends a PNG chunk.
func chunk(dst []byte, typ string, data []byte) []byte {
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(data)))
	start := len(dst)
	dst = append(dst, typ...)
	dst = append(dst, data...)
	return binary.BigEndian.AppendUint32(dst, crc32.ChecksumIEEE(dst[start:]))
}

// deflate writes c.data as deflate symbols: copies of the row above
// (distance stride) and of the byte before (runs, distance 1), whichever
// is longer, and literal bytes where neither reaches three bytes.
func (c *canvas) deflate(w *bitWriter) {
	s := c.data
	for y := 0; y < Height; {
		i := y * stride
		if y > 0 && !c.dirty[y] && !c.dirty[y-1] {
			// Untouched rows below an untouched row: one copy.
			n := 1
			for y+n < Height && !c.dirty[y+n] {
				n++
			}
			w.copy(n*stride, stride)
			y += n
			continue
		}
		end := i + stride
		for i < end {
			up, run := 0, 0
			if y > 0 {
				up = matchLen(s[:end], i, i-stride)
			}
			if i > 0 {
				run = runLen(s[:end], i, s[i-1])
			}
			i += w.pick(up, run, s[i])
		}
		y++
	}
}

// bitWriter writes deflate's bit stream, least significant bit first.
type bitWriter struct {
	// buf holds the output up to n; it is written by index, not
	// appended to, as storing a slice costs a write barrier each time.
	buf   []byte
	n     int
	acc   uint64
	nacc  uint
	total uint64 // bits written
}

// bits writes v, n bits long (at most 32; no bits above them set).
func (w *bitWriter) bits(v uint64, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	w.total += uint64(n)
	if w.nacc >= 32 {
		if w.n+4 > len(w.buf) {
			w.grow()
		}
		binary.LittleEndian.PutUint32(w.buf[w.n:], uint32(w.acc))
		w.n += 4
		w.acc >>= 32
		w.nacc -= 32
	}
}

func (w *bitWriter) grow() {
	buf := make([]byte, 2*len(w.buf)+64)
	copy(buf, w.buf[:w.n])
	w.buf = buf
}

// flush writes what is left, padded to a whole byte, and returns the
// output.
func (w *bitWriter) flush() []byte {
	for w.nacc > 0 {
		if w.n == len(w.buf) {
			w.grow()
		}
		w.buf[w.n] = byte(w.acc)
		w.n++
		w.acc >>= 8
		w.nacc -= min(8, w.nacc)
	}
	return w.buf[:w.n]
}

// pick writes the next bytes the shortest way it knows: a copy of the
// row above (up bytes match it), a run of the byte before (run bytes), or
// the byte b as a literal. It returns how many bytes it wrote.
func (w *bitWriter) pick(up, run int, b byte) int {
	switch {
	case up >= 3 && up >= run:
		w.copy(up, stride)
		return up
	case run >= 3:
		w.copy(run, 1)
		return run
	}
	w.code(int(b))
	return 1
}

// splice writes the first n bits of words, as another bitWriter wrote
// them (with spliceTo, once the buffer has room for them).
func (w *bitWriter) splice(words []uint32, n uint32) {
	full := int(n / 32)
	if w.n+4*full+4 > len(w.buf) {
		w.grow()
		for w.n+4*full+4 > len(w.buf) {
			w.grow()
		}
	}
	pos, acc, nacc := spliceTo(w.buf, w.n, w.acc, w.nacc, words, n)
	w.acc, w.nacc, w.n = acc, nacc, pos
	w.total += uint64(n)
}

// bitString is a string of bits written beforehand, to splice.
type bitString struct {
	words []uint32
	n     uint32
}

// bitsOf returns what write writes.
func bitsOf(write func(w *bitWriter)) bitString {
	var w bitWriter
	write(&w)
	n := uint32(w.total)
	out := w.flush()
	for len(out)%4 != 0 {
		out = append(out, 0)
	}
	words := make([]uint32, len(out)/4)
	for k := range words {
		words[k] = binary.LittleEndian.Uint32(out[4*k:])
	}
	return bitString{words, n}
}

// code writes literal/length symbol sym in deflate's fixed Huffman code.
func (w *bitWriter) code(sym int) {
	f := fixedCodes[sym]
	w.bits(uint64(f.code), uint(f.len))
}

// copy writes a copy of n bytes from dist bytes back, in pieces of at
// most 258 bytes (n at least 3).
func (w *bitWriter) copy(n, dist int) {
	d := distSymbol(dist)
	// A copy of 258 bytes, the most one symbol says, as one string of
	// bits: symbol 285 (no extra bits) and the distance.
	dbits := uint64(bits.Reverse8(d.code)>>3) | uint64(dist-int(d.base))<<5
	full, fullLen := uint64(fixedCodes[285].code)|dbits<<fixedCodes[285].len, uint(fixedCodes[285].len)+5+uint(d.extra)
	for ; n >= 258+3 || n == 258; n -= 258 {
		w.bits(full, fullLen)
	}
	for n > 0 {
		take := min(n, 258)
		if r := n - take; r > 0 && r < 3 {
			take = n - 3 // leave at least 3 for the last piece
		}
		l := lengthSymbols[take]
		w.code(257 + int(l.sym))
		w.bits(uint64(take-int(l.base)), uint(l.extra))
		w.bits(uint64(bits.Reverse8(d.code)>>3), 5) // a 5-bit Huffman code
		w.bits(uint64(dist-int(d.base)), uint(d.extra))
		n -= take
	}
}

type huffCode struct {
	code uint16 // bit-reversed, as the stream is written
	len  uint8
}

// fixedCodes is deflate's fixed Huffman code for literal/length symbols
// (RFC 1951, 3.2.6).
var fixedCodes = func() (t [288]huffCode) {
	for sym := range t {
		var code, n uint16
		switch {
		case sym < 144:
			code, n = 0x30+uint16(sym), 8
		case sym < 256:
			code, n = 0x190+uint16(sym-144), 9
		case sym < 280:
			code, n = uint16(sym-256), 7
		default:
			code, n = 0xc0+uint16(sym-280), 8
		}
		t[sym] = huffCode{bits.Reverse16(code) >> (16 - n), uint8(n)}
	}
	return t
}()

type lengthSymbol struct {
	sym, extra uint8
	base       uint16
}

var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
)

// lengthSymbols maps a copy's length (3 to 258) to its symbol.
var lengthSymbols = func() (t [259]lengthSymbol) {
	for n := 3; n <= 258; n++ {
		s := 28
		for lengthBase[s] > uint16(n) {
			s--
		}
		t[n] = lengthSymbol{uint8(s), lengthExtra[s], lengthBase[s]}
	}
	return t
}()

type distCode struct {
	code, extra uint8
	base        uint16
}

// distSymbol returns the distance code of dist (1 to 32768).
func distSymbol(dist int) distCode {
	switch dist { // the distances cards use
	case 1:
		return distCode{0, 0, 1}
	case stride:
		return strideCode
	}
	return distSymbolSlow(dist)
}

var strideCode = distSymbolSlow(stride)

func distSymbolSlow(dist int) distCode {
	s := 29
	for int(distBase[s]) > dist {
		s--
	}
	return distCode{uint8(s), distExtra[s], distBase[s]}
}
