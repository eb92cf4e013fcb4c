// Package plan is the site's model, computed from its loaded pages and a
// few settings alone: the essays in order with their neighbours, the tags,
// the sections (folders with a list page), and every list page to write
// with the essays it lists. It does no I/O and knows no templates, Markdown
// or caches, so it is tested as a table: pages in, plan out (as Zola's
// content library is apart from its site).
//
// Every URL of the plan is percent-encoded as pages write it ("/caf%C3%A9/");
// output paths keep the real names ("café/index.html"). See URLs.
package plan

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"maps"
	"math"
	"path"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/layout"
)

// Options are the settings that shape the plan.
type Options struct {
	// PerPage is how many essays a list page shows (site.yaml's paginate);
	// at least 1.
	PerPage int
	// SortTitle gives the title essays of one date are ordered by: the
	// title as readers see it (without its Markdown). nil uses Page.Title.
	SortTitle func(*content.Doc) string
	// Search plans the search page and numbers the essays of its index
	// (site.yaml's search.enabled).
	Search bool
	// Previous, when set, is the last plan of the same site (the dev
	// server's last build): its related essays are taken again when
	// nothing they follow changed (RelatedKey is the same), as after an
	// edit to a body that changed none of its top terms. Choosing them is
	// most of a 10,000-essay plan.
	Previous *Site
	// Known, when set, are related essays chosen before (a command-line
	// build's, kept in the persistent cache): taken when their key is this
	// plan's RelatedKey.
	Known *Related
	// Terms gives an essay's terms (its search analysis's stems and
	// weighted counts, in any order), for related essays; nil, or nil for
	// an essay, is none.
	Terms func(*content.Doc) []Term
}

// Term is one term of an essay: a stem and its weighted count.
type Term struct {
	Stem   string
	Weight int
}

// Related are related essays as chosen for a plan: for each essay in
// order, the numbers of its related essays, and the key of all they
// follow (Site.RelatedKey).
type Related struct {
	Key   [32]byte
	Lists [][]int
}

// Site is the plan of one build.
type Site struct {
	// Essays are the pages that are not a folder's index, newest first:
	// by date, then title, then URL. An essay's number is its index here.
	Essays []*content.Doc
	// Indexes are the folders' index pages by folder ("" is the top).
	Indexes map[string]*content.Doc
	// Tags are every tag, by slug.
	Tags []Tag
	// Sections are the folders that have a list page, by folder.
	Sections []Section
	// Lists are the list pages to write: the home page, each section's,
	// the tags page, each tag's, the search page and the 404 page;
	// paginated lists have one entry per page.
	Lists []List
	// Aliases are the redirect pages the essays ask for, by output path.
	Aliases []Alias
	// Series are the series essays belong to (front matter series), by
	// slug.
	Series []Series
	// Related holds, for each essay, the numbers of up to MaxRelated
	// other essays that share its tags or terms, most related first (see
	// related).
	Related [][]int
	// tagsOf are each essay's tags (see TagsOf), found once: a build
	// reads them for every essay, and searching Tags for each of them was
	// a few milliseconds of every rebuild of 10,000 essays.
	tagsOf [][]int
	// RelatedKey is the digest of all that related essays follow: each
	// essay's source, draft state, tags and top terms, in order.
	RelatedKey [32]byte
	// Search lists the numbers of the essays in the search index (all but
	// those with search: false), in the order of their URLs: an essay's
	// place here is its number in the index, which an edit never changes.
	Search []int
}

// Tag is one tag and the essays that carry it.
type Tag struct {
	Name string // the first spelling met, in essay order
	Slug string
	URL  string
	// Essays are the essays' numbers, in order.
	Essays []int
}

// Series is a series of essays and its list page.
type Series struct {
	Name string // the first spelling met, in essay order
	Slug string
	URL  string
	// Essays are the essays' numbers in the series' order: by
	// series_order (those without one after those with one), then by
	// date, oldest first (undated last), then by URL.
	Essays []int
}

// SeriesURL is the URL of a series' list page under /series/.
func SeriesURL(slug string) string { return EscapeURL("/series/" + slug + "/") }

