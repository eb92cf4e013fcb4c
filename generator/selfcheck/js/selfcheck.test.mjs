// Tests of the widget's pure logic: node --test generator/selfcheck/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fill, itemScore, bandIndex, profile, pulls, score, quizScore, unanswered,
  where, describe, earlier, storageKey, record, olderKeys, answerText, toMarkdown,
} from './selfcheck.mjs';

const strings = {
  sd: 'Strongly disagree', d: 'Disagree', n: 'Neither', a: 'Agree', sa: 'Strongly agree',
  position: '{band}: {percent}% of the way from the middle toward {end}', middle: '{band}: right in the middle',
  earlier: 'You were at {where} on {date}', where: '{percent}% {end}', middleWhere: 'the middle',
  balanced: 'Balanced.', mixed: 'Mixed.', result: 'Result', history: 'Earlier attempts',
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

test('profile tells balanced from mixed, only near the middle', () => {
  assert.equal(profile([0, 1, -1, 0], 0, 8), 'balanced');
  assert.equal(profile([2, -2, 2, -2], 0, 8), 'mixed');
  assert.equal(profile([2, 2, 2, -1], 5, 8), null);
  assert.equal(profile([null, null], 0, 8), null);
  assert.equal(profile([1, 1, 0, 0, null], 2, 8), 'balanced'); // 25%: inside the middle third
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
    '## Result', '', 'Servant: 38% of the way from the middle toward Servant leadership.', '',
    '## Earlier attempts', '', '- You were at the middle on 1 March 2025', '',
  ].join('\n'));
  const q = toMarkdown(quiz, [0, [0, 2]], 'today');
  assert.match(q, /## Result\n\nYou got 1 of 2 right\.\nNot yet: you need 2 to pass\.\n/);
});

test('the module loads without a DOM', async () => {
  const m = await import('./selfcheck.mjs');
  assert.equal(typeof m.score, 'function');
});
