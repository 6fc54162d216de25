import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRatings } from '../../activities/rating-parse.ts';

const MODULES = ['notes', 'todos'];

test('plain strict JSON keyed by module id', () => {
  const r = parseRatings(
    '{"todos":{"rating":4,"notes":"quick"},"notes":{"rating":2,"notes":"slow search"}}',
    MODULES,
  );
  assert.deepEqual(r, {
    kind: 'ok',
    ratings: { todos: { rating: 4, notes: 'quick' }, notes: { rating: 2, notes: 'slow search' } },
    missing: [],
    goals: {},
  });
});

test('code fences (with and without a language) and surrounding whitespace are tolerated', () => {
  for (const text of [
    '```json\n{ "todos": { "rating": 5, "notes": "ok" }, "notes": { "rating": 3 } }\n```',
    '\n\n  ```\n{ "todos": { "rating": 5, "notes": "ok" }, "notes": { "rating": 3 } }\n```  \n',
    '   \n\t{ "todos": { "rating": 5, "notes": "ok" }, "notes": { "rating": 3 } }\n\n',
    'Here are my ratings:\n{ "todos": { "rating": 5, "notes": "ok" }, "notes": { "rating": 3 } }\nThanks!',
  ]) {
    const r = parseRatings(text, MODULES);
    assert.equal(r.kind, 'ok', text);
    assert.deepEqual(r.kind === 'ok' && r.ratings, {
      todos: { rating: 5, notes: 'ok' },
      notes: { rating: 3, notes: undefined },
    });
  }
});

test('shorthand numbers ("todos": 4) are accepted', () => {
  const r = parseRatings('{"todos": 4, "notes": 1}', MODULES);
  assert.deepEqual(r, {
    kind: 'ok',
    ratings: { todos: { rating: 4, notes: undefined }, notes: { rating: 1, notes: undefined } },
    missing: [],
    goals: {},
  });
});

test('modules used but not rated are reported missing; modules not used are dropped', () => {
  const r = parseRatings('{"todos": 4, "habits": 5}', MODULES);
  assert.deepEqual(r, {
    kind: 'ok',
    ratings: { todos: { rating: 4, notes: undefined } },
    missing: ['notes'],
    goals: {},
  });
});

test('ratings outside 1–5, fractions and unknown fields are unparseable, naming the module', () => {
  for (const [text, path] of [
    ['{"todos": 6, "notes": 3}', /todos/],
    ['{"todos": {"rating": 0}, "notes": 3}', /todos/],
    ['{"todos": 4, "notes": {"rating": 3.5}}', /notes/],
    ['{"todos": 4, "notes": {"rating": 3, "stars": 3}}', /notes/],
    ['{"todos": "great", "notes": 3}', /todos/],
  ] as const) {
    const r = parseRatings(text, MODULES);
    assert.equal(r.kind, 'unparseable', text);
    assert.match(r.kind === 'unparseable' ? r.reason : '', path, text);
  }
});

test('prose, arrays and broken JSON are unparseable', () => {
  for (const text of ['I loved it, five stars!!', '', '[4, 2]', '{"todos": 4,', 'todos: 4\nnotes: 2']) {
    const r = parseRatings(text, MODULES);
    assert.equal(r.kind, 'unparseable', JSON.stringify(text));
  }
  const prose = parseRatings('I loved it, five stars!!', MODULES);
  assert.match(prose.kind === 'unparseable' ? prose.reason : '', /not JSON/);
});

test('the persona’s word on its goals: kept for the goals asked about, never taken for a module', () => {
  const parsed = parseRatings(
    '{"todos": 4, "goals": {"plumber": {"achieved": true, "why": "done"}, "other": {"achieved": false, "why": "?"}}}',
    ['todos'],
    ['plumber'],
  );
  assert.deepEqual(parsed, {
    kind: 'ok',
    ratings: { todos: { rating: 4, notes: undefined } },
    missing: [],
    goals: { plumber: { achieved: true, why: 'done' } },
  });
  // A malformed report is dropped (the goals stay not attempted); the ratings still count.
  const bad = parseRatings('{"todos": 4, "goals": {"plumber": "yes"}}', ['todos'], ['plumber']);
  assert.equal(bad.kind, 'ok');
  assert.deepEqual(bad.kind === 'ok' && bad.goals, {});
});
