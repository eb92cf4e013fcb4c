package pipeline

import (
	"crypto/sha256"
	"iter"
	"sync"

	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/pipeline/internal/cache"
)

// persistentCache is what a build uses of the persistent cache (package
// cache, a *cache.Cache) while it runs: conversions and their HTML,
// highlighted code, and what was written to an output folder (manifests,
// which the output uses). Run opens the cache and owns the rest of its
// life (the content loader's hooks, saving, closing); without a cache
// folder a build has none, and this is nil.
type persistentCache interface {
	Result(key string) *markdown.Result
	AddResult(key string, r *markdown.Result)
	HTML(key string) ([]byte, error)
	Code() iter.Seq2[[32]byte, []byte]
	SetCode(used map[[32]byte][]byte)
	Analysis(key [32]byte) ([]byte, bool)
	StoreAnalysis(key [32]byte, b []byte)
	SearchIndex() cache.SearchIndex
	SetSearchIndex(s cache.SearchIndex)
	Related() cache.Related
	SetRelated(r cache.Related)
	manifests
}

// codeCache remembers highlighted code blocks by (language, code): each is
// highlighted once per Builder and, through the persistent cache, once
// ever. The dev server's Builder keeps it in memory without a persistent
// cache.
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
	return sha256.Sum256([]byte(engineVersion + "\x00" + markdown.CodeRevision + "\x00" + lang + "\x00" + code))
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

// load adds the persistent cache's code blocks.
func (c *codeCache) load(d persistentCache) {
	if d == nil {
		return
	}
	c.mu.Lock()
	for k, h := range d.Code() {
		if _, ok := c.m[k]; !ok {
			c.m[k] = h
		}
	}
	c.mu.Unlock()
}

// finish ends a build. Memory keeps what this build used, so a long dev
// session's cache stays the size of the site; the persistent cache is
// told what was used, and keeps blocks longer (see cache.Cache.SetCode).
func (c *codeCache) finish(d persistentCache) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d != nil {
		d.SetCode(c.used)
	}
	c.m, c.used = c.used, map[[32]byte][]byte{}
}
