package search

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"maps"
	"slices"
	"strings"
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
//	terms      count, then each stem (length, bytes) and its weight, by stem
//	words      count, then each word and its stem, by word
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
	for _, t := range slices.Sorted(maps.Keys(e.Terms)) {
		str(t)
		b = binary.AppendUvarint(b, uint64(e.Terms[t]))
	}
	b = binary.AppendUvarint(b, uint64(len(e.Words)))
	for _, w := range slices.Sorted(maps.Keys(e.Words)) {
		str(w)
		str(e.Words[w])
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

// DecodeEntry decodes an entry that Encode made, for the essay whose URL,
// title and date are given (they are not kept). Its Text is empty:
// HasText reports false, and ResultSum is the kept one.
func DecodeEntry(b []byte, url, title, date string) (*Entry, error) {
	if len(b) < 32 {
		return nil, errEntry
	}
	sum := [32]byte(b[:32])
	b = b[32:]
	bad := false
	uv := func() int {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > uint64(len(b))<<8 {
			bad = true
			b = nil
			return 0
		}
		b = b[n:]
		return int(v)
	}
	str := func() string {
		n := uv()
		if bad || n > len(b) {
			bad = true
			b = nil
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	e := &Entry{URL: url, Title: title, Date: date, resultSum: &sum}
	for range uv() {
		if bad {
			break
		}
		str()
		uv()
	}
	e.Length = uv()
	n := uv()
	e.Terms = make(map[string]int, min(n, len(b)))
	for range n {
		if bad {
			break
		}
		t := str()
		e.Terms[t] = uv()
	}
	n = uv()
	e.Words = make(map[string]string, min(n, len(b)))
	for range n {
		if bad {
			break
		}
		w := str()
		e.Words[w] = str()
	}
	n = uv()
	for range n {
		if bad {
			break
		}
		e.Stops = append(e.Stops, str())
	}
	if bad || len(b) != 0 {
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
	top := make([]Term, 0, len(e.Terms))
	for t, w := range e.Terms {
		top = append(top, Term{t, w})
	}
	slices.SortFunc(top, func(a, b Term) int {
		if a.Weight != b.Weight {
			return b.Weight - a.Weight
		}
		return strings.Compare(a.Stem, b.Stem)
	})
	return top[:min(TopTerms, len(top))]
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

// HasText reports whether the entry holds its text (one decoded from
// Encode's bytes does not).
func (e *Entry) HasText() bool { return e.resultSum == nil }
