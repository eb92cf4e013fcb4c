package pipeline

import (
	"context"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"
)

// TestExampleSite builds the repository's own example site and checks what
// a reader relies on: the essay's sections, footnotes, and a feed that
// parses.
func TestExampleSite(t *testing.T) {
	site, err := NewBuilder().Build(context.Background(), Options{Source: "../..", Now: fixedClock})
	if err != nil {
		t.Fatalf("the example site does not build:\n%v", err)
	}
	if w := site.Warnings(); len(w) > 0 {
		t.Errorf("the example site builds with warnings:\n%v", w)
	}
	page, ok := site.File("two-leadership-models/index.html")
	if !ok {
		t.Fatal("no two-leadership-models/index.html")
	}
	h := string(page)
	for _, id := range []string{"practitioner-leadership", "servant-leadership", "the-time-test"} {
		if !regexp.MustCompile(`<h2 id="` + id + `">`).MatchString(h) {
			t.Errorf("essay lacks <h2 id=%q>", id)
		}
	}
	if strings.Count(h, "<h1") != 1 {
		t.Errorf("essay has %d h1 elements, want 1", strings.Count(h, "<h1"))
	}
	if !strings.Contains(h, "&ldquo;leader&rdquo;") {
		t.Error(`the quoted "leader" is not typographic`)
	}
	for _, debris := range []string{"marilyn barbone", "Twitter feed"} {
		if strings.Contains(h, debris) {
			t.Errorf("scraping debris %q is in the essay", debris)
		}
	}
	if !strings.Contains(h, `role="doc-noteref"`) || !strings.Contains(h, `role="doc-endnotes"`) {
		t.Error("the essay's footnote is not rendered")
	}

	feed, _ := site.File("feed.xml")
	var atom struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		Title   string   `xml:"title"`
		ID      string   `xml:"id"`
		Updated string   `xml:"updated"`
		Entries []struct {
			Title   string `xml:"title"`
			ID      string `xml:"id"`
			Updated string `xml:"updated"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(feed, &atom); err != nil {
		t.Fatalf("feed.xml does not parse: %v", err)
	}
	if atom.Title == "" || atom.ID == "" || atom.Updated == "" || len(atom.Entries) < 4 {
		t.Errorf("feed lacks required elements or entries: %+v", atom)
	}
	for _, e := range atom.Entries {
		if e.Title == "" || e.ID == "" || e.Updated == "" || e.Content == "" {
			t.Errorf("feed entry %q lacks a required element", e.Title)
		}
	}
	// Links and fragments across the whole built site are checked by
	// generator/sitecheck, on this same site.
}
