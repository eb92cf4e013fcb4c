package sitecheck

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/steward-ssg/steward/generator/internal/browsertest"
)

// browserOnce starts one headless Chromium for all the tests, on first use.
type browserOnce struct {
	once   sync.Once
	ctx    context.Context
	cancel []context.CancelFunc
	err    error
}

func (b *browserOnce) close() {
	for i := len(b.cancel) - 1; i >= 0; i-- {
		b.cancel[i]()
	}
}

// browser returns the context of the shared browser, skipping the test
// (failing it in CI) when there is no Chromium.
func browser(t testing.TB) context.Context {
	t.Helper()
	skipShort(t, "Chromium")
	exe := lookChromium()
	need(t, exe != "", "Chromium", installChromium)
	b := &shared.browser
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "sitecheck-chromium-")
		if err != nil {
			b.err = err
			return
		}
		opts := browsertest.Options(dir,
			chromedp.ExecPath(exe),
			chromedp.Flag("hide-scrollbars", true),
			// A desktop's mouse: headless Chromium otherwise reports
			// (hover: none), and the theme shows on hover what it hides.
			chromedp.Flag("blink-settings", "primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4"),
			chromedp.WindowSize(1280, 900))
		actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelC := chromedp.NewContext(actx)
		b.cancel = append(b.cancel, cancelA, cancelC, func() { os.RemoveAll(dir) })
		// The first call starts the browser, which lives as long as ctx.
		if err := chromedp.Do(ctx); err != nil {
			b.err = fmt.Errorf("starting %s: %w", exe, err)
			return
		}
		b.ctx = ctx
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.ctx
}

// tab is one tab of the shared browser, in a browser context of its own
// (so no storage is shared with other tabs). It records every request the
// page makes and every uncaught script error; when the test ends, a request
// to anything but 127.0.0.1 (or a data: or blob: URL) fails it, and so does
// a script error.
type tab struct {
	ctx      context.Context
	mu       sync.Mutex
	requests []string
	thrown   []string
}

// openTab opens a tab; its actions time out after limit.
func openTab(t *testing.T, limit time.Duration) *tab {
	t.Helper()
	bctx := browser(t)
	ctx, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	tb := &tab{}
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatalf("opening a tab: %v", err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			tb.requests = append(tb.requests, e.Request.URL)
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			tb.thrown = append(tb.thrown, fmt.Sprintf("%s:%d: %s", d.URL, d.LineNumber+1, msg))
		}
	}); err != nil {
		cancel()
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		cancel()
		t.Fatalf("enabling network events: %v", err)
	}
	tctx, cancelT := context.WithTimeout(ctx, limit)
	tb.ctx = tctx
	t.Cleanup(func() {
		cancelT()
		cancel()
		for _, u := range tb.foreign() {
			t.Errorf("the page requested %s: every request must go to the site's own origin (no CDN, no web fonts or scripts from elsewhere)", u)
		}
		tb.mu.Lock()
		for _, e := range tb.thrown {
			t.Errorf("uncaught script error: %s", e)
		}
		tb.mu.Unlock()
	})
	return tb
}

// foreign lists the requests so far that left 127.0.0.1.
func (tb *tab) foreign() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var out []string
	for _, r := range tb.requests {
		u, err := url.Parse(r)
		if err != nil {
			out = append(out, r)
			continue
		}
		if u.Scheme == "data" || u.Scheme == "blob" || u.Scheme == "about" {
			continue
		}
		if u.Hostname() != "127.0.0.1" {
			out = append(out, r)
		}
	}
	return out
}

// requestCount is how many requests the tab has seen.
func (tb *tab) requestCount() int {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return len(tb.requests)
}

// do runs steps, failing the test on error.
func (tb *tab) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// navigate loads u and waits until the page has loaded and its fonts are
// ready.
func (tb *tab) navigate(t *testing.T, u string) {
	t.Helper()
	tb.do(t, "loading "+u, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body")),
		chromedp.Evaluate[chromedp.Void](`document.fonts.ready.then(() => new Promise(r => requestAnimationFrame(() => r())))`, chromedp.EvalAwaitPromise))
}

// eval evaluates expr (awaiting a promise) and decodes its value.
func eval[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %.200s: %v", expr, err)
	}
	return v
}

// mode is a colour scheme and a viewport width.
type mode struct {
	scheme string // "light" or "dark"
	width  int64
}

func (m mode) String() string { return fmt.Sprintf("%s-%d", m.scheme, m.width) }

// modes returns every scheme at every width.
func modes(widths ...int64) []mode {
	var out []mode
	for _, s := range []string{"light", "dark"} {
		for _, w := range widths {
			out = append(out, mode{s, w})
		}
	}
	return out
}

// emulate sets the colour scheme and the viewport's width (900 px high),
// then waits for the page to lay itself out again.
func (tb *tab) emulate(t *testing.T, m mode) {
	t.Helper()
	tb.do(t, "emulating "+m.String(),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: m.scheme}},
			})
			return err
		}),
		chromedp.EmulateViewport(m.width, 900),
		chromedp.Evaluate[chromedp.Void](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r())))`, chromedp.EvalAwaitPromise),
	)
	if got := eval[bool](t, tb, fmt.Sprintf(`matchMedia('(prefers-color-scheme: %s)').matches && innerWidth === %d`, m.scheme, m.width)); !got {
		t.Fatalf("emulating %s did not take", m)
	}
}

// fullScreenshot captures the whole page, beyond the viewport, as PNG.
func (tb *tab) fullScreenshot(t *testing.T) []byte {
	t.Helper()
	b, err := chromedp.Run(tb.ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		m, err := cdp.Call(ctx, tg, page.GetLayoutMetrics, cdp.Empty{})
		if err != nil {
			return nil, err
		}
		vp := m.CSSLayoutViewport
		cs := m.CSSContentSize
		r, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: ptr(true),
			FromSurface:           ptr(true),
			Clip: &page.Viewport{
				X: 0, Y: 0, Width: float64(vp.ClientWidth), Height: cs.Height, Scale: 1,
			},
		})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// pageURL joins a server's root and a path.
func pageURL(root, p string) string { return strings.TrimSuffix(root, "/") + p }

// clickCSS clicks, with the mouse, the first element that matches sel.
func clickCSS(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)
}

// sendKeysCSS types s into the first element that matches sel.
func sendKeysCSS(sel, s string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.CSS(sel), s, chromedp.NodeVisible)
}

// waitVisibleCSS waits until an element matching sel is visible.
func waitVisibleCSS(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.CSS(sel))
}
