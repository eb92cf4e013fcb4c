// Package config owns site.yaml: its schema, strict decoding (an unknown key
// is an error at its line with the nearest known key as a hint), defaults
// and validation. It knows nothing of content, Markdown, templates or HTTP.
package config

import (
	"errors"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/alecthomas/chroma/v2/styles"

	"github.com/steward-ssg/steward/generator/card"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/selfcheck"
	"github.com/steward-ssg/steward/generator/strictyaml"
)

// File is the configuration file's name, relative to the site's folder.
const File = "site.yaml"

// Config is the decoded site.yaml.
type Config struct {
	Title       string     `yaml:"title"`
	Description string     `yaml:"description"`
	BaseURL     string     `yaml:"baseURL"`
	Language    string     `yaml:"language"`
	Author      Author     `yaml:"author"`
	Paginate    int        `yaml:"paginate"`
	Menu        []MenuItem `yaml:"menu"`
	Markdown    Markdown   `yaml:"markdown"`
	Links       Links      `yaml:"links"`
	Cards       Cards      `yaml:"cards"`
	Search      Search     `yaml:"search"`
	// Permalinks maps a section (a folder at the top of content/, or "/"
	// for the essays at its top) to the pattern of its essays' URLs, in
	// Hugo's tokens: "post: /:year/:month/:day/:slug/".
	Permalinks map[string]string `yaml:"permalinks"`
	Params     map[string]any    `yaml:"params"`
	// SelfCheck translates the self-check widget's user-facing strings.
	SelfCheck selfcheck.Strings `yaml:"selfcheck"`
}

// Author is the site's default author.
type Author struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
	URL   string `yaml:"url"`
}

// MenuItem is one entry of the site's navigation.
type MenuItem struct {
	Label string `yaml:"label"`
	URL   string `yaml:"url"`
}

// Markdown holds the Markdown settings.
type Markdown struct {
	// Unsafe lets raw HTML in Markdown through, as written: the default,
	// since the author is trusted (as in Jekyll, Zola or MkDocs). Set to
	// false, raw HTML is escaped, so it shows as text, and reported.
	Unsafe bool `yaml:"unsafe"`
	// HeadingIDs is how automatic heading ids are made, so that links
	// written for the generator the writing comes from keep working:
	// "github" (the default, as GitHub and Hugo make them),
	// "github-ascii" (Hugo's, accents removed) or "zola" (Zola's).
	HeadingIDs string    `yaml:"headingIDs"`
	Highlight  Highlight `yaml:"highlight"`
}

// HeadingIDStyles are the values markdown.headingIDs accepts, the default
// first (the markdown package makes ids in each of them).
func HeadingIDStyles() []string { return []string{"github", "github-ascii", "zola"} }

// Search holds the settings of the site's search.
type Search struct {
	// Enabled writes a search index of the published essays, a search
	// page and a search field in the header. On by default.
	Enabled bool `yaml:"enabled"`
}

// Cards holds the settings of the essays' social cards.
type Cards struct {
	// Draw has every essay without an image of its own drawn a card. It
	// is on by default: in a first build of 1,000 essays with search on
	// (the default), drawing the cards and writing them adds about 8% to
	// the CPU time, some 14% with search off; later builds draw none (a
	// card is kept while its inputs are unchanged).
	Draw bool `yaml:"draw"`
	// Font is a TrueType or OpenType font file, relative to the site's
	// folder, to draw the cards with instead of the Go fonts.
	Font string `yaml:"font"`
	// FontData is the font file's bytes, read by Load; FontPos is where
	// site.yaml names it.
	FontData []byte   `yaml:"-"`
	FontPos  diag.Pos `yaml:"-"`
}

// Links holds the settings of link checking.
type Links struct {
	// Broken is what a link to an essay or anchor that does not exist is:
	// "error" (the default) fails the build, "warn" reports it and builds.
	Broken string `yaml:"broken"`
}

// BrokenSeverity is Broken as a diagnostic's severity.
func (l Links) BrokenSeverity() diag.Severity {
	if l.Broken == "warn" {
		return diag.Warning
	}
	return diag.Error
}

// Highlight names the chroma styles for code in light and dark mode.
type Highlight struct {
	Light string `yaml:"light"`
	Dark  string `yaml:"dark"`
}

// Defaults are the values used where site.yaml is silent.
func Defaults() Config {
	return Config{
		Title:     "Essays",
		BaseURL:   "http://127.0.0.1:1313",
		Language:  "en",
		Paginate:  10,
		Markdown:  Markdown{Unsafe: true, HeadingIDs: "github", Highlight: Highlight{Light: "github", Dark: "github-dark"}},
		Links:     Links{Broken: "error"},
		SelfCheck: selfcheck.DefaultStrings(),
		Cards:     Cards{Draw: true},
		Search:    Search{Enabled: true},
	}
}

