package selfcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"sync"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/chromedp/chromedp/kb"
	"github.com/steward-ssg/steward/generator/internal/browsertest"
)

// newBrowser starts a fresh headless Chromium, or skips the test when there
// is none (but fails when CI is set). Uncaught script errors fail the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	browsertest.Require(t)
	opts := browsertest.Options(t.TempDir(), chromedp.WindowSize(1000, 1400))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	// The first call starts the browser, which lives as long as its
	// context: so no timeout on that one, only on what follows.
	if err := chromedp.Do(ctx); err != nil {
		cancelC()
		cancelA()
		t.Fatalf("starting %s: %v", browsertest.Chromium, err)
	}
	tctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	var mu sync.Mutex
	var thrown []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			thrown = append(thrown, fmt.Sprintf("%s:%d: %s", d.URL, d.LineNumber, msg))
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		mu.Lock()
		for _, e := range thrown {
			t.Errorf("uncaught script error: %s", e)
		}
		mu.Unlock()
		cancelT()
		cancelC()
		cancelA()
	})
	return tctx
}

// servePage writes a page holding the rendered test blocks and the assets
// to a temporary folder and serves it on 127.0.0.1, returning its URL.
func servePage(t *testing.T, blocks ...string) string {
	t.Helper()
	dir := t.TempDir()
	var body strings.Builder
	for _, name := range blocks {
		h, err := mustBlock(t, name).Render(testInline, DefaultStrings())
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&body, "<h2>%s</h2>\n%s\n", name, h)
	}
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Self-check</title>
<link rel="stylesheet" href="/selfcheck.css"><script type="module" src="/selfcheck.js"></script></head>
<body><main>` + body.String() + `</main></body></html>`
	for name, b := range map[string][]byte{"index.html": []byte(page), "selfcheck.js": JS(), "selfcheck.css": CSS()} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// tabTo presses Tab until the focused element matches sel.
func tabTo(sel string) action {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for range 80 {
			ok, err := chromedp.Evaluate[bool](fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%s)`, js(sel)))(ctx, tg)
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
			if _, err := chromedp.KeyEvent(kb.Tab)(ctx, tg); err != nil {
				return err
			}
		}
		return fmt.Errorf("tabbing never reached %s", sel)
	})
}

// keys presses keys one after another.
func keys(ks ...string) action {
	var as []action
	for _, k := range ks {
		as = append(as, chromedp.KeyEvent(k))
	}
	return chromedp.Steps(as...)
}

// action is a chromedp step without a value.
type action = chromedp.Action[chromedp.Void]

// visible waits for the CSS selector sel to match a visible element.
func visible(sel string) action { return chromedp.WaitVisible(chromedp.CSS(sel)) }

// do evaluates a script for its effect.
func do(expr string) action { return chromedp.Evaluate[chromedp.Void](expr) }

// repeat returns k n times.
func repeat(k string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = k
	}
	return out
}

// choose answers a radio group by keyboard: Tab into it, then Space on
// the first option (an unanswered group takes focus there) and arrow
// right to option index j, which checks it. An answered group takes focus
// on its checked option, so only arrows are needed.
func choose(form string, item, j int, answered int) action {
	group := fmt.Sprintf(`#%s [name="%s-%d"]`, form, form, item)
	if answered >= 0 {
		return chromedp.Steps(tabTo(group), keys(repeat(kb.ArrowRight, j-answered)...))
	}
	return chromedp.Steps(tabTo(group), keys(" "), keys(repeat(kb.ArrowRight, j)...))
}

