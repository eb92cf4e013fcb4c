// Package search builds a site's search index, for a search that runs
// wholly in the reader's browser (js/search.mjs) and downloads only what a
// query needs, as Pagefind does:
//
//	index.json   the index's meta: the number of essays, each essay's
//	             length, the shards' prefixes and the stop words met;
//	             loaded when the reader focuses the search field
//	s/<p>.json   one shard per word prefix: the words that begin with it,
//	             each written form with its stem, and each stem's postings
//	             (essay number and weighted count); a small site has one
//	             shard of every word, and a shard that would be large is
//	             split by a longer prefix, so its size stays small whatever
//	             the size of the site
//	d/<n>.json   one essay's result: URL, title, date and text, for its
//	             snippet; fetched only when it is among the results shown
//
// Words are stemmed at build time with the Snowball stemmer of the site's
// language where there is one, and every written form is listed with its
// stem, so the browser matches by stem without a stemmer of its own.
// Essays are numbered in the order of their URLs, so editing one essay
// changes only the shards of the words it gained or lost, the meta, and
// its own result file. The same entries give the same bytes.
package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
	"github.com/kljensen/snowball/hungarian"
	"github.com/kljensen/snowball/norwegian"
	"github.com/kljensen/snowball/russian"
	"github.com/kljensen/snowball/spanish"
	"github.com/kljensen/snowball/swedish"
)

// Version changes whenever the index's format or analysis changes; it is
// part of every fingerprint of the index's files.
const Version = "1"

// Weights of a word's occurrences by where it stands: a match in a title
// counts five times one in the body, in a heading or a tag three times.
// The summary is usually the body's first paragraph, so it adds one.
const (
	weightTitle   = 5
	weightHeading = 3
	weightTag     = 3
	weightSummary = 1
	weightBody    = 1
)

// maxText caps the text of an essay kept for its snippet, in bytes.
const maxText = 20000

// shardLimit is the size, in bytes of JSON, above which a shard is split
// by a longer prefix (gzip makes a full one about a third of that).
const shardLimit = 32 << 10

// Input is what the index is told of one essay.
type Input struct {
	URL   string // as pages link it, percent-encoded
	Title string // plain text
	Date  string // as readers see it ("March 12, 2024"), or empty
	// Headings are the plain text of the essay's headings.
	Headings []string
	Tags     []string
	Summary  string // plain text
	HTML     []byte // the essay's converted body
}

// Entry is one essay analysed for the index.
type Entry struct {
	URL, Title, Date string
	// Text is the body as plain text, for snippets.
	Text string
	// Terms are the stems the essay uses, each once with its weighted
	// count, in the order the essay first uses them (its title first);
	// Length is the sum of their counts.
	Terms  []Term
	Length int
	// Words are the words as written (lower case) whose stem differs from
	// them, each once with its stem, in the order of first use.
	Words []Word
	// Stops are the stop words met, which are not indexed, sorted.
	Stops []string
	// resultSum is set on an entry decoded without its Text (see
	// DecodeEntry): the fingerprint of its result file.
	resultSum *[32]byte
	// madeSum is the fingerprint of the result file ResultFile made.
	madeSum *[32]byte
}

// Word is a word as written, in lower case, and its stem.
type Word struct {
	Form, Stem string
}

// Analyzer turns essays into entries for one language. It remembers the
// stems it computed (a site has far fewer distinct words than words) and
// is safe for concurrent use.
type Analyzer struct {
	lang  string
	stem  func(string, bool) string
	stop  func(string) bool
	stems sync.Map // word -> stem
	// free holds the scratch of the analyses done, for the next ones (one
	// a core): a scratch knows the words it met and their stems, so an
	// analysis looks each word of an essay up in a map of its own and
	// counts it without allocating (a first build analyses every essay).
	free chan *scratch
}

