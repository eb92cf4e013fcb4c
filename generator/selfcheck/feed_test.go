package selfcheck

import (
	"strings"
	"testing"
)

func TestFeedHTML(t *testing.T) {
	var widgets []string
	for _, name := range []string{"continuum", "quiz"} {
		h, err := mustBlock(t, name).Render(testInline, DefaultStrings())
		if err != nil {
			t.Fatal(err)
		}
		widgets = append(widgets, string(h))
	}
	page := "<p>Before.</p>\n" + widgets[0] + "\n<p>Between.</p>\n" + widgets[1] + "\n<p>After.</p>\n"
	got := string(FeedHTML([]byte(page), "https://example.org/essay/", DefaultStrings()))
	want := "<p>Before.</p>\n" +
		`<p class="selfcheck-feed">Self-check: Between the two models. <a href="https://example.org/essay/#sc-where-you-stand">Take it on the essay&#39;s page</a></p>` +
		"\n<p>Between.</p>\n" +
		`<p class="selfcheck-feed">Self-check: Check your reading. <a href="https://example.org/essay/#sc-models-quiz">Take it on the essay&#39;s page</a></p>` +
		"\n<p>After.</p>\n"
	if got != want {
		t.Errorf("feed HTML:\ngot  %s\nwant %s", got, want)
	}

	s := DefaultStrings()
	s.Feed = "Selbsttest <{title}>:"
	if got := string(FeedHTML([]byte(widgets[0]), "/e/", s)); !strings.HasPrefix(got, `<p class="selfcheck-feed">Selbsttest &lt;Between the two models&gt;:`) {
		t.Errorf("translated feed paragraph = %s", got)
	}
	for _, in := range []string{
		"<p>No self-check.</p>",
		`<form class="selfcheck sc-continuum" id="x">cut short`, // not ours, or truncated: left alone
	} {
		if got := string(FeedHTML([]byte(in), "/e/", DefaultStrings())); got != in {
			t.Errorf("FeedHTML(%q) = %q, want it unchanged", in, got)
		}
	}
}

func TestTextsAt(t *testing.T) {
	b := mustBlock(t, "quadrant")
	var links []string
	for _, tx := range b.TextsAt() {
		if tx.Result && strings.Contains(tx.Text, "](#") {
			links = append(links, tx.Pos.String())
		}
	}
	want := "testdata/quadrant.yaml:60:5 testdata/quadrant.yaml:66:5 testdata/quadrant.yaml:72:5 testdata/quadrant.yaml:78:5 testdata/quadrant.yaml:84:3"
	if got := strings.Join(links, " "); got != want {
		t.Errorf("positions of the result texts with links:\ngot  %s\nwant %s", got, want)
	}
	if n, m := len(b.TextsAt()), len(b.Texts()); n != m {
		t.Errorf("TextsAt gives %d texts, Texts %d", n, m)
	}
}
