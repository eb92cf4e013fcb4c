// Steward's search: an ES module for the search page. The index is built by
// generator/search (see its package comment for the files); this script
// loads the meta when the reader focuses the search field, the shards of
// the words typed, and the results shown. It ranks with BM25 over counts
// that the build weighted toward titles, headings and tags. The logic is
// exported and tested with node --test (search.test.mjs); the page part
// runs only in a browser.

// BM25's usual parameters.
const k1 = 1.2;
const b = 0.75;
// How much a match counts by its kind: the word or its stem, a word that
// begins with what was typed, a stem that the typed word begins with.
const exactWeight = 1;
const prefixWeight = 0.6;
const stemWeight = 0.5;
// A prefix shorter than a shard's name would need every shard below it;
// at most this many are loaded for it.
const maxChildren = 6;
export const pageSize = 10;

// tokens splits text into lower-case words of two characters or more, as
// the build does (search.Tokens).
export function tokens(text) {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(w => [...w].length >= 2);
}

// shardName names a prefix's shard file as the build does (ShardName).
export function shardName(p) {
  if (/^[a-z0-9]+$/.test(p)) return p;
  return '_' + [...new TextEncoder().encode(p)].map(x => x.toString(16).padStart(2, '0')).join('');
}

// shardsFor lists the shards a word needs: the longest shard prefix the
// word begins with, and the shards of longer prefixes that begin with the
// word (for a word still being typed), when they are few.
export function shardsFor(prefixes, w, withChildren = true) {
  let best = null;
  const children = [];
  for (const p of prefixes) {
    if (w.startsWith(p) && (best === null || p.length > best.length)) best = p;
    else if (p.startsWith(w) && p !== w) children.push(p);
  }
  const out = best === null ? [] : [best];
  if (withChildren && children.length <= maxChildren) out.push(...children);
  return out;
}

// merge joins loaded shards into one lookup: written forms to stems, and
// stems to postings.
export function merge(shards) {
  const words = new Map();
  const terms = new Map();
  for (const s of shards) {
    for (const [w, t] of Object.entries(s.w || {})) words.set(w, t);
    for (const [t, p] of Object.entries(s.t || {})) terms.set(t, p);
  }
  return { words, terms };
}

// matches lists the stems a query word stands for, each with its weight:
// the word's own stem, the stems of words beginning with it, and, when
// neither exists, the longest stem it begins with (a form of a word that
// no essay uses, such as "delegates" when essays say "delegate").
export function matches(w, lookup) {
  const out = new Map();
  const add = (t, q) => { if (lookup.terms.has(t) && !(out.get(t) >= q)) out.set(t, q); };
  add(w, exactWeight);
  if (lookup.words.has(w)) add(lookup.words.get(w), exactWeight);
  for (const [form, t] of lookup.words) if (form.startsWith(w)) add(t, prefixWeight);
  for (const t of lookup.terms.keys()) if (t.startsWith(w)) add(t, prefixWeight);
  if (out.size === 0) {
    const cs = [...w];
    for (let k = cs.length - 1; k >= Math.max(3, cs.length - 4); k--) {
      const t = cs.slice(0, k).join('');
      if (lookup.terms.has(t)) { add(t, stemWeight); break; }
    }
  }
  return out;
}

// stemsNeeded lists the stems that a query's words may stand for and that
// the lookup lacks, for loading their shards (a stem may sit in another
// shard than its word): the stems of the words matched, and the shorter
// forms of a word that matched nothing (see matches).
export function stemsNeeded(query, lookup) {
  const out = new Set();
  for (const w of query) {
    if (lookup.words.has(w)) out.add(lookup.words.get(w));
    for (const [form, t] of lookup.words) if (form.startsWith(w)) out.add(t);
    const known = lookup.words.has(w) || [...lookup.words.keys()].some(f => f.startsWith(w));
    if (!known && matches(w, lookup).size === 0) {
      const cs = [...w];
      for (let k = cs.length - 1; k >= Math.max(3, cs.length - 4); k--) out.add(cs.slice(0, k).join(''));
    }
  }
  return [...out].filter(t => !lookup.terms.has(t)).sort();
}

// queryWords drops the stop words, which the index leaves out, unless
// nothing else is left.
export function queryWords(text, stops) {
  const all = [...new Set(tokens(text))];
  const kept = all.filter(w => !stops.includes(w));
  return kept;
}

