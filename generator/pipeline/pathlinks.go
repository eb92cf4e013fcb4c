package pipeline

import (
	"fmt"
	"maps"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/markdown"
)

// A link to a path of the site (markdown.PathLink: "/about/",
// "guides/x", "/functions/where/") can be checked only once every URL of
// the site is known: the essays', the lists', the aliases', and the files
// of static/ and beside the essays. One that names none of them is a
// warning, not an error, as an image from the site's root is: another
// server may answer such a path.

// pathLink is a link to a path of the site, resolved against its page's
// URL: the path it names (unescaped, from the root) and the link.
type pathLink struct {
	target string
	link   markdown.PathLink
	page   string // the linking page's URL, as written
}

// pathLinks collects the links to paths of the site of the converted
// pages (results, by source), each resolved against its page's URL, in
// source order.
func pathLinks(results map[string]*markdown.Result, urls map[string]string) []pathLink {
	var out []pathLink
	for _, source := range slices.Sorted(maps.Keys(results)) {
		r := results[source]
		if r == nil || len(r.Paths) == 0 {
			continue
		}
		page, ok := urls[source]
		if !ok {
			continue
		}
		base, err := url.Parse(page)
		if err != nil {
			continue
		}
		for _, l := range r.Paths {
			p, err := url.PathUnescape(l.Dest)
			if err != nil {
				p = l.Dest
			}
			// The destination holds no scheme, query or fragment: as a
			// path alone, even one url.Parse would refuse, it resolves
			// as a browser resolves it.
			out = append(out, pathLink{target: base.ResolveReference(&url.URL{Path: p}).Path, link: l, page: page})
		}
	}
	return out
}

// checkPathLinks warns of the links that name no page or file of the site:
// gen holds the paths of the generated files ("about/index.html"), and
// asset answers for the files of static/ (the theme's too) and beside the
// essays ("static/a.png", "content/a.png").
func checkPathLinks(links []pathLink, gen map[string]bool, asset func(source string) (string, bool)) diag.List {
	var diags diag.List
	exists := func(p string) bool {
		if p == "/" || strings.HasSuffix(p, "/") {
			out := strings.TrimPrefix(p, "/") + "index.html"
			return gen[out] || found(asset, "static/"+out)
		}
		rel := strings.TrimPrefix(p, "/")
		return gen[rel] || gen[rel+"/index.html"] || found(asset, "static/"+rel) || found(asset, content.Dir+"/"+rel) || found(asset, "static/"+rel+"/index.html")
	}
	var byLower, byName map[string]string
	for _, l := range links {
		p := l.target
		if p == "" || exists(p) {
			continue
		}
		if byLower == nil {
			byLower, byName = lowerURLs(gen), namedURLs(gen)
		}
		diags = append(diags, diag.Warnf(l.link.Pos, "link to %q: no page or file of the site is at %s; %s", l.link.Dest, p, pathHint(l, p, byLower, byName, exists)))
	}
	return diags
}

// namedURLs maps the last segment of each generated page's URL
// ("f1-perf" of "/2019/03/f1-perf/") to that URL, when only one page has
// it ("" for a name that several have).
func namedURLs(gen map[string]bool) map[string]string {
	m := map[string]string{}
	for p := range gen {
		dir, ok := strings.CutSuffix(p, "/index.html")
		if !ok {
			continue
		}
		name := path.Base(dir)
		if _, seen := m[name]; seen {
			m[name] = ""
		} else {
			m[name] = "/" + dir + "/"
		}
	}
	return m
}

func found(asset func(string) (string, bool), source string) bool {
	_, ok := asset(source)
	return ok
}

// lowerURLs maps the lower-cased URL path of each generated page
// ("/functions/where/") to its own ("/functions/Where/").
func lowerURLs(gen map[string]bool) map[string]string {
	m := make(map[string]string, len(gen))
	for p := range gen {
		u := "/" + p
		if dir, ok := strings.CutSuffix(u, "index.html"); ok {
			u = dir
		}
		m[strings.ToLower(u)] = u
	}
	return m
}