// scratch is what one analysis at a time works with (see Analyzer.free).
type scratch struct {
	raw, text, tmp, lower []byte
	forms                 map[string]int32 // a word as written, lower case -> its number in info
	info                  []formInfo
	stemIDs               map[string]int32 // a stem -> its number in stems
	stems                 []stemInfo
	// essay numbers the analyses the scratch made: a form's or stem's
	// mark says which analysis met it last, so nothing is cleared
	// between essays.
	essay     uint64
	seenForms []int32 // the forms the analysis met, in order
	seenStems []int32
}

type formInfo struct {
	form  string
	stem  int32 // its number in stems; -1 for a stop word
	same  bool  // the stem is the form itself
	essay uint64
}

type stemInfo struct {
	stem   string
	weight int
	essay  uint64
}

// NewAnalyzer returns an Analyzer for a site's language (site.yaml's
// language, such as "en" or "fr-CA"). Languages with a Snowball stemmer in
// github.com/kljensen/snowball are stemmed (English, French, Spanish,
// Russian, Swedish, Norwegian, Hungarian); words of others are matched as
// written and by prefix.
func NewAnalyzer(language string) *Analyzer {
	a := &Analyzer{free: make(chan *scratch, runtime.GOMAXPROCS(0))}
	lang := strings.ToLower(language)
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	switch lang {
	case "en":
		a.stem, a.stop = english.Stem, english.IsStopWord
	case "fr":
		a.stem, a.stop = french.Stem, french.IsStopWord
	case "es":
		a.stem, a.stop = spanish.Stem, spanish.IsStopWord
	case "ru":
		a.stem, a.stop = russian.Stem, russian.IsStopWord
	case "sv":
		a.stem, a.stop = swedish.Stem, swedish.IsStopWord
	case "no", "nb", "nn":
		a.stem, a.stop = norwegian.Stem, norwegian.IsStopWord
	case "hu":
		a.stem, a.stop = hungarian.Stem, hungarian.IsStopWord
	default:
		lang = ""
	}
	a.lang = lang
	return a
}

// Stemmed reports whether the Analyzer's language has a stemmer.
func (a *Analyzer) Stemmed() bool { return a.stem != nil }

// Fingerprint identifies what shapes the Analyzer's entries.
func (a *Analyzer) Fingerprint() string { return Version + "/" + a.lang }

// Tokens splits text into lower-case words of at least two characters:
// runs of letters and digits (everything else separates words), as the
// browser's script splits a query.
func Tokens(text string) []string {
	var out []string
	var buf []byte
	b := []byte(text)
	for i := 0; ; {
		start, end, upper, wide := nextToken(b, i)
		if start < 0 {
			return out
		}
		i = end
		if w, ok := word(b[start:end], wide); ok {
			if upper || wide {
				w, buf = lower(buf[:0], w)
			}
			out = append(out, string(w))
		}
	}
}

// wordByte classifies ASCII bytes for nextToken: 0 separates words, 1 is
// a lower-case letter or a digit, 2 an upper-case letter.
var wordByte = func() (t [utf8.RuneSelf]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = 1
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = 1, 2
	}
	return t
}()

// nextToken finds the first run of letters and digits in text at or after
// i: its bounds (start -1 when there is none), whether it holds ASCII
// upper case, and whether it holds anything beyond ASCII. It is the one
// loop over an essay's every byte, kept to plain comparisons.
func nextToken(text []byte, i int) (start, end int, upper, wide bool) {
	start = -1
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			k := wordByte[c]
			if k == 0 {
				if start >= 0 {
					return start, i, upper, wide
				}
				i++
				continue
			}
			if start < 0 {
				start = i
			}
			upper = upper || k == 2
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			if start < 0 {
				start = i
			}
			wide = true
		} else if start >= 0 {
			return start, i, upper, wide
		}
		i += n
	}
	return start, len(text), upper, wide
}

// word reports whether a run of letters and digits is long enough to be
// a word: two characters.
func word(w []byte, wide bool) ([]byte, bool) {
	if wide {
		return w, len(w) >= 2 && utf8.RuneCount(w) >= 2
	}
	return w, len(w) >= 2
}

