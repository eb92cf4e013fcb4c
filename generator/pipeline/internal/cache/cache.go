// Package cache is Steward's persistent build cache: what a build keeps on
// disk for the next one, in another process. It owns the cache folder's
// format (the codec in codec.go), mapping its index into memory (the
// mapfile files, per system) and keeping one build at a time in it (with
// package filelock). It knows what it stores (conversions, front matter,
// content files' stamps, highlighted code, what was written to each output
// folder), not how the pipeline computes or uses them: the pipeline makes
// every key.
//
// The cache lives in one folder per site (the pipeline's DefaultCacheDir):
//
//	index.bin  conversions without their HTML, highlighted code blocks, and
//	           per output folder what was written there (fingerprint, size,
//	           modification time), with a checksum (see codec.go); it is
//	           replaced whole, by rename.
//	journal    the changes of the saves since index.bin was written, one
//	           checksummed record each.
//	html.pack  the conversions' HTML, appended; read back by offset only for
//	           pages that must be rendered again.
//	spill      the conversions and analyses a build added, encoded, until
//	           its save copies them into index.bin or the journal (see
//	           spill.go); removed when the build releases the cache.
//	lock       held while a build uses the cache (see package filelock); a
//	           build that finds it held runs without the cache.
//
// Everything is keyed by content: a conversion by the hash of Steward's and
// its engines' versions, the settings that shape Markdown output, the
// file's path and its bytes; a page by the fingerprint of its data. So the
// cache cannot serve a stale result, and deleting the folder only costs
// time. A cache written by another version (another engine, as Open is
// told) is discarded whole.
package cache

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"os"
	"path/filepath"
	"sync"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/pipeline/internal/filelock"
)

// cacheFormat is the version of the folder's format; a folder of another
// format is discarded whole. Change it too when the content loader reads
// the same file differently (14: metadata as link definitions and as a
// header, a title heading below text kept in its place), since parsed
// pages are kept by their file's stamp.
const cacheFormat = 14

type cacheIndex struct {
	Format  int
	Engine  string
	Results map[string]cachedResult
	Code    map[[32]byte]cachedCode
	Outputs map[string]map[string]OutRecord // by absolute output folder
	// Gen counts the saves; code blocks unused for codeKeep saves go.
	Gen int
	// Fronts are decoded front matter by the SHA-256 of its YAML.
	Fronts map[[32]byte]content.FrontMatter
	// PackLive counts the bytes of html.pack still referenced.
	PackLive int64
	// Files are the content files' stamps and parsed pages by path, so a
	// build need not read a file whose stamp is unchanged.
	Files map[string]content.Known
	// Analyses are essays analysed for search and related essays, as the
	// pipeline encoded them, by the key it made of their inputs.
	Analyses map[[32]byte][]byte
	// Search is the search index the last build wrote.
	Search SearchIndex
	// Related are the related essays the last build chose.
	Related Related
}

// Related are the related essays a build chose (the pipeline's plan's),
// under the key of all they follow.
type Related struct {
	Key   [32]byte
	Lists [][]int
}

// SearchIndex is what the cache remembers of the search index a build
// wrote: the key of what it was made from (the pipeline's), and the
// fingerprint of each of its files (meta and shards) by output path, so a
// build whose index has the same key writes none of them again.
type SearchIndex struct {
	Key   [32]byte
	Files map[string][32]byte
}

// codeKeep is how many saves a highlighted code block outlives its last use.
const codeKeep = 20

type cachedCode struct {
	HTML []byte
	Gen  int // the save that last used it
}

type cachedResult struct {
	// Res is nil for a conversion this build added, which the spill
	// holds; the HTML is never in it.
	Res      *markdown.Result
	Off, Len int64
	// Sum checks the HTML read back, so a pack cut short by a crash is
	// noticed rather than served; the pack is therefore never fsynced.
	Sum [32]byte
}

