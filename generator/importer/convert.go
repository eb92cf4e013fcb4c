package importer

import (
	"context"
	"fmt"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/steward-ssg/steward/generator/content"
)

// essay is one post converted, ready to write.
type essay struct {
	post *post
	// rel is its file, a slash path below the site:
	// content/<name>.md, or content/<name>/index.md beside its images.
	rel   string
	text  []byte
	files []asset
	// What converting it did, counted into the summary if it is written.
	copied, downloaded int
	remote             []Note
	debris             map[string]int
}

// asset is a file written beside an essay.
type asset struct {
	name string
	data []byte
}

// work is a post while it is converted.
type work struct {
	*essay
	doc, body *html.Node
	fns       []fnSource
	ids       map[string]bool // ids of its elements
	wanted    map[string]bool // those that links point at
}

// reserved are the URL segments Steward's generated lists use.
var reserved = map[string]bool{"tags": true, "page": true}

// convert turns an export's posts into essays. It writes nothing; with
// DownloadImages it fetches images.
func convert(ctx context.Context, ex *export, opts Options) ([]*essay, error) {
	if ex.hosts == nil {
		ex.hosts = map[string]bool{}
	}
	assignNames(ex)
	works := make([]*work, len(ex.posts))
	for i, p := range ex.posts {
		w := &work{essay: &essay{post: p, debris: map[string]int{}}, wanted: map[string]bool{}}
		for k, n := range p.debris {
			w.debris[k] += n
		}
		w.doc, w.body = parseBody(p.html)
		removeDebris(w.body, w.debris, ex.hosts)
		w.fns = tidy(w.body, p, &ex.notes)
		works[i] = w
	}
	for _, s := range []string{opts.SiteURL, urlString(ex.site)} {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			ex.hosts[normHost(u.Host)] = true
		}
	}
	ix := newLinkIndex(ex, works)
	f := newFetcher(opts)
	for _, w := range works {
		if err := checkContext(ctx); err != nil {
			return nil, err
		}
		localizeImages(ctx, w, ex, opts, f)
		if len(w.files) > 0 {
			w.rel = content.Dir + "/" + w.post.name + "/index.md"
		} else {
			w.rel = content.Dir + "/" + w.post.name + ".md"
		}
		w.ids = map[string]bool{}
		for _, n := range findAll(w.body, func(n *html.Node) bool { return attr(n, "id") != "" || n.DataAtom == atom.A && attr(n, "name") != "" }) {
			w.ids[attr(n, "id")], w.ids[attr(n, "name")] = true, true
		}
		delete(w.ids, "")
	}
	for _, w := range works {
		rewriteLinks(w, ex, ix)
		if w.post.summary == "" {
			w.post.summary = summaryWithoutAnchors(w.body)
		}
	}
	for _, w := range works {
		levelHeadings(w.body)
	}
	conv := newConverter()
	out := make([]*essay, len(works))
	for i, w := range works {
		anchors(w.body, w.wanted)
		if w.post.audio != "" {
			// In a paragraph: <audio> starts no HTML block in Markdown.
			para := element("p")
			audio := element("audio", "controls", "", "preload", "none", "src", w.post.audio)
			a := element("a", "href", w.post.audio)
			a.AppendChild(textNode("Listen to the episode"))
			audio.AppendChild(a)
			para.AppendChild(audio)
			w.body.InsertBefore(para, w.body.FirstChild)
			ex.notes = append(ex.notes, Note{w.post.entry, "the podcast's audio stays where it is: " + w.post.audio})
		}
		md, err := toMarkdown(conv, w.doc, w.fns)
		if err != nil {
			return nil, fmt.Errorf("%s: converting to Markdown: %w", w.post.entry, err)
		}
		w.text = append(content.FormatFront(front(w.post)), md...)
		out[i] = w.essay
	}
	return out, nil
}

// summaryWithoutAnchors returns the plain text of what Steward would
// take as the summary (the blocks before <!--more-->, else the first
// paragraph) when it links to anchors of the post, a table of contents
// say: on the lists, those links would lead nowhere. Otherwise "", and
// the build makes the summary.
func summaryWithoutAnchors(body *html.Node) string {
	var blocks []*html.Node
	if more := find(body, func(n *html.Node) bool { return n.Data == rawBlockTag && attr(n, "data-text") == "<!--more-->" }); more != nil {
		for c := body.FirstChild; c != nil && c != more && !(c.Type == html.ElementNode && find(c, func(n *html.Node) bool { return n == more }) != nil); c = c.NextSibling {
			blocks = append(blocks, c)
		}
	} else if p := find(body, is(atom.P)); p != nil {
		blocks = append(blocks, p)
	}
	anchored := false
	var texts []string
	for _, b := range blocks {
		if b.Type == html.ElementNode && find(b, func(n *html.Node) bool { return n.DataAtom == atom.A && strings.HasPrefix(attr(n, "href"), "#") }) != nil ||
			b.DataAtom == atom.A && strings.HasPrefix(attr(b, "href"), "#") {
			anchored = true
		}
		texts = append(texts, text(b))
	}
	if !anchored {
		return ""
	}
	return strings.Join(strings.Fields(strings.Join(texts, " ")), " ")
}