// lower returns w in lower case as strings.ToLower makes it: w itself
// when it is so already, else written in buf, which it returns too.
func lower(buf, w []byte) (lw, newBuf []byte) {
	upper := false
	for _, c := range w {
		if c >= utf8.RuneSelf {
			// strings.ToLower maps each rune with unicode.ToLower.
			for i := 0; i < len(w); {
				r, n := utf8.DecodeRune(w[i:])
				buf = utf8.AppendRune(buf, unicode.ToLower(r))
				i += n
			}
			return buf, buf
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if !upper {
		return w, buf
	}
	for _, c := range w {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf, buf
}

// stemOf returns a word's stem, or "" for a stop word.
func (a *Analyzer) stemOf(w string) string {
	if a.stem == nil {
		return w
	}
	if s, ok := a.stems.Load(w); ok {
		return s.(string)
	}
	s := ""
	if !a.stop(w) {
		s = a.stem(w, true)
		if utf8.RuneCountInString(s) < 2 {
			s = w // a stem too short to be a shard's prefix
		}
	}
	a.stems.Store(w, s)
	return s
}

// Analyze makes the entry of one essay.
func (a *Analyzer) Analyze(in Input) *Entry {
	var s *scratch
	select {
	case s = <-a.free:
	default:
		s = &scratch{forms: make(map[string]int32, 1024), stemIDs: make(map[string]int32, 1024)}
	}
	e := a.analyze(s, in)
	select {
	case a.free <- s:
	default:
	}
	return e
}

func (a *Analyzer) analyze(s *scratch, in Input) *Entry {
	e := &Entry{URL: in.URL, Title: in.Title, Date: in.Date}
	s.essay++
	s.seenForms, s.seenStems = s.seenForms[:0], s.seenStems[:0]
	s.raw = rawText(s.raw[:0], in.HTML)
	s.text = appendCollapsed(s.text[:0], s.raw)
	str := func(t string, weight int) {
		s.tmp = append(s.tmp[:0], t...)
		a.count(s, s.tmp, weight)
	}
	str(in.Title, weightTitle)
	for _, h := range in.Headings {
		str(h, weightHeading)
	}
	for _, t := range in.Tags {
		str(t, weightTag)
	}
	// The summary is, as a rule, the text's first paragraph: then its
	// words are counted once, with both weights.
	body := s.text
	if n := len(in.Summary); n > 0 && n <= len(body) && string(body[:n]) == in.Summary && (n == len(body) || body[n] == ' ') {
		a.count(s, body[:n], weightSummary+weightBody)
		body = body[n:]
	} else {
		str(in.Summary, weightSummary)
	}
	a.count(s, body, weightBody)

	e.Terms = make([]Term, len(s.seenStems))
	for k, id := range s.seenStems {
		st := &s.stems[id]
		e.Terms[k] = Term{st.stem, st.weight}
		e.Length += st.weight
	}
	words := 0
	for _, id := range s.seenForms {
		if f := &s.info[id]; f.stem >= 0 && !f.same {
			words++
		}
	}
	if words > 0 {
		e.Words = make([]Word, 0, words)
	}
	for _, id := range s.seenForms {
		f := &s.info[id]
		switch {
		case f.stem < 0:
			e.Stops = append(e.Stops, f.form)
		case !f.same:
			e.Words = append(e.Words, Word{f.form, s.stems[f.stem].stem})
		}
	}
	sort.Strings(e.Stops)
	e.Text = string(cutText(s.text))
	return e
}

// count adds the words of text, each with the given weight, to the
// analysis that scratch s is making.
func (a *Analyzer) count(s *scratch, text []byte, weight int) {
	for i := 0; ; {
		start, end, upper, wide := nextToken(text, i)
		if start < 0 {
			return
		}
		i = end
		w, ok := word(text[start:end], wide)
		if !ok {
			continue
		}
		if upper || wide {
			w, s.lower = lower(s.lower[:0], w)
		}
		id, ok := s.forms[string(w)]
		if !ok {
			id = s.add(a, string(w))
		}
		f := &s.info[id]
		if f.essay != s.essay {
			f.essay = s.essay
			s.seenForms = append(s.seenForms, id)
		}
		if f.stem < 0 {
			continue
		}
		st := &s.stems[f.stem]
		if st.essay != s.essay {
			st.essay, st.weight = s.essay, 0
			s.seenStems = append(s.seenStems, f.stem)
		}
		st.weight += weight
	}
}

// add records a form that scratch s has not met, and its stem.
func (s *scratch) add(a *Analyzer, form string) int32 {
	fi := formInfo{form: form, stem: -1}
	if st := a.stemOf(form); st != "" {
		id, ok := s.stemIDs[st]
		if !ok {
			id = int32(len(s.stems))
			s.stems = append(s.stems, stemInfo{stem: st})
			s.stemIDs[st] = id
		}
		fi.stem, fi.same = id, st == form
	}
	id := int32(len(s.info))
	s.info = append(s.info, fi)
	s.forms[form] = id
	return id
}

// cutText cuts an essay's text to what is kept for its snippet.
func cutText[T string | []byte](text T) T {
	if len(text) > maxText {
		cut := maxText
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	return text
}

// File is one file of the index, by its path inside the index's folder.
type File struct {
	Path string
	Data []byte
	// Sum is the SHA-256 of Data in the meta and shards that Index.Files
	// returns (zero in result files): a shard that Files did not make
	// again is the same slice with the same sum, which a build writes
	// no more.
	Sum [32]byte
}

// meta is index.json.
type meta struct {
	V      string   `json:"v"`
	N      int      `json:"n"`
	Len    []int    `json:"len"`
	Shards []string `json:"s"`
	Stops  []string `json:"stop"`
}

// shard is s/<prefix>.json: written forms with their stems, and each
// stem's postings as pairs of (essay number minus the previous one's,
// weighted count).
type shard struct {
	Words map[string]string `json:"w,omitempty"`
	Terms map[string][]int  `json:"t,omitempty"`
}

// result is d/<n>.json.
type result struct {
	URL   string `json:"u"`
	Title string `json:"t"`
	Date  string `json:"d,omitempty"`
	Text  string `json:"x"`
}

// Index collects the entries of a site's essays as they are analysed,
// each under its number (see Build), and makes the meta and shards. It is
// safe for concurrent use; what it holds is the index itself, not the
// entries.
type Index struct {
	mu       sync.Mutex
	lens     []int
	postings map[string][]int32 // stem -> essay, count, essay, count... (any order)
	words    map[string]string
	stops    map[string]bool
	// wordRefs and stopRefs count the essays that hold each word and stop
	// word, so that Remove lets go of those no essay holds any more.
	wordRefs, stopRefs map[string]int
	// limit is the shard size above which a shard is split (shardLimit;
	// tests make it small to have many shards of few words).
	limit int
	// made is what the last call of Files made, and touched the keys
	// that Add and Remove changed since (nil until Files was called):
	// the dev server's rebuild after an edit then makes again only the
	// parts of JSON of the keys the edit touched and the shards that
	// hold them, not the whole index.
	made    *madeFiles
	touched map[string]bool
}

// madeFiles is what Files made: every key of a shard, sorted, with its
// part of JSON, and each shard by prefix.
type madeFiles struct {
	keys   []string
	parts  []keyJSON
	shards map[string]madeShard
}

// madeShard is a shard's file and the first and last of its keys. Shards
// hold runs of the sorted keys: a shard of the same prefix, the same
// first and last key, and no touched key between them holds the same
// keys with the same parts, so its file is the same.
type madeShard struct {
	first, last string
	file        File
}

// NewIndex returns an empty index of n essays, numbered 0 to n-1.
func NewIndex(n int) *Index {
	return &Index{lens: make([]int, n), postings: map[string][]int32{}, words: map[string]string{}, stops: map[string]bool{}, wordRefs: map[string]int{}, stopRefs: map[string]int{}, limit: shardLimit}
}

// Len is the number of essays of the index.
func (ix *Index) Len() int { return len(ix.lens) }

// Add records essay number id.
func (ix *Index) Add(id int, e *Entry) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.lens[id] = e.Length
	for _, t := range e.Terms {
		ix.postings[t.Stem] = append(ix.postings[t.Stem], int32(id), weight(t))
		ix.touch(t.Stem)
	}
	for _, w := range e.Words {
		ix.addWord(w)
	}
	for _, s := range e.Stops {
		ix.addStop(s)
	}
}

// weight is a term's count as the postings hold it.
func weight(t Term) int32 { return int32(min(t.Weight, math.MaxInt32)) }

// Remove takes back what Add(id, e) recorded, so that the dev server
// updates its index after an edit rather than making it anew: the files
// are then those of an index made from the entries as they are now.
func (ix *Index) Remove(id int, e *Entry) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.lens[id] = 0
	for _, t := range e.Terms {
		ix.removePosting(t.Stem, id)
	}
	for _, w := range e.Words {
		ix.dropWord(w.Form)
	}
	for _, s := range e.Stops {
		ix.dropStop(s)
	}
}

// Replace records essay number id as e where Add recorded it as old: the
// same as Remove(id, old) and Add(id, e), but what the two entries share
// (most of an essay after an edit) is left as it is, so that Files makes
// again only the shards of the words the edit changed.
func (ix *Index) Replace(id int, old, e *Entry) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.lens[id] = e.Length
	was := make(map[string]int32, len(old.Terms))
	for _, t := range old.Terms {
		was[t.Stem] = weight(t)
	}
	for _, t := range e.Terms {
		w, ok := was[t.Stem]
		delete(was, t.Stem)
		if ok && w == weight(t) {
			continue
		}
		p := ix.postings[t.Stem]
		if k := postingOf(p, id); k >= 0 {
			p[k+1] = weight(t)
		} else {
			ix.postings[t.Stem] = append(p, int32(id), weight(t))
		}
		ix.touch(t.Stem)
	}
	for stem := range was {
		ix.removePosting(stem, id)
	}
	forms := make(map[string]bool, len(old.Words))
	for _, w := range old.Words {
		forms[w.Form] = true
	}
	for _, w := range e.Words {
		if forms[w.Form] {
			delete(forms, w.Form)
		} else {
			ix.addWord(w)
		}
	}
	for form := range forms {
		ix.dropWord(form)
	}
	stops := make(map[string]bool, len(old.Stops))
	for _, s := range old.Stops {
		stops[s] = true
	}
	for _, s := range e.Stops {
		if stops[s] {
			delete(stops, s)
		} else {
			ix.addStop(s)
		}
	}
	for s := range stops {
		ix.dropStop(s)
	}
}

// postingOf returns where essay id's pair is in postings p, or -1.
func postingOf(p []int32, id int) int {
	for k := 0; k+1 < len(p); k += 2 {
		if int(p[k]) == id {
			return k
		}
	}
	return -1
}

func (ix *Index) removePosting(stem string, id int) {
	p := ix.postings[stem]
	if k := postingOf(p, id); k >= 0 {
		p = append(p[:k], p[k+2:]...)
	}
	if len(p) == 0 {
		delete(ix.postings, stem)
	} else {
		ix.postings[stem] = p
	}
	ix.touch(stem)
}

// addWord and dropWord count the essays that hold a word; a word's key
// changes only when the first comes or the last goes.
func (ix *Index) addWord(w Word) {
	ix.words[w.Form] = w.Stem
	if ix.wordRefs[w.Form]++; ix.wordRefs[w.Form] == 1 {
		ix.touch(w.Form)
	}
}

func (ix *Index) dropWord(form string) {
	if ix.wordRefs[form]--; ix.wordRefs[form] <= 0 {
		delete(ix.wordRefs, form)
		delete(ix.words, form)
		ix.touch(form)
	}
}

func (ix *Index) addStop(s string) {
	ix.stops[s] = true
	ix.stopRefs[s]++
}

func (ix *Index) dropStop(s string) {
	if ix.stopRefs[s]--; ix.stopRefs[s] <= 0 {
		delete(ix.stopRefs, s)
		delete(ix.stops, s)
	}
}

// touch records key as changed since Files last made the shards, once it
// has.
func (ix *Index) touch(key string) {
	if ix.made != nil {
		ix.touched[key] = true
	}
}

// Files returns the meta (first) and the shards, by path. After the
// first call, it makes again only the shards that hold a key touched by
// Add or Remove since the last call; the others are the same Files as
// the last call returned.
func (ix *Index) Files() []File {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	m := meta{V: Version, N: len(ix.lens), Len: ix.lens, Shards: []string{}, Stops: sortedKeys(ix.stops)}
	if m.Stops == nil {
		m.Stops = []string{}
	}
	// Every key of a shard, a stem or a written form, sorted, with what
	// each adds to its shard's JSON, written once: a shard's size is then
	// known without writing it, however deep it is split.
	var keys []string
	var parts []keyJSON
	var touched []string
	if ix.made == nil {
		keys = make([]string, 0, len(ix.postings)+len(ix.words))
		for t := range ix.postings {
			keys = append(keys, t)
		}
		for w := range ix.words {
			if _, ok := ix.postings[w]; !ok {
				keys = append(keys, w)
			}
		}
		sort.Strings(keys)
		parts = make([]keyJSON, len(keys))
		var pairs [][2]int32
		for k, key := range keys {
			parts[k] = ix.part(key, &pairs)
		}
	} else {
		keys, parts, touched = ix.remade(sortedKeys(ix.touched))
	}
	last := map[string]madeShard(nil)
	if ix.made != nil {
		last = ix.made.shards
	}
	made := &madeFiles{keys: keys, parts: parts, shards: map[string]madeShard{}}
	// One shard holds every word while it is small; above the limit it
	// is split by first letter, then by two, as deep as needed.
	var shards []File
	split("", keys, parts, ix.limit, func(prefix string, keys []string, parts []keyJSON) {
		m.Shards = append(m.Shards, prefix)
		if s, ok := last[prefix]; ok && len(keys) > 0 && s.first == keys[0] && s.last == keys[len(keys)-1] && !touchedIn(touched, s.first, s.last) {
			made.shards[prefix] = s
			shards = append(shards, s.file)
			return
		}
		data := shardJSON(parts)
		f := File{Path: "s/" + ShardName(prefix) + ".json", Data: data, Sum: sha256.Sum256(data)}
		s := madeShard{file: f}
		if len(keys) > 0 {
			s.first, s.last = keys[0], keys[len(keys)-1]
		}
		made.shards[prefix] = s
		shards = append(shards, f)
	})
	ix.made, ix.touched = made, map[string]bool{}
	sort.Strings(m.Shards)
	sort.Slice(shards, func(i, j int) bool { return shards[i].Path < shards[j].Path })
	data := marshal(m)
	return append([]File{{Path: "index.json", Data: data, Sum: sha256.Sum256(data)}}, shards...)
}

// part returns what key adds to its shard's JSON. pairs is scratch room.
func (ix *Index) part(key string, pairs *[][2]int32) keyJSON {
	var kj keyJSON
	if st, ok := ix.words[key]; ok {
		kj.w = appendJSONString(kj.w, key)
		kj.w = append(kj.w, ':')
		kj.w = appendJSONString(kj.w, st)
	}
	p, ok := ix.postings[key]
	if !ok {
		return kj
	}
	// The postings in order of essay, and each essay number made its
	// distance from the previous one (small numbers, which gzip likes).
	// They are put in that order where the index holds them, so that
	// after an edit only the pair it added is out of place.
	sortPostings(p, pairs)
	b := appendJSONString(make([]byte, 0, len(key)+4+3*len(p)), key)
	b = append(b, ':', '[')
	prev := int32(0)
	for i := 0; i+1 < len(p); i += 2 {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(p[i]-prev), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(p[i+1]), 10)
		prev = p[i]
	}
	kj.t = append(b, ']')
	return kj
}