// MaxRelated is how many related essays an essay shows at most.
const MaxRelated = 3

// Section is a folder with a list page: one that holds essays (in it or
// below it) or an index page.
type Section struct {
	Dir string // below content/, such as "notes" or "notes/2024"
	URL string
	// Essays are the numbers of the essays in the folder and below it.
	Essays []int
	// Subs are the folders of the sections directly below this one.
	Subs []string
}

// List is one list page to write.
type List struct {
	Kind layout.Kind // home, section, tags, tag or 404
	// URL is the page's URL; Out its output path.
	URL, Out string
	// Source is what the page is built from, for errors: the folder's
	// index page, or a description such as "the tags page".
	Source string
	// Dir is the section's folder (and "" for the home page); Tag the
	// index in Site.Tags of a tag page's tag, else -1.
	Dir string
	Tag int
	// Series is the index in Site.Series of a series page's series
	// (meaningful on series pages only).
	Series int
	// Number is the page's number among the list's pages (1 for the
	// first), of Total; PrevURL and NextURL are empty at the ends. Lists
	// that are not paginated (tags, 404) have Number and Total 0.
	Number, Total    int
	PrevURL, NextURL string
	// Essays are the numbers of the essays on this page; AllEssays
	// counts those of every page of the list.
	Essays    []int
	AllEssays int
}

// Alias is a redirect page an essay asks for (front matter aliases).
type Alias struct {
	Out   string // the output path
	Essay int    // the essay it leads to, an index of Site.Essays, or -1
	URL   string // when Essay is -1: the folder's list page it leads to
}

// SearchURL is the search page's URL; the search index is written in
// its folder.
const SearchURL = "/search/"

// New plans the site of pages, as content.Load returned them.
func New(docs []*content.Doc, opts Options) *Site {
	s := &Site{Indexes: map[string]*content.Doc{}}
	title := opts.SortTitle
	if title == nil {
		title = func(p *content.Doc) string { return p.Title }
	}
	// The date as seconds and nanoseconds orders as Time.After does, and
	// compares without a call; the order given breaks the last ties, so an
	// unstable sort (faster than a stable one) keeps it: sorting 10,000
	// essays is in every rebuild.
	type sortKey struct {
		p          *content.Doc
		sec        int64
		nsec       int
		title, url string
		n          int
	}
	keys := make([]sortKey, 0, len(docs))
	for _, p := range docs {
		if p.IsIndex {
			s.Indexes[p.Dir] = p
			continue
		}
		d := p.Front.Date
		keys = append(keys, sortKey{p, d.Unix(), d.Nanosecond(), title(p), EscapeURL(p.URL), len(keys)})
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if c := cmp.Compare(b.sec, a.sec); c != 0 {
			return c // newest first
		}
		if c := cmp.Compare(b.nsec, a.nsec); c != 0 {
			return c
		}
		if c := strings.Compare(a.title, b.title); c != 0 {
			return c
		}
		if c := strings.Compare(a.url, b.url); c != 0 {
			return c
		}
		return cmp.Compare(a.n, b.n)
	})
	s.Essays = make([]*content.Doc, len(keys))
	for i, k := range keys {
		s.Essays[i] = k.p
	}
	s.tags()
	s.series()
	vecs := s.termVectors(opts.Terms)
	s.RelatedKey = s.relatedKey(vecs)
	switch {
	case opts.Previous != nil && opts.Previous.RelatedKey == s.RelatedKey && len(opts.Previous.Related) == len(s.Essays):
		s.Related = opts.Previous.Related
	case opts.Known != nil && opts.Known.Key == s.RelatedKey && len(opts.Known.Lists) == len(s.Essays):
		s.Related = opts.Known.Lists
	default:
		s.related(vecs)
	}
	s.sections()
	s.lists(max(1, opts.PerPage), opts.Search)
	s.aliases()
	if opts.Search {
		s.search()
	}
	return s
}

// Neighbours returns the numbers of essay i's next older and next newer
// essays, -1 at the ends.
func (s *Site) Neighbours(i int) (older, newer int) {
	older, newer = i+1, i-1
	if older >= len(s.Essays) {
		older = -1
	}
	return older, newer
}

