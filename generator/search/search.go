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
	// Terms counts each stem's weighted occurrences; Length is their sum.
	Terms  map[string]int
	Length int
	// Words maps a word as written (lower case) to its stem, where the
	// two differ.
	Words map[string]string
	// Stops are the stop words met, which are not indexed.
	Stops []string
	// resultSum is set on an entry decoded without its Text (see
	// DecodeEntry): the fingerprint of its result file.
	resultSum *[32]byte
	// madeSum is the fingerprint of the result file ResultFile made.
	madeSum *[32]byte
}

// Analyzer turns essays into entries for one language. It remembers the
// stems it computed (a site has far fewer distinct words than words) and
// is safe for concurrent use.
type Analyzer struct {
	lang  string
	stem  func(string, bool) string
	stop  func(string) bool
	stems sync.Map // word -> stem
}

// NewAnalyzer returns an Analyzer for a site's language (site.yaml's
// language, such as "en" or "fr-CA"). Languages with a Snowball stemmer in
// github.com/kljensen/snowball are stemmed (English, French, Spanish,
// Russian, Swedish, Norwegian, Hungarian); words of others are matched as
// written and by prefix.
func NewAnalyzer(language string) *Analyzer {
	a := &Analyzer{}
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
	eachToken(text, func(w string) { out = append(out, w) })
	return out
}

// eachToken calls f with each word of text as Tokens splits it, without
// making the list (an essay has thousands of words).
func eachToken(text string, f func(string)) {
	start := -1
	flush := func(end int) {
		if start >= 0 {
			if w := text[start:end]; len(w) >= 2 && utf8.RuneCountInString(w) >= 2 {
				f(strings.ToLower(w)) // returns w itself when it is lower case
			}
			start = -1
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			// ASCII, most of the text: no decoding.
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				if start < 0 {
					start = i
				}
			} else {
				flush(i)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			if start < 0 {
				start = i
			}
		} else {
			flush(i)
		}
		i += n
	}
	flush(len(text))
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
	e := &Entry{URL: in.URL, Title: in.Title, Date: in.Date}
	text := Text(in.HTML)
	// Each written form's weighted count first (one map operation a word),
	// then each form stemmed once: an essay has thousands of words and a
	// few hundred forms.
	counts := make(map[string]int, 512)
	add := func(s string, weight int) {
		eachToken(s, func(w string) { counts[w] += weight })
	}
	add(in.Title, weightTitle)
	for _, h := range in.Headings {
		add(h, weightHeading)
	}
	for _, t := range in.Tags {
		add(t, weightTag)
	}
	add(in.Summary, weightSummary)
	add(text, weightBody)
	e.Terms, e.Words = make(map[string]int, len(counts)), make(map[string]string, len(counts)/2)
	stops := map[string]bool{}
	for w, n := range counts {
		st := a.stemOf(w)
		if st == "" {
			stops[w] = true
			continue
		}
		e.Terms[st] += n
		e.Length += n
		if st != w {
			e.Words[w] = st
		}
	}
	e.Text = cutText(text)
	e.Stops = sortedKeys(stops)
	return e
}

// cutText cuts an essay's text to what is kept for its snippet.
func cutText(text string) string {
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
	postings map[string][]int // stem -> essay, count, essay, count... (any order)
	words    map[string]string
	stops    map[string]bool
	// wordRefs and stopRefs count the essays that hold each word and stop
	// word, so that Remove lets go of those no essay holds any more.
	wordRefs, stopRefs map[string]int
}

// NewIndex returns an empty index of n essays, numbered 0 to n-1.
func NewIndex(n int) *Index {
	return &Index{lens: make([]int, n), postings: map[string][]int{}, words: map[string]string{}, stops: map[string]bool{}, wordRefs: map[string]int{}, stopRefs: map[string]int{}}
}

// Len is the number of essays of the index.
func (ix *Index) Len() int { return len(ix.lens) }

// Add records essay number id.
func (ix *Index) Add(id int, e *Entry) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.lens[id] = e.Length
	for t, n := range e.Terms {
		ix.postings[t] = append(ix.postings[t], id, n)
	}
	for w, s := range e.Words {
		ix.words[w] = s
		ix.wordRefs[w]++
	}
	for _, s := range e.Stops {
		ix.stops[s] = true
		ix.stopRefs[s]++
	}
}

// Remove takes back what Add(id, e) recorded, so that the dev server
// updates its index after an edit rather than making it anew: the files
// are then those of an index made from the entries as they are now.
func (ix *Index) Remove(id int, e *Entry) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.lens[id] = 0
	for t := range e.Terms {
		p := ix.postings[t]
		for k := 0; k+1 < len(p); k += 2 {
			if p[k] == id {
				p = append(p[:k], p[k+2:]...)
				break
			}
		}
		if len(p) == 0 {
			delete(ix.postings, t)
		} else {
			ix.postings[t] = p
		}
	}
	for w := range e.Words {
		if ix.wordRefs[w]--; ix.wordRefs[w] <= 0 {
			delete(ix.wordRefs, w)
			delete(ix.words, w)
		}
	}
	for _, s := range e.Stops {
		if ix.stopRefs[s]--; ix.stopRefs[s] <= 0 {
			delete(ix.stopRefs, s)
			delete(ix.stops, s)
		}
	}
}