// OutRecord is what the cache remembers of a file written to an output
// folder: the fingerprint of the data it was made from, and its size and
// modification time as written, by which a later build trusts that it is
// still there unchanged.
type OutRecord struct {
	FP    [32]byte
	Size  int64
	MTime int64 // UnixNano
}

// Cache is the persistent cache, opened for one build. Its methods are
// safe for concurrent use, except Outputs, SetOutputs, SetCode, Save and
// Close, which a build calls from one goroutine before or after its
// parallel steps. A cache that is not Valid answers no lookup and keeps
// nothing; all but the content loader's hooks (Front, StoreFront, Known,
// RememberFile, to be handed to a loader only when Valid) take a nil
// *Cache for one.
type Cache struct {
	dir  string
	lock *filelock.Lock

	mu   sync.Mutex
	idx  cacheIndex
	used map[string]cachedResult // this build's conversions, for the next
	// fronts used by this build, for the next.
	fronts map[[32]byte]content.FrontMatter
	// files known or read by this build, for the next.
	files map[string]content.Known
	// analyses used by this build, for the next.
	analyses map[[32]byte][]byte
	pack     *os.File
	size     int64 // of html.pack
	// sp holds the conversions and analyses this build added, in used
	// and analyses without their contents (see spill.go).
	sp    spill
	valid bool // the cache could be opened; otherwise builds run without it
	// failed is why a cache that was valid no longer is (see fail).
	failed error
	// dirty says which parts of the index this build changed: Save writes
	// nothing when none did, and a journal record diffs only those that
	// did (a 10,000-essay build with nothing changed walked every map).
	dirty dirtyParts
	// loaded is the index as read, so a save can write only what changed;
	// journal counts the saves appended since the last whole index.
	loaded  cacheIndex
	journal int
	indexed bool // index.bin was read: a journal can follow it
}

// dirtyParts are the parts of the index a build changed by storing into
// them. A part the build only read from is changed too when the build
// used fewer of its entries than it held (the rest are dropped): Save
// checks that by count, as what a build uses of a part is what it found
// there plus what it stored.
type dirtyParts struct {
	results, fronts, files, analyses, code, search, related bool
	// outputs are the changes to each output folder's records since the
	// index was read, by folder; a folder as it was read has none.
	outputs map[string]outputsDelta
}

// outputsDelta is what turns one output folder's records as read into
// those of this build.
type outputsDelta struct {
	set  map[string]OutRecord
	drop []string
}

// Open opens the cache in the folder dir, made if need be, for one build,
// and holds it until Save or Close. engine names everything besides the
// input that shapes what is cached (Steward's and its libraries'
// versions): a cache written under another engine is discarded. Open never
// fails: a cache that cannot be opened or read, or that another build
// holds, is not Valid, and a build runs without it, as a build without a
// cache would.
func Open(dir, engine string) *Cache {
	c := &Cache{dir: dir, used: map[string]cachedResult{}, fronts: map[[32]byte]content.FrontMatter{}, files: map[string]content.Known{}, analyses: map[[32]byte][]byte{}}
	c.idx = cacheIndex{Format: cacheFormat, Engine: engine, Results: map[string]cachedResult{}, Code: map[[32]byte]cachedCode{}, Outputs: map[string]map[string]OutRecord{}}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return c
	}
	lock, err := filelock.TryLock(filepath.Join(dir, "lock"))
	if err != nil {
		return c // another build holds it: run without the cache
	}
	c.lock = lock
	// A spill left by a build that was killed means nothing.
	os.Remove(filepath.Join(dir, spillName))
	indexed := false
	if data, err := readIndex(filepath.Join(dir, "index.bin")); err == nil {
		// The index's strings point into data, which is never modified.
		var idx cacheIndex
		if decodeIndex(data, &idx) == nil && idx.Format == cacheFormat && idx.Engine == engine {
			c.idx, indexed = idx, true
			if c.idx.Results == nil {
				c.idx.Results = map[string]cachedResult{}
			}
			if c.idx.Code == nil {
				c.idx.Code = map[[32]byte]cachedCode{}
			}
			if c.idx.Outputs == nil {
				c.idx.Outputs = map[string]map[string]OutRecord{}
			}
		}
	}
	c.indexed = indexed
	if indexed {
		var whole bool
		c.journal, whole = readJournal(filepath.Join(dir, "journal"), &c.idx)
		if !whole {
			// A save appended after a damaged record would never be
			// replayed: the next save writes the whole index instead.
			c.journal = JournalMax
		}
	} else {
		// No index, or one of another version: a journal means nothing.
		os.Remove(filepath.Join(dir, "journal"))
	}
	c.loaded = c.idx
	// SetOutputs replaces entries of Outputs: keep the loaded ones apart.
	c.loaded.Outputs = make(map[string]map[string]OutRecord, len(c.idx.Outputs))
	for k, v := range c.idx.Outputs {
		c.loaded.Outputs[k] = v
	}
	pack, err := os.OpenFile(filepath.Join(dir, "html.pack"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		c.Close()
		return c
	}
	fi, err := pack.Stat()
	if err != nil {
		pack.Close()
		c.Close()
		return c
	}
	if len(c.idx.Results) == 0 && fi.Size() > 0 {
		// A fresh or discarded index: the pack's contents mean nothing.
		if err := pack.Truncate(0); err != nil {
			pack.Close()
			c.Close()
			return c
		}
		fi, _ = pack.Stat()
	}
	c.pack, c.size, c.valid = pack, fi.Size(), true
	return c
}

