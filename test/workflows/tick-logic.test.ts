// The tick workflow's own logic — budgets, retry budgets, pauses, a mismatched tool result, a failure —
// on Temporal's time-skipping test server with fake activities: no gateway, Postgres or model needed,
// and a 15-minute retry budget passes in a moment. The real stack's tests (test/tick/) cover the
// activities and what crosses the wire.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { Activities } from '../../activities/index.ts';
import { emptyTokenUsage } from '../../schema/vocabulary.ts';
import {
  statusQuery,
  resumeSignal,
  TICK_FAILURES,
  TICK_WORKFLOW,
  type TickInput,
  type TickResult,
} from '../../workflows/tick-contract.ts';
import type { ModelCallResult, PersistInput } from '../../workflows/tick-steps-contract.ts';
import { startTimeSkippingEnv, withFakeActivities } from '../support/time-skipping.ts';
import { waitUntil } from '../support/wait.ts';

const env = await startTimeSkippingEnv();

/** Fake tick activities: `answer(round)` is the model's answer; everything persisted is kept. */
function fakeTick(answer: (round: number) => ModelCallResult | Promise<ModelCallResult>, paused = false) {
  const persisted: PersistInput[] = [];
  let modelAttempts = 0;
  let rated = 0;
  const activities = {
    login: async (i) => ({
      tickId: i.tickId,
      personaId: i.personaId,
      userId: 'user-1',
      archetype: 'solo-dev',
      cadence: 'daily',
      provider: 'scripted',
      model: 'scripted',
      paused,
    }),
    modelCall: async (i) => {
      modelAttempts++;
      return answer(i.round);
    },
    callTool: async (i) => ({
      toolName: i.toolName,
      toolUseId: i.toolUseId,
      module: 'todos',
      inputHash: 'hash',
      outcome: 'ok',
      errorClass: undefined,
      resultSummary: 'ok',
      latencyMs: 1,
    }),
    rate: async () => {
      rated++;
      return {
        feedback: [{ module: 'todos', rating: 4, notes: '' }],
        ratingError: undefined,
        usage: emptyTokenUsage(),
        costUsd: 0,
      };
    },
    persistTick: async (i) => {
      persisted.push(i);
      return { actions: i.actions.length, feedback: i.feedback.length };
    },
  } satisfies Partial<Activities>;
  return { activities, persisted, modelAttempts: () => modelAttempts, rated: () => rated };
}

const toolUses = (round: number, n: number): ModelCallResult => ({
  stopReason: 'tool_use',
  toolUses: Array.from({ length: n }, (_, i) => ({ id: `toolu_${round}_${i}`, name: 'todo_create' })),
  usage: { ...emptyTokenUsage(), input: 100, output: 10 },
  costUsd: 0.001,
});

const start = (taskQueue: string, input: Partial<TickInput> = {}) =>
  env.client.workflow.start<(i: TickInput) => Promise<TickResult>>(TICK_WORKFLOW, {
    taskQueue,
    workflowId: `tick-logic-${Math.random().toString(36).slice(2)}`,
    args: [{ personaId: 'persona-1', ...input }],
  });

test('the tool-call budget ends the main turn mid-round; the tick is rated by its own activity and persisted', async () => {
  const fake = fakeTick((round) => toolUses(round, 3));
  await withFakeActivities(env, fake.activities, async (q) => {
    const result = await (await start(q, { budgets: { maxToolCalls: 5 } })).result();
    assert.deepEqual(result, {
      tickId: result.tickId,
      status: 'completed',
      endReason: 'budget:tool_calls',
      actions: 5,
    });
  });
  assert.equal(fake.modelAttempts(), 2, 'two rounds: 3 calls, then 2 of 3');
  assert.equal(fake.rated(), 1, 'a tick ended by a budget rates in a rate activity');
  const [p] = fake.persisted;
  assert.deepEqual(
    p!.actions.map((a) => [a.seq, a.round, a.toolUseId]),
    [
      [0, 0, 'toolu_0_0'],
      [1, 0, 'toolu_0_1'],
      [2, 0, 'toolu_0_2'],
      [3, 1, 'toolu_1_0'],
      [4, 1, 'toolu_1_1'],
    ],
  );
  assert.equal(p!.usage.input, 200);
  assert.deepEqual(p!.feedback, [{ module: 'todos', rating: 4, notes: '' }]);
});