// levelHeadings moves a post's headings up or down together so that the
// highest is an h2: the essay's title is the page's h1, and a Substack
// post whose sections are h3s would otherwise skip a level.
func levelHeadings(body *html.Node) {
	levels := []atom.Atom{atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6}
	level := func(n *html.Node) int {
		for i, a := range levels {
			if n.DataAtom == a {
				return i + 1
			}
		}
		return 0
	}
	hs := findAll(body, func(n *html.Node) bool { return level(n) > 0 })
	top := 7
	for _, h := range hs {
		top = min(top, level(h))
	}
	if len(hs) == 0 || top == 2 {
		return
	}
	for _, h := range hs {
		l := min(max(level(h)+2-top, 1), 6)
		h.DataAtom, h.Data = levels[l-1], levels[l-1].String()
	}
}

// front is a post's front matter.
func front(p *post) content.FrontMatter {
	f := content.FrontMatter{
		Title:   p.title,
		Draft:   p.draft,
		Tags:    p.tags,
		Summary: strings.Join(strings.Fields(p.summary), " "),
		Author:  p.author,
	}
	if !p.page {
		f.Date = p.date
	}
	if p.url != nil { // readers give drafts no URL, but paid posts theirs
		old := p.url.Path
		if old != "" && !strings.HasSuffix(old, "/") && path.Ext(old) == "" {
			old += "/"
		}
		if old != "" && old != "/" && old != "/"+p.name+"/" {
			f.Aliases = []string{old}
		}
	}
	return f
}