// Valid reports whether the cache could be opened: a cache that is not
// answers no lookups and saves nothing.
func (c *Cache) Valid() bool { return c != nil && c.valid }

// Close releases the cache without saving it, as a failed build does.
func (c *Cache) Close() {
	if c == nil {
		return
	}
	if c.pack != nil {
		c.pack.Close()
		c.pack = nil
	}
	c.sp.release(c.dir)
	if c.lock != nil {
		c.lock.Unlock()
		c.lock = nil
	}
	c.valid = false
}

// fail marks the cache broken by err, which Save returns: a broken cache
// must not be saved. The caller holds c.mu.
func (c *Cache) fail(err error) {
	c.valid = false
	if c.failed == nil {
		c.failed = fmt.Errorf("build cache: %w", err)
	}
}

// Front implements content.FrontCache.
func (c *Cache) Front(key [32]byte) (content.FrontMatter, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.idx.Fronts[key]
	if ok {
		c.fronts[key] = f
		delete(c.sp.fronts, key)
	}
	return f, ok
}

// StoreFront implements content.FrontCache. The front matter is written
// out at once (see spill.go).
func (c *Cache) StoreFront(key [32]byte, f content.FrontMatter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid {
		return
	}
	if known, ok := c.idx.Fronts[key]; ok {
		// Known already, and by its key the same: kept as Front keeps
		// it, so that a journal record does not both add and drop it.
		c.fronts[key] = known
		return
	}
	if err := c.sp.addFront(c.dir, key, &f); err != nil {
		c.fail(err)
		return
	}
	c.dirty.fronts = true
}

// Known implements content.KnownFiles.
func (c *Cache) Known(path string) (content.Known, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.idx.Files[path]
	if ok {
		c.files[path] = k
	}
	return k, ok
}

// RememberFile implements content.KnownFiles.
func (c *Cache) RememberFile(path string, k content.Known) {
	c.mu.Lock()
	c.files[path] = k
	c.dirty.files = true
	c.mu.Unlock()
}

