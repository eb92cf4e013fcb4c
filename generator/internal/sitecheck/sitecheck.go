// Package sitecheck owns the checks a built site must pass before readers see
// it: no broken internal links or #fragments, a valid Atom feed and sitemap,
// no render-blocking script, and a weight budget for a page with everything
// it loads. These checks are plain functions over a site's output files.
//
// The package's tests run them, and the real-browser checks (axe-core,
// the Nu HTML Checker, keyboard, layout and network), on the repository's
// example site; README.md's "Site checks" section says how to run them.
package sitecheck

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Files is a built site's output: every file by its slash-separated path
// relative to the output folder. A *build.Site is one.
type Files interface {
	Paths() []string
	File(p string) ([]byte, bool)
}

var (
	linkAttr  = regexp.MustCompile(`\s(?:href|src)="([^"]*)"`)
	srcsetRe  = regexp.MustCompile(`\ssrcset="([^"]*)"`)
	idAttr    = regexp.MustCompile(`\sid="([^"]*)"`)
	cssURL    = regexp.MustCompile(`url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]`)
	jsImport  = regexp.MustCompile(`(?m)(?:^|[;\s])import\s*(?:[\w*{}\s,]+from\s*)?['"]([^'"]+)['"]`)
	headRe    = regexp.MustCompile(`(?is)<head[\s>].*?</head>`)
	scriptTag = regexp.MustCompile(`(?is)<script\b[^>]*>`)
	linkTag   = regexp.MustCompile(`(?is)<link\b[^>]*>`)
	mediaTag  = regexp.MustCompile(`(?is)<(?:img|source|video|audio|iframe)\b[^>]*>`)
	attrRe    = regexp.MustCompile(`(?is)\s([a-z-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?`)
)

// attrs returns the attributes of one start tag, names lower-cased.
func attrs(tag string) map[string]string {
	tag = strings.TrimSuffix(strings.TrimSuffix(tag, ">"), "/")
	if i := strings.IndexAny(tag, " \t\n\r"); i >= 0 {
		tag = tag[i:]
	} else {
		return map[string]string{}
	}
	m := map[string]string{}
	for _, a := range attrRe.FindAllStringSubmatch(tag, -1) {
		m[strings.ToLower(a[1])] = a[2] + a[3] + a[4]
	}
	return m
}