// Section returns the section of folder dir.
func (s *Site) Section(dir string) (Section, bool) {
	k := sort.Search(len(s.Sections), func(k int) bool { return s.Sections[k].Dir >= dir })
	if k < len(s.Sections) && s.Sections[k].Dir == dir {
		return s.Sections[k], true
	}
	return Section{}, false
}

// TagsOf returns the indexes in Site.Tags of essay i's tags, in the
// essay's order. The slice is the plan's: the caller must not change it.
func (s *Site) TagsOf(i int) []int { return s.tagsOf[i] }

// tags collects the tags, first spelling wins, each essay counted once
// (content keeps one tag per slug on a page).
func (s *Site) tags() {
	bySlug := map[string]*Tag{}
	for i, p := range s.Essays {
		for _, t := range p.Tags {
			tag := bySlug[t.Slug]
			if tag == nil {
				tag = &Tag{Name: t.Name, Slug: t.Slug, URL: EscapeURL("/tags/" + t.Slug + "/")}
				bySlug[t.Slug] = tag
			}
			tag.Essays = append(tag.Essays, i)
		}
	}
	index := make(map[string]int, len(bySlug))
	for _, slug := range slices.Sorted(maps.Keys(bySlug)) {
		index[slug] = len(s.Tags)
		s.Tags = append(s.Tags, *bySlug[slug])
	}
	// Every essay's tags in one array, each essay's a slice of it.
	all := 0
	for _, p := range s.Essays {
		all += len(p.Tags)
	}
	flat := make([]int, 0, all)
	s.tagsOf = make([][]int, len(s.Essays))
	for i, p := range s.Essays {
		if len(p.Tags) == 0 {
			continue
		}
		start := len(flat)
		for _, t := range p.Tags {
			flat = append(flat, index[t.Slug])
		}
		s.tagsOf[i] = flat[start:len(flat):len(flat)]
	}
}

