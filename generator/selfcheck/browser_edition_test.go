package selfcheck

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/steward-ssg/steward/generator/internal/browsertest"
)

// emulate sets the media type ("" for screen, "print"), the colour scheme
// and the viewport's width, and waits for two frames so that layout follows.
func emulate(media, scheme string, width int64) action {
	return chromedp.Steps(
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Media: media, Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
			})
			return err
		}),
		chromedp.EmulateViewport(width, 900),
		chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))`, chromedp.EvalAwaitPromise),
	)
}

// str evaluates a JavaScript expression for a string.
func str(t *testing.T, ctx context.Context, expr string) string {
	t.Helper()
	return browsertest.Eval[string](t, ctx, expr)
}

// answerAll answers every scored item of form by keyboard with the option
// index given per item (-1 skips the item).
func answerAll(form string, picks ...int) action {
	var steps []action
	for i, j := range picks {
		if j >= 0 {
			steps = append(steps, choose(form, i+1, j, -1))
		}
	}
	return chromedp.Steps(steps...)
}

func TestBrowserEdition(t *testing.T) {
	ctx := newBrowser(t)
	var mu sync.Mutex
	var logged []string
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventConsoleAPICalled); ok {
			mu.Lock()
			logged = append(logged, string(e.Type))
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	url := servePage(t, "continuum", "quiz", "quadrant")
	const c, q = "sc-where-you-stand", "sc-time-test-map"
	load := func(t *testing.T, u string) {
		t.Helper()
		// Cleared, then loaded again: a form restores saved answers on load.
		run(t, ctx, "loading "+u, emulate("", "light", 1000), chromedp.Navigate(u), visible("#"+c+" .sc-actions button"), do(`localStorage.clear()`),
			chromedp.Reload(), visible("#"+c+" .sc-actions button"))
	}

	t.Run("progress is announced when the count changes", func(t *testing.T) {
		load(t, url)
		if got := str(t, ctx, `document.querySelector('#`+c+` .sc-progress').textContent`); got != "0 of 6 answered" {
			t.Errorf("progress before answering = %q", got)
		}
		if got := str(t, ctx, `document.querySelector('#`+c+` .sc-progress').getAttribute('role')`); got != "status" {
			t.Errorf("progress role = %q, want status (a polite live region)", got)
		}
		run(t, ctx, "watching", do(`window.changes = 0; new MutationObserver(() => changes++).observe(document.querySelector('#`+c+` .sc-progress'), {childList: true, characterData: true, subtree: true})`))
		// Answer item 1, move within it (no new count), answer item 2.
		run(t, ctx, "answering", choose(c, 1, 0, -1), keys(kb.ArrowRight, kb.ArrowRight, kb.ArrowRight), choose(c, 2, 1, -1))
		if got := str(t, ctx, `document.querySelector('#`+c+` .sc-progress').textContent`); got != "2 of 6 answered" {
			t.Errorf("progress = %q, want 2 of 6 answered", got)
		}
		if n := browsertest.Eval[int](t, ctx, `changes`); n != 2 {
			t.Errorf("the progress region changed %d times for two new answers and three moves within one, want 2", n)
		}
	})

	t.Run("submitting with unanswered items focuses the first", func(t *testing.T) {
		load(t, url)
		run(t, ctx, "answering two, submitting", choose(c, 1, 0, -1), choose(c, 3, 1, -1), tabTo("#"+c+" .sc-actions button"), keys(kb.Enter), visible("#"+c+" .sc-warn"))
		if got := str(t, ctx, `document.activeElement.id`); got != c+"-2-1" {
			t.Errorf("focus on %q, want the first option of item 2", got)
		}
		if got := str(t, ctx, `document.querySelector('#`+c+` .sc-warn').textContent`); got != "Please answer every question first: 2, 4, 5, 6 still to answer." {
			t.Errorf("warning = %q", got)
		}
		if got := str(t, ctx, `[...document.querySelectorAll('#`+c+` .sc-miss')].map(f => f.id).join(' ')`); got != c+"-2 "+c+"-4 "+c+"-5 "+c+"-6" {
			t.Errorf("marked as missing: %q", got)
		}
		run(t, ctx, "answering item 2", keys(" "))
		if got := str(t, ctx, `[...document.querySelectorAll('#`+c+` .sc-miss')].map(f => f.id).join(' ')`); got != c+"-4 "+c+"-5 "+c+"-6" {
			t.Errorf("after answering item 2, marked as missing: %q", got)
		}
	})

	t.Run("quadrant by keyboard", func(t *testing.T) {
		load(t, url)
		quadrantScenario(t, ctx, q)
	})

	t.Run("share round trip", func(t *testing.T) {
		load(t, url)
		run(t, ctx, "answering", answerAll(c, 0, 3, 3, 1, 4, 0), tabTo("#"+c+" .sc-actions button"), keys(kb.Enter), visible("#"+c+" .sc-share button"),
			do(`window.copied = []; navigator.clipboard.writeText = async t => { copied.push(t); }; delete Navigator.prototype.share`),
			tabTo("#"+c+" .sc-share button"), keys(kb.Enter), visible("#"+c+" .sc-share .sc-note a"))
		link := str(t, ctx, `copied[0] || ''`)
		if !strings.HasPrefix(link, url+"#sc.where-you-stand.1.c.6.3") || strings.Contains(link, "?") {
			t.Fatalf("shared link = %q, want the page with the result in the fragment", link)
		}
		if got := str(t, ctx, `document.querySelector('#`+c+` .sc-share .sc-note').textContent`); got != "Link copied: "+link {
			t.Errorf("note = %q", got)
		}
		// With the box ticked, the answers (not the reflection) go too.
		run(t, ctx, "sharing with answers", tabTo("#"+c+"-inc"), keys(" "), tabTo("#"+c+" .sc-share button"), keys(kb.Enter),
			chromedp.Poll[chromedp.Void](`copied.length === 2`))
		withAnswers := str(t, ctx, `copied[1]`)
		if !strings.HasSuffix(withAnswers, "#sc.where-you-stand.1.c.6.3.033140-") {
			t.Errorf("link with answers = %q", withAnswers)
		}

		// Another reader opens it: the shared marker, then their own too.
		run(t, ctx, "opening the link", do(`localStorage.clear()`), chromedp.Navigate("about:blank"), chromedp.Navigate(link), visible("#"+c+" .sc-shared"))
		if got := str(t, ctx, `document.querySelector('#`+c+` .sc-shared').textContent`); !strings.Contains(got, "Someone shared this result") || !strings.Contains(got, "Leaning servant: 50% of the way from the middle toward Servant leadership") {
			t.Errorf("shared view = %q", got)
		}
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#`+c+` .sc-shared .sc-other').length`); n != 1 {
			t.Errorf("%d shared markers, want 1", n)
		}
		run(t, ctx, "answering beside it", answerAll(c, 4, 0, 0, 4, 0, 0), tabTo("#"+c+" .sc-actions button"), keys(kb.Enter), visible("#"+c+" .sc-result .sc-mark"))
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#`+c+` .sc-result .sc-other').length`); n != 1 {
			t.Errorf("the result shows %d shared markers beside the reader's, want 1", n)
		}
		if got := str(t, ctx, `document.querySelector('#`+c+` .sc-result').textContent`); !strings.Contains(got, "Practitioner: 100% of the way from the middle toward Practitioner leadership") || !strings.Contains(got, "Someone shared this result: Leaning servant") {
			t.Errorf("result beside the shared one = %q", got)
		}
		// Opened with answers, the shared view lists them.
		run(t, ctx, "opening the link with answers", chromedp.Navigate("about:blank"), chromedp.Navigate(withAnswers), visible("#"+c+" .sc-shared ul"))
		if got := str(t, ctx, `document.querySelector('#`+c+` .sc-shared ul').textContent`); !strings.Contains(got, "Strongly disagree") || strings.Contains(got, "Hand over") {
			t.Errorf("shared answers = %q", got)
		}
	})

	t.Run("a tampered link shows nothing and logs nothing", func(t *testing.T) {
		mu.Lock()
		logged = nil
		mu.Unlock()
		for _, frag := range []string{"#sc.where-you-stand.1.c.6.2", "#sc.where-you-stand.1.c.60.3", "#sc.where-you-stand.2.c.6.3", "#sc.where-you-stand.1.c.6.3.033141-", "#sc.where-you-stand.1.c.6.3%3Cimg%3E"} {
			run(t, ctx, "opening "+frag, chromedp.Navigate("about:blank"), chromedp.Navigate(url+frag), visible("#"+c+" .sc-actions button"))
			if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('.sc-shared, .sc-other').length`); n != 0 {
				t.Errorf("%s: %d shared elements shown", frag, n)
			}
		}
		mu.Lock()
		defer mu.Unlock()
		if len(logged) > 0 {
			t.Errorf("the console was used %d times (%v)", len(logged), logged)
		}
	})

	t.Run("team view of five", func(t *testing.T) {
		load(t, url)
		// Five members' links, two of them alike (as the share test makes
		// them), one with its answers.
		var team []string
		for _, frag := range []string{"#sc.where-you-stand.1.c.6.3", "#sc.where-you-stand.1.c.6.3.033140-", "#sc.where-you-stand.1.c.-12.0", "#sc.where-you-stand.1.c.0.2", "#sc.where-you-stand.1.c.6.3"} {
			team = append(team, url+frag)
		}
		run(t, ctx, "opening the team view", chromedp.Navigate("about:blank"), chromedp.Navigate(url+"#team"), visible("#"+c+" .sc-team textarea"),
			chromedp.Focus(chromedp.CSS("#"+c+"-team")), do(`document.querySelector('#`+c+`-team').value = `+js(strings.Join(team, "\n")+"\nhttps://example.org/#sc.where-you-stand.1.c.6.2\n")),
			tabTo("#"+c+" .sc-team button"), keys(kb.Enter))
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#`+c+` .sc-team .sc-other').length`); n != 5 {
			t.Errorf("%d markers in the team view, want 5 (the tampered sixth link left out)", n)
		}
		got := str(t, ctx, `document.querySelector('#`+c+` .sc-team').innerText`)
		for _, w := range []string{"5 results From 100% Practitioner leadership to 50% Servant leadership.", "Practitioner: 1", "Leaning practitioner: 0", "Between the two: 1", "Leaning servant: 3", "Servant: 0"} {
			if !strings.Contains(got, w) {
				t.Errorf("team view lacks %q:\n%s", w, got)
			}
		}
		run(t, ctx, "removing the third", tabTo(`#`+c+` .sc-team li:nth-child(3) button`), keys(kb.Enter))
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#`+c+` .sc-team .sc-other').length`); n != 4 {
			t.Errorf("%d markers after removing one, want 4", n)
		}
		run(t, ctx, "reloading", chromedp.Reload(), visible("#"+c+" .sc-team ol"))
		if n := browsertest.Eval[int](t, ctx, `document.querySelectorAll('#`+c+` .sc-team ol li').length`); n != 4 {
			t.Errorf("%d members after reloading, want the 4 kept in this browser", n)
		}
		shot(t, ctx, "team", "#"+c)
	})

	t.Run("print", func(t *testing.T) {
		load(t, url)
		run(t, ctx, "answering", answerAll(c, 0, 3, 3, 1, 4, 0), tabTo("#"+c+" .sc-actions button"), keys(kb.Enter), visible("#"+c+" .sc-pos"),
			emulate("print", "light", 1000), do(`dispatchEvent(new Event('beforeprint'))`))
		shown := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll('#`+c+` button, #`+c+` .sc-progress, #`+c+` .sc-share')].filter(e => e.getClientRects().length).map(e => e.textContent)`)
		if len(shown) > 0 {
			t.Errorf("printed with buttons or controls: %q", shown)
		}
		for _, sel := range []string{" .sc-key", " .sc-bands", " .sc-result .sc-pos", " input:checked", " legend"} {
			if !browsertest.Eval[bool](t, ctx, `(() => { const e = document.querySelector('#`+c+sel+`'); return !!e && e.getClientRects().length > 0; })()`) {
				t.Errorf("%s is not printed", sel)
			}
		}
		run(t, ctx, "back to screen", emulate("", "light", 1000))
	})

	for _, scheme := range []string{"light", "dark"} {
		t.Run("320px "+scheme, func(t *testing.T) {
			load(t, url)
			run(t, ctx, "answering", answerAll(c, 0, 3, 3, 1, 4, 0), tabTo("#"+c+" .sc-actions button"), keys(kb.Enter), visible("#"+c+" .sc-pos"),
				answerAll(q, 0, 3, 2, 1, 3, 1), tabTo("#"+q+" .sc-actions button"), keys(kb.Enter), visible("#"+q+" .sc-pos"))
			for _, w := range []int64{320, 1000} {
				run(t, ctx, "emulating", emulate("", scheme, w))
				if got := browsertest.Eval[bool](t, ctx, `matchMedia('(prefers-color-scheme: `+scheme+`)').matches`); !got {
					t.Fatalf("%s did not take", scheme)
				}
				if sw := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth`); w == 320 && sw > 320 {
					t.Errorf("at 320 px the page scrolls sideways: %d px wide", sw)
				}
				small := browsertest.Eval[[]string](t, ctx, `[...document.querySelectorAll('.sc-opt label, .selfcheck button')].filter(e => e.getClientRects().length).map(e => [e, e.getBoundingClientRect()]).filter(([, r]) => r.width < 44 || r.height < 44).map(([e, r]) => (e.htmlFor || e.textContent) + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))`)
				if len(small) > 0 {
					t.Errorf("at %d px, targets under 44×44: %q", w, small)
				}
				// A likert scale: one row on a wide widget, a column on a narrow one.
				tops := browsertest.Eval[int](t, ctx, `new Set([...document.querySelectorAll('#`+c+`-1 .sc-opt')].map(o => Math.round(o.getBoundingClientRect().top))).size`)
				if want := map[int64]int{320: 5, 1000: 1}[w]; tops != want {
					t.Errorf("at %d px the likert answers sit on %d rows, want %d", w, tops, want)
				}
				// The axis fills the result's width; its end labels sit under its ends.
				ax := browsertest.Eval[[]float64](t, ctx, `(() => { const r = document.querySelector('#`+c+` .sc-result').getBoundingClientRect(), t = document.querySelector('#`+c+` .sc-track').getBoundingClientRect(),
					[l, e] = document.querySelectorAll('#`+c+` .sc-result .sc-ends span'); return [t.width / r.width, l.getBoundingClientRect().left - t.left, t.right - e.getBoundingClientRect().right, l.getBoundingClientRect().top - t.bottom]; })()`)
				if ax[0] < 0.8 || abs(ax[1]) > 1 || abs(ax[2]) > 1 || ax[3] < 0 {
					t.Errorf("at %d px the axis is %.0f%% of the result's width, end labels off its ends by %.0f and %.0f px, %.0f px below it", w, ax[0]*100, ax[1], ax[2], ax[3])
				}
				// Text in the result panel meets 4.5:1 against its background.
				if ratio := browsertest.Eval[float64](t, ctx, contrastJS(`#`+c+` .sc-result .sc-pos`, `#`+c+` .sc-result`)); ratio < 4.5 {
					t.Errorf("at %d px in %s the result's text has contrast %.2f, under 4.5", w, scheme, ratio)
				}
				shot(t, ctx, fmt.Sprintf("page-%d-%s", w, scheme), "main")
			}
		})
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// contrastJS computes the WCAG contrast ratio of the text colour of fg
// against the background colour of bg (both opaque in this stylesheet).
func contrastJS(fg, bg string) string {
	return `(() => {
	const lum = c => { const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
	const a = lum(getComputedStyle(document.querySelector(` + js(fg) + `)).color), b = lum(getComputedStyle(document.querySelector(` + js(bg) + `)).backgroundColor);
	return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); })()`
}