// Files returns the meta (first) and the shards, by path.
func (ix *Index) Files() []File {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	m := meta{V: Version, N: len(ix.lens), Len: ix.lens, Shards: []string{}, Stops: sortedKeys(ix.stops)}
	if m.Stops == nil {
		m.Stops = []string{}
	}
	// Each posting list in order of essay, and each essay number made its
	// distance from the previous one (small numbers, which gzip likes).
	postings := make(map[string][]int, len(ix.postings))
	for t, p := range ix.postings {
		pairs := make([][2]int, len(p)/2)
		for k := range pairs {
			pairs[k] = [2]int{p[2*k], p[2*k+1]}
		}
		sort.Slice(pairs, func(a, b int) bool { return pairs[a][0] < pairs[b][0] })
		out := make([]int, 0, len(p))
		prev := 0
		for _, pr := range pairs {
			out = append(out, pr[0]-prev, pr[1])
			prev = pr[0]
		}
		postings[t] = out
	}
	keys := map[string]bool{}
	for t := range postings {
		keys[t] = true
	}
	for w := range ix.words {
		keys[w] = true
	}
	// One shard holds every word while it is small; above shardLimit it
	// is split by first letter, then by two, as deep as needed.
	var shards []File
	split("", sortedKeys(keys), postings, ix.words, func(prefix string, data []byte) {
		m.Shards = append(m.Shards, prefix)
		shards = append(shards, File{Path: "s/" + ShardName(prefix) + ".json", Data: data})
	})
	sort.Strings(m.Shards)
	sort.Slice(shards, func(i, j int) bool { return shards[i].Path < shards[j].Path })
	return append([]File{{Path: "index.json", Data: marshal(m)}}, shards...)
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

// split emits the shard of the keys beginning with p, or, when that
// would be larger than shardLimit, the shards of longer prefixes (the
// keys that are p itself stay in p's shard). keys are sorted. A shard's
// size is added up from its keys' (see sizes), so only the shards emitted
// are encoded.
func split(p string, keys []string, postings map[string][]int, words map[string]string, emit func(string, []byte)) {
	sz := sizes(keys, postings, words)
	split1(p, keys, postings, words, sz, emit)
}

func split1(p string, keys []string, postings map[string][]int, words map[string]string, sz keySizes, emit func(string, []byte)) {
	plen := utf8.RuneCountInString(p)
	if sz.of(keys) <= shardLimit || len(keys) == 1 {
		emit(p, encodeShard(keys, postings, words))
		return
	}
	var exact []string
	groups := map[string][]string{}
	for _, k := range keys {
		if k == p {
			exact = append(exact, k)
			continue
		}
		q := prefix(k, plen+1)
		groups[q] = append(groups[q], k)
	}
	if exact != nil {
		emit(p, encodeShard(exact, postings, words))
	}
	for _, q := range sortedKeys(groups) {
		split1(q, groups[q], postings, words, sz, emit)
	}
}

// keySizes holds, by key, the bytes of its entry among a shard's words
// ("key":"stem") and among its terms ("key":[1,2]), 0 for none.
type keySizes map[string][2]int

// sizes measures the entries of every key.
func sizes(keys []string, postings map[string][]int, words map[string]string) keySizes {
	sz := make(keySizes, len(keys))
	var buf []byte
	for _, k := range keys {
		var e [2]int
		if st, ok := words[k]; ok {
			buf = appendJSONString(appendJSONString(buf[:0], k), st)
			e[0] = len(buf) + 1
		}
		if p, ok := postings[k]; ok {
			buf = appendInts(appendJSONString(buf[:0], k), p)
			e[1] = len(buf) + 1
		}
		sz[k] = e
	}
	return sz
}

// of is the size of the shard of keys, as encodeShard writes it.
func (sz keySizes) of(keys []string) int {
	var w, t, nw, nt int
	for _, k := range keys {
		e := sz[k]
		if e[0] > 0 {
			w, nw = w+e[0], nw+1
		}
		if e[1] > 0 {
			t, nt = t+e[1], nt+1
		}
	}
	n := 2 // {}
	if nw > 0 {
		n += len(`"w":{`) + w + nw - 1 + 1
	}
	if nt > 0 {
		n += len(`"t":{`) + t + nt - 1 + 1
	}
	if nw > 0 && nt > 0 {
		n++ // the comma between
	}
	return n
}

// encodeShard writes the shard of keys (sorted) as encoding/json writes
// shard{Words, Terms}, without reflection: the index of 10,000 essays
// has millions of postings.
func encodeShard(keys []string, postings map[string][]int, words map[string]string) []byte {
	var b []byte
	b = append(b, '{')
	first := true
	for _, k := range keys {
		st, ok := words[k]
		if !ok {
			continue
		}
		if first {
			b = append(b, `"w":{`...)
			first = false
		} else {
			b = append(b, ',')
		}
		b = appendJSONString(append(appendJSONString(b, k), ':'), st)
	}
	if !first {
		b = append(b, '}')
	}
	hadWords := !first
	first = true
	for _, k := range keys {
		p, ok := postings[k]
		if !ok {
			continue
		}
		if first {
			if hadWords {
				b = append(b, ',')
			}
			b = append(b, `"t":{`...)
			first = false
		} else {
			b = append(b, ',')
		}
		b = appendInts(append(appendJSONString(b, k), ':'), p)
	}
	if !first {
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendInts appends p as a JSON array.
func appendInts(b []byte, p []int) []byte {
	b = append(b, '[')
	for i, n := range p {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(n), 10)
	}
	return append(b, ']')
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
