package content

import (
	"crypto/sha256"
	"errors"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/steward-ssg/steward/generator/diag"
)

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
	// Permalinks are site.yaml's permalinks: by section (a folder at the
	// top of content/, or "/"), the pattern of its essays' URLs in Hugo's
	// tokens ("/:year/:month/:day/:slug/"), checked by config.
	Permalinks map[string]string
	// Jekyll is what the build follows of a Jekyll site's _config.yml
	// (see ReadJekyll): its collections, folders at the top of content/
	// whose names start with _ that are published all the same, under
	// their names without it ("_docs" at /docs/, or at the collection's
	// permalink); and its exclude list, files and folders left out.
	Jekyll Jekyll
}

// Load reads every .md file below content/ in fsys (the site's folder),
// sorted by path, and places each among its neighbours (see placement).
// Drafts and future essays are left out unless asked for. All problems
// of all files are returned.
func Load(fsys fs.FS, opts Options) ([]*Doc, diag.List) {
	return NewLoader().Load(fsys, opts)
}

// Loader loads content, remembering what it parsed: a file whose stamp
// (StampOf) is unchanged since the last Load is not read or parsed again. Use one Loader from one goroutine at a time.
type Loader struct {
	cache map[string]*loaded
	// order holds the paths of cache, sorted.
	order []string
	// listed is set when cache holds every content file of a walk that
	// met no error, so a Load given Changed may start from it.
	listed bool
	// skipped are the folders of the last Load that were left out for
	// their name (starting with _) although they hold Markdown.
	skipped []string
	// Front, when set, remembers decoded front matter across builds.
	Front FrontCache
	// Files, when set, remembers parsed pages by file stamp across
	// builds: a file whose stamp is known is not read at all.
	Files KnownFiles
	// Racy decides which stamps may be trusted by later Loads.
	Racy Racy
	// Read counts the files the last Load read (the others came from its
	// memory or from Files).
	Read int
	// Broken maps each content file of the last Load that exists but
	// could not be used (its errors are among the Load's diagnostics) to
	// the URL it would have had. The build lets links resolve to it, so
	// that one fault is reported once and not again at every link to it.
	Broken map[string]string
	// placed is the last Load's placement, reused while what it depends
	// on is unchanged (placing 10,000 files costs a dev-server rebuild
	// some 15 ms).
	placed placeMemo
	reads  atomic.Int64
	// jekyll tells whether the last Load had a Jekyll _config.yml.
	jekyll bool
}

// placeMemo is a placement and what it was made from: the content files,
// in order, each with its front matter slug, or broken.
type placeMemo struct {
	sources, slugs []string
	broken         []bool
	out            []placement
}

// placements places entries, or returns the last placement when it was
// made from the same entries.
func (m *placeMemo) placements(entries []entry) []placement {
	same := len(entries) == len(m.sources)
	for i := 0; same && i < len(entries); i++ {
		e := entries[i]
		same = e.source == m.sources[i] && (e.page == nil) == m.broken[i] && (e.page == nil || strings.TrimSpace(e.page.Front.Slug) == m.slugs[i])
	}
	if same {
		return m.out
	}
	*m = placeMemo{sources: make([]string, len(entries)), slugs: make([]string, len(entries)), broken: make([]bool, len(entries))}
	for i, e := range entries {
		m.sources[i], m.broken[i] = e.source, e.page == nil
		if e.page != nil {
			m.slugs[i] = strings.TrimSpace(e.page.Front.Slug)
		}
	}
	m.out = place(entries)
	return m.out
}

