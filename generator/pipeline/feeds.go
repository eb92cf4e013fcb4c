package pipeline

import (
	"bytes"
	"encoding/xml"
	"html/template"
	"io/fs"
	"strings"
	"time"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/layout"
)

// feedSize is how many essays the feed carries.
const feedSize = 20

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Links    []atomLink  `xml:"link"`
	ID       string      `xml:"id"`
	Updated  string      `xml:"updated"`
	Author   *atomAuthor `xml:"author,omitempty"`
	Gen      atomGen     `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

type atomGen struct {
	Version string `xml:"version,attr"`
	Name    string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name  string `xml:"name"`
	Email string `xml:"email,omitempty"`
	URI   string `xml:"uri,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Base string `xml:"xml:base,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	Links      []atomLink     `xml:"link"`
	ID         string         `xml:"id"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     *atomAuthor    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    atomText       `xml:"content"`
}

// updated is an essay's last change: lastmod, else its date.
func updated(e *layout.Essay) time.Time {
	if !e.Lastmod.IsZero() {
		return e.Lastmod
	}
	return e.Date
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// noDate is the feed's updated time when no essay has a date or lastmod:
// Atom requires one, and it must not change from build to build.
var noDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// feedEssays is how many essays the feed carries: the newest feedSize
// that have a date. An undated essay (a handbook's page, say) is not news,
// and no time of its own is stable from build to build (a file's
// modification time is the checkout's in a fresh clone), so it is left
// out, as Zola leaves it out. Dated essays come first in g.essays.
func (g *generator) feedEssays() int {
	n := 0
	for n < min(feedSize, len(g.essays)) && !g.essays[n].Date.IsZero() {
		n++
	}
	return n
}

// feeds adds the Atom feed, the sitemap, robots.txt and alias redirects.
func (g *generator) feeds() error {
	base := g.cfg.BaseURL
	top := g.feedEssays()
	fh := newHasher()
	fh.bytes(g.common[:])
	for i := 0; i < top; i++ {
		fh.bytes(g.digests[i][:])
	}
	// The feed's updated time is the newest of every essay's date and
	// lastmod; lastmod is in the digests only of the essays it carries.
	var newest time.Time
	for _, e := range g.essays {
		if u := updated(e); u.After(newest) {
			newest = u
		}
	}
	if newest.IsZero() {
		newest = noDate
	}
	fh.time(newest)
	fp := fh.sum()
	g.mark("feed.xml")
	if !g.out.reuse("feed.xml", fp) {
		f := atomFeed{
			Lang: g.cfg.Language, Title: g.cfg.Title, Subtitle: g.cfg.Description, ID: base + "/",
			Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/feed.xml"}, {Rel: "alternate", Type: "text/html", Href: base + "/"}},
			Gen:   atomGen{Version: Version, Name: "Steward"},
		}
		if g.cfg.Author.Name != "" {
			f.Author = &atomAuthor{Name: g.cfg.Author.Name, Email: g.cfg.Author.Email, URI: g.cfg.Author.URL}
		}
		f.Updated = stamp(newest)
		for i := 0; i < top; i++ {
			e := g.essays[i]
			html, err := g.html(i)
			if err != nil {
				return err
			}
			entry := atomEntry{
				Title: e.Title, ID: e.Permalink, Updated: stamp(updated(e)),
				Links:   []atomLink{{Rel: "alternate", Type: "text/html", Href: e.Permalink}},
				Content: atomText{Type: "html", Base: e.Permalink, Body: string(html)},
			}
			entry.Published = stamp(e.Date)
			if e.Author.Name != "" {
				entry.Author = &atomAuthor{Name: e.Author.Name, URI: e.Author.URL}
			} else if f.Author == nil {
				// Atom requires an author on the feed or on every entry.
				entry.Author = &atomAuthor{Name: g.cfg.Title}
			}
			for _, t := range e.Tags {
				entry.Categories = append(entry.Categories, atomCategory{Term: t.Slug, Label: t.Name})
			}
			if e.SummaryText != "" {
				entry.Summary = &atomText{Type: "text", Body: e.SummaryText}
			}
			f.Entries = append(f.Entries, entry)
		}
		if err := g.out.write("feed.xml", marshalXML(f), fp); err != nil {
			return err
		}
	}
	for i := 0; i < min(feedSize, len(g.essays)); i++ { // kept by renderEssay
		g.htmls[i] = nil
	}

	// The sitemap holds every essay's permalink and date and every list's
	// URL: while they are unchanged (as after an edit to a body), it is not
	// built or written again.
	sh := newHasher()
	sh.bytes(g.common[:])
	for _, e := range g.essays {
		sh.str(e.Permalink)
		sh.num(int(updated(e).Unix()))
	}
	for _, j := range g.listJobs {
		sh.str(j.data.Kind, j.data.Page.Permalink)
	}
	sfp := sh.sum()
	g.mark("sitemap.xml")
	if !g.out.reuse("sitemap.xml", sfp) {
		if err := g.out.write("sitemap.xml", g.sitemap(), sfp); err != nil {
			return err
		}
	}
	// A site that has its own robots.txt (many Hugo and Jekyll sites keep
	// one in static/) keeps it; the generated one is only a default.
	if !g.ownFile("robots.txt") {
		g.put("robots.txt", []byte("User-agent: *\nAllow: /\n\nSitemap: "+base+"/sitemap.xml\n"))
	}

	for i, e := range g.essays {
		for _, a := range g.src[i].Front.Aliases {
			ap, msg := content.AliasPath(a)
			if msg != "" || !fs.ValidPath(aliasOut(ap)) {
				continue
			}
			g.put(aliasOut(ap), redirect(g.cfg.Language, e.Permalink))
			g.stats.Aliases++
		}
	}
	return nil
}

func marshalXML(v any) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // the types above always encode
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// redirect is the page an alias writes: it sends browsers and search
// engines to the essay's permanent URL.
func redirect(lang, to string) []byte {
	u := template.HTMLEscapeString(to)
	return []byte(strings.Join([]string{
		"<!doctype html>",
		`<html lang="` + template.HTMLEscapeString(lang) + `">`,
		"<head>",
		`<meta charset="utf-8">`,
		"<title>Moved to " + u + "</title>",
		`<link rel="canonical" href="` + u + `">`,
		`<meta name="robots" content="noindex">`,
		`<meta http-equiv="refresh" content="0; url=` + u + `">`,
		"</head>",
		`<body><p>This page has moved to <a href="` + u + `">` + u + "</a>.</p></body>",
		"</html>", "",
	}, "\n"))
}

// sitemap writes the sitemap by hand: with tens of thousands of URLs,
// encoding/xml's reflection is most of the cost of a rebuild.
func (g *generator) sitemap() []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	url := func(loc, lastmod string) {
		b.WriteString("  <url>\n    <loc>")
		_ = xml.EscapeText(&b, []byte(loc))
		b.WriteString("</loc>\n")
		if lastmod != "" {
			b.WriteString("    <lastmod>" + lastmod + "</lastmod>\n")
		}
		b.WriteString("  </url>\n")
	}
	for _, e := range g.essays {
		lastmod := ""
		if u := updated(e); !u.IsZero() {
			lastmod = u.UTC().Format("2006-01-02")
		}
		url(e.Permalink, lastmod)
	}
	for _, j := range g.listJobs {
		if j.data.Kind != "404" {
			url(j.data.Page.Permalink, "")
		}
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// ownFile reports whether the site publishes a file of its own at the
// output path p, from static/ or beside the essays in content/.
func (g *generator) ownFile(p string) bool {
	for _, dir := range []string{"static", content.Dir} {
		if info, err := fs.Stat(g.fsys, dir+"/"+p); err == nil && info.Mode().IsRegular() {
			return true
		}
	}
	return false
}
