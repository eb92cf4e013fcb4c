package build

import (
	"image"
	_ "image/gif" // register the formats whose size pages can reserve
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"path"
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
		if cfg, _, err := image.DecodeConfig(f); err == nil {
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
