package sitecheck

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// axeRun runs axe-core at WCAG 2.1 A and AA over the whole document and
// returns the violations, each with the nodes that fail it.
const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String), summary: n.failureSummary || '', html: n.html}))})))`

// violation is one axe-core rule that the page fails.
type violation struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []struct {
		Target  []string
		Summary string
		HTML    string
	}
}

func (v violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n\t%s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t- %s\n\t  %s\n\t  %s", strings.Join(n.Target, " "),
			strings.ReplaceAll(strings.TrimSpace(n.Summary), "\n", "\n\t  "), n.HTML)
	}
	return b.String()
}

// pageState is a page of the site in one state: loaded, then prepared by
// what a reader does (answering a self-check, say).
type pageState struct {
	name    string
	paged   bool   // on the site built with paginate: 2
	path    string // URL path
	prepare func(t *testing.T, tb *tab)
}

// axeStates are the pages and states that must have no violations.
func axeStates() []pageState {
	return []pageState{
		{name: "home", path: "/"},
		{name: "home-page-2", paged: true, path: "/page/2/"},
		{name: "essay-toc-code-footnotes", path: "/two-leadership-models/"},
		{name: "essay-with-code", path: "/delegation-checklist/"},
		{name: "continuum-answered", path: "/two-leadership-models/", prepare: answer("#sc-where-you-stand", "", ".sc-result .sc-rt")},
		{name: "quiz-failed", path: "/delegation-checklist/", prepare: answer("#sc-delegation-quiz", "Not yet", ".sc-result .sc-rt")},
		{name: "quadrant", path: "/the-time-test/"},
		{name: "quadrant-answered", path: "/the-time-test/", prepare: answer("#sc-time-test-map", "The lone expert", ".sc-result .sc-rt")},
		{name: "quadrant-unanswered-submit", path: "/the-time-test/", prepare: submitEmpty("#sc-time-test-map")},
		{name: "continuum-shared", path: "/two-leadership-models/#sc.where-you-stand.1.c.6.3.033140-", prepare: waitFor("#sc-where-you-stand .sc-shared")},
		{name: "quadrant-shared-answered", path: "/the-time-test/#sc.time-test-map.1.q.4_-3.2", prepare: func(t *testing.T, tb *tab) {
			waitFor("#sc-time-test-map .sc-shared")(t, tb)
			answer("#sc-time-test-map", "Someone shared this result", ".sc-result .sc-rt")(t, tb)
		}},
		{name: "continuum-team", path: "/two-leadership-models/#team", prepare: team("#sc-where-you-stand", "#sc.where-you-stand.1.c.6.3", "#sc.where-you-stand.1.c.-12.0")},
		{name: "quadrant-team", path: "/the-time-test/#team", prepare: team("#sc-time-test-map", "#sc.time-test-map.1.q.4_-3.2", "#sc.time-test-map.1.q.0_0.4")},
		{name: "section", path: "/notes/"},
		{name: "essay-in-section", path: "/notes/on-one-on-ones/"},
		{name: "tags", path: "/tags/"},
		{name: "tag", path: "/tags/leadership/"},
		{name: "404", path: "/404.html"},
		{name: "series", path: "/series/serving-the-team/"},
		{name: "search", path: "/search/"},
		{name: "search-results", path: "/search/?q=leadership", prepare: waitFor("#search-results li mark")},
		{name: "search-no-match", path: "/search/?q=zyzzyva", prepare: waitFor("#search-empty a")},
	}
}

// answer fills the self-check form with real input (a click on the first
// option of every question, text typed into every text box), submits it
// and waits for the result, which must contain want.
func answer(form, want, result string) func(t *testing.T, tb *tab) {
	return func(t *testing.T, tb *tab) {
		t.Helper()
		sels := eval[[]string](t, tb, `[...document.querySelectorAll(`+js(form+" fieldset")+`)].map(f => {
			const i = f.querySelector('input, textarea');
			return i ? '#' + CSS.escape(i.id) : '';
		}).filter(Boolean)`)
		if len(sels) == 0 {
			t.Fatalf("no questions in %s", form)
		}
		for _, sel := range sels {
			if strings.Contains(eval[string](t, tb, `document.querySelector(`+js(sel)+`).tagName`), "TEXTAREA") {
				tb.do(t, "typing in "+sel, clickCSS(sel), sendKeysCSS(sel, "A decision about the release date."))
			} else {
				tb.do(t, "clicking "+sel, clickCSS(sel))
			}
		}
		tb.do(t, "submitting "+form, clickCSS(form+` button[type="submit"]`), waitVisibleCSS(form+" "+result))
		got := eval[string](t, tb, `document.querySelector(`+js(form+" .sc-result")+`).textContent`)
		if !strings.Contains(got, want) {
			t.Fatalf("after submitting %s the result reads %q; want it to contain %q", form, got, want)
		}
	}
}

// waitFor waits until sel is visible.
func waitFor(sel string) func(t *testing.T, tb *tab) {
	return func(t *testing.T, tb *tab) {
		t.Helper()
		tb.do(t, "waiting for "+sel, waitVisibleCSS(sel))
	}
}

// submitEmpty submits the form unanswered: the warning and the marks on
// the questions still to answer.
func submitEmpty(form string) func(t *testing.T, tb *tab) {
	return func(t *testing.T, tb *tab) {
		t.Helper()
		tb.do(t, "submitting "+form, clickCSS(form+` button[type="submit"]`), waitVisibleCSS(form+" .sc-warn"))
	}
}

// team pastes the links (fragments of the page) into the team view.
func team(form string, frags ...string) func(t *testing.T, tb *tab) {
	return func(t *testing.T, tb *tab) {
		t.Helper()
		area := form + " .sc-team textarea"
		tb.do(t, "pasting links", waitVisibleCSS(area), sendKeysCSS(area, strings.Join(frags, " ")), clickCSS(form+" .sc-team button"), waitVisibleCSS(form+" .sc-team ol li"))
		if n := eval[int](t, tb, `document.querySelectorAll(`+js(form+" .sc-team ol li")+`).length`); n != len(frags) {
			t.Fatalf("the team view holds %d results, want %d", n, len(frags))
		}
	}
}

// TestAccessibility runs axe-core on every kind of page, in light and dark,
// at 375 and 1280 px wide: every WCAG 2.1 A and AA rule must pass.
func TestAccessibility(t *testing.T) {
	skipShort(t, "Chromium")
	needFile(t, axeJS)
	browser(t)
	e := site(t)
	axe, err := os.ReadFile(axeJS)
	if err != nil {
		t.Fatal(err)
	}
	var runs, failed atomic.Int64
	t.Run("pages", func(t *testing.T) {
		for _, st := range axeStates() {
			t.Run(st.name, func(t *testing.T) {
				t.Parallel()
				tb := openTab(t, 2*time.Minute)
				root := e.srv.URL
				if st.paged {
					root = e.pagedSrv.URL
				}
				tb.emulate(t, mode{"light", 1280})
				tb.navigate(t, pageURL(root, st.path))
				if st.prepare != nil {
					st.prepare(t, tb)
				}
				eval[bool](t, tb, string(axe)+"\n;true")
				for _, m := range modes(375, 1280) {
					tb.emulate(t, m)
					vs := eval[[]violation](t, tb, axeRun)
					runs.Add(1)
					if len(vs) > 0 {
						failed.Add(1)
					}
					for _, v := range vs {
						t.Errorf("%s %s at %s: %s", st.name, st.path, m, v)
					}
				}
			})
		}
	})
	t.Logf("axe-core %s: %d pages × %d modes (light, dark × 375, 1280 px): %d runs, %d with violations",
		axeVersion(string(axe)), len(axeStates()), 4, runs.Load(), failed.Load())
}

// axeVersion reads axe-core's version from its source.
func axeVersion(src string) string {
	if i := strings.Index(src, "axe v"); i >= 0 {
		if j := strings.IndexAny(src[i:], " \n*"); j > 0 {
			rest := src[i+4:]
			if k := strings.IndexAny(rest, " \n*"); k > 0 {
				return rest[:k]
			}
		}
	}
	return "(unknown version)"
}
