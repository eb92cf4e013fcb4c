package markdown

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/steward-ssg/steward/generator/diag"
)

// linksKey holds the essay's []Link: its links to essays and to its own
// headings, for the build to check their fragments.
var linksKey = parser.NewContextKey()

// links is the transformer that resolves the essay's links: a link to an
// essay's file ("other.md#x", Zola's "@/notes/x.md") becomes that essay's
// URL and is recorded in Result.Links, with a bare "#fragment"; a link to
// a file beside the essays becomes the file's URL (files.go). With raw
// HTML let through, the addresses in it are resolved alike (htmllinks.go).
// A link to an essay that does not exist is reported with
// Options.BrokenLinks' severity.
type links struct{ opts *Options }

// Extend registers the transformer.
func (l links) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(l, linksPriority)))
}

// Transform implements parser.ASTTransformer.
func (l links) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	d := documentOf(pc)
	if d == nil {
		return
	}
	r := &resolver{opts: l.opts, doc: d}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			dest, toEssay := r.essayLink(pelican(n.Destination), linkOffset(n))
			var toFile bool
			n.Destination, toFile = r.file(dest, false, linkOffset(n))
			if !toEssay && !toFile {
				r.sitePath(n.Destination, linkOffset(n))
			}
		case *ast.HTMLBlock, *ast.RawHTML:
			if l.opts.Unsafe { // else the HTML is shown as text, and links nowhere
				r.html(n)
			}
		}
		return ast.WalkContinue, nil
	})
	r.leave(pc)
}

// resolver resolves the addresses of one essay (links and images) and
// collects what it found, for its transformer to leave in the context.
type resolver struct {
	opts  *Options
	doc   *document
	links []Link
	files []FileRef
	paths []PathLink
	diags diag.List
	// components are the <Components> found in raw HTML (htmllinks.go).
	components     map[string]*componentUse
	componentOrder []string
}

// leave records the links, files and diagnostics found in the essay's
// context.
func (r *resolver) leave(pc parser.Context) {
	appendTo(pc, linksKey, r.links...)
	appendTo(pc, filesKey, r.files...)
	appendTo(pc, pathsKey, r.paths...)
	report(pc, r.diags...)
	if d := r.doc; d != nil && !d.snippet {
		report(pc, r.componentDiags()...)
	}
}

// schemeRe is the start of a URL with a scheme (RFC 3986).
var schemeRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)

// pathsKey holds the essay's []PathLink.
var pathsKey = parser.NewContextKey()

// PathLink is a link to a path of the site ("/about/", "../guides/x",
// "other.html") that names no essay's file and no file beside the essays:
// a list page, an essay by its URL, a file under static/, or nothing at
// all. Only the build, once it knows every URL of the site, can tell
// which, so the link is recorded for it to check.
type PathLink struct {
	// Dest is the link's address as written (entities and escapes
	// resolved), without its query and fragment.
	Dest string
	Pos  diag.Pos
}

// sitePath records dest, a link's address that was left as written, when
// it is a path of the site (see PathLink): not a URL with a scheme or a
// host, a bare fragment, an essay's file (reported if missing), or
// another generator's syntax (warned of as such).
func (r *resolver) sitePath(dest []byte, offset int) {
	if r.doc.in.Root == "" {
		return // not an essay of a site
	}
	s := string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest))))
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	if s == "" || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "{}") || isEssayPath(s) {
		return
	}
	if u, err := url.Parse(s); err == nil && (u.Scheme != "" || u.Host != "") || err != nil && schemeRe.MatchString(s) {
		return
	}
	// One that url.Parse refuses ("[https://x](https://x" of a link
	// written inside a link's parentheses) is a path to a browser too.
	r.paths = append(r.paths, PathLink{Dest: s, Pos: r.doc.pos(offset)})
}

