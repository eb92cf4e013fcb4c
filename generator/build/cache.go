package build

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/markdown"
)

// The persistent cache lives in one folder per site (see DefaultCacheDir):
//
//	index.gob  conversions without their HTML, highlighted code blocks, and
//	           per output folder what was written there (fingerprint, size,
//	           modification time); it is replaced whole, by rename.
//	html.pack  the conversions' HTML, appended; read back by offset only for
//	           pages that must be rendered again.
//	lock       held while a build uses the cache.
//
// Everything is keyed by content: a conversion by the hash of Steward's and
// its engines' versions, the settings that shape Markdown output, the
// file's path and its bytes; a page by the fingerprint of its data. So the
// cache cannot serve a stale result, and deleting the folder only costs
// time. A cache written by another version is discarded whole.

const cacheFormat = 2

type cacheIndex struct {
	Format  int
	Engine  string
	Results map[string]cachedResult
	Code    map[[32]byte]cachedCode
	Outputs map[string]map[string]outRecord // by absolute output folder
	// Gen counts the saves; code blocks unused for codeKeep saves go.
	Gen int
	// Fronts are decoded front matter by the SHA-256 of its YAML.
	Fronts map[[32]byte]content.FrontMatter
	// PackLive counts the bytes of html.pack still referenced.
	PackLive int64
}

// codeKeep is how many saves a highlighted code block outlives its last use.
const codeKeep = 20

type cachedCode struct {
	HTML []byte
	Gen  int // the save that last used it
}

type cachedResult struct {
	Res      *markdown.Result // HTML nil
	Off, Len int64
	// Sum checks the HTML read back, so a pack cut short by a crash is
	// noticed rather than served; the pack is therefore never fsynced.
	Sum [32]byte
}

// indexChunk is how many entries of a map go in one gob message: gob reads
// a message of more than a few megabytes in growing pieces, and copying
// them was most of the time a warm 10,000-essay build spent on its index.
const indexChunk = 1000

// encodeIndex writes the index as a stream of small gob messages: the
// scalars, then each map in chunks, each chunk preceded by its length.
func encodeIndex(w io.Writer, idx *cacheIndex) error {
	enc := gob.NewEncoder(w)
	head := *idx
	head.Results, head.Fronts, head.Code = nil, nil, nil
	if err := enc.Encode(&head); err != nil {
		return err
	}
	if err := encodeChunks(enc, idx.Results); err != nil {
		return err
	}
	if err := encodeChunks(enc, idx.Fronts); err != nil {
		return err
	}
	return encodeChunks(enc, idx.Code)
}

