package markdown

import (
	"html/template"
	"testing"
)

func TestTitles(t *testing.T) {
	tests := []struct {
		in   string
		html template.HTML
		text string
	}{
		{"Two Leadership Models", "Two Leadership Models", "Two Leadership Models"},
		{"Don't -- \"quote\"", "Don&#39;t -- &#34;quote&#34;", "Don't -- \"quote\""},
		{"**Asset** policy", "<strong>Asset</strong> policy", "Asset policy"},
		{"Using `go test`", "Using <code>go test</code>", "Using go test"},
		{"Using `a<b>`", "Using <code>a&lt;b&gt;</code>", "Using a<b>"},
		{"~~Old~~ new", "<del>Old</del> new", "Old new"},
		{"See [the spec](https://example.org)", "See the spec", "See the spec"},
		{"Logo ![Steward](logo.png)", "Logo Steward", "Logo Steward"},
		{"Vec<T> in Rust", "Vec&lt;T&gt; in Rust", "Vec<T> in Rust"},
		{"Q&A &amp; more", "Q&amp;A &amp; more", "Q&A & more"},
		{`Escaped \*stars\*`, "Escaped *stars*", "Escaped *stars*"},
		{"1. First", "1. First", "1. First"},
		{"- Dash", "- Dash", "- Dash"},
		{"> Quoted", "&gt; Quoted", "> Quoted"},
		{"Issue #", "Issue #", "Issue #"},
		{"C# _and_ F#", "C# <em>and</em> F#", "C# and F#"},
		{"snake_case_name", "snake_case_name", "snake_case_name"},
		{"Auto <https://example.org>", "Auto https://example.org", "Auto https://example.org"},
		{"Two\nlines", "Two lines", "Two lines"},
		{"![](x.png)", "![](x.png)", "![](x.png)"},
		{"Title {#id}", "Title {#id}", "Title {#id}"},
		{"Note[^1]", "Note[^1]", "Note[^1]"},
	}
	titles := NewTitles()
	for _, tt := range tests {
		got := titles.Render(tt.in)
		if got.HTML != tt.html || got.Text != tt.text {
			t.Errorf("Render(%q) = %q, %q; want %q, %q", tt.in, got.HTML, got.Text, tt.html, tt.text)
		}
	}
}
