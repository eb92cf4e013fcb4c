package pipeline

import (
	"path"
	"strings"

	"github.com/steward-ssg/steward/generator/card"
	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/plan"
)

// Every essay without an image of its own in front matter gets a social
// card, drawn by the worker that filled it and written beside its page as
// card.png. A card's fingerprint is its drawing's key (title, site,
// author, date, font, Steward's card version), so a build whose output
// still holds it draws none.

// imageURL is the absolute URL of an essay's own image (front matter
// image): a full URL as written, a site path joined to the base URL, and
// a relative path resolved from the essay's folder under content/, as the
// files beside essays are published.
func imageURL(baseURL string, p *content.Page) string {
	img := p.Front.Image
	switch {
	case img == "":
		return ""
	case strings.Contains(img, "://"):
		return img
	case strings.HasPrefix(img, "/"):
		return layout.AbsURL(baseURL, plan.EscapeURL(img))
	}
	dir := path.Dir(strings.TrimPrefix(p.Source, content.Dir+"/"))
	if dir == "." {
		dir = ""
	}
	return layout.AbsURL(baseURL, plan.EscapeURL(path.Join("/", dir, img)))
}

// cardPath is the output path of an essay's card.
func cardPath(e *layout.Essay) string {
	return strings.TrimSuffix(plan.OutPath(e.URL), "index.html") + "card.png"
}

// essayCard draws and writes essay e's card, unless it has an image of
// its own or the output holds its card already.
func (g *generator) essayCard(e *essay) error {
	d := e.data
	if !d.Card || g.cards == nil {
		return nil
	}
	in := card.Input{Title: d.Title, Site: g.cfg.Title, Author: d.Author.Name}
	if in.Author == "" {
		in.Author = g.cfg.Author.Name
	}
	if !d.Date.IsZero() {
		in.Date = d.Date.Format("January 2, 2006")
	}
	p, fp := cardPath(d), g.cards.Key(in)
	if g.out.reuse(p, fp) {
		return nil
	}
	data, _, err := g.cards.Draw(in)
	if err != nil {
		return err
	}
	g.drawn.Add(1)
	return g.out.write(p, data, fp)
}
