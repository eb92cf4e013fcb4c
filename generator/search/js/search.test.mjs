// Tests of the search's pure logic: node --test generator/search/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  tokens, shardName, shardsFor, merge, withPrefix, matches, stemsNeeded, queryWords, rank, marker, snippet, Searcher,
} from './search.mjs';

test('tokens: letters and digits, lower case, two characters or more', () => {
  assert.deepEqual(tokens("Leaders' don't — Café 2024, a B x1"), ['leaders', 'don', 'café', '2024', 'x1']);
  assert.deepEqual(tokens('  '), []);
  assert.deepEqual(tokens('日本語 text'), ['日本語', 'text']);
});

test('shardName: ASCII as it is, the rest in hex', () => {
  assert.equal(shardName('de'), 'de');
  assert.equal(shardName('c2'), 'c2');
  assert.equal(shardName('ca'), 'ca');
  assert.equal(shardName('café'), '_636166c3a9');
  assert.equal(shardName('Ab'), '_4162');
  assert.equal(shardName(''), '_');
});

test('shardsFor: the longest prefix, and few children', () => {
  const ps = ['co', 'de', 'del', 'dela', 'dele', 'ab'];
  assert.deepEqual(shardsFor(ps, 'delegation'), ['dele']);
  assert.deepEqual(shardsFor(ps, 'del'), ['del', 'dela', 'dele']);
  assert.deepEqual(shardsFor(ps, 'de'), ['de', 'del', 'dela', 'dele']);
  assert.deepEqual(shardsFor(ps, 'de', false), ['de']);
  assert.deepEqual(shardsFor(ps, 'zz'), []);
  const many = ['ab', 'aba', 'abb', 'abc', 'abd', 'abe', 'abf', 'abg'];
  assert.deepEqual(shardsFor(many, 'ab'), ['ab'], 'too many children are not loaded');
  assert.deepEqual(shardsFor([''], 'anything'), [''], 'one shard of every word');
});

// A lookup as two shards would give it: postings are (distance, count).
const lookup = merge([
  { w: { delegation: 'deleg', delegating: 'deleg', leaders: 'leader' }, t: { deleg: [0, 3, 2, 1], leader: [1, 2] } },
  { t: { trust: [0, 1, 1, 1, 1, 5] } },
]);
const meta = { n: 3, len: [100, 100, 100], s: [], stop: ['the', 'and'] };

test('matches: own stem, prefix, and the stem a new form begins with', () => {
  assert.deepEqual([...matches('delegation', lookup)], [['deleg', 1]]);
  assert.deepEqual([...matches('deleg', lookup)], [['deleg', 1]]);
  assert.deepEqual([...matches('delega', lookup)], [['deleg', 0.6]]);
  assert.deepEqual([...matches('delegates', lookup)], [['deleg', 0.5]], 'a form no essay uses');
  assert.deepEqual([...matches('lead', lookup)], [['leader', 0.6]]);
  assert.deepEqual([...matches('xyz', lookup)], []);
  assert.deepEqual([...matches('delegationist', lookup)], [], 'too far from any stem');
});

test('stemsNeeded: stems the lookup lacks', () => {
  const partial = merge([{ w: { delegation: 'deleg' } }]);
  assert.deepEqual(stemsNeeded(['delegation'], partial), ['deleg']);
  assert.deepEqual(stemsNeeded(['delegation'], lookup), []);
  assert.deepEqual(stemsNeeded(['runs'], merge([])), ['run']);
});

test('queryWords: stop words dropped', () => {
  assert.deepEqual(queryWords('The trust and the leaders', meta.stop), ['trust', 'leaders']);
  assert.deepEqual(queryWords('the and', meta.stop), []);
});

test('rank: every word must match; BM25 orders; ties by number', () => {
  // trust: essays 0 (1), 1 (1), 2 (5); deleg: essays 0 (3), 2 (1).
  assert.deepEqual(rank(meta, ['trust'], lookup).map(r => r.doc), [2, 0, 1]);
  assert.deepEqual(rank(meta, ['delegation'], lookup).map(r => r.doc), [0, 2]);
  // Essay 0 says delegation three times; essay 2 says trust five times,
  // but trust is in every essay, so it counts for little.
  assert.deepEqual(rank(meta, ['delegation', 'trust'], lookup).map(r => r.doc), [0, 2]);
  assert.deepEqual(rank(meta, ['leaders', 'delegation'], lookup), []);
  assert.deepEqual(rank(meta, [], lookup), []);
  const r = rank(meta, ['trust'], lookup);
  assert.ok(r[0].score > r[1].score && r[1].score === r[2].score);
});