// rank scores the essays that match every query word: for each word the
// best BM25 score among the stems it stands for, summed over the words.
// Ties go to the lower essay number, so the order is stable.
export function rank(meta, query, lookup) {
  if (query.length === 0) return [];
  const n = meta.n;
  const avg = meta.len.reduce((s, x) => s + x, 0) / Math.max(1, n) || 1;
  let total = null;
  for (const w of query) {
    const best = new Map();
    for (const [t, q] of matches(w, lookup)) {
      const p = lookup.terms.get(t);
      const df = p.length / 2;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      let doc = 0;
      for (let i = 0; i < p.length; i += 2) {
        doc += p[i];
        const tf = p[i + 1];
        const s = q * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * meta.len[doc] / avg));
        if (!(best.get(doc) >= s)) best.set(doc, s);
      }
    }
    if (total === null) total = best;
    else {
      const next = new Map();
      for (const [doc, s] of total) if (best.has(doc)) next.set(doc, s + best.get(doc));
      total = next;
    }
    if (total.size === 0) return [];
  }
  return [...total].map(([doc, score]) => ({ doc, score })).sort((x, y) => y.score - x.score || x.doc - y.doc);
}

// marker returns a test of a word of the text: does it match the query?
// A word matches when it begins with a query word, or its stem is one of
// the stems matched.
export function marker(query, lookup) {
  const stems = new Set();
  for (const w of query) for (const t of matches(w, lookup).keys()) stems.add(t);
  return word => {
    const w = word.toLowerCase();
    if (query.some(q => w.startsWith(q))) return true;
    return stems.has(lookup.words.get(w) || w);
  };
}

// snippet cuts the passage of about size words around the most matches
// out of text, as segments of text with the matched words marked.
export function snippet(text, isMatch, size = 30) {
  const parts = text.split(/([\p{L}\p{N}]+)/u); // words at odd indexes
  const words = [];
  for (let i = 1; i < parts.length; i += 2) words.push(i);
  const hit = words.map(i => isMatch(parts[i]));
  let best = 0, bestCount = -1, count = 0;
  for (let k = 0; k < words.length; k++) {
    count += hit[k] ? 1 : 0;
    if (k >= size) count -= hit[k - size] ? 1 : 0;
    const start = Math.max(0, k - size + 1);
    if (count > bestCount) { bestCount = count; best = start; }
  }
  // Start a little before the first match of the window, for context.
  let first = best;
  while (first < words.length && !hit[first]) first++;
  const start = first >= words.length ? 0 : Math.max(0, first - 5);
  const end = Math.min(words.length, start + size);
  const from = start === 0 ? 0 : words[start];
  const to = end >= words.length ? parts.length : words[end];
  const segs = [];
  if (start > 0) segs.push({ text: '… ', mark: false });
  for (let i = from; i < to; i++) {
    if (parts[i] === '') continue;
    const m = i % 2 === 1 && isMatch(parts[i]);
    const last = segs[segs.length - 1];
    if (!m && last && !last.mark) last.text += parts[i];
    else segs.push({ text: parts[i], mark: m });
  }
  if (to < parts.length) {
    const last = segs[segs.length - 1];
    if (last && !last.mark) last.text = last.text.trimEnd() + ' …';
    else segs.push({ text: ' …', mark: false });
  }
  return segs;
}

// Searcher fetches the index's files through fetchJSON (a URL to a
// promise of its JSON), each once.
export class Searcher {
  constructor(base, fetchJSON) {
    this.base = base;
    this.fetchJSON = fetchJSON;
    this.cache = new Map();
  }
  get(path) {
    if (!this.cache.has(path)) this.cache.set(path, this.fetchJSON(this.base + path));
    return this.cache.get(path);
  }
  meta() { return this.get('index.json'); }
  async shards(meta, words, withChildren = true) {
    const names = new Set();
    for (const w of words) for (const p of shardsFor(meta.s, w, withChildren)) names.add(p);
    return Promise.all([...names].sort().map(p => this.get('s/' + shardName(p) + '.json')));
  }
  // search returns the query's words, its ranked essays and the lookup
  // that matched them.
  async search(text) {
    const meta = await this.meta();
    const query = queryWords(text, meta.stop);
    const first = await this.shards(meta, query);
    let lookup = merge(first);
    const stems = stemsNeeded(query, lookup);
    if (stems.length) lookup = merge([...first, ...await this.shards(meta, stems, false)]);
    return { query, hits: rank(meta, query, lookup), lookup };
  }
  result(doc) { return this.get('d/' + doc + '.json'); }
}

