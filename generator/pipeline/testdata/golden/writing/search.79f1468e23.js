const k1 = 1.2;
const b = 0.75;
const exactWeight = 1;
const prefixWeight = 0.6;
const stemWeight = 0.5;
const maxChildren = 6;
export const pageSize = 10;

export function tokens(text) {
return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(w => [...w].length >= 2);
}

export function shardName(p) {
if (/^[a-z0-9]+$/.test(p)) return p;
return '_' + [...new TextEncoder().encode(p)].map(x => x.toString(16).padStart(2, '0')).join('');
}

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

export function merge(shards) {
const words = new Map();
const terms = new Map();
for (const s of shards) {
for (const [w, t] of Object.entries(s.w || {})) words.set(w, t);
for (const [t, p] of Object.entries(s.t || {})) terms.set(t, p);
}
return { words, terms, forms: [...words.keys()].sort(), stems: [...terms.keys()].sort() };
}

export function withPrefix(sorted, w) {
let lo = 0, hi = sorted.length;
while (lo < hi) {
const mid = (lo + hi) >>> 1;
if (sorted[mid] < w) lo = mid + 1; else hi = mid;
}
let end = lo;
while (end < sorted.length && sorted[end].startsWith(w)) end++;
return sorted.slice(lo, end);
}

export function matches(w, lookup) {
const out = new Map();
const add = (t, q) => { if (lookup.terms.has(t) && !(out.get(t) >= q)) out.set(t, q); };
add(w, exactWeight);
if (lookup.words.has(w)) add(lookup.words.get(w), exactWeight);
for (const form of withPrefix(lookup.forms, w)) add(lookup.words.get(form), prefixWeight);
for (const t of withPrefix(lookup.stems, w)) add(t, prefixWeight);
if (out.size === 0) {
const cs = [...w];
for (let k = cs.length - 1; k >= Math.max(3, cs.length - 4); k--) {
const t = cs.slice(0, k).join('');
if (lookup.terms.has(t)) { add(t, stemWeight); break; }
}
}
return out;
}

export function stemsNeeded(query, lookup) {
const out = new Set();
for (const w of query) {
const forms = withPrefix(lookup.forms, w); // w itself among them
for (const form of forms) out.add(lookup.words.get(form));
if (forms.length === 0 && matches(w, lookup).size === 0) {
const cs = [...w];
for (let k = cs.length - 1; k >= Math.max(3, cs.length - 4); k--) out.add(cs.slice(0, k).join(''));
}
}
return [...out].filter(t => !lookup.terms.has(t)).sort();
}

export function queryWords(text, stops) {
const all = [...new Set(tokens(text))];
const kept = all.filter(w => !stops.includes(w));
return kept;
}

export function averageLength(meta) {
return meta.len.reduce((s, x) => s + x, 0) / Math.max(1, meta.n) || 1;
}

export function rank(meta, query, lookup) {
if (query.length === 0) return [];
const n = meta.n;
const avg = meta.avg ?? averageLength(meta);
const norm = new Float64Array(n); // BM25's length normalization
for (let d = 0; d < n; d++) norm[d] = k1 * (1 - b + b * meta.len[d] / avg);
let total = null;
for (const w of query) {
const best = new Float64Array(n);
for (const [t, q] of matches(w, lookup)) {
const p = lookup.terms.get(t);
const df = p.length / 2;
const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
let doc = 0;
for (let i = 0; i < p.length; i += 2) {
doc += p[i];
const tf = p[i + 1];
const s = q * idf * tf * (k1 + 1) / (tf + norm[doc]);
if (s > best[doc]) best[doc] = s;
}
}
if (total === null) total = best;
else for (let d = 0; d < n; d++) total[d] = total[d] > 0 && best[d] > 0 ? total[d] + best[d] : 0;
}
let count = 0;
for (let d = 0; d < n; d++) if (total[d] > 0) count++;
const docs = new Int32Array(count);
for (let d = 0, k = 0; d < n; d++) if (total[d] > 0) docs[k++] = d;
docs.sort((x, y) => total[y] - total[x] || x - y);
return Array.from(docs, doc => ({ doc, score: total[doc] }));
}

