package search

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
)

// An Entry is kept between builds (the persistent cache) as bytes, without
// its Text, which is long and needed only when its result file must be
// written again: what is kept is the fingerprint of that file's bytes,
// so a later build reuses the file unread, or makes the text again from
// the essay's HTML when the file is gone.
//
//	32 bytes   the SHA-256 of the result file's bytes (see ResultSum)
//	top        count, then each of Top's stems and weights, in its order
//	uvarint    Length
//	terms      count, then each stem (length, bytes) and its weight, in order
//	words      count, then each word and its stem, in order
//	stops      count, then each stop word, in order

// Encode returns the entry as kept between builds.
func (e *Entry) Encode() []byte {
	b := make([]byte, 0, 32+16*len(e.Terms)+16*len(e.Words))
	sum := e.ResultSum()
	b = append(b, sum[:]...)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	top := e.Top()
	b = binary.AppendUvarint(b, uint64(len(top)))
	for _, t := range top {
		str(t.Stem)
		b = binary.AppendUvarint(b, uint64(t.Weight))
	}
	b = binary.AppendUvarint(b, uint64(e.Length))
	b = binary.AppendUvarint(b, uint64(len(e.Terms)))
	for _, t := range e.Terms {
		str(t.Stem)
		b = binary.AppendUvarint(b, uint64(t.Weight))
	}
	b = binary.AppendUvarint(b, uint64(len(e.Words)))
	for _, w := range e.Words {
		str(w.Form)
		str(w.Stem)
	}
	b = binary.AppendUvarint(b, uint64(len(e.Stops)))
	for _, s := range e.Stops {
		str(s)
	}
	return b
}

// ResultSum is the SHA-256 of the entry's result file's bytes (see
// Result), whatever its number.
func (e *Entry) ResultSum() [32]byte {
	if e.resultSum != nil {
		return *e.resultSum
	}
	if e.madeSum != nil {
		return *e.madeSum
	}
	return sha256.Sum256(e.resultData())
}

// EncodedResultSum returns the ResultSum of an encoded entry without
// decoding it.
func EncodedResultSum(b []byte) ([32]byte, bool) {
	if len(b) < 32 {
		return [32]byte{}, false
	}
	return [32]byte(b[:32]), true
}

var errEntry = errors.New("search: damaged entry")

// reader reads the uvarints and strings that Encode and Index.Encode
// write; a read past the end or of a value above max (of the bytes left)
// sets bad and empties what is left, so every later read fails too.
type reader struct {
	b   []byte
	bad bool
	max func(left int) uint64
}

func (r *reader) uv() int {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > r.max(len(r.b)) {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

func (r *reader) str() string {
	n := r.uv()
	if r.bad || n > len(r.b) {
		r.bad, r.b = true, nil
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// DecodeEntry decodes an entry that Encode made, for the essay whose URL,
// title and date are given (they are not kept). Its Text is empty:
// HasText reports false, and ResultSum is the kept one.
func DecodeEntry(b []byte, url, title, date string) (*Entry, error) {
	if len(b) < 32 {
		return nil, errEntry
	}
	sum := [32]byte(b[:32])
	r := &reader{b: b[32:], max: func(left int) uint64 { return uint64(left) << 8 }}
	uv, str := r.uv, r.str
	e := &Entry{URL: url, Title: title, Date: date, resultSum: &sum}
	for range uv() {
		if r.bad {
			break
		}
		str()
		uv()
	}
	e.Length = uv()
	n := uv()
	e.Terms = make([]Term, 0, min(n, len(r.b)))
	for range n {
		if r.bad {
			break
		}
		t := str()
		e.Terms = append(e.Terms, Term{t, uv()})
	}
	n = uv()
	if n > 0 {
		e.Words = make([]Word, 0, min(n, len(r.b)))
	}
	for range n {
		if r.bad {
			break
		}
		w := str()
		e.Words = append(e.Words, Word{w, str()})
	}
	n = uv()
	for range n {
		if r.bad {
			break
		}
		e.Stops = append(e.Stops, str())
	}
	if r.bad || len(r.b) != 0 {
		return nil, errEntry
	}
	return e, nil
}

// TopTerms is how many terms Top gives.
const TopTerms = 16

// Term is a stem and its weighted count in an essay.
type Term struct {
	Stem   string
	Weight int
}

// Top returns the entry's TopTerms terms of most weight (ties by stem),
// by weight.
func (e *Entry) Top() []Term {
	top := make([]Term, 0, min(TopTerms, len(e.Terms)))
	for _, t := range e.Terms {
		if len(top) == TopTerms && !before(t, top[len(top)-1]) {
			continue
		}
		if len(top) < TopTerms {
			top = append(top, t)
		}
		// In its place, the last of a full list dropped.
		k := len(top) - 1
		for ; k > 0 && before(t, top[k-1]); k-- {
			top[k] = top[k-1]
		}
		top[k] = t
	}
	return top
}

// before reports whether term a comes before b in Top's order.
func before(a, b Term) bool {
	return a.Weight > b.Weight || a.Weight == b.Weight && a.Stem < b.Stem
}

// DecodeTop returns the Top of an encoded entry, decoding nothing else.
func DecodeTop(b []byte) ([]Term, error) {
	if len(b) < 32 {
		return nil, errEntry
	}
	b = b[32:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > TopTerms {
		return nil, errEntry
	}
	b = b[k:]
	top := make([]Term, 0, n)
	for range n {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return nil, errEntry
		}
		stem := string(b[k : k+int(l)])
		b = b[k+int(l):]
		w, k := binary.Uvarint(b)
		if k <= 0 {
			return nil, errEntry
		}
		b = b[k:]
		top = append(top, Term{stem, int(w)})
	}
	return top, nil
}

// WithText returns a copy of an entry decoded without its text, with the
// text of the essay's HTML, as Analyze would have kept it.
func (e *Entry) WithText(html []byte) *Entry {
	c := *e
	c.Text, c.resultSum = cutText(Text(html)), nil
	return &c
}

// LetGoText lets go of the entry's text once ResultFile made its result
// file (the text is most of an entry, and the file holds it): ResultSum
// is then that file's, and WithText makes the text again from the
// essay's HTML should the file be needed under another number.
func (e *Entry) LetGoText() {
	if e.madeSum != nil {
		e.Text, e.resultSum = "", e.madeSum
	}
}

// HasText reports whether the entry holds its text (one decoded from
// Encode's bytes, or that let go of it, does not).
func (e *Entry) HasText() bool { return e.resultSum == nil }
