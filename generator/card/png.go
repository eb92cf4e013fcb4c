package card

import (
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"math/bits"
)

// A card is mostly background: whole rows of it above, between and below
// the lines of text, and long stretches of it between letters. A general
// PNG encoder deflates every byte of the image (1200 by 630, three
// quarters of a megabyte) and sums it byte by byte; that was most of a
// card's cost. A card here is an 8-bit paletted PNG whose rows all have
// the filter Up (each byte less the one above it): a row, or a stretch of
// one, that repeats the row above is then zeros, written as runs of the
// byte before (deflate's copies at distance 1), and the letters'
// anti-aliased edges are their differences from the row above. The image
// data is one deflate block with Huffman codes of its own, the same for
// every card (litLengths), fitted to such data: short codes for zeros,
// runs and small differences. A card is a third of the size it is with
// deflate's fixed codes and copies of the row above (whose distance
// takes 9 extra bits each), and a third of the bits are less to write.

// stride is the length of a row in the image data PNG compresses: the
// filter type and then a palette index for each pixel.
const stride = 1 + Width

// filterUp is the PNG filter type that leads every row.
const filterUp = 2

// canvas is a card's pixels, each row led by a byte that is not a pixel
// (so that rows are stride apart, as in the image data), and which rows
// text touched.
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

// row returns row y's pixels (without the byte before them).
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

// encodePNG appends c as a PNG file to dst: each row's differences from
// the row above, deflated as literals and runs. It is the way for cards
// that cannot be spliced (see encode), and what tests hold the spliced
// cards to.
func (c *canvas) encodePNG(dst []byte) []byte {
	return pngFile(dst, func(w *bitWriter) uint32 {
		sum := adler32.New()
		res := make([]byte, stride)
		res[0] = filterUp
		for y := range Height {
			if y > 0 && !c.dirty[y] && !c.dirty[y-1] {
				// Both blank: the row repeats the one above.
				z := startCodes[Width]
				w.bits(z.v, z.n)
				sum.Write(zeroRow[:])
				continue
			}
			for x := 1; x < stride; x++ {
				res[x] = c.data[y*stride+x]
				if y > 0 {
					res[x] -= c.data[(y-1)*stride+x]
				}
			}
			sum.Write(res)
			w.code(filterUp)
			for i := 1; i < stride; {
				if run := runLen(res, i, res[i-1]); run >= 3 {
					w.run(run)
					i += run
					continue
				}
				w.code(int(res[i]))
				i++
			}
		}
		return sum.Sum32()
	})
}

// zeroRow is a row of image data that repeats the row above: the filter
// byte and zeros.
var zeroRow = [stride]byte{filterUp}

// pngPrefix is what every card's file starts with: the signature, the
// header, the palette, and the start of the image data's chunk (its
// length is filled in once the data is written) and of its zlib stream.
var pngPrefix = func() []byte {
	dst := []byte("\x89PNG\r\n\x1a\n")
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], Width)
	binary.BigEndian.PutUint32(ihdr[4:], Height)
	ihdr[8], ihdr[9] = 8, 3 // bit depth 8, paletted
	dst = chunk(dst, "IHDR", ihdr[:])
	plte := make([]byte, 0, 3*len(palette))
	for _, col := range palette {
		r, g, b, _ := col.RGBA()
		plte = append(plte, byte(r>>8), byte(g>>8), byte(b>>8))
	}
	dst = chunk(dst, "PLTE", plte)
	dst = append(dst, 0, 0, 0, 0, 'I', 'D', 'A', 'T')
	return append(dst, 0x78, 0x01) // zlib: deflate, 32 KB window, fastest
}()