// sections finds the folders with a list page: those with an index page
// and those that hold essays, with every folder above them.
func (s *Site) sections() {
	dirs := map[string]bool{}
	for d := range s.Indexes {
		if d != "" {
			dirs[d] = true
		}
	}
	for _, p := range s.Essays {
		for d := p.Dir; d != "" && d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	for _, dir := range slices.Sorted(maps.Keys(dirs)) {
		sec := Section{Dir: dir, URL: DirURL(dir)}
		for i, p := range s.Essays {
			if p.Dir == dir || strings.HasPrefix(p.Dir, dir+"/") {
				sec.Essays = append(sec.Essays, i)
			}
		}
		for _, d := range slices.Sorted(maps.Keys(dirs)) {
			if path.Dir(d) == dir {
				sec.Subs = append(sec.Subs, d)
			}
		}
		s.Sections = append(s.Sections, sec)
	}
}

// lists plans the list pages, in the order the sitemap lists them.
func (s *Site) lists(per int, search bool) {
	all := make([]int, len(s.Essays))
	for i := range all {
		all[i] = i
	}
	homeSource := content.Dir + "/"
	if p, ok := s.Indexes[""]; ok {
		homeSource = p.Source
	}
	s.paginate(List{Kind: layout.KindHome, Source: homeSource, Tag: -1}, "/", all, per)
	for _, sec := range s.Sections {
		source := content.Dir + "/" + sec.Dir + "/"
		if p, ok := s.Indexes[sec.Dir]; ok {
			source = p.Source
		}
		s.paginate(List{Kind: layout.KindSection, Source: source, Dir: sec.Dir, Tag: -1}, sec.URL, sec.Essays, per)
	}
	s.Lists = append(s.Lists, List{Kind: layout.KindTags, URL: "/tags/", Out: "tags/index.html", Source: "the tags page", Tag: -1})
	for k, t := range s.Tags {
		s.paginate(List{Kind: layout.KindTag, Source: "the page of tag " + t.Name, Tag: k}, t.URL, t.Essays, per)
	}
	for k, sr := range s.Series {
		// A series is read in order on one page, however long.
		s.paginate(List{Kind: layout.KindSeries, Source: "the page of series " + sr.Name, Tag: -1, Series: k}, sr.URL, sr.Essays, max(1, len(sr.Essays)))
	}
	if search && !s.searchTaken() {
		s.Lists = append(s.Lists, List{Kind: layout.KindSearch, URL: SearchURL, Out: OutPath(SearchURL), Source: "the search page", Tag: -1})
	}
	s.Lists = append(s.Lists, List{Kind: layout.KindNotFound, URL: "/404.html", Out: "404.html", Source: "the 404 page", Tag: -1})
}

// paginate adds the pages of one list: url for the first, url/page/N/ after.
func (s *Site) paginate(l List, url string, essays []int, per int) {
	total := max(1, (len(essays)+per-1)/per)
	pageURL := func(n int) string {
		if n == 1 {
			return url
		}
		return url + "page/" + strconv.Itoa(n) + "/"
	}
	for n := 1; n <= total; n++ {
		p := l
		p.URL, p.Out = pageURL(n), OutPath(pageURL(n))
		p.Number, p.Total, p.AllEssays = n, total, len(essays)
		p.Essays = essays[(n-1)*per : min(n*per, len(essays))]
		if n > 1 {
			p.PrevURL = pageURL(n - 1)
		}
		if n < total {
			p.NextURL = pageURL(n + 1)
		}
		s.Lists = append(s.Lists, p)
	}
}

// aliases lists the redirect pages; an alias that URLs refused or warned
// of is left out.
func (s *Site) aliases() {
	// A folder's index (_index.md) may name aliases too, as in Hugo: they
	// lead to its list page.
	docs := slices.Clone(s.Essays)
	dirs := slices.Sorted(maps.Keys(s.Indexes))
	for _, d := range dirs {
		docs = append(docs, s.Indexes[d])
	}
	owners := aliasOwners(docs)
	for i, p := range docs {
		for _, a := range p.Front.Aliases {
			if out, ok := aliasOut(a); ok && owners[out] == p {
				delete(owners, out) // written once, if the page names it twice
				if i < len(s.Essays) {
					s.Aliases = append(s.Aliases, Alias{Out: out, Essay: i})
				} else {
					s.Aliases = append(s.Aliases, Alias{Out: out, Essay: -1, URL: p.URL})
				}
			}
		}
	}
}

// searchTaken reports whether the site has a page of its own at the
// search page's URL (an essay, or a folder's list page): it wins (URLs
// warns of it).
func (s *Site) searchTaken() bool {
	if _, ok := s.Section(strings.Trim(SearchURL, "/")); ok {
		return true
	}
	for _, p := range s.Essays {
		if p.URL == SearchURL {
			return true
		}
	}
	return false
}

// search numbers the essays of the search index.
func (s *Site) search() {
	at := make(map[*content.Doc]int, len(s.Essays))
	for i, p := range s.Essays {
		at[p] = i
	}
	for _, p := range SearchOrder(s.Essays) {
		s.Search = append(s.Search, at[p])
	}
}

// SearchOrder returns the essays of docs that the search index holds (all
// but those whose front matter says search: false, and folders' pages) in
// the order of their numbers in it: by URL, so that an edit renumbers
// none, then by source file (two essays may claim one URL: the build then
// fails on that, and must not fail on numbers besides). A build knows the
// numbers before it plans the site, from the pages in another order.
func SearchOrder(docs []*content.Doc) []*content.Doc {
	var out []*content.Doc
	for _, p := range docs {
		if !p.IsIndex && !p.Front.NoSearch {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].URL != out[b].URL {
			return out[a].URL < out[b].URL
		}
		return out[a].Source < out[b].Source
	})
	return out
}

// SeriesOf returns the index in Site.Series of essay i's series and the
// essay's place in it (0 for the first part), or -1, -1.
func (s *Site) SeriesOf(i int) (series, part int) {
	name := strings.TrimSpace(s.Essays[i].Front.Series)
	if name == "" {
		return -1, -1
	}
	slug := content.Slugify(name)
	k := sort.Search(len(s.Series), func(k int) bool { return s.Series[k].Slug >= slug })
	if k == len(s.Series) || s.Series[k].Slug != slug {
		return -1, -1
	}
	for n, e := range s.Series[k].Essays {
		if e == i {
			return k, n
		}
	}
	return -1, -1
}

