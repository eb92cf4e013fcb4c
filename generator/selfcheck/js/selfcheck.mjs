// Steward's self-check widget: an ES module that enhances every
// form.selfcheck on the page. Its pure logic (scoring, bands, the balanced
// or mixed reading, storage records, the Markdown export) is exported and
// tested with node --test; the DOM part runs only in a browser. It never
// touches the network: answers stay in localStorage.
//
// Block data comes from the <script type="application/json" class="sc-data">
// inside each form (see render.go). Answers are an array, one entry per
// item: an option index (choice, likert: 0 strongly disagree .. 4 strongly
// agree), an array of indexes (multi), a string (reflection), or null.

// fill replaces {name} placeholders in t with values from v.
export const fill = (t, v) => t.replace(/\{(\w+)\}/g, (m, k) => (k in v ? String(v[k]) : m));

// itemScore is the points an answer earns toward the right end, or null
// for an unscored item or a missing answer.
export function itemScore(item, answer) {
  if (answer == null || answer === '') return null;
  if (item.type === 'likert') return item.keyed === 'left' ? 2 - answer : answer - 2;
  const o = item.type === 'choice' && item.options[answer];
  return o && o.score != null ? o.score : null;
}

// bandIndex finds the band holding a total: a total t sits at position
// 100*t/span; a band holds from <= position < to, the last also its to.
// Whole-number arithmetic, as in the Go code that checks the bands.
export function bandIndex(bands, total, span) {
  const t = total * 100;
  return bands.findIndex((b, i) => t >= b.from * span && (t < b.to * span || (i === bands.length - 1 && t <= b.to * span)));
}

// middleBand is the band that holds the middle (position 0) inside it, or
// -1 when 0 is where one band ends and the next begins: then no band is
// the middle one.
export function middleBand(bands, span) {
  const i = bandIndex(bands, 0, span);
  return i >= 0 && bands[i].from < 0 ? i : -1;
}

// profile tells, for a result in the middle band, "balanced" (answers
// mostly mild) from "mixed" (strong answers that cancel out); else null.
// It follows the bands, so the note never contradicts the band's title.
export function profile(scores, band, mid) {
  const s = scores.filter((x) => x != null);
  if (!s.length || band < 0 || band !== mid) return null;
  return s.reduce((a, x) => a + Math.abs(x), 0) / s.length >= 1 ? 'mixed' : 'balanced';
}

// spread is the range of positions the single answers point to: an
// answer of -2..2 points 100*s/2 of the way to an end.
export function spread(scores) {
  const p = scores.filter((x) => x != null).map((x) => 50 * x);
  return p.length ? { from: Math.min(...p), to: Math.max(...p) } : null;
}

// pulls lists the items whose answers pulled toward each end, strongest first.
export function pulls(scores) {
  const side = (f) => scores.map((s, i) => [s, i]).filter(([s]) => s != null && f(s))
    .sort((a, b) => Math.abs(b[0]) - Math.abs(a[0]) || a[1] - b[1]).map(([, i]) => i);
  return { left: side((s) => s < 0), right: side((s) => s > 0) };
}

// totals sums the scores of a continuum (one total) or of a quadrant's
// x and y axes (two).
export const totals = (data, scores) => (data.kind === 'quadrant' ? ['x', 'y'] : [0])
  .map((ax) => scores.reduce((a, s, i) => a + (s != null && (!ax || data.items[i].axis === ax) ? s : 0), 0));

// quadIndex finds a quadrant's result for its two totals: the middle (4)
// when both positions are within its size, else the quadrant whose sides
// match; a position of exactly 0 belongs to the right, as a band holds its
// from. Whole-number arithmetic, as in the Go code.
export function quadIndex(data, t) {
  const [sx, sy] = data.spans, w = data.within;
  if (w && 100 * Math.abs(t[0]) <= w * sx && 100 * Math.abs(t[1]) <= w * sy) return 4;
  const side = (v) => (v < 0 ? 'left' : 'right');
  return data.bands.findIndex((b) => b.x === side(t[0]) && b.y === side(t[1]));
}

