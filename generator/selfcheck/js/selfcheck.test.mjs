// Tests of the widget's pure logic: node --test generator/selfcheck/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fill, itemScore, bandIndex, profile, pulls, score, quizScore, unanswered,
  where, describe, earlier, storageKey, record, olderKeys, answerText, toMarkdown,
  middleBand, spread, quadIndex, toward, shareHash, parseShare, spreadText,
} from './selfcheck.mjs';

const strings = {
  sd: 'Strongly disagree', d: 'Disagree', n: 'Neither', a: 'Agree', sa: 'Strongly agree',
  position: '{band}: {percent}% of the way from the middle toward {end}', middle: '{band}: right in the middle',
  earlier: 'You were at {where} on {date}', where: '{percent}% {end}', middleWhere: 'the middle',
  balanced: 'Balanced.', mixed: 'Mixed.', result: 'Result', history: 'Earlier attempts',
  spread: 'Your answers ranged from {from} to {to}.', toward: '{percent}% toward {end}',
  even: 'midway between {left} and {right}', point: '{title}: {x}; {y}',
  quizScore: 'You got {score} of {total} right.', passed: 'Passed.', failed: 'Not yet: you need {pass} to pass.',
};

// Four scored items (span 8) and a reflection, as render.go writes them.
const continuum = {
  id: 'lead', version: 2, kind: 'continuum', title: 'Where do you stand?', span: 8, strings,
  axis: { left: 'Practitioner leadership', right: 'Servant leadership' },
  items: [
    { type: 'likert', text: 'Leaders do the work.', keyed: 'left' },
    { type: 'likert', text: 'Leaders support.', keyed: 'right' },
    { type: 'choice', text: 'Who creates *value*?', options: [{ text: 'Leaders', score: -2 }, { text: 'Both', score: 0 }, { text: 'Teams', score: 2 }] },
    { type: 'choice', text: 'Stuck colleague?', options: [{ text: 'Take over', score: -2 }, { text: 'Ask', score: 1 }] },
    { type: 'reflection', text: 'What would you change?' },
  ],
  bands: [
    { from: -100, to: -33, title: 'Practitioner' },
    { from: -33, to: 33, title: 'Between' },
    { from: 33, to: 100, title: 'Servant' },
  ],
};

const quiz = {
  id: 'q', version: 1, kind: 'quiz', title: 'Quiz', pass: 2, strings,
  items: [
    { type: 'choice', text: 'One?', options: [{ text: 'a' }, { text: 'b', correct: true }] },
    { type: 'multi', text: 'Many?', options: [{ text: 'x', correct: true }, { text: 'y' }, { text: 'z', correct: true }] },
  ],
};

test('fill replaces known placeholders and leaves others', () => {
  assert.equal(fill('{a} and {b}', { a: 1 }), '1 and {b}');
  assert.equal(fill('{n}%', { n: 0 }), '0%');
});

test('itemScore: likert keyed right and left, choice, unscored', () => {
  const [left, right, choice] = continuum.items;
  assert.equal(itemScore(right, 4), 2);
  assert.equal(itemScore(right, 0), -2);
  assert.equal(itemScore(left, 4), -2);
  assert.equal(itemScore(left, 1), 1);
  assert.equal(itemScore(left, 2), 0);
  assert.equal(itemScore(choice, 2), 2);
  assert.equal(itemScore(choice, null), null);
  assert.equal(itemScore(continuum.items[4], 'text'), null);
});

test('bandIndex: from is inside, to is outside, except for the last band', () => {
  const b = continuum.bands;
  // span 8: a total t is at 12.5*t.
  assert.equal(bandIndex(b, -8, 8), 0);
  assert.equal(bandIndex(b, -3, 8), 0); // -37.5
  assert.equal(bandIndex(b, -2, 8), 1); // -25
  assert.equal(bandIndex(b, 2, 8), 1); // 25
  assert.equal(bandIndex(b, 3, 8), 2);
  assert.equal(bandIndex(b, 8, 8), 2); // exactly 100: the last band holds its to
  const halves = [{ from: -100, to: 0 }, { from: 0, to: 100 }];
  assert.equal(bandIndex(halves, 0, 8), 1);
  assert.equal(bandIndex(halves, -1, 8), 0);
});