// target resolves ref, found in the file at from, to the output path it
// names, or reports ok false when ref leaves the site (another scheme or
// host, or a data: URL). An empty path means from itself.
func target(from, ref string) (p string, frag string, ok bool, err error) {
	u, err := url.Parse(strings.ReplaceAll(ref, "&amp;", "&"))
	if err != nil {
		return "", "", false, err
	}
	if u.Scheme != "" || u.Host != "" {
		return "", "", false, nil
	}
	if u.Path == "" {
		return from, u.Fragment, true, nil
	}
	tp := u.Path
	if !strings.HasPrefix(tp, "/") {
		tp = path.Join("/", path.Dir(from), tp)
		if strings.HasSuffix(u.Path, "/") && !strings.HasSuffix(tp, "/") {
			tp += "/"
		}
	}
	p = strings.TrimPrefix(tp, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	return p, u.Fragment, true, nil
}

// BrokenLinks lists every href, src and srcset in the site's HTML, and every
// url() and @import in its CSS, that points inside the site but to no file,
// or to a #fragment that the target page lacks. Each line names the file
// holding the link.
func BrokenLinks(s Files) []string {
	ids := map[string]map[string]bool{}
	idsOf := func(p string) map[string]bool {
		if m, ok := ids[p]; ok {
			return m
		}
		m := map[string]bool{}
		b, _ := s.File(p)
		for _, id := range idAttr.FindAllStringSubmatch(string(b), -1) {
			m[id[1]] = true
		}
		ids[p] = m
		return m
	}
	var out []string
	check := func(from, ref string) {
		p, frag, inside, err := target(from, ref)
		switch {
		case err != nil:
			out = append(out, fmt.Sprintf("%s: unparsable link %q: %v", from, ref, err))
			return
		case !inside:
			return
		}
		if _, ok := s.File(p); !ok {
			out = append(out, fmt.Sprintf("%s: link to %s: no such file %s", from, ref, p))
			return
		}
		if frag != "" && strings.HasSuffix(p, ".html") && !idsOf(p)[frag] {
			out = append(out, fmt.Sprintf("%s: link to %s: %s has no element with id %q", from, ref, p, frag))
		}
	}
	for _, p := range s.Paths() {
		b, _ := s.File(p)
		switch path.Ext(p) {
		case ".html":
			for _, m := range linkAttr.FindAllStringSubmatch(string(b), -1) {
				check(p, m[1])
			}
			for _, m := range srcsetRe.FindAllStringSubmatch(string(b), -1) {
				for _, c := range strings.Split(m[1], ",") {
					if f := strings.Fields(c); len(f) > 0 {
						check(p, f[0])
					}
				}
			}
		case ".css":
			for _, m := range cssURL.FindAllStringSubmatch(string(b), -1) {
				check(p, m[1]+m[2])
			}
		}
	}
	return out
}

// RenderBlocking lists every <script src> in the <head> of the site's HTML
// files that is neither type="module" nor defer nor async, and so stops the
// page from rendering until it has loaded and run.
func RenderBlocking(s Files) []string {
	var out []string
	for _, p := range s.Paths() {
		if path.Ext(p) != ".html" {
			continue
		}
		b, _ := s.File(p)
		head := headRe.Find(b)
		for _, tag := range scriptTag.FindAll(head, -1) {
			a := attrs(string(tag))
			src, ok := a["src"]
			if !ok {
				continue
			}
			_, deferred := a["defer"]
			_, async := a["async"]
			if strings.EqualFold(a["type"], "module") || deferred || async {
				continue
			}
			out = append(out, fmt.Sprintf("%s: <script src=%q> in <head> blocks rendering: make it type=\"module\", defer or async", p, src))
		}
	}
	return out
}

// Asset is one file a page loads, with its size as stored and gzipped.
type Asset struct {
	Path       string
	Size, Gzip int
}

// Weight is what loading one page costs: the page and every stylesheet,
// script, font and image it references (following CSS url() and @import
// and JavaScript static imports), each gzipped on its own.
type Weight struct {
	Assets []Asset
}

// Gzip is the sum of the gzipped sizes.
func (w Weight) Gzip() int {
	n := 0
	for _, a := range w.Assets {
		n += a.Gzip
	}
	return n
}

// String lists the assets, one a line, and the total.
func (w Weight) String() string {
	var b strings.Builder
	for _, a := range w.Assets {
		fmt.Fprintf(&b, "%7d B gzipped (%7d B) %s\n", a.Gzip, a.Size, a.Path)
	}
	fmt.Fprintf(&b, "%7d B gzipped in all", w.Gzip())
	return b.String()
}

// PageWeight measures the page at path p of the site and what it loads.
// A referenced file inside the site that does not exist is an error.
func PageWeight(s Files, p string) (Weight, error) {
	var w Weight
	seen := map[string]bool{}
	var visit func(from, ref string) error
	visit = func(from, ref string) error {
		q := from
		if ref != "" {
			t, _, inside, err := target(from, ref)
			if err != nil || !inside {
				return err
			}
			q = t
		}
		if seen[q] {
			return nil
		}
		seen[q] = true
		b, ok := s.File(q)
		if !ok {
			return fmt.Errorf("%s references %s: no such file %s", from, ref, q)
		}
		w.Assets = append(w.Assets, Asset{Path: q, Size: len(b), Gzip: gzipSize(b)})
		var refs []string
		switch path.Ext(q) {
		case ".html":
			for _, tag := range linkTag.FindAll(b, -1) {
				a := attrs(string(tag))
				if rel := " " + strings.ToLower(a["rel"]) + " "; strings.Contains(rel, " stylesheet ") ||
					strings.Contains(rel, " preload ") || strings.Contains(rel, " modulepreload ") {
					refs = append(refs, a["href"])
				}
			}
			for _, tag := range scriptTag.FindAll(b, -1) {
				if src, ok := attrs(string(tag))["src"]; ok {
					refs = append(refs, src)
				}
			}
			for _, m := range mediaTag.FindAll(b, -1) {
				a := attrs(string(m))
				// Lazy images are fetched only near the viewport; the
				// budget still counts them, as a reader scrolls.
				if src := a["src"]; src != "" {
					refs = append(refs, src)
				}
			}
		case ".css":
			for _, m := range cssURL.FindAllStringSubmatch(string(b), -1) {
				refs = append(refs, m[1]+m[2])
			}
		case ".js", ".mjs":
			for _, m := range jsImport.FindAllStringSubmatch(string(b), -1) {
				refs = append(refs, m[1])
			}
		}
		for _, r := range refs {
			if err := visit(q, r); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(p, ""); err != nil {
		return w, err
	}
	sort.Slice(w.Assets[1:], func(i, j int) bool { return w.Assets[1+i].Path < w.Assets[1+j].Path })
	return w, nil
}

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}

// absoluteOn reports why raw is not an absolute http(s) URL on the host of
// base, or "" when it is.
func absoluteOn(raw string, base *url.URL) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return fmt.Sprintf("%q does not parse: %v", raw, err)
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return fmt.Sprintf("%q is not an absolute http(s) URL", raw)
	case u.Host != base.Host:
		return fmt.Sprintf("%q is not on the site's host %s", raw, base.Host)
	}
	return ""
}

