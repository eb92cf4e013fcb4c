// Package build owns the pipeline that turns a site folder into a set of
// output files: configuration, then content, Markdown (in parallel, reused
// across builds by content hash), layouts, the site's pages and lists, feed,
// sitemap and static files. The result is an immutable Site; Write puts it
// on disk atomically. It knows nothing of HTTP, fsnotify or flags.
package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/selfcheck"
	"github.com/steward-ssg/steward/generator/theme"
)

// Version is Steward's version, part of every cache key.
const Version = "0.1.0"

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
}

// Stats count what a build produced.
type Stats struct {
	Pages    int // essays and other content pages
	Lists    int // home, section, tag and tags pages, each pagination page counted
	Static   int // files copied from static/ and the theme
	Aliases  int
	Duration time.Duration
}

// Site is the immutable result of a build: every output file by its
// slash-separated path relative to the output folder.
type Site struct {
	files    map[string][]byte
	paths    []string
	warnings diag.List
	urls     map[string]string // content source path -> URL
	Stats    Stats
}

// Paths returns the output paths, sorted.
func (s *Site) Paths() []string { return s.paths }

// File returns the bytes of one output file.
func (s *Site) File(p string) ([]byte, bool) {
	b, ok := s.files[p]
	return b, ok
}

// Warnings returns the build's warnings.
func (s *Site) Warnings() diag.List { return s.warnings }

// URLOf returns the URL of the page built from a content source path such
// as "content/x.md".
func (s *Site) URLOf(source string) (string, bool) {
	u, ok := s.urls[source]
	return u, ok
}

// Builder builds sites, keeping what it converted so that the next build of
// the same folder converts again only what changed. Its results are always
// what a fresh Builder would produce. Use one Builder from one goroutine.
type Builder struct {
	mu      sync.Mutex
	cache   map[string]*markdown.Result
	pages   map[string]rendered
	content *content.Loader
}

// NewBuilder returns a Builder with an empty cache.
func NewBuilder() *Builder {
	return &Builder{cache: map[string]*markdown.Result{}, content: content.NewLoader()}
}

// Build builds the site at opts.Source. When the input has errors it
// returns them all, sorted, as a diag.List, and no Site.
func (b *Builder) Build(ctx context.Context, opts Options) (*Site, error) {
	start := time.Now()
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	clock := now()
	fsys := os.DirFS(opts.Source)
	var diags diag.List

	cfg, d := config.Load(fsys)
	diags.Append(d)
	if opts.BaseURL != "" {
		cfg.BaseURL = strings.TrimRight(opts.BaseURL, "/")
		if msg := config.CheckBaseURL(cfg.BaseURL); msg != "" {
			diags.Add(diag.Pos{File: "--base-url"}, "%s", msg)
		}
	}
	if diags.HasErrors() {
		return nil, sorted(diags)
	}

	pages, d := b.content.Load(fsys, content.Options{Drafts: opts.Drafts, Future: opts.Future, Now: clock})
	diags.Append(d)
	urls := checkURLs(pages, &diags)

	conv := markdown.New(markdown.Options{Unsafe: cfg.Markdown.Unsafe, SelfCheck: cfg.SelfCheck})
	results := b.convert(ctx, conv, cfg, pages, urls)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i, r := range results {
		diags.Append(r.Diags)
		checkFragments(pages[i], r, results, pages, &diags)
	}

	th, d := layout.Load(fsys, theme.FS(), cfg.BaseURL)
	diags.Append(d)
	if diags.HasErrors() {
		return nil, sorted(diags)
	}

	s := &Site{files: map[string][]byte{}, urls: urls}
	g := &generator{cfg: cfg, theme: th, now: clock, site: s, pages: pages, results: results, prevRendered: b.pages}
	if err := g.assets(fsys); err != nil {
		diags = append(diags, diag.AsList(err)...)
	}
	g.model()
	diags.Append(g.render(ctx))
	g.feeds()
	diags.Append(g.static(fsys))
	if diags.HasErrors() {
		return nil, sorted(diags)
	}
	b.pages = g.rendered
	for p := range s.files {
		s.paths = append(s.paths, p)
	}
	sort.Strings(s.paths)
	s.warnings = diags.Warnings()
	s.warnings.Sort()
	s.Stats.Duration = time.Since(start)
	return s, nil
}

func sorted(l diag.List) diag.List {
	l.Sort()
	return l
}

// checkURLs maps each page's source to its URL and reports two pages, or a
// page and an alias, or a page and a generated list, that claim one URL.
func checkURLs(pages []*content.Page, diags *diag.List) map[string]string {
	urls := map[string]string{}
	owner := map[string]string{}
	claim := func(u, source string, pos diag.Pos) {
		if prev, ok := owner[u]; ok {
			diags.Add(pos, "URL %s is claimed by both %s and %s; give one of them another slug or file name", u, prev, source)
			return
		}
		owner[u] = source
	}
	for _, p := range pages {
		pos := diag.Pos{File: p.Source, Line: 1, Col: 1}
		if !p.IsIndex {
			if reserved(p.URL) {
				diags.Add(pos, "URL %s is reserved for Steward's generated pages (/tags/ and /page/); choose another slug", p.URL)
			}
			claim(p.URL, p.Source, pos)
		}
		urls[p.Source] = p.URL
	}
	for _, p := range pages {
		for _, a := range p.Front.Aliases {
			if ap, msg := content.AliasPath(a); msg == "" {
				claim(ap, p.Source+" (alias)", diag.Pos{File: p.Source, Line: 1, Col: 1})
			}
		}
	}
	return urls
}

