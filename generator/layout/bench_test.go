package layout_test

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/theme"
)

// BenchmarkExecute is template execution per page with the default theme:
// an essay page (with its table of contents, neighbours, tags and related
// essays) and a
// home page listing ten essays. Compare runs with benchstat:
//
//	go test ./generator/layout -run '^$' -bench Execute -count 10
func BenchmarkExecute(b *testing.B) {
	th, diags := layout.Load(fstest.MapFS{}, theme.FS(), "https://example.org")
	if len(diags) > 0 {
		b.Fatal(diags)
	}
	essay := func(i int) *layout.Essay {
		title := fmt.Sprintf("Essay %d on servant leadership", i)
		date := time.Date(2024, 1, i%28+1, 0, 0, 0, 0, time.UTC)
		iso, text := layout.Dated(date)
		return &layout.Essay{
			Title: title, TitleHTML: template.HTML(title), URL: fmt.Sprintf("/essay-%d/", i),
			Permalink: fmt.Sprintf("https://example.org/essay-%d/", i),
			Date:      date, DateISO: iso, DateText: text,
			Author:  layout.Author{Name: "A. Writer"},
			Tags:    []layout.Tag{{Name: "Leadership", Slug: "leadership", URL: "/tags/leadership/", Count: 40}, {Name: "Coaching", Slug: "coaching", URL: "/tags/coaching/", Count: 12}},
			Summary: "<p>The best leaders are the best practitioners, or are they?</p>", SummaryText: "The best leaders are the best practitioners, or are they?",
			Description: "The best leaders are the best practitioners, or are they?",
			WordCount:   812, ReadingTime: 4,
			TOC:     []layout.Heading{{Level: 2, ID: "one", Text: "One"}, {Level: 2, ID: "two", Text: "Two"}, {Level: 2, ID: "three", Text: "Three"}},
			ShowTOC: true,
		}
	}
	site := layout.Site{Title: "Steward", Description: "Essays on leadership", BaseURL: "https://example.org", Language: "en",
		Author: layout.Author{Name: "A. Writer"}, FeedURL: "/feed.xml", TagsURL: "/tags/", Menu: []layout.Link{{Label: "Tags", URL: "/tags/"}}}
	assets := layout.Assets{Stylesheet: "/css/steward.css", SyntaxCSS: "/css/syntax.css"}
	build := layout.BuildInfo{Version: "bench", Time: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}

	page := essay(7)
	page.Content = template.HTML(strings.Repeat("<p>A paragraph of about a hundred and twenty words on what leaders do all day, and why it matters to the people who work with them.</p>\n", 40))
	page.Prev, page.Next = essay(6), essay(8)
	for _, i := range []int{11, 12, 13} {
		r := essay(i)
		page.Related = append(page.Related, layout.EssayRef{Title: r.Title, TitleHTML: r.TitleHTML, URL: r.URL, Date: r.Date, DateISO: r.DateISO, DateText: r.DateText})
	}
	essayData := &layout.Data{Kind: "essay", Site: site, Essay: page, Assets: assets, Build: build,
		Page: layout.Page{Title: page.Title, TitleHTML: page.TitleHTML, Description: page.Description, URL: page.URL, Permalink: page.Permalink, PageNumber: 1}}

	home := &layout.Data{Kind: "home", Site: site, Assets: assets, Build: build,
		Page:      layout.Page{Title: site.Title, TitleHTML: template.HTML(site.Title), Description: site.Description, URL: "/", Permalink: "https://example.org/", PageNumber: 1},
		Paginator: &layout.Paginator{PageNumber: 1, TotalPages: 100, TotalEssays: 1000, NextURL: "/page/2/"}}
	for i := range 10 {
		home.Essays = append(home.Essays, essay(i))
	}

	for _, bc := range []struct {
		name string
		data *layout.Data
	}{{"essay", essayData}, {"home", home}} {
		b.Run(bc.name, func(b *testing.B) {
			// The page must be what it claims, or this measures nothing.
			var out strings.Builder
			if err := th.Execute(&out, bc.data, "bench"); err != nil {
				b.Fatal(err)
			}
			want := []string{bc.data.Page.Title}
			for _, e := range bc.data.Essays {
				want = append(want, e.Title)
			}
			if bc.data.Essay != nil {
				want = append(want, "A paragraph of about", bc.data.Essay.Next.Title)
			}
			for _, w := range want {
				if !strings.Contains(out.String(), template.HTMLEscapeString(w)) {
					b.Fatalf("the %s page lacks %q", bc.name, w)
				}
			}
			for b.Loop() {
				if err := th.Execute(io.Discard, bc.data, "bench"); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(out.Len()), "bytes/page")
		})
	}
}