type loaded struct {
	// stamp is the file's as it was read (StampOf); full where the system
	// tells the change time and inode: an edit that keeps the size and
	// puts the modification time back still changes them, so the dev
	// server never serves it stale.
	stamp Stamp
	full  bool
	// retry is set when the file must be looked at again by the next
	// Load, even if no change is reported: its read failed, or it changed
	// while read.
	retry bool
	// trusted is set when the stamp was not racy when taken (see Racy):
	// a later Load that finds the same stamp may reuse the record without
	// reading the file.
	trusted bool
	name    name
	// page is the file as parsed alone; placed is the page as the last
	// Load placed it among its neighbours (page itself, or a copy), and
	// placedAt that placement.
	page     *Doc
	placed   *Doc
	placedAt placement
	// linked is the placed page at the URL a permalinks pattern gives it
	// (placed itself, or a copy), made from linkedFrom with linkedBy;
	// linkDiag says why the pattern could not be followed.
	linked, linkedFrom *Doc
	linkedBy           string
	linkDiags          diag.List
	diags              diag.List
}

// NewLoader returns a Loader with an empty cache.
func NewLoader() *Loader { return &Loader{cache: map[string]*loaded{}} }

// file is one content file to load; known files are taken from the
// Loader's cache as they are.
type file struct {
	path  string
	entry fs.DirEntry
	known bool
}

// Load is the package-level Load, reusing unchanged files.
func (l *Loader) Load(fsys fs.FS, opts Options) ([]*Doc, diag.List) {
	start := l.Racy.Time() // before any stat: see load
	l.reads.Store(0)
	var diags diag.List
	// Files are in path order, so that placement and diagnostics do not
	// depend on how they were found; changedFiles keeps the order.
	var files []file
	var skipped []string
	ok := false
	jekyll := opts.Jekyll.Found()
	if !jekyll && !l.jekyll {
		files, skipped, ok = l.changedFiles(fsys, opts.Changed)
	} // else some _ folders are content, or some paths are excluded, or were: the whole folder is walked (a Jekyll site is rare)
	l.jekyll = jekyll
	if !ok {
		files, skipped = walk(fsys, Dir, opts.Jekyll, &diags)
		slices.SortFunc(files, byPath)
	}
	listed := len(diags) == 0
	out := make([]*loaded, len(files))
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

	entries := make([]entry, 0, len(files))
	index := make([]int, 0, len(files)) // entries[k] is out[index[k]]
	for i, e := range out {
		diags.Append(e.diags)
		if e.page == nil && !e.diags.HasErrors() {
			continue // gone
		}
		entries = append(entries, entry{source: files[i].path, name: e.name, page: e.page})
		index = append(index, i)
	}
	placements := l.placed.placements(entries)
	l.Broken = map[string]string{}
	var pages []*Doc
	for k, pl := range placements {
		e := out[index[k]]
		src := entries[k].source
		switch {
		case e.page == nil:
			l.Broken[src] = pl.url
			continue
		case pl.conflict != "":
			diags.Add(diag.Pos{File: src, Line: 1, Col: 1}, "%s", pl.conflict)
			l.Broken[src] = pl.url
			continue
		case e.placed != nil && e.placedAt == pl:
			// Placed as last time, from the same page.
		default:
			title, date := pl.finish(e.page, e.name)
			if pl.same(e.page, title, date) {
				e.placed = e.page
			} else {
				// A page whose place changed is a new page: the build
				// keys what it derives from a page by the page.
				e.placed = pl.apply(e.page, title, date)
			}
			e.placedAt = pl
		}
		page := e.placed
		if page.Front.Draft && !opts.Drafts {
			continue
		}
		if !opts.Future && !opts.Now.IsZero() && page.Front.Date.After(opts.Now) {
			continue
		}
		coll := collectionOf(page, opts.Jekyll.Collections)
		if coll != "" || !page.IsIndex && (opts.Permalinks[collectionSection(page, coll)] != "" || hasFrontURL(page)) {
			page = e.permalinked(page, coll, opts.Permalinks, opts.Jekyll.Permalinks[coll])
			diags = append(diags, e.linkDiags...)
		}
		pages = append(pages, page)
	}
	cache := make(map[string]*loaded, len(files))
	order := make([]string, len(files))
	for i, e := range out {
		cache[files[i].path], order[i] = e, files[i].path
	}
	if len(skipped) > 0 {
		diags = append(diags, diag.Warnf(diag.Pos{File: Dir}, "not published, because their names start with _: %s (rename a folder to publish its Markdown)", strings.Join(skipped, ", ")))
	}
	l.cache, l.order, l.listed, l.skipped = cache, order, listed, skipped
	l.Read = int(l.reads.Load())
	return pages, diags
}

