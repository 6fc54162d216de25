import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { personaTick } from '../../workflows/persona-tick.ts';
import { pauseSignal, resumeSignal, statusQuery } from '../../workflows/tick-contract.ts';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { type FakeStep } from '../support/fake-messages-api.ts';
import { startClaudeTickEnv } from '../support/tick-env.ts';
import { gate, waitUntil } from '../support/wait.ts';

const { fake, env } = await startClaudeTickEnv({ apiKey: 'sk-ant-test-pause' });

type Handle = WorkflowHandle<typeof personaTick>;
/** How long "nothing happens while paused" is watched. Unpaused, the next step starts within milliseconds. */
const QUIET_MS = 1500;

const held = (step: FakeStep, until: Promise<unknown>): FakeStep => ({ ...step, until });
const todoTurn = (...ids: string[]) =>
  toolTurn(...ids.map((id) => toolUse(id, 'todo_create', { title: `Task ${id}` })));
const todos = () => env.count('SELECT count(*)::int AS n FROM todos');
// Actions reach persona_actions only when the tick persists; while it runs, a tool call that
// happened shows as a tool_result transcript row (and as a todo in the product).
const toolResults = (h: Handle) =>
  env.count("SELECT count(*)::int AS n FROM persona_transcript WHERE tick_id = $1 AND part = 'tool_result'", [
    h.workflowId,
  ]);
const actionsOf = (h: Handle) =>
  env.query<{ tool_use_id: string; outcome: string }>(
    'SELECT tool_use_id, outcome FROM persona_actions WHERE tick_id = $1 ORDER BY seq',
    [h.workflowId],
  );
const tickRow = async (h: Handle) =>
  (
    await env.query<{ status: string; end_reason: string; rounds: number; tool_calls: number }>(
      'SELECT status, end_reason, rounds, tool_calls FROM persona_ticks WHERE id = $1',
      [h.workflowId],
    )
  )[0];
const requestsReach = (n: number) =>
  waitUntil(() => fake.requests.length >= n, `${n} model requests were made`);
const assertScriptConsumed = () => {
  assert.equal(fake.exhausted, false, 'the fake Messages API ran out of script');
  assert.equal(fake.remaining, 0, 'the tick did not make every scripted call');
};

/** The result rejects as a cancellation: WorkflowFailedError caused by CancelledFailure. */
async function assertCancelled(h: Handle): Promise<void> {
  await assert.rejects(h.result(), (err: unknown) => {
    assert.ok(err instanceof WorkflowFailedError, `expected WorkflowFailedError, got ${String(err)}`);
    assert.ok(err.cause instanceof CancelledFailure, `expected CancelledFailure, got ${String(err.cause)}`);
    return true;
  });
}

test('pause while the first model call is in flight: the tick stops before its tool calls; resume completes it', async () => {
  const before = fake.requests.length;
  const todosBefore = await todos();
  const answer = gate();
  fake.push(
    held(todoTurn('toolu_pause_a', 'toolu_pause_b'), answer.promise),
    endTurn(),
    ratingTurn({ todos: { rating: 4, notes: 'paused and resumed' } }),
  );
  const handle = await env.start();
  try {
    await requestsReach(before + 1);
    await handle.signal(pauseSignal);
    // The model's answer is still held: the pause is seen mid-step, before the round completes.
    const mid = await handle.query(statusQuery);
    assert.deepEqual([mid.paused, mid.phase, mid.round], [true, 'main', 0]);
  } finally {
    answer.open();
  }

  // The in-flight model call finishes (round 1 counted); the tool calls it asked for must wait.
  const paused = await waitUntil(async () => {
    const s = await handle.query(statusQuery);
    return s.round === 1 ? s : undefined;
  }, 'the first model call completed');
  assert.equal(paused.paused, true);
  assert.equal(paused.phase, 'main');
  assert.equal(paused.actions, 0);
  await sleep(QUIET_MS);
  assert.equal(fake.requests.length - before, 1, 'no model request while paused');
  assert.equal(await toolResults(handle), 0, 'no tool call ran while paused');
  assert.equal(await todos(), todosBefore, 'nothing written to the product while paused');
  assert.deepEqual(await actionsOf(handle), []);
  const still = await handle.query(statusQuery);
  assert.deepEqual([still.paused, still.round, still.actions], [true, 1, 0]);

  await handle.signal(resumeSignal);
  const result = await handle.result();
  assertScriptConsumed();
  assert.equal(result.status, 'completed');
  assert.equal(result.actions, 2);
  assert.deepEqual(await actionsOf(handle), [
    { tool_use_id: 'toolu_pause_a', outcome: 'ok' },
    { tool_use_id: 'toolu_pause_b', outcome: 'ok' },
  ]);
  assert.equal(await todos(), todosBefore + 2);
  assert.equal(fake.requests.length - before, 3, 'main turn, its end, and the rating turn');
});