// shot saves a screenshot of the element sel as <name>.png in the folder
// named by STEWARD_SCREENSHOTS, when it is set, for a person to look at.
func shot(t *testing.T, ctx context.Context, name, sel string) {
	t.Helper()
	dir := os.Getenv("STEWARD_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("screenshot of %s: %v", sel, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, ctx context.Context, what string, as ...action) {
	t.Helper()
	if err := chromedp.Do(ctx, as...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func TestBrowser(t *testing.T) {
	ctx := newBrowser(t)
	url := servePage(t, "continuum", "quiz")
	t.Run("continuum", func(t *testing.T) { continuumScenario(t, ctx, url, "sc-where-you-stand") })
	t.Run("quiz", func(t *testing.T) { quizScenario(t, ctx, url, "sc-models-quiz") })
	t.Run("no network", func(t *testing.T) {
		got := browsertest.Eval[[]string](t, ctx, `performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)`)
		for _, p := range got {
			if p != "/selfcheck.js" && p != "/selfcheck.css" {
				t.Errorf("the page fetched %s", p)
			}
		}
	})
}

// continuumScenario answers the testdata continuum (testdata/continuum.yaml,
// which the example essay also carries) by keyboard on the page at url,
// whose form has the id form: the lead may point it at the built site.
func continuumScenario(t *testing.T, ctx context.Context, url, form string) {
	f := "#" + form
	run(t, ctx, "loading "+url, chromedp.Navigate(url), visible(f+" .sc-actions button"),
		do(`localStorage.clear(); window.events = []; document.addEventListener('selfcheck:complete', e => events.push(e.detail))`))
	// Answers: +2, +1, +2, +1, +2, -2 = 6 of 12: 50% toward Servant.
	run(t, ctx, "answering by keyboard",
		choose(form, 1, 0, -1), choose(form, 2, 3, -1), choose(form, 3, 3, -1),
		choose(form, 4, 1, -1), choose(form, 5, 4, -1), choose(form, 6, 0, -1),
		tabTo(f+" textarea"), keys("Hand over the weekly report."),
		tabTo(f+" .sc-actions button"), keys(kb.Enter),
		visible(f+" .sc-pos"))
	const want = "Leaning servant: 50% of the way from the middle toward Servant leadership"
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` .sc-pos').textContent`); got != want {
		t.Errorf("result text = %q, want %q", got, want)
	}
	if !browsertest.Eval[bool](t, ctx, `document.activeElement === document.querySelector('`+f+` .sc-result')`) {
		t.Error("focus did not move to the result")
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` .sc-result').getAttribute('role')`); got != "status" {
		t.Errorf("result role = %q, want status", got)
	}
	marker := func() float64 {
		return browsertest.Eval[float64](t, ctx, `(() => { const tr = document.querySelector('`+f+` .sc-track').getBoundingClientRect(),
			m = document.querySelector('`+f+` .sc-mark').getBoundingClientRect();
			return (m.left + m.width / 2 - tr.left) / tr.width; })()`)
	}
	if got := marker(); got < 0.74 || got > 0.76 {
		t.Errorf("marker at %.3f of the track, want 0.75", got)
	}
	result := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` .sc-result').textContent`)
	for _, w := range []string{"Leaning servant", "clearing the way", "Answers that pulled toward Practitioner leadership", "Answers that pulled toward Servant leadership", "To reflect on", "Where does your team still wait for you?"} {
		if !strings.Contains(result, w) {
			t.Errorf("result lacks %q:\n%s", w, result)
		}
	}
	if n := browsertest.Eval[int](t, ctx, `events.length`); n != 1 {
		t.Errorf("selfcheck:complete fired %d times, want 1", n)
	}

	// Reload: the answers and the result come back, and answers kept for
	// an older version of the block are shown, labelled.
	old := js("selfcheck:" + strings.TrimPrefix(form, "sc-") + ":v0")
	run(t, ctx, "reloading", do(`localStorage.setItem(`+old+`, JSON.stringify({answers: [], attempts: [], md: '# Old answers'}))`),
		chromedp.Reload(), visible(f+" .sc-pos"))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` .sc-older').textContent`); got != "Saved for an earlier version (0) of this self-check# Old answers" {
		t.Errorf("older answers shown as %q", got)
	}
	checked := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll('`+f+` input:checked')].map(i => i.id)`)
	wantChecked := []string{form + "-1-1", form + "-2-4", form + "-3-4", form + "-4-2", form + "-5-5", form + "-6-1"}
	if strings.Join(checked, " ") != strings.Join(wantChecked, " ") {
		t.Errorf("after reload checked = %v, want %v", checked, wantChecked)
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` textarea').value`); got != "Hand over the weekly report." {
		t.Errorf("reflection after reload = %q", got)
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` .sc-pos').textContent`); got != want {
		t.Errorf("result after reload = %q, want %q", got, want)
	}

	// Answer again: the earlier attempt shows, in words and on the axis.
	run(t, ctx, "answering again",
		do(`window.events = []; document.addEventListener('selfcheck:complete', e => events.push(e.detail))`),
		choose(form, 6, 3, 0), tabTo(f+" .sc-actions button"), keys(" "),
		visible(f+" .sc-saved ul"))
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` .sc-pos').textContent`); got != "Servant: 83% of the way from the middle toward Servant leadership" {
		t.Errorf("second result = %q", got)
	}
	hist := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` .sc-saved ul').textContent`)
	if !strings.HasPrefix(hist, "You were at 50% Servant leadership on ") {
		t.Errorf("earlier attempt = %q, want it to start with %q", hist, "You were at 50% Servant leadership on ")
	}
	shot(t, ctx, "continuum", f)
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('`+f+` .sc-past').length`); n != 1 {
		t.Errorf("%d earlier markers on the axis, want 1", n)
	}
	if got := browsertest.Eval[float64](t, ctx, `events[0].position`); got < 83 || got > 84 {
		t.Errorf("event position = %v, want 83.3", got)
	}

	// Forget, by keyboard.
	run(t, ctx, "forgetting", tabTo(f+" .sc-tools button:nth-of-type(2)"), keys(kb.Enter))
	if n := browsertest.Eval[int](t, ctx, `Object.keys(localStorage).filter(k => k.startsWith('selfcheck:')).length`); n != 0 {
		t.Errorf("%d storage keys left after forgetting", n)
	}
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('`+f+` input:checked').length`); n != 0 {
		t.Errorf("%d answers still checked after forgetting", n)
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` .sc-result').textContent`); got != "Your answers have been forgotten." {
		t.Errorf("after forgetting the result says %q", got)
	}
}