// permalinked returns placed page p at the URL its front matter (Hugo's
// url, Zola's path, Jekyll's permalink) or else pattern (site.yaml's
// permalinks for its section, "" for none) gives it, the same page as
// last time when neither changed (the build keys what it derives from a
// page by the page).
func (e *loaded) permalinked(placed *Doc, coll string, permalinks map[string]string, collPattern string) *Doc {
	pattern := ""
	if !placed.IsIndex {
		pattern = permalinks[collectionSection(placed, coll)]
	}
	by := coll + "\x00" + pattern + "\x00" + collPattern
	if e.linkedFrom == placed && e.linkedBy == by {
		return e.linked
	}
	e.linked, e.linkedFrom, e.linkedBy, e.linkDiags = placed, placed, by, nil
	p := placed
	if coll != "" {
		// A Jekyll collection's folder is published without its _.
		c := *placed
		c.Dir = strings.TrimPrefix(c.Dir, "_")
		if c.IsIndex {
			c.URL = folderURL(c.Dir)
		} else {
			c.URL = essayURL(c.Dir, c.Slug)
		}
		p = &c
		e.linked = p
		if p.IsIndex {
			return p
		}
	}
	u, alias := p.URL, ""
	at := diag.Pos{File: p.Source, Line: 1, Col: 1}
	// follow takes the URL v that what names gives the essay.
	follow := func(what, v string) {
		switch fu, html, why := fixedURL(v); {
		case why != "":
			e.linkDiags.Warn(at, "%s %q is not followed: %s; the essay's URL is %s", what, v, why, u)
		case html:
			alias = fu // written as that very file, redirecting here
		default:
			u = fu
		}
	}
	switch {
	case pattern != "":
		if v, why := permalink(p, pattern); why != "" {
			e.linkDiags.Warn(at, "permalinks.%s %q cannot be followed: %s; the essay keeps the URL %s", sectionOf(p), pattern, why, p.URL)
		} else {
			u = v
		}
	case collPattern != "":
		// The collection's permalink in _config.yml, as Jekyll follows it.
		if v, why := jekyllPermalink(p, coll, collPattern); why != "" {
			e.linkDiags.Warn(at, "_config.yml: the permalink of collection %s, %q, cannot be followed: %s; the essay keeps the URL %s", strings.TrimPrefix(coll, "_"), collPattern, why, p.URL)
		} else {
			follow("_config.yml: the permalink of collection "+strings.TrimPrefix(coll, "_")+", which makes", v)
		}
	}
	if key, v := frontURL(p); key != "" {
		follow("front matter: "+key, v)
	}
	if u != p.URL || alias != "" {
		c := *p
		c.URL = u
		if alias != "" {
			c.Front.Aliases = append(slices.Clip(p.Front.Aliases), alias)
		}
		e.linked = &c
	}
	return e.linked
}

// collectionOf returns the collection (an entry of collections, "_docs")
// whose folder holds page p, or "".
func collectionOf(p *Doc, collections []string) string {
	if len(collections) == 0 {
		return ""
	}
	top, _, _ := strings.Cut(strings.TrimPrefix(p.Source, Dir+"/"), "/")
	if slices.Contains(collections, top) && strings.HasPrefix(p.Dir, top) {
		return top
	}
	return ""
}

// collectionSection is the section of a placed page once its collection
// folder has lost its _.
func collectionSection(p *Doc, coll string) string {
	if coll != "" {
		return strings.TrimPrefix(sectionOf(p), "_")
	}
	return sectionOf(p)
}