// result is what a result shows, from its totals: position or point, band.
export function result(data, t, scores = []) {
  if (data.kind === 'quadrant') {
    return { totals: t, scores, point: t.map((v, i) => (100 * v) / data.spans[i]), band: quadIndex(data, t) };
  }
  const band = bandIndex(data.bands, t[0], data.span);
  return {
    total: t[0], totals: t, scores, position: (100 * t[0]) / data.span, band,
    profile: profile(scores, band, middleBand(data.bands, data.span)),
  };
}

// score computes a continuum's or a quadrant's result.
export function score(data, answers) {
  const scores = data.items.map((it, i) => itemScore(it, answers[i]));
  return result(data, totals(data, scores), scores);
}

// quizScore marks a quiz: an item is right when exactly its correct
// options are chosen.
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

// unanswered lists the items still lacking an answer (reflections are optional).
export const unanswered = (data, answers) => data.items.flatMap((it, i) => {
  const a = answers[i];
  return it.type !== 'reflection' && (a == null || (Array.isArray(a) && !a.length)) ? [i] : [];
});

// words fills template t with a position p on axis a: how far toward
// which end; null in the middle (within half a percent).
function words(a, p, t, v) {
  const percent = Math.round(Math.abs(p));
  return percent ? fill(t, { ...v, percent, end: p < 0 ? a.left : a.right }) : null;
}

// where words a position: "35% Servant leadership", or "the middle".
export const where = (data, p) => words(data.axis, p, data.strings.where) || data.strings.middleWhere;

// toward words a position on a quadrant's axis ("x" or "y"):
// "40% toward Servant leadership", or "midway between ... and ...".
export const toward = (data, ax, p) => words(data.axes[ax], p, data.strings.toward) || fill(data.strings.even, data.axes[ax]);

// at words where a result or a past attempt stands, without its title.
export const at = (data, r) => (r.point ? `${toward(data, 'x', r.point[0])}; ${toward(data, 'y', r.point[1])}` : where(data, r.position));

// describe is the text alternative of the drawn result.
export function describe(data, r) {
  const s = data.strings, band = (data.bands[r.band] || {}).title || '';
  if (r.point) return fill(s.point, { title: band, x: toward(data, 'x', r.point[0]), y: toward(data, 'y', r.point[1]) });
  return words(data.axis, r.position, s.position, { band }) || fill(s.middle, { band });
}

// earlier words a past attempt, given its date already formatted.
export const earlier = (data, attempt, date) => fill(data.strings.earlier, { where: at(data, attempt), date });

// A shared result lives in the URL's fragment, which browsers never send
// to a server: #sc.<id>.<version>.<c or q>.<total or x_y totals>.<band>,
// then, only when the reader chose to include them, .<answers>, one
// character per item (the option's index in base 36, - for none).
const KIND = { continuum: 'c', quadrant: 'q' };

// shareHash makes the fragment of a result r; answers only if given.
export function shareHash(data, r, answers) {
  const p = [data.id, data.version, KIND[data.kind], r.totals.join('_'), r.band];
  if (answers) p.push(data.items.map((it, i) => (it.type === 'reflection' || answers[i] == null ? '-' : answers[i].toString(36))).join(''));
  return '#sc.' + p.join('.');
}

// parseShare reads a result of this block from a fragment. Whatever does
// not hold together (another block or version, a total out of reach, a
// band that is not the totals' band, answers that do not add up to the
// totals) gives null: a tampered link shows nothing.
export function parseShare(data, hash) {
  const m = /^#sc\.([A-Za-z0-9][\w-]*)\.(\d{1,9})\.([cq])\.(-?\d{1,4}(?:_-?\d{1,4})?)\.(\d{1,2})(?:\.([0-9a-z-]{1,400}))?$/.exec(hash);
  if (!m || m[1] !== data.id || +m[2] !== data.version || m[3] !== KIND[data.kind]) return null;
  const t = m[4].split('_').map(Number), spans = data.spans || [data.span];
  if (t.length !== spans.length || t.some((v, i) => Math.abs(v) > spans[i])) return null;
  let answers = null;
  if (m[6]) {
    answers = [...m[6]].map((c) => (c === '-' ? null : parseInt(c, 36)));
    if (answers.length !== data.items.length || data.items.some((it, i) => (it.type === 'reflection'
      ? answers[i] != null : answers[i] == null || answers[i] >= (it.options || [0, 0, 0, 0, 0]).length))) return null;
    if (totals(data, answers.map((a, i) => itemScore(data.items[i], a))).join() !== t.join()) return null;
  }
  const r = answers ? score(data, answers) : result(data, t);
  return r.band >= 0 && r.band === +m[5] ? { ...r, answers } : null;
}

