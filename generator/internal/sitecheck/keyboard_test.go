package sitecheck

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// focusJS describes document.activeElement, records it in window.__seen
// with its focused look (once transitions have ended), and returns what
// it found.
const focusJS = `Promise.all(document.getAnimations().map(a => a.finished.catch(() => {}))).then(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {desc: ''};
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  let hidden = '';
  for (let a = el; a && a.nodeType === 1; a = a.parentElement) {
    const cs = getComputedStyle(a);
    if (cs.opacity === '0') hidden = 'opacity 0 on ' + a.tagName.toLowerCase() + (a.className ? '.' + a.className : '');
    if (cs.visibility === 'hidden') hidden = 'visibility hidden';
  }
  const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  (window.__seen ||= []).push(el);
  return {
    desc: window.__describe(el),
    look: window.__look(el),
    hidden: hidden || (inView ? '' : 'outside the viewport (' + [r.left, r.top, r.width, r.height].map(Math.round).join(',') + ')'),
    inMain: !!el.closest('main'),
  };
})`

// describeJS defines window.__describe(el): a short, stable name for an
// element, and window.__tabbables(): what the keyboard should reach, in
// document order (one radio per group: the checked one, else the first).
const describeJS = `window.__describe = el => {
  let d = el.tagName.toLowerCase();
  if (el.id) d += '#' + el.id;
  else if (el.classList.length) d += '.' + [...el.classList].join('.');
  const h = el.getAttribute('href');
  if (h !== null) d += '[href="' + h + '"]';
  if (el.name) d += '[name="' + el.name + '"]';
  const txt = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ');
  if (txt) d += ' "' + txt.slice(0, 40) + '"';
  return d;
};
window.__look = el => {
  // What shows: an outline only if it is drawn, and so on.
  const s = getComputedStyle(el);
  const drawn = (style, width) => style !== 'none' && style !== 'hidden' && parseFloat(width) > 0;
  return [
    drawn(s.outlineStyle, s.outlineWidth) ? 'outline ' + s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor : 'no outline',
    s.boxShadow === 'none' ? 'no shadow' : 'shadow ' + s.boxShadow,
    ['Top', 'Right', 'Bottom', 'Left'].map(side => drawn(s['border' + side + 'Style'], s['border' + side + 'Width']) ?
      s['border' + side + 'Style'] + ' ' + s['border' + side + 'Width'] + ' ' + s['border' + side + 'Color'] : 'none').join(' '),
    'background ' + s.backgroundColor,
    'colour ' + s.color,
    'decoration ' + s.textDecorationLine + ' ' + s.textDecorationThickness,
  ].join('; ');
};
window.__tabbables = () => {
  const sel = 'a[href], area[href], button, input:not([type="hidden"]), select, textarea, summary, iframe, [tabindex], [contenteditable="true"]';
  const radios = new Set();
  return [...document.querySelectorAll(sel)].filter(el => {
    if (el.tabIndex < 0 || el.disabled || el.closest('[inert]')) return false;
    if (el.tagName === 'SUMMARY' && el.parentElement.querySelector(':scope > summary') !== el) return false;
    if (!el.checkVisibility({visibilityProperty: true})) return false;
    if (el.type === 'radio' && el.name) {
      const group = [...(el.form || document).querySelectorAll('input[type="radio"]')].filter(r => r.name === el.name);
      const pick = group.find(r => r.checked) || group[0];
      if (el !== pick || radios.has(el.name)) return false;
      radios.add(el.name);
    }
    return true;
  }).map(window.__describe);
};
true`

// unfocusedJS blurs the focused element and returns, for every element
// seen focused, its look when not focused.
const unfocusedJS = `(() => {
  document.activeElement && document.activeElement.blur();
  return window.__seen.map(el => {
    return window.__look(el);
  });
})()`

type focused struct {
	Desc, Look, Hidden string
	InMain             bool
}

// TestKeyboard tabs through the essay with the self-check from the top,
// with real key events: the skip link comes first and moves focus into
// main; every link and control is reached once, in document order; and
// whatever has focus can be seen, its look differing from its unfocused
// look.
func TestKeyboard(t *testing.T) {
	browser(t)
	e := site(t)
	u := pageURL(e.srv.URL, "/two-leadership-models/")
	for _, m := range []mode{{"light", 1280}, {"dark", 375}} {
		t.Run(m.String(), func(t *testing.T) {
			tb := openTab(t, 3*time.Minute)
			tb.emulate(t, m)

			// The skip link, then into main.
			tb.navigate(t, u)
			eval[bool](t, tb, describeJS)
			tb.do(t, "pressing Tab", chromedp.KeyEvent(kb.Tab))
			first := eval[focused](t, tb, focusJS)
			if !strings.HasPrefix(first.Desc, "a.skip-link") {
				t.Fatalf("the first Tab focuses %q, want the skip link", first.Desc)
			}
			if first.Hidden != "" {
				t.Errorf("the focused skip link cannot be seen: %s", first.Hidden)
			}
			tb.do(t, "activating the skip link", chromedp.KeyEvent(kb.Enter))
			if got := eval[string](t, tb, `(document.activeElement.closest('main') ? 'main' : window.__describe(document.activeElement))`); got != "main" {
				t.Errorf("after activating the skip link, focus is on %s, want main or inside it", got)
			}
			tb.do(t, "pressing Tab", chromedp.KeyEvent(kb.Tab))
			if next := eval[focused](t, tb, focusJS); !next.InMain {
				t.Errorf("the Tab after the skip link focuses %q, which is outside main", next.Desc)
			}

			// Every tabbable element, in order.
			tb.navigate(t, u)
			eval[bool](t, tb, describeJS)
			want := eval[[]string](t, tb, `window.__tabbables()`)
			var got []focused
			for range len(want) + 5 {
				tb.do(t, "pressing Tab", chromedp.KeyEvent(kb.Tab))
				f := eval[focused](t, tb, focusJS)
				if f.Desc == "" || (len(got) > 0 && f.Desc == got[0].Desc) {
					break // out of the page, or round again
				}
				got = append(got, f)
			}
			var order []string
			for _, f := range got {
				order = append(order, f.Desc)
			}
			if strings.Join(order, "\n") != strings.Join(want, "\n") {
				t.Errorf("Tab reached, in this order:\n\t%s\nwant every link and control in document order:\n\t%s",
					strings.Join(order, "\n\t"), strings.Join(want, "\n\t"))
			}

			// Focus can be seen.
			unfocused := eval[[]string](t, tb, unfocusedJS)
			for i, f := range got {
				if f.Hidden != "" {
					t.Errorf("focus on %s cannot be seen: %s", f.Desc, f.Hidden)
				}
				if i < len(unfocused) && f.Look == unfocused[i] {
					t.Errorf("focus on %s is not visible: it looks the same focused and not (%s)", f.Desc, f.Look)
				}
			}
			t.Logf("%s: %d stops, in order, each visibly focused:\n\t%s", m, len(got), strings.Join(order, "\n\t"))
		})
	}
}
