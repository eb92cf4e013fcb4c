package pipeline

import (
	"bytes"
	"encoding/xml"
	"time"

	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/selfcheck"
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
// out, as Zola leaves it out. Dated essays come first in the plan's order.
func feedEssays(essays []*essay) int {
	n := 0
	for n < min(feedSize, len(essays)) && !essays[n].data.Date.IsZero() {
		n++
	}
	return n
}

// feed writes the Atom feed of the newest essays, then lets go of the
// HTML that renderEssay kept for it.
func (g *generator) feed(essays []*essay) error {
	defer func() {
		for _, e := range essays[:min(feedSize, len(essays))] {
			e.html = nil
		}
	}()
	base := g.cfg.BaseURL
	top := feedEssays(essays)
	fh := newHasher()
	fh.bytes(g.common[:])
	for _, e := range essays[:top] {
		fh.bytes(e.digest[:])
	}
	// The feed's updated time is the newest of every essay's date and
	// lastmod; lastmod is in the digests only of the essays it carries.
	var newest time.Time
	for _, e := range essays {
		if u := updated(e.data); u.After(newest) {
			newest = u
		}
	}
	if newest.IsZero() {
		newest = noDate
	}
	fh.time(newest)
	fp := fh.sum()
	if g.out.reuse("feed.xml", fp) {
		return nil
	}
	f := atomFeed{
		Lang: g.cfg.Language, Title: g.cfg.Title, Subtitle: g.cfg.Description, ID: base + "/",
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/feed.xml"}, {Rel: "alternate", Type: "text/html", Href: base + "/"}},
		Gen:   atomGen{Version: Version, Name: "Steward"},
	}
	if g.cfg.Author.Name != "" {
		f.Author = &atomAuthor{Name: g.cfg.Author.Name, Email: g.cfg.Author.Email, URI: g.cfg.Author.URL}
	}
	f.Updated = stamp(newest)
	for _, es := range essays[:top] {
		e := es.data
		html, err := g.htmlOf(es)
		if err != nil {
			return err
		}
		entry := atomEntry{
			Title: e.Title, ID: e.Permalink, Updated: stamp(updated(e)),
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: e.Permalink}},
			// A self-check cannot run in a feed reader: a paragraph links to it.
			Content: atomText{Type: "html", Base: e.Permalink, Body: string(selfcheck.FeedHTML(html, e.Permalink, g.cfg.SelfCheck))},
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
	return g.out.write("feed.xml", marshalXML(f), fp)
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