// essayLink resolves a link's destination that names an essay's file into
// that essay's URL, and records it; a bare "#fragment" is recorded as it
// is. A file that is no essay is an error at offset. It returns the
// destination to write and whether it changed.
func (r *resolver) essayLink(destination []byte, offset int) ([]byte, bool) {
	in := r.doc.in
	// The destination as the page will link it: goldmark writes entity
	// and numeric references decoded (CommonMark's rule), so
	// #l&eacute;quipe links to id="léquipe".
	dest := string(util.ResolveEntityNames(util.ResolveNumericReferences(destination)))
	if dest == "" || strings.HasPrefix(dest, "//") {
		return destination, false
	}
	if strings.HasPrefix(dest, "/") {
		return r.rootLink(destination, offset)
	}
	if u, err := url.Parse(dest); err != nil || u.Scheme != "" {
		return destination, false
	}
	target, rawFrag, _ := strings.Cut(dest, "#")
	// Browsers compare a fragment with ids after percent-decoding it, so
	// #caf%C3%A9 finds id="café"; so does the check.
	frag := rawFrag
	if f, err := url.PathUnescape(rawFrag); err == nil {
		frag = f
	}
	if target == "" {
		if frag != "" {
			r.links = append(r.links, Link{Target: in.File, Fragment: frag, URL: "#" + rawFrag, Pos: r.doc.pos(offset)})
		}
		return destination, false
	}
	if q := strings.IndexByte(target, '?'); q >= 0 {
		target = target[:q]
	}
	if t, ok := strings.CutSuffix(target, ".html"); ok {
		return r.pageFileLink(destination, t, ".html", frag, rawFrag, offset)
	}
	if bareName(target) {
		return r.pageFileLink(destination, target, "", frag, rawFrag, offset)
	}
	if !isEssayPath(target) {
		return destination, false
	}
	if t, err := url.PathUnescape(target); err == nil {
		target = t
	}
	source := path.Clean(path.Join(path.Dir(in.File), target))
	if rest, ok := strings.CutPrefix(target, "@/"); ok && in.Root != "" {
		// Zola's internal links start from the content folder.
		source = path.Clean(path.Join(in.Root, rest))
	}
	p := r.doc.pos(offset)
	u, ok := in.Resolve(source)
	if !ok && !strings.HasPrefix(target, "@/") && in.Root != "" {
		// Eleventy resolves a link to an input file from its input
		// folder too (blog/x.md in content/blog/y.md).
		if s := path.Clean(path.Join(in.Root, target)); s != source {
			if u, ok = in.Resolve(s); ok {
				// The file it missed is recorded as no essay's, so a
				// cached conversion is made again should it appear.
				r.links = append(r.links, Link{Target: source, Pos: r.doc.pos(offset)})
				source = s
			}
		}
	}
	if !ok {
		r.diags = append(r.diags, diag.New(p, r.opts.BrokenLinks, "link to %q: there is no essay %s (drafts and essays dated in the future are left out unless the build includes them); fix the file name or remove the link%s", dest, source, r.zolaRootHint(target)))
		return destination, false
	}
	r.links = append(r.links, Link{Target: source, Fragment: frag, URL: u, Pos: p})
	if rawFrag != "" {
		u += "#" + rawFrag
	}
	return []byte(u), true
}

// pageFileLink resolves a link to a page by its file's name, less its
// extension: "ch01-02-hello.html" or "hello" (name) for the essay
// ch01-02-hello.md beside the linking file, when no file is published
// under that name (ext, ".html" or none). mdBook and Sphinx publish each
// file as name.html, and their writers link chapters so; VitePress and
// Docusaurus resolve "./hello", "hello.html" and "/guide/hello.html" to
// the file hello.md, and their writers link pages so. Anything else is
// left as written, for the build to check (PathLink). name is relative to
// the linking file, or from the site's root when it starts with "/".
func (r *resolver) pageFileLink(destination []byte, name, ext, frag, rawFrag string, offset int) ([]byte, bool) {
	in := r.doc.in
	if in.Resolve == nil || in.Root == "" || r.opts.Asset == nil {
		return destination, false
	}
	if t, err := url.PathUnescape(name); err == nil {
		name = t
	}
	base := path.Clean(path.Join(path.Dir(in.File), name))
	if strings.HasPrefix(name, "/") {
		base = path.Join(in.Root, path.Clean(name))
	}
	published := base + ext
	u, found := r.opts.Asset(published)
	// Recorded either way, so a cached conversion is made again when the
	// file appears, or goes.
	r.files = append(r.files, FileRef{Source: published, URL: u})
	if found {
		return destination, false
	}
	source := base + ".md"
	p := r.doc.pos(offset)
	u, ok := in.Resolve(source)
	if !ok {
		// Recorded as no essay's, so a cached conversion is made again
		// should it appear.
		r.links = append(r.links, Link{Target: source, Pos: p})
		return destination, false
	}
	r.links = append(r.links, Link{Target: source, Fragment: frag, URL: u, Pos: p})
	if rawFrag != "" {
		u += "#" + rawFrag
	}
	return []byte(u), true
}

