package pipeline

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
)

// Files beside the essays: every file under content/ that is not Markdown
// (the images of a Hugo page bundle or of Zola's colocated assets, a PDF
// an essay links to) is published at its path relative to content/, except
// in folders whose names start with "." or "_", and hidden files.

// besideFile is one such file as last listed. A record is shared by the
// builds that list the file with the same stamp, if it was trusted when
// listed (see content.Racy); what it learns of the file (its image size,
// its bytes) holds for that stamp.
type besideFile struct {
	stamp content.Stamp
	// trusted is unset when the stamp was racy or the file changed while
	// it was read: the next listing makes a new record.
	trusted bool
	// data is kept for the next build by an in-memory build's Builder.
	data []byte
	// image is the file's pixel size, once read (guarded by siteFiles.mu).
	image *imageSize
}

// listBeside lists the files beside the essays. With changed (as a
// watcher reports them; see Options.Changed) it starts from the last
// listing and looks again only at the paths named; otherwise it walks
// content/. Records whose stamp is unchanged are reused.
func (b *Builder) listBeside(fsys fs.FS, changed []string, jekyll content.Jekyll) (map[string]*besideFile, diag.List) {
	var diags diag.List
	prev := b.beside
	taken := b.Racy.Time() // before any stat
	trust := func(s content.Stamp) bool { return b.Racy.Trusted(s, taken) }
	var files map[string]*besideFile
	ok := false
	isJekyll := jekyll.Found()
	if !isJekyll && !b.besideJekyll {
		// (A Jekyll site is walked whole, as its content is.)
		files, ok = b.besideChanged(fsys, changed, trust, &diags)
	}
	if !ok {
		diags = nil
		files = map[string]*besideFile{}
		walkBeside(fsys, content.Dir, jekyll, prev, files, trust, &diags)
	}
	b.beside, b.besideListed, b.besideJekyll = files, len(diags) == 0, isJekyll
	return files, diags
}

// besideChanged updates the last listing with the changed paths, or
// returns false when it cannot tell what changed.
func (b *Builder) besideChanged(fsys fs.FS, changed []string, trust func(content.Stamp) bool, diags *diag.List) (map[string]*besideFile, bool) {
	if changed == nil || !b.besideListed {
		return nil, false
	}
	prev := b.beside
	files := maps.Clone(prev)
	if files == nil {
		files = map[string]*besideFile{}
	}
	for _, c := range changed {
		c = path.Clean(c)
		if c == "." || c == content.Dir {
			return nil, false
		}
		if !strings.HasPrefix(c, content.Dir+"/") {
			continue
		}
		for p := range files {
			if p == c || strings.HasPrefix(p, c+"/") {
				delete(files, p)
			}
		}
		if inSkippedDir(c) {
			continue
		}
		info, err := fs.Lstat(fsys, c)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Gone, with everything below it.
		case err != nil:
			return nil, false // let the full walk report it
		case info.IsDir():
			if !skippedName(info.Name()) {
				walkBeside(fsys, c, content.Jekyll{}, prev, files, trust, diags)
			}
		default:
			addBeside(c, fs.FileInfoToDirEntry(info), prev, files, trust, diags)
		}
	}
	return files, len(*diags) == 0
}

// walkBeside adds the files beside the essays below root to files, and
// those of the Jekyll collections' folders, but those Jekyll excludes (see
// content.Jekyll), when root is content/; trust tells whether a stamp
// taken now may be trusted by later builds.
func walkBeside(fsys fs.FS, root string, jekyll content.Jekyll, prev, files map[string]*besideFile, trust func(content.Stamp) bool, diags *diag.List) {
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == content.Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipDir
			}
			diags.Add(diag.Pos{File: p}, "cannot read: %v", err)
			return nil
		}
		if p != content.Dir && jekyll.Excluded(strings.TrimPrefix(p, content.Dir+"/")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != content.Dir && skippedName(d.Name()) && !(path.Dir(p) == content.Dir && slices.Contains(jekyll.Collections, d.Name())) {
				return fs.SkipDir
			}
			return nil
		}
		addBeside(p, d, prev, files, trust, diags)
		return nil
	})
	if err != nil {
		diags.Add(diag.Pos{File: root}, "cannot read: %v", err)
	}
}

// addBeside adds one file, when it is published, reusing its last record
// while its stamp is unchanged, if that was trusted.
func addBeside(p string, d fs.DirEntry, prev, files map[string]*besideFile, trust func(content.Stamp) bool, diags *diag.List) {
	name := d.Name()
	if strings.HasPrefix(name, ".") || content.IsContentFile(name) {
		return // hidden, or content (an essay or a folder's page)
	}
	if name == "_config.yml" && path.Dir(p) == content.Dir {
		return // a Jekyll site's settings, copied with its Markdown
	}
	if !d.Type().IsRegular() {
		diags.Warn(diag.Pos{File: p}, "not a regular file (a link?); not copied")
		return
	}
	info, err := d.Info()
	if err != nil {
		return // vanished since listing
	}
	stamp, _ := content.StampOf(info)
	if f, ok := prev[p]; ok && f.trusted && f.stamp == stamp {
		files[p] = f
		return
	}
	files[p] = &besideFile{stamp: stamp, trusted: trust(stamp)}
}

// skippedName reports a folder whose files are not published: the folders
// whose Markdown is not content, and Jekyll's _drafts, whose files would
// show what is not yet published; Jekyll's _posts is published.
func skippedName(name string) bool { return content.SkippedDir(name) || name == "_drafts" }

// inSkippedDir reports whether a path below content/ lies in a folder
// whose files are not published.
func inSkippedDir(p string) bool {
	dirs := strings.Split(strings.TrimPrefix(p, content.Dir+"/"), "/")
	for _, d := range dirs[:len(dirs)-1] {
		if skippedName(d) {
			return true
		}
	}
	return false
}

