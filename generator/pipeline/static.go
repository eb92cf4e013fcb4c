package pipeline

import (
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/theme"
)

// staticFile is a static file as last read, reused while its stamp is
// unchanged if it was trusted when read (see content.Racy).
type staticFile struct {
	stamp content.Stamp
	// trusted is unset when the stamp was racy or the file changed while
	// it was read: it is read again next time.
	trusted bool
	data    []byte
}

// staticFiles copies the theme's static files, then the site's over them,
// then the files beside the essays (see copyBeside); none may replace a
// generated file (gen). It returns how many it copied.
func (g *generator) staticFiles(site fs.FS, gen map[string]bool) (int, diag.List) {
	var diags diag.List
	files := map[string][]byte{}
	fromSite := map[string]bool{}
	seen := map[string]staticFile{}
	taken := g.b.Racy.Time() // before any stat
	for n, fsys := range []fs.FS{theme.FS(), site} {
		_ = fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p != "static" {
					diags.Add(diag.Pos{File: p}, "cannot read: %v", err)
				}
				return nil
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			if !d.Type().IsRegular() {
				diags.Warn(diag.Pos{File: p}, "not a regular file (a link?); not copied")
				return nil
			}
			info, err := d.Info()
			if err != nil {
				return nil // vanished since listing
			}
			key := p
			if n == 0 {
				key = "theme:" + p
			}
			stamp, _ := content.StampOf(info)
			sf, ok := g.b.static[key]
			if !ok || !sf.trusted || sf.stamp != stamp {
				b, err := fs.ReadFile(fsys, p)
				if err != nil {
					diags.Add(diag.Pos{File: p}, "cannot read: %v", err)
					return nil
				}
				sf = staticFile{stamp: stamp, data: b, trusted: int64(len(b)) == stamp.Size && g.b.Racy.Trusted(stamp, taken)}
			}
			seen[key] = sf
			out := strings.TrimPrefix(p, "static/")
			if gen[out] {
				if n == 1 {
					diags.Add(diag.Pos{File: p}, "static file would replace the generated %s; rename it", out)
				}
				return nil
			}
			files[out] = sf.data
			fromSite[out] = n == 1
			return nil
		})
	}
	g.b.static = seen
	n, d := g.copyBeside(files, fromSite, gen)
	diags.Append(d)
	for _, p := range slices.Sorted(maps.Keys(files)) {
		g.put(p, files[p])
		n++
	}
	return n, diags
}
