package layout

import (
	"html/template"
	"time"
)

// Data is the one value every template receives as ".". Which fields are
// set depends on Kind; the README documents them for theme authors.
type Data struct {
	// Kind is the kind of page: "home", "essay", "section", "tags", "tag",
	// "series", "search" or "404" (templates may compare it with those
	// strings).
	Kind Kind
	Site Site
	// Page describes the page being rendered, whatever its kind.
	Page Page
	// Essay is set on essay pages.
	Essay *Essay
	// Essays lists the essays of this page of a home, section or tag list,
	// newest first (without Prev and Next).
	Essays []*Essay
	// Paginator is set on home, section and tag pages.
	Paginator *Paginator
	// Tags lists every tag with its count, by name; set on every page so a
	// theme can show a tag cloud anywhere.
	Tags []Tag
	// Tag is the tag of a tag page.
	Tag *Tag
	// Series is the series of a series page (its Parts and Part unset:
	// Essays lists the parts, in order).
	Series *Series
	// Sections lists the sub-folders' list pages on a section or home page.
	Sections []Link
	// Assets are the stylesheets and scripts this page needs, with their
	// content-hashed URLs.
	Assets Assets
	// Build holds facts about this build.
	Build BuildInfo
}

// Kind is a kind of page; each has its template, named kind + ".html".
type Kind string

// The kinds of page.
const (
	KindHome     Kind = "home"
	KindEssay    Kind = "essay"
	KindSection  Kind = "section"
	KindTags     Kind = "tags"
	KindTag      Kind = "tag"
	KindSearch   Kind = "search"
	KindSeries   Kind = "series"
	KindNotFound Kind = "404"
)

// Site is the site's configuration as templates see it.
type Site struct {
	Title       string
	Description string
	// BaseURL is absolute and ends without a slash, e.g. "https://example.org".
	BaseURL  string
	Language string
	Author   Author
	Menu     []Link
	// FeedURL is the site-relative URL of the Atom feed ("/feed.xml").
	FeedURL string
	// TagsURL is the site-relative URL of the page of all tags ("/tags/").
	TagsURL string
	// SearchURL is the site-relative URL of the search page ("/search/"),
	// where a search form sends its query as q.
	SearchURL string
	// Params is site.yaml's free-form params map.
	Params map[string]any
}

// Author is the site's or an essay's author.
type Author struct {
	Name  string
	Email string
	URL   string
}

// Link is a label and a URL.
type Link struct {
	Label string
	URL   string
}

// Page is what every page has.
type Page struct {
	// Title is the page's own title ("Two Leadership Models", "Tag: trust"),
	// plain text.
	Title string
	// TitleHTML is the title with the inline Markdown it was written with
	// (emphasis, code) as HTML, for a heading; it holds no links.
	TitleHTML template.HTML
	// Description is plain text for meta tags.
	Description string
	// URL is site-relative, with a trailing slash ("/two-leadership-models/").
	URL string
	// Permalink is BaseURL + URL.
	Permalink string
	// Content is the page's own Markdown text, for home and section pages
	// that have an index.md.
	Content template.HTML
	// PageNumber is the pagination page (1 for the first).
	PageNumber int
}