// remade returns the keys and parts of the last call of Files brought up
// to date with the touched keys (sorted): those no essay holds any more
// taken out, new ones put in their place, and the parts of all of them
// made again. It returns too the touched keys that did change: taken out,
// put in, or with a part not the same.
func (ix *Index) remade(touched []string) ([]string, []keyJSON, []string) {
	keys, parts := ix.made.keys, ix.made.parts
	has := func(k string) bool {
		_, inPostings := ix.postings[k]
		_, inWords := ix.words[k]
		return inPostings || inWords
	}
	changes := false
	for _, k := range touched {
		if _, found := slices.BinarySearch(keys, k); found != has(k) {
			changes = true
			break
		}
	}
	if changes {
		// Merged: the last keys and the touched ones, in order, each
		// kept while some essay holds it.
		nk := make([]string, 0, len(keys)+len(touched))
		np := make([]keyJSON, 0, cap(nk))
		i, j := 0, 0
		for i < len(keys) || j < len(touched) {
			switch {
			case j == len(touched) || i < len(keys) && keys[i] < touched[j]:
				nk, np = append(nk, keys[i]), append(np, parts[i])
				i++
			default:
				k := touched[j]
				if i < len(keys) && keys[i] == k {
					i++
				}
				j++
				if has(k) {
					nk, np = append(nk, k), append(np, keyJSON{})
				}
			}
		}
		keys, parts = nk, np
	}
	// A key whose part comes out the same (an essay taken out and put
	// back with the same count of it, as an edit elsewhere in it does)
	// has not changed: only those that did make their shards again.
	changed := touched[:0:0]
	var pairs [][2]int32
	for _, k := range touched {
		i, found := slices.BinarySearch(keys, k)
		if !found {
			changed = append(changed, k) // gone
			continue
		}
		kj := ix.part(k, &pairs)
		if !bytes.Equal(kj.w, parts[i].w) || !bytes.Equal(kj.t, parts[i].t) || (kj.w == nil) != (parts[i].w == nil) || (kj.t == nil) != (parts[i].t == nil) {
			parts[i] = kj
			changed = append(changed, k)
		}
	}
	return keys, parts, changed
}

