// Records the replay fixtures in test/fixtures/histories/*.json: real histories of real ticks
// (scripted provider, and the real SDK against the fake Messages API through the paths a tick can
// take). Not part of `npm test` (the name does not end in .test.ts): run
//
//   node --import tsx scripts/record-histories.ts
//
// which runs this file under scripts/run-tests.ts (Postgres + Temporal dev server) with
// RECORD_HISTORIES=1. Existing fixtures are kept; RECORD_HISTORIES=overwrite re-records them all.
// Do not re-record a fixture to make test/tick/replay.test.ts pass: a failing replay means ticks
// running at deploy time would fail too; change the workflow with patched() instead, and add a new
// fixture for the new path.
//
// Fixtures carry their generation as a prefix: `tick-rate-<scenario>.json` were recorded by the
// generation whose patches are now retired (workflows/tick-steps.ts RETIRED_PATCHES); they prove that
// ticks started by it still replay. `tick-goals-<scenario>.json`: today's code (the goal step). A new patch gets a new prefix (FIXTURE_PREFIX) and new fixtures
// beside the old ones; the old ones go when their patches are removed (README "Changing the workflow").
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import type { TickInput } from '../../workflows/tick-contract.ts';
import type { personaTick } from '../../workflows/persona-tick.ts';
import { pauseSignal, resumeSignal, statusQuery } from '../../workflows/tick-contract.ts';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { startTickEnv, type TickEnv, startClaudeTickEnv } from '../support/tick-env.ts';
import { historyToJson } from '../support/history-json.ts';
import { gate, waitUntil } from '../support/wait.ts';

const mode = process.env.RECORD_HISTORIES;
if (mode !== '1' && mode !== 'overwrite') {
  throw new Error(
    'set RECORD_HISTORIES=1 (or =overwrite); run it with `node --import tsx scripts/record-histories.ts`',
  );
}
const HISTORIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/histories');
type Handle = WorkflowHandle<typeof personaTick>;

const scripted = await startTickEnv();
const { fake, env: claude } = await startClaudeTickEnv({
  apiKey: 'sk-ant-record',
  // Destructive tools are denied, so a policy error can be recorded.
  gatewayEnv: { POLICY_MODE: 'enforce' },
});

// The generation since the `tick-goals` patch (a goal step after the rating); `tick-rate-*` are the
// generation before it, recorded with the now-retired patches still `patched()`.
const FIXTURE_PREFIX = 'tick-goals-';

// A persona with one checked and one self-reported goal, for the goal step's fixture.
const withGoals = await startTickEnv({
  persona: {
    email: 'goals@personas.test',
    moduleMix: { todos: 0.7, journal: 0.3 },
    goals: [
      {
        id: 'plumber',
        module: 'todos',
        ask: "Put 'Call the plumber' on your list, due ${tomorrow}.",
        check: {
          tool: 'todo_list',
          arguments: { status: 'all' },
          expect: {
            type: 'object',
            properties: {
              todos: {
                type: 'array',
                contains: {
                  type: 'object',
                  properties: { title: { pattern: 'plumber' } },
                  required: ['title'],
                },
              },
            },
          },
        },
        scripted: [
          { tool: 'todo_create', arguments: { title: 'Call the plumber', due_date: '${tomorrow}' } },
        ],
      },
      {
        id: 'diary',
        module: 'journal',
        ask: 'Write in your journal how today went.',
        scripted: [{ tool: 'journal_add', arguments: { body: 'A calm day.' } }],
      },
    ],
  },
});

