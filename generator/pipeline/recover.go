package pipeline

import (
	"strings"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
)

// protect runs f, turning a panic into an error that names the file being
// processed. No input may crash a build or the dev server: a fault in
// goldmark, chroma, a template or Steward itself costs one positioned
// error, the build goes on collecting the others, and serve keeps the
// last good site. The packages below build do not recover on their own,
// so that fuzzing them still finds the fault.
func protect(file, doing string, f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			pos := diag.Pos{File: file}
			if strings.HasPrefix(file, content.Dir+"/") {
				pos.Line, pos.Col = 1, 1
			}
			err = diag.Errorf(pos, "internal error while %s: %v; please report it, with this file", doing, v)
		}
	}()
	return f()
}