// Analysis returns the analysis stored under key (see StoreAnalysis).
// Asking keeps it for the next build.
func (c *Cache) Analysis(key [32]byte) ([]byte, bool) {
	if !c.Valid() {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.idx.Analyses[key]
	if ok {
		c.analyses[key] = b
		delete(c.sp.analyses, key) // stored before: the index's is the same
	}
	return b, ok
}

// StoreAnalysis keeps an essay's analysis under key for later builds. It
// is written out at once (see spill.go): the cache does not keep b.
func (c *Cache) StoreAnalysis(key [32]byte, b []byte) {
	if !c.Valid() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if b == nil {
		// The spill holds bytes; nil is kept as it is.
		c.analyses[key] = nil
		delete(c.sp.analyses, key)
	} else if err := c.sp.addAnalysis(c.dir, key, b); err != nil {
		c.fail(err)
		return
	} else {
		c.analyses[key] = nil // in the spill
	}
	c.dirty.analyses = true
}

// SearchIndex returns what the last build recorded of the search index it
// wrote (see SetSearchIndex).
func (c *Cache) SearchIndex() SearchIndex {
	if !c.Valid() {
		return SearchIndex{}
	}
	return c.idx.Search
}

// SetSearchIndex records the search index this build wrote; the cache
// keeps s.Files, which the caller must not change after.
func (c *Cache) SetSearchIndex(s SearchIndex) {
	if !c.Valid() {
		return
	}
	c.mu.Lock()
	if s.Key != c.idx.Search.Key || !maps.Equal(s.Files, c.idx.Search.Files) {
		c.dirty.search = true
	}
	c.idx.Search = s
	c.mu.Unlock()
}

// Related returns the related essays the last build recorded.
func (c *Cache) Related() Related {
	if !c.Valid() {
		return Related{}
	}
	return c.idx.Related
}

// SetRelated records the related essays this build chose; the cache
// keeps r.Lists, which the caller must not change after.
func (c *Cache) SetRelated(r Related) {
	if !c.Valid() {
		return
	}
	c.mu.Lock()
	c.idx.Related = r
	c.dirty.related = true
	c.mu.Unlock()
}

// Result returns the conversion stored under key, without its HTML (see
// HTML), or nil. Asking keeps it for the next build.
func (c *Cache) Result(key string) *markdown.Result {
	if c == nil || !c.valid {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cr, ok := c.idx.Results[key]
	if !ok {
		return nil
	}
	c.used[key] = cr
	delete(c.sp.results, key) // stored before, and found after: this one is used
	return cr.Res
}

// AddResult stores a new conversion under key: its HTML is appended to the
// pack and the rest to the spill at once (see spill.go), and Save copies
// that into the index. The cache does not keep r.
func (c *Cache) AddResult(key string, r *markdown.Result) {
	if c == nil || !c.valid {
		return
	}
	sum := sha256.Sum256(r.HTML)
	c.mu.Lock()
	defer c.mu.Unlock()
	n, err := c.pack.WriteAt(r.HTML, c.size)
	if err == nil {
		err = c.sp.addResult(c.dir, key, r)
	}
	if err != nil {
		c.fail(err)
		return
	}
	c.used[key] = cachedResult{Off: c.size, Len: int64(n), Sum: sum} // Res in the spill
	c.size += int64(n)
	c.dirty.results = true
}

// HTML reads back the HTML of the conversion that this build found or
// stored under key (by Result or AddResult). A pack damaged since is an
// error that says to delete the cache.
func (c *Cache) HTML(key string) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("build cache: no HTML for %s", key)
	}
	c.mu.Lock()
	cr, ok := c.used[key]
	c.mu.Unlock()
	if !ok || c.pack == nil {
		return nil, fmt.Errorf("build cache: no HTML for %s", key)
	}
	b := make([]byte, cr.Len)
	if _, err := c.pack.ReadAt(b, cr.Off); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("build cache: %w; delete %s and build again", err, c.dir)
	}
	if sha256.Sum256(b) != cr.Sum {
		return nil, fmt.Errorf("build cache: %s is damaged; delete it and build again", c.dir)
	}
	return b, nil
}

// Outputs returns what the last build recorded with SetOutputs of the
// output folder abs (an absolute path), by slash path within it; nil when
// the cache does not know the folder.
func (c *Cache) Outputs(abs string) map[string]OutRecord {
	if c == nil || !c.valid {
		return nil
	}
	return c.idx.Outputs[abs]
}