// series groups the essays by series, the first spelling of a name
// naming it (names that slugify alike are one series), each in order.
func (s *Site) series() {
	bySlug := map[string]*Series{}
	for i, p := range s.Essays {
		name := strings.TrimSpace(p.Front.Series)
		slug := content.Slugify(name)
		if slug == "" {
			continue
		}
		sr := bySlug[slug]
		if sr == nil {
			sr = &Series{Name: name, Slug: slug, URL: SeriesURL(slug)}
			bySlug[slug] = sr
		}
		sr.Essays = append(sr.Essays, i)
	}
	for _, slug := range slices.Sorted(maps.Keys(bySlug)) {
		sr := *bySlug[slug]
		sort.SliceStable(sr.Essays, func(x, y int) bool {
			a, b := s.Essays[sr.Essays[x]], s.Essays[sr.Essays[y]]
			oa, ob := a.Front.SeriesOrder, b.Front.SeriesOrder
			if (oa > 0) != (ob > 0) {
				return oa > 0
			}
			if oa != ob {
				return oa < ob
			}
			da, db := a.Front.Date, b.Front.Date
			if da.IsZero() != db.IsZero() {
				return db.IsZero()
			}
			if !da.Equal(db) {
				return da.Before(db)
			}
			return a.URL < b.URL
		})
		s.Series = append(s.Series, sr)
	}
}

// TopTerms is how many of an essay's terms its related essays follow: those
// of most weight, ties by stem.
const TopTerms = 16

// termVectors returns each essay's top terms (see TopTerms), by stem.
func (s *Site) termVectors(terms func(*content.Doc) []Term) [][]Term {
	vecs := make([][]Term, len(s.Essays))
	if terms == nil {
		return vecs
	}
	for i, p := range s.Essays {
		ts := terms(p)
		if len(ts) == 0 {
			continue
		}
		if len(ts) <= TopTerms && slices.IsSortedFunc(ts, byStem) {
			vecs[i] = ts // as the pipeline keeps them: nothing to choose or sort
			continue
		}
		top := slices.Clone(ts)
		slices.SortFunc(top, func(a, b Term) int {
			if a.Weight != b.Weight {
				return b.Weight - a.Weight
			}
			return strings.Compare(a.Stem, b.Stem)
		})
		top = top[:min(TopTerms, len(top))]
		slices.SortFunc(top, byStem)
		vecs[i] = top
	}
	return vecs
}

func byStem(a, b Term) int { return strings.Compare(a.Stem, b.Stem) }