// The storage record of one block version: { answers, attempts, md }.
// attempts are { at, total, position, band } for a continuum,
// { at, totals, point, band } for a quadrant and { at, score, total,
// passed } for a quiz; md is the Markdown export, kept
// so that answers to an older version stay readable after the items change.
export const storageKey = (id, version) => `selfcheck:${id}:v${version}`;

// record returns a new record with the answers and one more attempt.
export const record = (prev, answers, attempt, md) => ({ answers, attempts: [...((prev && prev.attempts) || []), attempt], md });

// olderKeys picks, from all storage keys, those of other versions of the
// block, newest version first.
export function olderKeys(keys, id, version) {
  const pre = `selfcheck:${id}:v`;
  return keys.filter((k) => k.startsWith(pre) && /^\d+$/.test(k.slice(pre.length)) && +k.slice(pre.length) !== version)
    .map((key) => ({ key, version: +key.slice(pre.length) })).sort((a, b) => b.version - a.version);
}

// answerText words an answer with the author's (Markdown) texts.
export function answerText(data, item, a) {
  const s = data.strings;
  if (item.type === 'likert') return a == null ? '' : [s.sd, s.d, s.n, s.a, s.sa][a];
  if (item.type === 'reflection') return a || '';
  return (Array.isArray(a) ? a : a == null ? [] : [a]).map((j) => item.options[j].text).join('; ');
}

// resultLines words a result for the export.
export function resultLines(data, answers) {
  const s = data.strings;
  if (data.kind === 'quiz') {
    const q = quizScore(data, answers);
    return [fill(s.quizScore, q), q.passed ? s.passed : fill(s.failed, { pass: data.pass })];
  }
  const r = score(data, answers);
  return [describe(data, r) + '.', ...(r.profile ? [s[r.profile]] : []), ...(r.point ? [] : [spreadText(data, r)])];
}

// spreadText words the range the single answers of a continuum covered.
export function spreadText(data, r) {
  const sp = spread(r.scores);
  return sp ? fill(data.strings.spread, { from: where(data, sp.from), to: where(data, sp.to) }) : '';
}

// toMarkdown exports the answers, the result and earlier attempts.
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

// ---- The browser part. ----

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
    return new Date(iso).toLocaleDateString(document.documentElement.lang || undefined, { dateStyle: 'long' });
  } catch { return iso.slice(0, 10); }
};

// A position -100..100 as a left offset along the track.
const left = (p) => `${50 + p / 2}%`;

