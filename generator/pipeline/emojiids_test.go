package pipeline

import (
	"context"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestEmojiHeadingIDHint: a link written for the id Zola makes of a
// heading with an emoji (which Zola spells as words) says how to give the
// heading that id, whatever the style of ids in use; a heading without an
// emoji gets the usual hint.
func TestEmojiHeadingIDHint(t *testing.T) {
	for _, tt := range []struct {
		ids string
		// Steward's ids of the two headings with emoji: GitHub's keep a
		// hyphen where the emoji was.
		unsound, async string
	}{
		{"zola", "i-unsound-issues", "async-rust-initiatives"},
		{"github", "i-unsound-issues-", "-async-rust-initiatives-"},
		{"github-ascii", "i-unsound-issues-", "-async-rust-initiatives-"},
	} {
		ids := tt.ids
		dir := testsite.New(t, map[string]string{
			"site.yaml": "title: T\nmarkdown: {headingIDs: " + ids + "}\n",
			"content/report.md": "+++\ntitle = \"Midyear report\"\n+++\n\n" +
				"[Unsound](#i-unsound-issues-crab) [Async](#async-rust-initiatives-crab-woman-computer) [Other](#plain-issues-crab)\n\n" +
				"## I-unsound issues 🦀\n\n## 🦀 Async Rust initiatives 👩‍💻\n\n## Plain issues\n",
		})
		_, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
		want := []string{
			`content/report.md:5:1: link to #i-unsound-issues-crab: content/report.md has no heading or anchor with that id; the heading "I-unsound issues 🦀" has an emoji, which Zola spells as words and Steward leaves out of the id (#` + tt.unsound + `); if the link was written for Zola, give the heading that id at its end: ## I-unsound issues 🦀 {#i-unsound-issues-crab}`,
			`content/report.md:5:35: link to #async-rust-initiatives-crab-woman-computer: content/report.md has no heading or anchor with that id; the heading "🦀 Async Rust initiatives 👩‍💻" has an emoji, which Zola spells as words and Steward leaves out of the id (#` + tt.async + `); if the link was written for Zola, give the heading that id at its end: ## 🦀 Async Rust initiatives 👩‍💻 {#async-rust-initiatives-crab-woman-computer}`,
			`content/report.md:5:88: link to #plain-issues-crab: content/report.md has no heading or anchor with that id; did you mean #plain-issues?`,
		}
		wantDiags(t, diag.AsList(err), want)
	}
}
