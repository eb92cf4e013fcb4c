// Steward's live-reload client, injected by `steward serve` into every HTML
// page it sends (never into build output). It listens on the server's event
// stream and does what it is told: reload keeping the scroll position, swap
// stylesheets in place, go to another page, show or clear the build-error
// overlay. The pure parts are exported for tests (node --test live_test.mjs).

/** The sessionStorage key holding a page's scroll position across a reload. */
export function scrollKey(pathname) {
  return "steward:scroll:" + pathname;
}

/** The event stream's URL: the script's own query (u, v) on /_steward/events. */
export function eventsURL(scriptURL) {
  const s = new URL(scriptURL);
  const e = new URL("/_steward/events", s);
  e.search = s.search;
  return e.href;
}

/** href with a cache-busting query parameter, other parameters kept. */
export function withStamp(href, stamp) {
  const u = new URL(href);
  u.searchParams.set("steward", String(stamp));
  return u.href;
}

/**
 * Whether a stylesheet at href (absolute) is one of the changed paths
 * ("/css/site.css"). An empty list means every stylesheet of this origin.
 */
export function isChanged(href, paths, origin) {
  const u = new URL(href);
  if (u.origin !== origin) return false;
  return paths.length === 0 || paths.includes(u.pathname);
}

function saveScroll(win) {
  try {
    win.sessionStorage.setItem(scrollKey(win.location.pathname),
      JSON.stringify({ x: win.scrollX, y: win.scrollY }));
  } catch { /* storage may be disabled */ }
}

function restoreScroll(win) {
  let pos;
  try {
    const key = scrollKey(win.location.pathname);
    pos = JSON.parse(win.sessionStorage.getItem(key) || "null");
    win.sessionStorage.removeItem(key);
  } catch { return; }
  if (!pos) return;
  const go = () => win.scrollTo(pos.x, pos.y);
  go();
  if (win.document.readyState !== "complete") win.addEventListener("load", go, { once: true });
}

function swapStylesheets(doc, paths) {
  const origin = doc.defaultView.location.origin;
  const stamp = Date.now();
  for (const link of doc.querySelectorAll('link[rel~="stylesheet"][href]')) {
    if (!isChanged(link.href, paths, origin)) continue;
    // A new link replaces the old once loaded, so the page never flashes
    // unstyled.
    const next = link.cloneNode();
    next.href = withStamp(link.href, stamp);
    next.addEventListener("load", () => link.remove(), { once: true });
    next.addEventListener("error", () => next.remove(), { once: true });
    link.after(next);
  }
}

function showOverlay(doc, html) {
  doc.getElementById("steward-overlay")?.remove();
  doc.body.insertAdjacentHTML("beforeend", html);
}

/** Acts on one message from the server. */
export function handle(win, msg) {
  const doc = win.document;
  switch (msg.type) {
    case "reload":
      saveScroll(win);
      win.location.reload();
      break;
    case "navigate":
      win.location.assign(msg.url);
      break;
    case "css":
      swapStylesheets(doc, msg.paths || []);
      break;
    case "error":
      showOverlay(doc, msg.html);
      break;
    case "clear":
      doc.getElementById("steward-overlay")?.remove();
      break;
  }
}

function start(win, scriptURL) {
  restoreScroll(win);
  win.document.addEventListener("click", (e) => {
    if (e.target instanceof win.Element && e.target.closest("[data-steward-close]")) {
      win.document.getElementById("steward-overlay")?.remove();
    }
  });
  const es = new win.EventSource(eventsURL(scriptURL));
  es.addEventListener("open", () => { win.__stewardConnected = true; });
  es.addEventListener("error", () => { win.__stewardConnected = false; });
  es.addEventListener("message", (e) => handle(win, JSON.parse(e.data)));
  win.addEventListener("pagehide", () => es.close());
}

if (typeof window !== "undefined" && typeof document !== "undefined") {
  start(window, import.meta.url);
}
