package selfcheckext

import (
	"reflect"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/selfcheck"
)

// quiz is a valid self-check; its id is written as %s.
const quiz = "```selfcheck\nid: %s\nversion: 1\nkind: quiz\ntitle: Check\nitems:\n  - type: choice\n    text: Who is *it* <b>now</b>?\n    options:\n      - {text: A, correct: true}\n      - {text: B}\n```\n"

func withID(id string) string { return strings.Replace(quiz, "%s", id, 1) }

// convert converts body as content/essay.md, whose Markdown starts on the
// file's fifth line, with the extension composed as the build composes it.
func convert(t *testing.T, unsafe bool, body string) *markdown.Result {
	t.Helper()
	c := markdown.New(markdown.Options{Unsafe: unsafe, Extensions: []markdown.Extension{New(selfcheck.DefaultStrings())}})
	return c.Convert(markdown.Input{File: "content/essay.md", Body: []byte(body), LineOffset: 4, Root: "content", Resolve: func(string) (string, bool) { return "", false }})
}

// TestInline: the widget's texts are inline Markdown with the site's
// settings: raw HTML through when unsafe, escaped otherwise, and no
// heading ids or warnings leak from them.
func TestInline(t *testing.T) {
	for _, tt := range []struct {
		unsafe bool
		want   string
	}{
		{true, "Who is <em>it</em> <b>now</b>?"},
		{false, "Who is <em>it</em> &lt;b&gt;now&lt;/b&gt;?"},
	} {
		r := convert(t, tt.unsafe, withID("q"))
		if len(r.Diags) != 0 {
			t.Errorf("unsafe=%t: diagnostics %v", tt.unsafe, r.Diags)
		}
		if r.SelfChecks != 1 || !strings.Contains(string(r.HTML), tt.want) {
			t.Errorf("unsafe=%t: %d self-checks, widget lacks %q:\n%s", tt.unsafe, r.SelfChecks, tt.want, r.HTML)
		}
		if strings.Contains(string(r.HTML), "```") || strings.Contains(string(r.HTML), `data-lang="selfcheck"`) {
			t.Errorf("unsafe=%t: the fence is still in the page:\n%s", tt.unsafe, r.HTML)
		}
	}
}

// TestIndentedColumns: a self-check inside a list item or a quote reports
// columns of the file, not of its unindented lines.
func TestIndentedColumns(t *testing.T) {
	for _, tt := range []struct{ body, want string }{
		{"- item\n\n  ```selfcheck\n  id: [\n  ```\n", "content/essay.md:8:7:"},
		{"> ```selfcheck\n> id: [\n> ```\n", "content/essay.md:6:7:"},
		{"```selfcheck\nid: [\n```\n", "content/essay.md:6:5:"},
	} {
		r := convert(t, false, tt.body)
		if len(r.Diags) == 0 || !strings.HasPrefix(r.Diags[0].Error(), tt.want) {
			t.Errorf("%q: got %v, want a diagnostic at %s", tt.body, r.Diags, tt.want)
		}
	}
}

// TestPage: every widget of an essay is counted and rendered in its place;
// one before <!--more--> is part of the summary, one after is not; an id
// used twice on the page is an error at the second, naming the first.
func TestPage(t *testing.T) {
	body := "Intro.\n\n" + withID("a") + "\n<!--more-->\n\n" + withID("b") + "\n" + withID("a")
	r := convert(t, false, body)
	if r.SelfChecks != 3 {
		t.Errorf("SelfChecks = %d, want 3", r.SelfChecks)
	}
	if got, want := strings.Count(string(r.HTML), `<form class="selfcheck`), 3; got != want {
		t.Fatalf("the page holds %d widgets, want %d:\n%s", got, want, r.HTML)
	}
	if got, want := strings.Count(string(r.Summary), `<form class="selfcheck`), 1; got != want {
		t.Errorf("summary holds %d widgets, want %d:\n%s", got, want, r.Summary)
	}
	want := `content/essay.md:36:1: selfcheck: duplicate id "a": line 8 already uses it; give each self-check on a page its own id`
	if len(r.Diags) != 1 || r.Diags[0].Error() != want {
		t.Errorf("diagnostics %v, want %s", r.Diags, want)
	}
}

// TestTextFenceStaysCode: a fence written inside a widget's text is the
// text's code, not another widget, even when it holds a valid self-check:
// only an essay's own fences are self-checks.
func TestTextFenceStaysCode(t *testing.T) {
	inner := strings.ReplaceAll(withID("inner"), "```", "~~~")
	inner = "      " + strings.ReplaceAll(strings.TrimSuffix(inner, "\n"), "\n", "\n      ") + "\n"
	body := "```selfcheck\nid: q\nversion: 1\nkind: quiz\ntitle: Check\nitems:\n  - type: choice\n    text: |\n" + inner + "    options:\n      - {text: A, correct: true}\n      - {text: B}\n```\n"
	r := convert(t, false, body)
	if r.SelfChecks != 1 || len(r.Diags) != 0 {
		t.Fatalf("%d self-checks, diagnostics %v; want 1 and none", r.SelfChecks, r.Diags)
	}
	if !strings.Contains(string(r.HTML), `data-lang="selfcheck"`) || strings.Contains(string(r.HTML), `id="sc-inner"`) {
		t.Errorf("the text's fence should be shown as code:\n%s", r.HTML)
	}
}

// TestFingerprint: each of the widget's strings is part of the
// converter's fingerprint, which keys cached conversions.
func TestFingerprint(t *testing.T) {
	fp := func(s selfcheck.Strings) string {
		return markdown.Options{Extensions: []markdown.Extension{New(s)}}.Fingerprint()
	}
	base := selfcheck.DefaultStrings()
	if fp(base) == (markdown.Options{}).Fingerprint() {
		t.Errorf("the extension leaves the fingerprint as it was without it")
	}
	v := reflect.ValueOf(&base).Elem()
	for i := 0; i < v.NumField(); i++ {
		changed := base
		reflect.ValueOf(&changed).Elem().Field(i).SetString("changed")
		if fp(changed) == fp(base) {
			t.Errorf("changing Strings.%s leaves the fingerprint as it was", v.Type().Field(i).Name)
		}
	}
}
