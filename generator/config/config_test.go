package config

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, src string
		want      string // the first diagnostic, or "" for none
	}{
		{"empty", "", ""},
		{"full", "title: T\nbaseURL: https://example.org/\npaginate: 5\nmenu:\n  - {label: About, url: /about/}\nmarkdown:\n  unsafe: true\n  highlight: {light: monokailight, dark: monokai}\nparams: {x: 1}\n", ""},
		{"typo", "title: T\ntitel: X\n", `site.yaml:2:1: unknown key "titel"; did you mean "title"?`},
		{"nested typo", "markdown:\n  unsafe: true\n  hilight: {}\n", `site.yaml:3:3: unknown key "hilight"; did you mean "highlight"?`},
		{"wrong type", "paginate: many\n", `site.yaml:1:11: "many" is not a valid whole number`},
		{"bad paginate", "paginate: 0\n", `site.yaml:1:1: paginate must be 1 or more, got 0`},
		{"bad base", "baseURL: example.org\n", `site.yaml:1:1: baseURL must be an absolute http or https URL such as https://example.org, got "example.org"`},
		{"bad style", "markdown:\n  highlight: {light: githb}\n", `site.yaml:2:15: unknown highlight style "githb"; did you mean "github"?`},
		{"heading ids", "markdown:\n  headingIDs: zola\n", ""},
		{"heading ids typo", "markdown:\n  headingIDs: Zolla\n", `site.yaml:2:3: markdown.headingIDs must be "github" (as GitHub and Hugo make ids), "github-ascii" (Hugo's, accents removed) or "zola" (as Zola makes them), got "Zolla"; did you mean "zola"?`},
		{"heading ids other", "markdown:\n  headingIDs: blackfriday\n", `site.yaml:2:3: markdown.headingIDs must be "github" (as GitHub and Hugo make ids), "github-ascii" (Hugo's, accents removed) or "zola" (as Zola makes them), got "blackfriday"`},
		{"menu", "menu:\n  - label: A\n", `site.yaml:2:5: menu item 1 needs both a label and a url`},
		{"syntax", "title: [x\n", `site.yaml:1:8: ...`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse([]byte(tt.src))
			if tt.want == "" {
				if len(diags) != 0 {
					t.Fatalf("got %v, want no diagnostics", diags)
				}
				return
			}
			if len(diags) == 0 {
				t.Fatalf("no diagnostics, want %s", tt.want)
			}
			if !sameMessage(diags[0].Error(), tt.want) {
				t.Fatalf("first diagnostic:\n got: %s\nwant: %s", diags[0].Error(), tt.want)
			}
		})
	}
}

func TestDefaultsAndMissing(t *testing.T) {
	c, diags := Load(fstest.MapFS{})
	if diags.HasErrors() || len(diags.Warnings()) != 1 {
		t.Fatalf("missing site.yaml: got %v, want one warning", diags)
	}
	if c.Paginate != 10 || c.Markdown.Highlight.Light == "" || !c.Markdown.Unsafe || c.Markdown.HeadingIDs != "github" {
		t.Errorf("defaults not applied: %+v", c)
	}
	c, _ = Parse([]byte("baseURL: https://x.org/\n"))
	if c.BaseURL != "https://x.org" || c.Paginate != 10 {
		t.Errorf("got %+v", c)
	}
}

// TestUnsafe: raw HTML passes by default; markdown.unsafe: false, the key
// sites already have, still turns it off.
func TestUnsafe(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{"title: T\n", true},
		{"markdown:\n  highlight: {light: github}\n", true},
		{"markdown:\n  unsafe: true\n", true},
		{"markdown:\n  unsafe: false\n", false},
	} {
		c, diags := Parse([]byte(tt.src))
		if len(diags) != 0 {
			t.Fatalf("%q: %v", tt.src, diags)
		}
		if c.Markdown.Unsafe != tt.want {
			t.Errorf("%q: unsafe = %t, want %t", tt.src, c.Markdown.Unsafe, tt.want)
		}
	}
}

// sameMessage reports whether got is the whole message want, or begins
// with want's beginning when want ends in "..." (for a message whose rest
// another library words, such as the YAML parser's).
func sameMessage(got, want string) bool {
	if begin, ok := strings.CutSuffix(want, "..."); ok {
		return strings.HasPrefix(got, begin)
	}
	return got == want
}
