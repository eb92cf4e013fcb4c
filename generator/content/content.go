// Package content owns the domain of essays: a Doc (one source file) with
// its front matter, split from the Markdown body with lines counted from
// the top of the file; slugs and pretty URLs; drafts and future dates; loading every .md under
// content/ from an fs.FS. It knows nothing of goldmark, templates or HTTP.
package content

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/steward-ssg/steward/generator/diag"
)

// Dir is the content folder's name, relative to the site's folder.
const Dir = "content"

// Doc is one Markdown file of content/: a source document, as loaded.
// (A "page" is what a build writes and a layout renders: layout.Page.)
type Doc struct {
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
	// Dir is the folder below content/ whose list page shows the page ("" for
	// the top, "notes"): its file's folder, except for a Jekyll post
	// (the folder above _posts or _drafts) and a page bundle's index.md
	// (the folder above the bundle's).
	Dir string
	// IsIndex marks a folder's page (its _index.md, index.md or README.md;
	// see Load): the text at the top of that folder's list page.
	IsIndex bool
	// Tags are the front matter's tags, each once by slug, spelled as first
	// written, in order; tags that slugify to nothing are left out.
	Tags []Tag
}

// Release lets go of the page's text (Raw and Body) once a build that will
// not build again has converted it, so that a build of 10,000 essays does
// not hold them all; ReadBody reads the body again should it be needed.
// Only the Loader's owner may call it, and only on pages it will not hand
// to a later Load.
func (p *Doc) Release() { p.Raw, p.Body = nil, nil }

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

// Parse splits and validates one file. source is its slash path relative
// to the site ("content/x.md"). It returns nil when the file cannot be used.
// The page is placed as if its folder held other files too (a folder's
// index.md is its list page); Load places each page among its neighbours.
func Parse(source string, raw []byte) (*Doc, diag.List) {
	return parse(source, raw, nil)
}

// FrontCache remembers decoded front matter by the exact bytes it was
// decoded from (and their format), so a build need not decode front
// matter it has decoded before. It must be safe for concurrent use.
type FrontCache interface {
	Front(key [32]byte) (FrontMatter, bool)
	StoreFront(key [32]byte, f FrontMatter)
}

func parse(source string, raw []byte, cache FrontCache) (*Doc, diag.List) {
	return parseWith(source, raw, cache, true)
}

