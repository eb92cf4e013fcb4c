package content

import (
	"reflect"
	"testing"
	"time"
)

// TestFormatFrontReadsBack: what FormatFront writes, Parse reads back as
// the same front matter, whatever the strings hold.
func TestFormatFrontReadsBack(t *testing.T) {
	zone := time.FixedZone("", -7*3600)
	tests := []FrontMatter{
		{Title: "Plain title"},
		{Title: "Hello: world # not a comment", Date: time.Date(2024, 3, 12, 0, 0, 0, 0, time.UTC), Draft: true},
		{Title: "yes", Summary: "null", Author: "true", Tags: []string{"no", "1984", "c++", "a, b", "[x]"}},
		{Title: "- a list?", Summary: "> quote", Description: "{ flow }", Slug: "café"},
		{Title: `"quoted" and 'single' and \back`, Summary: "line one\nline two\ttab"},
		{Title: "  spaces  ", Aliases: []string{"/p/old-post/", "/2019/05/04/hello/", "/?p=12"}},
		{Title: "Über Straße — 日本語 🦀", Date: time.Date(2008, 10, 18, 12, 0, 0, 0, zone), Lastmod: time.Date(2009, 1, 2, 3, 4, 5, 0, time.UTC)},
		{Title: "*emphasis* and `code`", Summary: "&anchor !tag %directive @at"},
		{Title: "1.5", Summary: "0x1F", Author: "~"},
	}
	for _, want := range tests {
		src := FormatFront(want)
		p, diags := Parse("content/x.md", append(src, "Body.\n"...))
		if p == nil || len(diags) > 0 {
			t.Errorf("FormatFront(%+v) =\n%s\nParse: %v", want, src, diags)
			continue
		}
		got := p.Front
		got.Params = nil
		if got.Title != want.Title && want.Title != "" {
			t.Errorf("title: got %q, want %q\n%s", got.Title, want.Title, src)
		}
		if !got.Date.Equal(want.Date) || !got.Lastmod.Equal(want.Lastmod) {
			t.Errorf("dates: got %v %v, want %v %v\n%s", got.Date, got.Lastmod, want.Date, want.Lastmod, src)
		}
		got.Date, got.Lastmod, want.Date, want.Lastmod = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got  %#v\nwant %#v\nfrom\n%s", got, want, src)
		}
	}
}
