package pipeline

import (
	"bytes"
	"context"
	"html/template"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/plan"
)

// listPage is one list page of the plan with the data its template gets.
type listPage struct {
	plan.List
	data *layout.Data
}

// listPages makes the data of every list page of the plan, once the
// essays are filled; indexes are the folders' converted index pages.
func (g *generator) listPages(site *plan.Site, essays []*essay, indexes map[string]converted) []listPage {
	var homeSections []layout.Link
	for _, sec := range site.Sections {
		if !strings.Contains(sec.Dir, "/") {
			homeSections = append(homeSections, layout.Link{Label: g.sectionTitle(site, sec.Dir).Text, URL: sec.URL})
		}
	}
	pages := make([]listPage, 0, len(site.Lists))
	for _, l := range site.Lists {
		var title markdown.Title
		var desc string
		var text template.HTML
		var subs []layout.Link
		var tag *layout.Tag
		var series *layout.Series
		switch l.Kind {
		case layout.KindHome:
			title, desc = plainTitle(g.cfg.Title), g.cfg.Description
			if p, ok := site.Indexes[""]; ok {
				text = template.HTML(indexes[p.Source].html)
				if p.Title != "" {
					// The home page's own title (front matter, or the #
					// heading of a README that opens a handbook) heads it,
					// as a folder's does its list page; the browser tab
					// keeps the site's name.
					title = g.title(p.Title)
				}
			}
			subs = homeSections
		case layout.KindSection:
			title = g.sectionTitle(site, l.Dir)
			if p, ok := site.Indexes[l.Dir]; ok {
				text, desc = template.HTML(indexes[p.Source].html), strings.TrimSpace(p.Front.Description)
			}
			sec, _ := site.Section(l.Dir)
			for _, d := range sec.Subs {
				subs = append(subs, layout.Link{Label: g.sectionTitle(site, d).Text, URL: plan.DirURL(d)})
			}
		case layout.KindTag:
			tag = &g.tags[l.Tag]
			title = plainTitle("Essays tagged “" + tag.Name + "”")
		case layout.KindTags:
			title = plainTitle("Tags")
		case layout.KindSeries:
			sr := site.Series[l.Series]
			series = &layout.Series{Name: sr.Name, URL: sr.URL, Total: len(sr.Essays)}
			title = plainTitle(sr.Name)
		case layout.KindSearch:
			title = plainTitle("Search")
		case layout.KindNotFound:
			title = plainTitle("Page not found")
		}
		if l.Number > 1 {
			page := ", page " + strconv.Itoa(l.Number)
			title.Text += page
			title.HTML += template.HTML(page)
		}
		d := g.base(l.Kind, title.Text, desc, l.URL)
		if l.Total > 0 { // a paginated list
			d.Page.TitleHTML = title.HTML
			d.Page.PageNumber = l.Number
			if l.Number == 1 {
				d.Page.Content = text
			}
			if len(l.Essays) > 0 {
				d.Essays = make([]*layout.Essay, len(l.Essays))
			}
			for k, i := range l.Essays {
				d.Essays[k] = essays[i].data
			}
			d.Paginator = &layout.Paginator{PageNumber: l.Number, TotalPages: l.Total, TotalEssays: l.AllEssays, PrevURL: l.PrevURL, NextURL: l.NextURL}
			d.Tag, d.Sections, d.Series = tag, subs, series
		}
		if l.Kind == layout.KindSearch {
			d.Assets.SearchJS, d.Assets.SearchIndex = g.assetURLs.SearchJS, g.assetURLs.SearchIndex
		}
		pages = append(pages, listPage{l, d})
	}
	return pages
}

// renderLists renders the list pages on all cores, or keeps those whose
// data did not change.
func (g *generator) renderLists(ctx context.Context, lists []listPage, essays []*essay) diag.List {
	if g.theme == nil {
		return nil
	}
	errs := make([]error, len(lists))
	parallel(ctx, len(lists), func(k int) {
		l := lists[k]
		fp := g.listFingerprint(l, essays)
		if g.out.reuse(l.Out, fp) {
			return
		}
		// A list page of the default theme is about 15 KB.
		buf := bytes.NewBuffer(make([]byte, 0, 16<<10))
		if errs[k] = protect(l.Source, "rendering the list page "+l.Out, func() error { return g.theme.Execute(buf, l.data, l.Source) }); errs[k] != nil {
			return
		}
		g.rendered.Add(1)
		errs[k] = g.out.write(l.Out, buf.Bytes(), fp)
	})
	var diags diag.List
	for _, err := range errs {
		if err != nil {
			diags = append(diags, diag.AsList(err)...)
		}
	}
	return diags
}

// sectionTitle is the title of a folder's list page: its index's title,
// else the folder's name.
func (g *generator) sectionTitle(site *plan.Site, dir string) markdown.Title {
	if p, ok := site.Indexes[dir]; ok && p.Title != "" {
		return g.title(p.Title)
	}
	name := path.Base(dir)
	r, n := utf8.DecodeRuneInString(name)
	return plainTitle(string(unicode.ToUpper(r)) + strings.ReplaceAll(name[n:], "-", " "))
}

// plainTitle is a title that is plain text, not Markdown.
func plainTitle(s string) markdown.Title {
	return markdown.Title{HTML: template.HTML(template.HTMLEscapeString(s)), Text: s}
}

// title renders a title written with inline Markdown, reusing the last
// build's rendering of titles that need goldmark.
func (g *generator) title(s string) markdown.Title {
	if markdown.PlainTitle(s) {
		return g.titles.Render(s)
	}
	t, ok := g.b.titleMemo[s]
	if !ok {
		t = g.titles.Render(s)
	}
	g.mu.Lock()
	g.next.titles[s] = t
	g.mu.Unlock()
	return t
}

// base is the data every page has.
func (g *generator) base(kind layout.Kind, title, description, url string) *layout.Data {
	if description == "" {
		description = g.cfg.Description
	}
	assets := g.assetURLs
	assets.SelfCheckJS, assets.SelfCheckCSS = "", "" // only essays that embed one load them
	assets.SearchJS, assets.SearchIndex = "", ""     // only the search page loads it
	return &layout.Data{
		Kind: kind, Site: g.siteData, Tags: g.tags, Assets: assets,
		Page:  layout.Page{Title: title, TitleHTML: template.HTML(template.HTMLEscapeString(title)), Description: description, URL: url, Permalink: layout.AbsURL(g.cfg.BaseURL, url), PageNumber: 1},
		Build: layout.BuildInfo{Version: Version, Time: g.now.UTC().Truncate(24 * time.Hour)},
	}
}
