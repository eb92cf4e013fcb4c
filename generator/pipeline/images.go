package pipeline

import (
	"encoding/xml"
	"image"
	_ "image/gif" // register the formats whose size pages can reserve
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/plan"
	"github.com/steward-ssg/steward/generator/theme"
)

// siteFiles answers markdown's ImageSize and Asset for one build: which
// files other than pages are published (under content/ and static/), at
// what URL, and the pixel size of images, reading only each image's
// header, once per build for static/ and once per file stamp for content/.
type siteFiles struct {
	fsys   fs.FS
	beside map[string]*besideFile // by source path (see listBeside)
	mu     sync.Mutex
	static map[string]imageSize // static/ images read this build
}

type imageSize struct {
	w, h int
	ok   bool
}

func newSiteFiles(fsys fs.FS, beside map[string]*besideFile) *siteFiles {
	return &siteFiles{fsys: fsys, beside: beside, static: map[string]imageSize{}}
}

// size returns the pixel size of the image at URL path src (unescaped):
// a file beside the essays, else one under static/.
func (s *siteFiles) size(src string) (int, int, bool) {
	p := path.Clean("/" + strings.TrimPrefix(src, "/"))
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.beside[content.Dir+p]; f != nil {
		if f.image == nil {
			v := readSize(s.fsys, content.Dir+p)
			f.image = &v
		}
		return f.image.w, f.image.h, f.image.ok
	}
	p = "static" + p
	v, ok := s.static[p]
	if !ok {
		v = readSize(s.fsys, p)
		s.static[p] = v
	}
	return v.w, v.h, v.ok
}

// readSize reads the size of a PNG, JPEG, GIF or SVG from its header.
func readSize(fsys fs.FS, p string) imageSize {
	var v imageSize
	f, err := fsys.Open(p)
	if err != nil {
		return v
	}
	defer f.Close()
	if strings.EqualFold(path.Ext(p), ".svg") {
		v.w, v.h, v.ok = svgSize(io.LimitReader(f, 64<<10))
	} else if cfg, _, err := image.DecodeConfig(f); err == nil {
		v = imageSize{cfg.Width, cfg.Height, true}
	}
	return v
}

// asset returns the URL of the published file at source, a path relative
// to the site: a file beside the essays, or one under static/ (the site's
// or the theme's).
func (s *siteFiles) asset(source string) (string, bool) {
	if _, ok := s.beside[source]; ok {
		if unpublishedByName(source) {
			// copyBeside leaves it out: a link to it would go nowhere.
			return "", false
		}
		return plan.EscapeURL("/" + besideOut(source)), true
	}
	rest, ok := strings.CutPrefix(source, "static/")
	if !ok || strings.HasPrefix(path.Base(rest), ".") {
		return "", false
	}
	for _, fsys := range []fs.FS{s.fsys, theme.FS()} {
		if info, err := fs.Stat(fsys, source); err == nil && info.Mode().IsRegular() {
			return plan.EscapeURL("/" + rest), true
		}
	}
	return "", false
}

// imagesStillHold reports whether a cached conversion still holds: every
// image size it wrote is still the image's size, and every file beside the
// essays that it referred to still resolves to the same URL.
func (s *siteFiles) imagesStillHold(r *markdown.Result) bool {
	for _, im := range r.Images {
		w, h, ok := s.size(im.Src)
		if !ok {
			w, h = 0, 0
		}
		if w != im.Width || h != im.Height {
			return false
		}
	}
	for _, f := range r.Files {
		if u, _ := s.asset(f.Source); u != f.URL {
			return false
		}
	}
	return true
}

// svgSize reads an SVG's size from its root element: width and height in
// pixels (or without a unit), else its viewBox. A size in other units, or
// none at all, is unknown, and the page then reserves no space for it.
func svgSize(r io.Reader) (int, int, bool) {
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err != nil {
			return 0, 0, false
		}
		el, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if el.Name.Local != "svg" {
			return 0, 0, false
		}
		var width, height, viewBox string
		for _, a := range el.Attr {
			switch a.Name.Local {
			case "width":
				width = a.Value
			case "height":
				height = a.Value
			case "viewBox":
				viewBox = a.Value
			}
		}
		w, okW := svgLength(width)
		h, okH := svgLength(height)
		if okW && okH {
			return w, h, true
		}
		f := strings.FieldsFunc(viewBox, func(r rune) bool { return r == ' ' || r == ',' || r == '\t' || r == '\n' })
		if len(f) == 4 {
			w, okW := svgLength(f[2])
			h, okH := svgLength(f[3])
			if okW && okH {
				return w, h, true
			}
		}
		return 0, 0, false
	}
}

// svgLength parses a positive length in pixels ("640", "640px", "12.5"),
// rounded to whole pixels.
func svgLength(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f <= 0 || f > 1e6 {
		return 0, false
	}
	return int(math.Round(f)), true
}
