export const fill = (t, v) => t.replace(/\{(\w+)\}/g, (m, k) => (k in v ? String(v[k]) : m));

export function itemScore(item, answer) {
if (answer == null || answer === '') return null;
if (item.type === 'likert') return item.keyed === 'left' ? 2 - answer : answer - 2;
const o = item.type === 'choice' && item.options[answer];
return o && o.score != null ? o.score : null;
}

export function bandIndex(bands, total, span) {
const t = total * 100;
return bands.findIndex((b, i) => t >= b.from * span && (t < b.to * span || (i === bands.length - 1 && t <= b.to * span)));
}

export function profile(scores, total, span) {
const s = scores.filter((x) => x != null);
if (!s.length || 3 * Math.abs(total) > span) return null;
return s.reduce((a, x) => a + Math.abs(x), 0) / s.length >= 1 ? 'mixed' : 'balanced';
}

export function pulls(scores) {
const side = (f) => scores.map((s, i) => [s, i]).filter(([s]) => s != null && f(s))
.sort((a, b) => Math.abs(b[0]) - Math.abs(a[0]) || a[1] - b[1]).map(([, i]) => i);
return { left: side((s) => s < 0), right: side((s) => s > 0) };
}

export function score(data, answers) {
const scores = data.items.map((it, i) => itemScore(it, answers[i]));
const total = scores.reduce((a, s) => a + (s || 0), 0);
return {
total, scores,
position: (100 * total) / data.span,
band: bandIndex(data.bands, total, data.span),
profile: profile(scores, total, data.span),
};
}

export function quizScore(data, answers) {
const right = data.items.map((it, i) => {
const want = it.options.flatMap((o, j) => (o.correct ? [j] : []));
const a = answers[i];
const got = Array.isArray(a) ? [...a].sort((x, y) => x - y) : a == null ? [] : [a];
return want.length === got.length && want.every((j, k) => j === got[k]);
});
const n = right.filter(Boolean).length;
return { right, score: n, total: right.length, passed: n >= data.pass };
}

export const unanswered = (data, answers) => data.items.flatMap((it, i) => {
const a = answers[i];
return it.type !== 'reflection' && (a == null || (Array.isArray(a) && !a.length)) ? [i] : [];
});

export function where(data, position) {
const s = data.strings, p = Math.round(Math.abs(position));
return p ? fill(s.where, { percent: p, end: position < 0 ? data.axis.left : data.axis.right }) : s.middleWhere;
}

export function describe(data, r) {
const s = data.strings, band = (data.bands[r.band] || {}).title || '', p = Math.round(Math.abs(r.position));
return p ? fill(s.position, { band, percent: p, end: r.position < 0 ? data.axis.left : data.axis.right }) : fill(s.middle, { band });
}

export const earlier = (data, attempt, date) => fill(data.strings.earlier, { where: where(data, attempt.position), date });

export const storageKey = (id, version) => `selfcheck:${id}:v${version}`;

export const record = (prev, answers, attempt, md) => ({ answers, attempts: [...((prev && prev.attempts) || []), attempt], md });

export function olderKeys(keys, id, version) {
const pre = `selfcheck:${id}:v`;
return keys.filter((k) => k.startsWith(pre) && /^\d+$/.test(k.slice(pre.length)) && +k.slice(pre.length) !== version)
.map((key) => ({ key, version: +key.slice(pre.length) })).sort((a, b) => b.version - a.version);
}

export function answerText(data, item, a) {
const s = data.strings;
if (item.type === 'likert') return a == null ? '' : [s.sd, s.d, s.n, s.a, s.sa][a];
if (item.type === 'reflection') return a || '';
return (Array.isArray(a) ? a : a == null ? [] : [a]).map((j) => item.options[j].text).join('; ');
}

export function resultLines(data, answers) {
const s = data.strings;
if (data.kind === 'quiz') {
const q = quizScore(data, answers);
return [fill(s.quizScore, q), q.passed ? s.passed : fill(s.failed, { pass: data.pass })];
}
const r = score(data, answers);
return [describe(data, r) + '.', ...(r.profile ? [s[r.profile]] : [])];
}

export function toMarkdown(data, answers, date, history = []) {
const s = data.strings, out = [`# ${data.title}`, '', date, ''];
data.items.forEach((it, i) => {
const a = answerText(data, it, answers[i]);
out.push(`## ${i + 1}. ${it.text}`, '', it.type === 'reflection' ? a.split('\n').map((l) => `> ${l}`).join('\n') : a, '');
});
out.push(`## ${s.result}`, '', ...resultLines(data, answers), '');
if (history.length) out.push(`## ${s.history}`, '', ...history.map((h) => `- ${h}`), '');
return out.join('\n');
}