test('profile tells balanced from mixed, only in the middle band', () => {
  const mid = middleBand(continuum.bands, 8);
  assert.equal(mid, 1);
  assert.equal(profile([0, 1, -1, 0], 1, mid), 'balanced');
  assert.equal(profile([2, -2, 2, -2], 1, mid), 'mixed');
  assert.equal(profile([2, 2, 2, -1], 2, mid), null);
  assert.equal(profile([null, null], 1, mid), null);
  // When 0 is a boundary, no band is the middle one.
  assert.equal(middleBand([{ from: -100, to: 0 }, { from: 0, to: 100 }], 8), -1);
});

// Five scored items (span 10): every multiple of 10 is a reachable
// position, so a result can sit exactly on each boundary.
test('boundaries: a result exactly on each boundary takes the band that starts there, and the note agrees', () => {
  const bands = [
    { from: -100, to: -60, title: 'A' }, { from: -60, to: -20, title: 'B' }, { from: -20, to: 20, title: 'C' },
    { from: 20, to: 60, title: 'D' }, { from: 60, to: 100, title: 'E' },
  ];
  const d = { kind: 'continuum', span: 10, bands, axis: { left: 'L', right: 'R' }, strings, items: Array(5).fill({ type: 'likert', keyed: 'right' }) };
  for (const [pos, band] of [[-100, 0], [-60, 1], [-20, 2], [20, 3], [60, 4], [100, 4]]) {
    const t = pos / 10;
    assert.equal(bandIndex(bands, t, 10), band, `position ${pos}`);
    // Answers that add up to t: the note follows the band.
    const r = score(d, toAnswers(t));
    assert.equal(r.total, t);
    assert.equal(r.band, band, `position ${pos}`);
    assert.equal(r.profile != null, band === 2, `position ${pos}: the balanced/mixed note only in the middle band, got ${r.profile}`);
  }
  // Just inside the middle band's edges, strong answers cancelling out.
  assert.equal(score(d, [4, 4, 0, 0, 0]).profile, 'mixed'); // -2: position -20
  assert.equal(score(d, [4, 4, 0, 0, 4]).total, 2); // +2: position 20, band D
  assert.equal(score(d, [4, 4, 0, 0, 4]).profile, null);
});

// toAnswers spreads a total t over five likert items keyed right.
function toAnswers(t) {
  const a = [];
  for (let i = 0; i < 5; i++) {
    const s = Math.max(-2, Math.min(2, t));
    a.push(s + 2);
    t -= s;
  }
  return a;
}

test('spread: the range of the single answers', () => {
  assert.deepEqual(spread([-2, 1, null, 2]), { from: -100, to: 100 });
  assert.deepEqual(spread([1, 1]), { from: 50, to: 50 });
  assert.equal(spread([null]), null);
  assert.equal(spreadText(continuum, { scores: [-2, 1, null] }), 'Your answers ranged from 100% Practitioner leadership to 50% Servant leadership.');
});

test('pulls lists items toward each end, strongest first', () => {
  assert.deepEqual(pulls([-1, 2, null, -2, 1, 0]), { left: [3, 0], right: [1, 4] });
});

test('score: a full continuum result', () => {
  // item 0 strongly disagree (keyed left: +2), item 1 agree (+1),
  // item 2 Teams (+2), item 3 Take over (-2): total 3, 37.5%.
  const r = score(continuum, [0, 3, 2, 0, 'Delegate more']);
  assert.equal(r.total, 3);
  assert.equal(r.position, 37.5);
  assert.equal(r.band, 2);
  assert.equal(r.profile, null);
  assert.deepEqual(r.scores, [2, 1, 2, -2, null]);
  assert.equal(describe(continuum, r), 'Servant: 38% of the way from the middle toward Servant leadership');
  const mid = score(continuum, [2, 2, 1, 1, '']); // 0 + 0 + 0 + 1 = 1: 12.5%
  assert.equal(mid.band, 1);
  assert.equal(mid.profile, 'balanced');
  const zero = score(continuum, [0, 0, 1, 1, '']); // +2 -2 +0 +1 = 1
  assert.equal(zero.profile, 'mixed');
  assert.equal(describe(continuum, { position: 0, band: 1 }), 'Between: right in the middle');
});

