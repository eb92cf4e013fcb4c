package pipeline

import (
	"html/template"
	"strings"

	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/plan"
)

// aliases writes the redirect pages the essays and folders' indexes ask
// for (front matter aliases), and returns how many.
func (g *generator) aliases(site *plan.Site, essays []*essay) int {
	for _, a := range site.Aliases {
		to := layout.AbsURL(g.cfg.BaseURL, plan.EscapeURL(a.URL)) // a folder's list page
		if a.Essay >= 0 {
			to = essays[a.Essay].data.Permalink
		}
		g.put(a.Out, redirect(g.cfg.Language, to))
	}
	return len(site.Aliases)
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
