// Package pipeline turns a site folder into its output files:
// configuration, then content, Markdown (in parallel, reused across builds
// by content hash, in memory and in a persistent cache, package
// internal/cache), layouts, the site's pages and lists, feed, sitemap and
// static files. Essay pages are rendered and handed on as soon as an essay
// and its neighbours are converted, so a build to disk never holds the
// whole site in memory. It knows nothing of HTTP, fsnotify or flags.
package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/steward-ssg/steward/generator/card"
	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/markdown/selfcheckext"
	"github.com/steward-ssg/steward/generator/pipeline/internal/cache"
	"github.com/steward-ssg/steward/generator/plan"
	"github.com/steward-ssg/steward/generator/search"
	"github.com/steward-ssg/steward/generator/theme"
)

// Version is Steward's version.
const Version = "0.1.0"

// engineVersion identifies everything that shapes the output besides the
// input: Steward's version and the versions of goldmark and chroma. It is
// part of every cache key, so upgrading any of them invalidates the cache.
var engineVersion = func() string {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if strings.Contains(d.Path, "goldmark") || strings.Contains(d.Path, "chroma") {
				v += " " + d.Path + "@" + d.Version
			}
		}
	}
	return v
}()

// Inputs are the entries of a site's folder that a build reads (the
// settings file, the content, layout and static folders): what a watcher
// watches to know that the site changed.
func Inputs() []string { return []string{config.File, content.Dir, layout.Dir, "static"} }

// OptionError is a value in Options that a build cannot use. It is
// returned alone, before anything is read.
type OptionError struct {
	Option string // the field of Options, such as "BaseURL"
	Value  string // the value at fault
	Reason string // what is wrong with it
}

func (e *OptionError) Error() string {
	return fmt.Sprintf("%s %q: %s", e.Option, e.Value, e.Reason)
}

// Options select what a build reads and includes.
type Options struct {
	// Source is the site's folder.
	Source string
	// Drafts and Future include drafts and essays dated after Now.
	Drafts bool
	Future bool
	// BaseURL, when set, overrides site.yaml's baseURL.
	BaseURL string
	// Now is the build's clock; nil means time.Now. Tests inject a fixed one
	// so output is reproducible.
	Now func() time.Time
	// CacheDir is the persistent cache's folder for this site (see
	// DefaultCacheDir); empty keeps the cache in this Builder's memory only.
	CacheDir string
	// Changed, when not nil, lists the source paths (relative,
	// slash-separated; a folder stands for everything below it) that may
	// have changed since this Builder's last Build, as a watcher reports
	// them: content files elsewhere are not statted again. nil means
	// anything may have changed. A watcher that may have missed events
	// must pass nil (or the folder) rather than a partial list.
	Changed []string
}

// Stats count what a build produced.
type Stats struct {
	Pages   int // essays and other content pages
	Lists   int // home, section, tag and tags pages, each pagination page counted
	Static  int // files copied from static/ and the theme
	Aliases int
	// Feed counts the essays in the feed: dated ones only, so a folder
	// brought from elsewhere without dates has none.
	Feed int
	// Converted counts essays whose Markdown was converted (not cached);
	// Rendered counts pages executed through templates (not reused).
	Converted int
	Rendered  int
	// Cards counts the social cards drawn (not reused).
	Cards int
	// Analysed counts the essays analysed for search (not found in the
	// Builder's memory or the persistent cache).
	Analysed int
	// Written counts the files an output folder was given anew (the
	// others it already held, byte for byte).
	Written int
	// Read counts the content files read; the others were known unchanged
	// (from the last build in memory, or by their stamps in the cache).
	Read     int
	Duration time.Duration
	// Steps times each step of the pipeline, in order.
	Steps []Step
}

// Step is one timed step of a build.
type Step struct {
	Name     string
	Duration time.Duration
}

// Site is the immutable result of an in-memory build: every output file by
// its slash-separated path relative to the output folder.
type Site struct {
	files    map[string]memFile
	paths    []string
	prev     *Site    // the site whose files this one's build could reuse
	given    []string // the paths its build wrote (not reused), sorted
	warnings diag.List
	urls     map[string]string // content source path -> URL
	Stats    Stats
}

// Paths returns the output paths, sorted.
func (s *Site) Paths() []string { return s.paths }

// File returns the bytes of one output file.
func (s *Site) File(p string) ([]byte, bool) {
	f, ok := s.files[p]
	return f.data, ok
}

