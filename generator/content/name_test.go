package content

import (
	"strings"
	"testing"
)

// TestForeignMarkdown: Markdown that Steward does not read (MDX, Jekyll's
// other extensions) is named so the build can leave it out and say why;
// Markdown it reads, and files that are not Markdown, are not.
func TestForeignMarkdown(t *testing.T) {
	tests := []struct{ name, want string }{
		{"content/npm/peer-dependencies.mdx", "it is MDX"},
		{"content/migrations/V20-TO-V22.MDX", "it is MDX"},
		{"content/_posts/2010-01-01-old.mkd", "not .mkd "},
		{"content/notes/a.mdown", "not .mdown "},
		{"content/notes/a.mkdn", "not .mkdn "},
		{"content/a.md", ""},
		{"content/a.markdown", ""},
		{"content/a.png", ""},
		{"content/mdx", ""},
		{"content/a.mdx.png", ""},
	}
	for _, tt := range tests {
		got := ForeignMarkdown(tt.name)
		if tt.want == "" && got != "" || !strings.Contains(got, tt.want) || tt.want != "" && !strings.Contains(got, "rename it to .md") {
			t.Errorf("ForeignMarkdown(%q) = %q, want it to say %q and how to publish it", tt.name, got, tt.want)
		}
	}
}