test('rank: a shorter essay ranks higher for the same count', () => {
  const m = { n: 2, len: [1000, 50], s: [], stop: [] };
  const l = merge([{ t: { trust: [0, 2, 1, 2] } }]);
  assert.deepEqual(rank(m, ['trust'], l).map(r => r.doc), [1, 0]);
});

test('marker: words beginning with the query, and forms of its stems', () => {
  const is = marker(['delegation'], lookup);
  assert.ok(is('Delegation'));
  assert.ok(is('delegating'));
  assert.ok(!is('leaders'));
  assert.ok(marker(['lea'], lookup)('Leaders'));
});

test('snippet: the passage with the most matches, marked, with ellipses', () => {
  const words = Array.from({ length: 100 }, (_, i) => 'w' + i);
  words[60] = 'trust';
  words[62] = 'Trust';
  const segs = snippet(words.join(' '), w => w.toLowerCase() === 'trust', 10);
  const text = segs.map(s => s.mark ? '[' + s.text + ']' : s.text).join('');
  assert.equal(text, '… w55 w56 w57 w58 w59 [trust] w61 [Trust] w63 w64 …');
  const short = snippet('Trust, then verify.', w => w === 'Trust');
  assert.deepEqual(short, [{ text: 'Trust', mark: true }, { text: ', then verify.', mark: false }]);
  assert.deepEqual(snippet('', () => false), []);
  const none = snippet('no match here', () => false);
  assert.equal(none.map(s => s.text).join(''), 'no match here');
});

test('Searcher: fetches each file once, the meta first', async () => {
  const files = {
    '/s/index.json': { n: 1, len: [10], s: ['de', 'tr'], stop: [] },
    '/s/s/de.json': { w: { delegation: 'deleg' }, t: { deleg: [0, 2] } },
    '/s/s/tr.json': { t: { trust: [0, 1] } },
    '/s/d/0.json': { u: '/a/', t: 'A', x: 'Delegation and trust.' },
  };
  const fetched = [];
  const s = new Searcher('/s/', async url => { fetched.push(url); return files[url]; });
  const r = await s.search('delegation trust');
  assert.deepEqual(r.query, ['delegation', 'trust']);
  assert.deepEqual(r.hits.map(h => h.doc), [0]);
  await s.search('delegation');
  assert.deepEqual((await s.result(0)).u, '/a/');
  assert.deepEqual(fetched, ['/s/index.json', '/s/s/de.json', '/s/s/tr.json', '/s/d/0.json']);
});

test('Searcher: merges a set of shards once, and no shard is not the one shard ""', async () => {
  const files = {
    '/s/index.json': { n: 1, len: [10], s: [''], stop: [] },
    '/s/s/_.json': { w: { leaders: 'leader' }, t: { leader: [0, 2] } },
  };
  const s = new Searcher('/s/', async url => files[url]);
  assert.deepEqual((await s.search('l')).hits, [], 'no word of two letters');
  const r = await s.search('lea');
  assert.deepEqual(r.hits.map(h => h.doc), [0]);
  assert.equal((await s.search('lead')).lookup, r.lookup, 'the same shards, the same lookup');
});

test('withPrefix: the sorted strings that begin with a prefix', () => {
  const sorted = ['de', 'deleg', 'delegation', 'delta', 'e', 'lead'];
  assert.deepEqual(withPrefix(sorted, 'del'), ['deleg', 'delegation', 'delta']);
  assert.deepEqual(withPrefix(sorted, 'de'), ['de', 'deleg', 'delegation', 'delta']);
  assert.deepEqual(withPrefix(sorted, 'lead'), ['lead']);
  assert.deepEqual(withPrefix(sorted, 'leads'), []);
  assert.deepEqual(withPrefix(sorted, 'a'), []);
  assert.deepEqual(withPrefix(sorted, 'z'), []);
  assert.deepEqual(withPrefix([], 'a'), []);
  assert.deepEqual(withPrefix(sorted, ''), sorted);
});

test('marker: the same answer for a word again', () => {
  const is = marker(['trust'], lookup);
  assert.ok(is('Trust') && is('Trust') && !is('verify') && !is('verify'));
});