// draw pictures results on the axis or the map: the reader's (mine, with
// its band or quadrant and, on an axis, the range of the answers), earlier
// attempts (past, fainter) and others' (shared, drawn as diamonds). It is
// hidden from assistive technology: a text beside it says the same.
function draw(data, mine, past, others) {
  const box = el('div', 'sc-axis'), ax = data.axes || { x: data.axis };
  box.setAttribute('aria-hidden', 'true');
  if (ax.y) {
    // Numbers only go into this markup; the labels are set as text.
    const w = data.within, b = mine && data.bands[mine.band];
    const dot = (r, c, n) => `<circle cx="${r.point[0]}" cy="${-r.point[1]}" r="${n}" class="${c}"/>`;
    box.innerHTML = `<span class="sc-yr"></span><svg viewBox="-104 -104 208 208" class="sc-map"><rect x="-100" y="-100" width="200" height="200" class="sc-band"/>${
      b && b.x ? `<rect x="${b.x < 'r' ? -100 : 0}" y="${b.y < 'r' ? 0 : -100}" width="100" height="100" class="sc-in"/>` : ''}${
      w ? `<rect x="${-w}" y="${-w}" width="${2 * w}" height="${2 * w}" class="sc-mid${b && !b.x ? ' sc-in' : ''}"/>` : ''
    }<path d="M0-100V100M-100 0H100" class="sc-cross"/>${past.filter((h) => h.point).map((h) => dot(h, 'sc-past', 4)).join('')}${
      others.map((o) => `<rect x="-5" y="-5" width="10" height="10" class="sc-other" transform="translate(${o.point[0]} ${-o.point[1]}) rotate(45)"/>`).join('')
    }${mine ? dot(mine, 'sc-mark', 7) : ''}</svg><span class="sc-yl"></span>`;
    box.firstChild.textContent = ax.y.right;
    box.lastChild.textContent = ax.y.left;
  } else {
    const track = el('div', 'sc-track');
    const put = (cls, from, to) => {
      const e = el('span', cls);
      e.style.left = left(from);
      if (to != null) e.style.width = `${(to - from) / 2}%`;
      track.append(e);
    };
    data.bands.forEach((b, i) => put(mine && i === mine.band ? 'sc-band sc-in' : 'sc-band', b.from, b.to));
    const sp = mine && spread(mine.scores);
    if (sp) put('sc-range', sp.from, sp.to);
    for (const h of past) if (h.position != null) put('sc-past', h.position);
    for (const o of others) put('sc-other', o.position);
    if (mine) put('sc-mark', mine.position);
    box.append(track);
  }
  const e = el('div', 'sc-ends');
  e.append(el('span', null, ax.x.left), el('span', null, ax.x.right));
  box.append(e);
  return box;
}

