package plan

import (
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
)

// URLs maps each page's source to its URL, percent-encoded as links write
// it, and reports two pages, or a page and an alias, or a page and a
// generated list, that claim one URL. URLs are compared unescaped, as the
// files they are written to are named. search tells that the site has
// search (a page of its own at /search/ then takes Steward's place).
func URLs(docs []*content.Doc, search bool) (map[string]string, diag.List) {
	var diags diag.List
	urls := make(map[string]string, len(docs))
	owner := make(map[string]string, len(docs))
	bySource := make(map[string]*content.Doc, len(docs))
	for _, p := range docs {
		bySource[p.Source] = p
	}
	claim := func(u, source string, pos diag.Pos) {
		if prev, ok := owner[u]; ok {
			diags.Add(pos, "URL %s is claimed by both %s and %s; give one of them another slug or file name%s", u, prev, source, datedHint(bySource[prev], bySource[source]))
			return
		}
		owner[u] = source
	}
	// The series pages are claimed first: only a page at one of their
	// URLs is refused, not every page below /series/ (a Hugo site may
	// have a folder of that name).
	for _, p := range docs {
		if slug := content.Slugify(strings.TrimSpace(p.Front.Series)); slug != "" && !p.IsIndex {
			if u := "/series/" + slug + "/"; owner[u] == "" {
				owner[u] = "Steward's page of the series " + strings.TrimSpace(p.Front.Series)
			}
		}
	}
	for _, p := range docs {
		pos := diag.Pos{File: p.Source, Line: 1, Col: 1}
		if !p.IsIndex {
			if reserved(p.URL) {
				diags.Add(pos, "URL %s is reserved for Steward's generated pages (/tags/ and /page/); %s", p.URL, reservedFix(p))
			}
			if search && p.URL == SearchURL {
				// Many Hugo themes have a content/search.md of their own:
				// the site's page wins, as it would have in Hugo.
				diags.Warn(pos, "this page takes %s, so Steward's search page is not written (the header's search field leads here); rename or remove it to get Steward's search", SearchURL)
			}
			claim(p.URL, p.Source, pos)
		}
		urls[p.Source] = EscapeURL(p.URL)
	}
	// The one HTML file the build writes at the top, which an alias
	// naming it would otherwise replace (an alias is an HTML page).
	if owner["/404.html"] == "" {
		owner["/404.html"] = "Steward's not-found page"
	}
	// The list pages of folders that have an index (_index.md, index.md,
	// README.md): an alias gives way to one, as Hugo publishes the page
	// over it. A folder without an index has a list page of Steward's
	// only, which an alias replaces: the old site had nothing there but
	// that redirect.
	for _, p := range docs {
		if p.IsIndex && p.URL != "" {
			if _, ok := owner[p.URL]; !ok {
				owner[p.URL] = p.Source + " (its folder's list page)"
			}
		}
	}
	// Aliases are claimed in the order of their pages' files, so that of
	// two pages naming one alias the first keeps it, here and in
	// Site.aliases (see aliasOwners).
	for _, p := range bySourceOrder(docs) {
		for _, a := range p.Front.Aliases {
			if ap, err := content.AliasPath(a); err == nil {
				pos := diag.Pos{File: p.Source, Line: 1, Col: 1}
				out := aliasPathOut(ap) // an alias may be written percent-encoded
				if !fs.ValidPath(out) {
					diags.Add(pos, "alias %q would escape the output folder once decoded; write a path such as /old-name/", a)
					continue
				}
				u := "/" + strings.TrimSuffix(out, "index.html")
				prev, taken := owner[u]
				switch {
				case u == p.URL:
					// Left from a move (Jekyll's redirect_from, Hugo's
					// aliases): the reader at that URL finds the page.
					diags.Warn(pos, "alias %q is this page's own URL, so no redirect is written for it; remove it from the front matter", a)
				case taken && prev == p.Source+" (alias)":
					// Named twice by one page: one redirect serves both.
				case taken && strings.HasSuffix(prev, " (its folder's list page)"):
					diags.Warn(pos, "alias %q is the URL of the list page that %s makes, so no redirect is written for it; remove it from the front matter", a, strings.TrimSuffix(prev, " (its folder's list page)"))
				case taken && strings.HasSuffix(prev, " (alias)"):
					// Hugo writes one of the two and goes on; so does
					// Steward, saying which.
					diags.Warn(pos, "alias %q is also an alias of %s, so its redirect leads there, not here; remove it from one of them", a, strings.TrimSuffix(prev, " (alias)"))
				case taken && strings.HasPrefix(prev, "Steward's"):
					diags.Add(pos, "URL %s is claimed by both %s and %s (alias); remove the alias from %s's front matter", u, prev, p.Source, p.Source)
				case taken:
					diags.Add(pos, "URL %s is claimed by both %s and %s (alias); remove the alias from %s's front matter, or give %s another slug or file name", u, prev, p.Source, p.Source, prev)
				default:
					owner[u] = p.Source + " (alias)"
				}
			}
		}
	}
	return urls, diags
}