// assignNames gives each post its file's name: its old slug made a slug
// as the build makes them (else its title's, else its id's), different
// from every other post's and from Steward's own lists.
func assignNames(ex *export) {
	taken := map[string]bool{}
	for _, p := range ex.posts {
		name := content.Slugify(p.slug)
		if name == "" {
			name = content.Slugify(p.title)
		}
		if name == "" {
			name = content.Slugify("post " + p.id)
		}
		if name == "" {
			name = "post"
		}
		base := name
		for i := 2; taken[name] || reserved[name]; i++ {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		if name != base {
			ex.notes = append(ex.notes, Note{p.entry, fmt.Sprintf("the name %q is taken; written as %s.md", base, name)})
		}
		taken[name] = true
		p.name = name
	}
}

// localizeImages gives each image of a post the file it will have beside
// the essay (from the archive, or downloaded), or its absolute remote
// address.
func localizeImages(ctx context.Context, w *work, ex *export, opts Options, f *fetcher) {
	p := w.post
	taken := map[string]bool{"index.md": true}
	remote := map[string]bool{}
	note := func(format string, a ...any) { ex.notes = append(ex.notes, Note{p.entry, fmt.Sprintf(format, a...)}) }
	local := map[string]string{} // source to file name, so an image used twice is one file
	for _, img := range findAll(w.body, is(atom.Img)) {
		dropAttr(img, "srcset", "sizes", "data-attrs", "loading", "decoding", "fetchpriority")
		src := strings.TrimSpace(attr(img, "src"))
		if src == "" {
			remove(img)
			continue
		}
		if name, ok := local[src]; ok {
			setAttr(img, "src", name)
			continue
		}
		u, err := url.Parse(src)
		if err != nil {
			note("image %q: the address does not parse; left as it is", src)
			continue
		}
		if u.Scheme == "data" {
			continue
		}
		var data []byte
		if !u.IsAbs() && u.Host == "" && ex.file != nil {
			for _, cand := range []string{path.Join(p.dir, u.Path), path.Clean(strings.TrimPrefix(u.Path, "/"))} {
				if b, ok := ex.file(cand); ok {
					data = b
					w.copied++
					break
				}
			}
		}
		if data == nil {
			abs := resolve(u, p, ex)
			if abs == nil || (abs.Scheme != "http" && abs.Scheme != "https") {
				note("image %s is not in the export, and its address is relative to a site the export does not name; removed", src)
				remove(img)
				continue
			}
			if opts.DownloadImages {
				b, err := f.get(ctx, abs.String())
				if err == nil {
					data = b
					w.downloaded++
				} else {
					note("image %s not downloaded: %v; left remote", abs, err)
				}
			}
			if data == nil {
				setAttr(img, "src", abs.String())
				if !remote[abs.String()] {
					remote[abs.String()] = true
					w.remote = append(w.remote, Note{p.entry, abs.String()})
				}
				continue
			}
			u = abs
		}
		name := uniqueName(imageName(u, data), taken)
		local[src] = name
		setAttr(img, "src", name)
		w.files = append(w.files, asset{name, data})
	}
}

// resolve makes a relative address absolute against the post's old URL,
// else the old site's; nil when neither is known.
func resolve(u *url.URL, p *post, ex *export) *url.URL {
	if u.IsAbs() {
		return u
	}
	base := p.url
	if base == nil {
		base = ex.site
	}
	if base == nil {
		return nil
	}
	return base.ResolveReference(u)
}

func urlString(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}

// normHost is a host name as links are matched: lower case, without
// www. and the port.
func normHost(h string) string {
	h = strings.ToLower(h)
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return strings.TrimPrefix(h, "www.")
}

// linkIndex finds the post an old URL names.
type linkIndex struct {
	ex     *export
	byPath map[string]*work // cleaned path
	byID   map[string]*work
	bySlug map[string]*work // old slug, for ex.postPath
}

func newLinkIndex(ex *export, works []*work) *linkIndex {
	ix := &linkIndex{ex: ex, byPath: map[string]*work{}, byID: map[string]*work{}, bySlug: map[string]*work{}}
	for _, w := range works {
		p := w.post
		if p.url != nil {
			if p.url.Host != "" {
				ex.hosts[normHost(p.url.Host)] = true
			}
			if cp := cleanPath(p.url.Path); cp != "" {
				ix.byPath[cp] = w
			}
		}
		if p.id != "" {
			ix.byID[p.id] = w
		}
		if p.slug != "" {
			ix.bySlug[p.slug] = w
		}
	}
	return ix
}

// cleanPath is a URL path as links are matched: unescaped, without its
// trailing slash or index.html; "" for the site's root.
func cleanPath(p string) string {
	if un, err := url.PathUnescape(p); err == nil {
		p = un
	}
	p = strings.TrimSuffix(p, "index.html")
	return strings.TrimRight(p, "/")
}

// onOldSite reports whether an absolute URL is on the old site.
func (ix *linkIndex) onOldSite(u *url.URL) bool {
	h := normHost(u.Host)
	if ix.ex.hosts[h] {
		return true
	}
	// A Substack whose own address no button gave away: its posts'
	// links are on some *.substack.com.
	return len(ix.ex.hosts) == 0 && ix.ex.postPath != nil && strings.HasSuffix(h, ".substack.com")
}

func (ix *linkIndex) lookup(u *url.URL) *work {
	if u.Host != "" && !ix.onOldSite(u) {
		return nil
	}
	cp := cleanPath(u.Path)
	if cp != "" {
		if w := ix.byPath[cp]; w != nil {
			return w
		}
		if ix.ex.postPath != nil {
			if slug, ok := ix.ex.postPath(cp); ok {
				return ix.bySlug[slug]
			}
		}
		return nil
	}
	q := u.Query()
	for _, k := range []string{"p", "page_id"} {
		if id := q.Get(k); id != "" {
			return ix.byID[id]
		}
	}
	return nil
}

// rewriteLinks points a post's links to other imported posts at their
// new files, keeps its links to its own anchors, and makes relative
// links to the rest of the old site absolute, since they have no page
// here.
func rewriteLinks(w *work, ex *export, ix *linkIndex) {
	p := w.post
	note := func(format string, a ...any) { ex.notes = append(ex.notes, Note{p.entry, fmt.Sprintf(format, a...)}) }
	for _, a := range findAll(w.body, is(atom.A)) {
		href := strings.TrimSpace(attr(a, "href"))
		if href == "" {
			continue
		}
		u, err := url.Parse(href)
		if err != nil || u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
			continue
		}
		if u.Scheme == "" && u.Host == "" && u.Path == "" && u.RawQuery == "" {
			// #fragment: an anchor of this post.
			if w.ids[u.Fragment] {
				w.wanted[u.Fragment] = true
			} else {
				note("link to #%s: no such anchor in the post; kept as text", u.Fragment)
				unwrap(a)
			}
			continue
		}
		abs := resolve(u, p, ex)
		if abs == nil {
			abs = u
		}
		t := ix.lookup(abs)
		if t != nil && t.post.draft && !p.draft {
			// A build without drafts would find the link broken: it
			// keeps the old address until the author publishes the draft.
			if abs.IsAbs() {
				setAttr(a, "href", abs.String())
			}
			note("link to %s: %s is imported as a draft, so the link keeps its old address; point it at %s when you publish that", href, t.rel, relLink(w.rel, t.rel))
			continue
		}
		if t != nil {
			link := relLink(w.rel, t.rel)
			if frag := abs.Fragment; frag != "" {
				if t.ids[frag] {
					t.wanted[frag] = true
					link += "#" + frag
				} else {
					note("link to %s: %s has no anchor #%s; the link goes to the top of %s", href, t.post.entry, frag, t.rel)
				}
			}
			setAttr(a, "href", link)
			continue
		}
		if u.Host == "" && u.Scheme == "" {
			if abs.IsAbs() {
				setAttr(a, "href", abs.String())
				note("link to %s: not an imported post; it now points at the old site, %s", href, abs)
			} else {
				note("link to %s: not an imported post, on a site the export does not name; fix it by hand", href)
			}
		}
	}
}

// relLink is the link from one essay's file to another's.
func relLink(from, to string) string {
	if from == to {
		return path.Base(to)
	}
	fromDir := path.Dir(from)
	if fromDir == path.Dir(to) {
		return path.Base(to)
	}
	// Every essay is content/<name>.md or content/<name>/index.md.
	rel := strings.TrimPrefix(to, content.Dir+"/")
	if fromDir != content.Dir {
		return "../" + rel
	}
	return rel
}