export function marker(query, lookup) {
const stems = new Set();
for (const w of query) for (const t of matches(w, lookup).keys()) stems.add(t);
const known = new Map();
return word => {
let is = known.get(word);
if (is === undefined) {
const w = word.toLowerCase();
is = query.some(q => w.startsWith(q)) || stems.has(lookup.words.get(w) || w);
known.set(word, is);
}
return is;
};
}

export function snippet(text, isMatch, size = 30) {
const parts = text.split(/([\p{L}\p{N}]+)/u); // word k at index 2k+1
const nwords = (parts.length - 1) / 2;
const hit = new Uint8Array(nwords);
for (let k = 0; k < nwords; k++) hit[k] = isMatch(parts[2 * k + 1]) ? 1 : 0;
let best = 0, bestCount = -1, count = 0;
for (let k = 0; k < nwords; k++) {
count += hit[k];
if (k >= size) count -= hit[k - size];
const start = Math.max(0, k - size + 1);
if (count > bestCount) { bestCount = count; best = start; }
}
let first = best;
while (first < nwords && !hit[first]) first++;
const start = first >= nwords ? 0 : Math.max(0, first - 5);
const end = Math.min(nwords, start + size);
const from = start === 0 ? 0 : 2 * start + 1;
const to = end >= nwords ? parts.length : 2 * end + 1;
const segs = [];
if (start > 0) segs.push({ text: '… ', mark: false });
for (let i = from; i < to; i++) {
if (parts[i] === '') continue;
const m = i % 2 === 1 && hit[(i - 1) / 2] === 1;
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

const keptLookups = 16;

export class Searcher {
constructor(base, fetchJSON) {
this.base = base;
this.fetchJSON = fetchJSON;
this.cache = new Map();
this.lookups = new Map();
}
get(path) {
if (!this.cache.has(path)) this.cache.set(path, this.fetchJSON(this.base + path));
return this.cache.get(path);
}
meta() {
this.loaded ??= this.get('index.json').then(m => ({ ...m, avg: averageLength(m) }));
return this.loaded;
}
lookup(prefixes) {
const files = [...new Set(prefixes)].sort().map(p => 's/' + shardName(p) + '.json');
const key = files.join(' ');
let l = this.lookups.get(key);
if (l === undefined) {
l = Promise.all(files.map(f => this.get(f))).then(merge);
if (this.lookups.size >= keptLookups) this.lookups.delete(this.lookups.keys().next().value);
} else this.lookups.delete(key); // kept again as the newest
this.lookups.set(key, l);
return l;
}
async search(text) {
const meta = await this.meta();
const query = queryWords(text, meta.stop);
const first = query.flatMap(w => shardsFor(meta.s, w));
let lookup = await this.lookup(first);
const stems = stemsNeeded(query, lookup);
if (stems.length) lookup = await this.lookup([...first, ...stems.flatMap(t => shardsFor(meta.s, t, false))]);
return { query, hits: rank(meta, query, lookup), lookup };
}
result(doc) { return this.get('d/' + doc + '.json'); }
}

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
const remember = text => {
const url = new URL(location.href);
if (text) url.searchParams.set('q', text); else url.searchParams.delete('q');
history.replaceState(null, '', url);
};
const run = async () => {
const text = input.value.trim();
const mine = ++seq;
if (!text) { clear(); say(''); remember(text); return; }
let found;
try {
found = await searcher.search(text);
} catch (err) {
if (mine === seq) { say('Search is not available: ' + err.message); remember(text); }
return;
}
if (mine !== seq) return;
current = { hits: found.hits, isMatch: marker(found.query, found.lookup) };
clear();
if (found.hits.length === 0) {
say('No essays match “' + text + '”.' + (empty.querySelector('a') ? ' Browse by topic instead:' : ''));
empty.hidden = false;
remember(text);
return;
}
await showMore(mine);
if (mine !== seq) return;
const n = found.hits.length;
say(n === 1 ? '1 essay matches “' + text + '”.' : n + ' essays match “' + text + '”.');
remember(text);
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
