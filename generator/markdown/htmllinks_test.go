package markdown

import (
	"reflect"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
)

// TestHTMLLinksRecorded checks that links between essays written in raw
// HTML are recorded for the fragment check, with the attribute's
// position, and files beside the essay for the cache, as Markdown's are.
func TestHTMLLinksRecorded(t *testing.T) {
	body := "Intro.\n\n<p><a href=\"other.md#caf%C3%A9\">x</a>\n<a class=\"y\"\n   href=\"#here\">y</a></p>\n\n" +
		"Inline <img alt=\"a\" src=\"img/a.png\">.\n"
	opts := Options{Unsafe: true, Asset: func(s string) (string, bool) { return "/posts/img/a.png", s == "content/posts/img/a.png" }}
	r := New(opts).Convert(Input{File: "content/posts/a.md", Body: []byte(body), LineOffset: 3, Resolve: func(s string) (string, bool) {
		return "/other/", s == "content/posts/other.md"
	}})
	if len(r.Diags) != 0 {
		t.Fatalf("diagnostics: %v", r.Diags)
	}
	wantLinks := []Link{
		{Target: "content/posts/other.md", Fragment: "café", URL: "/other/", Pos: diag.Pos{File: "content/posts/a.md", Line: 6, Col: 7}},
		{Target: "content/posts/a.md", Fragment: "here", URL: "#here", Pos: diag.Pos{File: "content/posts/a.md", Line: 8, Col: 4}},
	}
	if !reflect.DeepEqual(r.Links, wantLinks) {
		t.Errorf("Links = %+v\nwant %+v", r.Links, wantLinks)
	}
	wantFiles := []FileRef{{Source: "content/posts/img/a.png", URL: "/posts/img/a.png"}}
	if !reflect.DeepEqual(r.Files, wantFiles) {
		t.Errorf("Files = %+v, want %+v", r.Files, wantFiles)
	}
}

// TestScanTags reads start tags as a browser does, however they are
// written, and never fails on a tag cut short.
func TestScanTags(t *testing.T) {
	tests := []struct {
		in   string
		want []string // tag:attr=value
	}{
		{`<a href="x">`, []string{"a:href=x"}},
		{`<IMG SRC='y' alt=z/>`, []string{"img:src=y", "img:alt=z/"}},
		{`<IMG SRC='y' alt=z />`, []string{"img/:src=y", "img/:alt=z"}},
		{`<Video src="a.mp4"/><div/><p hidden/>`, []string{"video/:src=a.mp4", "div/", "p/:hidden"}},
		{`<script src="a.js" /><a href="b">`, []string{"script/:src=a.js", "a:href=b"}},
		{`<a title="x href=y" href=z>`, []string{"a:title=x href=y", "a:href=z"}},
		{`<input disabled value = "v">`, []string{"input:disabled", "input:value=v"}},
		{`<!-- <a href="c"> --><b id=1>`, []string{"b:id=1"}},
		{`<style>a[href="s"] {}</style><i x=1>`, []string{"style", "i:x=1"}},
		{`<a href="open`, nil},
		{`<a href=`, nil},
		{`<a`, nil},
		{`<!--`, nil},
		{`<textarea><a href="t">`, []string{"textarea"}},
		{`a < b and c<d`, nil},
	}
	for _, tt := range tests {
		var got []string
		b := []byte(tt.in)
		scanTags(b, func(t htmlTag) {
			tag := t.name
			if t.slash >= 0 {
				tag += "/"
			}
			if len(t.attrs) == 0 {
				got = append(got, tag)
			}
			for _, a := range t.attrs {
				s := tag + ":" + a.name
				if a.valueStart >= 0 {
					s += "=" + string(b[a.valueStart:a.valueEnd])
				}
				got = append(got, s)
			}
		})
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("scanTags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
