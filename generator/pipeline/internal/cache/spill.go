package cache

import (
	"bufio"
	"cmp"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/markdown"
)

// A build's new conversions, analyses and front matter are encoded as they are added
// and written to the file spill in the cache folder, and Save copies them
// from there into the index (or the journal record) as the codec writes
// it. Held in memory until the save, as they were, a one-shot build of
// 10,000 essays kept every essay's conversion (summaries, headings, links)
// and analysis alive to the end, some 35 MB of live heap, which the
// collector let grow to twice that: the largest part of the build's peak
// memory that nothing but the cache needed. The file holds what index.bin
// will, in the same encoding, so writing and reading it back costs a copy,
// not another encoding.

// spillName is the spill file in the cache folder, removed when the cache
// is released, and at Open if a build that was killed left it.
const spillName = "spill"

// spillFlush is how much is encoded before it is written out.
const spillFlush = 64 << 10

// spill is the file of this build's new conversions and analyses.
type spill struct {
	f    *os.File // nil until the first entry
	buf  []byte   // encoded, not yet written
	size int64    // written to f
	// results are the spans of the conversions (the presence byte and the
	// encoded Result of cachedResult, without Off, Len and Sum, which
	// Save takes from Cache.used, as compacting the pack changes Off);
	// analyses are the spans of the analyses' bytes.
	results  map[string]span
	analyses map[[32]byte]span
	// fronts are the spans of front matter, which, unlike the others, is
	// not in Cache.fronts too (a map of 10,000 FrontMatter values would
	// take 3 MB).
	fronts map[[32]byte]span
}

// span is where an entry is in the spill file.
type span struct{ off, n int64 }

// add encodes one entry with enc and returns its span; the caller holds
// the cache's mutex.
func (s *spill) add(dir string, enc func(e *encoder)) (span, error) {
	if s.f == nil {
		f, err := os.OpenFile(filepath.Join(dir, spillName), os.O_CREATE|os.O_TRUNC|os.O_RDWR, 0o644)
		if err != nil {
			return span{}, err
		}
		s.f, s.buf = f, make([]byte, 0, 2*spillFlush)
	}
	e := encoder{b: s.buf}
	start := len(e.b)
	enc(&e)
	if e.err != nil {
		s.buf = e.b[:start]
		return span{}, e.err
	}
	s.buf = e.b
	sp := span{s.size + int64(start), int64(len(e.b) - start)}
	if len(s.buf) >= spillFlush {
		if err := s.flush(); err != nil {
			return span{}, err
		}
	}
	return sp, nil
}

func (s *spill) flush() error {
	if s.f == nil || len(s.buf) == 0 {
		return nil
	}
	n, err := s.f.Write(s.buf)
	s.size += int64(n)
	s.buf = s.buf[:0]
	return err
}

// addResult spills the conversion r (without its HTML) under key.
func (s *spill) addResult(dir, key string, r *markdown.Result) error {
	sp, err := s.add(dir, func(e *encoder) {
		e.bool(true)
		encResult(e, r)
	})
	if err != nil {
		return err
	}
	if s.results == nil {
		s.results = map[string]span{}
	}
	s.results[key] = sp
	return nil
}

// addAnalysis spills the analysis b under key.
func (s *spill) addAnalysis(dir string, key [32]byte, b []byte) error {
	sp, err := s.add(dir, func(e *encoder) { e.b = append(e.b, b...) })
	if err != nil {
		return err
	}
	if s.analyses == nil {
		s.analyses = map[[32]byte]span{}
	}
	s.analyses[key] = sp
	return nil
}

// addFront spills the front matter f under key.
func (s *spill) addFront(dir string, key [32]byte, f *content.FrontMatter) error {
	sp, err := s.add(dir, func(e *encoder) { encFront(e, f) })
	if err != nil {
		return err
	}
	if s.fronts == nil {
		s.fronts = map[[32]byte]span{}
	}
	s.fronts[key] = sp
	return nil
}

// release closes and removes the spill file.
func (s *spill) release(dir string) {
	if s.f != nil {
		s.f.Close()
		os.Remove(dir + string(os.PathSeparator) + spillName)
	}
	*s = spill{}
}

// resultAt returns the span of the conversion spilled under key; s may be
// nil.
func (s *spill) resultAt(key string) (span, bool) {
	if s == nil {
		return span{}, false
	}
	at, ok := s.results[key]
	return at, ok
}

// analysisAt returns the span of the analysis spilled under key; s may be
// nil.
func (s *spill) analysisAt(key [32]byte) (span, bool) {
	if s == nil {
		return span{}, false
	}
	at, ok := s.analyses[key]
	return at, ok
}

// spilled is one entry of a map the codec writes that is in the spill.
type spilled[K comparable] struct {
	key K
	at  span
}

// eachSpilled reads the spans of entries, in the file's order, handing
// each entry's bytes to f (valid until f returns). It reads the file
// once, from the start, skipping what no entry takes.
func eachSpilled[K comparable](s *spill, entries []spilled[K], f func(key K, rec []byte)) error {
	if len(entries) == 0 {
		return nil
	}
	if err := s.flush(); err != nil {
		return err
	}
	slices.SortFunc(entries, func(a, b spilled[K]) int { return cmp.Compare(a.at.off, b.at.off) })
	r := bufio.NewReaderSize(io.NewSectionReader(s.f, 0, s.size), spillFlush)
	var pos int64
	var rec []byte
	for _, x := range entries {
		if _, err := r.Discard(int(x.at.off - pos)); err != nil {
			return err
		}
		rec = slices.Grow(rec[:0], int(x.at.n))[:x.at.n]
		if _, err := io.ReadFull(r, rec); err != nil {
			return err
		}
		pos = x.at.off + x.at.n
		f(x.key, rec)
	}
	return nil
}