// pngFile appends a card's PNG file to dst, its image data deflated by
// idat, which returns the data's Adler-32 checksum.
func pngFile(dst []byte, idat func(w *bitWriter) uint32) []byte {
	dst = append(dst, pngPrefix...)
	start := len(dst) - 10 // the IDAT chunk's length
	w := bitWriter{buf: dst[:cap(dst)], n: len(dst)}
	w.splice(blockHeader)
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

// bitWriter writes deflate's bit stream, least significant bit first.
// It writes without branching on how many bits it holds: each write puts
// the 8 bytes from the next one to write, of which the whole bytes count
// and the rest are written again by the next write, with its bits. So it
// holds fewer than 8 bits between writes, and writes at most 56 at once.
type bitWriter struct {
	// buf holds the output up to n, and room for the 8 bytes a write
	// puts; it is written by index, not appended to, as storing a slice
	// costs a write barrier each time.
	buf   []byte
	n     int
	acc   uint64 // bits not yet counted in buf, nacc of them (fewer than 8)
	nacc  uint
	total uint64 // bits written
}

// bits writes v, n bits long (at most 56; no bits above them set).
func (w *bitWriter) bits(v uint64, n uint) {
	if w.n+8 > len(w.buf) {
		w.grow(8)
	}
	w.total += uint64(n)
	w.n, w.acc, w.nacc = put(w.buf, w.n, w.acc, w.nacc, v, n)
}

// put is bitWriter.bits on a writer's state in locals, buf having room.
func put(buf []byte, pos int, acc uint64, nacc uint, v uint64, n uint) (int, uint64, uint) {
	acc |= v << nacc
	binary.LittleEndian.PutUint64(buf[pos:], acc)
	nacc += n
	k := nacc >> 3 // whole bytes
	return pos + int(k), acc >> (k << 3), nacc & 7
}

// grow makes room for at least n more bytes.
func (w *bitWriter) grow(n int) {
	buf := make([]byte, 2*len(w.buf)+n+64)
	copy(buf, w.buf[:w.n])
	w.buf = buf
}

// flush writes what is left, padded to a whole byte, and returns the
// output.
func (w *bitWriter) flush() []byte {
	if w.nacc > 0 {
		w.bits(0, 8-w.nacc)
	}
	return w.buf[:w.n]
}

// splice writes bits b, as another bitWriter wrote them.
func (w *bitWriter) splice(b bitString) {
	if need := 7*len(b.chunks) + 8; w.n+need > len(w.buf) {
		w.grow(need)
	}
	w.n, w.acc, w.nacc = spliceTo(w.buf, w.n, w.acc, w.nacc, b.chunks, b.n)
	w.total += uint64(b.n)
}

// spliceTo writes the first n bits of chunks of 56 bits (at least one
// bit) on a writer's state in locals, buf having room for them.
func spliceTo(buf []byte, pos int, acc uint64, nacc uint, chunks []uint64, n uint32) (int, uint64, uint) {
	last := (int(n) - 1) / chunkBits
	for _, c := range chunks[:last] {
		acc |= c << nacc
		binary.LittleEndian.PutUint64(buf[pos:], acc)
		pos += chunkBits / 8
		acc >>= chunkBits
	}
	return put(buf, pos, acc, nacc, chunks[last], uint(int(n)-last*chunkBits))
}

// chunkBits is how many bits a bitString keeps in each of its words: as
// many as put writes at once.
const chunkBits = 56

// bitString is a string of bits written beforehand, to splice: chunks of
// 56 bits, each in the low bits of a word.
type bitString struct {
	chunks []uint64
	n      uint32
}

// bitsOf returns what write writes.
func bitsOf(write func(w *bitWriter)) bitString {
	var w bitWriter
	write(&w)
	n := uint32(w.total)
	out := w.flush()
	chunks := make([]uint64, (len(out)+6)/7)
	for k := range chunks {
		var b [8]byte
		copy(b[:7], out[7*k:])
		chunks[k] = binary.LittleEndian.Uint64(b[:])
	}
	return bitString{chunks, n}
}

// code writes literal/length symbol sym.
func (w *bitWriter) code(sym int) {
	c := litCodes[sym]
	w.bits(uint64(c.code), uint(c.len))
}

// run writes a copy of n bytes from one byte back (n at least 3), in
// pieces of at most 258 bytes: the distance is the one code, of one bit,
// of the distance code (see blockHeader).
func (w *bitWriter) run(n int) {
	for ; n >= 258+3 || n == 258; n -= 258 {
		w.bits(fullRun.v, fullRun.n)
	}
	for n > 0 {
		take := min(n, 258)
		if r := n - take; r > 0 && r < 3 {
			take = n - 3 // leave at least 3 for the last piece
		}
		l := lengthSymbols[take]
		c := litCodes[257+int(l.sym)]
		// The length's code, its extra bits, then the distance's code (0).
		w.bits(uint64(c.code)|uint64(take-int(l.base))<<c.len, uint(c.len)+uint(l.extra)+1)
		n -= take
	}
}

// fullRun is a run of 258 bytes, the most one symbol says: symbol 285
// (no extra bits) and the distance's code.
var fullRun = struct {
	v uint64
	n uint
}{uint64(litCodes[285].code), uint(litCodes[285].len) + 1}

type huffCode struct {
	code uint16 // bit-reversed, as the stream is written
	len  uint8
}

// litLengths are the lengths of the literal/length codes of every card's
// deflate block: Huffman codes (limited to 15 bits, every symbol given
// one) for the symbols of Up-filtered cards of the 1,000 essays of the
// benchmarks' corpus. A literal is a difference from the row above:
// small ones (1 to 48) and their negatives (208 to 255) are common, 49
// to 207 never are.
var litLengths = [286]uint8{
	2, 5, 4, 6, 6, 6, 6, 6, 7, 6, 7, 7, 7, 7, 8, 8, // 0-15
	11, 8, 9, 9, 9, 10, 10, 10, 11, 11, 11, 11, 11, 10, 10, 11, // 16-31
	11, 10, 10, 11, 11, 12, 12, 11, 11, 12, 12, 11, 11, 12, 13, 12, // 32-47
	12, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, // 48-63
	15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, // 64-79
	15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, // 80-95
	15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, // 96-111
	15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, // 112-127
	15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, // 128-143
	15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, // 144-159
	15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, // 160-175
	15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, // 176-191
	15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, // 192-207
	13, 13, 12, 12, 12, 12, 13, 11, 11, 11, 11, 10, 10, 11, 11, 10, // 208-223
	9, 11, 11, 11, 11, 12, 11, 10, 10, 10, 10, 10, 9, 9, 9, 9, // 224-239
	10, 9, 7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 6, 6, 6, 5, // 240-255
	15, 7, 8, 8, 8, 8, 7, 6, 6, 7, 8, 8, 8, 7, 8, 8, // 256-271
	8, 8, 8, 9, 9, 8, 8, 9, 9, 9, 5, 10, 9, 3, // 272-285
}

// distLengths are the lengths of the distance codes: two codes of one
// bit (a complete code, as decoders want), of which cards use only the
// first, distance 1.
var distLengths = [2]uint8{1, 1}

// litCodes are the codes of litLengths.
var litCodes = canonical(litLengths[:])

// canonical returns the Huffman codes of the code lengths (RFC 1951,
// 3.2.2), bit-reversed, as the stream is written.
func canonical(lengths []uint8) []huffCode {
	var count [16]uint16
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	var next [16]uint16
	code := uint16(0)
	for l := 1; l < 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	codes := make([]huffCode, len(lengths))
	for sym, l := range lengths {
		if l != 0 {
			codes[sym] = huffCode{bits.Reverse16(next[l]) >> (16 - l), l}
			next[l]++
		}
	}
	return codes
}

// blockHeader starts every card's deflate block: the last block, with
// codes of its own (litLengths, distLengths), themselves Huffman-coded
// as RFC 1951, 3.2.7 says.
var blockHeader = bitsOf(func(w *bitWriter) {
	w.bits(1, 1) // the final block
	w.bits(2, 2) // dynamic Huffman codes
	lengths := append(litLengths[:], distLengths[:]...)
	// The lengths as code length symbols: 16 repeats the previous length
	// 3 to 6 times (2 extra bits), 17 and 18 repeat a zero 3 to 10 and 11
	// to 138 times (3 and 7 extra bits).
	type sym struct{ s, extra, v uint8 }
	var syms []sym
	for i := 0; i < len(lengths); {
		l, n := lengths[i], 1
		for i+n < len(lengths) && lengths[i+n] == l {
			n++
		}
		i += n
		if l != 0 {
			syms = append(syms, sym{l, 0, 0})
			for n--; n >= 3; {
				k := min(n, 6)
				if n-k > 0 && n-k < 3 {
					k = n - 3
				}
				syms = append(syms, sym{16, 2, uint8(k - 3)})
				n -= k
			}
		}
		for ; n > 0 && l == 0 && n >= 3; n -= min(n, 138) {
			if n >= 11 {
				syms = append(syms, sym{18, 7, uint8(min(n, 138) - 11)})
			} else {
				syms = append(syms, sym{17, 3, uint8(n - 3)})
			}
		}
		for ; n > 0; n-- {
			syms = append(syms, sym{l, 0, 0})
		}
	}
	freq := make([]int, 19)
	for _, s := range syms {
		freq[s.s]++
	}
	clen := huffmanLengths(freq, 7)
	clCodes := canonical(clen)
	order := []int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
	hclen := len(order)
	for hclen > 4 && clen[order[hclen-1]] == 0 {
		hclen--
	}
	w.bits(uint64(len(litLengths)-257), 5)
	w.bits(uint64(len(distLengths)-1), 5)
	w.bits(uint64(hclen-4), 4)
	for _, s := range order[:hclen] {
		w.bits(uint64(clen[s]), 3)
	}
	for _, s := range syms {
		c := clCodes[s.s]
		w.bits(uint64(c.code), uint(c.len))
		w.bits(uint64(s.v), uint(s.extra))
	}
})

// huffmanLengths returns the lengths of a Huffman code, none longer than
// limit, for the symbols of non-zero frequency (package-merge: Larmore
// and Hirschberg, 1990).
func huffmanLengths(freq []int, limit int) []uint8 {
	type item struct {
		w    int
		syms []int
	}
	var leaves []item
	for s, f := range freq {
		if f > 0 {
			leaves = append(leaves, item{f, []int{s}})
		}
	}
	lengths := make([]uint8, len(freq))
	if len(leaves) == 1 {
		lengths[leaves[0].syms[0]] = 1
		return lengths
	}
	sortItems := func(items []item) {
		for i := 1; i < len(items); i++ { // insertion sort: stable, few items
			for j := i; j > 0 && items[j].w < items[j-1].w; j-- {
				items[j], items[j-1] = items[j-1], items[j]
			}
		}
	}
	sortItems(leaves)
	cur := leaves
	for range limit - 1 {
		next := append([]item(nil), leaves...)
		for k := 0; k+1 < len(cur); k += 2 {
			next = append(next, item{cur[k].w + cur[k+1].w, append(append([]int(nil), cur[k].syms...), cur[k+1].syms...)})
		}
		sortItems(next)
		cur = next
	}
	for _, it := range cur[:2*len(leaves)-2] {
		for _, s := range it.syms {
			lengths[s]++
		}
	}
	return lengths
}

type lengthSymbol struct {
	sym, extra uint8
	base       uint16
}

var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
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

// zeros writes n zeros after a byte that is not one: a literal zero and a
// run of the rest, or literals for fewer than four.
func (w *bitWriter) zeros(n int) {
	if n < 4 {
		for range n {
			w.code(0)
		}
		return
	}
	w.code(0)
	w.run(n - 1)
}

// firstRow is the first row of a card's image data: the bar and the
// background, from nothing above them.
var firstRow = bitsOf(func(w *bitWriter) {
	w.code(filterUp)
	w.code(int(blankRow[1]))
	w.run(barWidth - 1)
	w.zeros(Width - barWidth)
})
