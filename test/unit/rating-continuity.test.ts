// The pieces that make a rating rest on the experience: the rating turn continues the conversation,
// the moving cache breakpoints, slow calls told to the persona, and the recap of its previous tick.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedMessages } from '../../activities/llm/cache-breakpoints.ts';
import type { MessageParam } from '../../activities/llm/types.ts';
import { recapText } from '../../activities/recap.ts';
import { ratingMessages } from '../../activities/tick/rate.ts';
import { NOTICEABLE_LATENCY_MS, withLatencyNote } from '../../activities/tick/latency-note.ts';

const opening: MessageParam = { role: 'user', content: 'It is Monday.' };
const uses: MessageParam = {
  role: 'assistant',
  content: [{ type: 'tool_use', id: 't1', name: 'todo_list', input: {} }],
};
const results: MessageParam = {
  role: 'user',
  content: [{ type: 'tool_result', tool_use_id: 't1', content: '[]' }],
};
const done: MessageParam = { role: 'assistant', content: [{ type: 'text', text: 'Done.' }] };

test('the rating prompt follows the conversation: its own turn after the last answer', () => {
  const m = ratingMessages([opening, uses, results, done], 'Rate it');
  assert.equal(m.length, 5);
  assert.deepEqual(m[4], { role: 'user', content: 'Rate it' });
});

test('the rating prompt joins unanswered tool results in one user turn (roles keep alternating)', () => {
  const m = ratingMessages([opening, uses, results], 'Rate it');
  assert.equal(m.length, 3);
  assert.deepEqual(m[2]!.content, [
    { type: 'tool_result', tool_use_id: 't1', content: '[]' },
    { type: 'text', text: 'Rate it' },
  ]);
  assert.deepEqual(m.slice(0, 2), [opening, uses], 'the conversation before is untouched');
});

test('cache breakpoints move with the conversation: the last block of the last two user turns', () => {
  const marked = cachedMessages([opening, uses, results, done, { role: 'user', content: 'Rate it' }]);
  const has = (m: MessageParam) =>
    Array.isArray(m.content) && !!(m.content.at(-1) as { cache_control?: unknown }).cache_control;
  assert.deepEqual(marked.map(has), [false, false, true, false, true]);
  // Inputs are not mutated (the transcript rows are reused by the caller).
  assert.equal(typeof opening.content, 'string');
  assert.equal((results.content as Array<{ cache_control?: unknown }>)[0]!.cache_control, undefined);
});

test('slow tool answers tell the persona how long it waited; quick ones are unchanged', () => {
  assert.equal(withLatencyNote('ok', NOTICEABLE_LATENCY_MS - 1), 'ok');
  assert.equal(withLatencyNote('ok', 3_400), 'ok\n[this took 3.4 s to answer]');
});

test('the recap says what was done, what failed and what the persona said, within a few lines', () => {
  const text = recapText({
    startedAt: new Date('2026-11-30T09:00:00Z'),
    actions: [
      { toolName: 'todo_create', outcome: 'ok', errorClass: null, resultSummary: 'created' },
      { toolName: 'todo_create', outcome: 'ok', errorClass: null, resultSummary: 'created' },
      {
        toolName: 'todo_complete',
        outcome: 'error',
        errorClass: 'product',
        resultSummary: 'database timeout',
      },
    ],
    feedback: [
      { module: 'todos', rating: 2, notes: 'completing failed' },
      { module: '__parse', rating: null, notes: 'raw' },
    ],
  });
  assert.equal(
    text,
    [
      'Last time you were here (2026-11-30 09:00 UTC):',
      '- you did: todo_create ×2, todo_complete',
      '- what went wrong: todo_complete (database timeout)',
      '- you rated: todos 2/5 — “completing failed”',
    ].join('\n'),
  );
  const long = recapText({
    startedAt: new Date(),
    actions: Array.from({ length: 80 }, (_, i) => ({
      toolName: `tool_${i}`,
      outcome: 'error',
      errorClass: 'product',
      resultSummary: 'x'.repeat(80),
    })),
    feedback: [],
  });
  assert.ok(long.length <= 700, `recap stays short (${long.length})`);
});