test('where and earlier word a past position', () => {
  assert.equal(where(continuum, -20), '20% Practitioner leadership');
  assert.equal(where(continuum, 0.4), 'the middle');
  assert.equal(earlier(continuum, { position: -20 }, '3 March 2025'), 'You were at 20% Practitioner leadership on 3 March 2025');
});

test('quizScore: single and multiple answers', () => {
  assert.deepEqual(quizScore(quiz, [1, [2, 0]]), { right: [true, true], score: 2, total: 2, passed: true });
  assert.deepEqual(quizScore(quiz, [0, [0]]), { right: [false, false], score: 0, total: 2, passed: false });
  assert.deepEqual(quizScore(quiz, [1, [0, 1, 2]]).right, [true, false]);
  assert.equal(quizScore(quiz, [null, []]).score, 0);
});

test('unanswered skips reflections and counts empty multis', () => {
  assert.deepEqual(unanswered(continuum, [0, null, 1, 0, '']), [1]);
  assert.deepEqual(unanswered(quiz, [1, []]), [1]);
});

test('storage keys and records', () => {
  assert.equal(storageKey('lead', 2), 'selfcheck:lead:v2');
  const keys = ['selfcheck:lead:v2', 'selfcheck:lead:v1', 'selfcheck:leader:v1', 'other', 'selfcheck:lead:v10', 'selfcheck:lead:vx'];
  assert.deepEqual(olderKeys(keys, 'lead', 2), [{ key: 'selfcheck:lead:v10', version: 10 }, { key: 'selfcheck:lead:v1', version: 1 }]);
  const a1 = { at: '2025-03-03T10:00:00.000Z', total: -2, position: -25, band: 'Between' };
  const r1 = record(null, [0], a1, 'md1');
  assert.deepEqual(r1, { answers: [0], attempts: [a1], md: 'md1' });
  const r2 = record(r1, [1], { ...a1, total: 1 }, 'md2');
  assert.equal(r2.attempts.length, 2);
  assert.equal(r1.attempts.length, 1, 'record must not change the previous record');
  assert.equal(JSON.parse(JSON.stringify(r2)).attempts[1].total, 1);
});

test('answerText words every kind of answer', () => {
  assert.equal(answerText(continuum, continuum.items[0], 4), 'Strongly agree');
  assert.equal(answerText(continuum, continuum.items[2], 2), 'Teams');
  assert.equal(answerText(quiz, quiz.items[1], [0, 2]), 'x; z');
  assert.equal(answerText(continuum, continuum.items[4], undefined), '');
});

