package serve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/testsite"

	"github.com/chromedp/chromedp"

	"github.com/steward-ssg/steward/generator/internal/browsertest"

	"github.com/steward-ssg/steward/generator/pipeline"
)

// browser starts a headless Chromium with a fresh profile. Without
// Chromium the test skips, except under CI where it must run.
func browser(t *testing.T) context.Context {
	t.Helper()
	browsertest.Require(t)
	opts := browsertest.Options(t.TempDir(),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.WindowSize(1000, 700))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelC()
		cancelA()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", browsertest.Chromium, err)
	}
	return ctx
}

// until evaluates a JavaScript boolean expression every 10 ms until it
// is true, for up to 5 s, and returns how long that took. (The page tells
// no event for most conditions, so it polls; a condition that never comes
// fails the test.)
func until(t *testing.T, ctx context.Context, what, expr string) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return time.Since(start)
		}
		if time.Since(start) > 5*time.Second {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText.slice(0, 400)`))
			t.Fatalf("%s: not within 5 s (%s; last error %v); page:\n%s", what, expr, err, text)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func longBody(s string) string {
	return s + "\n\n" + strings.Repeat("A paragraph to make the page long enough to scroll.\n\n", 120)
}

// TestBrowserLiveAuthoring follows an author through one session with the
// real server, real fsnotify and real Chromium: a save shows in the page,
// a broken file shows the overlay, a fix clears it, a CSS change swaps
// the stylesheet without a reload.
func TestBrowserLiveAuthoring(t *testing.T) {
	ctx := browser(t)
	src := testsite.New(t, map[string]string{
		"content/essay.md":       essay("First essay", longBody("Original body.")),
		"content/other.md":       essay("Other essay", "Other body."),
		"static/css/steward.css": "h1 { color: rgb(0, 0, 255); }\n",
	})
	r := startRun(t, Options{Source: src})
	essayURL := r.url + "essay/"
	if err := chromedp.Do(ctx, chromedp.Navigate(essayURL)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "event stream open", `window.__stewardConnected === true`)

	t.Run("save shows in the page, scroll kept", func(t *testing.T) {
		browsertest.Eval[int](t, ctx, `window.scrollTo(0, 600); window.__marker = 1`)
		testsite.WriteFile(t, src, "content/essay.md", essay("First essay", longBody("Edited body.")))
		took := until(t, ctx, "edited text shown", `document.body.innerText.includes("Edited body.")`)
		t.Logf("save to text shown in Chromium: %s", took)
		if browsertest.Eval[bool](t, ctx, `window.__marker === 1`) {
			t.Error("the page did not reload")
		}
		until(t, ctx, "scroll position kept", `Math.abs(window.scrollY - 600) < 2`)
		until(t, ctx, "reconnected", `window.__stewardConnected === true`)
	})

	t.Run("unchanged page not reloaded", func(t *testing.T) {
		// A stream such as the tab's: what the server tells the tab, it
		// tells this one too.
		tab := connect(t, strings.TrimSuffix(r.url, "/"), "/essay/")
		browsertest.Eval[int](t, ctx, `window.__marker = 2`)
		testsite.WriteFile(t, src, "content/other.md", essay("Other essay", "Other body, edited."))
		eventually(t, "other essay rebuilt", func() error {
			_, body, err := fetch(r.url + "other/")
			if err == nil && !strings.Contains(body, "Other body, edited.") {
				err = fmt.Errorf("not yet")
			}
			return err
		})
		// Rather than wait for a reload that should not come: change the
		// stylesheet every page links (keeping the h1's colour, which a
		// later step checks). Messages on a stream arrive in order, so a
		// reload sent for the other essay would come before that change.
		testsite.WriteFile(t, src, "static/css/steward.css", "h1 { color: rgb(0, 0, 255); }\nbody { margin: 1px; }\n")
		if m := tab.next(5 * time.Second); m["type"] != "css" {
			t.Errorf("the essay's tab was sent %v before the stylesheet's change; want nothing", m)
		}
		until(t, ctx, "stylesheet swapped", `getComputedStyle(document.body).margin === "1px"`)
		if !browsertest.Eval[bool](t, ctx, `window.__marker === 2`) {
			t.Error("the essay reloaded though its bytes did not change")
		}
	})

	t.Run("broken front matter shows the overlay", func(t *testing.T) {
		browsertest.Eval[int](t, ctx, `window.__marker = 3`)
		testsite.WriteFile(t, src, "content/essay.md", "---\ntitle: First essay\ndate: 2024-01-02\nbroken line without colon\n---\nbody\n")
		until(t, ctx, "overlay shown", `!!document.getElementById("steward-overlay")`)
		text := browsertest.Eval[string](t, ctx, `document.getElementById("steward-overlay").innerText`)
		if !strings.Contains(text, "content/essay.md:4") || !strings.Contains(text, "broken line without colon") {
			t.Errorf("overlay text lacks the file:line or the source:\n%s", text)
		}
		if role := browsertest.Eval[string](t, ctx, `document.getElementById("steward-overlay").getAttribute("role")`); role != "alertdialog" {
			t.Errorf("overlay role = %q", role)
		}
		if !browsertest.Eval[bool](t, ctx, `window.__marker === 3 && document.body.innerText.includes("Edited body.")`) {
			t.Error("the last good page was not kept beneath the overlay")
		}
		// A new tab (here: a reload) shows it too.
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		until(t, ctx, "overlay after reload", `!!document.getElementById("steward-overlay") && document.body.innerText.includes("Edited body.")`)
		until(t, ctx, "reconnected", `window.__stewardConnected === true`)
	})

	t.Run("fix clears the overlay and updates the page", func(t *testing.T) {
		testsite.WriteFile(t, src, "content/essay.md", essay("First essay", longBody("Fixed body.")))
		until(t, ctx, "overlay gone and page updated",
			`!document.getElementById("steward-overlay") && document.body.innerText.includes("Fixed body.")`)
		until(t, ctx, "reconnected", `window.__stewardConnected === true`)
	})

	t.Run("CSS change swaps the stylesheet without a reload", func(t *testing.T) {
		const color = `getComputedStyle(document.querySelector("h1")).color`
		if got := browsertest.Eval[string](t, ctx, color); got != "rgb(0, 0, 255)" {
			t.Fatalf("h1 color = %s before the change", got)
		}
		browsertest.Eval[int](t, ctx, `window.__marker = 4`)
		testsite.WriteFile(t, src, "static/css/steward.css", "h1 { color: rgb(255, 0, 0); }\n")
		took := until(t, ctx, "new style applied", color+` === "rgb(255, 0, 0)"`)
		t.Logf("CSS save to style applied: %s", took)
		if !browsertest.Eval[bool](t, ctx, `window.__marker === 4`) {
			t.Error("the page reloaded for a CSS-only change")
		}
	})

	t.Run("deleted essay shows the 404 page", func(t *testing.T) {
		if err := os.Remove(filepath.Join(src, "content", "essay.md")); err != nil {
			t.Fatal(err)
		}
		until(t, ctx, "deleted essay shows the 404 page", `document.title.toLowerCase().includes("not found")`)
	})
}

// TestBrowserNavigate: with Navigate, saving an essay takes the open tab
// to that essay.
func TestBrowserNavigate(t *testing.T) {
	src := testsite.New(t, map[string]string{
		"content/essay.md": essay("First essay", "Original body."),
		"content/other.md": essay("Other essay", "Other body."),
	})
	if site, err := pipeline.NewBuilder().Build(context.Background(), pipeline.Options{Source: src}); err != nil {
		t.Fatal(err)
	} else if _, ok := site.URLOf("content/other.md"); !ok {
		t.Fatal(`build: (*Site).URLOf("content/other.md") reports no URL; --navigate needs it`)
	}
	ctx := browser(t)
	r := startRun(t, Options{Source: src, Navigate: true})
	if err := chromedp.Do(ctx, chromedp.Navigate(r.url)); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, "event stream open", `window.__stewardConnected === true`)
	testsite.WriteFile(t, src, "content/other.md", essay("Other essay", "Saved just now."))
	until(t, ctx, "navigated to the saved essay",
		`location.pathname === "/other/" && document.body.innerText.includes("Saved just now.")`)
}
