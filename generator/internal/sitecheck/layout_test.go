package sitecheck

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshotDir is where TestScreenshots writes its images: the folder that
// SITECHECK_SCREENSHOTS names, else screenshots/ beside this file (ignored
// by git; CI keeps it as an artefact).
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("SITECHECK_SCREENSHOTS")
	if dir == "" {
		dir = "screenshots"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestScreenshots saves full-page screenshots of the home page and the
// example essay at 375, 768 and 1280 px, light and dark, for a person to
// look at: <page>-<scheme>-<width>.png.
func TestScreenshots(t *testing.T) {
	browser(t)
	e := site(t)
	dir := screenshotDir(t)
	for _, pg := range []struct{ name, path string }{
		{"home", "/"},
		{"essay", "/two-leadership-models/"},
		{"quiz", "/delegation-checklist/"},
	} {
		t.Run(pg.name, func(t *testing.T) {
			tb := openTab(t, 2*time.Minute)
			tb.navigate(t, pageURL(e.srv.URL, pg.path))
			for _, m := range modes(375, 768, 1280) {
				tb.emulate(t, m)
				png := tb.fullScreenshot(t)
				f := filepath.Join(dir, pg.name+"-"+m.String()+".png")
				if err := os.WriteFile(f, png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	abs, _ := filepath.Abs(dir)
	t.Logf("screenshots are in %s", abs)
}

// overflowJS reports whether the page scrolls sideways and, if so, the
// innermost elements that stick out of the viewport.
const overflowJS = `(() => {
  const de = document.documentElement;
  if (de.scrollWidth <= de.clientWidth) return [];
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > de.clientWidth + 0.5 && ![...el.children].some(c => c.getBoundingClientRect().right > de.clientWidth + 0.5)) {
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
        ' ends at ' + Math.round(r.right) + ' px');
    }
  }
  return ['scrollWidth ' + de.scrollWidth + ' > clientWidth ' + de.clientWidth].concat(out.slice(0, 10));
})()`

// TestEveryPage loads every page of the site (and page 2 of the paged
// copy, and the self-checks once answered) at 320 px, light and dark: none
// may scroll sideways. openTab records every request each page makes, and
// fails the test if one leaves 127.0.0.1, where the site is served; each
// page must have loaded something besides itself, so that the recording is
// known to work.
func TestEveryPage(t *testing.T) {
	browser(t)
	e := site(t)
	type visit struct {
		name, url string
		prepare   func(t *testing.T, tb *tab)
	}
	var visits []visit
	for _, p := range htmlPages(e.site) {
		visits = append(visits, visit{p, pageURL(e.srv.URL, p), nil})
	}
	for _, st := range axeStates() {
		if st.paged || st.prepare != nil {
			root := e.srv.URL
			if st.paged {
				root = e.pagedSrv.URL
			}
			visits = append(visits, visit{st.name, pageURL(root, st.path), st.prepare})
		}
	}
	var checks atomic.Int64
	t.Run("at-320px", func(t *testing.T) {
		for _, v := range visits {
			t.Run(v.name, func(t *testing.T) {
				t.Parallel()
				tb := openTab(t, 2*time.Minute)
				tb.emulate(t, mode{"light", 320})
				tb.navigate(t, v.url)
				if n := tb.requestCount(); n < 2 {
					t.Errorf("%s: only %d requests recorded; the page loads at least itself and its stylesheet", v.url, n)
				}
				if v.prepare != nil {
					v.prepare(t, tb)
				}
				for _, m := range modes(320) {
					tb.emulate(t, m)
					checks.Add(1)
					if out := eval[[]string](t, tb, overflowJS); len(out) > 0 {
						t.Errorf("%s scrolls sideways at %s:\n\t%s", v.url, m, joinLines(out))
					}
				}
			})
		}
	})
	t.Logf("%d page states × light and dark at 320 px: %d checks for sideways scrolling; every request stayed on 127.0.0.1", len(visits), checks.Load())
}

func joinLines(s []string) string {
	out := ""
	for i, l := range s {
		if i > 0 {
			out += "\n\t"
		}
		out += l
	}
	return out
}

// footnoteJS describes where the essay's first footnote is shown.
const footnoteJS = `(() => {
  const ref = document.querySelector('.essay-body a.footnote-ref');
  const note = document.getElementById(decodeURIComponent(ref.hash.slice(1)));
  const r = ref.getBoundingClientRect(), n = note.getBoundingClientRect();
  const body = document.querySelector('.essay-body').getBoundingClientRect();
  const back = note.querySelector('.footnote-backref');
  return {
    side: note.classList.contains('sidenote'),
    beside: n.left >= body.right && Math.abs(n.top - r.top) < 40 && n.right <= document.documentElement.clientWidth,
    endVisible: !document.querySelector('.essay-body .footnotes').hidden,
    backref: back && !back.hidden ? back.getAttribute('href') : '',
    refID: ref.closest('[id]').id,
    text: note.textContent.trim().slice(0, 30),
  };
})()`

// TestFootnotes checks that the essay's footnote is a side note beside its
// reference on a wide screen, and an end note with links both ways on a
// narrow one, and that the essay moves it back and forth as the width
// changes.
func TestFootnotes(t *testing.T) {
	browser(t)
	e := site(t)
	tb := openTab(t, time.Minute)
	tb.emulate(t, mode{"light", 1280})
	tb.navigate(t, pageURL(e.srv.URL, "/two-leadership-models/"))
	type where struct {
		Side, Beside, EndVisible bool
		Backref, RefID, Text     string
	}
	for _, m := range []mode{{"light", 1280}, {"dark", 375}, {"light", 1280}, {"light", 768}} {
		tb.emulate(t, m)
		got := eval[where](t, tb, footnoteJS)
		if got.Text == "" {
			t.Errorf("at %s the footnote is empty", m)
		}
		if m.width >= 1248 {
			if !got.Side || !got.Beside || got.EndVisible {
				t.Errorf("at %s the footnote is not a side note beside its reference: %+v", m, got)
			}
			continue
		}
		if got.Side || !got.EndVisible || got.Backref != "#"+got.RefID {
			t.Errorf("at %s the footnote is not an end note linking back to its reference: %+v", m, got)
		}
	}
}

// anchorJS waits for transitions, then returns the opacity of the first
// heading's anchor link.
const anchorJS = `Promise.all(document.getAnimations().map(a => a.finished.catch(() => {}))).then(() =>
  getComputedStyle(document.querySelector('.essay-body h2 .anchor')).opacity)`

// TestHeadingAnchors checks that a heading's anchor link is hidden until
// the heading is hovered (focus is TestKeyboard's), with a mouse.
func TestHeadingAnchors(t *testing.T) {
	browser(t)
	e := site(t)
	tb := openTab(t, time.Minute)
	tb.emulate(t, mode{"light", 1280})
	tb.navigate(t, pageURL(e.srv.URL, "/two-leadership-models/"))
	if got := eval[string](t, tb, anchorJS); got != "0" {
		t.Errorf("before hovering, the heading's anchor has opacity %s, want 0", got)
	}
	tb.do(t, "hovering the heading", chromedp.ScrollIntoView(chromedp.CSS(".essay-body h2")))
	xy := eval[[]float64](t, tb, `(() => { const r = document.querySelector('.essay-body h2').getBoundingClientRect(); return [r.left + 20, r.top + r.height / 2]; })()`)
	tb.do(t, "moving the mouse", chromedp.MouseEvent(chromedp.MouseMoved, xy[0], xy[1]))
	if got := eval[string](t, tb, anchorJS); got != "1" {
		t.Errorf("hovering the heading, its anchor has opacity %s, want 1", got)
	}
}

// imagesJS loads every image of the page and describes it.
const imagesJS = `(async () => {
  const out = [];
  for (const img of document.querySelectorAll('img')) {
    const reserved = img.getBoundingClientRect();
    img.loading = 'eager';
    img.scrollIntoView();
    await img.decode().catch(() => {});
    const r = img.getBoundingClientRect();
    out.push({src: img.getAttribute('src'), alt: img.alt, width: +img.getAttribute('width'), height: +img.getAttribute('height'),
      natural: img.naturalWidth, reservedHeight: reserved.height, shownWidth: r.width, shownHeight: r.height,
      container: img.parentElement.getBoundingClientRect().width});
  }
  return out;
})()`

type imageFacts struct {
	Src, Alt                string
	Width, Height, Natural  float64
	ReservedHeight          float64
	ShownWidth, ShownHeight float64
	Container               float64
}

// TestImages checks every image of the built site, on a phone and a desk:
// it has alternative text, it loads, its page reserves its space before it
// loads (width and height from the file, so nothing jumps), and it is
// shown at its own proportions within its column.
func TestImages(t *testing.T) {
	browser(t)
	e := site(t)
	seen := 0
	for _, p := range htmlPages(e.site) {
		data, _ := e.site.File(strings.TrimPrefix(p, "/") + "index.html")
		if !strings.Contains(string(data), "<img") {
			continue
		}
		for _, width := range []int64{320, 1280} {
			tb := openTab(t, time.Minute)
			tb.emulate(t, mode{"light", width})
			tb.navigate(t, pageURL(e.srv.URL, p))
			for _, im := range eval[[]imageFacts](t, tb, imagesJS) {
				seen++
				where := fmt.Sprintf("%s at %d px: %s", p, width, im.Src)
				switch {
				case strings.TrimSpace(im.Alt) == "":
					t.Errorf("%s has no alternative text", where)
				case im.Natural == 0:
					t.Errorf("%s did not load", where)
				case im.Width == 0 || im.Height == 0:
					t.Errorf("%s has no width and height: its page jumps when it loads", where)
				case im.ReservedHeight < 1:
					t.Errorf("%s reserved no space before loading", where)
				case im.ShownWidth > im.Container+0.5:
					t.Errorf("%s is %.0f px wide in a %.0f px column", where, im.ShownWidth, im.Container)
				case math.Abs(im.ShownWidth/im.ShownHeight-im.Width/im.Height) > 0.02:
					t.Errorf("%s is shown at %.0f×%.0f, not in its proportions %.0f×%.0f", where, im.ShownWidth, im.ShownHeight, im.Width, im.Height)
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no page of the example site has an image: this test checks nothing")
	}
	t.Logf("%d image views checked", seen)
}