// Atom is the subset of an Atom 1.0 document (RFC 4287) that the feed
// check reads.
type Atom struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []AtomLink  `xml:"link"`
	Authors []AtomName  `xml:"author"`
	Entries []AtomEntry `xml:"entry"`
}

// AtomLink is an atom:link.
type AtomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

// AtomName is an atom:author.
type AtomName struct {
	Name string `xml:"name"`
}

// AtomEntry is an atom:entry.
type AtomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Links   []AtomLink `xml:"link"`
	Authors []AtomName `xml:"author"`
	Content *struct {
		Type string `xml:"type,attr"`
		Body string `xml:",chardata"`
	} `xml:"content"`
}

// CheckFeed lists what keeps feed from being a valid Atom 1.0 feed of the
// site at baseURL: it must parse as XML in the Atom namespace; the feed
// needs id, title, updated (RFC 3339) and a rel="self" link; every entry
// needs id, title, updated, an alternate link and content; and an author
// must be named on the feed or on every entry. Links and ids must be
// absolute URLs on baseURL's host.
func CheckFeed(feed []byte, baseURL string) []string {
	base, err := url.Parse(baseURL)
	if err != nil {
		return []string{fmt.Sprintf("baseURL %q does not parse: %v", baseURL, err)}
	}
	var f Atom
	if err := xml.Unmarshal(feed, &f); err != nil {
		return []string{fmt.Sprintf("does not parse as Atom (namespace http://www.w3.org/2005/Atom): %v", err)}
	}
	var out []string
	bad := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	rfc3339 := func(where, v string) {
		if v == "" {
			bad("%s has no <updated>", where)
		} else if _, err := time.Parse(time.RFC3339, v); err != nil {
			bad("%s: <updated>%s</updated> is not an RFC 3339 date", where, v)
		}
	}
	if f.ID == "" {
		bad("feed has no <id>")
	}
	if strings.TrimSpace(f.Title) == "" {
		bad("feed has no <title>")
	}
	rfc3339("feed", f.Updated)
	self := ""
	for _, l := range f.Links {
		if l.Rel == "self" {
			self = l.Href
		}
	}
	if self == "" {
		bad(`feed has no <link rel="self">`)
	} else if why := absoluteOn(self, base); why != "" {
		bad(`feed <link rel="self">: %s`, why)
	}
	feedAuthor := len(f.Authors) > 0 && f.Authors[0].Name != ""
	if len(f.Entries) == 0 {
		bad("feed has no entries")
	}
	ids := map[string]bool{}
	for i, e := range f.Entries {
		where := fmt.Sprintf("entry %d (%q)", i+1, e.Title)
		if e.ID == "" {
			bad("%s has no <id>", where)
		} else if ids[e.ID] {
			bad("%s repeats the id %s", where, e.ID)
		}
		ids[e.ID] = true
		if strings.TrimSpace(e.Title) == "" {
			bad("%s has no <title>", where)
		}
		rfc3339(where, e.Updated)
		alt := ""
		for _, l := range e.Links {
			if l.Rel == "" || l.Rel == "alternate" {
				alt = l.Href
			}
		}
		if alt == "" {
			bad("%s has no alternate <link>", where)
		} else if why := absoluteOn(alt, base); why != "" {
			bad("%s <link>: %s", where, why)
		}
		if e.Content == nil || strings.TrimSpace(e.Content.Body) == "" {
			bad("%s has no <content>", where)
		}
		if !feedAuthor && (len(e.Authors) == 0 || e.Authors[0].Name == "") {
			bad("%s has no <author><name>, and neither has the feed", where)
		}
	}
	return out
}

