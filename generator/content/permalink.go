package content

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"unicode"
)

// Permalinks are Hugo's permalinks setting (site.yaml's permalinks): by
// section, a folder at the top of content/ ("post") or "/" for the
// essays at its top, the pattern of its essays' URLs
// ("/:year/:month/:day/:slug/"). config checks the patterns' tokens.

// Section is the section of a page, as Hugo names it and site.yaml's
// permalinks are keyed: the first folder of its place below content/, or
// "/" at the top.
func (p *Doc) Section() string { return sectionOf(p) }

func sectionOf(p *Doc) string {
	if p.Dir == "" {
		return "/"
	}
	s, _, _ := strings.Cut(p.Dir, "/")
	return s
}

// permalink expands pattern for essay p into its URL, with slashes at
// both ends, in lower case as Hugo makes it. It returns "" and the reason
// when the pattern cannot give this essay a URL: it needs a date the
// essay lacks, or a value that is no path segment.
func permalink(p *Doc, pattern string) (string, string) {
	hugoToken := func(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
	value := func(token string) (string, bool, bool) { return tokenValue(p, token) }
	// An unknown token is kept as written: config reported it.
	u, why := expand(p, pattern, hugoToken, value, true)
	if why != "" {
		return "", why
	}
	u = strings.ToLower(u)
	var segs []string
	for _, s := range strings.Split(u, "/") {
		switch s {
		case "":
		case ".", "..":
			return "", fmt.Sprintf("it makes the URL %s, which would leave its folder", u)
		default:
			segs = append(segs, s)
		}
	}
	if len(segs) == 0 {
		return "", "it makes the home page's URL, /"
	}
	return "/" + strings.Join(segs, "/") + "/", ""
}

// expand replaces each :token of pattern (a run of the bytes inToken
// accepts) with value(token): what it stands for in essay p, whether that
// is taken from p's date, and whether the token is known. An unknown
// token is kept as written when keepUnknown; else, as for a date p lacks,
// it returns "" and why the pattern cannot be expanded.
func expand(p *Doc, pattern string, inToken func(byte) bool, value func(string) (string, bool, bool), keepUnknown bool) (string, string) {
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		if pattern[i] != ':' {
			b.WriteByte(pattern[i])
			continue
		}
		j := i + 1
		for j < len(pattern) && inToken(pattern[j]) {
			j++
		}
		token := pattern[i+1 : j]
		v, dated, ok := value(token)
		switch {
		case !ok && keepUnknown:
			v = pattern[i:j]
		case !ok:
			return "", fmt.Sprintf("Steward does not know the token :%s", token)
		case dated && p.Front.Date.IsZero():
			return "", fmt.Sprintf(":%s needs a date, and the essay has none", token)
		}
		b.WriteString(v)
		i = j - 1
	}
	return b.String(), ""
}

// tokenValue is what a token of a permalinks pattern stands for in page
// p (as Hugo expands it), whether it is taken from the date, and whether
// the token is known. The list is config.PermalinkTokens.
func tokenValue(p *Doc, token string) (v string, dated, ok bool) {
	d := p.Front.Date
	switch token {
	case "year":
		return fmt.Sprintf("%04d", d.Year()), true, true
	case "month":
		return fmt.Sprintf("%02d", int(d.Month())), true, true
	case "monthname":
		return d.Month().String(), true, true
	case "day":
		return fmt.Sprintf("%02d", d.Day()), true, true
	case "weekday":
		return strconv.Itoa(int(d.Weekday())), true, true
	case "weekdayname":
		return d.Weekday().String(), true, true
	case "yearday":
		return strconv.Itoa(d.YearDay()), true, true
	case "section":
		if p.Dir == "" {
			return "", false, true
		}
		return sectionOf(p), false, true
	case "sections":
		return p.Dir, false, true
	case "title":
		return urlize(p.Title), false, true
	case "slug":
		// Hugo's :slug is the front matter's slug, else the title.
		if s := strings.TrimSpace(p.Front.Slug); s != "" {
			return s, false, true
		}
		return urlize(p.Title), false, true
	case "slugorfilename":
		if s := strings.TrimSpace(p.Front.Slug); s != "" {
			return s, false, true
		}
		return fileName(p), false, true
	case "filename", "contentbasename":
		return fileName(p), false, true
	}
	return "", false, false
}

// fileName is a page's file name without its extension, or for a page
// bundle's index.md the bundle's folder name, as Hugo's :filename.
func fileName(p *Doc) string {
	base := path.Base(p.Source)
	base = strings.TrimSuffix(base, path.Ext(base))
	switch strings.ToLower(base) {
	case "index", "_index", "readme":
		return path.Base(path.Dir(p.Source))
	}
	return base
}

// urlize makes a title a URL segment as Hugo's urlize does: spaces become
// hyphens; letters, digits and . _ - + ~ are kept, anything else dropped.
func urlize(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case unicode.IsSpace(r):
			b.WriteByte('-')
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune("._-+~", r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// frontURLKeys are the front matter keys of other tools that set a page's
// URL, as written there: Hugo's url ("/2019/07/14/quickjs/"), Zola's path
// ("inside-rust/2024/10/01/x", from the root) and Jekyll's permalink.
var frontURLKeys = []string{"url", "path", "permalink"}

// hasFrontURL reports whether p's front matter sets its URL.
func hasFrontURL(p *Doc) bool {
	key, _ := frontURL(p)
	return key != ""
}

// frontURL returns the key and value of the front matter that sets p's
// URL, or "". A full URL (a link post's url: https://...) sets nothing.
func frontURL(p *Doc) (key, value string) {
	if len(p.Front.Params) == 0 {
		return "", ""
	}
	for _, k := range frontURLKeys {
		v, ok := p.Front.Params[k].(string)
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" || strings.Contains(v, "://") || strings.HasPrefix(v, "//") {
			continue
		}
		return k, v
	}
	return "", ""
}

// fixedURL makes the URL a page's front matter gives it: a path from the
// site's root, cleaned, with slashes at both ends; html reports one that
// names an HTML file (/about.html), which becomes an alias of the page. It
// returns why the value cannot be a URL on this site.
func fixedURL(v string) (u string, html bool, why string) {
	if strings.Contains(v, ":") {
		return "", false, "a pattern of Jekyll's tokens is not followed (site.yaml's permalinks takes Hugo's)"
	}
	if strings.ContainsAny(v, "?#\\\x00") {
		return "", false, "a URL of this site is a path, without ?, # or \\"
	}
	var segs []string
	for _, s := range strings.Split(v, "/") {
		switch s {
		case "", ".":
		case "..":
			return "", false, "it would leave the output folder"
		default:
			segs = append(segs, s)
		}
	}
	if len(segs) == 0 {
		return "", false, "it is the home page's URL"
	}
	last := strings.ToLower(segs[len(segs)-1])
	if !strings.HasSuffix(v, "/") && (strings.HasSuffix(last, ".html") || strings.HasSuffix(last, ".htm")) {
		if last == "index.html" || last == "index.htm" {
			segs = segs[:len(segs)-1]
			if len(segs) == 0 {
				return "", false, "it is the home page's URL"
			}
			return "/" + strings.Join(segs, "/") + "/", false, ""
		}
		if len(segs) == 1 && last == "404.html" {
			// Jekyll's not-found page; Steward writes its own.
			return "", false, "Steward writes the site's not-found page, 404.html, itself (layouts/404.html shapes it)"
		}
		return "/" + strings.Join(segs, "/"), true, ""
	}
	return "/" + strings.Join(segs, "/") + "/", false, ""
}