// relatedKey is the digest of all that related essays follow.
func (s *Site) relatedKey(vecs [][]Term) [32]byte {
	h := sha256.New()
	var b []byte
	str := func(x string) {
		b = binary.AppendUvarint(b, uint64(len(x)))
		b = append(b, x...)
	}
	b = binary.AppendUvarint(b, uint64(len(s.Essays)))
	for i, p := range s.Essays {
		str(p.Source)
		if p.Front.Draft {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = binary.AppendUvarint(b, uint64(len(p.Tags)))
		for _, t := range p.Tags {
			str(t.Slug)
		}
		b = binary.AppendUvarint(b, uint64(len(vecs[i])))
		for _, t := range vecs[i] {
			str(t.Stem)
			b = binary.AppendVarint(b, int64(t.Weight))
		}
		if len(b) > 32<<10 {
			h.Write(b)
			b = b[:0]
		}
	}
	h.Write(b)
	return [32]byte(h.Sum(nil))
}

// maxTermEssays is how many essays a term may be among the top terms of
// and still count for related essays: at most half of them, and at most
// max(8, n/200). A term most essays stress says little of any two (as a
// stop word), and its essays would be most of the work.
func maxTermEssays(n int) int { return min(n/2, max(8, n/200)) }

// related chooses each essay's related essays by the tags and the terms
// they share. The score of essay j for essay i is
//
//	sum over the tags they share of log((N+1) / essays with the tag)
//	+ log(N+1) * cosine(i, j)
//
// where N is the number of essays and the cosine is that of the essays'
// TF-IDF vectors over their top terms (TopTerms): a term's weight in an
// essay is its weighted count times log((N+1) / df), df the number of
// essays it is a top term of; terms that are top terms of more than
// maxTermEssays essays (at most half of them, and at most
// max(8, N/200)) are left out of every vector. Sharing a rare tag
// says more than sharing one that half the site has, and an essay whose
// top terms are another's counts as much as sharing a tag of one essay in
// N+1. The best MaxRelated with a score above zero are chosen, ties to
// the newer essay (the lower number). An essay is never its own, and a
// draft is never one.
func (s *Site) related(vecs [][]Term) {
	n := len(s.Essays)
	s.Related = make([][]int, n)
	if n < 2 {
		return
	}
	logN := math.Log(float64(n + 1))
	weight := make([]float64, len(s.Tags))
	for k, t := range s.Tags {
		weight[k] = math.Log(float64(n+1) / float64(len(t.Essays)))
	}
	// Read once, not through each essay's page in the inner loop, which
	// runs some thousands of times an essay at 10,000 essays.
	draft := make([]bool, n)
	tagsOf := make([][]int, n)
	for i, p := range s.Essays {
		draft[i] = p.Front.Draft
		tagsOf[i] = s.TagsOf(i)
	}
	// The terms, numbered in order of first use, and the essays of each.
	type posting struct {
		essay int
		w     float64
	}
	ids := map[string]int{}
	var df []int
	for _, v := range vecs {
		for _, t := range v {
			id, ok := ids[t.Stem]
			if !ok {
				id = len(df)
				ids[t.Stem] = id
				df = append(df, 0)
			}
			df[id]++
		}
	}
	limit := maxTermEssays(n)
	postings := make([][]posting, len(df))
	type termW struct {
		id int
		w  float64
	}
	kept := make([][]termW, n)
	norm := make([]float64, n)
	for i, v := range vecs {
		for _, t := range v {
			id := ids[t.Stem]
			if df[id] > limit || df[id] < 2 || t.Weight <= 0 {
				continue // too common to tell, or shared by none
			}
			w := float64(t.Weight) * math.Log(float64(n+1)/float64(df[id]))
			kept[i] = append(kept[i], termW{id, w})
			norm[i] += w * w
			postings[id] = append(postings[id], posting{i, w})
		}
		norm[i] = math.Sqrt(norm[i])
	}
	// Each essay's choice is its own: the essays are shared out among the
	// cores, each with its own scores.
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			score := make([]float64, n)
			dot := make([]float64, n)
			seen := make([]bool, n)
			var touched []int
			touch := func(j int) {
				if !seen[j] {
					seen[j] = true
					touched = append(touched, j)
				}
			}
			for i := w; i < n; i += workers {
				touched = touched[:0]
				for _, k := range tagsOf[i] {
					for _, j := range s.Tags[k].Essays {
						if j == i || draft[j] {
							continue
						}
						touch(j)
						score[j] += weight[k]
					}
				}
				for _, t := range kept[i] {
					for _, p := range postings[t.id] {
						if p.essay == i || draft[p.essay] {
							continue
						}
						touch(p.essay)
						dot[p.essay] += t.w * p.w
					}
				}
				for _, j := range touched {
					if dot[j] != 0 {
						score[j] += logN * dot[j] / (norm[i] * norm[j])
					}
				}
				// The best few, by a scan rather than a sort of every essay that
				// shares a tag (some thousands each at 10,000 essays).
				better := func(a, b int) bool { return score[a] > score[b] || score[a] == score[b] && a < b }
				var best []int
				for _, j := range touched {
					if score[j] <= 0 || len(best) == MaxRelated && !better(j, best[len(best)-1]) {
						continue
					}
					k := len(best)
					if k < MaxRelated {
						best = append(best, j)
					} else {
						k--
					}
					for ; k > 0 && better(j, best[k-1]); k-- {
						best[k] = best[k-1]
					}
					best[k] = j
				}
				for _, j := range touched {
					score[j], dot[j], seen[j] = 0, 0, false
				}
				s.Related[i] = best
			}
		}(w)
	}
	wg.Wait()
}