// SetOutputs records what the output folder abs now holds, by slash path;
// the cache keeps m, which the caller must not change after.
func (c *Cache) SetOutputs(abs string, m map[string]OutRecord) {
	if c == nil || !c.valid {
		return
	}
	// The changes from the records as read, found here in one walk of m:
	// the folder's own record changes in every build (see the pipeline's
	// Folder), and walking 14,000 records again to find that cost a
	// 10,000-essay build with nothing changed 17 ms.
	old := c.loaded.Outputs[abs]
	var od outputsDelta
	common := 0
	for p, r := range m {
		o, ok := old[p]
		if ok {
			common++
		}
		if !ok || o != r {
			if od.set == nil {
				od.set = map[string]OutRecord{}
			}
			od.set[p] = r
		}
	}
	if common < len(old) {
		for p := range old {
			if _, ok := m[p]; !ok {
				od.drop = append(od.drop, p)
			}
		}
	}
	if _, known := c.loaded.Outputs[abs]; od.set != nil || od.drop != nil || !known {
		if c.dirty.outputs == nil {
			c.dirty.outputs = map[string]outputsDelta{}
		}
		c.dirty.outputs[abs] = od
	} else {
		delete(c.dirty.outputs, abs)
	}
	c.idx.Outputs[abs] = m
}

// Save writes the index of what this build used (entries it did not ask
// for are dropped), compacting the pack when most of it is no longer
// referenced, and releases the cache. A cache that is not Valid is only
// released.
func (c *Cache) Save() error {
	if c == nil {
		return nil
	}
	if !c.valid {
		c.Close()
		return c.failed
	}
	defer c.Close()
	// Entries no longer used are dropped.
	dp := &c.dirty
	dp.results = dp.results || len(c.used) != len(c.idx.Results)
	dp.fronts = dp.fronts || len(c.fronts) != len(c.idx.Fronts) // (a spill's front matter set fronts)
	dp.files = dp.files || len(c.files) != len(c.idx.Files)
	dp.analyses = dp.analyses || len(c.analyses) != len(c.idx.Analyses)
	if !(dp.results || dp.fronts || dp.files || dp.analyses || dp.code || dp.search || dp.related || len(dp.outputs) > 0) {
		return nil
	}
	var live int64
	for _, cr := range c.used {
		live += cr.Len
	}
	snapshot := !c.indexed || c.journal >= JournalMax
	if c.size > 2*live+(1<<20) {
		if err := c.compact(); err != nil {
			return err
		}
		snapshot = true // every offset moved
	}
	c.idx.Results = c.used
	c.idx.Fronts = c.fronts
	c.idx.Files = c.files
	c.idx.Analyses = c.analyses
	c.idx.PackLive = live
	c.idx.Gen++
	if !snapshot {
		d := diffIndex(&c.loaded, &c.idx, &c.dirty)
		if err := appendJournal(filepath.Join(c.dir, "journal"), d, &c.sp); err == nil {
			return nil
		}
		// The journal could not be written: write the whole index instead.
	}
	tmp := filepath.Join(c.dir, "index.bin.tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := writeIndex(f, &c.idx, &c.sp); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(c.dir, "index.bin")); err != nil {
		return err
	}
	// The snapshot holds everything: the journal starts again.
	if err := os.Remove(filepath.Join(c.dir, "journal")); err != nil && !os.IsNotExist(err) {
		return err
	}
	// The index of versions before index.bin, if any, only takes room.
	os.Remove(filepath.Join(c.dir, "index.gob"))
	return nil
}

// JournalMax is how many saves are appended to the journal before the
// next one rewrites the whole index: a save after a one-essay edit then
// writes a few kilobytes rather than the whole index.
const JournalMax = 32

