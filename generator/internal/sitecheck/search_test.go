package sitecheck

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestSearch searches the example site as a reader does, with real key
// events: from the header's field to the search page, results as one
// types (title, date, a snippet with the words marked) announced in the
// status line, arrow keys through the results, Escape to clear, a query
// without a match offering the tags, and the page without JavaScript.
func TestSearch(t *testing.T) {
	skipShort(t, "Chromium")
	browser(t)
	e := site(t)
	tb := openTab(t, 2*time.Minute)
	tb.emulate(t, mode{"light", 1280})

	// The header's field sends the query to the search page.
	tb.navigate(t, pageURL(e.srv.URL, "/two-leadership-models/"))
	if got := eval[int](t, tb, `document.querySelectorAll('script[src*="search."]').length`); got != 0 {
		t.Errorf("the essay page loads the search script")
	}
	tb.do(t, "searching from the header", clickCSS("#site-search-q"), chromedp.SendKeys(chromedp.CSS("#site-search-q"), "servant"+kb.Enter),
		waitVisibleCSS("#search-results li"))
	if got := eval[string](t, tb, `document.getElementById('search-q').value`); got != "servant" {
		t.Errorf("the search page's field holds %q, want the query", got)
	}
	status := eval[string](t, tb, `document.getElementById('search-status').textContent`)
	if !strings.Contains(status, "match “servant”") {
		t.Errorf("status %q", status)
	}
	first := eval[[]string](t, tb, `(() => { const li = document.querySelector('#search-results li');
	  return [li.querySelector('h2 a').textContent, li.querySelector('.meta') ? li.querySelector('.meta').textContent : '',
	    [...li.querySelectorAll('.snippet mark')].map(m => m.textContent).join(',')]; })()`)
	if first[0] != "Two Leadership Models" || first[1] == "" || !strings.Contains(strings.ToLower(first[2]), "servant") {
		t.Errorf("first result: title %q, date %q, marked %q", first[0], first[1], first[2])
	}

	// Typing a new query replaces the results; arrows move through them.
	tb.navigate(t, pageURL(e.srv.URL, "/search/"))
	tb.do(t, "typing", clickCSS("#search-q"), chromedp.SendKeys(chromedp.CSS("#search-q"), "lead"), waitVisibleCSS("#search-results li + li"))
	n := eval[int](t, tb, `document.querySelectorAll('#search-results li').length`)
	active := func() string {
		return eval[string](t, tb, `document.activeElement.id || (document.activeElement.closest('#search-results') ? 'result ' + [...document.querySelectorAll('#search-results a')].indexOf(document.activeElement) : document.activeElement.tagName)`)
	}
	tb.do(t, "ArrowDown", chromedp.KeyEvent(kb.ArrowDown))
	if got := active(); got != "result 0" {
		t.Errorf("ArrowDown from the field focuses %s, want the first result", got)
	}
	tb.do(t, "ArrowDown", chromedp.KeyEvent(kb.ArrowDown))
	if got := active(); got != "result 1" {
		t.Errorf("a second ArrowDown focuses %s, want the second result (of %d)", got, n)
	}
	tb.do(t, "ArrowUp twice", chromedp.KeyEvent(kb.ArrowUp), chromedp.KeyEvent(kb.ArrowUp))
	if got := active(); got != "search-q" {
		t.Errorf("ArrowUp from the first result focuses %s, want the field", got)
	}
	tb.do(t, "ArrowDown, Enter", chromedp.KeyEvent(kb.ArrowDown))
	href := eval[string](t, tb, `document.activeElement.href`)
	tb.do(t, "Enter", chromedp.KeyEvent(kb.Enter), chromedp.WaitReady(chromedp.CSS("article.essay")))
	if got := eval[string](t, tb, `location.href`); got != href {
		t.Errorf("Enter on a result opened %s, want %s", got, href)
	}
	tb.navigate(t, pageURL(e.srv.URL, "/search/?q=lead"))
	tb.do(t, "waiting for results", waitVisibleCSS("#search-results li"))
	tb.do(t, "Escape", clickCSS("#search-q"), chromedp.KeyEvent(kb.Escape))
	if got := eval[[]any](t, tb, `[document.getElementById('search-q').value, document.querySelectorAll('#search-results li').length, document.activeElement.id]`); got[0] != "" || got[1] != float64(0) || got[2] != "search-q" {
		t.Errorf("after Escape: value, results, focus = %v; want empty, none, the field", got)
	}

	// No match: said so, and the tags offered.
	tb.do(t, "typing a word no essay has", chromedp.SendKeys(chromedp.CSS("#search-q"), "zyzzyva"), waitVisibleCSS("#search-empty a"))
	if got := eval[string](t, tb, `document.getElementById('search-status').textContent`); !strings.HasPrefix(got, "No essays match “zyzzyva”.") {
		t.Errorf("status %q", got)
	}
	if eval[bool](t, tb, `!document.querySelector('[data-search-fallback].prose').hidden`) {
		t.Error("the no-JavaScript text shows while the script runs")
	}

	// Without JavaScript: the fallback, no form.
	nojs := openTab(t, time.Minute)
	nojs.do(t, "turning JavaScript off", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	nojs.do(t, "loading the search page", chromedp.Navigate(pageURL(e.srv.URL, "/search/?q=servant")), chromedp.WaitReady(chromedp.CSS("body")))
	got := eval[[]bool](t, nojs, `[document.querySelector('form[data-search]').hidden, !document.querySelector('[data-search-fallback].prose').hidden, !!document.querySelector('#search-empty a')]`)
	if !got[0] || !got[1] || !got[2] {
		t.Errorf("without JavaScript: form hidden %v, fallback shown %v, tags offered %v", got[0], got[1], got[2])
	}
}