// parseWith is parse; simple lets it read front matter with simpleFront
// where that can, which is what parse does (the fuzz test compares).
func parseWith(source string, raw []byte, cache FrontCache, simple bool) (*Doc, diag.List) {
	var diags diag.List
	if !utf8.Valid(raw) {
		off := firstInvalidUTF8(raw)
		line, col := diag.LineCol(raw, off)
		diags.Add(diag.Pos{File: source, Line: line, Col: col}, "the file is not valid UTF-8 (byte 0x%02x); save it as UTF-8", raw[off])
		return nil, diags
	}
	p := &Doc{Source: source, Raw: raw, Hash: sha256.Sum256(raw), BodyLine: 1, Body: raw}
	n := nameOf(source)
	p.Dir, p.IsIndex = n.dir, n.isIndex()

	f, fm, body, bodyLine, ok := split(raw)
	if !ok {
		d := f.delimiter()
		diags.Add(diag.Pos{File: source, Line: 1, Col: 1}, "front matter starts with %s but has no closing %s line; add one after the last key", d, d)
		return nil, diags
	}
	var in *fields
	var key [32]byte
	var decoded *FrontMatter
	if fm != nil {
		key = frontKey(f, fm)
		front, ok := cacheFront(cache, key)
		if !ok && simple && f == yamlFront {
			if front, ok = simpleFront(fm); ok {
				decoded = &front
			}
		}
		if ok {
			p.Front = front
		} else {
			var d diag.List
			in, d = decodeFront(source, f, fm, 1)
			diags.Append(d)
			if d.HasErrors() {
				return nil, diags
			}
			p.Front, d = interpret(source, in)
			diags.Append(d)
			if d.HasErrors() {
				return nil, diags
			}
			front := p.Front
			decoded = &front
		}
		p.Body, p.BodyLine = body, bodyLine
	} else {
		diags.Append(linkMeta(source, p.Body, &p.Front))
		var d diag.List
		p.Body, d = headerMeta(source, p.Body, &p.Front)
		diags.Append(d)
	}
	// What the file's path says is not front matter: the same front
	// matter may stand in files of other names.
	if n.draft {
		p.Front.Draft = true
	}
	if p.Front.Date.IsZero() && !p.IsIndex {
		p.Front.Date = n.date
	}
	p.Tags = pageTags(p.Front.Tags)
	p.Title = strings.TrimSpace(p.Front.Title)
	if p.Title == "" {
		if title, stripped, ok := titleHeading(p.Body); ok {
			p.Title, p.Body = title, stripped
		} else {
			p.Title = n.titleFromName()
		}
	} else if title, stripped, ok := titleHeading(p.Body); ok && sameTitle(title, p.Title) {
		// A body that opens with the front matter's title as its # heading
		// (common in Hugo and Zola sites) would show it twice.
		p.Body = stripped
	}
	p.Slug = n.slug
	if s := strings.TrimSpace(p.Front.Slug); s != "" {
		if err := checkSegment(s); err != nil {
			diags.Add(posOf(in, source, "$.slug"), "slug %q %v", s, err)
			return nil, diags
		}
		p.Slug = s
	}
	p.URL = essayURL(p.Dir, p.Slug)
	if p.IsIndex {
		p.URL = folderURL(p.Dir)
	}
	for i, a := range p.Front.Aliases {
		if _, err := AliasPath(a); err != nil {
			diags.Add(posOf(in, source, fmt.Sprintf("$.aliases[%d]", i)), "alias %q %v", a, err)
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	if decoded != nil && len(diags) == 0 && cache != nil {
		// Only front matter without any diagnostic is remembered: a
		// warning must show again on every build, at its position.
		cache.StoreFront(key, *decoded)
	}
	p.BodyHash = sha256.Sum256(p.Body)
	return p, diags
}

// frontKey is the FrontCache key of front matter: its format and bytes.
func frontKey(f format, fm []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte{byte(f)})
	h.Write(fm)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// folderURL is the URL of a folder's list page.
func folderURL(dir string) string {
	if dir == "" {
		return "/"
	}
	return "/" + dir + "/"
}

// essayURL is the URL of an essay of a folder.
func essayURL(dir, slug string) string {
	if dir == "" {
		return "/" + slug + "/"
	}
	return "/" + dir + "/" + slug + "/"
}

func cacheFront(c FrontCache, key [32]byte) (FrontMatter, bool) {
	if c == nil {
		return FrontMatter{}, false
	}
	return c.Front(key)
}

// posOf is the position of a front matter value, or line 1 of the file
// when the front matter was not decoded (it came from the FrontCache,
// which holds only front matter without problems).
func posOf(in *fields, source, path string) diag.Pos {
	if in == nil {
		return diag.Pos{File: source, Line: 1, Col: 1}
	}
	return in.valuePos(path)
}

// AliasPath cleans an alias into a site-relative URL with slashes at both
// ends, or an error saying why it cannot be one (it would escape the
// output folder).
// An alias naming an HTML file ("/posts/x.html", "/old/index.html"), as
// Hugo and Jekyll sites often have them, stays that file's path, without
// the final slash: the redirect is written as that very file.
func AliasPath(a string) (string, error) {
	if strings.Contains(a, "://") || strings.HasPrefix(a, "//") {
		return "", errors.New("must be a path on this site, not a full URL")
	}
	for _, seg := range strings.Split(a, "/") {
		if seg == ".." {
			return "", errors.New("would escape the output folder; write a path such as /old-name/")
		}
	}
	if strings.ContainsAny(a, "\\\x00") {
		return "", errors.New("must not contain backslashes or NUL bytes")
	}
	c := path.Clean("/" + a)
	if c == "/" || c == "/index.html" || c == "/index.htm" {
		return "", errors.New("would replace the home page; write a path such as /old-name/")
	}
	if ext := strings.ToLower(path.Ext(c)); (ext == ".html" || ext == ".htm") && !strings.HasSuffix(a, "/") {
		return c, nil
	}
	return c + "/", nil
}

// checkSegment says why s cannot be one URL segment, or returns nil.
func checkSegment(s string) error {
	if s == "." || s == ".." || strings.ContainsAny(s, "/\\\x00") || strings.Contains(s, "..") {
		return errors.New("would escape its folder; a slug is one URL segment such as my-essay")
	}
	return nil
}

// split separates front matter from the body: YAML between --- lines, or
// TOML between +++ lines. fm is nil when the file has none; ok is false
// when it opens front matter but never closes it. YAML may also close
// with ..., YAML's end of document, as Jekyll allows.
func split(raw []byte) (f format, fm, body []byte, bodyLine int, ok bool) {
	src := bytes.TrimPrefix(raw, []byte("\ufeff"))
	first, rest, _ := bytes.Cut(src, []byte("\n"))
	switch string(bytes.TrimRight(first, " \t\r")) {
	case "---":
		f = yamlFront
	case "+++":
		f = tomlFront
	default:
		return yamlFront, nil, raw, 1, true
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
		l = bytes.TrimRight(l, " \t\r")
		if string(l) == f.delimiter() || f == yamlFront && string(l) == "..." {
			return f, src[start:off], src[next:], line + 1, true
		}
		off = next
		line++
	}
	return f, nil, nil, 0, false
}

// sameTitle reports whether a heading says what the title says, its
// Markdown emphasis and case aside.
func sameTitle(heading, title string) bool {
	plain := func(s string) string {
		return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
			if strings.ContainsRune("*_`", r) {
				return -1
			}
			return r
		}, s)), " ")
	}
	return strings.EqualFold(plain(heading), plain(title))
}

