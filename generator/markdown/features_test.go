package markdown

import (
	"reflect"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
)

// TestSlug holds the id rule against GitHub's ids for the same headings.
func TestSlug(t *testing.T) {
	tests := []struct{ text, want string }{
		{"C++ & Go", "c--go"},
		{"Café", "café"},
		{"1.2 Release", "12-release"},
		{"Ship it 🎉", "ship-it-"},
		{"🎉 Party", "-party"},
		{"snake_case & kebab-case", "snake_case--kebab-case"},
		{"What's new?", "whats-new"},
		{"ÉCOLE Über", "école-über"},
		{"Ελληνικά 日本語", "ελληνικά-日本語"},
		{"a/b (c) [d] {e} <f> \"g\" 'h' `i`", "ab-c-d-e-f-g-h-i"},
		{"£5 — €6 – ¥7", "5--6--7"},
		{"Tab\there", "tabhere"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := slug(tt.text); got != tt.want {
			t.Errorf("slug(%q) = %q, want %q", tt.text, got, tt.want)
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

// TestSelfCheckInline: the widget's texts are inline Markdown with the
// site's settings: raw HTML through by default, escaped when unsafe is off,
// and no heading ids or warnings leak from them.
func TestSelfCheckInline(t *testing.T) {
	body := "```selfcheck\nid: q\nversion: 1\nkind: quiz\ntitle: Check\nitems:\n  - type: choice\n    text: Who is *it* <b>now</b>?\n    options:\n      - {text: A, correct: true}\n      - {text: B}\n```\n"
	for _, tt := range []struct {
		unsafe bool
		want   string
	}{
		{true, "Who is <em>it</em> <b>now</b>?"},
		{false, "Who is <em>it</em> &lt;b&gt;now&lt;/b&gt;?"},
	} {
		r := convert(t, Options{Unsafe: tt.unsafe}, body)
		if len(r.Diags) != 0 {
			t.Errorf("unsafe=%t: diagnostics %v", tt.unsafe, r.Diags)
		}
		if r.SelfChecks != 1 || !strings.Contains(string(r.HTML), tt.want) {
			t.Errorf("unsafe=%t: widget lacks %q:\n%s", tt.unsafe, tt.want, r.HTML)
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
	}
	s := base.SelfCheck
	s.Retry = "Again"
	changed["SelfCheck"] = Options{SelfCheck: s}
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
	if len(folded) != 5 || !strings.Contains(got[3], "Liquid tag {% include %}") || !strings.HasPrefix(got[4], "warning: 2 more warnings like \"Hugo shortcode {{< d >}}") {
		t.Errorf("folded warnings:\n%s", strings.Join(got, "\n"))
	}
}