func encodeChunks[K comparable, V any](enc *gob.Encoder, m map[K]V) error {
	chunk := make(map[K]V, indexChunk)
	n := 0
	flush := func() error {
		if err := enc.Encode(len(chunk)); err != nil {
			return err
		}
		if err := enc.Encode(chunk); err != nil {
			return err
		}
		clear(chunk)
		return nil
	}
	for k, v := range m {
		chunk[k] = v
		if n++; n%indexChunk == 0 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if len(chunk) > 0 {
		if err := flush(); err != nil {
			return err
		}
	}
	return enc.Encode(0) // the end of this map
}

func decodeIndex(data []byte, idx *cacheIndex) error {
	dec := gob.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(idx); err != nil {
		return err
	}
	var err error
	if idx.Results, err = decodeChunks[string, cachedResult](dec); err != nil {
		return err
	}
	if idx.Fronts, err = decodeChunks[[32]byte, content.FrontMatter](dec); err != nil {
		return err
	}
	idx.Code, err = decodeChunks[[32]byte, cachedCode](dec)
	return err
}

func decodeChunks[K comparable, V any](dec *gob.Decoder) (map[K]V, error) {
	m := map[K]V{}
	for {
		var n int
		if err := dec.Decode(&n); err != nil {
			return nil, err
		}
		if n == 0 {
			return m, nil
		}
		chunk := make(map[K]V, n)
		if err := dec.Decode(&chunk); err != nil {
			return nil, err
		}
		for k, v := range chunk {
			m[k] = v
		}
	}
}

// diskCache is the persistent cache, opened for one build.
type diskCache struct {
	dir  string
	lock *os.File

	mu   sync.Mutex
	idx  cacheIndex
	used map[string]cachedResult // this build's conversions, for the next
	// fronts used by this build, for the next.
	fronts map[[32]byte]content.FrontMatter
	pack   *os.File
	size   int64 // of html.pack
	valid  bool  // the cache could be opened; otherwise builds run without it
	dirty  bool  // something changed since it was read: save writes it
}

func openDiskCache(dir string) *diskCache {
	c := &diskCache{dir: dir, used: map[string]cachedResult{}, fronts: map[[32]byte]content.FrontMatter{}}
	c.idx = cacheIndex{Format: cacheFormat, Engine: engineVersion, Results: map[string]cachedResult{}, Code: map[[32]byte]cachedCode{}, Outputs: map[string]map[string]outRecord{}}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return c
	}
	lock, err := os.OpenFile(filepath.Join(dir, "lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return c
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close() // another build holds it: run without the cache
		return c
	}
	c.lock = lock
	if data, err := os.ReadFile(filepath.Join(dir, "index.gob")); err == nil {
		var idx cacheIndex
		if decodeIndex(data, &idx) == nil && idx.Format == cacheFormat && idx.Engine == engineVersion {
			c.idx = idx
			if c.idx.Code == nil {
				c.idx.Code = map[[32]byte]cachedCode{}
			}
			if c.idx.Outputs == nil {
				c.idx.Outputs = map[string]map[string]outRecord{}
			}
		}
	}
	pack, err := os.OpenFile(filepath.Join(dir, "html.pack"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		c.close()
		return c
	}
	fi, err := pack.Stat()
	if err != nil {
		pack.Close()
		c.close()
		return c
	}
	if len(c.idx.Results) == 0 && fi.Size() > 0 {
		// A fresh or discarded index: the pack's contents mean nothing.
		if err := pack.Truncate(0); err != nil {
			pack.Close()
			c.close()
			return c
		}
		fi, _ = pack.Stat()
	}
	c.pack, c.size, c.valid = pack, fi.Size(), true
	return c
}

func (c *diskCache) close() {
	if c.pack != nil {
		c.pack.Close()
		c.pack = nil
	}
	if c.lock != nil {
		c.lock.Close()
		c.lock = nil
	}
	c.valid = false
}

// Front implements content.FrontCache.
func (c *diskCache) Front(key [32]byte) (content.FrontMatter, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.idx.Fronts[key]
	if ok {
		c.fronts[key] = f
	}
	return f, ok
}

// StoreFront implements content.FrontCache.
func (c *diskCache) StoreFront(key [32]byte, f content.FrontMatter) {
	c.mu.Lock()
	c.fronts[key] = f
	c.dirty = true
	c.mu.Unlock()
}

// result returns a cached conversion without its HTML, or nil.
func (c *diskCache) result(key string) *markdown.Result {
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
	return cr.Res
}

// addResult stores a new conversion: its HTML appended to the pack.
func (c *diskCache) addResult(key string, r *markdown.Result) {
	if c == nil || !c.valid {
		return
	}
	meta := *r
	meta.HTML = nil
	c.mu.Lock()
	defer c.mu.Unlock()
	n, err := c.pack.WriteAt(r.HTML, c.size)
	if err != nil {
		c.valid = false // a broken cache must not be saved
		return
	}
	c.used[key] = cachedResult{Res: &meta, Off: c.size, Len: int64(n), Sum: sha256.Sum256(r.HTML)}
	c.size += int64(n)
	c.dirty = true
}

// html reads a conversion's HTML back from the pack.
func (c *diskCache) html(key string) ([]byte, error) {
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

// outputs returns what was last written to the output folder abs.
func (c *diskCache) outputs(abs string) map[string]outRecord {
	if c == nil || !c.valid {
		return nil
	}
	return c.idx.Outputs[abs]
}

func (c *diskCache) setOutputs(abs string, m map[string]outRecord) {
	if c == nil || !c.valid {
		return
	}
	old := c.idx.Outputs[abs]
	if len(old) != len(m) {
		c.dirty = true
	} else {
		for p, r := range m {
			if old[p] != r {
				c.dirty = true
				break
			}
		}
	}
	c.idx.Outputs[abs] = m
}

// save writes the index of this build's conversions, compacting the pack
// when most of it is no longer referenced, and releases the cache.
func (c *diskCache) save() error {
	if c == nil || !c.valid {
		if c != nil {
			c.close()
		}
		return nil
	}
	defer c.close()
	if len(c.used) != len(c.idx.Results) || len(c.fronts) != len(c.idx.Fronts) {
		c.dirty = true // entries no longer used are dropped
	}
	if !c.dirty {
		return nil
	}
	var live int64
	for _, cr := range c.used {
		live += cr.Len
	}
	if c.size > 2*live+(1<<20) {
		if err := c.compact(); err != nil {
			return err
		}
	}
	c.idx.Results = c.used
	c.idx.Fronts = c.fronts
	c.idx.PackLive = live
	c.idx.Gen++
	var buf bytes.Buffer
	if err := encodeIndex(&buf, &c.idx); err != nil {
		return err
	}
	tmp := filepath.Join(c.dir, "index.gob.tmp")
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(c.dir, "index.gob"))
}

// compact rewrites the pack with only the HTML still referenced.
func (c *diskCache) compact() error {
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
	if err := os.Rename(tmp.Name(), filepath.Join(c.dir, "html.pack")); err != nil {
		return err
	}
	c.pack.Close()
	pack, err := os.OpenFile(filepath.Join(c.dir, "html.pack"), os.O_RDWR, 0o644)
	if err != nil {
		c.valid = false
		return err
	}
	c.pack, c.size, c.used = pack, off, next
	return nil
}

// codeCache remembers highlighted code blocks by (language, code): each is
// highlighted once per Builder and, through the disk cache, once ever.
type codeCache struct {
	mu   sync.Mutex
	m    map[[32]byte][]byte
	used map[[32]byte][]byte
	// hits and stores count lookups answered and blocks highlighted.
	hits, stores int
}

func newCodeCache() *codeCache {
	return &codeCache{m: map[[32]byte][]byte{}, used: map[[32]byte][]byte{}}
}

func codeKey(lang, code string) [32]byte {
	return sha256.Sum256([]byte(engineVersion + "\x00" + lang + "\x00" + code))
}

// Highlighted implements markdown.CodeCache.
func (c *codeCache) Highlighted(lang, code string) ([]byte, bool) {
	k := codeKey(lang, code)
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[k]
	if ok {
		c.used[k] = h
		c.hits++
	}
	return h, ok
}

// Store implements markdown.CodeCache.
func (c *codeCache) Store(lang, code string, html []byte) {
	k := codeKey(lang, code)
	c.mu.Lock()
	c.m[k], c.used[k] = html, html
	c.stores++
	c.mu.Unlock()
}

// load adds the disk cache's code blocks.
func (c *codeCache) load(d *diskCache) {
	if d == nil || !d.valid {
		return
	}
	c.mu.Lock()
	for k, v := range d.idx.Code {
		if _, ok := c.m[k]; !ok {
			c.m[k] = v.HTML
		}
	}
	c.mu.Unlock()
}

// finish ends a build. Memory keeps what this build used, so a long dev
// session's cache stays the size of the site. The disk cache keeps every
// block used in its last codeKeep saves: an essay served from the cache
// does not look its code blocks up, and they must outlive that.
func (c *codeCache) finish(d *diskCache) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d != nil && d.valid && len(c.used) > 0 {
		d.dirty = true
		next := make(map[[32]byte]cachedCode, len(d.idx.Code)+len(c.used))
		for k, v := range d.idx.Code {
			if v.Gen >= d.idx.Gen-codeKeep {
				next[k] = v
			}
		}
		for k, h := range c.used {
			next[k] = cachedCode{HTML: h, Gen: d.idx.Gen + 1}
		}
		d.idx.Code = next
	}
	c.m, c.used = c.used, map[[32]byte][]byte{}
}