// touchedIn reports whether a touched key (sorted) lies between first and
// last.
func touchedIn(touched []string, first, last string) bool {
	i, _ := slices.BinarySearch(touched, first)
	return i < len(touched) && touched[i] <= last
}

// keyJSON is what one key adds to its shard's JSON (see shard): the
// member of "w" (a written form and its stem) and of "t" (a stem and its
// postings), each nil when the key has none.
type keyJSON struct {
	w, t []byte
}

// Result returns the result file of essay number id.
func Result(id int, e *Entry) File {
	return File{Path: "d/" + strconv.Itoa(id) + ".json", Data: e.resultData()}
}

// ResultFile returns the result file of essay number id, as Result does,
// and its SHA-256, which the entry keeps for ResultSum and Encode.
func (e *Entry) ResultFile(id int) (File, [32]byte) {
	f := Result(id, e)
	sum := sha256.Sum256(f.Data)
	e.madeSum = &sum
	return f, sum
}

// MadeSum returns the fingerprint of the result file that ResultFile
// made, if it did.
func (e *Entry) MadeSum() ([32]byte, bool) {
	if e.madeSum == nil {
		return [32]byte{}, false
	}
	return *e.madeSum, true
}

// resultData is the result file's JSON, as encoding/json writes the
// result (without escaping HTML), made without reflection: a build writes
// one per essay.
func (e *Entry) resultData() []byte {
	b := make([]byte, 0, len(e.Text)+len(e.Title)+len(e.URL)+48)
	b = append(b, `{"u":`...)
	b = appendJSONString(b, e.URL)
	b = append(b, `,"t":`...)
	b = appendJSONString(b, e.Title)
	if e.Date != "" {
		b = append(b, `,"d":`...)
		b = appendJSONString(b, e.Date)
	}
	b = append(b, `,"x":`...)
	b = appendJSONString(b, e.Text)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string, byte for byte as
// encoding/json writes it with SetEscapeHTML(false): ", \ and control
// characters escaped, U+2028 and U+2029 escaped, invalid UTF-8 replaced.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// Build makes the index's files from the entries, in any order: the meta
// first, then the shards by prefix, then the results by number. Essays are
// numbered in the order of their URLs, so an edit renumbers none.
func Build(entries []*Entry) []File {
	es := append([]*Entry(nil), entries...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].URL < es[j].URL })
	ix := NewIndex(len(es))
	for i, e := range es {
		ix.Add(i, e)
	}
	files := ix.Files()
	for i, e := range es {
		files = append(files, Result(i, e))
	}
	return files
}