// start makes the search form live: results as the reader types, in the
// list the form names, announced through its status line.
export function start(form) {
  const input = form.querySelector('input[type=search]');
  const status = document.getElementById(form.dataset.status);
  const list = document.getElementById(form.dataset.results);
  const more = document.getElementById(form.dataset.more);
  const empty = document.getElementById(form.dataset.empty);
  const searcher = new Searcher(form.dataset.index, url => fetch(url).then(r => {
    if (!r.ok) throw new Error(url + ': ' + r.status);
    return r.json();
  }));
  for (const el of document.querySelectorAll('[data-search-fallback]')) el.hidden = true;
  form.hidden = false;
  let seq = 0;
  let shown = 0;
  let current = null;

  const say = text => { status.textContent = text; };
  const clear = () => {
    list.replaceChildren();
    more.hidden = true;
    empty.hidden = true;
    shown = 0;
  };
  const item = (r, isMatch) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = r.u;
    a.textContent = r.t;
    const h = document.createElement('h2');
    h.append(a);
    li.append(h);
    if (r.d) {
      const d = document.createElement('p');
      d.className = 'meta';
      d.textContent = r.d;
      li.append(d);
    }
    const p = document.createElement('p');
    p.className = 'snippet';
    for (const s of snippet(r.x, isMatch)) {
      if (s.mark) {
        const m = document.createElement('mark');
        m.textContent = s.text;
        p.append(m);
      } else p.append(s.text);
    }
    li.append(p);
    return li;
  };
  const showMore = async (mine) => {
    const { hits, isMatch } = current;
    const page = hits.slice(shown, shown + pageSize);
    const results = await Promise.all(page.map(h => searcher.result(h.doc)));
    if (mine !== seq) return;
    list.append(...results.map(r => item(r, isMatch)));
    shown += page.length;
    more.hidden = shown >= hits.length;
  };
  const run = async () => {
    const text = input.value.trim();
    const mine = ++seq;
    const url = new URL(location.href);
    if (text) url.searchParams.set('q', text); else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    if (!text) { clear(); say(''); return; }
    let found;
    try {
      found = await searcher.search(text);
    } catch (err) {
      if (mine === seq) say('Search is not available: ' + err.message);
      return;
    }
    if (mine !== seq) return;
    current = { hits: found.hits, isMatch: marker(found.query, found.lookup) };
    clear();
    if (found.hits.length === 0) {
      say('No essays match “' + text + '”.' + (empty.querySelector('a') ? ' Browse by topic instead:' : ''));
      empty.hidden = false;
      return;
    }
    await showMore(mine);
    if (mine !== seq) return;
    const n = found.hits.length;
    say(n === 1 ? '1 essay matches “' + text + '”.' : n + ' essays match “' + text + '”.');
  };

  input.addEventListener('focus', () => { searcher.meta().catch(() => {}); }, { once: true });
  input.addEventListener('input', run);
  form.addEventListener('submit', e => { e.preventDefault(); run(); });
  more.addEventListener('click', async () => {
    const first = shown;
    await showMore(seq);
    list.querySelectorAll('a')[first]?.focus();
  });
  form.parentElement.addEventListener('keydown', e => {
    const links = [...list.querySelectorAll('a')];
    const at = links.indexOf(document.activeElement);
    if (e.key === 'Escape') {
      input.value = '';
      run();
      input.focus();
      e.preventDefault();
    } else if (e.key === 'ArrowDown' && (document.activeElement === input || at >= 0)) {
      links[Math.min(at + 1, links.length - 1)]?.focus();
      e.preventDefault();
    } else if (e.key === 'ArrowUp' && at >= 0) {
      (at === 0 ? input : links[at - 1]).focus();
      e.preventDefault();
    }
  });
  const q = new URLSearchParams(location.search).get('q');
  if (q) {
    input.value = q;
    run();
  }
}

if (typeof document !== 'undefined') {
  const form = document.querySelector('form[data-search]');
  if (form) start(form);
}
