package markdown

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"

	"github.com/steward-ssg/steward/generator/diag"
)

// FileRef is a relative image or link to a file that is not an essay
// (content/posts/img/a.png beside content/posts/a.md), resolved against
// the essay's folder when it was converted. A cached conversion is valid
// only while each of its references still resolves to the same URL.
type FileRef struct {
	// Source is the file's path relative to the site ("content/posts/img/a.png").
	Source string
	// URL is what the reference was rewritten to, percent-encoded; "" when
	// no such file was published (the link was then left as written).
	URL string
}

// filesKey holds the essay's []FileRef, found by links.go and images.go.
var filesKey = parser.NewContextKey()

// file resolves the destination of an image or a link that names a file
// beside the essays into the file's URL: an essay is served at a pretty
// URL (/posts/a/ for content/posts/a.md), where the relative path as
// written would point elsewhere. A relative image that names no published
// file is an error at offset; a link to one is left as written (it may
// point at a page that a layout or static/ provides). It returns the
// destination to write and whether it changed.
func (r *resolver) file(dest []byte, image bool, offset int) ([]byte, bool) {
	if r.opts.Asset == nil {
		return dest, false
	}
	target, suffix, ok := RelativeFile(string(dest))
	if !ok {
		if image {
			r.rootImage(dest, offset)
		}
		return dest, false
	}
	if strings.Contains(target, "{{") || strings.Contains(target, "{%") {
		// A template's value (<img src="{{ member.avatar_url }}"> in a
		// Liquid loop), warned of as such: no file to look for.
		return dest, false
	}
	in := r.doc.in
	source := path.Clean(path.Join(path.Dir(in.File), target))
	if rest, ok := strings.CutPrefix(target, "@/"); ok && in.Root != "" {
		source = path.Clean(path.Join(in.Root, rest)) // as Zola's internal links
	}
	u, found := r.opts.Asset(source)
	r.files = append(r.files, FileRef{Source: source, URL: u})
	if !found && !strings.HasPrefix(target, "@/") {
		u, found = r.fromPageURL(target, offset)
	}
	if !found {
		if image {
			r.diags = append(r.diags, diag.New(r.doc.pos(offset), r.opts.BrokenLinks, "image %q: %s%s; fix the path (it is relative to %s) or add the file", string(dest), WhyMissing(source), r.fromPageHint(source, target), path.Dir(in.File)+"/"))
		}
		return dest, false
	}
	return []byte(u + suffix), true
}

// rootImage warns of an image from the site's root (/images/a.png) that
// no published file answers: none in static/, the theme's static/ or
// beside the essays. A new user who copied a blog's Markdown without its
// images (kept in another folder of the old project) hears which are
// missing, as a broken relative image is reported. It is a warning, not
// an error: such a path may be served by something other than Steward.
func (r *resolver) rootImage(dest []byte, offset int) {
	in := r.doc.in
	p := string(dest)
	if in.Root == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "{}") {
		return // not a path from the site's root, or a template's (warned of as such)
	}
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	if t, err := url.PathUnescape(p); err == nil {
		p = t
	}
	p = path.Clean(p)
	if p == "/" || strings.HasSuffix(p, "/") {
		return
	}
	for _, root := range []string{"static", in.Root} {
		source := root + p
		u, found := r.opts.Asset(source)
		// Recorded either way: a cached conversion is made again, and
		// the warning goes, when the file appears.
		r.files = append(r.files, FileRef{Source: source, URL: u})
		if found {
			return
		}
	}
	r.diags = append(r.diags, diag.Warnf(r.doc.pos(offset), "image %q: no file is published at %s (there is no static%s, nor %s%s); copy the image there, or fix the path", string(dest), p, p, in.Root, p))
}