// split emits the shard of the keys beginning with p (sorted, with their
// parts of JSON), or, when that would be larger than limit, the
// shards of longer prefixes (the keys that are p itself stay in p's
// shard).
func split(p string, keys []string, parts []keyJSON, limit int, emit func(p string, keys []string, parts []keyJSON)) {
	if shardSize(parts) <= limit || len(keys) <= 1 {
		emit(p, keys, parts)
		return
	}
	plen := utf8.RuneCountInString(p)
	// The keys are sorted: p itself first, and those of one longer
	// prefix next to each other.
	lo := 0
	if keys[0] == p {
		emit(p, keys[:1], parts[:1])
		lo = 1
	}
	for lo < len(keys) {
		q := prefix(keys[lo], plen+1)
		hi := lo + 1
		for hi < len(keys) && strings.HasPrefix(keys[hi], q) {
			hi++
		}
		split(q, keys[lo:hi], parts[lo:hi], limit, emit)
		lo = hi
	}
}

// shardSize is the length of shardJSON(parts).
func shardSize(parts []keyJSON) int {
	n, nw, nt := 2, 0, 0 // {}
	for _, kj := range parts {
		if kj.w != nil {
			n += len(kj.w) + 1 // and a comma, or the closing brace
			nw++
		}
		if kj.t != nil {
			n += len(kj.t) + 1
			nt++
		}
	}
	if nw > 0 {
		n += 5 // "w":{
	}
	if nt > 0 {
		n += 5
	}
	if nw > 0 && nt > 0 {
		n++
	}
	return n
}