// ChangedSince returns, sorted, the output paths whose bytes differ from
// those of prev, when the same Builder built s right after prev with the
// same paths (a rebuild after an edit); ok is false otherwise, and the
// caller compares the sites itself. A file the build reused is prev's
// own, so only those it wrote are compared: comparing all 14,000 files
// of a 10,000-essay site took the dev server some 10 ms of every save.
func (s *Site) ChangedSince(prev any) (changed []string, ok bool) {
	p, _ := prev.(*Site)
	if p == nil || s.prev != p || len(s.paths) != len(p.paths) {
		return nil, false
	}
	if len(s.paths) > 0 && &s.paths[0] != &p.paths[0] {
		return nil, false // (Memory.commit shares the list of the same paths)
	}
	for _, path := range s.given {
		if !bytes.Equal(p.files[path].data, s.files[path].data) {
			changed = append(changed, path)
		}
	}
	return changed, true
}

// Warnings returns the build's warnings.
func (s *Site) Warnings() diag.List { return s.warnings }

// URLOf returns the URL path of the page built from a content source path
// such as "content/x.md", unescaped ("/café/").
func (s *Site) URLOf(source string) (string, bool) {
	u, ok := s.urls[source]
	if p, err := url.PathUnescape(u); err == nil {
		u = p
	}
	return u, ok
}

// Builder builds sites. A Builder made by NewBuilder keeps what it
// converted and rendered, so that its next build of the same folder does
// again only what changed; one made by NewOneShot keeps nothing and lets
// go of each essay's text and HTML as soon as its page is written, for the
// lowest peak memory. Either way its results are what a fresh Builder
// would produce. Use one Builder from one goroutine.
type Builder struct {
	// Racy decides which files' stamps later builds may trust, for
	// content, static files and files beside the essays alike (see
	// content.Racy); the zero value is the real rule. Tests set a clock
	// ahead of the files' times, so that stamps are trusted at once.
	Racy content.Racy

	// plan is the last build's plan, for the next (see plan.Options.Previous).
	plan    *plan.Site
	once    bool
	content *content.Loader
	// memory is the output of Build.
	memory *Memory
	// The caches below are read, never written, while a build runs; the
	// build collects what it used (generator.next) and they are replaced
	// at its end.
	results map[string]*markdown.Result // by markdown key
	code    *codeCache
	static  map[string]staticFile // by source path
	urls    map[string]string     // the last build's content source -> URL
	// keys remembers the markdown cache key of each loaded page: the
	// Loader hands back the same *content.Doc while its file is unchanged.
	keys map[*content.Doc]mdKey
	// derived remembers what page data takes from each conversion.
	derived map[*markdown.Result]derived
	// filled remembers each page's essay data and digest.
	filled map[*content.Doc]*filledEssay
	// convertHook, in tests, runs before each conversion: a fault put
	// there stands for one in goldmark or chroma.
	convertHook func(source string)
	// beside lists the files beside the essays as last listed;
	// besideListed is set when that listing met no error.
	beside       map[string]*besideFile
	besideListed bool
	besideJekyll bool // whether that listing followed a Jekyll _config.yml (content.Options.Jekyll)
	// titles renders titles; titleMemo keeps the last build's titles
	// that needed goldmark.
	titles    *markdown.Titles
	titleMemo map[string]markdown.Title
	// heads keeps the last build's essay heads (see essayHead).
	heads map[*content.Doc]*essayHead
	// cards draws social cards (it keeps the glyphs it drew), for the
	// font of cardsFont's digest.
	cards     *card.Drawer
	cardsFont [32]byte
	// analyzer analyses essays for search (it remembers stems);
	// searchMemo keeps the last build's analyses, by essay digest.
	analyzer   *search.Analyzer
	searchMemo map[[32]byte]*essayAnalysis
	// analysed keeps the last build's analysis of each page with what
	// its key was made from that can change while the Loader hands back
	// the same page (see docAnalysis).
	analysed map[*content.Doc]docAnalysis
	// searchIndex is the search index the last build wrote, for a Builder
	// without a persistent cache (see cache.SearchIndex).
	searchIndex cache.SearchIndex
	// index is the last build's index itself, kept by a Builder that
	// builds again (the dev server's) to update it after an edit, with
	// what it was made from (see updatedIndex).
	index indexMade
	// indexHow says how the last build came by its search index: "kept"
	// (unchanged), "updated" (the index the Builder kept, changed),
	// "state" (the index the cache kept, changed: indexFromState) or
	// "anew"; tests read it.
	indexHow string
}

