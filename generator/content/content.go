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
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
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
	Hash [32]byte
	// BodyHash is the SHA-256 of Body, which a page loaded from a known
	// file's record (see KnownFiles) does not hold: ReadBody reads it.
	BodyHash [32]byte
	Front    FrontMatter
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
	// Tags are the front matter's tags, each once by slug, spelled as first
	// written, in order; tags that slugify to nothing are left out.
	Tags []Tag
}

// Tag is one tag of a page.
type Tag struct {
	Name string // as written, trimmed
	Slug string // Slugify(Name)
}

// pageTags dedupes tags by slug, keeping the first spelling.
func pageTags(tags []string) []Tag {
	var out []Tag
	for _, t := range tags {
		s := Slugify(t)
		if s == "" || slices.ContainsFunc(out, func(x Tag) bool { return x.Slug == s }) {
			continue
		}
		out = append(out, Tag{Name: strings.TrimSpace(t), Slug: s})
	}
	return out
}

// Options select which pages load.
type Options struct {
	Drafts bool
	Future bool
	// Now is the build's clock; essays dated after it are future essays.
	Now time.Time
	// Changed, when not nil, lists what may have changed since the
	// Loader's last Load: paths relative to the site's folder,
	// slash-separated, as a watcher reports them; a folder stands for
	// everything below it. Files elsewhere are taken from the last Load
	// without being statted, which is what lets a dev-server rebuild of
	// 10,000 essays skip 10,000 system calls. nil means anything may have
	// changed, and every file is statted.
	Changed []string
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
	// listed is set when cache holds every content file of a walk that
	// met no error, so a Load given Changed may start from it.
	listed bool
	// Front, when set, remembers decoded front matter across builds.
	Front FrontCache
	// Files, when set, remembers parsed pages by file stamp across
	// builds: a file whose stamp is known is not read at all.
	Files KnownFiles
	// Read counts the files the last Load read (the others came from its
	// memory or from Files).
	Read  int
	reads atomic.Int64
}

type loaded struct {
	size  int64
	mtime time.Time
	page  *Page
	diags diag.List
}

// NewLoader returns a Loader with an empty cache.
func NewLoader() *Loader { return &Loader{cache: map[string]loaded{}} }

// file is one content file to load; known files are taken from the
// Loader's cache as they are.
type file struct {
	path  string
	entry fs.DirEntry
	known bool
}

// Load is the package-level Load, reusing unchanged files.
func (l *Loader) Load(fsys fs.FS, opts Options) ([]*Page, diag.List) {
	start := time.Now() // before any stat: see load
	l.reads.Store(0)
	var diags diag.List
	files, ok := l.changedFiles(fsys, opts.Changed)
	if !ok {
		files = walk(fsys, Dir, &diags)
	}
	listed := len(diags) == 0
	out := make([]loaded, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i] = l.load(fsys, files[i], start)
			}
		}()
	}
	for i, f := range files {
		if f.known {
			out[i] = l.cache[f.path]
			continue
		}
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
	l.cache, l.listed = cache, listed
	l.Read = int(l.reads.Load())
	sort.Slice(pages, func(i, j int) bool { return pages[i].Source < pages[j].Source })
	return pages, diags
}

// walk lists the content files below root (Dir or a folder in it).
func walk(fsys fs.FS, root string, diags *diag.List) []file {
	var files []file
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			diags.Add(diag.Pos{File: p}, "cannot read: %v", err)
			return nil
		}
		if d.IsDir() {
			if p != Dir && skippedDir(d.Name()) {
				return fs.SkipDir
			}
			return nil
		}
		if isContentFile(d.Name()) {
			files = append(files, file{path: p, entry: d})
		}
		return nil
	})
	if err != nil {
		diags.Add(diag.Pos{File: root}, "cannot read: %v", err)
	}
	return files
}

