package build

import (
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"io"
	"time"

	"github.com/steward-ssg/steward/generator/layout"
)

// A page's fingerprint covers everything its template can reach, so the
// Builder renders again only pages whose fingerprint changed and a rebuild
// stays byte for byte what a fresh build makes. Neighbours and list items
// are shallow (layout.Essay's Prev and Next are nil on them), which bounds
// what an essay page can reach to its own essay and its two neighbours.

// hasher writes fields unambiguously: every string is length-prefixed.
type hasher struct{ h hash.Hash }

func newHasher() *hasher { return &hasher{h: sha256.New()} }

func (h *hasher) str(ss ...string) {
	var n [8]byte
	for _, s := range ss {
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.h.Write(n[:])
		io.WriteString(h.h, s)
	}
}

func (h *hasher) num(ns ...int) {
	var n [8]byte
	for _, v := range ns {
		binary.LittleEndian.PutUint64(n[:], uint64(v))
		h.h.Write(n[:])
	}
}

func (h *hasher) time(t time.Time) { h.str(t.UTC().Format(time.RFC3339Nano)) }

func (h *hasher) bytes(b []byte) { h.num(len(b)); h.h.Write(b) }

func (h *hasher) sum() (out [32]byte) {
	h.h.Sum(out[:0])
	return out
}

// essayDigest covers every field of a shallow essay.
func (g *generator) essayDigest(e *layout.Essay) [32]byte {
	if e == nil {
		return [32]byte{}
	}
	if d, ok := g.digests[e]; ok {
		return d
	}
	h := newHasher()
	h.str(e.Title, e.URL, e.Permalink, e.Author.Name, e.Author.Email, e.Author.URL, e.Description, string(e.Summary), e.SummaryText)
	h.time(e.Date)
	h.time(e.Lastmod)
	h.num(len(e.Tags), e.WordCount, e.ReadingTime, btoi(e.Draft), btoi(e.HasSelfCheck), btoi(e.ShowTOC), len(e.TOC))
	for _, t := range e.Tags {
		h.str(t.Name, t.Slug, t.URL)
		h.num(t.Count)
	}
	for _, t := range e.TOC {
		h.num(t.Level)
		h.str(t.ID, t.Text)
	}
	if e.Section != nil {
		h.str(e.Section.Label, e.Section.URL)
	}
	// The content is identified by its conversion's digest rather than
	// hashed again.
	d := g.contentDigest[e.URL]
	h.bytes(d[:])
	sum := h.sum()
	g.digests[e] = sum
	return sum
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// commonDigest covers what every page shares: Steward's version, the
// theme, the site's configuration, the tags, the build day.
func (g *generator) commonDigest() [32]byte {
	h := newHasher()
	h.str(Version)
	td := g.theme.Digest()
	h.bytes(td[:])
	s := g.siteData
	h.str(s.Title, s.Description, s.BaseURL, s.Language, s.Author.Name, s.Author.Email, s.Author.URL, s.FeedURL)
	h.num(len(s.Menu))
	for _, m := range s.Menu {
		h.str(m.Label, m.URL)
	}
	h.bytes(g.paramsJSON)
	h.num(len(g.tags))
	for _, t := range g.tags {
		h.str(t.Name, t.Slug, t.URL)
		h.num(t.Count)
	}
	h.time(g.now.UTC().Truncate(24 * time.Hour))
	return h.sum()
}

// fingerprint covers one page's data.
func (g *generator) fingerprint(common [32]byte, d *layout.Data) [32]byte {
	h := newHasher()
	h.bytes(common[:])
	h.str(d.Kind, d.Page.Title, d.Page.Description, d.Page.URL, d.Page.Permalink, string(d.Page.Content))
	h.num(d.Page.PageNumber)
	a := d.Assets
	h.str(a.Stylesheet, a.SyntaxCSS, a.SelfCheckJS, a.SelfCheckCSS)
	if e := d.Essay; e != nil {
		for _, x := range []*layout.Essay{e, e.Prev, e.Next} {
			dg := g.essayDigest(x)
			h.bytes(dg[:])
		}
	}
	h.num(len(d.Essays))
	for _, e := range d.Essays {
		dg := g.essayDigest(e)
		h.bytes(dg[:])
	}
	if p := d.Paginator; p != nil {
		h.num(1, p.PageNumber, p.TotalPages, p.TotalEssays)
		h.str(p.PrevURL, p.NextURL)
	}
	if t := d.Tag; t != nil {
		h.str(t.Name, t.Slug, t.URL)
		h.num(t.Count)
	}
	h.num(len(d.Sections))
	for _, s := range d.Sections {
		h.str(s.Label, s.URL)
	}
	return h.sum()
}