// titleHeading finds the first ATX "# " heading outside code fences, before
// any other heading, and blanks its line, unless text a reader sees comes
// before it and more "# " headings follow: then the essay's sections are
// "# " headings (a FAQ under its list of contents), and this one still
// names the essay, as MkDocs takes a title, but stays where it is, since
// blanking it would lose a section's heading and its anchor. A lone "# "
// heading below a line of links or badges is the title, as in a README.
func titleHeading(body []byte) (string, []byte, bool) {
	inFence := false
	prefaced := false
	off := 0
	for off < len(body) {
		end := bytes.IndexByte(body[off:], '\n')
		next := len(body)
		if end >= 0 {
			next = off + end + 1
		} else {
			end = len(body) - off
		}
		// Bytes, not strings: this runs over every line before the
		// first heading of every essay, and a string per line was most
		// of what parsing an essay allocated.
		line := bytes.TrimRight(body[off:off+end], "\r")
		trimmed := bytes.TrimLeft(line, " ")
		if bytes.HasPrefix(trimmed, []byte("```")) || bytes.HasPrefix(trimmed, []byte("~~~")) {
			inFence = !inFence
		}
		if !inFence && len(line)-len(trimmed) < 4 && bytes.HasPrefix(trimmed, []byte("#")) {
			if bytes.HasPrefix(trimmed, []byte("# ")) {
				title := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(string(trimmed[2:])), "#"))
				if prefaced && hasH1(body[next:]) {
					return title, body, true
				}
				out := make([]byte, 0, len(body))
				out = append(out, body[:off]...)
				out = append(out, '\n')
				out = append(out, body[next:]...)
				return title, out, true
			}
			return "", body, false
		}
		if inFence || len(trimmed) > 0 && !unseenLine(trimmed) {
			prefaced = true
		}
		off = next
	}
	return "", body, false
}

// hasH1 reports whether body has an ATX "# " heading outside code fences.
func hasH1(body []byte) bool {
	inFence := false
	for len(body) > 0 {
		line, rest, _ := bytes.Cut(body, []byte("\n"))
		body = rest
		trimmed := bytes.TrimLeft(line, " ")
		if len(line)-len(trimmed) >= 4 {
			continue
		}
		if bytes.HasPrefix(trimmed, []byte("```")) || bytes.HasPrefix(trimmed, []byte("~~~")) {
			inFence = !inFence
		}
		if !inFence && bytes.HasPrefix(trimmed, []byte("# ")) {
			return true
		}
	}
	return false
}

// unseenLine reports a line that shows nothing to a reader: a link
// reference definition ([x]: https://..., [title]: <> (metadata)) or an
// HTML comment on one line.
func unseenLine(l []byte) bool {
	if bytes.HasPrefix(l, []byte("<!--")) && bytes.HasSuffix(l, []byte("-->")) {
		return true
	}
	return linkDefRe.Match(l)
}

// linkDefRe is a link reference definition on one line.
var linkDefRe = regexp.MustCompile(`^\[[^\]]+\]:\s*\S`)

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
func (p *Doc) String() string { return fmt.Sprintf("%s (%s)", p.Source, p.URL) }
