// lib/personas/goals.ts: placeholders in the persona's time zone, `expect` judged with ajv (dates
// included), which goals a tick gets, and checks refused through a tool that writes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  expandPlaceholders,
  goalProblems,
  goalsForTick,
  judgeExpect,
  unknownPlaceholders,
  type Goal,
} from '../../lib/personas/goals.ts';
import { builtinToolLookup } from '../../mcp-gateway/tools/index.ts';
import { BUILTIN_MODULES } from '../../schema/vocabulary.ts';
import { ToolNameMap } from '../../activities/llm/tool-names.ts';
import { scriptedGoals } from '../../activities/tick/scripted-goals.ts';

test('today and tomorrow are the persona’s, not the server’s', () => {
  // 23:30 UTC on 31 Dec is already 1 Jan in Tokyo and still 31 Dec in New York.
  const now = new Date('2026-12-31T23:30:00Z');
  const at = (timezone: string) =>
    expandPlaceholders(
      { a: '${today}', b: ['due ${tomorrow}'] },
      { timezone, email: 'x@personas.test', now },
    );
  assert.deepEqual(at('Asia/Tokyo'), { a: '2027-01-01', b: ['due 2027-01-02'] });
  assert.deepEqual(at('America/New_York'), { a: '2026-12-31', b: ['due 2027-01-01'] });
  assert.deepEqual(at('UTC'), { a: '2026-12-31', b: ['due 2027-01-01'] });
});

test('inside a pattern a placeholder matches literally; elsewhere it is the plain value', () => {
  const ctx = { timezone: 'UTC', email: 'a.b+c@personas.test', now: new Date('2026-01-01T10:00:00Z') };
  const out = expandPlaceholders(
    { properties: { owner: { pattern: '^${persona.email}$' }, note: { const: '${persona.email}' } } },
    ctx,
  );
  assert.equal(out.properties.owner.pattern, '^a\\.b\\+c@personas\\.test$');
  assert.equal(out.properties.note.const, 'a.b+c@personas.test');
  assert.equal(judgeExpect(out.properties.owner, 'a.b+c@personas.test').achieved, true);
  assert.equal(judgeExpect(out.properties.owner, 'aXb+c@personas.test').achieved, false);
});

test('unknown placeholders are found, known ones are not', () => {
  assert.deepEqual(unknownPlaceholders({ a: '${today} ${yesterday}', b: ['${persona.name}'] }), [
    '${yesterday}',
    '${persona.name}',
  ]);
  assert.deepEqual(unknownPlaceholders(['${tomorrow}', '${tick.started}']), []);
});

test('expect: contains, const, and "made during this tick" with formatMinimum', () => {
  const started = new Date('2026-03-01T12:00:00Z');
  const expect = expandPlaceholders(
    {
      type: 'object',
      required: ['todos'],
      properties: {
        todos: {
          contains: {
            required: ['title', 'created_at'],
            properties: {
              title: { pattern: 'plumber' },
              created_at: { type: 'string', format: 'date-time', formatMinimum: '${tick.started}' },
            },
          },
        },
      },
    },
    { timezone: 'UTC', email: 'x@personas.test', now: new Date(), tickStarted: started },
  );
  const todo = (title: string, at: string) => ({ title, created_at: at });
  assert.equal(
    judgeExpect(expect, { todos: [todo('call the plumber', '2026-03-01T12:00:01.000Z')] }).achieved,
    true,
  );
  const old = judgeExpect(expect, { todos: [todo('call the plumber', '2026-03-01T11:59:59.000Z')] });
  assert.equal(old.achieved, false, 'a todo from before the tick does not count');
  assert.match(old.reason ?? '', /must contain at least 1 valid item/);
  assert.equal(judgeExpect(expect, { todos: [] }).achieved, false);
  assert.equal(judgeExpect(expect, { nothing: true }).achieved, false);
  assert.match(judgeExpect({ type: 'thing' }, {}).reason ?? '', /not a valid JSON Schema/);
});

test('goals per tick: sampled by the seed, the same for the same seed, in catalog order', () => {
  const goals = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
  assert.deepEqual(goalsForTick(goals, null, 's'), goals);
  const one = goalsForTick(goals, 2, 'trial-1');
  assert.equal(one.length, 2);
  assert.deepEqual(goalsForTick(goals, 2, 'trial-1'), one, 'paired trials get the same goals');
  assert.deepEqual(
    one,
    goals.filter((g) => one.includes(g)),
    'catalog order',
  );
  const seen = new Set(Array.from({ length: 50 }, (_, i) => goalsForTick(goals, 1, `t${i}`)[0]!.id));
  assert.ok(seen.size >= 4, `every goal gets its turn (${[...seen].join(', ')})`);
});

test('a check through a tool that writes is refused at catalog load; a read-only one passes', () => {
  const goal = (tool: string): Goal => ({
    id: 'g',
    module: 'todos',
    ask: 'Something to do.',
    check: { tool, arguments: {}, expect: { type: 'object' } },
  });
  assert.deepEqual(goalProblems([goal('todo_list')], BUILTIN_MODULES, builtinToolLookup), []);
  assert.deepEqual(
    goalProblems([goal('todo_create')], BUILTIN_MODULES, builtinToolLookup).map((p) => [
      p.path.join('.'),
      p.message,
    ]),
    [
      [
        'goals[0] (g).check.tool',
        'todo_create is not read-only (readOnlyHint): a check must not change the product',
      ],
    ],
  );
  assert.match(
    goalProblems([goal('todo_destroy')], BUILTIN_MODULES, builtinToolLookup)[0]!.message,
    /unknown tool/,
  );
  // A federated tool is known only once its product is up: the gateway refuses it at check time.
  assert.deepEqual(goalProblems([goal('files__write_file')], BUILTIN_MODULES, builtinToolLookup), []);
});

test('the offline persona skips a goal whose scripted tool this tick does not offer (no crash, no retry loop)', () => {
  const goal = (id: string, tool: string): Goal => ({
    id,
    module: 'journal',
    ask: 'Write down how the day went.',
    scripted: [{ tool, arguments: { body: 'Fine, ${persona.email}.' } }],
  });
  const names = new ToolNameMap(['todo_create', 'memory__create_entities']);
  const goals = scriptedGoals([goal('offered', 'todo_create'), goal('absent', 'journal_add')], names, {
    timezone: 'UTC',
    email: 'ada@personas.test',
  });
  assert.deepEqual(
    goals.map((g) => [g.id, g.calls.map((c) => c.name)]),
    [
      ['offered', ['todo_create']],
      ['absent', []],
    ],
  );
  assert.equal(goals[0]!.calls[0]!.input.body, 'Fine, ada@personas.test.');
});
