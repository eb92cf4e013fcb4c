package search

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"maps"
	"slices"
)

// An Entry is kept between builds (the persistent cache) as bytes, without
// its Text, which is long and needed only when its result file must be
// written again: what is kept is the fingerprint of that file's bytes,
// so a later build reuses the file unread, or makes the text again from
// the essay's HTML when the file is gone.
//
//	32 bytes   the SHA-256 of the result file's bytes (see ResultSum)
//	uvarint    Length
//	terms      count, then each stem (length, bytes) and its weight, by stem
//	words      count, then each word and its stem, by word
//	stops      count, then each stop word, in order

// Encode returns the entry as kept between builds.
func (e *Entry) Encode() []byte {
	b := make([]byte, 0, 32+16*len(e.Terms)+16*len(e.Words))
	sum := e.ResultSum()
	b = append(b, sum[:]...)
	b = binary.AppendUvarint(b, uint64(e.Length))
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
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
	return sha256.Sum256(Result(0, e).Data)
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

// HasText reports whether the entry holds its text (one decoded from
// Encode's bytes does not).
func (e *Entry) HasText() bool { return e.resultSum == nil }
