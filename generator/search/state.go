package search

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
)

// An Index is kept between builds (the persistent cache) as bytes, so
// that `steward build` after an edit changes the last build's index where
// the edit changed it (Replace), as the dev server does with the one it
// keeps, rather than making it again from every essay's entry:
//
//	uvarint    the number of essays, then each one's length
//	postings   count, then each stem (length, bytes), its count of pairs,
//	           and the pairs (essay number minus the previous one's,
//	           weight), in order of essay
//	words      count, then each form, its stem and how many essays hold it
//	stops      count, then each stop word and how many essays hold it
//
// The order of stems, words and stops is the maps' (the bytes are for the
// cache alone; Files' output does not depend on them).

var errState = errors.New("search: damaged index state")

// Encode returns the index as kept between builds (see DecodeIndex).
func (ix *Index) Encode() []byte {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	n := 16 + 4*len(ix.lens) + 24*len(ix.words)
	for _, p := range ix.postings {
		n += 8 + 3*len(p)
	}
	b := make([]byte, 0, n)
	uv := func(v int) { b = binary.AppendUvarint(b, uint64(v)) }
	str := func(s string) {
		uv(len(s))
		b = append(b, s...)
	}
	uv(len(ix.lens))
	for _, l := range ix.lens {
		uv(l)
	}
	uv(len(ix.postings))
	var pairs [][2]int32
	for stem, p := range ix.postings {
		sortPostings(p, &pairs)
		str(stem)
		uv(len(p) / 2)
		prev := int32(0)
		for i := 0; i+1 < len(p); i += 2 {
			uv(int(p[i] - prev))
			uv(int(p[i+1]))
			prev = p[i]
		}
	}
	uv(len(ix.words))
	for form, stem := range ix.words {
		str(form)
		str(stem)
		uv(ix.wordRefs[form])
	}
	uv(len(ix.stops))
	for s := range ix.stops {
		str(s)
		uv(ix.stopRefs[s])
	}
	return b
}

// DecodeIndex returns the index that Encode made. Its postings are in
// order of essay, as Files writes them.
func DecodeIndex(b []byte) (*Index, error) {
	r := &reader{b: b, max: func(int) uint64 { return math.MaxInt32 }}
	uv, str := r.uv, r.str
	// count reads a count of items of at least min bytes each, refusing
	// one the bytes left cannot hold (a damaged count must not make a
	// huge allocation).
	count := func(min int) int {
		n := uv()
		if n > len(r.b)/min {
			r.bad, r.b = true, nil
			return 0
		}
		return n
	}
	ix := NewIndex(count(1))
	for i := range ix.lens {
		ix.lens[i] = uv()
	}
	np := count(2)
	for range np {
		if r.bad {
			break
		}
		stem := str()
		n := count(2)
		p := make([]int32, 2*n)
		id := 0
		for k := range n {
			id += uv()
			if id >= len(ix.lens) {
				r.bad = true
			}
			p[2*k], p[2*k+1] = int32(id), int32(uv())
		}
		ix.postings[stem] = p
	}
	nw := count(3)
	for range nw {
		if r.bad {
			break
		}
		form, stem := str(), str()
		ix.words[form], ix.wordRefs[form] = stem, uv()
	}
	ns := count(2)
	for range ns {
		if r.bad {
			break
		}
		s := str()
		ix.stops[s], ix.stopRefs[s] = true, uv()
	}
	if r.bad || len(r.b) != 0 || len(ix.postings) != np || len(ix.words) != nw || len(ix.stops) != ns {
		return nil, errState
	}
	return ix, nil
}

// sortPostings puts postings p (pairs of essay number and weight) in
// order of essay, in place. pairs is scratch room.
func sortPostings(p []int32, pairs *[][2]int32) {
	sorted := true
	for k := 2; k+1 < len(p); k += 2 {
		if p[k] < p[k-2] {
			sorted = false
			break
		}
	}
	if sorted {
		return
	}
	ps := (*pairs)[:0]
	for i := 0; i+1 < len(p); i += 2 {
		ps = append(ps, [2]int32{p[i], p[i+1]})
	}
	*pairs = ps
	slices.SortFunc(ps, func(a, b [2]int32) int { return int(a[0]) - int(b[0]) })
	for i, pr := range ps {
		p[2*i], p[2*i+1] = pr[0], pr[1]
	}
}