// cacheDelta is one save's changes to the index.
type cacheDelta struct {
	Gen      int
	PackLive int64
	Results  map[string]cachedResult
	Dropped  []string
	Fronts   map[[32]byte]content.FrontMatter
	DropFr   [][32]byte
	Files    map[string]content.Known
	DropFile []string
	Code     map[[32]byte]cachedCode
	DropCode [][32]byte
	Outputs  map[string]map[string]OutRecord
	DropOut  map[string][]string
	// Whole output folders that are no longer recorded.
	DropDirs []string
	Analyses map[[32]byte][]byte
	DropAna  [][32]byte
	// Search replaces the index's whole (it is small); so does Related
	// when HasRelated is set (it holds a list per essay: only a save that
	// chose them again carries it).
	Search     SearchIndex
	HasRelated bool
	Related    Related
}

func diffMap[K comparable, V any](old, cur map[K]V, same func(a, b V) bool) (map[K]V, []K) {
	set := map[K]V{}
	var drop []K
	for k, v := range cur {
		if o, ok := old[k]; !ok || !same(o, v) {
			set[k] = v
		}
	}
	for k := range old {
		if _, ok := cur[k]; !ok {
			drop = append(drop, k)
		}
	}
	return set, drop
}

// diffIndex is what turns old into cur, where cur differs from old only
// in the parts dirty names (and, for output folders, holds the changes).
func diffIndex(old, cur *cacheIndex, dirty *dirtyParts) *cacheDelta {
	d := &cacheDelta{Gen: cur.Gen, PackLive: cur.PackLive, Outputs: map[string]map[string]OutRecord{}, DropOut: map[string][]string{}}
	if dirty.results {
		d.Results, d.Dropped = diffMap(old.Results, cur.Results, func(a, b cachedResult) bool { return a.Off == b.Off && a.Len == b.Len && a.Sum == b.Sum })
	}
	if dirty.fronts {
		d.Fronts, d.DropFr = diffMap(old.Fronts, cur.Fronts, func(a, b content.FrontMatter) bool { return true })
	}
	if dirty.files {
		// A page's record changes only with its stamp.
		d.Files, d.DropFile = diffMap(old.Files, cur.Files, func(a, b content.Known) bool { return a.Stamp == b.Stamp && a.Doc.Hash == b.Doc.Hash })
	}
	if dirty.code {
		d.Code, d.DropCode = diffMap(old.Code, cur.Code, func(a, b cachedCode) bool { return a.Gen == b.Gen })
	}
	if dirty.analyses {
		// An analysis is keyed by its inputs: one key, one analysis.
		d.Analyses, d.DropAna = diffMap(old.Analyses, cur.Analyses, func(a, b []byte) bool { return true })
	}
	d.Search = cur.Search
	if dirty.related {
		d.HasRelated, d.Related = true, cur.Related
	}
	for abs, od := range dirty.outputs {
		if len(od.set) > 0 {
			d.Outputs[abs] = od.set
		} else if _, ok := old.Outputs[abs]; !ok {
			d.Outputs[abs] = map[string]OutRecord{} // a folder new and empty
		}
		if len(od.drop) > 0 {
			d.DropOut[abs] = od.drop
		}
	}
	for abs := range old.Outputs {
		if _, ok := cur.Outputs[abs]; !ok {
			d.DropDirs = append(d.DropDirs, abs)
		}
	}
	return d
}

// apply replays a delta onto the index.
func (d *cacheDelta) apply(idx *cacheIndex) {
	idx.Gen, idx.PackLive = d.Gen, d.PackLive
	for k, v := range d.Results {
		idx.Results[k] = v
	}
	for _, k := range d.Dropped {
		delete(idx.Results, k)
	}
	if idx.Fronts == nil {
		idx.Fronts = map[[32]byte]content.FrontMatter{}
	}
	for k, v := range d.Fronts {
		idx.Fronts[k] = v
	}
	for _, k := range d.DropFr {
		delete(idx.Fronts, k)
	}
	if idx.Files == nil {
		idx.Files = map[string]content.Known{}
	}
	for k, v := range d.Files {
		idx.Files[k] = v
	}
	for _, k := range d.DropFile {
		delete(idx.Files, k)
	}
	for k, v := range d.Code {
		idx.Code[k] = v
	}
	for _, k := range d.DropCode {
		delete(idx.Code, k)
	}
	for abs, m := range d.Outputs {
		if idx.Outputs[abs] == nil {
			idx.Outputs[abs] = map[string]OutRecord{}
		}
		for p, r := range m {
			idx.Outputs[abs][p] = r
		}
	}
	for abs, ps := range d.DropOut {
		for _, p := range ps {
			delete(idx.Outputs[abs], p)
		}
	}
	for _, abs := range d.DropDirs {
		delete(idx.Outputs, abs)
	}
	if idx.Analyses == nil {
		idx.Analyses = map[[32]byte][]byte{}
	}
	for k, v := range d.Analyses {
		idx.Analyses[k] = v
	}
	for _, k := range d.DropAna {
		delete(idx.Analyses, k)
	}
	idx.Search = d.Search
	if d.HasRelated {
		idx.Related = d.Related
	}
}

