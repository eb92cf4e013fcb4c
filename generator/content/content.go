// Package content owns the domain of essays: a Page with its front matter,
// split from the Markdown body with lines counted from the top of the file;
// slugs and pretty URLs; drafts and future dates; loading every .md under
// content/ from an fs.FS. It knows nothing of goldmark, templates or HTTP.
package content

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/strictyaml"
)

// Dir is the content folder's name, relative to the site's folder.
const Dir = "content"

// FrontMatter is the YAML between the --- lines at the top of an essay.
type FrontMatter struct {
	Title       string    `yaml:"title"`
	Date        time.Time `yaml:"date"`
	Lastmod     time.Time `yaml:"lastmod"`
	Draft       bool      `yaml:"draft"`
	Tags        []string  `yaml:"tags"`
	Summary     string    `yaml:"summary"`
	Description string    `yaml:"description"`
	Slug        string    `yaml:"slug"`
	Author      string    `yaml:"author"`
	Aliases     []string  `yaml:"aliases"`
}

// Page is one Markdown file of content/.
type Page struct {
	// Source is the file's path relative to the site, slash-separated
	// ("content/notes/x.md"); diagnostics name it.
	Source string
	// Raw is the whole file.
	Raw []byte
	// Hash is the SHA-256 of Raw.
	Hash  [32]byte
	Front FrontMatter
	// Body is the Markdown after the front matter. Lines that were taken
	// out (the title heading) are blanked, not removed, so positions hold.
	Body []byte
	// BodyLine is the 1-based line of the file on which Body starts.
	BodyLine int
	// Title is the front matter title, else the first # heading, else the
	// file name.
	Title string
	// Slug is the last segment of the URL.
	Slug string
	// URL is site-relative with slashes at both ends ("/notes/x/").
	URL string
	// Dir is the page's folder below content/ ("" for the top, "notes").
	Dir string
	// IsIndex marks a folder's index.md: the text of that folder's list page.
	IsIndex bool
}

// Options select which pages load.
type Options struct {
	Drafts bool
	Future bool
	// Now is the build's clock; essays dated after it are future essays.
	Now time.Time
}

// Load reads every .md file below content/ in fsys (the site's folder),
// sorted by path. Drafts and future essays are left out unless asked for.
// All problems of all files are returned.
func Load(fsys fs.FS, opts Options) ([]*Page, diag.List) {
	return NewLoader().Load(fsys, opts)
}

// Loader loads content, remembering what it parsed: a file whose size and
// modification time are unchanged since the last Load is not read or
// parsed again. Use one Loader from one goroutine at a time.
type Loader struct {
	cache map[string]loaded
	// Front, when set, remembers decoded front matter across builds.
	Front FrontCache
}

type loaded struct {
	size  int64
	mtime time.Time
	page  *Page
	diags diag.List
}

// NewLoader returns a Loader with an empty cache.
func NewLoader() *Loader { return &Loader{cache: map[string]loaded{}} }

// Load is the package-level Load, reusing unchanged files.
func (l *Loader) Load(fsys fs.FS, opts Options) ([]*Page, diag.List) {
	var diags diag.List
	type file struct {
		path  string
		entry fs.DirEntry
	}
	var files []file
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			diags.Add(diag.Pos{File: p}, "cannot read: %v", err)
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if p != Dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".md") || strings.HasPrefix(name, ".") {
			return nil
		}
		files = append(files, file{p, d})
		return nil
	})
	if err != nil {
		diags.Add(diag.Pos{File: Dir}, "cannot read: %v", err)
	}
	out := make([]loaded, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f := files[i]
				info, err := f.entry.Info()
				if err != nil {
					// Deleted between listing and now: it is simply gone.
					out[i] = loaded{size: -1}
					continue
				}
				if c, ok := l.cache[f.path]; ok && c.size == info.Size() && c.mtime.Equal(info.ModTime()) {
					out[i] = c
					continue
				}
				e := loaded{size: info.Size(), mtime: info.ModTime()}
				raw, err := fs.ReadFile(fsys, f.path)
				if err != nil {
					if !errors.Is(err, fs.ErrNotExist) {
						e.diags.Add(diag.Pos{File: f.path}, "cannot read: %v", err)
					}
					e.size = -1 // never reuse a failed read
				} else {
					e.page, e.diags = parse(f.path, raw, l.Front)
					if int64(len(raw)) != e.size {
						e.size = -1 // changed while we read it: read again next time
					}
				}
				out[i] = e
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	cache := make(map[string]loaded, len(files))
	var pages []*Page
	for i, e := range out {
		cache[files[i].path] = e
		diags.Append(e.diags)
		page := e.page
		if page == nil {
			continue
		}
		if page.Front.Draft && !opts.Drafts {
			continue
		}
		if !opts.Future && !opts.Now.IsZero() && page.Front.Date.After(opts.Now) {
			continue
		}
		pages = append(pages, page)
	}
	l.cache = cache
	sort.Slice(pages, func(i, j int) bool { return pages[i].Source < pages[j].Source })
	return pages, diags
}