// hostLike is the start of a link that was meant for another site but
// lacks its scheme ("github.com/x/y", "www.example.org").
var hostLike = regexp.MustCompile(`^(www\.[^/]+|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.(com|org|net|io|dev|edu|gov|co|me|app|info|cn|uk|de|fr|jp|ru|nl|ca|au|eu|ch|se|es|it|br|tv|fm|ly|xyz)(:\d+)?)(/|$)`)

// pathHint says what a link to a path the site lacks may have meant.
func pathHint(l pathLink, p string, byLower, byName map[string]string, exists func(string) bool) string {
	dest := l.link.Dest
	switch {
	case hostLike.MatchString(dest):
		return fmt.Sprintf("the address has no https://, so it is read as a path of this site; write https://%s", dest)
	case strings.HasPrefix(dest, "[") || strings.HasPrefix(dest, "%5B"):
		return "the address is itself written as a Markdown link; write the address alone in the ( )"
	}
	if u, ok := caseOf(p, byLower); ok {
		return caseHint(p, u)
	}
	src := content.Dir + p
	if !strings.HasPrefix(dest, "/") {
		src = path.Join(path.Dir(l.link.Pos.File), dest) // as the writer's tool read it
	}
	if content.ForeignMarkdown(src) != "" {
		return fmt.Sprintf("Steward does not read or publish %s (its own warning says why): rename it to .md, and write the link with that name", src)
	}
	if base := strings.ToLower(path.Base(p)); base == "index.xml" || base == "rss.xml" || base == "atom.xml" || strings.HasSuffix(base, ".rss") || strings.HasSuffix(base, ".atom") || base == "feed" {
		return "Steward writes the site's feed at /feed.xml (Atom); link to /feed.xml"
	}
	if !strings.HasPrefix(dest, "/") {
		root := path.Clean("/" + dest)
		if strings.HasSuffix(dest, "/") && root != "/" {
			root += "/"
		}
		if exists(root) {
			return fmt.Sprintf("the address is relative, so it starts from this page's URL, %s; did you mean %s, from the site's root?", l.page, root)
		}
		if u, ok := caseOf(root, byLower); ok {
			return fmt.Sprintf("the address is relative, so it starts from this page's URL, %s; did you mean %s, from the site's root? %s", l.page, root, caseHint(root, u))
		}
	}
	if first, rest, ok := strings.Cut(strings.TrimPrefix(p, "/"), "/"); ok && strings.TrimSuffix(rest, "index.html") != "" && exists("/"+rest) {
		return fmt.Sprintf("/%s is there: this path less its first folder; if content/ was copied from the old site's %s/ folder, move it into content/%s/ to keep the URLs the links name", rest, first, first)
	}
	// An old site's page by its HTML file (/2021/01/26/snarks.html, as
	// Jekyll and hand-made sites publish) names the page as well.
	if u := byName[strings.TrimSuffix(path.Base(p), ".html")]; u != "" && path.Base(p) != "index.html" {
		return fmt.Sprintf("the page at %s has this name: link to it, or, if the old site made its URLs another way (/:year/:slug/), set permalinks in site.yaml to make them so", u)
	}
	return "fix the address, or add what it names (an address that another server answers can stay as it is)"
}

// caseHint says what to do about a link to p when the page at u has that
// URL but for case. A link in lower case to a URL with capitals was most
// likely written for Hugo, which makes every URL lower case; a section's
// permalinks pattern makes Steward do so too (content/permalink.go).
func caseHint(p, u string) string {
	if strings.TrimSuffix(p, "/") != strings.ToLower(strings.TrimSuffix(p, "/")) {
		return fmt.Sprintf("the page at %s differs only in case, and URLs are compared as written; link to %s", u, u)
	}
	section, _, _ := strings.Cut(strings.TrimPrefix(u, "/"), "/")
	return fmt.Sprintf("the page at %s differs only in case: a URL keeps the case of its file's name, while Hugo by default made every URL lower case; link to %s, or make the URLs of content/%s/ lower case, as Hugo did, with permalinks: {%s: /:sections/:filename/} in site.yaml", u, u, section, section)
}

// caseOf returns the URL of the page whose URL is p but for case.
func caseOf(p string, byLower map[string]string) (string, bool) {
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	u, ok := byLower[strings.ToLower(p)]
	return u, ok
}
