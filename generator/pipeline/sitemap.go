package pipeline

import (
	"bytes"
	"encoding/xml"
	"io/fs"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/layout"
)

// sitemap writes the sitemap: every essay's permalink and date, and every
// list's URL. While they are unchanged (as after an edit to a body), it is
// not built or written again.
func (g *generator) sitemap(essays []*essay, lists []listPage) error {
	h := newHasher()
	h.bytes(g.common[:])
	for _, e := range essays {
		h.str(e.data.Permalink)
		h.num(int(updated(e.data).Unix()))
	}
	for _, l := range lists {
		h.str(string(l.Kind), l.data.Page.Permalink)
	}
	fp := h.sum()
	if g.out.reuse("sitemap.xml", fp) {
		return nil
	}
	return g.out.write("sitemap.xml", sitemapXML(essays, lists), fp)
}

// sitemapXML writes the sitemap by hand: with tens of thousands of URLs,
// encoding/xml's reflection is most of the cost of a rebuild.
func sitemapXML(essays []*essay, lists []listPage) []byte {
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
	for _, e := range essays {
		lastmod := ""
		if u := updated(e.data); !u.IsZero() {
			lastmod = u.UTC().Format("2006-01-02")
		}
		url(e.data.Permalink, lastmod)
	}
	for _, l := range lists {
		if l.Kind != layout.KindNotFound && l.Kind != layout.KindSearch {
			url(l.data.Page.Permalink, "")
		}
	}
	b.WriteString("</urlset>\n")
	return b.Bytes()
}

// robots writes the default robots.txt, pointing at the sitemap, unless
// the site has its own (many Hugo and Jekyll sites keep one in static/):
// the generated one is only a default. It reports whether it wrote one.
func (g *generator) robots() bool {
	if g.ownFile("robots.txt") {
		return false
	}
	g.put("robots.txt", []byte("User-agent: *\nAllow: /\n\nSitemap: "+g.cfg.BaseURL+"/sitemap.xml\n"))
	return true
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