// quadrantScenario answers the testdata quadrant (testdata/quadrant.yaml,
// which the example essay The Time Test also carries) by keyboard, on the
// loaded page whose form has the id q, and checks the result.
func quadrantScenario(t *testing.T, ctx context.Context, q string) {
	// x: strongly disagree with a left-keyed statement (+2), agree with a
	// right-keyed one (+1), option 3 (+1): 4 of 6. y: disagree with a
	// right-keyed statement (-1), agree with a left-keyed one (-1),
	// option 2 (-1): -3 of 6.
	run(t, ctx, "answering", answerAll(q, 0, 3, 2, 1, 3, 1), tabTo("#"+q+" textarea"), keys("Ana."), tabTo("#"+q+" .sc-actions button"), keys(kb.Enter), visible("#"+q+" .sc-pos"))
	if got := str(t, ctx, `document.querySelector('#`+q+` .sc-pos').textContent`); got != "The borrowed bench: 67% toward The people produce the value; 50% toward Leaders come from outside" {
		t.Errorf("text alternative = %q", got)
	}
	if got := str(t, ctx, `document.querySelector('#`+q+` .sc-rt').tagName + ': ' + document.querySelector('#`+q+` .sc-rt').textContent`); got != "H3: The borrowed bench" {
		t.Errorf("result heading = %q", got)
	}
	if !browsertest.Eval[bool](t, ctx, `document.activeElement === document.querySelector('#`+q+` .sc-result')`) {
		t.Error("focus did not move to the result")
	}
	// The marker sits at (67%, 50% down from the top... of the lower half).
	pos := browsertest.Eval[[]float64](t, ctx, `(() => { const m = document.querySelector('#`+q+` .sc-map').getBoundingClientRect(), d = document.querySelector('#`+q+` .sc-mark').getBoundingClientRect();
		return [(d.left + d.width / 2 - m.left) / m.width, (d.top + d.height / 2 - m.top) / m.height]; })()`)
	// The viewBox is 208 wide for 200 of map: position p is at (104 + p) / 208.
	wantX, wantY := (104+200.0/3)/208, (104+50.0)/208
	if len(pos) != 2 || abs(pos[0]-wantX) > 0.01 || abs(pos[1]-wantY) > 0.01 {
		t.Errorf("marker at %v of the map, want [%.3f %.3f]", pos, wantX, wantY)
	}
	if got := str(t, ctx, `document.querySelector('#`+q+` .sc-axis').getAttribute('aria-hidden')`); got != "true" {
		t.Errorf("the drawn map is not hidden from assistive technology (aria-hidden=%q); its text says the same", got)
	}
	if res := str(t, ctx, `document.querySelector('#`+q+` .sc-result').textContent`); !strings.Contains(res, "arrive from outside") || !strings.Contains(res, "Who on the front line already helps") {
		t.Errorf("result lacks the quadrant's body and prompts:\n%s", res)
	}
	shot(t, ctx, "quadrant", "#"+q)
}