test('cancel mid-tick (second model call in flight): persists what was done, status cancelled', async () => {
  const before = fake.requests.length;
  const answer = gate();
  // The second answer is never used: the tick is cancelled while it is held.
  fake.push(todoTurn('toolu_cancel_a', 'toolu_cancel_b'), held(endTurn(), answer.promise));
  const handle = await env.start();
  try {
    await requestsReach(before + 2);
    await handle.cancel();
    await assertCancelled(handle);
  } finally {
    answer.open();
  }
  assertScriptConsumed();
  const tick = await tickRow(handle);
  assert.deepEqual(tick, { status: 'cancelled', end_reason: 'cancelled', rounds: 1, tool_calls: 2 });
  assert.deepEqual(await actionsOf(handle), [
    { tool_use_id: 'toolu_cancel_a', outcome: 'ok' },
    { tool_use_id: 'toolu_cancel_b', outcome: 'ok' },
  ]);
  // The held answer was the end of the main turn: the model call, answered after the tick ended,
  // does not go on to ask the rating turn (nobody waits for it).
  await sleep(QUIET_MS);
  assert.equal(fake.requests.length - before, 2, 'no rating turn after cancellation');
});

test('cancel while paused: the waiting tick persists the rounds it completed', async () => {
  const before = fake.requests.length;
  const todosBefore = await todos();
  const answer = gate();
  fake.push(todoTurn('toolu_pc_a'), held(todoTurn('toolu_pc_b'), answer.promise));
  const handle = await env.start();
  try {
    await requestsReach(before + 2);
    await handle.signal(pauseSignal);
  } finally {
    answer.open();
  }
  await waitUntil(
    async () => (await handle.query(statusQuery)).round === 2,
    'the second model call completed',
  );
  await handle.cancel();
  await assertCancelled(handle);
  assertScriptConsumed();
  assert.deepEqual(await tickRow(handle), {
    status: 'cancelled',
    end_reason: 'cancelled',
    rounds: 2,
    tool_calls: 1,
  });
  assert.deepEqual(await actionsOf(handle), [{ tool_use_id: 'toolu_pc_a', outcome: 'ok' }]);
  assert.equal(await todos(), todosBefore + 1, 'the tool call of the paused round never ran');
});

test('cancel during parallel tool calls keeps the call that completed', async () => {
  const before = fake.requests.length;
  const slow = gate();
  let slowStarted = false;
  let fastDone = false;
  const sessions = env.deps.sessions;
  const realCallTool = sessions.callTool.bind(sessions);
  // Hold one of the two parallel calls inside the worker, so the other completes first.
  sessions.callTool = async (personaId, name, args, idempotencyKey) => {
    if (idempotencyKey.endsWith(':toolu_par_slow')) {
      slowStarted = true;
      await slow.promise;
    }
    const r = await realCallTool(personaId, name, args, idempotencyKey);
    if (idempotencyKey.endsWith(':toolu_par_fast')) fastDone = true;
    return r;
  };
  fake.push(todoTurn('toolu_par_fast', 'toolu_par_slow'));
  const handle = await env.start();
  try {
    // Each call is a local activity: the fast one has completed, the slow one is held. The
    // cancellation reaches the held call, which answers as cancelled; the workflow records the
    // completed call before it ends cancelled.
    await waitUntil(async () => slowStarted && fastDone, 'the fast tool call completed');
    await handle.cancel();
    await assertCancelled(handle);
  } finally {
    slow.open();
    sessions.callTool = realCallTool;
  }
  assertScriptConsumed();
  assert.equal(fake.requests.length - before, 1);
  assert.deepEqual(await actionsOf(handle), [{ tool_use_id: 'toolu_par_fast', outcome: 'ok' }]);
  assert.equal((await tickRow(handle))?.status, 'cancelled');
  // The held call still runs to its end in the worker (the product write is not undone, and the
  // idempotency key would make a rerun harmless): let it finish before the file closes the database.
  await waitUntil(async () => (await toolResults(handle)) === 2, 'the held tool call finished');
});
