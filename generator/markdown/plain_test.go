package markdown

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// The fast paths of countWords, stripTags and collapseSpace must answer
// as the plain forms they replace: a rune loop over unicode's classes, a
// regular expression, strings.Fields.
func TestPlainFastPaths(t *testing.T) {
	refWords := func(b []byte) int {
		n, in := 0, false
		for _, r := range string(b) {
			if unicode.IsSpace(r) || r == '—' || r == '–' {
				in = false
				continue
			}
			if !in && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				n++
				in = true
			}
		}
		return n
	}
	tags := regexp.MustCompile(`<[^>]*>`)
	for _, s := range []string{
		"", " ", "a", "one two  three", "\tx\ny\vz\fw\rq", "don't stop—now–then", "Ünïcode wörds ٣٤ 中文",
		"x\u00a0y\u0085z\u2003w", "a-b_c.d", "\xff\xfe bad utf8 \xc3", "<p>Hello <em>world</em></p>", "a < b > c", "no close <tag",
		"<<>>", "<a href=\"x\">link</a> and <img alt=\"pic\">", "  lead and trail  ", "x <br>\n<br> y", "&amp; &lt;b&gt;",
		"123 4.5 ½ ⅓", "emoji 😀 here", "tab\t\tand\u3000ideographic",
	} {
		if got, want := countWords([]byte(s)), refWords([]byte(s)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", s, got, want)
		}
		if got, want := stripTags(s), tags.ReplaceAllString(s, ""); got != want {
			t.Errorf("stripTags(%q) = %q, want %q", s, got, want)
		}
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzPlainFastPaths(f *testing.F) {
	f.Add("<p>Hello <em>world</em>, don't—stop</p>\n\u00a0x")
	tags := regexp.MustCompile(`<[^>]*>`)
	f.Fuzz(func(t *testing.T, s string) {
		ref := 0
		in := false
		for _, r := range s {
			if unicode.IsSpace(r) || r == '—' || r == '–' {
				in = false
			} else if !in && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				ref++
				in = true
			}
		}
		if got := countWords([]byte(s)); got != ref {
			t.Errorf("countWords(%q) = %d, want %d", s, got, ref)
		}
		if got, want := stripTags(s), tags.ReplaceAllString(s, ""); got != want {
			t.Errorf("stripTags(%q) = %q, want %q", s, got, want)
		}
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}
