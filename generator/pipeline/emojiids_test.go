package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// TestEmojiHeadingIDHint: a link written for the id Zola makes of a
// heading with an emoji (which Zola spells as words) says how to give the
// heading that id, whatever the style of ids in use; a heading without an
// emoji gets the usual hint.
func TestEmojiHeadingIDHint(t *testing.T) {
	for _, ids := range []string{"zola", "github", "github-ascii"} {
		dir := testsite.New(t, map[string]string{
			"site.yaml": "title: T\nmarkdown: {headingIDs: " + ids + "}\n",
			"content/report.md": "+++\ntitle = \"Midyear report\"\n+++\n\n" +
				"[Unsound](#i-unsound-issues-crab) [Async](#async-rust-initiatives-crab-woman-computer) [Other](#plain-issues-crab)\n\n" +
				"## I-unsound issues 🦀\n\n## 🦀 Async Rust initiatives 👩‍💻\n\n## Plain issues\n",
		})
		_, err := NewBuilder().Build(context.Background(), Options{Source: dir, Now: fixedClock})
		want := []string{
			`content/report.md:5:1: link to #i-unsound-issues-crab: content/report.md has no heading or anchor with that id; the heading "I-unsound issues 🦀" has an emoji, which Zola spells as words and Steward leaves out of the id (#i-unsound-issues`,
			`content/report.md:5:35: link to #async-rust-initiatives-crab-woman-computer: content/report.md has no heading or anchor with that id; the heading "🦀 Async Rust initiatives 👩‍💻" has an emoji`,
			`content/report.md:5:88: link to #plain-issues-crab: content/report.md has no heading or anchor with that id; did you mean #plain-issues?`,
		}
		got := diag.AsList(err)
		if len(got) != len(want) {
			t.Fatalf("%s: got %d diagnostics:\n%v\nwant %q", ids, len(got), got, want)
		}
		if end := "give the heading that id at its end: ## I-unsound issues 🦀 {#i-unsound-issues-crab}"; !strings.HasSuffix(got[0].Error(), end) {
			t.Errorf("%s: %s\ndoes not end with %s", ids, got[0].Error(), end)
		}
		for i, w := range want {
			if !strings.HasPrefix(got[i].Error(), w) {
				t.Errorf("%s: diagnostic %d:\n got: %s\nwant: %s...", ids, i, got[i].Error(), w)
			}
		}
	}
}
