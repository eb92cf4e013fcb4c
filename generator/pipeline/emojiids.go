package pipeline

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/steward-ssg/steward/generator/markdown"
)

// emojiIDHint explains a broken fragment written for a heading with an
// emoji as Zola makes its id: Zola spells the emoji as words (🦀 as
// "crab", so "I-unsound issues 🦀" is #i-unsound-issues-crab) where
// Steward drops it, whatever the style of ids. It is the fragment whose
// words hold the heading's id's words in order, and more; "" when no
// heading with an emoji is such.
func emojiIDHint(target *markdown.Result, frag string) string {
	fragWords := words(frag)
	for _, h := range target.Headings {
		if h.ID == "" || len(frag) <= len(h.ID) || !hasEmoji(h.Text) || !subsequence(words(h.ID), fragWords) {
			continue
		}
		return fmt.Sprintf("the heading \"%s\" has an emoji, which Zola spells as words and Steward leaves out of the id (#%s); if the link was written for Zola, give the heading that id at its end: %s %s {#%s}",
			h.Text, h.ID, strings.Repeat("#", h.Level), h.Text, frag)
	}
	return ""
}

// words are the words of an id, between its dashes: GitHub's ids keep a
// dash where an emoji was ("i-unsound-issues-").
func words(id string) []string {
	return strings.FieldsFunc(id, func(r rune) bool { return r == '-' })
}

// hasEmoji reports whether s holds a pictograph or another symbol that
// Zola's slugs spell as words.
func hasEmoji(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.So, r) {
			return true
		}
	}
	return false
}

// subsequence reports whether the words of sub appear in words in order.
func subsequence(sub, words []string) bool {
	i := 0
	for _, w := range words {
		if i < len(sub) && w == sub[i] {
			i++
		}
	}
	return i == len(sub)
}