// appendJournal adds one delta to the journal as one record: its length
// and checksum, then the delta (see codec.go), its entries in the spill
// sp copied from there.
func appendJournal(path string, d *cacheDelta, sp *spill) error {
	data, err := appendRecord(nil, d, sp)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readJournal replays the journal onto idx and returns how many records it
// held, and whether it replayed them all. A record cut short (a save that
// died) or damaged ends the replay: every record before it is whole, and
// the index they make is consistent.
func readJournal(path string, idx *cacheIndex) (n int, whole bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, true
	}
	// The deltas' strings point into data, which is never modified.
	for len(data) > 0 {
		var d cacheDelta
		rest, err := nextRecord(data, &d)
		if err != nil || d.Gen != idx.Gen+1 {
			return n, false // damaged, or not the save that followed this index
		}
		d.apply(idx)
		data = rest
		n++
	}
	return n, true
}

// compact rewrites the pack with only the HTML still referenced.
func (c *Cache) compact() error {
	tmp, err := os.Create(filepath.Join(c.dir, "html.pack.tmp"))
	if err != nil {
		return err
	}
	var off int64
	next := make(map[string]cachedResult, len(c.used))
	for k, cr := range c.used {
		b := make([]byte, cr.Len)
		if _, err := c.pack.ReadAt(b, cr.Off); err != nil && !errors.Is(err, io.EOF) {
			tmp.Close()
			return err
		}
		if _, err := tmp.Write(b); err != nil {
			tmp.Close()
			return err
		}
		cr.Off = off
		off += cr.Len
		next[k] = cr
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	// Closed before the rename: Windows does not replace an open file.
	c.pack.Close()
	if err := os.Rename(tmp.Name(), filepath.Join(c.dir, "html.pack")); err != nil {
		c.pack, c.valid = nil, false
		return err
	}
	pack, err := os.OpenFile(filepath.Join(c.dir, "html.pack"), os.O_RDWR, 0o644)
	if err != nil {
		c.pack, c.valid = nil, false
		return err
	}
	c.pack, c.size, c.used = pack, off, next
	return nil
}

// Code returns the highlighted code blocks the cache holds, by the key
// the caller stored them under (see SetCode).
func (c *Cache) Code() iter.Seq2[[32]byte, []byte] {
	return func(yield func([32]byte, []byte) bool) {
		if !c.Valid() {
			return
		}
		for k, v := range c.idx.Code {
			if !yield(k, v.HTML) {
				return
			}
		}
	}
}

// SetCode records the highlighted code blocks this build used, by their
// keys. The cache keeps them and every block used in its last codeKeep
// saves: an essay served from the cache does not look its code blocks up,
// and they must outlive that.
func (c *Cache) SetCode(used map[[32]byte][]byte) {
	if !c.Valid() || len(used) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dirty.code = true
	next := make(map[[32]byte]cachedCode, len(c.idx.Code)+len(used))
	for k, v := range c.idx.Code {
		if v.Gen >= c.idx.Gen-codeKeep {
			next[k] = v
		}
	}
	for k, h := range used {
		next[k] = cachedCode{HTML: h, Gen: c.idx.Gen + 1}
	}
	c.idx.Code = next
}