// fromPageHint says, for a relative image that leaves the site's folder
// (../../../../images/a.png, written for an old page's deep URL, where a
// browser stops at the root), where a browser would ask for it from the
// essay's URL, which fromPageURL looked for: the writer's path was most
// likely meant so, and it is the file that is missing there.
func (r *resolver) fromPageHint(source, target string) string {
	in := r.doc.in
	if !strings.HasPrefix(source, "../") || in.Resolve == nil || in.Root == "" {
		return ""
	}
	page, ok := in.Resolve(in.File)
	if !ok {
		return ""
	}
	dir, err := url.PathUnescape(page)
	if err != nil || !strings.HasSuffix(dir, "/") {
		return ""
	}
	at := path.Join(dir, target)
	return fmt.Sprintf(", and from the page's URL, %s, a browser would ask for %s, which neither static%s nor %s%s is", dir, at, at, in.Root, at)
}

// fromPageURL resolves target as a browser does, against the essay's own
// URL, a folder (/user-guide/themes/ for content/user-guide/themes.md),
// and then from the site's root, as a page with <base href="/"> does.
// Writers for generators that leave addresses as written (MkDocs in raw
// HTML, Hugo) wrote "../../img/a.png" for the page, not for its file, and
// many wrote "images/a.png" for static/images/a.png, which their theme's
// <base> or their old site's flat URLs made work; when either names a
// published file (content/img/a.png or static/img/a.png) the reference
// works, and becomes that file's URL. The essay's own URL is recorded as
// a link, so a cached conversion is converted again when it moves.
func (r *resolver) fromPageURL(target string, offset int) (string, bool) {
	in := r.doc.in
	if in.Resolve == nil || in.Root == "" {
		return "", false
	}
	page, ok := in.Resolve(in.File)
	if !ok {
		return "", false
	}
	dir, err := url.PathUnescape(page)
	if err != nil || !strings.HasSuffix(dir, "/") {
		return "", false
	}
	for _, base := range []string{dir, "/"} {
		at := path.Join(base, target)
		if at == "/" || (base == "/" && strings.HasPrefix(target, "..")) {
			continue
		}
		for _, root := range []string{in.Root, "static"} {
			source := root + at
			u, found := r.opts.Asset(source)
			r.files = append(r.files, FileRef{Source: source, URL: u})
			if found {
				r.links = append(r.links, Link{Target: in.File, URL: page, Pos: r.doc.pos(offset)})
				return u, true
			}
		}
		if dir == "/" {
			break
		}
	}
	return "", false
}

// RelativeFile splits a destination that names a file by a relative path
// into that path, percent-decoded, and what follows it (a query or a
// fragment). Absolute paths, URLs with a scheme, bare fragments, folders
// and Markdown files (links between essays) are not files beside essays.
func RelativeFile(dest string) (target, suffix string, ok bool) {
	// The destination as written: backslash escapes and entities are
	// resolved by the renderer, so they are resolved here too.
	dest = string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations([]byte(dest)))))
	if dest == "" || dest[0] == '/' || dest[0] == '#' || dest[0] == '?' {
		return "", "", false
	}
	if u, err := url.Parse(dest); err != nil || u.Scheme != "" || u.Host != "" {
		return "", "", false
	}
	target = dest
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		target, suffix = dest[:i], dest[i:]
	}
	if strings.HasSuffix(target, "/") || isEssayPath(target) || target == "." || target == ".." {
		return "", "", false
	}
	if t, err := url.PathUnescape(target); err == nil {
		target = t
	}
	return target, suffix, true
}

// WhyMissing says why no file is published for source, a path relative
// to the site.
func WhyMissing(source string) string {
	if source == ".." || strings.HasPrefix(source, "../") {
		return "it points outside the site's folder"
	}
	top, rest, _ := strings.Cut(source, "/")
	if top != "content" && top != "static" {
		return "there is no file " + source + " (only files under content/ and static/ are published)"
	}
	dirs := strings.Split(rest, "/")
	for _, d := range dirs[:len(dirs)-1] {
		if top == "content" && (strings.HasPrefix(d, "_") && d != "_posts" || strings.HasPrefix(d, ".")) {
			return source + " is in the folder " + d + ", and folders starting with _ or . are not published"
		}
	}
	if strings.HasPrefix(dirs[len(dirs)-1], ".") {
		return source + " is a hidden file, and hidden files are not published"
	}
	return "there is no file " + source
}
