package build

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

	"github.com/steward-ssg/steward/generator/markdown"
)

// imageSizes answers markdown's ImageSize for files under static/, reading
// only each image's header, once per build.
type imageSizes struct {
	fsys fs.FS
	mu   sync.Mutex
	m    map[string]imageSize
}

type imageSize struct {
	w, h int
	ok   bool
}

func newImageSizes(fsys fs.FS) *imageSizes { return &imageSizes{fsys: fsys, m: map[string]imageSize{}} }

// size returns the pixel size of the image at URL path src.
func (s *imageSizes) size(src string) (int, int, bool) {
	p := path.Clean("static/" + strings.TrimPrefix(src, "/"))
	if !strings.HasPrefix(p, "static/") {
		return 0, 0, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v, ok := s.m[p]; ok {
		return v.w, v.h, v.ok
	}
	var v imageSize
	if f, err := s.fsys.Open(p); err == nil {
		if strings.EqualFold(path.Ext(p), ".svg") {
			v.w, v.h, v.ok = svgSize(io.LimitReader(f, 64<<10))
		} else if cfg, _, err := image.DecodeConfig(f); err == nil {
			v = imageSize{cfg.Width, cfg.Height, true}
		}
		f.Close()
	}
	s.m[p] = v
	return v.w, v.h, v.ok
}

// imagesStillHold reports whether every image size a cached conversion
// wrote is still the image's size.
func (s *imageSizes) imagesStillHold(r *markdown.Result) bool {
	for _, im := range r.Images {
		w, h, ok := s.size(im.Src)
		if !ok || w != im.Width || h != im.Height {
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