// skippedDir reports a folder whose files are not content: hidden ones and
// those starting with an underscore.
func skippedDir(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

func isContentFile(name string) bool {
	return strings.HasSuffix(name, ".md") && !strings.HasPrefix(name, ".")
}

// changedFiles lists the content files from the last Load and what changed
// since: the files of the last Load outside every changed path are known;
// a changed file is statted, a changed folder walked again, a path that is
// gone forgotten with everything below it. It returns false when it cannot
// tell, and the caller walks everything.
func (l *Loader) changedFiles(fsys fs.FS, changed []string) ([]file, bool) {
	if changed == nil || !l.listed {
		return nil, false
	}
	var fresh []file
	var replaced []string // paths whose cached files and files below are dropped
	for _, c := range changed {
		c = path.Clean(c)
		if c == "." || c == Dir {
			return nil, false
		}
		if !strings.HasPrefix(c, Dir+"/") {
			continue
		}
		replaced = append(replaced, c)
		if skippedBelow(c) {
			continue // in a hidden or _ folder: never content
		}
		info, err := fs.Lstat(fsys, c)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Gone: what was there is forgotten.
		case err != nil:
			return nil, false // let the full walk report it
		case info.IsDir():
			if skippedDir(info.Name()) {
				continue
			}
			var d diag.List
			fresh = append(fresh, walk(fsys, c, &d)...)
			if len(d) > 0 {
				return nil, false
			}
		case isContentFile(info.Name()):
			fresh = append(fresh, file{path: c, entry: fs.FileInfoToDirEntry(info)})
		}
	}
	under := func(p string) bool {
		for _, r := range replaced { // a batch names a few paths
			if p == r || strings.HasPrefix(p, r+"/") {
				return true
			}
		}
		return false
	}
	files := make([]file, 0, len(l.cache)+len(fresh))
	for p, e := range l.cache {
		if e.size < 0 || under(p) {
			if e.size < 0 && !under(p) {
				// A failed read is never trusted: look at it again.
				if info, err := fs.Lstat(fsys, p); err == nil && !info.IsDir() {
					files = append(files, file{path: p, entry: fs.FileInfoToDirEntry(info)})
				}
			}
			continue
		}
		files = append(files, file{path: p, known: true})
	}
	seen := map[string]bool{}
	for _, f := range fresh {
		if !seen[f.path] {
			seen[f.path] = true
			files = append(files, f)
		}
	}
	return files, true
}

// skippedBelow reports whether a path below Dir lies in a skipped folder.
func skippedBelow(p string) bool {
	rest := strings.TrimPrefix(p, Dir+"/")
	dir := path.Dir(rest)
	if dir == "." {
		return false
	}
	for _, el := range strings.Split(dir, "/") {
		if skippedDir(el) {
			return true
		}
	}
	return false
}

// load reads and parses one file, or takes it from the cache when its
// size and modification time are those of the last Load, or from Files
// when its stamp is known. start is when the Load began.
func (l *Loader) load(fsys fs.FS, f file, start time.Time) loaded {
	info, err := f.entry.Info()
	if err != nil {
		// Deleted between listing and now: it is simply gone.
		return loaded{size: -1}
	}
	if c, ok := l.cache[f.path]; ok && c.size == info.Size() && c.mtime.Equal(info.ModTime()) {
		return c
	}
	e := loaded{size: info.Size(), mtime: info.ModTime()}
	stamp, stamped := Stamp{}, false
	if l.Files != nil {
		stamp, stamped = stampOf(info)
		if k, ok := l.Files.Known(f.path); stamped && ok && k.Stamp == stamp {
			e.page = k.Page
			return e
		}
	}
	raw, err := fs.ReadFile(fsys, f.path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			e.diags.Add(diag.Pos{File: f.path}, "cannot read: %v", err)
		}
		e.size = -1 // never reuse a failed read
		return e
	}
	l.reads.Add(1)
	e.page, e.diags = parse(f.path, raw, l.Front)
	if int64(len(raw)) != e.size {
		e.size = -1 // changed while we read it: read again next time
		return e
	}
	// Only a page without any diagnostic is remembered (a warning must
	// show on every build), and only from a stamp that is not racy: any
	// write after start gets a change time the stamp does not have.
	if stamped && e.page != nil && len(e.diags) == 0 && start.UnixNano()-stamp.CTime > int64(racyWindow) {
		// The page itself, not a copy: Files keeps no Raw or Body (and a
		// build to disk lets them go once the page is converted).
		l.Files.RememberFile(f.path, Known{Stamp: stamp, Page: e.page})
	}
	return e
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
	p.Tags = pageTags(p.Front.Tags)
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
	p.BodyHash = sha256.Sum256(p.Body)
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
