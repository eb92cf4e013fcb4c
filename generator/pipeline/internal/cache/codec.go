package cache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"maps"
	"math"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/markdown"
)

// The cache's index and journal are written with the small binary codec
// below rather than encoding/gob: a warm build decodes the whole index in a
// fresh process, and gob's reflection and type compilation were most of
// that cost. Every field is written in a fixed order, so a field added to a
// type written here must be added to its enc and dec functions too;
// TestCodecRoundTrip fills every field by reflection and fails otherwise.
//
// Integers are varints (zigzag for signed ones); strings and byte slices
// are a length and the bytes; [32]byte keys are raw; times are
// time.Time.MarshalBinary, length-prefixed, which keeps the zone offset as
// gob did. A slice or map is its length plus one, zero meaning nil, so
// nil-ness survives the round trip; a pointer is a presence byte.
//
// index.bin is indexMagic, the format (cacheFormat), the index, the
// offsets in the file of its four parts (see indexParts), and the CRC-32C
// of everything before it. A journal record is its payload's length
// and CRC-32C (4 bytes each, little-endian), then the format and the delta.

const indexMagic = "STWINDEX"

// recordHead is the length and checksum before each journal record.
const recordHead = 8

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var errCorrupt = errors.New("build cache: damaged")

// encoder appends to b. With w set, spill writes b out whenever it has
// grown past spillSize, keeping a running checksum, so that a large index
// is not held whole in memory. The first failure (of w, or of
// time.Time.MarshalBinary for a zone offset it cannot represent) is kept in
// err.
type encoder struct {
	b   []byte
	err error
	w   io.Writer
	crc uint32 // of what was written to w
	n   int64  // how many bytes were written to w
}

// offset is where the next byte goes, counted from the first.
func (e *encoder) offset() int64 { return e.n + int64(len(e.b)) }

const spillSize = 64 << 10

func (e *encoder) spill() {
	if e.w == nil || len(e.b) < spillSize {
		return
	}
	e.crc = crc32.Update(e.crc, castagnoli, e.b)
	e.n += int64(len(e.b))
	if _, err := e.w.Write(e.b); err != nil && e.err == nil {
		e.err = err
	}
	e.b = e.b[:0]
}

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) int(v int)        { e.b = binary.AppendVarint(e.b, int64(v)) }

func (e *encoder) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// bytes writes p's length plus one (zero for nil), then p.
func (e *encoder) bytes(p []byte) {
	e.count(len(p), p == nil)
	e.b = append(e.b, p...)
}

func (e *encoder) key(k [32]byte) { e.b = append(e.b, k[:]...) }

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// count writes the length of a slice or map plus one, or zero for nil.
func (e *encoder) count(n int, isNil bool) {
	if isNil {
		e.uvarint(0)
	} else {
		e.uvarint(uint64(n) + 1)
	}
}

func (e *encoder) time(t time.Time) {
	p, err := t.MarshalBinary()
	if err != nil && e.err == nil {
		e.err = err
	}
	e.bytes(p)
}

func (e *encoder) strs(s []string) {
	e.count(len(s), s == nil)
	for _, v := range s {
		e.str(v)
	}
}

func (e *encoder) keys(s [][32]byte) {
	e.count(len(s), s == nil)
	for _, k := range s {
		e.key(k)
	}
}

// decoder reads what encoder wrote. The first error sticks: every later
// read returns a zero value, so a caller checks err once at the end. It
// never panics and never allocates more than the input can describe: every
// length is checked against the bytes left.
//
// Strings are not copied: they point into the input (unsafe.String), which
// the caller must therefore never modify afterwards; and byte slices are
// sub-slices of it with their capacity clipped, so an append copies. The
// index is read whole into one buffer, and its strings (summaries, mostly)
// are most of it: copying them made BenchmarkDecodeIndex take about twice
// as long (2.4 ms rather than 1.3 ms in one interleaved run; 16,400
// allocations and 2.3 MB rather than 3,000 and 1.0 MB). The cost is that
// one string kept keeps the whole buffer.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{errCorrupt}, args...)...)
		d.b = nil
	}
}

