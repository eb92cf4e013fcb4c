package pipeline

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"time"

	"github.com/steward-ssg/steward/generator/layout"
)

// A page's fingerprint covers everything its template can reach, so a page
// is rendered again only when its fingerprint changed, and a rebuild stays
// byte for byte what a fresh build makes. Neighbours and list items are
// shallow (no Content, Prev or Next; see layout.Essay), which bounds what a
// page can reach: its own data, its essay, that essay's two neighbours,
// the essays it lists, and what every page shares.

// hasher writes fields unambiguously: every string is length-prefixed.
// Fields are gathered in a buffer and hashed once: a page's fields are
// many and short, and feeding them to SHA-256 one by one cost a dev-server
// rebuild of 10,000 essays more than the hashing itself.
type hasher struct{ b []byte }

// hashers are reused: a dev-server rebuild of 10,000 essays takes some
// 15,000 of them, and their buffers were a fifth of what it allocated.
var hashers = sync.Pool{New: func() any { return &hasher{b: make([]byte, 0, 1024)} }}

func newHasher() *hasher {
	h := hashers.Get().(*hasher)
	h.b = h.b[:0]
	return h
}

func (h *hasher) str(ss ...string) {
	for _, s := range ss {
		h.b = binary.LittleEndian.AppendUint64(h.b, uint64(len(s)))
		h.b = append(h.b, s...)
	}
}

func (h *hasher) num(ns ...int) {
	for _, v := range ns {
		h.b = binary.LittleEndian.AppendUint64(h.b, uint64(v))
	}
}

// time writes an instant (not its zone: pages show times in UTC).
func (h *hasher) time(t time.Time) { h.num(int(t.Unix()), t.Nanosecond()) }

func (h *hasher) bytes(b []byte) { h.num(len(b)); h.b = append(h.b, b...) }

// sum returns the hash and gives the hasher back: it must not be used after.
func (h *hasher) sum() [32]byte {
	out := sha256.Sum256(h.b)
	if cap(h.b) <= 1<<20 {
		hashers.Put(h)
	}
	return out
}

// essayDigest covers every field of a shallow essay without hashing its
// text again: what comes from the file is covered by the file's hash, what
// comes from its conversion by the conversion's digest, and what depends
// on the rest of the site (its URL, author, tags with their counts, its
// section) is hashed as it is. The site-wide inputs (base URL, default
// author) are in commonDigest as well.
func essayDigest(e *layout.Essay, file [32]byte, source string, conversion [32]byte) [32]byte {
	h := newHasher()
	h.bytes(file[:])
	h.bytes(conversion[:])
	h.str(source, e.URL, e.Permalink, e.Author.Name, e.Author.Email, e.Author.URL, e.Image) // Image: a card or not
	h.num(len(e.Tags))
	for _, t := range e.Tags {
		h.str(t.Name, t.Slug, t.URL)
		h.num(t.Count)
	}
	if e.Section != nil {
		h.str(e.Section.Label, e.Section.URL)
	}
	return h.sum()
}

// commonDigest covers what every page shares: Steward's and its engines'
// versions, the theme, the site's configuration, the tags, the build day.
func (g *generator) commonDigest() [32]byte {
	h := newHasher()
	h.str(engineVersion)
	if g.theme != nil {
		td := g.theme.Digest()
		h.bytes(td[:])
	}
	s := g.siteData
	h.str(s.Title, s.Description, s.BaseURL, s.Language, s.Author.Name, s.Author.Email, s.Author.URL, s.FeedURL, s.TagsURL, s.SearchURL)
	h.num(len(s.Menu))
	for _, m := range s.Menu {
		h.str(m.Label, m.URL)
	}
	h.bytes(jsonBytes(s.Params))
	h.num(len(g.tags))
	for _, t := range g.tags {
		h.str(t.Name, t.Slug, t.URL)
		h.num(t.Count)
	}
	a := g.assetURLs
	h.str(a.Stylesheet, a.SyntaxCSS, a.SelfCheckJS, a.SelfCheckCSS, a.SearchJS, a.SearchIndex)
	h.time(g.now.UTC().Truncate(24 * time.Hour))
	return h.sum()
}

// pageDigest starts a page's fingerprint with what every page has.
func (g *generator) pageDigest(d *layout.Data) *hasher {
	h := newHasher()
	h.bytes(g.common[:])
	h.str(string(d.Kind), d.Page.Title, string(d.Page.TitleHTML), d.Page.Description, d.Page.URL, d.Page.Permalink, string(d.Page.Content))
	h.num(d.Page.PageNumber)
	a := d.Assets
	h.str(a.Stylesheet, a.SyntaxCSS, a.SelfCheckJS, a.SelfCheckCSS, a.SearchJS, a.SearchIndex)
	return h
}

// essayFingerprint covers essay page i. Everything its data holds (the
// page's title, description and URL, the assets it loads) derives from
// its essay and its two neighbours, and from what every page shares.
func (g *generator) essayFingerprint(essays []*essay, i int) [32]byte {
	h := newHasher()
	h.bytes(g.common[:])
	h.str(string(layout.KindEssay))
	for _, k := range []int{i, i - 1, i + 1} {
		if k >= 0 && k < len(essays) {
			h.bytes(essays[k].digest[:])
		} else {
			h.num(0)
		}
	}
	e := essays[i]
	if sr := e.series; sr != nil {
		h.str(sr.Name, sr.URL)
		h.num(sr.Part, sr.Total)
		refs(h, essays, e.seriesOf)
	}
	h.num(-1)
	refs(h, essays, e.relatedTo)
	return h.sum()
}

// refs hashes links to the essays numbered js (see essay.refSum).
func refs(h *hasher, essays []*essay, js []int) {
	h.num(len(js))
	for _, j := range js {
		h.bytes(essays[j].refSum[:])
	}
}

// refDigest covers a link to an essay: every field of layout.EssayRef.
func refDigest(r *layout.EssayRef) [32]byte {
	h := newHasher()
	h.str(r.Title, string(r.TitleHTML), r.URL, r.DateISO, r.DateText)
	h.time(r.Date)
	return h.sum()
}

// listFingerprint covers a list page: its essays, paginator, tag, sections.
func (g *generator) listFingerprint(l listPage, essays []*essay) [32]byte {
	d := l.data
	h := g.pageDigest(d)
	h.num(len(l.Essays))
	for _, i := range l.Essays {
		h.bytes(essays[i].digest[:])
	}
	if p := d.Paginator; p != nil {
		h.num(1, p.PageNumber, p.TotalPages, p.TotalEssays)
		h.str(p.PrevURL, p.NextURL)
	}
	if t := d.Tag; t != nil {
		h.str(t.Name, t.Slug, t.URL)
		h.num(t.Count)
	}
	if sr := d.Series; sr != nil {
		h.str(sr.Name, sr.URL)
		h.num(sr.Total)
	}
	h.num(len(d.Sections))
	for _, s := range d.Sections {
		h.str(s.Label, s.URL)
	}
	return h.sum()
}