type mdKey struct{ key, fingerprint string }

// NewBuilder returns a Builder with empty caches that keeps what each
// build made for the next: the dev server's.
func NewBuilder() *Builder {
	return &Builder{content: content.NewLoader(), results: map[string]*markdown.Result{}, code: newCodeCache(), static: map[string]staticFile{}, titles: markdown.NewTitles()}
}

// NewOneShot returns a Builder for builds that are not followed by
// another of the same Builder (the command line's): what such a build
// keeps for later is in the persistent cache (Options.CacheDir).
func NewOneShot() *Builder {
	b := NewBuilder()
	b.once = true
	return b
}

// Build builds the site at opts.Source in memory. When the input has
// errors it returns them all, sorted, as a diag.List, and no Site.
func (b *Builder) Build(ctx context.Context, opts Options) (*Site, error) {
	if b.memory == nil {
		b.memory = NewMemory()
	}
	st, warnings, err := b.Run(ctx, opts, b.memory)
	if err != nil {
		return nil, err
	}
	s := b.memory.Site()
	s.warnings, s.Stats, s.urls = warnings, st, b.urls
	return s, nil
}

// BuildTo builds the site and writes it to the folder dest (see NewFolder).
func (b *Builder) BuildTo(ctx context.Context, opts Options, dest string) (Stats, diag.List, error) {
	return b.Run(ctx, opts, NewFolder(dest))
}

// Run builds the site at opts.Source into out. When the input has errors
// it returns them all, sorted, as a diag.List (with the warnings apart),
// and out is left as it was.
func (b *Builder) Run(ctx context.Context, opts Options, out Output) (Stats, diag.List, error) {
	start := time.Now()
	var c *cache.Cache
	var disk persistentCache // nil without a cache folder (not a nil *cache.Cache)
	if opts.CacheDir != "" {
		c = cache.Open(opts.CacheDir, engineVersion)
		disk = c
	}
	opened := time.Since(start)
	if err := out.open(disk); err != nil {
		c.Close()
		return Stats{}, nil, err
	}
	b.content.Front, b.content.Files = nil, nil
	if c.Valid() {
		b.content.Front, b.content.Files = c, c
	}
	st, warnings, err := b.run(ctx, opts, out, disk)
	if err != nil {
		out.abort()
		c.Close()
		return st, warnings, err
	}
	st.Steps = append([]Step{{"open the cache", opened}}, st.Steps...)
	mark := time.Now()
	st.Written, err = out.commit(disk)
	st.Steps = append(st.Steps, Step{"write", time.Since(mark)})
	// The cache records what the folder now holds only if it is valid
	// (it is not when another build held it) and saves without error.
	recorded := err == nil && (c == nil || c.Valid())
	if c != nil {
		mark = time.Now()
		if serr := c.Save(); serr != nil && err == nil {
			recorded = false
			warnings = append(warnings, diag.Warnf(diag.Pos{File: opts.CacheDir}, "could not save the build cache: %v", serr))
		}
		st.Steps = append(st.Steps, Step{"save the cache", time.Since(mark)})
	}
	out.close(recorded)
	st.Duration = time.Since(start)
	return st, warnings, err
}

// DefaultCacheDir is where a site's persistent cache lives: a folder per
// site (by its absolute path) under the user's cache folder, which honours
// XDG_CACHE_HOME.
func DefaultCacheDir(source string) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(source)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(base, "steward", filepath.Base(abs)+"-"+hex.EncodeToString(sum[:])[:12]), nil
}