// Load reads site.yaml from fsys (the site's folder). A missing file gives
// the defaults and a warning; every problem found is returned, positioned.
func Load(fsys fs.FS) (Config, diag.List) {
	src, err := fs.ReadFile(fsys, File)
	if errors.Is(err, fs.ErrNotExist) {
		var l diag.List
		l.Warn(diag.Pos{File: File}, "no site.yaml found; using the defaults (create site.yaml to set the title and baseURL)")
		return Defaults(), l
	}
	if err != nil {
		var l diag.List
		l.Add(diag.Pos{File: File}, "cannot read: %v", err)
		return Defaults(), l
	}
	c, diags := Parse(src)
	if c.Cards.Font != "" && !diags.HasErrors() {
		diags.Append(loadFont(fsys, &c))
	}
	return c, diags
}

// loadFont reads and checks the cards' font that site.yaml names.
func loadFont(fsys fs.FS, c *Config) diag.List {
	var diags diag.List
	name := c.Cards.Font
	p := path.Clean(strings.TrimPrefix(name, "./"))
	if !fs.ValidPath(p) || strings.HasPrefix(name, "/") {
		diags.Add(c.Cards.FontPos, "cards.font %q must be a path inside the site's folder, such as fonts/Inter-Bold.ttf", name)
		return diags
	}
	data, err := fs.ReadFile(fsys, p)
	if err != nil {
		diags.Add(c.Cards.FontPos, "cards.font %q cannot be read: %v", name, errors.Unwrap(err))
		return diags
	}
	if _, err := card.CheckFont(data); err != nil {
		diags.Add(c.Cards.FontPos, "cards.font %q: %v; name a .ttf or .otf file", name, err)
		return diags
	}
	c.Cards.FontData = data
	return diags
}

// Parse decodes and validates the bytes of a site.yaml.
func Parse(src []byte) (Config, diag.List) {
	c := Defaults()
	doc, diags := strictyaml.Decode(src, &c, strictyaml.Options{File: File, UnknownKeys: diag.Error})
	if diags.HasErrors() {
		return c, diags
	}
	if c.Paginate < 1 {
		diags.Add(doc.Pos("$.paginate"), "paginate must be 1 or more, got %d", c.Paginate)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if err := CheckBaseURL(c.BaseURL); err != nil {
		diags.Add(doc.Pos("$.baseURL"), "%v", err)
	}
	for name, path := range map[string]string{"light": "$.markdown.highlight.light", "dark": "$.markdown.highlight.dark"} {
		style := c.Markdown.Highlight.Light
		if name == "dark" {
			style = c.Markdown.Highlight.Dark
		}
		if _, ok := styles.Registry[style]; !ok {
			msg := "unknown highlight style " + quote(style)
			if near := diag.Nearest(style, styles.Names()); near != "" {
				msg += "; did you mean " + quote(near) + "?"
			} else {
				msg += "; see the chroma style gallery for names such as \"github\" and \"github-dark\""
			}
			diags.Add(doc.Pos(path), "%s", msg)
		}
	}
	if !slices.Contains(HeadingIDStyles(), c.Markdown.HeadingIDs) {
		msg := "markdown.headingIDs must be \"github\" (as GitHub and Hugo make ids), \"github-ascii\" (Hugo's, accents removed) or \"zola\" (as Zola makes them), got " + quote(c.Markdown.HeadingIDs)
		if near := diag.Nearest(c.Markdown.HeadingIDs, HeadingIDStyles()); near != "" {
			msg += "; did you mean " + quote(near) + "?"
		}
		diags.Add(doc.Pos("$.markdown.headingIDs"), "%s", msg)
	}
	c.Cards.FontPos = doc.ValuePos("$.cards.font")
	if c.Links.Broken != "error" && c.Links.Broken != "warn" {
		diags.Add(doc.Pos("$.links.broken"), "links.broken must be \"error\" or \"warn\", got %q", c.Links.Broken)
	}
	diags.Append(checkPermalinks(src, doc, c.Permalinks))
	for i, m := range c.Menu {
		if m.Label == "" || m.URL == "" {
			diags.Add(doc.Pos("$.menu["+strconv.Itoa(i)+"]"), "menu item %d needs both a label and a url", i+1)
		}
	}
	return c, diags
}

// CheckBaseURL says why u is not a usable base URL, or returns nil.
func CheckBaseURL(u string) error {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return errors.New("baseURL must be an absolute http or https URL such as https://example.org, got " + quote(u))
	}
	return nil
}

func quote(s string) string { return "\"" + s + "\"" }