test('the rounds budget ends the main turn before another model call', async () => {
  const fake = fakeTick((round) => toolUses(round, 1));
  await withFakeActivities(env, fake.activities, async (q) => {
    const result = await (await start(q, { budgets: { maxRounds: 3 } })).result();
    assert.equal(result.endReason, 'budget:rounds');
  });
  assert.equal(fake.modelAttempts(), 3);
});

test('a model endpoint down for longer than its 15-minute budget fails the tick, which is persisted as failed', async () => {
  const fake = fakeTick(() => {
    throw ApplicationFailure.create({ type: TICK_FAILURES.llmRetryable.type, message: '529 overloaded' });
  });
  await withFakeActivities(env, fake.activities, async (q) => {
    const handle = await start(q);
    await assert.rejects(handle.result(), WorkflowFailedError);
  });
  // Backoff 2 s, 4 s … capped at 60 s inside 15 minutes: many attempts, all in skipped time.
  assert.ok(fake.modelAttempts() >= 10, `retried ${fake.modelAttempts()} times`);
  const [p] = fake.persisted;
  assert.equal(p!.status, 'failed');
  assert.match(p!.failure ?? '', /LlmRetryableError|529 overloaded|timed out/i);
  assert.match(p!.endReason, /^error:/);
});

test('a tool result for another tool_use_id fails the tick at once (a bug, never retried)', async () => {
  const fake = fakeTick((round) => toolUses(round, 1));
  const activities = {
    ...fake.activities,
    callTool: async () => ({
      ...(await fake.activities.callTool({
        tickId: 't',
        personaId: 'p',
        round: 0,
        toolUseId: 'toolu_other',
        toolName: 'todo_create',
      })),
    }),
  };
  await withFakeActivities(env, activities, async (q) => {
    const handle = await start(q);
    await assert.rejects(handle.result(), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.equal((err.cause as ApplicationFailure).type, TICK_FAILURES.toolResultMismatch.type);
      return true;
    });
  });
  assert.equal(fake.persisted[0]!.status, 'failed');
});

test('a tick whose persona is paused waits — for days, in skipped time — until resumed, then completes', async () => {
  const fake = fakeTick(
    () => ({ stopReason: 'end_turn', toolUses: [], usage: emptyTokenUsage(), costUsd: 0 }),
    true,
  );
  await withFakeActivities(env, fake.activities, async (q) => {
    const handle = await start(q);
    await waitUntil(async () => (await handle.query(statusQuery)).paused, 'the tick reports paused');
    await env.sleep('3 days');
    assert.equal(fake.modelAttempts(), 0, 'nothing ran while paused');
    await handle.signal(resumeSignal);
    const result = await handle.result();
    assert.equal(result.status, 'completed');
  });
  assert.equal(fake.modelAttempts(), 1);
});

test('cancelling a tick mid-model-call persists it as cancelled', async () => {
  const fake = fakeTick(async () => {
    // A model call that heartbeats until the tick is cancelled.
    const ctx = Context.current();
    for (;;) {
      ctx.heartbeat();
      await Promise.race([ctx.sleep(500), ctx.cancelled]);
    }
  });
  await withFakeActivities(env, fake.activities, async (q) => {
    const handle = await start(q);
    await waitUntil(async () => fake.modelAttempts() > 0, 'the model call started');
    await handle.cancel();
    await assert.rejects(handle.result(), WorkflowFailedError);
  });
  assert.equal(fake.persisted[0]!.status, 'cancelled');
  assert.equal(fake.persisted[0]!.endReason, 'cancelled');
});