// shardJSON is the JSON of the shard of the keys of parts, byte for byte
// as encoding/json writes a shard (keys sorted).
func shardJSON(parts []keyJSON) []byte {
	b := make([]byte, 0, shardSize(parts))
	b = append(b, '{')
	member := func(name string, part func(keyJSON) []byte) {
		first := true
		for _, kj := range parts {
			v := part(kj)
			if v == nil {
				continue
			}
			if first {
				if len(b) > 1 {
					b = append(b, ',')
				}
				b = append(b, name...)
				first = false
			} else {
				b = append(b, ',')
			}
			b = append(b, v...)
		}
		if !first {
			b = append(b, '}')
		}
	}
	member(`"w":{`, func(kj keyJSON) []byte { return kj.w })
	member(`"t":{`, func(kj keyJSON) []byte { return kj.t })
	return append(b, '}')
}

// prefix returns the first n runes of s (all of it when shorter).
func prefix(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// ShardName is the file name (without .json) of the shard of a prefix:
// the prefix itself when it is lower-case ASCII letters and digits, else
// "_" and the hex of its UTF-8 bytes ("_" alone for the shard of every
// word), so every name is safe on every file system. The browser's script
// names shards the same way.
func ShardName(p string) string {
	if p == "" {
		return "_"
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			return "_" + hex.EncodeToString([]byte(p))
		}
	}
	return p
}

// marshal encodes v as JSON without escaping <, > and & (the files are
// data, never HTML); encoding/json sorts map keys, so the bytes are
// deterministic.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // strings, ints, maps of them: cannot fail
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

func sortedKeys[V any](m map[string]V) []string {
	if len(m) == 0 {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