// w3cDate matches the W3C Datetime profile that the sitemap protocol
// requires for lastmod (https://www.w3.org/TR/NOTE-datetime).
var w3cDate = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$`)

// Sitemap is a sitemap protocol urlset.
type Sitemap struct {
	XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []struct {
		Loc        string `xml:"loc"`
		Lastmod    string `xml:"lastmod"`
		Changefreq string `xml:"changefreq"`
		Priority   string `xml:"priority"`
	} `xml:"url"`
}

// CheckSitemap lists what breaks the sitemap protocol's rules
// (https://www.sitemaps.org/protocol.html) in sitemap, for the site at
// baseURL: the urlset namespace; at most 50,000 URLs and 50 MB; every loc
// present, absolute, shorter than 2,048 characters, on baseURL's host and
// listed once; lastmod in W3C Datetime format; changefreq and priority
// within their ranges.
func CheckSitemap(sitemap []byte, baseURL string) []string {
	base, err := url.Parse(baseURL)
	if err != nil {
		return []string{fmt.Sprintf("baseURL %q does not parse: %v", baseURL, err)}
	}
	var sm Sitemap
	if err := xml.Unmarshal(sitemap, &sm); err != nil {
		return []string{fmt.Sprintf("does not parse as a urlset in the namespace http://www.sitemaps.org/schemas/sitemap/0.9: %v", err)}
	}
	var out []string
	bad := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }
	if len(sm.URLs) > 50000 {
		bad("%d URLs, more than the 50,000 allowed", len(sm.URLs))
	}
	if len(sitemap) > 50<<20 {
		bad("%d bytes, more than the 50 MB allowed", len(sitemap))
	}
	seen := map[string]bool{}
	freqs := " always hourly daily weekly monthly yearly never "
	for i, u := range sm.URLs {
		where := fmt.Sprintf("url %d", i+1)
		if u.Loc == "" {
			bad("%s has no <loc>", where)
			continue
		}
		where += " " + u.Loc
		if why := absoluteOn(u.Loc, base); why != "" {
			bad("%s: %s", where, why)
		}
		if len(u.Loc) >= 2048 {
			bad("%s: <loc> is %d characters, the limit is 2,047", where, len(u.Loc))
		}
		if seen[u.Loc] {
			bad("%s is listed twice", where)
		}
		seen[u.Loc] = true
		if u.Lastmod != "" && !w3cDate.MatchString(u.Lastmod) {
			bad("%s: <lastmod>%s</lastmod> is not a W3C Datetime", where, u.Lastmod)
		}
		if u.Changefreq != "" && !strings.Contains(freqs, " "+u.Changefreq+" ") {
			bad("%s: <changefreq>%s</changefreq> is not one of%s", where, u.Changefreq, freqs)
		}
		if u.Priority != "" {
			var p float64
			if _, err := fmt.Sscanf(u.Priority, "%g", &p); err != nil || p < 0 || p > 1 {
				bad("%s: <priority>%s</priority> is not between 0.0 and 1.0", where, u.Priority)
			}
		}
	}
	return out
}
