package pipeline

import (
	"bytes"
	"context"
	"net/url"
	"path"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/steward-ssg/steward/generator/card"
	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/layout"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/plan"
)

// Every essay without an image of its own in front matter gets a social
// card, written beside its page as card.png. A card's fingerprint is its drawing's key (title, site,
// author, date, font, Steward's card version), so a build whose output
// still holds it draws none.

// essayImage returns the absolute URL of essay p's own image (front
// matter image), as link previews need it: a full URL as written; a path
// from the site's root, a file in static/ or beside the essays; a path
// relative to the essay's folder under content/, as an image in its text
// is, or else to static/, as Hugo's themes take it. A path that names no published file is reported at the value, with
// the severity of a broken image in the text (site.yaml's links.broken),
// and then used as written.
func (g *generator) essayImage(p *content.Doc) (string, *diag.Diagnostic) {
	img, base := p.Front.Image, g.cfg.BaseURL
	missing := func(format string, args ...any) *diag.Diagnostic {
		return diag.New(p.Front.ImagePos, g.cfg.Links.BrokenSeverity(), "front matter: image %q: "+format, append([]any{img}, args...)...)
	}
	switch {
	case img == "":
		return "", nil
	case strings.Contains(img, "://"):
		return img, nil
	case strings.HasPrefix(img, "//"): // the site's scheme
		scheme, _, _ := strings.Cut(base, "//")
		return scheme + img, nil
	case strings.HasPrefix(img, "/"):
		target, suffix := img, ""
		if i := strings.IndexAny(img, "?#"); i >= 0 {
			target, suffix = img[:i], img[i:]
		}
		if t, err := url.PathUnescape(target); err == nil {
			target = path.Clean(t)
		}
		for _, source := range []string{"static" + target, content.Dir + target} {
			if u, ok := g.images.asset(source); ok {
				return layout.AbsURL(base, u+suffix), nil
			}
		}
		return layout.AbsURL(base, plan.EscapeURL(img)), missing("there is no file static%s, nor %s%s beside the essays; fix the path (one starting with / is from static/ or content/) or add the file", target, content.Dir, target)
	}
	dir := path.Dir(p.Source)
	asWritten := layout.AbsURL(base, plan.EscapeURL(path.Join("/", strings.TrimPrefix(dir, content.Dir), img)))
	target, suffix, ok := markdown.RelativeFile(img)
	if !ok {
		return asWritten, missing("not the path of a file; give an image beside the essay (cover.png), one in static/ (/images/cover.png) or a full URL")
	}
	source := path.Clean(path.Join(dir, target))
	if u, ok := g.images.asset(source); ok {
		return layout.AbsURL(base, u+suffix), nil
	}
	// Hugo's themes take such a path from the site's root, as a file
	// in static/: an imported site's images are there.
	if t := path.Clean(target); t != ".." && !strings.HasPrefix(t, "../") {
		if u, ok := g.images.asset("static/" + t); ok {
			return layout.AbsURL(base, u+suffix), nil
		}
	}
	return asWritten, missing("%s; fix the path (it is relative to %s, or else to static/) or add the file", markdown.WhyMissing(source), dir+"/")
}

// essayImages reports the essays' own images that name no published
// file (see essayImage).
func (g *generator) essayImages(site *plan.Site) diag.List {
	var diags diag.List
	for _, p := range site.Essays {
		if _, d := g.essayImage(p); d != nil {
			diags = append(diags, d)
		}
	}
	return diags
}

// cardPath is the output path of an essay's card.
func cardPath(e *layout.Essay) string {
	return strings.TrimSuffix(plan.OutPath(e.URL), "index.html") + "card.png"
}

// essayCards draws and writes the cards of the essays whose conversion
// found no errors, on all cores, once the essays are converted. Drawn one
// after another, cards find the rows of their glyphs in the processor's
// caches: drawn as each essay was converted, between conversions that
// pushed them out, a card took half as long again.
func (g *generator) essayCards(ctx context.Context, essays []*essay) diag.List {
	if g.cards == nil {
		return nil
	}
	var mu sync.Mutex // guards diags
	var diags diag.List
	var next atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(essays) {
					return
				}
				e := essays[i]
				if e.result == nil || e.result.Diags.HasErrors() {
					continue
				}
				if err := protect(e.doc.Source, "drawing its social card", func() error { return g.essayCard(e) }); err != nil {
					mu.Lock()
					diags = append(diags, diag.AsList(err)...)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return diags
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
	_, err := g.cards.DrawTo(in, func(data []byte) error {
		if g.out.keeps() {
			data = bytes.Clone(data)
		}
		return g.out.write(p, data, fp)
	})
	if err == nil {
		g.drawn.Add(1)
	}
	return err
}