function init(form) {
  const script = form.querySelector('.sc-data');
  if (!script || form.classList.contains('sc-on')) return;
  const data = JSON.parse(script.textContent);
  const s = data.strings, quiz = data.kind === 'quiz';
  const $ = (q) => form.querySelector(q);
  const res = $('.sc-result'), saved = $('.sc-saved'), prog = $('.sc-progress');
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
  const note = () => {
    const n = el('span', 'sc-note');
    n.setAttribute('role', 'status');
    return n;
  };
  const copy = async (text, n, done) => {
    try { await navigator.clipboard.writeText(text); n.textContent = done; } catch { n.textContent = ''; }
  };
  const texts = (r) => {
    const cell = $(`tr[data-band="${r.band}"] td:last-child`), body = cell && cell.querySelector('.sc-bb'), refl = cell && cell.querySelector('.sc-br');
    return { body: body ? [body.cloneNode(true)] : [], refl: refl ? [el('p', 'sc-h', s.reflect), refl.cloneNode(true)] : [] };
  };

  // Progress: announced (politely) when the count changes, not when an
  // answer merely moves within a question.
  const scored = data.items.filter((it) => it.type !== 'reflection').length;
  let done = 0;
  const progress = () => {
    const n = scored - unanswered(data, read()).length;
    if (n !== done) prog.textContent = fill(s.progress, { n: (done = n), total: scored });
  };
  form.addEventListener('change', (e) => {
    const f = e.target.closest('fieldset');
    if (f) f.classList.remove('sc-miss');
    progress();
  });

  // A result someone shared, from the fragment of the page's URL.
  const shared = !quiz && parseShare(data, location.hash);
  if (shared) {
    const box = el('section', 'sc-shared');
    box.append(el('h3', 'sc-rt', s.shared), draw(data, null, [], [shared]), el('p', 'sc-pos', describe(data, shared)));
    if (shared.answers) {
      const ul = el('ul');
      shared.answers.forEach((a, i) => a != null && ul.append(el('li', null, `${question(i)} — ${label(i, a)}`)));
      box.append(el('p', 'sc-h', s.sharedAnswers), ul);
    }
    box.append(el('p', null, s.sharedInvite));
    ($('.sc-intro') || $('.sc-title')).after(box);
    box.scrollIntoView();
  }

  function scale(a, rec) {
    const r = score(data, a);
    const out = [el('h3', 'sc-rt', data.bands[r.band].title), draw(data, r, history(rec), shared ? [shared] : []), el('p', 'sc-pos', describe(data, r))];
    if (shared) out.push(el('p', 'sc-pos', `${s.shared}: ${describe(data, shared)}`));
    const { body, refl } = texts(r);
    if (r.point) out.push(...body);
    else {
      out.push(el('p', null, spreadText(data, r)));
      if (r.profile) out.push(el('p', 'sc-prof', s[r.profile]));
      out.push(...body);
      const p = pulls(r.scores);
      for (const side of ['left', 'right']) {
        if (!p[side].length) continue;
        const ul = el('ul');
        for (const i of p[side]) ul.append(el('li', null, `${question(i)} — ${label(i, a[i])}`));
        out.push(el('p', 'sc-h', fill(s.pulled, { end: data.axis[side] })), ul);
      }
    }
    out.push(...refl);
    // Sharing: the result only, unless the reader ticks the box.
    const box = el('p', 'sc-share'), n = note(), tick = el('input'), lab = el('label', null, s.shareAnswers);
    tick.type = 'checkbox';
    tick.id = lab.htmlFor = `${form.id}-inc`;
    box.append(button(s.share, async () => {
      const url = location.href.split('#')[0] + shareHash(data, r, tick.checked && a);
      if (navigator.share) {
        try { return await navigator.share({ title: data.title, url }); } catch (e) { if (e.name === 'AbortError') return; }
      }
      await copy(url, n, s.linkCopied);
      const link = el('a', null, url);
      link.href = url;
      n.append(link);
    }), tick, lab, n);
    out.push(box);
    return { r, out };
  }

  function unmark() {
    form.querySelectorAll('.sc-m').forEach((m) => m.remove());
    form.querySelectorAll('.sc-fb').forEach((f) => { f.hidden = true; });
    form.querySelectorAll('.sc-opt').forEach((o) => o.classList.remove('sc-ok', 'sc-no'));
    form.querySelectorAll('[aria-describedby]').forEach((i) => i.removeAttribute('aria-describedby'));
  }

  function check(a) {
    unmark();
    const q = quizScore(data, a);
    data.items.forEach((it, i) => inputs(i).forEach((inp) => {
      const j = +inp.value, o = it.options[j];
      const chosen = Array.isArray(a[i]) ? a[i].includes(j) : a[i] === j;
      const box = inp.parentNode;
      box.classList.toggle('sc-ok', !!o.correct);
      box.classList.toggle('sc-no', chosen && !o.correct);
      // Screen readers hear the mark and the feedback with the option.
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
    const out = [el('h3', 'sc-rt', fill(s.quizScore, q)), el('p', null, q.passed ? s.passed : fill(s.failed, { pass: data.pass }))];
    out.push(button(s.retry, () => {
      form.reset();
      unmark();
      progress();
      res.replaceChildren();
      inputs(0)[0].focus();
    }));
    return { r: q, out };
  }

  const show = (a, rec) => (quiz ? check(a) : scale(a, rec));
  const past = (h) => (quiz ? `${day(h.at)}: ${fill(s.quizScore, h)}` : earlier(data, h, day(h.at)));

  function showSaved() {
    const rec = load(key), parts = [];
    const old = history(rec);
    if (old.length) {
      const ul = el('ul');
      for (const h of old) ul.append(el('li', null, past(h)));
      parts.push(el('p', 'sc-h', s.history), ul);
    }
    const older = olderKeys(Object.keys(localStorage), data.id, data.version);
    for (const o of older) {
      const d = el('details', 'sc-older');
      d.append(el('summary', null, fill(s.older, { version: o.version })), el('pre', null, (load(o.key) || {}).md || ''));
      parts.push(d);
    }
    if (rec || older.length) {
      const n = note();
      const md = () => (rec ? rec.md : '') + older.map((o) => `\n---\n\n${(load(o.key) || {}).md || ''}`).join('');
      const tools = el('p', 'sc-tools');
      tools.append(
        button(s.copy, () => copy(md(), n, s.copied)),
        button(s.forget, () => {
          localStorage.removeItem(key);
          for (const o of older) localStorage.removeItem(o.key);
          form.reset();
          unmark();
          progress();
          showSaved();
          announce([el('p', null, s.forgotten)]);
        }),
        n,
      );
      parts.push(el('p', 'sc-small', s.stored), tools);
    }
    saved.replaceChildren(...parts);
  }

  // The team view: a facilitator gathers the links members shared and
  // sees them together. The links stay in this browser.
  function team() {
    const tkey = `selfcheck-team:${data.id}:v${data.version}`, box = el('section', 'sc-team'), area = el('textarea'), lab = el('label', null, s.teamPaste), view = el('div'), n = note();
    let links = load(tkey) || [];
    area.id = lab.htmlFor = `${form.id}-team`;
    area.rows = 3;
    const results = () => links.map((h) => parseShare(data, h)).filter(Boolean);
    const md = () => [`# ${data.title}: ${s.team}`, '', ...results().map((r, i) => `${i + 1}. ${describe(data, r)}`), ''].join('\n');
    const render = () => {
      const rs = results(), ol = el('ol'), counts = el('ul');
      data.bands.forEach((b, i) => counts.append(el('li', null, `${b.title}: ${rs.filter((r) => r.band === i).length}`)));
      rs.forEach((r, i) => {
        const li = el('li', null, `${describe(data, r)} `);
        li.append(button(fill(s.remove, { who: i + 1 }), () => {
          links.splice(i, 1);
          store(tkey, links);
          render();
          area.focus();
        }));
        ol.append(li);
      });
      const p = el('p', null, fill(s.teamCount, { n: rs.length }));
      if (rs.length && !rs[0].point) {
        const ps = rs.map((r) => r.position);
        p.append(` ${fill(s.teamRange, { from: where(data, Math.min(...ps)), to: where(data, Math.max(...ps)) })}`);
      }
      view.replaceChildren(draw(data, null, [], rs), p, counts, ol);
    };
    box.append(el('h3', 'sc-rt', s.team), lab, area, button(s.teamAdd, () => {
      for (const u of area.value.split(/\s+/)) {
        const h = u.slice(u.indexOf('#'));
        // Two members may share the same result: each link counts.
        if (u.includes('#') && parseShare(data, h)) links.push(h);
      }
      store(tkey, links);
      area.value = '';
      render();
    }), view, el('p', 'sc-tools'));
    box.lastChild.append(button(s.copy, () => copy(md(), n, s.copied)), n);
    render();
    $('.sc-title').after(box);
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const a = read();
    const missing = unanswered(data, a);
    if (missing.length) {
      for (const i of missing) $(`#${form.id}-${i + 1}`).classList.add('sc-miss');
      res.replaceChildren(el('p', 'sc-warn', fill(s.unanswered, { n: missing.length, items: missing.map((i) => i + 1).join(', ') })));
      inputs(missing[0])[0].focus();
      return;
    }
    const prev = load(key);
    const at = new Date().toISOString();
    const lines = (prev ? prev.attempts : []).map(past);
    const r = show(a, prev).r;
    const attempt = quiz ? { at, score: r.score, total: r.total, passed: r.passed }
      : { at, total: r.total, totals: r.totals, position: r.position, point: r.point, band: data.bands[r.band].title };
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
  progress();
  showSaved();
  if (location.hash === '#team' && !quiz) team();
}

if (typeof document !== 'undefined') {
  const all = () => document.querySelectorAll('form.selfcheck').forEach(init);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', all);
  else all();
  // A printed self-check is a worksheet: show the scoring key too.
  addEventListener('beforeprint', () => document.querySelectorAll('.selfcheck details').forEach((d) => { d.open = true; }));
}