// Parse splits and validates one file. source is its slash path relative
// to the site ("content/x.md"). It returns nil when the file cannot be used.
func Parse(source string, raw []byte) (*Page, diag.List) {
	return parse(source, raw, nil)
}

// FrontCache remembers decoded front matter by the exact bytes it was
// decoded from, so a build need not decode YAML it has decoded before. It
// must be safe for concurrent use.
type FrontCache interface {
	Front(key [32]byte) (FrontMatter, bool)
	StoreFront(key [32]byte, f FrontMatter)
}

func parse(source string, raw []byte, cache FrontCache) (*Page, diag.List) {
	var diags diag.List
	if !utf8.Valid(raw) {
		off := firstInvalidUTF8(raw)
		line, col := diag.LineCol(raw, off)
		diags.Add(diag.Pos{File: source, Line: line, Col: col}, "the file is not valid UTF-8 (byte 0x%02x); save it as UTF-8", raw[off])
		return nil, diags
	}
	p := &Page{Source: source, Raw: raw, Hash: sha256.Sum256(raw), BodyLine: 1, Body: raw}
	rel := strings.TrimPrefix(source, Dir+"/")
	p.Dir = path.Dir(rel)
	if p.Dir == "." {
		p.Dir = ""
	}
	base := strings.TrimSuffix(path.Base(rel), ".md")
	p.IsIndex = base == "index" || base == "_index"

	fm, body, bodyLine, ok := split(raw)
	if !ok {
		diags.Add(diag.Pos{File: source, Line: 1, Col: 1}, "front matter starts with --- but has no closing --- line; add one after the last key")
		return nil, diags
	}
	doc := &strictyaml.Doc{}
	var key [32]byte
	decoded := false
	if fm != nil {
		key = sha256.Sum256(fm)
		if f, ok := cacheFront(cache, key); ok {
			p.Front = f
		} else {
			var d diag.List
			doc, d = strictyaml.Decode(fm, &p.Front, strictyaml.Options{File: source, LineOffset: 1, UnknownKeys: diag.Warning, Context: "front matter"})
			diags.Append(d)
			if d.HasErrors() {
				return nil, diags
			}
			decoded = true
		}
		p.Body, p.BodyLine = body, bodyLine
	}
	p.Title = strings.TrimSpace(p.Front.Title)
	if p.Title == "" {
		if title, stripped, ok := titleHeading(p.Body); ok {
			p.Title, p.Body = title, stripped
		} else {
			p.Title = base
		}
	}
	p.Slug = base
	if s := strings.TrimSpace(p.Front.Slug); s != "" {
		if msg := checkSegment(s); msg != "" {
			diags.Add(posOf(doc, source, "$.slug"), "slug %q %s", s, msg)
			return nil, diags
		}
		p.Slug = s
	}
	switch {
	case p.IsIndex && p.Dir == "":
		p.URL = "/"
	case p.IsIndex:
		p.URL = "/" + p.Dir + "/"
	case p.Dir == "":
		p.URL = "/" + p.Slug + "/"
	default:
		p.URL = "/" + p.Dir + "/" + p.Slug + "/"
	}
	for i, a := range p.Front.Aliases {
		if _, msg := AliasPath(a); msg != "" {
			diags.Add(posOf(doc, source, fmt.Sprintf("$.aliases[%d]", i)), "alias %q %s", a, msg)
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	if decoded && len(diags) == 0 && cache != nil {
		// Only front matter without any diagnostic is remembered: a
		// warning must show again on every build, at its position.
		cache.StoreFront(key, p.Front)
	}
	return p, diags
}

func cacheFront(c FrontCache, key [32]byte) (FrontMatter, bool) {
	if c == nil {
		return FrontMatter{}, false
	}
	return c.Front(key)
}

// posOf is the position of a front matter node, or line 1 of the file.
func posOf(doc *strictyaml.Doc, source, path string) diag.Pos {
	if doc == nil || !doc.Has(path) && !strings.Contains(path, "[") {
		return diag.Pos{File: source, Line: 1, Col: 1}
	}
	return doc.Pos(path)
}

// AliasPath cleans an alias into a site-relative URL with slashes at both
// ends, or says why it cannot be one (it would escape the output folder).
func AliasPath(a string) (string, string) {
	if strings.Contains(a, "://") || strings.HasPrefix(a, "//") {
		return "", "must be a path on this site, not a full URL"
	}
	for _, seg := range strings.Split(a, "/") {
		if seg == ".." {
			return "", "would escape the output folder; write a path such as /old-name/"
		}
	}
	if strings.ContainsAny(a, "\\\x00") {
		return "", "must not contain backslashes or NUL bytes"
	}
	c := path.Clean("/" + a)
	if c == "/" {
		return "", "would replace the home page; write a path such as /old-name/"
	}
	return c + "/", ""
}

// checkSegment says why s cannot be one URL segment, or "".
func checkSegment(s string) string {
	if s == "." || s == ".." || strings.ContainsAny(s, "/\\\x00") || strings.Contains(s, "..") {
		return "would escape its folder; a slug is one URL segment such as my-essay"
	}
	return ""
}

var delim = []byte("---")

// split separates front matter from the body. fm is nil when the file has
// none; ok is false when it opens front matter but never closes it.
func split(raw []byte) (fm, body []byte, bodyLine int, ok bool) {
	src := bytes.TrimPrefix(raw, []byte("\ufeff"))
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	if !bytes.Equal(bytes.TrimRight(first, " \t\r"), delim) {
		return nil, raw, 1, true
	}
	line := 2
	start := len(src) - len(rest)
	for off := start; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		var l []byte
		next := len(src)
		if end >= 0 {
			l, next = src[off:off+end], off+end+1
		} else {
			l = src[off:]
		}
		if bytes.Equal(bytes.TrimRight(l, " \t\r"), delim) {
			return src[start:off], src[next:], line + 1, true
		}
		off = next
		line++
	}
	return nil, nil, 0, false
}

// titleHeading finds the first ATX "# " heading outside code fences, before
// any other heading, and blanks its line.
func titleHeading(body []byte) (string, []byte, bool) {
	inFence := false
	off := 0
	for off < len(body) {
		end := bytes.IndexByte(body[off:], '\n')
		next := len(body)
		if end >= 0 {
			next = off + end + 1
		} else {
			end = len(body) - off
		}
		line := strings.TrimRight(string(body[off:off+end]), "\r")
		trimmed := strings.TrimLeft(line, " ")
		if strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~") {
			inFence = !inFence
		}
		if !inFence && len(line)-len(trimmed) < 4 && strings.HasPrefix(trimmed, "#") {
			if strings.HasPrefix(trimmed, "# ") {
				title := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(trimmed[2:]), "#"))
				out := make([]byte, 0, len(body))
				out = append(out, body[:off]...)
				out = append(out, '\n')
				out = append(out, body[next:]...)
				return title, out, true
			}
			return "", body, false
		}
		off = next
	}
	return "", body, false
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return 0
}

// Slugify turns a tag name into a URL segment: lower case, letters and
// digits kept, everything else folded to single hyphens.
func Slugify(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r > 127 && r != '\u00a0':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	return b.String()
}

// String names the page for logs.
func (p *Page) String() string { return fmt.Sprintf("%s (%s)", p.Source, p.URL) }