// Essay is one essay.
type Essay struct {
	// Title is plain text, for <title>, meta tags and feeds; TitleHTML
	// keeps the inline Markdown it was written with ("**Asset** policy",
	// "Using `go test`") for the page's h1 and lists. TitleHTML holds no
	// links, so it may stand inside one.
	Title     string
	TitleHTML template.HTML
	URL       string
	Permalink string
	Date      time.Time
	Lastmod   time.Time
	// DateISO and DateText are Date as the default theme shows it,
	// formatted once for every page that does: RFC 3339 for a datetime
	// attribute, and "January 2, 2006"; both empty when the essay has no
	// date. (A theme that wants another format calls date on Date.)
	DateISO     string
	DateText    string
	Author      Author
	Tags        []Tag
	Description string
	// Summary is HTML: front matter summary, else the text before
	// <!--more-->, else the first paragraph.
	Summary template.HTML
	// SummaryText is the summary as plain text.
	SummaryText string
	Content     template.HTML
	// TOC lists the ## and ### headings; a theme shows it when
	// ShowTOC is true (three or more ## headings).
	TOC         []Heading
	ShowTOC     bool
	WordCount   int
	ReadingTime int // minutes, at least 1
	Draft       bool
	// HasSelfCheck is true when the essay embeds a self-check.
	HasSelfCheck bool
	// Prev is the next older essay, Next the next newer one. Only the
	// page's own essay has them: the neighbours, and the essays of lists,
	// have Prev and Next nil, so a page depends on its neighbours' fields
	// but not on theirs, and the dev server re-renders exactly the pages
	// whose data changed.
	Prev *Essay
	Next *Essay
	// Section is the folder's list page this essay belongs to, if any.
	Section *Link
	// Image is the absolute URL of the essay's image for link previews
	// (og:image): front matter image, else its generated social card
	// (1200 by 630, at the essay's URL + "card.png"). Card tells which.
	Image string
	Card  bool
	// Series is the series the essay is part of (front matter series),
	// and Related up to three other essays that share its tags, most
	// related first. Like Prev and Next, only the page's own essay has
	// them.
	Series  *Series
	Related []EssayRef
	// Params holds the essay's front matter keys that Steward does not
	// use itself (weight, layout, toc...), as written: strings, bools,
	// int64, float64, time.Time, []any and map[string]any.
	Params map[string]any
}

// EssayRef is another essay as a link to it, with what its front matter
// says (its page's other fields may not be known when this one is made).
type EssayRef struct {
	Title     string
	TitleHTML template.HTML
	URL       string
	Date      time.Time
	// DateISO and DateText are as an Essay's.
	DateISO  string
	DateText string
}

// DateLayout is how DateText writes a date.
const DateLayout = "January 2, 2006"

// Dated returns t as an Essay's DateISO and DateText hold it.
func Dated(t time.Time) (iso, text string) {
	if t.IsZero() {
		return "", ""
	}
	return t.Format(time.RFC3339), t.Format(DateLayout)
}

// Series is a series of essays.
type Series struct {
	Name string
	// URL is the series' page, which lists its parts in order.
	URL string
	// Part is the essay's place in the series (1 for the first) of
	// Total; Parts are all of them, in order, the essay's own included.
	Part, Total int
	Parts       []EssayRef
}

// Heading is one entry of a table of contents.
type Heading struct {
	Level int
	ID    string
	// Text is the heading's plain text.
	Text string
}

// Tag is a tag with its page and count.
type Tag struct {
	Name  string
	Slug  string
	URL   string
	Count int
}

// Paginator describes the pages of a paginated list.
type Paginator struct {
	PageNumber int
	TotalPages int
	// PrevURL and NextURL are empty at the ends.
	PrevURL string
	NextURL string
	// TotalEssays counts the essays over all pages.
	TotalEssays int
}

// Assets are URLs of generated assets.
type Assets struct {
	// Stylesheet is the theme's main stylesheet ("/css/steward.css").
	Stylesheet string
	// SyntaxCSS is the generated code-highlighting stylesheet.
	SyntaxCSS string
	// SelfCheckJS and SelfCheckCSS are set only on pages with a self-check.
	SelfCheckJS  string
	SelfCheckCSS string
	// SearchJS is the search script and SearchIndex the folder of the
	// search index ("/search/"); both set on the search page only.
	SearchJS    string
	SearchIndex string
}

// BuildInfo holds facts about the build.
type BuildInfo struct {
	Version string
	// Time is the day of the build (midnight UTC), for a copyright year:
	// a page's bytes do not change merely because it was built again.
	Time time.Time
}