// bySourceOrder returns docs ordered by their files' paths.
func bySourceOrder(docs []*content.Doc) []*content.Doc {
	sorted := slices.Clone(docs)
	slices.SortFunc(sorted, func(a, b *content.Doc) int { return strings.Compare(a.Source, b.Source) })
	return sorted
}

// aliasOwners maps the output path of each redirect page to write to the
// page it leads to: the first page, by its file's path, to name the
// alias, unless the alias is that page's own URL or a folder's list page
// made by its index (URLs warns of these).
func aliasOwners(docs []*content.Doc) map[string]*content.Doc {
	lists := make(map[string]bool) // the URLs of folders' indexes
	for _, p := range docs {
		if p.IsIndex {
			lists[p.URL] = true
		}
	}
	owners := make(map[string]*content.Doc)
	for _, p := range bySourceOrder(docs) {
		for _, a := range p.Front.Aliases {
			out, ok := aliasOut(a)
			if u := "/" + strings.TrimSuffix(out, "index.html"); !ok || u == p.URL || lists[u] {
				continue
			}
			if _, taken := owners[out]; !taken {
				owners[out] = p
			}
		}
	}
	return owners
}

// datedHint is what to add when two essays of different dates claim one
// URL: Hugo sites that reuse a slug from year to year ("legal
// transparency report") give each a dated URL with their permalinks
// setting, which site.yaml can say too.
func datedHint(a, b *content.Doc) string {
	if a == nil || b == nil || a.IsIndex || b.IsIndex || a.Front.Date.IsZero() || b.Front.Date.IsZero() {
		return ""
	}
	da, db := a.Front.Date.Format("2006-01-02"), b.Front.Date.Format("2006-01-02")
	if da == db {
		return ""
	}
	section := "/"
	if a.Dir != "" {
		section, _, _ = strings.Cut(a.Dir, "/")
	}
	return fmt.Sprintf(", or, as they are dated %s and %s, give the section's essays dated URLs as Hugo's permalinks setting does: permalinks: {%s: /:year/:month/:day/:slug/} in site.yaml", da, db, section)
}

// reserved reports whether u belongs to Steward's generated list pages.
func reserved(u string) bool {
	return u == "/tags/" || strings.HasPrefix(u, "/tags/") || strings.HasPrefix(u, "/page/")
}

// OutPath maps a URL with slashes at both ends, percent-encoded as every
// URL of the plan is, to its index.html: the file keeps the real name.
func OutPath(u string) string {
	// Most URLs escape nothing (a build asks for every essay's path, and
	// unescaping them all was a few milliseconds of every rebuild).
	if strings.IndexByte(u, '%') < 0 {
		return strings.TrimPrefix(u+"index.html", "/")
	}
	if p, err := url.PathUnescape(u); err == nil {
		u = p
	}
	return strings.TrimPrefix(u+"index.html", "/")
}

// aliasOut is the output path of an alias's redirect page, and whether
// the alias is one to write (URLs reports those that are not).
func aliasOut(alias string) (string, bool) {
	ap, err := content.AliasPath(alias)
	if err != nil {
		return "", false
	}
	out := aliasPathOut(ap)
	return out, fs.ValidPath(out)
}

// aliasPathOut is the output path of an alias path (see
// content.AliasPath): a folder's index.html, or the HTML file it names.
func aliasPathOut(ap string) string {
	if strings.HasSuffix(ap, "/") {
		return OutPath(ap)
	}
	if p, err := url.PathUnescape(ap); err == nil {
		ap = p
	}
	return strings.TrimPrefix(ap, "/")
}

// EscapeURL percent-encodes a site path as it is written in pages, feeds
// and the sitemap: /my essay/ and /café/ become /my%20essay/ and
// /caf%C3%A9/ (slashes stay). Output files keep their real names.
func EscapeURL(p string) string {
	for i := 0; i < len(p); i++ {
		if c := p[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '/' || c == '-' || c == '_' || c == '.') {
			return (&url.URL{Path: p}).EscapedPath()
		}
	}
	return p // the common case, without allocating: a rebuild does this for every page
}

// DirURL is the URL of a folder's list page ("notes" is /notes/).
func DirURL(dir string) string { return EscapeURL("/" + dir + "/") }

// reservedFix says how to move an essay off a reserved URL: the front
// matter key that put it there (Obsidian Publish's permalink: tags), or
// its file's place (Astro's content/tags/x.md, a tag's description there).
func reservedFix(p *content.Doc) string {
	for _, k := range []string{"url", "path", "permalink"} {
		if v, ok := p.Front.Params[k].(string); ok && strings.TrimSpace(v) != "" {
			return fmt.Sprintf("its front matter's %s: %s puts it there; change or remove that", k, v)
		}
	}
	if strings.TrimSpace(p.Front.Slug) != "" {
		return "choose another slug"
	}
	return "move or rename the file, or give it a slug"
}