func (d *decoder) uvarint() uint64 {
	if len(d.b) > 0 && d.b[0] < 0x80 { // the common case: one byte
		v := d.b[0]
		d.b = d.b[1:]
		return uint64(v)
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	if len(d.b) > 0 && d.b[0] < 0x80 { // the common case: one byte
		u := int64(d.b[0])
		d.b = d.b[1:]
		return u>>1 ^ -(u & 1)
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int {
	v := d.varint()
	if int64(int(v)) != v {
		d.fail("integer out of range")
		return 0
	}
	return int(v)
}

// size reads a length of n bytes that must follow.
func (d *decoder) size() int {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail("length %d beyond the end", n)
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.size()
	if n == 0 {
		return ""
	}
	s := unsafe.String(&d.b[0], n)
	d.b = d.b[n:]
	return s
}

func (d *decoder) bytes() []byte {
	n, isNil := d.count(1)
	if isNil {
		return nil
	}
	p := d.b[:n:n]
	d.b = d.b[n:]
	return p
}

func (d *decoder) key() (k [32]byte) {
	if len(d.b) < 32 {
		d.fail("key beyond the end")
		return k
	}
	copy(k[:], d.b)
	d.b = d.b[32:]
	return k
}

func (d *decoder) bool() bool {
	if len(d.b) == 0 {
		d.fail("bool beyond the end")
		return false
	}
	v := d.b[0]
	d.b = d.b[1:]
	if v > 1 {
		d.fail("bad bool %d", v)
	}
	return v == 1
}

// count reads the length of a slice or map whose elements take at least
// least bytes each, so that a damaged length cannot ask for more memory than
// the input could fill.
func (d *decoder) count(least int) (n int, isNil bool) {
	v := d.uvarint()
	if v == 0 {
		return 0, d.err == nil
	}
	if v-1 > uint64(len(d.b)/least) {
		d.fail("count %d beyond the end", v-1)
		return 0, false
	}
	return int(v - 1), false
}

func (d *decoder) time() time.Time {
	var t time.Time
	p := d.bytes()
	if p == nil || d.err != nil {
		if d.err == nil {
			d.fail("missing time")
		}
		return t
	}
	if err := t.UnmarshalBinary(p); err != nil {
		d.fail("%v", err)
	}
	return t
}

func (d *decoder) strs() []string {
	n, isNil := d.count(1)
	if isNil || d.err != nil {
		return nil
	}
	s := make([]string, n)
	for i := range s {
		s[i] = d.str()
	}
	return s
}

func (d *decoder) keys() [][32]byte {
	n, isNil := d.count(32)
	if isNil || d.err != nil {
		return nil
	}
	s := make([][32]byte, n)
	for i := range s {
		s[i] = d.key()
	}
	return s
}

// The types of the index, each with its enc and dec. A field added to any
// of them must be added here.

func encPos(e *encoder, p diag.Pos) {
	e.str(p.File)
	e.int(p.Line)
	e.int(p.Col)
}

func decPos(d *decoder) diag.Pos {
	return diag.Pos{File: d.str(), Line: d.int(), Col: d.int()}
}

func encResult(e *encoder, r *markdown.Result) {
	// r.HTML is not written: the index keeps the HTML in html.pack.
	e.bytes(r.Summary)
	e.str(r.SummaryText)
	e.count(len(r.Headings), r.Headings == nil)
	for _, h := range r.Headings {
		e.int(h.Level)
		e.str(h.ID)
		e.str(h.Text)
	}
	e.int(r.Words)
	e.count(len(r.Links), r.Links == nil)
	for _, l := range r.Links {
		e.str(l.Target)
		e.str(l.Fragment)
		e.str(l.URL)
		encPos(e, l.Pos)
	}
	e.strs(r.Anchors)
	e.int(r.SelfChecks)
	e.str(r.Unrun)
	e.count(len(r.Images), r.Images == nil)
	for _, im := range r.Images {
		e.str(im.Src)
		e.int(im.Width)
		e.int(im.Height)
	}
	e.count(len(r.Files), r.Files == nil)
	for _, f := range r.Files {
		e.str(f.Source)
		e.str(f.URL)
	}
	e.count(len(r.Paths), r.Paths == nil)
	for _, l := range r.Paths {
		e.str(l.Dest)
		encPos(e, l.Pos)
	}
	e.count(len(r.Diags), r.Diags == nil)
	for _, g := range r.Diags {
		e.bool(g != nil)
		if g != nil {
			encPos(e, g.Pos)
			e.int(int(g.Severity))
			e.str(g.Msg)
			e.str(g.Kind)
		}
	}
	e.key(r.Digest)
}

func decResult(d *decoder, r *markdown.Result) {
	r.Summary = d.bytes()
	r.SummaryText = d.str()
	if n, isNil := d.count(3); !isNil && d.err == nil {
		r.Headings = make([]markdown.Heading, n)
		for i := range r.Headings {
			h := &r.Headings[i]
			h.Level, h.ID, h.Text = d.int(), d.str(), d.str()
		}
	}
	r.Words = d.int()
	if n, isNil := d.count(6); !isNil && d.err == nil {
		r.Links = make([]markdown.Link, n)
		for i := range r.Links {
			l := &r.Links[i]
			l.Target, l.Fragment, l.URL = d.str(), d.str(), d.str()
			l.Pos = decPos(d)
		}
	}
	r.Anchors = d.strs()
	r.SelfChecks = d.int()
	r.Unrun = d.str()
	if n, isNil := d.count(3); !isNil && d.err == nil {
		r.Images = make([]markdown.Image, n)
		for i := range r.Images {
			im := &r.Images[i]
			im.Src, im.Width, im.Height = d.str(), d.int(), d.int()
		}
	}
	if n, isNil := d.count(2); !isNil && d.err == nil {
		r.Files = make([]markdown.FileRef, n)
		for i := range r.Files {
			f := &r.Files[i]
			f.Source, f.URL = d.str(), d.str()
		}
	}
	if n, isNil := d.count(4); !isNil && d.err == nil {
		r.Paths = make([]markdown.PathLink, n)
		for i := range r.Paths {
			l := &r.Paths[i]
			l.Dest = d.str()
			l.Pos = decPos(d)
		}
	}
	if n, isNil := d.count(1); !isNil && d.err == nil {
		r.Diags = make(diag.List, n)
		for i := range r.Diags {
			if d.bool() {
				r.Diags[i] = &diag.Diagnostic{Pos: decPos(d), Severity: diag.Severity(d.int()), Msg: d.str(), Kind: d.str()}
			}
		}
	}
	r.Digest = d.key()
}

func encFront(e *encoder, f *content.FrontMatter) {
	e.str(f.Title)
	e.time(f.Date)
	e.time(f.Lastmod)
	e.bool(f.Draft)
	e.strs(f.Tags)
	e.str(f.Summary)
	e.str(f.Description)
	e.str(f.Slug)
	e.str(f.Author)
	e.strs(f.Aliases)
	e.bool(f.NoSearch)
	e.str(f.Series)
	e.int(f.SeriesOrder)
	e.str(f.Image)
	encPos(e, f.ImagePos)
	encParams(e, f.Params)
}

func decFront(d *decoder) content.FrontMatter {
	var f content.FrontMatter
	f.Title = d.str()
	f.Date = d.time()
	f.Lastmod = d.time()
	f.Draft = d.bool()
	f.Tags = d.strs()
	f.Summary = d.str()
	f.Description = d.str()
	f.Slug = d.str()
	f.Author = d.str()
	f.Aliases = d.strs()
	f.NoSearch = d.bool()
	f.Series = d.str()
	f.SeriesOrder = d.int()
	f.Image = d.str()
	f.ImagePos = decPos(d)
	f.Params = decParams(d)
	return f
}

// Params values are the few types content.FrontMatter documents, each
// written after a tag.
const (
	anyNil byte = iota
	anyString
	anyFalse
	anyTrue
	anyInt
	anyFloat
	anyTime
	anyList
	anyMap
)

// maxAnyDepth bounds how deep a damaged file can make decAny recurse.
const maxAnyDepth = 10000

func encParams(e *encoder, m map[string]any) {
	e.count(len(m), m == nil)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		e.str(k)
		encAny(e, m[k])
	}
}

func decParams(d *decoder) map[string]any {
	return decAnyMap(d, 0)
}

func encAny(e *encoder, v any) {
	switch t := v.(type) {
	case nil:
		e.b = append(e.b, anyNil)
	case string:
		e.b = append(e.b, anyString)
		e.str(t)
	case bool:
		if t {
			e.b = append(e.b, anyTrue)
		} else {
			e.b = append(e.b, anyFalse)
		}
	case int64:
		e.b = append(e.b, anyInt)
		e.varint(t)
	case float64:
		e.b = append(e.b, anyFloat)
		e.uvarint(math.Float64bits(t))
	case time.Time:
		e.b = append(e.b, anyTime)
		e.time(t)
	case []any:
		e.b = append(e.b, anyList)
		e.count(len(t), t == nil)
		for _, x := range t {
			encAny(e, x)
		}
	case map[string]any:
		e.b = append(e.b, anyMap)
		encParams(e, t)
	default:
		if e.err == nil {
			e.err = fmt.Errorf("build cache: a front matter value of type %T", v)
		}
	}
}

func decAny(d *decoder, depth int) any {
	if depth > maxAnyDepth {
		d.fail("values nested too deep")
		return nil
	}
	if len(d.b) == 0 {
		d.fail("missing value")
		return nil
	}
	tag := d.b[0]
	d.b = d.b[1:]
	switch tag {
	case anyNil:
		return nil
	case anyString:
		return d.str()
	case anyFalse:
		return false
	case anyTrue:
		return true
	case anyInt:
		return d.varint()
	case anyFloat:
		return math.Float64frombits(d.uvarint())
	case anyTime:
		return d.time()
	case anyList:
		n, isNil := d.count(1)
		if isNil || d.err != nil {
			return []any(nil)
		}
		l := make([]any, n)
		for i := range l {
			l[i] = decAny(d, depth+1)
		}
		return l
	case anyMap:
		return decAnyMap(d, depth+1)
	}
	d.fail("unknown value tag %d", tag)
	return nil
}

func decAnyMap(d *decoder, depth int) map[string]any {
	n, isNil := d.count(2)
	if isNil || d.err != nil {
		return nil
	}
	m := make(map[string]any, n)
	for range n {
		k := d.str()
		m[k] = decAny(d, depth)
		if d.err != nil {
			return nil
		}
	}
	return m
}

// encDoc writes a page without its Raw and Body (see content.Known).
func encDoc(e *encoder, p *content.Doc) {
	e.str(p.Source)
	e.key(p.Hash)
	e.key(p.BodyHash)
	encFront(e, &p.Front)
	e.int(p.BodyLine)
	e.str(p.Title)
	e.str(p.Slug)
	e.str(p.URL)
	e.str(p.Dir)
	e.bool(p.IsIndex)
	e.count(len(p.Tags), p.Tags == nil)
	for _, t := range p.Tags {
		e.str(t.Name)
		e.str(t.Slug)
	}
}

func decDoc(d *decoder) *content.Doc {
	p := &content.Doc{}
	p.Source = d.str()
	p.Hash = d.key()
	p.BodyHash = d.key()
	p.Front = decFront(d)
	p.BodyLine = d.int()
	p.Title = d.str()
	p.Slug = d.str()
	p.URL = d.str()
	p.Dir = d.str()
	p.IsIndex = d.bool()
	if n, isNil := d.count(2); !isNil && d.err == nil {
		p.Tags = make([]content.Tag, n)
		for i := range p.Tags {
			p.Tags[i].Name = d.str()
			p.Tags[i].Slug = d.str()
		}
	}
	return p
}

func encKnown(e *encoder, k *content.Known) {
	e.varint(k.Stamp.Size)
	e.varint(k.Stamp.MTime)
	e.varint(k.Stamp.CTime)
	e.uvarint(k.Stamp.Ino)
	e.uvarint(k.Stamp.Dev)
	e.bool(k.Doc != nil)
	if k.Doc != nil {
		encDoc(e, k.Doc)
	}
}

func decKnown(d *decoder) content.Known {
	var k content.Known
	k.Stamp.Size = d.varint()
	k.Stamp.MTime = d.varint()
	k.Stamp.CTime = d.varint()
	k.Stamp.Ino = d.uvarint()
	k.Stamp.Dev = d.uvarint()
	if d.bool() {
		k.Doc = decDoc(d)
	} else {
		d.fail("file record without a page")
	}
	return k
}

func encFiles(e *encoder, m map[string]content.Known) {
	encMap(e, m, (*encoder).str, encKnown)
}

func decFiles(d *decoder) map[string]content.Known {
	return decMap(d, minFileEntry, (*decoder).str, decKnown)
}

func encCachedResult(e *encoder, cr *cachedResult) {
	e.bool(cr.Res != nil)
	if cr.Res != nil {
		encResult(e, cr.Res)
	}
	e.varint(cr.Off)
	e.varint(cr.Len)
	e.key(cr.Sum)
}

// decCachedResult decodes into cr, its Result into one alloc provides.
func decCachedResult(d *decoder, cr *cachedResult, alloc func() *markdown.Result) {
	if d.bool() {
		r := alloc()
		decResult(d, r)
		cr.Res = r
	}
	cr.Off = d.varint()
	cr.Len = d.varint()
	cr.Sum = d.key()
}

func encCode(e *encoder, c *cachedCode) {
	e.bytes(c.HTML)
	e.int(c.Gen)
}

func decCode(d *decoder) cachedCode {
	return cachedCode{HTML: d.bytes(), Gen: d.int()}
}

func encOutRecord(e *encoder, r *OutRecord) {
	e.key(r.FP)
	e.varint(r.Size)
	e.varint(r.MTime)
}

func decOutRecord(d *decoder) OutRecord {
	return OutRecord{FP: d.key(), Size: d.varint(), MTime: d.varint()}
}

// The minimum encoded sizes of a map entry, for decoder.count.
const (
	minResultEntry = 1 + 1 + 1 + 1 + 32 // key, Res absent, Off, Len, Sum
	minFrontEntry  = 32 + 1 + 2*1 + 1 + 1 + 4*1 + 1
	minFileEntry   = 1 + 5 + 1 // path, stamp, page present
	minCodeEntry   = 32 + 1 + 1
	minOutEntry    = 1 + 32 + 1 + 1
	minOutDir      = 1 + 1
)

// encMap writes a map: its count (see count), then each key and value.
func encMap[K comparable, V any](e *encoder, m map[K]V, key func(*encoder, K), val func(*encoder, *V)) {
	e.count(len(m), m == nil)
	for k, v := range m {
		key(e, k)
		val(e, &v)
		e.spill()
	}
}

// decMap reads a map written by encMap; least is the fewest bytes an
// entry takes, which bounds the count a damaged file can claim.
func decMap[K comparable, V any](d *decoder, least int, key func(*decoder) K, val func(*decoder) V) map[K]V {
	n, isNil := d.count(least)
	if isNil || d.err != nil {
		return nil
	}
	m := make(map[K]V, n)
	for range n {
		k := key(d)
		v := val(d)
		if d.err != nil {
			return nil
		}
		m[k] = v
	}
	return m
}

// encResults writes the conversions of m, those in the spill sp (which
// may be nil) copied from there.
func encResults(e *encoder, m map[string]cachedResult, sp *spill) {
	e.count(len(m), m == nil)
	var later []spilled[string]
	for k, cr := range m {
		if at, ok := sp.resultAt(k); ok {
			later = append(later, spilled[string]{k, at})
			continue
		}
		e.str(k)
		encCachedResult(e, &cr)
		e.spill()
	}
	err := eachSpilled(sp, later, func(k string, rec []byte) {
		// rec is what encCachedResult writes before Off, Len and Sum.
		cr := m[k]
		e.str(k)
		e.b = append(e.b, rec...)
		e.varint(cr.Off)
		e.varint(cr.Len)
		e.key(cr.Sum)
		e.spill()
	})
	if err != nil && e.err == nil {
		e.err = err
	}
}

func decResults(d *decoder) map[string]cachedResult {
	// The Results are allocated in blocks that double up to 256: few
	// allocations for an index, little waste for a journal record of one.
	var slab []markdown.Result
	block := 8
	alloc := func() *markdown.Result {
		if len(slab) == 0 {
			slab, block = make([]markdown.Result, block), min(256, 2*block)
		}
		r := &slab[0]
		slab = slab[1:]
		return r
	}
	return decMap(d, minResultEntry, (*decoder).str, func(d *decoder) cachedResult {
		var cr cachedResult
		decCachedResult(d, &cr, alloc)
		return cr
	})
}

// encFronts writes the front matter of m and all of the spill sp (which
// may be nil), copied from there: the spill's front matter is not in m
// (see spill.fronts), and it is all new.
func encFronts(e *encoder, m map[[32]byte]content.FrontMatter, sp *spill) {
	var later []spilled[[32]byte]
	if sp != nil {
		later = make([]spilled[[32]byte], 0, len(sp.fronts))
		for k, at := range sp.fronts {
			later = append(later, spilled[[32]byte]{k, at})
		}
	}
	e.count(len(m)+len(later), m == nil && len(later) == 0)
	for k, f := range m {
		e.key(k)
		encFront(e, &f)
		e.spill()
	}
	err := eachSpilled(sp, later, func(k [32]byte, rec []byte) {
		e.key(k)
		e.b = append(e.b, rec...)
		e.spill()
	})
	if err != nil && e.err == nil {
		e.err = err
	}
}

func decFronts(d *decoder) map[[32]byte]content.FrontMatter {
	return decMap(d, minFrontEntry, (*decoder).key, decFront)
}

func encCodes(e *encoder, m map[[32]byte]cachedCode) {
	encMap(e, m, (*encoder).key, encCode)
}

func decCodes(d *decoder) map[[32]byte]cachedCode {
	return decMap(d, minCodeEntry, (*decoder).key, decCode)
}

func encOutputs(e *encoder, m map[string]map[string]OutRecord) {
	encMap(e, m, (*encoder).str, func(e *encoder, files *map[string]OutRecord) {
		encMap(e, *files, (*encoder).str, encOutRecord)
	})
}

func decOutputs(d *decoder) map[string]map[string]OutRecord {
	return decMap(d, minOutDir, (*decoder).str, func(d *decoder) map[string]OutRecord {
		return decMap(d, minOutEntry, (*decoder).str, decOutRecord)
	})
}

func encStrMap(e *encoder, m map[string][]string) {
	encMap(e, m, (*encoder).str, func(e *encoder, v *[]string) { e.strs(*v) })
}

func decStrMap(d *decoder) map[string][]string {
	return decMap(d, 2, (*decoder).str, (*decoder).strs)
}

// encAnalyses writes the analyses of m, those in the spill sp (which may
// be nil) copied from there.
func encAnalyses(e *encoder, m map[[32]byte][]byte, sp *spill) {
	e.count(len(m), m == nil)
	var later []spilled[[32]byte]
	for k, b := range m {
		if at, ok := sp.analysisAt(k); ok {
			later = append(later, spilled[[32]byte]{k, at})
			continue
		}
		e.key(k)
		e.bytes(b)
		e.spill()
	}
	err := eachSpilled(sp, later, func(k [32]byte, rec []byte) {
		e.key(k)
		e.count(len(rec), false) // as bytes writes a slice that is not nil
		e.b = append(e.b, rec...)
		e.spill()
	})
	if err != nil && e.err == nil {
		e.err = err
	}
}

func decAnalyses(d *decoder) map[[32]byte][]byte {
	return decMap(d, 32+1, (*decoder).key, (*decoder).bytes)
}

func encSearchIndex(e *encoder, s *SearchIndex) {
	e.key(s.Key)
	encMap(e, s.Files, (*encoder).str, func(e *encoder, k *[32]byte) { e.key(*k) })
}

func decSearchIndex(d *decoder) SearchIndex {
	return SearchIndex{Key: d.key(), Files: decMap(d, 1+32, (*decoder).str, (*decoder).key)}
}

func encRelated(e *encoder, r *Related) {
	e.key(r.Key)
	e.count(len(r.Lists), r.Lists == nil)
	for _, l := range r.Lists {
		e.count(len(l), l == nil)
		for _, j := range l {
			e.int(j)
		}
	}
	e.spill()
}

func decRelated(d *decoder) Related {
	r := Related{Key: d.key()}
	n, isNil := d.count(1)
	if isNil || d.err != nil {
		return r
	}
	r.Lists = make([][]int, n)
	for i := range r.Lists {
		m, isNil := d.count(1)
		if d.err != nil {
			return Related{}
		}
		if isNil {
			continue
		}
		r.Lists[i] = make([]int, m)
		for k := range r.Lists[i] {
			r.Lists[i][k] = d.int()
		}
	}
	if d.err != nil {
		return Related{}
	}
	return r
}

// indexParts is how many parts of the index a reader decodes apart, each
// in its own goroutine (see decodeIndex): the conversions; the front
// matter, code blocks and output folders; the known files; the analyses,
// search index and related essays. Decoding a 10,000-essay index, some
// 70 ms, was the whole of a warm build's first step, on one core.
const indexParts = 4

// parallelIndex is the size from which decodeIndex decodes the parts at
// once; a small index is decoded sooner than goroutines start.
const parallelIndex = 1 << 20

// writeIndex writes the whole index file: magic, format, index, the
// offsets of its parts, checksum; the conversions and analyses in the
// spill sp (which may be nil) are copied from there.
func writeIndex(w io.Writer, idx *cacheIndex, sp *spill) error {
	e := encoder{b: make([]byte, 0, 2*spillSize), w: w}
	e.b = append(e.b, indexMagic...)
	e.uvarint(cacheFormat)
	e.int(idx.Format)
	e.str(idx.Engine)
	e.int(idx.Gen)
	e.varint(idx.PackLive)
	var parts [indexParts]int64
	parts[0] = e.offset()
	encResults(&e, idx.Results, sp)
	parts[1] = e.offset()
	encFronts(&e, idx.Fronts, sp)
	encCodes(&e, idx.Code)
	encOutputs(&e, idx.Outputs)
	parts[2] = e.offset()
	encFiles(&e, idx.Files)
	parts[3] = e.offset()
	encAnalyses(&e, idx.Analyses, sp)
	encSearchIndex(&e, &idx.Search)
	encRelated(&e, &idx.Related)
	for _, off := range parts {
		e.b = binary.LittleEndian.AppendUint64(e.b, uint64(off))
	}
	if e.err != nil {
		return e.err
	}
	e.b = binary.LittleEndian.AppendUint32(e.b, crc32.Update(e.crc, castagnoli, e.b))
	_, err := w.Write(e.b)
	return err
}

// decodeIndex decodes an index file, its parts at once when it is large.
// Its strings point into data, which must not be modified afterwards.
func decodeIndex(data []byte, idx *cacheIndex) error {
	const trailer = 8*indexParts + 4
	if len(data) < len(indexMagic)+trailer || string(data[:len(indexMagic)]) != indexMagic {
		return fmt.Errorf("%w: not an index", errCorrupt)
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(data[len(body):]) {
		return fmt.Errorf("%w: checksum mismatch", errCorrupt)
	}
	offsets := body[len(body)-8*indexParts:]
	body = body[:len(body)-len(offsets)]
	d := decoder{b: body[len(indexMagic):]}
	if f := d.uvarint(); f != cacheFormat {
		if d.err != nil {
			return d.err
		}
		return fmt.Errorf("build cache: index format %d, want %d", f, cacheFormat)
	}
	var x cacheIndex
	x.Format = d.int()
	x.Engine = d.str()
	x.Gen = d.int()
	x.PackLive = d.varint()
	if d.err != nil {
		return d.err
	}
	// The parts, each from its offset to the next (the last to the end).
	var parts [indexParts][]byte
	start := uint64(len(body) - len(d.b))
	for k := range parts {
		off := binary.LittleEndian.Uint64(offsets[8*k:])
		end := uint64(len(body))
		if k+1 < indexParts {
			end = binary.LittleEndian.Uint64(offsets[8*(k+1):])
		}
		if (k == 0 && off != start) || off > end || end > uint64(len(body)) {
			return fmt.Errorf("%w: bad offsets of the index's parts", errCorrupt)
		}
		parts[k] = body[off:end]
	}
	decode := [indexParts]func(d *decoder){
		func(d *decoder) { x.Results = decResults(d) },
		func(d *decoder) {
			x.Fronts = decFronts(d)
			x.Code = decCodes(d)
			x.Outputs = decOutputs(d)
		},
		func(d *decoder) { x.Files = decFiles(d) },
		func(d *decoder) {
			x.Analyses = decAnalyses(d)
			x.Search = decSearchIndex(d)
			x.Related = decRelated(d)
		},
	}
	var errs [indexParts]error
	part := func(k int) {
		d := decoder{b: parts[k]}
		decode[k](&d)
		if d.err == nil && len(d.b) > 0 {
			d.fail("%d bytes after part %d of the index", len(d.b), k)
		}
		errs[k] = d.err
	}
	if len(body) < parallelIndex {
		for k := range parts {
			part(k)
		}
	} else {
		var wg sync.WaitGroup
		for k := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				part(k)
			}()
		}
		wg.Wait()
	}
	if err := errors.Join(errs[:]...); err != nil {
		return err
	}
	*idx = x
	return nil
}

// appendRecord appends one journal record holding d, its conversions and
// analyses in the spill sp (which may be nil) copied from there.
func appendRecord(b []byte, delta *cacheDelta, sp *spill) ([]byte, error) {
	start := len(b)
	e := encoder{b: append(b, make([]byte, recordHead)...)}
	e.uvarint(cacheFormat)
	e.int(delta.Gen)
	e.varint(delta.PackLive)
	encResults(&e, delta.Results, sp)
	e.strs(delta.Dropped)
	encFronts(&e, delta.Fronts, sp)
	e.keys(delta.DropFr)
	encCodes(&e, delta.Code)
	e.keys(delta.DropCode)
	encOutputs(&e, delta.Outputs)
	encStrMap(&e, delta.DropOut)
	e.strs(delta.DropDirs)
	encFiles(&e, delta.Files)
	e.strs(delta.DropFile)
	encAnalyses(&e, delta.Analyses, sp)
	e.keys(delta.DropAna)
	encSearchIndex(&e, &delta.Search)
	e.bool(delta.HasRelated)
	if delta.HasRelated {
		encRelated(&e, &delta.Related)
	}
	if e.err != nil {
		return b, e.err
	}
	payload := e.b[start+recordHead:]
	if uint64(len(payload)) > 1<<32-1 {
		return b, errors.New("build cache: journal record too large")
	}
	binary.LittleEndian.PutUint32(e.b[start:], uint32(len(payload)))
	binary.LittleEndian.PutUint32(e.b[start+4:], crc32.Checksum(payload, castagnoli))
	return e.b, nil
}

// nextRecord decodes the journal record at the start of data and returns
// the bytes after it. A record cut short, damaged or of another format is
// an error.
func nextRecord(data []byte, delta *cacheDelta) ([]byte, error) {
	if len(data) < recordHead {
		return nil, fmt.Errorf("%w: journal record cut short", errCorrupt)
	}
	size := binary.LittleEndian.Uint32(data)
	if uint64(size) > uint64(len(data)-recordHead) {
		return nil, fmt.Errorf("%w: journal record cut short", errCorrupt)
	}
	payload := data[recordHead : recordHead+int(size)]
	if crc32.Checksum(payload, castagnoli) != binary.LittleEndian.Uint32(data[4:]) {
		return nil, fmt.Errorf("%w: journal record checksum mismatch", errCorrupt)
	}
	d := decoder{b: payload}
	if f := d.uvarint(); f != cacheFormat {
		if d.err != nil {
			return nil, d.err
		}
		return nil, fmt.Errorf("build cache: journal format %d, want %d", f, cacheFormat)
	}
	var x cacheDelta
	x.Gen = d.int()
	x.PackLive = d.varint()
	x.Results = decResults(&d)
	x.Dropped = d.strs()
	x.Fronts = decFronts(&d)
	x.DropFr = d.keys()
	x.Code = decCodes(&d)
	x.DropCode = d.keys()
	x.Outputs = decOutputs(&d)
	x.DropOut = decStrMap(&d)
	x.DropDirs = d.strs()
	x.Files = decFiles(&d)
	x.DropFile = d.strs()
	x.Analyses = decAnalyses(&d)
	x.DropAna = d.keys()
	x.Search = decSearchIndex(&d)
	if x.HasRelated = d.bool(); x.HasRelated {
		x.Related = decRelated(&d)
	}
	if d.err == nil && len(d.b) > 0 {
		d.fail("%d bytes after the journal record", len(d.b))
	}
	if d.err != nil {
		return nil, d.err
	}
	*delta = x
	return data[recordHead+int(size):], nil
}