// walk lists the content files below root (Dir or a folder in it), and
// the folders it skipped for their name that hold Markdown.
func walk(fsys fs.FS, root string, jk Jekyll, diags *diag.List) ([]file, []string) {
	var files []file
	var skipped []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			diags.Add(diag.Pos{File: p}, "cannot read: %v", err)
			return nil
		}
		if d.IsDir() {
			if p != Dir && jk.Excluded(strings.TrimPrefix(p, Dir+"/")) {
				return fs.SkipDir
			}
			if p != Dir && SkippedDir(d.Name()) && !(path.Dir(p) == Dir && slices.Contains(jk.Collections, d.Name())) {
				if reported(d.Name()) && holdsMarkdown(fsys, p) {
					skipped = append(skipped, p)
				}
				return fs.SkipDir
			}
			return nil
		}
		if IsContentFile(d.Name()) && !jk.Excluded(strings.TrimPrefix(p, Dir+"/")) {
			files = append(files, file{path: p, entry: d})
		}
		return nil
	})
	if err != nil {
		diags.Add(diag.Pos{File: root}, "cannot read: %v", err)
	}
	return files, skipped
}

// reported reports a skipped folder that the build names when it holds
// Markdown: one starting with _ (a hidden folder is skipped silently).
func reported(name string) bool { return strings.HasPrefix(name, "_") }