/** Runs `tick` to its end and writes its history, unless the fixture exists (and mode is not overwrite). */
function record(
  scenario: string,
  env: TickEnv,
  tick: (start: (input?: Partial<TickInput>) => Promise<Handle>) => Promise<Handle>,
): void {
  const name = `${FIXTURE_PREFIX}${scenario}`;
  const file = path.join(HISTORIES_DIR, `${name}.json`);
  test(name, { skip: mode !== 'overwrite' && existsSync(file) && `${file} exists` }, async () => {
    const handle = await tick((input = {}) => env.start(input, `replay-${name}`));
    const history = await handle.fetchHistory();
    assert.ok((history.events?.length ?? 0) > 0);
    await mkdir(HISTORIES_DIR, { recursive: true });
    await writeFile(file, historyToJson(history));
    assert.equal(fake.exhausted, false, 'the fake Messages API ran out of script');
  });
}

record('scripted-tick', scripted, async (start) => {
  const handle = await start();
  assert.equal((await handle.result()).status, 'completed');
  return handle;
});

record('scripted-goals', withGoals, async (start) => {
  const handle = await start();
  assert.equal((await handle.result()).status, 'completed');
  return handle;
});

record('parallel-tool-use-with-errors', claude, async (start) => {
  fake.push(
    {
      status: 429,
      error: { type: 'rate_limit_error', message: 'slow down' },
      headers: { 'retry-after-ms': '100' },
    },
    toolTurn(
      toolUse('toolu_rec_bad', 'todo_complete', { todo_id: 'not-a-uuid' }),
      toolUse('toolu_rec_ok', 'todo_create', { title: 'Write the changelog' }),
      toolUse('toolu_rec_policy', 'note_delete', { note_id: '00000000-0000-4000-8000-000000000000' }),
    ),
    toolTurn(
      toolUse('toolu_rec_note', 'note_create', { title: 'Ideas', body: 'Replay tests over real histories' }),
      toolUse('toolu_rec_journal', 'journal_add', { body: 'A decent day.', mood: 4 }),
    ),
    endTurn(),
    ratingTurn('```json\n{ "todos": 3, "notes": { "rating": 4, "notes": "fine" }, "journal": 5 }\n```'),
  );
  const handle = await start();
  assert.equal((await handle.result()).actions, 5);
  return handle;
});

record('paused-and-resumed', claude, async (start) => {
  const answer = gate();
  const before = fake.requests.length;
  fake.push(
    { ...toolTurn(toolUse('toolu_rec_p', 'habit_create', { name: 'Stretch' })), until: answer.promise },
    endTurn(),
    ratingTurn({ habits: 4 }),
  );
  const handle = await start();
  try {
    await waitUntil(() => fake.requests.length > before, 'the model call was made');
    await handle.signal(pauseSignal);
  } finally {
    answer.open();
  }
  await waitUntil(async () => (await handle.query(statusQuery)).round === 1, 'the model call completed');
  await handle.signal(resumeSignal);
  assert.equal((await handle.result()).actions, 1);
  return handle;
});

record('cancelled', claude, async (start) => {
  const answer = gate();
  const before = fake.requests.length;
  fake.push(toolTurn(toolUse('toolu_rec_c', 'todo_create', { title: 'Half done' })), {
    ...endTurn(),
    until: answer.promise,
  });
  const handle = await start();
  try {
    await waitUntil(() => fake.requests.length >= before + 2, 'the second model call was made');
    await handle.cancel();
    await assert.rejects(handle.result());
  } finally {
    answer.open();
  }
  return handle;
});

record('failed-bad-request', claude, async (start) => {
  fake.push({
    status: 400,
    error: { type: 'invalid_request_error', message: 'messages: roles must alternate' },
  });
  const handle = await start();
  await assert.rejects(handle.result());
  return handle;
});

record('budget-tool-calls', claude, async (start) => {
  fake.push(
    toolTurn(
      toolUse('toolu_rec_b1', 'todo_create', { title: 'First' }),
      toolUse('toolu_rec_b2', 'todo_create', { title: 'Over budget' }),
    ),
    ratingTurn({ todos: 4 }),
  );
  const handle = await start({ budgets: { maxToolCalls: 1 } });
  assert.equal((await handle.result()).endReason, 'budget:tool_calls');
  return handle;
});