// besideOut is the output path of a file beside the essays.
func besideOut(source string) string { return strings.TrimPrefix(source, content.Dir+"/") }

// copyBeside copies the files beside the essays. A file that would stand
// where a generated page or a file of the site's static/ is, or where
// generated pages need a folder, is an error: neither may silently
// replace the other. A file of the theme's static/ gives way to it, as it
// does to the site's static/.
func (g *generator) copyBeside(static map[string][]byte, fromSite, gen map[string]bool) (int, diag.List) {
	var diags diag.List
	files := g.images.beside
	if len(files) == 0 {
		return 0, nil
	}
	copied := 0
	genDirs := map[string]bool{}
	for p := range gen {
		for d := path.Dir(p); d != "." && !genDirs[d]; d = path.Dir(d) {
			genDirs[d] = true
		}
	}
	for _, src := range slices.Sorted(maps.Keys(files)) {
		f := files[src]
		out := besideOut(src)
		pos := diag.Pos{File: src}
		if why := templateKind(g.fsys, src, f); why != "" {
			diags.Warn(pos, "not published: %s", why)
			continue
		}
		switch {
		case gen[out]:
			diags.Add(pos, "this file would replace the generated %s; rename or move it", out)
			continue
		case fromSite[out]:
			diags.Add(pos, "this file and static/%s are both published as /%s; remove or rename one", out, out)
			continue
		case genDirs[out]:
			diags.Add(pos, "this file stands where the generated pages under /%s/ need a folder; rename it", out)
			continue
		}
		delete(static, out)
		data := f.data
		if data == nil {
			b, err := fs.ReadFile(g.fsys, src)
			if err != nil {
				diags.Add(pos, "cannot read: %v", err)
				continue
			}
			data = b
			if int64(len(b)) != f.stamp.Size {
				// Changed while read: a new record, read again next time.
				nf := &besideFile{stamp: f.stamp}
				files[src], f = nf, nf
			}
		}
		g.put(out, data)
		copied++
		if !g.b.once { // the Builder builds again
			f.data = data
		}
	}
	return copied, diags
}

// templateExts are the extensions of other generators' templates and
// data files (Eleventy's Nunjucks, Liquid, Handlebars, EJS, Pug, its
// data and JavaScript templates), which are never published as they are.
var templateExts = []string{".njk", ".liquid", ".hbs", ".ejs", ".pug", ".haml", ".11ty.js", ".11ty.cjs", ".11tydata.js", ".11tydata.cjs", ".11tydata.json"}

// unpublishedByName reports a file beside the essays that templateKind
// refuses by its name alone (MDX, a template's extension), so that links
// and images to it are not resolved to a URL that nothing answers.
func unpublishedByName(src string) bool {
	if content.ForeignMarkdown(src) != "" {
		return true
	}
	lower := strings.ToLower(path.Base(src))
	for _, ext := range templateExts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

// frontMatterExts are the extensions of files that Jekyll and Eleventy
// run as templates when they open with front matter (a line "---").
var frontMatterExts = []string{".html", ".htm", ".xml", ".txt", ".json", ".css", ".scss", ".sass", ".js"}

// templateKind says what another generator would have made of a file
// beside the essays that must not be published as it is: Markdown that
// Steward does not read (MDX), a template (by its extension), or a page, feed or stylesheet that opens with front
// matter, which Jekyll and Eleventy fill in (content/feed.xml with
// {% for post in site.posts %}). It returns "" for any other file, and
// reads only the first bytes of the few that may be such.
func templateKind(fsys fs.FS, src string, f *besideFile) string {
	if why := content.ForeignMarkdown(src); why != "" {
		return why
	}
	lower := strings.ToLower(path.Base(src))
	for _, ext := range templateExts {
		if strings.HasSuffix(lower, ext) {
			return "it is a template or data file of Eleventy or another generator (" + ext + "), which Steward does not run (as it is, readers would get its code); write what it makes as Markdown, or put the file it makes in static/"
		}
	}
	if !slices.Contains(frontMatterExts, path.Ext(lower)) || f.stamp.Size < 4 {
		return ""
	}
	head := f.data
	if head == nil {
		file, err := fsys.Open(src)
		if err != nil {
			return "" // copying it reports the error
		}
		head = make([]byte, 8)
		n, _ := io.ReadFull(file, head)
		head = head[:n]
		file.Close()
	}
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	if t := bytes.TrimLeft(head, " \t\r\n"); bytes.HasPrefix(t, []byte("{%")) || bytes.HasPrefix(t, []byte("{{")) {
		// {% extends "base.html" %}: no page, feed or stylesheet starts
		// with a template's tag but a template's own.
		return "it starts with a template tag (" + string(t[:2]) + "), so it is a template of Jinja, Django, Liquid or Nunjucks, which Steward does not run (as it is, readers would get its code); write what it makes as Markdown, or put the file it makes in static/"
	}
	if !bytes.HasPrefix(head, []byte("---\n")) && !bytes.HasPrefix(head, []byte("---\r\n")) {
		return ""
	}
	if ext := path.Ext(lower); ext == ".html" || ext == ".htm" {
		return "it is a page in HTML with front matter, which Hugo, Jekyll and Eleventy publish in their layouts (as it is, readers would see its front matter); rename it to .md to make it an essay (its HTML passes through), or remove its front matter to publish it as it is"
	}
	return "it opens with front matter, so it is a template of Jekyll or Eleventy, which Steward does not run (as it is, readers would get its code); write what it makes as Markdown, or put the file it makes in static/"
}