// bareName reports whether target, a relative link's path, names a file
// without an extension ("./watchers", "../guide/setup"), as VitePress's
// and Docusaurus's writers link a page's file: not a folder ("guide/",
// ".."), nor Zola's "@/".
func bareName(target string) bool {
	b := path.Base(target)
	return !strings.HasSuffix(target, "/") && b != "." && b != ".." && path.Ext(b) == "" && !strings.HasPrefix(target, "@/")
}

// rootLink resolves a link from the site's root to an essay's file
// (/blog/x.md, as Eleventy and GitHub read it: from the content folder)
// into that essay's URL. One that names no essay is left as written: it
// may be a file that static/ serves.
func (r *resolver) rootLink(destination []byte, offset int) ([]byte, bool) {
	in := r.doc.in
	target, rawFrag, _ := strings.Cut(string(destination), "#")
	if q := strings.IndexByte(target, '?'); q >= 0 {
		target = target[:q]
	}
	if t, ok := strings.CutSuffix(target, ".html"); ok && in.Root != "" {
		frag := rawFrag
		if f, err := url.PathUnescape(rawFrag); err == nil {
			frag = f
		}
		// VitePress's "/guide/setup.html" names content/guide/setup.md.
		return r.pageFileLink(destination, t, ".html", frag, rawFrag, offset)
	}
	if !isEssayPath(target) || in.Root == "" {
		return destination, false
	}
	if t, err := url.PathUnescape(target); err == nil {
		target = t
	}
	source := path.Join(in.Root, path.Clean(target))
	u, ok := in.Resolve(source)
	if !ok {
		// Recorded as no essay's, so a cached conversion is made again
		// should it appear.
		r.links = append(r.links, Link{Target: source, Pos: r.doc.pos(offset)})
		return destination, false
	}
	frag := rawFrag
	if f, err := url.PathUnescape(rawFrag); err == nil {
		frag = f
	}
	r.links = append(r.links, Link{Target: source, Fragment: frag, URL: u, Pos: r.doc.pos(offset)})
	if rawFrag != "" {
		u += "#" + rawFrag
	}
	return []byte(u), true
}

// zolaRootHint explains a Zola link (@/documentation/page.md) that names
// no essay while the same path less its first folders does
// (content/page.md): the site's content/ was copied from a folder inside
// Zola's content/, where every @/ link starts.
func (r *resolver) zolaRootHint(target string) string {
	rest, ok := strings.CutPrefix(target, "@/")
	if !ok || r.doc.in.Root == "" {
		return ""
	}
	segs := strings.Split(path.Clean(rest), "/")
	for i := 1; i < len(segs); i++ {
		if _, ok := r.doc.in.Resolve(path.Join(r.doc.in.Root, path.Join(segs[i:]...))); ok {
			return fmt.Sprintf("; a Zola @/ link starts at Zola's content folder, and %s/%s exists: was %s/ copied from Zola's content/%s/? Copy Zola's whole content/ folder instead", r.doc.in.Root, path.Join(segs[i:]...), r.doc.in.Root, path.Join(segs[:i]...))
		}
	}
	return ""
}

// pelican turns Pelican's links to files, {filename}other.md and
// {static}/images/a.png ({attach}, and the older |filename| too), into
// the paths they name: relative to the essay's folder, or with a leading
// / from the content folder (written as Zola's @/). Anything else is
// returned as it is.
func pelican(dest []byte) []byte {
	for _, p := range []string{"{filename}", "{static}", "{attach}", "|filename|", "|static|", "|attach|"} {
		if rest, ok := bytes.CutPrefix(dest, []byte(p)); ok {
			if len(rest) > 0 && rest[0] == '/' {
				return append([]byte("@/"), rest[1:]...)
			}
			return rest
		}
	}
	return dest
}

// isEssayPath reports a link to an essay's file rather than to another
// file: Markdown, as the build's content loader reads it (.md, .markdown).
func isEssayPath(p string) bool {
	return strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".markdown")
}

// linkOffset is where a link (or image) starts in the source: its opening
// bracket, or the "!" of an image. goldmark records that offset as the
// node's position; older trees without one fall back to the first
// position found inside or around the node, so a diagnostic never fails.
func linkOffset(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}