func reserved(u string) bool {
	return u == "/tags/" || strings.HasPrefix(u, "/tags/") || strings.HasPrefix(u, "/page/")
}

// convert runs Markdown over every page on all cores, reusing results whose
// input has not changed and whose links still resolve the same.
func (b *Builder) convert(ctx context.Context, conv *markdown.Converter, cfg config.Config, pages []*content.Page, urls map[string]string) []*markdown.Result {
	resolve := func(source string) (string, bool) {
		u, ok := urls[source]
		return u, ok
	}
	fingerprint := markdown.Options{Unsafe: cfg.Markdown.Unsafe, SelfCheck: cfg.SelfCheck}.Fingerprint()
	results := make([]*markdown.Result, len(pages))
	keys := make([]string, len(pages))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				p := pages[i]
				h := sha256.New()
				fmt.Fprintf(h, "%s\x00%s\x00%d\x00%s\x00", Version, p.Source, p.BodyLine, fingerprint)
				h.Write(p.Body)
				key := hex.EncodeToString(h.Sum(nil))
				keys[i] = key
				b.mu.Lock()
				r := b.cache[key]
				b.mu.Unlock()
				if r != nil && linksStillResolve(r, urls) {
					results[i] = r
					continue
				}
				results[i] = conv.Convert(markdown.Input{File: p.Source, Body: p.Body, LineOffset: p.BodyLine - 1, Resolve: resolve})
			}
		}()
	}
	for i := range pages {
		if ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	// Keep only what this build used, so memory stays flat across rebuilds.
	next := make(map[string]*markdown.Result, len(pages))
	for i, k := range keys {
		if results[i] != nil && k != "" {
			next[k] = results[i]
		}
	}
	b.mu.Lock()
	b.cache = next
	b.mu.Unlock()
	return results
}

func linksStillResolve(r *markdown.Result, urls map[string]string) bool {
	for _, l := range r.Links {
		if strings.HasPrefix(l.URL, "#") {
			continue
		}
		if urls[l.Target] != l.URL {
			return false
		}
	}
	// A link that failed to resolve may resolve now that pages changed.
	return !r.Diags.HasErrors()
}

// checkFragments reports links to a heading that the target lacks.
func checkFragments(p *content.Page, r *markdown.Result, results []*markdown.Result, pages []*content.Page, diags *diag.List) {
	for _, l := range r.Links {
		if l.Fragment == "" {
			continue
		}
		var target *markdown.Result
		for i, q := range pages {
			if q.Source == l.Target {
				target = results[i]
				break
			}
		}
		if target == nil {
			continue
		}
		ok := false
		var ids []string
		for _, h := range target.Headings {
			if h.ID == l.Fragment {
				ok = true
				break
			}
			ids = append(ids, h.ID)
		}
		if ok || strings.HasPrefix(l.Fragment, "fn:") || strings.HasPrefix(l.Fragment, "fnref:") {
			continue
		}
		hint := "it has no headings"
		if len(ids) > 0 {
			if near := diag.Nearest(l.Fragment, ids); near != "" {
				hint = fmt.Sprintf("did you mean #%s?", near)
			} else {
				hint = "its headings are #" + strings.Join(ids, ", #")
			}
		}
		diags.Add(l.Pos, "link to #%s: %s has no heading with that id; %s", l.Fragment, l.Target, hint)
	}
}

// hashName returns name with a short content hash before its extension,
// so browsers may cache it forever.
func hashName(dir, base, ext string, data []byte) string {
	sum := sha256.Sum256(data)
	return dir + base + "." + hex.EncodeToString(sum[:])[:10] + ext
}

// assets adds generated assets: the syntax stylesheet and, when a page
// needs it, the self-check script and stylesheet.
func (g *generator) assets(fsys fs.FS) error {
	css, err := markdown.SyntaxCSS(g.cfg.Markdown.Highlight.Light, g.cfg.Markdown.Highlight.Dark)
	if err != nil {
		return diag.Errorf(diag.Pos{File: config.File}, "%v", err)
	}
	g.site.files["css/syntax.css"] = css
	g.assetURLs = layout.Assets{Stylesheet: "/css/steward.css", SyntaxCSS: "/css/syntax.css"}
	for _, r := range g.results {
		if r.SelfChecks > 0 {
			js, css := selfcheck.JS(), selfcheck.CSS()
			jsName := hashName("", "selfcheck", ".js", js)
			cssName := hashName("", "selfcheck", ".css", css)
			g.site.files[jsName] = js
			g.site.files[cssName] = css
			g.assetURLs.SelfCheckJS = "/" + jsName
			g.assetURLs.SelfCheckCSS = "/" + cssName
			break
		}
	}
	return nil
}

// static copies the theme's static files, then the site's over them.
func (g *generator) static(site fs.FS) diag.List {
	var diags diag.List
	for _, fsys := range []fs.FS{theme.FS(), site} {
		_ = fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p != "static" {
					diags.Add(diag.Pos{File: p}, "cannot read: %v", err)
				}
				return nil
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			if !d.Type().IsRegular() {
				diags.Warn(diag.Pos{File: p}, "not a regular file (a link?); not copied")
				return nil
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				diags.Add(diag.Pos{File: p}, "cannot read: %v", err)
				return nil
			}
			out := strings.TrimPrefix(p, "static/")
			if prev, ok := g.site.files[out]; ok && !bytes.Equal(prev, b) && fsys == site && g.generated[out] {
				diags.Add(diag.Pos{File: p}, "static file would overwrite the generated %s; rename it", out)
				return nil
			}
			if _, existed := g.site.files[out]; !existed {
				g.site.Stats.Static++
			}
			g.site.files[out] = b
			return nil
		})
	}
	return diags
}