test('toMarkdown exports answers, reflections, result and history', () => {
  const md = toMarkdown(continuum, [0, 3, 2, 0, 'Delegate more\nand earlier'], '3 March 2025', ['You were at the middle on 1 March 2025']);
  assert.equal(md, [
    '# Where do you stand?', '', '3 March 2025', '',
    '## 1. Leaders do the work.', '', 'Strongly disagree', '',
    '## 2. Leaders support.', '', 'Agree', '',
    '## 3. Who creates *value*?', '', 'Teams', '',
    '## 4. Stuck colleague?', '', 'Take over', '',
    '## 5. What would you change?', '', '> Delegate more\n> and earlier', '',
    '## Result', '', 'Servant: 38% of the way from the middle toward Servant leadership.',
    'Your answers ranged from 100% Practitioner leadership to 100% Servant leadership.', '',
    '## Earlier attempts', '', '- You were at the middle on 1 March 2025', '',
  ].join('\n'));
  const q = toMarkdown(quiz, [0, [0, 2]], 'today');
  assert.match(q, /## Result\n\nYou got 1 of 2 right\.\nNot yet: you need 2 to pass\.\n/);
});

// A quadrant as render.go writes it: two items per axis (spans 4, 4), a
// reflection, and a middle of 25.
const quadrant = {
  id: 'map', version: 3, kind: 'quadrant', title: 'Map', spans: [4, 4], within: 25, strings,
  axes: { x: { left: 'Leader', right: 'People' }, y: { left: 'Outside', right: 'Grown' } },
  items: [
    { type: 'likert', axis: 'x', keyed: 'right', text: 'X1' },
    { type: 'choice', axis: 'x', text: 'X2', options: [{ text: 'a', score: -2 }, { text: 'b', score: 2 }] },
    { type: 'reflection', text: 'R' },
    { type: 'likert', axis: 'y', keyed: 'left', text: 'Y1' },
    { type: 'likert', axis: 'y', keyed: 'right', text: 'Y2' },
  ],
  bands: [
    { x: 'left', y: 'left', title: 'LL' }, { x: 'left', y: 'right', title: 'LR' },
    { x: 'right', y: 'left', title: 'RL' }, { x: 'right', y: 'right', title: 'RR' }, { title: 'Middle' },
  ],
};

test('quadrant: totals per axis, the point, and the quadrant', () => {
  const r = score(quadrant, [4, 1, 'text', 3, 4]); // x: 2 + 2 = 4; y: -1 + 2 = 1
  assert.deepEqual(r.totals, [4, 1]);
  assert.deepEqual(r.point, [100, 25]);
  assert.equal(r.band, 3);
  assert.equal(describe(quadrant, r), 'RR: 100% toward People; 25% toward Grown');
  // The middle holds both positions within 25: totals -1..1 on each axis.
  assert.equal(quadIndex(quadrant, [1, -1]), 4);
  assert.equal(quadIndex(quadrant, [2, 0]), 3, 'x at 50 is outside the middle; y at exactly 0 belongs to the right');
  assert.equal(quadIndex(quadrant, [-2, -2]), 0);
  assert.equal(quadIndex(quadrant, [-2, 2]), 1);
  assert.equal(quadIndex(quadrant, [2, -2]), 2);
  assert.equal(quadIndex({ ...quadrant, within: 0 }, [0, 0]), 3);
  assert.equal(toward(quadrant, 'y', 0), 'midway between Outside and Grown');
  assert.equal(earlier(quadrant, { point: [-50, 0] }, 'today'), 'You were at 50% toward Leader; midway between Outside and Grown on today');
});

test('share: a result goes into the fragment and comes back; anything tampered gives null', () => {
  const c = score(continuum, [0, 3, 2, 0, 'private']);
  const h = shareHash(continuum, c);
  assert.equal(h, '#sc.lead.2.c.3.2');
  const back = parseShare(continuum, h);
  assert.equal(back.position, 37.5);
  assert.equal(back.band, 2);
  assert.equal(back.answers, null);
  const withAnswers = shareHash(continuum, c, [0, 3, 2, 0, 'private']);
  assert.equal(withAnswers, '#sc.lead.2.c.3.2.0320-', 'the reflection is never in the link');
  assert.deepEqual(parseShare(continuum, withAnswers).answers, [0, 3, 2, 0, null]);
  const q = score(quadrant, [4, 1, '', 3, 4]);
  assert.equal(shareHash(quadrant, q), '#sc.map.3.q.4_1.3');
  assert.deepEqual(parseShare(quadrant, '#sc.map.3.q.4_1.3').point, [100, 25]);
  for (const bad of [
    '', '#', '#team', '#sc.lead.2.c.3', '#sc.lead.2.c.3.1', // wrong band
    '#sc.other.2.c.3.2', '#sc.lead.1.c.3.2', '#sc.lead.2.q.3.2', // another block, version or kind
    '#sc.lead.2.c.9.2', '#sc.lead.2.c.-9.0', '#sc.lead.2.c.3_1.2', // out of reach, two totals
    '#sc.lead.2.c.3.2.0321-', '#sc.lead.2.c.3.2.032', '#sc.lead.2.c.3.2.0329-', '#sc.lead.2.c.3.2.03200', // answers that do not add up, short, out of range, on a reflection
    '#sc.lead.2.c.3.2?x=1', '#sc.lead.2.c.3.2.', '#sc.lead.2.c.03.2x', '#sc.lead.2.c.3.2<script>',
    '#sc.map.3.q.4.3', '#sc.map.3.q.4_1.0', '#sc.map.3.q.5_1.3',
  ]) assert.equal(parseShare(bad.includes('map') ? quadrant : continuum, bad), null, bad);
});

test('the module loads without a DOM', async () => {
  const m = await import('./selfcheck.mjs');
  assert.equal(typeof m.score, 'function');
});
