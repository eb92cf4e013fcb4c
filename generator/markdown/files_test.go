package markdown

import (
	"strings"
	"testing"
)

// TestResolveFile converts an essay whose images and links name files
// beside it; the build's Asset answers for the files that exist.
func TestResolveFile(t *testing.T) {
	files := map[string]string{
		"content/posts/img/a.png":      "/posts/img/a.png",
		"content/posts/img/my pic.png": "/posts/img/my%20pic.png",
		"content/posts/img/a_b.png":    "/posts/img/a_b.png",
		"content/posts/files/talk.pdf": "/posts/files/talk.pdf",
		"content/shared/diagram.svg":   "/shared/diagram.svg",
		"static/img/logo.svg":          "/img/logo.svg",
	}
	opts := Options{Asset: func(source string) (string, bool) {
		u, ok := files[source]
		return u, ok
	}}
	tests := []struct {
		name, body string
		want       []string // substrings of the HTML
		files      []FileRef
		err        string
	}{
		{"relative image", "![a](img/a.png)", []string{`<img src="/posts/img/a.png" alt="a"`}, []FileRef{{"content/posts/img/a.png", "/posts/img/a.png"}}, ""},
		{"percent-encoded", "![a](img/my%20pic.png)", []string{`src="/posts/img/my%20pic.png"`}, nil, ""},
		{"in angle brackets", "![a](<img/my pic.png>)", []string{`src="/posts/img/my%20pic.png"`}, nil, ""},
		{"backslash escape", `![a](img/a\_b.png)`, []string{`src="/posts/img/a_b.png"`}, nil, ""},
		{"dot slash and up", "![a](./img/../../shared/diagram.svg)", []string{`src="/shared/diagram.svg"`}, nil, ""},
		{"into static", "![a](../../static/img/logo.svg)", []string{`src="/img/logo.svg"`}, nil, ""},
		{"link with fragment", "[t](files/talk.pdf#page=2)", []string{`<a href="/posts/files/talk.pdf#page=2">t</a>`}, nil, ""},
		{"link with query", "[t](files/talk.pdf?dl=1)", []string{`<a href="/posts/files/talk.pdf?dl=1">t</a>`}, nil, ""},
		{"link to no file is left", "[t](files/gone.pdf)", []string{`<a href="files/gone.pdf">t</a>`}, []FileRef{{"content/posts/files/gone.pdf", ""}}, ""},
		{"absolute and external untouched", "![a](/img/logo.svg) ![b](https://example.org/b.png) [c](#x) [d](mailto:a@b.c) [e](folder/)",
			[]string{`src="/img/logo.svg"`, `src="https://example.org/b.png"`, `href="#x"`, `href="mailto:a@b.c"`, `href="folder/"`}, nil, ""},
		{"from the content folder, as Zola writes it", "![a](@/shared/diagram.svg)", []string{`src="/shared/diagram.svg"`}, nil, ""},
		// Node.js's blog copied without its images, which the old
		// project keeps in public/static/images/blog/.
		{"image from the root, in static/", "![a](/img/logo.svg?v=2#x)", []string{`src="/img/logo.svg?v=2#x"`}, []FileRef{{"static/img/logo.svg", "/img/logo.svg"}}, ""},
		{"image from the root, beside the essays", "![a](/shared/diagram.svg)", []string{`src="/shared/diagram.svg"`},
			[]FileRef{{"static/shared/diagram.svg", ""}, {"content/shared/diagram.svg", "/shared/diagram.svg"}}, ""},
		{"image from the root, percent-encoded", "![a](/posts/img/my%20pic.png)", nil, nil, ""},
		{"image from another host", "![b](//cdn.example.org/x.png)", nil, nil, ""},
		{"image from the root in a template is warned of as such, once", "![a]({{ site.baseurl }}/img/x.png)", nil, nil,
			`content/posts/a.md:5:6: warning: Liquid output {{ site.baseurl }} is not supported by Steward; readers will see it as text. Write the address itself, from the site's root (/images/x.png)`},
		{"missing image from the root", "Text\n\n![grid](/static/images/blog/grid.png)", nil, nil,
			`content/posts/a.md:7:1: warning: image "/static/images/blog/grid.png": no file is published at /static/images/blog/grid.png (there is no static/static/images/blog/grid.png, nor content/static/images/blog/grid.png); copy the image there, or fix the path`},
		{"missing image", "Text\n\nand ![a map](img/map.png)", nil, nil,
			`content/posts/a.md:7:5: image "img/map.png": there is no file content/posts/img/map.png; fix the path (it is relative to content/posts/) or add the file`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(opts).Convert(Input{File: "content/posts/a.md", Root: "content", Body: []byte(tt.body), LineOffset: 4, Resolve: func(string) (string, bool) { return "", false }})
			if tt.err != "" {
				if len(r.Diags) != 1 || r.Diags[0].Error() != tt.err {
					t.Fatalf("diagnostics %v, want %s", r.Diags, tt.err)
				}
				return
			}
			if len(r.Diags) != 0 {
				t.Fatalf("diagnostics: %v", r.Diags)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(r.HTML), w) {
					t.Errorf("HTML lacks %s:\n%s", w, r.HTML)
				}
			}
			if tt.files != nil && (len(r.Files) != len(tt.files) || r.Files[0] != tt.files[0]) {
				t.Errorf("Files = %v, want %v", r.Files, tt.files)
			}
		})
	}
}

// TestRootImageInRawHTML: an <img> from the site's root in raw HTML that no
// published file answers is warned of as a Markdown image is (Node.js's
// blog writes <img src="/static/images/blog/...">).
func TestRootImageInRawHTML(t *testing.T) {
	opts := Options{Unsafe: true, Asset: func(string) (string, bool) { return "", false }}
	r := New(opts).Convert(Input{File: "content/posts/a.md", Root: "content", Body: []byte("<img src=\"/static/x.png\" alt=\"\">\n"), LineOffset: 4, Resolve: func(string) (string, bool) { return "", false }})
	want := `content/posts/a.md:5:6: warning: image "/static/x.png": no file is published at /static/x.png (there is no static/static/x.png, nor content/static/x.png); copy the image there, or fix the path`
	if len(r.Diags) != 1 || r.Diags[0].Error() != want {
		t.Errorf("diagnostics %v, want %s", r.Diags, want)
	}
}

// TestImageOutsideHint: an image whose relative path leaves the site's
// folder, written for an old page's deeper URL, is looked for where a
// browser would ask for it from the essay's URL; when that file is missing
// too, the error says where it looked.
func TestImageOutsideHint(t *testing.T) {
	opts := Options{Asset: func(source string) (string, bool) {
		if source == "static/images/a.png" {
			return "/images/a.png", true
		}
		return "", false
	}}
	resolve := func(s string) (string, bool) { return "/collusion/", s == "content/collusion.md" }
	r := New(opts).Convert(Input{File: "content/collusion.md", Root: "content", Body: []byte("![](../../../../images/a.png)\n\n![](../../../../images/b.png)\n"), Resolve: resolve})
	want := `content/collusion.md:3:1: image "../../../../images/b.png": it points outside the site's folder, and from the page's URL, /collusion/, a browser would ask for /images/b.png, which neither static/images/b.png nor content/images/b.png is; fix the path (it is relative to content/) or add the file`
	if len(r.Diags) != 1 || r.Diags[0].Error() != want {
		t.Fatalf("diagnostics %v\nwant %s", r.Diags, want)
	}
	if !strings.Contains(string(r.HTML), `src="/images/a.png"`) {
		t.Errorf("the image that is there is not found from the page's URL: %s", r.HTML)
	}
}