// run is the build's sequence of steps, each timed; disk is the
// persistent cache, or nil.
func (b *Builder) run(ctx context.Context, opts Options, out Output, disk persistentCache) (st Stats, warnings diag.List, err error) {
	defer func() {
		// The last line of defence; the workers protect each file
		// themselves, so this is reached only by a fault in the pipeline.
		if v := recover(); v != nil {
			st, warnings = Stats{}, nil
			err = diag.List{diag.Errorf(diag.Pos{}, "internal error while building: %v; please report it", v)}
		}
	}()
	start := time.Now()
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	clock := now()
	fsys := os.DirFS(opts.Source)
	var diags diag.List
	var steps []Step
	last := start
	step := func(name string) {
		now := time.Now()
		steps = append(steps, Step{name, now.Sub(last)})
		last = now
	}
	fail := func() (Stats, diag.List, error) {
		diags.Sort()
		return Stats{}, diags.Warnings(), diags
	}

	// A bad option is the caller's to report (the command names its
	// flag), not a fault in the site's files: it comes alone, first.
	base := strings.TrimRight(opts.BaseURL, "/")
	if opts.BaseURL != "" && config.CheckBaseURL(base) != nil {
		return Stats{}, nil, &OptionError{Option: "BaseURL", Value: opts.BaseURL, Reason: "must be an absolute http or https URL such as https://example.org"}
	}
	cfg, d := config.Load(fsys)
	diags.Append(d)
	if base != "" {
		cfg.BaseURL = base
	}
	if diags.HasErrors() {
		return fail()
	}
	step("config")

	b.content.Racy = b.Racy
	jekyll := content.ReadJekyll(fsys)
	// The files beside the essays are listed while the content is loaded:
	// both read the content folder, and neither needs the other (listing
	// them after took a one-shot 10,000-essay build some 13 ms on one core).
	type listing struct {
		files map[string]*besideFile
		diags diag.List
	}
	besideDone := make(chan listing, 1)
	go func() {
		var l listing
		defer func() {
			if v := recover(); v != nil {
				l = listing{diags: diag.List{diag.Errorf(diag.Pos{}, "internal error while listing the files beside the essays: %v; please report it", v)}}
			}
			besideDone <- l
		}()
		l.files, l.diags = b.listBeside(fsys, opts.Changed, jekyll)
	}()
	joined := false
	defer func() {
		if !joined { // a fault below: the listing must end before the next build
			<-besideDone
		}
	}()
	pages, d := b.content.Load(fsys, content.Options{Drafts: opts.Drafts, Future: opts.Future, Now: clock, Changed: opts.Changed, Permalinks: cfg.Permalinks, Jekyll: jekyll})
	diags.Append(d)
	diags.Append(unusedPermalinks(cfg.Permalinks, pages))
	urls, d := plan.URLs(pages, cfg.Search.Enabled)
	diags.Append(d)
	// A file that exists but has errors is still linked to where it would
	// be: its errors are reported once, not again at every link to it.
	for src, u := range b.content.Broken {
		if _, ok := urls[src]; !ok {
			urls[src] = plan.EscapeURL(u)
		}
	}
	b.urls = urls
	step("content")

	th, d := layout.Load(fsys, theme.FS(), cfg.BaseURL)
	diags.Append(d)
	step("layouts")

	listed := <-besideDone
	joined = true
	beside := listed.files
	diags.Append(listed.diags)
	files := newSiteFiles(fsys, beside)
	mdOpts := markdown.Options{Unsafe: cfg.Markdown.Unsafe, HeadingIDs: cfg.Markdown.HeadingIDs, BrokenLinks: cfg.Links.BrokenSeverity(), Extensions: []markdown.Extension{selfcheckext.New(cfg.SelfCheck)}, Code: b.code, ImageSize: files.size, Asset: files.asset}
	b.code.load(disk)
	g := &generator{
		b: b, cfg: cfg, theme: th, now: clock, fsys: fsys, urls: urls, out: out, disk: disk,
		conv: markdown.New(mdOpts), mdFingerprint: mdOpts.Fingerprint(), images: files, titles: b.titles,
		next: memory{
			results: make(map[string]*markdown.Result, len(b.results)), keys: make(map[*content.Doc]mdKey, len(pages)),
			derived: make(map[*markdown.Result]derived, len(b.derived)), titles: map[string]markdown.Title{},
			search: map[[32]byte]*essayAnalysis{}, heads: make(map[*content.Doc]*essayHead, len(pages)),
			analysed: make(map[*content.Doc]docAnalysis, len(b.analysed)),
		},
	}
	if font := sha256.Sum256(cfg.Cards.FontData); b.cards == nil || font != b.cardsFont {
		b.cards, b.cardsFont = nil, font
		var err error
		if b.cards, err = card.New(cfg.Cards.FontData); err != nil {
			diags.Add(cfg.Cards.FontPos, "cards.font: %v", err)
		}
	}
	g.cards = b.cards
	// Related essays weigh the terms essays share only when the search
	// index is built, whose analysis finds them: analysing every essay
	// costs a third more CPU time in a cold build, which a site without
	// search does not pay for (its related essays follow tags alone).
	var terms func(*content.Doc) []plan.Term
	if cfg.Search.Enabled {
		var d diag.List
		terms, d = g.analyseEssays(ctx, pages)
		diags.Append(d)
		step("analysis")
	}
	g.heads(ctx, pages)
	var known *plan.Related
	if disk != nil {
		if r := disk.Related(); r.Lists != nil {
			known = &plan.Related{Key: r.Key, Lists: r.Lists}
		}
	}
	site := plan.New(pages, plan.Options{PerPage: cfg.Paginate, Search: cfg.Search.Enabled, Previous: b.plan, Known: known, Terms: terms, SortTitle: func(p *content.Doc) string { return g.head(p).title.Text }})
	if disk != nil && (known == nil || known.Key != site.RelatedKey) {
		disk.SetRelated(cache.Related{Key: site.RelatedKey, Lists: site.Related})
	}
	g.planned()
	g.shared(site)
	essays := g.newEssays(site)
	diags.Append(g.essayImages(site))
	g.newSearch(site)
	step("plan")

	indexes, d := g.essayPages(ctx, site, essays)
	diags.Append(d)
	step("essays")
	if err := ctx.Err(); err != nil {
		return Stats{}, nil, err
	}
	if diags.HasErrors() {
		return fail()
	}

	lists := g.listPages(site, essays, indexes)
	diags.Append(g.renderLists(ctx, lists, essays))
	step("lists")

	indexed := make([]bool, len(essays))
	for i, e := range essays {
		indexed[i] = e.indexed
	}
	var searchFiles []string
	if cfg.Search.Enabled {
		searchFiles, d = g.searchIndex(ctx, essays, indexed)
		diags.Append(d)
	}
	step("search")
	if err := ctx.Err(); err != nil {
		return Stats{}, nil, err
	}

	if err := g.feed(essays); err != nil {
		diags = append(diags, diag.AsList(err)...)
	}
	if err := g.sitemap(essays, lists); err != nil {
		diags = append(diags, diag.AsList(err)...)
	}
	gen := generated(site, essays, lists)
	for _, p := range searchFiles {
		gen[p] = true
	}
	if g.robots() {
		gen["robots.txt"] = true
	}
	aliases := g.aliases(site, essays)
	assets, err := g.assets(essays)
	if err != nil {
		diags.Add(diag.Pos{File: config.File}, "%v", err)
	}
	for _, p := range assets {
		gen[p] = true
	}
	static, d := g.staticFiles(fsys, gen)
	diags.Append(d)
	diags.Append(checkPathLinks(g.paths, gen, g.images.asset))
	for _, err := range g.writeErrs {
		diags.Add(diag.Pos{}, "writing the output: %v", err)
	}
	step("feeds, assets, static")
	if diags.HasErrors() {
		return fail()
	}

	// Done: what this build used is what the Builder keeps for the next.
	b.code.finish(disk)
	b.results, b.keys, b.derived, b.titleMemo = g.next.results, g.next.keys, g.next.derived, g.next.titles
	b.searchMemo, b.analysed, b.heads = g.next.search, g.next.analysed, nil
	b.filled, b.plan = nil, nil
	if !b.once {
		b.plan, b.heads = site, g.next.heads
		b.filled = make(map[*content.Doc]*filledEssay, len(essays))
		for _, e := range essays {
			if e.filled != nil {
				b.filled[e.doc] = e.filled
			}
		}
	}
	st = Stats{
		Pages: len(essays), Static: static, Aliases: aliases, Feed: feedEssays(essays), Read: b.content.Read,
		Converted: int(g.converted.Load()), Rendered: int(g.rendered.Load()), Cards: int(g.drawn.Load()), Analysed: int(g.analysed.Load()),
	}
	for _, l := range lists {
		if l.Kind != layout.KindNotFound && l.Kind != layout.KindSearch {
			st.Lists++
		}
	}
	warnings = diags.Warnings()
	warnings.Sort()
	st.Duration = time.Since(start)
	st.Steps = steps
	return st, warnings, nil
}

// hashName returns name with a short content hash before its extension,
// so browsers may cache it forever.
func hashName(base, ext string, data []byte) string {
	sum := sha256.Sum256(data)
	return base + "." + hex.EncodeToString(sum[:])[:10] + ext
}

func sha256Sum(data []byte) [32]byte { return sha256.Sum256(data) }
