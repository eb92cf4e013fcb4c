package serve

import (
	"context"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/testsite"

	"github.com/steward-ssg/steward/generator/diag"
)

// fakeSite is a Site held in memory.
type fakeSite struct {
	files map[string][]byte
	urls  map[string]string
}

func (s *fakeSite) Paths() []string {
	var p []string
	for k := range s.files {
		p = append(p, k)
	}
	sort.Strings(p)
	return p
}
func (s *fakeSite) File(p string) ([]byte, bool) { b, ok := s.files[p]; return b, ok }
func (s *fakeSite) Warnings() diag.List          { return nil }
func (s *fakeSite) URLOf(src string) (string, bool) {
	u, ok := s.urls[src]
	return u, ok
}

// fakeBuild is a tiny stand-in for the build package, enough to exercise
// the server: content/*.md with front matter of "key: value" lines become
// slug/index.html, static/ is copied, and front matter it cannot read is a
// positioned error.
func fakeBuild(src string) BuildFunc {
	return func(ctx context.Context, _ []string) (Site, error) {
		s := &fakeSite{files: map[string][]byte{}, urls: map[string]string{}}
		var diags diag.List
		var list []string
		fsys := os.DirFS(src)
		mds, _ := fs.Glob(fsys, "content/*.md")
		for _, p := range mds {
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				diags.Add(diag.Pos{File: p}, "cannot read: %v", err)
				continue
			}
			lines := strings.Split(string(b), "\n")
			if lines[0] != "---" {
				diags.Add(diag.Pos{File: p, Line: 1, Col: 1}, "front matter must start with ---")
				continue
			}
			title, end := "", -1
			for i := 1; i < len(lines); i++ {
				if lines[i] == "---" {
					end = i
					break
				}
				k, v, ok := strings.Cut(lines[i], ":")
				if !ok {
					diags.Add(diag.Pos{File: p, Line: i + 1, Col: 1}, "front matter: expected key: value, found %q", lines[i])
					continue
				}
				if k == "title" {
					title = strings.TrimSpace(v)
				}
			}
			if end < 0 {
				diags.Add(diag.Pos{File: p, Line: len(lines), Col: 1}, "front matter is not closed by ---")
				continue
			}
			slug := strings.TrimSuffix(filepath.Base(p), ".md")
			body := strings.Join(lines[end+1:], "\n")
			s.files[slug+"/index.html"] = []byte(page(title, "<h1>"+html.EscapeString(title)+"</h1>\n<p id=\"body\">"+html.EscapeString(strings.TrimSpace(body))+"</p>\n"+
				strings.Repeat("<p>filler to scroll</p>\n", 80)))
			s.urls[p] = "/" + slug + "/"
			list = append(list, fmt.Sprintf("<li><a href=\"/%s/\">%s</a></li>", slug, html.EscapeString(title)))
		}
		if len(diags) > 0 {
			diags.Sort()
			return nil, diags
		}
		s.files["index.html"] = []byte(page("Home", "<ul>"+strings.Join(list, "")+"</ul>"))
		s.files["404.html"] = []byte(page("Not found", "<h1>Not found</h1>"))
		_ = fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := fs.ReadFile(fsys, p)
				s.files[strings.TrimPrefix(p, "static/")] = b
			}
			return nil
		})
		return s, nil
	}
}

func page(title, body string) string {
	return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + html.EscapeString(title) +
		"</title><link rel=\"stylesheet\" href=\"/css/steward.css\"></head>\n<body>\n" + body + "</body>\n</html>\n"
}
func essay(title, body string) string {
	return "---\ntitle: " + title + "\ndate: 2024-01-02\n---\n" + body + "\n"
}

func basicSite(t *testing.T) string {
	return testsite.New(t, map[string]string{
		"site.yaml":              "title: Test\n",
		"content/essay.md":       essay("First essay", "Original body."),
		"content/other.md":       essay("Other essay", "Other body."),
		"static/css/steward.css": "h1 { color: rgb(0, 0, 255); }\n",
		"static/img/dot.png":     "\x89PNG\r\n\x1a\n",
	})
}