// quizScenario takes the quiz whose form has the id form on the page at
// url, reading its answers from the block's own data: it answers every
// item wrongly, checks the marks and feedback, retries, answers every item
// rightly and passes, all by keyboard.
func quizScenario(t *testing.T, ctx context.Context, url, form string) {
	f := "#" + form
	run(t, ctx, "loading "+url, chromedp.Navigate(url), visible(f+" .sc-actions button"), do(`localStorage.clear()`))
	type item struct {
		Type    string
		Options []struct{ Correct bool }
	}
	items := browsertest.Eval[[]item](t, ctx, `JSON.parse(document.querySelector('`+f+` .sc-data').textContent).items`)
	answer := func(right bool) action {
		var steps []action
		for i, it := range items {
			for j, o := range it.Options {
				if o.Correct != right {
					continue
				}
				if it.Type == "multi" {
					steps = append(steps, tabTo(fmt.Sprintf("#%s-%d-%d", form, i+1, j+1)), keys(" "))
					if !right {
						break // one wrong box is enough to be wrong
					}
					continue
				}
				steps = append(steps, choose(form, i+1, j, -1))
				break
			}
		}
		return chromedp.Steps(append(steps, tabTo(f+" .sc-actions button"), keys(kb.Enter), visible(f+" .sc-result .sc-rt"))...)
	}
	n := len(items)
	run(t, ctx, "failing", answer(false))
	res := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` .sc-result').textContent`)
	if want := fmt.Sprintf("You got 0 of %d right.", n); !strings.Contains(res, want) || !strings.Contains(res, "Not yet") {
		t.Errorf("quiz result = %q, want %q and Not yet", res, want)
	}
	if shown, all := browsertest.Eval[int](t, ctx, `document.querySelectorAll('`+f+` .sc-fb:not([hidden])').length`), browsertest.Eval[int](t, ctx, `document.querySelectorAll('`+f+` .sc-fb').length`); shown != all || all == 0 {
		t.Errorf("%d feedback texts shown of %d, want all", shown, all)
	}
	shot(t, ctx, "quiz", f)
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` input:checked').closest('.sc-opt').querySelector('.sc-m').textContent`); got != "✗ Not correct (your answer)" {
		t.Errorf("mark on the first wrong answer = %q", got)
	}
	if got := browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` input:checked').getAttribute('aria-describedby')`); !strings.HasSuffix(got, "-fb") {
		t.Errorf("a marked answer is described by %q, want its mark and feedback", got)
	}
	// Retry: the button in the result, reached by Tab.
	run(t, ctx, "retrying", tabTo(f+" .sc-result button"), keys(kb.Enter))
	if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('`+f+` input:checked, `+f+` .sc-fb:not([hidden]), `+f+` .sc-m').length`); n != 0 {
		t.Errorf("%d answers, marks or feedback left after retry", n)
	}
	if !browsertest.Eval[bool](t, ctx, `document.activeElement.id === '`+form+`-1-1'`) {
		t.Error("retry did not move focus to the first answer")
	}
	run(t, ctx, "passing", answer(true))
	res = browsertest.Eval[string](t, ctx, `document.querySelector('`+f+` .sc-result').textContent`)
	if want := fmt.Sprintf("You got %d of %d right.", n, n); !strings.Contains(res, want) || !strings.Contains(res, "Passed.") {
		t.Errorf("quiz result after retry = %q, want %q and Passed.", res, want)
	}
}

// TestBrowserSite runs the scenarios against the built example site, or
// the built site in STEWARD_SITE_DIR. The pages are found by the ids of
// their blocks.
func TestBrowserSite(t *testing.T) {
	// Before the build, which takes seconds, so that -short and a machine
	// without Chromium skip at once.
	browsertest.Require(t)
	dir := os.Getenv("STEWARD_SITE_DIR")
	if dir == "" {
		// Build the repository's example site with the steward command
		// (run, not imported: this package must not know the build).
		dir = filepath.Join(t.TempDir(), "public")
		cmd := exec.Command("go", "run", "../cmd/steward", "build", "--source", "../..", "--destination", dir, "--no-cache")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("building the example site: %v\n%s", err, out)
		}
	}
	pages := map[string]string{} // form id -> URL path
	kinds := map[string]string{} // form id -> kind
	// A page that cannot be read fails the test: skipping it would drop
	// its scenarios without a word.
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".html") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		for _, m := range formID.FindAllStringSubmatch(string(b), -1) {
			pages[m[2]] = "/" + strings.TrimSuffix(filepath.ToSlash(rel), "index.html")
			kinds[m[2]] = m[1]
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the built site: %v", err)
	}
	if len(pages) == 0 {
		t.Fatalf("no self-check found in %s", dir)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	ctx := newBrowser(t)
	for id, path := range pages {
		switch {
		case id == "sc-where-you-stand":
			t.Run(id, func(t *testing.T) { continuumScenario(t, ctx, srv.URL+path, id) })
		case kinds[id] == "quiz":
			t.Run(id, func(t *testing.T) { quizScenario(t, ctx, srv.URL+path, id) })
		case id == "sc-time-test-map":
			t.Run(id, func(t *testing.T) {
				run(t, ctx, "loading", chromedp.Navigate(srv.URL+path), visible("#"+id+" .sc-actions button"), do(`localStorage.clear()`), chromedp.Reload(), visible("#"+id+" .sc-actions button"))
				quadrantScenario(t, ctx, id)
			})
		}
	}
}

var formID = regexp.MustCompile(`<form class="selfcheck sc-(continuum|quadrant|quiz)" id="([^"]+)"`)