// holdsMarkdown reports whether a folder holds a Markdown file, at any
// depth.
func holdsMarkdown(fsys fs.FS, dir string) bool {
	found := false
	fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && IsContentFile(d.Name()) {
			found = true
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// changedFiles lists the content files from the last Load and what changed
// since: the files of the last Load outside every changed path are known;
// a changed file is statted, a changed folder walked again, a path that is
// gone forgotten with everything below it. It lists the skipped folders
// that hold Markdown likewise. It returns false when it cannot tell, and
// the caller walks everything.
func (l *Loader) changedFiles(fsys fs.FS, changed []string) ([]file, []string, bool) {
	if changed == nil || !l.listed {
		return nil, nil, false
	}
	var fresh []file
	var replaced []string // paths whose cached files and files below are dropped
	var skipped []string  // skipped folders found again
	var recheck []string  // skipped folders whose Markdown may have changed
	for _, c := range changed {
		c = path.Clean(c)
		if c == "." || c == Dir {
			return nil, nil, false
		}
		if !strings.HasPrefix(c, Dir+"/") {
			continue
		}
		replaced = append(replaced, c)
		if s := skippedAbove(c); s != "" {
			recheck = append(recheck, s) // never content
			continue
		}
		info, err := fs.Lstat(fsys, c)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Gone: what was there is forgotten.
		case err != nil:
			return nil, nil, false // let the full walk report it
		case info.IsDir():
			if SkippedDir(info.Name()) {
				recheck = append(recheck, c)
				continue
			}
			var d diag.List
			f, s := walk(fsys, c, Jekyll{}, &d)
			if len(d) > 0 {
				return nil, nil, false
			}
			fresh, skipped = append(fresh, f...), append(skipped, s...)
		case IsContentFile(info.Name()):
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
	for _, s := range l.skipped {
		if !under(s) && !slices.Contains(recheck, s) {
			skipped = append(skipped, s)
		}
	}
	for _, s := range recheck {
		if reported(path.Base(s)) && holdsMarkdown(fsys, s) {
			skipped = append(skipped, s)
		}
	}
	slices.Sort(skipped)
	skipped = slices.Compact(skipped)
	files := make([]file, 0, len(l.cache)+len(fresh))
	for _, p := range l.order {
		e := l.cache[p]
		if e.retry || under(p) {
			if e.retry && !under(p) {
				// A failed read is never trusted: look at it again.
				if info, err := fs.Lstat(fsys, p); err == nil && !info.IsDir() {
					files = append(files, file{path: p, entry: fs.FileInfoToDirEntry(info)})
				}
			}
			continue
		}
		files = append(files, file{path: p, known: true})
	}
	// Fresh files are never among the others (those lie outside every
	// changed path); merged in, all stay in order.
	slices.SortFunc(fresh, byPath)
	fresh = slices.CompactFunc(fresh, func(a, b file) bool { return a.path == b.path })
	if len(fresh) > 0 {
		merged := make([]file, 0, len(files)+len(fresh))
		i := 0
		for _, f := range fresh {
			for i < len(files) && files[i].path < f.path {
				merged = append(merged, files[i])
				i++
			}
			merged = append(merged, f)
		}
		files = append(merged, files[i:]...)
	}
	return files, skipped, true
}

func byPath(a, b file) int { return strings.Compare(a.path, b.path) }

// skippedAbove returns the outermost folder above a path below Dir that
// is skipped for its name, or "".
func skippedAbove(p string) string {
	rest := strings.TrimPrefix(p, Dir+"/")
	dir := path.Dir(rest)
	if dir == "." {
		return ""
	}
	segs := strings.Split(dir, "/")
	for i, el := range segs {
		if SkippedDir(el) {
			return Dir + "/" + strings.Join(segs[:i+1], "/")
		}
	}
	return ""
}

// load reads and parses one file, or takes it from the cache when its
// stamp is that of the last Load and was trusted then, or from Files when
// its stamp is known. start is when the Load began.
func (l *Loader) load(fsys fs.FS, f file, start time.Time) *loaded {
	info, err := f.entry.Info()
	if err != nil {
		// Deleted between listing and now: it is simply gone.
		return &loaded{retry: true}
	}
	stamp, full := StampOf(info)
	c, cached := l.cache[f.path]
	if cached && !c.retry && c.stamp == stamp && c.trusted {
		return c
	}
	e := &loaded{name: nameOf(f.path), stamp: stamp, full: full, trusted: l.Racy.Trusted(stamp, start)}
	if l.Files != nil && full {
		if k, ok := l.Files.Known(f.path); ok && k.Stamp == stamp {
			e.page = k.Doc
			return e
		}
	}
	raw, err := fs.ReadFile(fsys, f.path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			e.diags.Add(diag.Pos{File: f.path}, "cannot read: %v", err)
		}
		e.retry = true // never reuse a failed read
		return e
	}
	l.reads.Add(1)
	if cached && !c.retry && c.stamp == stamp && c.page != nil && int64(len(raw)) == stamp.Size && c.page.Hash == sha256.Sum256(raw) {
		// A racy record of the same bytes: the same page, so that what
		// the build derived from it stays; trusted once no longer racy.
		// (c is this file's alone, and this Load's from here on.)
		c.trusted = e.trusted
		return c
	}
	e.page, e.diags = parseSafely(f.path, raw, l.Front)
	if int64(len(raw)) != stamp.Size {
		e.retry = true // changed while we read it: read again next time
		return e
	}
	// Only a page without any diagnostic is remembered (a warning must
	// show on every build), and only from a stamp that is not racy: any
	// write after start gets a change time the stamp does not have.
	if l.Files != nil && full && e.page != nil && len(e.diags) == 0 && e.trusted {
		// The page itself, not a copy: Files keeps no Raw or Body (and a
		// build to disk lets them go once the page is converted).
		l.Files.RememberFile(f.path, Known{Stamp: stamp, Doc: e.page})
	}
	return e
}

// parseSafely parses one file, turning a fault in a decoder into an error
// that names the file: no input may crash a build or the dev server. Parse
// itself does not recover, so that fuzzing it still finds the fault.
func parseSafely(source string, raw []byte, cache FrontCache) (p *Doc, diags diag.List) {
	defer func() {
		if v := recover(); v != nil {
			p, diags = nil, diag.List{diag.Errorf(diag.Pos{File: source, Line: 1, Col: 1}, "internal error while reading its front matter: %v; please report it, with this file", v)}
		}
	}()
	return parse(source, raw, cache)
}