const el = (tag, cls, text) => {
const e = document.createElement(tag);
if (cls) e.className = cls;
if (text != null) e.textContent = text;
return e;
};

const load = (k) => {
try { return JSON.parse(localStorage.getItem(k)); } catch { return null; }
};

const store = (k, v) => {
try { localStorage.setItem(k, JSON.stringify(v)); } catch { /* private mode or full: the result still shows */ }
};

const day = (iso) => {
try {
return new Date(iso).toLocaleDateString(document.documentElement.lang || undefined, { day: 'numeric', month: 'long', year: 'numeric' });
} catch { return iso.slice(0, 10); }
};

const left = (p) => `${50 + p / 2}%`;

function init(form) {
const script = form.querySelector('.sc-data');
if (!script || form.classList.contains('sc-on')) return;
const data = JSON.parse(script.textContent);
const s = data.strings;
const $ = (q) => form.querySelector(q);
const res = $('.sc-result'), saved = $('.sc-saved');
const key = storageKey(data.id, data.version);
const inputs = (i) => [...form.querySelectorAll(`[name="${form.id}-${i + 1}"]`)];
const label = (i, j) => $(`label[for="${form.id}-${i + 1}-${j + 1}"]`).textContent;
const question = (i) => $(`#${form.id}-${i + 1}-q`).textContent;
const read = () => data.items.map((it, i) => {
const els = inputs(i);
if (it.type === 'reflection') return els[0].value;
const on = els.filter((e) => e.checked).map((e) => +e.value);
return it.type === 'multi' ? on : on.length ? on[0] : null;
});
const write = (a) => data.items.forEach((it, i) => inputs(i).forEach((e) => {
if (it.type === 'reflection') e.value = a[i] || '';
else e.checked = Array.isArray(a[i]) ? a[i].includes(+e.value) : a[i] === +e.value;
}));
const history = (rec) => (rec ? rec.attempts.slice(0, -1) : []);
const button = (text, f) => {
const b = el('button', null, text);
b.type = 'button';
b.addEventListener('click', f);
return b;
};
const announce = (nodes) => {
res.replaceChildren(...nodes);
res.focus();
};

function continuum(a, rec) {
const r = score(data, a);
const cell = $(`tr[data-band="${r.band}"] td + td`);
const track = el('div', 'sc-track');
for (const h of history(rec)) {
const d = el('span', 'sc-past');
d.style.left = left(h.position);
d.title = earlier(data, h, day(h.at));
track.append(d);
}
const mark = el('span', 'sc-mark');
mark.style.left = left(r.position);
track.append(mark);
const axis = el('div', 'sc-axis');
axis.setAttribute('aria-hidden', 'true');
axis.append(el('span', null, data.axis.left), track, el('span', null, data.axis.right));
const out = [el('p', 'sc-rt', data.bands[r.band].title), axis, el('p', 'sc-pos', describe(data, r))];
if (r.profile) out.push(el('p', 'sc-prof', s[r.profile]));
const body = cell && cell.querySelector('.sc-bb');
if (body) out.push(body.cloneNode(true));
const p = pulls(r.scores);
for (const [side, end] of [['left', data.axis.left], ['right', data.axis.right]]) {
if (!p[side].length) continue;
const ul = el('ul');
for (const i of p[side]) ul.append(el('li', null, `${question(i)} — ${label(i, a[i])}`));
out.push(el('p', 'sc-h', fill(s.pulled, { end })), ul);
}
const refl = cell && cell.querySelector('.sc-br');
if (refl) out.push(el('p', 'sc-h', s.reflect), refl.cloneNode(true));
return { r, out };
}

function unmark() {
form.querySelectorAll('.sc-m').forEach((m) => m.remove());
form.querySelectorAll('.sc-fb').forEach((f) => { f.hidden = true; });
form.querySelectorAll('.sc-opt').forEach((o) => o.classList.remove('sc-ok', 'sc-no'));
form.querySelectorAll('[aria-describedby]').forEach((i) => i.removeAttribute('aria-describedby'));
}

function quiz(a) {
unmark();
const q = quizScore(data, a);
data.items.forEach((it, i) => inputs(i).forEach((inp) => {
const j = +inp.value, o = it.options[j];
const chosen = Array.isArray(a[i]) ? a[i].includes(j) : a[i] === j;
const box = inp.parentNode;
box.classList.toggle('sc-ok', !!o.correct);
box.classList.toggle('sc-no', chosen && !o.correct);
const ids = [];
if (o.correct || chosen) {
const m = el('span', 'sc-m', `${o.correct ? `✓ ${s.correct}` : `✗ ${s.incorrect}`}${chosen ? ` (${s.yourAnswer})` : ''}`);
m.id = `${inp.id}-m`;
ids.push(m.id);
box.querySelector('label').after(m);
}
const fb = box.querySelector('.sc-fb');
if (fb) {
fb.hidden = false;
ids.push(fb.id);
}
if (ids.length) inp.setAttribute('aria-describedby', ids.join(' '));
}));
const out = [el('p', 'sc-rt', fill(s.quizScore, q)), el('p', null, q.passed ? s.passed : fill(s.failed, { pass: data.pass }))];
out.push(button(s.retry, () => {
form.reset();
unmark();
res.replaceChildren();
inputs(0)[0].focus();
}));
return { r: q, out };
}

const show = (a, rec) => (data.kind === 'quiz' ? quiz(a) : continuum(a, rec));

function showSaved() {
const rec = load(key), parts = [];
const past = history(rec);
if (past.length) {
const ul = el('ul');
for (const h of past) ul.append(el('li', null, data.kind === 'quiz' ? `${day(h.at)}: ${fill(s.quizScore, h)}` : earlier(data, h, day(h.at))));
parts.push(el('p', 'sc-h', s.history), ul);
}
const older = olderKeys(Object.keys(localStorage), data.id, data.version);
for (const o of older) {
const d = el('details', 'sc-older');
const old = load(o.key);
d.append(el('summary', null, fill(s.older, { version: o.version })), el('pre', null, (old && old.md) || ''));
parts.push(d);
}
if (rec || older.length) {
const note = el('span', 'sc-note');
note.setAttribute('role', 'status');
const md = () => (rec ? rec.md : '') + older.map((o) => `\n---\n\n${(load(o.key) || {}).md || ''}`).join('');
const tools = el('p', 'sc-tools');
tools.append(
button(s.copy, async () => {
try { await navigator.clipboard.writeText(md()); note.textContent = s.copied; } catch { note.textContent = ''; }
}),
button(s.download, () => {
const a = el('a');
a.href = URL.createObjectURL(new Blob([md()], { type: 'text/markdown' }));
a.download = `${data.id}.md`;
a.click();
setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}),
button(s.forget, () => {
localStorage.removeItem(key);
for (const o of older) localStorage.removeItem(o.key);
form.reset();
unmark();
showSaved();
announce([el('p', null, s.forgotten)]);
}),
note,
);
parts.push(el('p', 'sc-small', s.stored), tools);
}
saved.replaceChildren(...parts);
}

form.addEventListener('submit', (e) => {
e.preventDefault();
const a = read();
const missing = unanswered(data, a);
if (missing.length) {
res.replaceChildren(el('p', 'sc-warn', fill(s.unanswered, { n: missing.length })));
inputs(missing[0])[0].focus();
return;
}
const prev = load(key);
const at = new Date().toISOString();
const lines = (prev ? history(prev).concat(prev.attempts.slice(-1)) : []).map((h) => (data.kind === 'quiz' ? `${day(h.at)}: ${fill(s.quizScore, h)}` : earlier(data, h, day(h.at))));
const probe = show(a, prev).r;
const attempt = data.kind === 'quiz'
? { at, score: probe.score, total: probe.total, passed: probe.passed }
: { at, total: probe.total, position: probe.position, band: data.bands[probe.band].title };
const rec = record(prev, a, attempt, toMarkdown(data, a, day(at), lines));
store(key, rec);
announce(show(a, rec).out);
showSaved();
form.dispatchEvent(new CustomEvent('selfcheck:complete', { bubbles: true, detail: { id: data.id, version: data.version, kind: data.kind, answers: a, ...attempt } }));
});

form.classList.add('sc-on');
const rec = load(key);
if (rec && rec.answers) {
write(rec.answers);
res.replaceChildren(...show(rec.answers, rec).out);
}
showSaved();
}

if (typeof document !== 'undefined') {
const all = () => document.querySelectorAll('form.selfcheck').forEach(init);
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all);
else all();
addEventListener('beforeprint', () => document.querySelectorAll('.selfcheck details').forEach((d) => { d.open = true; }));
}
