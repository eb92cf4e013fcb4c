package markdown

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"

	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/diag"
)

// TestSlug holds each style's rule against the ids its generator gives for
// the same text: GitHub's, Hugo's github-ascii, and Zola's (the slug crate),
// except where noted.
func TestSlug(t *testing.T) {
	tests := []struct{ text, github, ascii, zola string }{
		{"C++ & Go", "c--go", "c--go", "c-go"},
		{"Café", "café", "cafe", "cafe"},
		{"1.2 Release", "12-release", "12-release", "1-2-release"},
		{"Contributors to 1.31.0", "contributors-to-1310", "contributors-to-1310", "contributors-to-1-31-0"},
		{"What's new?", "whats-new", "whats-new", "what-s-new"},
		{"-Zcheck-cfg", "-zcheck-cfg", "-zcheck-cfg", "zcheck-cfg"},
		{"snake_case & kebab-case", "snake_case--kebab-case", "snake_case--kebab-case", "snake-case-kebab-case"},
		{"ÉCOLE Über naïve", "école-über-naïve", "ecole-uber-naive", "ecole-uber-naive"},
		{"Straße, Øresund, Łódź, Æsir", "straße-øresund-łódź-æsir", "strae-resund-odz-sir", "strasse-oresund-lodz-aesir"},
		{"ﬁne ½ x²", "ﬁne--x", "ne--x", "fine-1-2-x2"},
		{"a/b (c) [d] {e} <f> \"g\" 'h' `i`", "ab-c-d-e-f-g-h-i", "ab-c-d-e-f-g-h-i", "a-b-c-d-e-f-g-h-i"},
		{"  spaced  ", "--spaced--", "spaced", "spaced"},
		{"Tab\there", "tabhere", "tabhere", "tab-here"},
		// Zola spells other scripts in Latin letters ("ellenika-ri-ben-yu")
		// and emoji by name ("ship-it-tada"); Steward keeps the letters and
		// drops the emoji.
		{"Ελληνικά 日本語", "ελληνικά-日本語", "-", "ελληνικά-日本語"},
		{"Ship it 🎉", "ship-it-", "ship-it-", "ship-it"},
		{"🎉 Party", "-party", "-party", "party"},
		{"🛠️ Tools 👩‍💻", "️-tools-", "-tools-", "tools"},
		{"", "", "", ""},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			name string
			slug func(string) string
			want string
		}{{"githubSlug", githubSlug, tt.github}, {"githubASCIISlug", githubASCIISlug, tt.ascii}, {"zolaSlug", zolaSlug, tt.zola}} {
			if got := c.slug(tt.text); got != c.want {
				t.Errorf("%s(%q) = %q, want %q", c.name, tt.text, got, c.want)
			}
		}
	}
}

// TestHeadingIDsPerDocument: ids repeat across essays converted by one
// Converter, concurrently: their "used" set is the document's own.
func TestHeadingIDsPerDocument(t *testing.T) {
	c := New(Options{})
	done := make(chan string)
	for range 8 {
		go func() {
			r := c.Convert(Input{File: "content/a.md", Body: []byte("## Same\n\n## Same\n"), Resolve: func(string) (string, bool) { return "", false }})
			var ids []string
			for _, h := range r.Headings {
				ids = append(ids, h.ID)
			}
			done <- strings.Join(ids, " ")
		}()
	}
	for range 8 {
		if got := <-done; got != "same same-1" {
			t.Errorf("ids = %q, want \"same same-1\" in every essay", got)
		}
	}
}

// TestFingerprintHasEveryOption: each option that changes the output
// changes the fingerprint that keys cached conversions.
func TestFingerprintHasEveryOption(t *testing.T) {
	base := Options{}
	changed := map[string]Options{
		"Unsafe":      {Unsafe: true},
		"BrokenLinks": {BrokenLinks: diag.Warning},
		"HeadingIDs":  {HeadingIDs: ZolaIDs},
	}
	changed["Extensions"] = Options{Extensions: []Extension{fakeExtension("a")}}
	if a, b := (Options{Extensions: []Extension{fakeExtension("a")}}).Fingerprint(), (Options{Extensions: []Extension{fakeExtension("b")}}).Fingerprint(); a == b {
		t.Errorf("two extensions' settings give one fingerprint %q", a)
	}
	// ImageSize's sizes are checked through Result.Images, Asset's
	// answers through Result.Files; Code changes nothing of the output.
	notOutput := map[string]bool{"ImageSize": true, "Asset": true, "Code": true}
	for _, f := range reflect.VisibleFields(reflect.TypeFor[Options]()) {
		if _, ok := changed[f.Name]; !ok && !notOutput[f.Name] {
			t.Errorf("Options.%s is not tested here: add it to Fingerprint and to this test", f.Name)
		}
	}
	for name, o := range changed {
		if o.Fingerprint() == base.Fingerprint() {
			t.Errorf("changing %s leaves the fingerprint as it was", name)
		}
	}
	if (Options{HeadingIDs: GitHubIDs}).Fingerprint() != base.Fingerprint() {
		t.Errorf("GitHub's heading ids, named or by default, have two fingerprints")
	}
	if !strings.HasPrefix(base.Fingerprint(), "r"+revision+"|") {
		t.Errorf("fingerprint %q does not name the conversion's revision", base.Fingerprint())
	}
}

// TestWarningsFold: warnings of one kind (a Hugo shortcode, whatever its
// name) fold together when printed; another kind stays apart.
func TestWarningsFold(t *testing.T) {
	r := convert(t, Options{}, "{{< a >}}\n\n{{< b >}}\n\n{{< c >}}\n\n{{< d >}}\n\n{{< e >}}\n\n{% include x %}\n")
	folded := r.Diags.Fold(3)
	var got []string
	for _, d := range folded {
		got = append(got, d.Error())
	}
	const shortcode = " is not supported by Steward; readers will see it as text. Replace it with Markdown, or remove it"
	want := []string{
		"content/essay.md:5:1: warning: Hugo shortcode {{< a >}}" + shortcode,
		"content/essay.md:7:1: warning: Hugo shortcode {{< b >}}" + shortcode,
		"content/essay.md:9:1: warning: Hugo shortcode {{< c >}}" + shortcode,
		"content/essay.md:15:1: warning: Liquid tag {% include %} is not supported by Steward; readers will see it as text. Paste the text it includes, or remove it",
		`warning: 2 more warnings like "Hugo shortcode {{< d >}} is not supported by Steward; readers will see it as te…", in 1 file`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("folded warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestHeadingIDStylesMatchConfig: every value site.yaml accepts for
// markdown.headingIDs is a style made here, and each gives its own ids.
func TestHeadingIDStylesMatchConfig(t *testing.T) {
	if got, want := config.HeadingIDStyles(), HeadingIDStyles(); !slices.Equal(got, want) {
		t.Fatalf("site.yaml accepts %v, the converter makes %v", got, want)
	}
	seen := map[string]string{}
	for _, style := range HeadingIDStyles() {
		r := convert(t, Options{HeadingIDs: style}, "## Über site_name 1.2\n")
		id := r.Headings[0].ID
		if other, ok := seen[id]; ok {
			t.Errorf("styles %s and %s both give #%s", style, other, id)
		}
		seen[id] = style
	}
}

// fakeExtension is an Extension that adds nothing but its fingerprint.
type fakeExtension string

func (fakeExtension) Extend(goldmark.Markdown)        {}
func (f fakeExtension) Fingerprint() string           { return string(f) }
func (fakeExtension) Collect(parser.Context, *Result) {}
