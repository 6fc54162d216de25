import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { AnthropicProvider } from '../../activities/llm/anthropic-provider.ts';
import { livePersonas } from '../../lib/personas/live-personas.ts';
import { upsertPersona } from '../../lib/personas/upsert-persona.ts';
import { runningTicks, setPaused } from '../../lib/schedules/control.ts';
import { scheduleIdFor } from '../../lib/schedules/persona-schedule.ts';
import { listPersonaSchedules, syncSchedules } from '../../lib/schedules/sync.ts';
import type { personaTick } from '../../workflows/persona-tick.ts';
import { statusQuery } from '../../workflows/tick-contract.ts';
import { buildActivityDeps } from '../../workers/build-deps.ts';
import { loadWorkerConfig } from '../../workers/config.ts';
import { createTickWorker } from '../../workers/tick-worker.ts';
import { testLogger } from '../support/database.ts';
import { endTurn, ratingTurn, toolTurn, toolUse } from '../support/fake-steps.ts';
import { startTestFakeMessagesApi } from '../support/fake-messages-api.ts';
import { DEFAULT_PERSONA } from '../support/fixtures.ts';
import { sharedBundle } from '../support/tick-worker.ts';
import { startTickEnv } from '../support/tick-env.ts';
import { gate, waitUntil } from '../support/wait.ts';
import { freshNamespace } from '../support/schedules.ts';
import { requireTemporalAddress } from '../support/temporal.ts';
import { TEST_SEED_SECRET, TEST_KEK, TEST_SECRET_ENV } from '../support/secrets.ts';

// The global kill switch (`personas pause --all` / `resume --all`) against real schedules and a
// real running tick. `pause --all` signals every running tick in the namespace, so this file
// works in a namespace of its own (startTickEnv's worker polls the default namespace: the worker
// here is created the same way, in that namespace).
const fake = await startTestFakeMessagesApi();
const env = await startTickEnv({ noWorker: true });
const { namespace, client } = await freshNamespace();
const db = env.gw.database.db;
const otherId = (
  await upsertPersona(db, TEST_KEK, TEST_SEED_SECRET, {
    ...DEFAULT_PERSONA,
    email: 'kai@personas.test',
    displayName: 'Kai',
    cadence: 'hourly',
    timezone: 'Asia/Tokyo',
  })
).personaId;
const ids = [env.personaId, otherId];

const native = await NativeConnection.connect({ address: requireTemporalAddress() });
const deps = buildActivityDeps(
  loadWorkerConfig({
    ...TEST_SECRET_ENV,
    GATEWAY_URL: env.gw.url,
    LLM_PROVIDER: 'scripted',
    LOG_LEVEL: 'silent',
  }),
  db,
  testLogger,
  { llm: new AnthropicProvider('claude-sonnet-4-6', { apiKey: 'sk-ant-test-pause-all', baseURL: fake.url }) },
);
const worker = await createTickWorker({
  connection: native,
  namespace,
  taskQueue: env.taskQueue,
  deps,
  workflowBundle: await sharedBundle(),
});
const running = worker.run();
after(async () => {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
  await deps.sessions.close();
  await native.close();
});

const describe = (id: string) => client.schedule.getHandle(scheduleIdFor(id)).describe();
const pausedFlags = async () =>
  (await env.query<{ paused: boolean }>('SELECT paused FROM personas ORDER BY id')).map((r) => r.paused);
const toolResults = (tickId: string) =>
  env.count("SELECT count(*)::int AS n FROM persona_transcript WHERE tick_id = $1 AND part = 'tool_result'", [
    tickId,
  ]);
const todos = () => env.count('SELECT count(*)::int AS n FROM todos');

/** History events after the first `modelCall` completion: its outcome as the workflow saw it. */
async function afterFirstModelCall(h: WorkflowHandle) {
  const events = (await h.fetchHistory()).events ?? [];
  const scheduled = new Set(
    events
      .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'modelCall')
      .map((e) => String(e.eventId)),
  );
  const done = events.findIndex((e) =>
    scheduled.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)),
  );
  return done < 0 ? undefined : events.slice(done + 1);
}

test('pause --all pauses every schedule and the running tick; resume --all lets it finish', async () => {
  // Schedules for both personas (no first tick: this test starts the one tick it watches).
  const created = await syncSchedules(client, await livePersonas(db), {
    taskQueue: env.taskQueue,
    triggerNew: false,
  });
  assert.deepEqual(
    created.map((c) => c.action),
    ['create', 'create'],
  );

  const answer = gate();
  const todosBefore = await todos();
  fake.push(
    {
      ...toolTurn(toolUse('toolu_all_a', 'todo_create', { title: 'Water the plants' })),
      until: answer.promise,
    },
    endTurn(),
    ratingTurn({ todos: { rating: 4, notes: 'paused by the kill switch, then resumed' } }),
  );
  // A scheduled tick (the schedule's own action, started now), held inside its first model call.
  await client.schedule.getHandle(scheduleIdFor(env.personaId)).trigger();
  await waitUntil(() => fake.requests.length >= 1, 'the tick made its first model request');
  const [tick] = await waitUntil(async () => {
    const t = await runningTicks(client);
    return t.length ? t : undefined;
  }, 'the running tick was visible');
  assert.ok(tick!.workflowId.startsWith(`tick-${env.personaId}-`), tick!.workflowId);
  const handle = client.workflow.getHandle<typeof personaTick>(tick!.workflowId);

  let paused;
  try {
    paused = await setPaused(client, db, true);
  } finally {
    answer.open();
  }
  assert.deepEqual(paused, { personas: 2, schedules: 2, ticksSignalled: 1 });
  assert.deepEqual(await pausedFlags(), [true, true]);
  for (const id of ids) {
    const d = await describe(id);
    assert.equal(d.state.paused, true, `schedule of ${id} paused`);
    assert.equal(d.state.note, 'paused with personas pause');
  }

  // The held model call completes; the workflow takes its result and then waits: no tool call
  // (nor any other activity) is scheduled after it. A workflow only moves on a new event, so
  // once that workflow task has completed with nothing scheduled, it stays put until resumed.
  const rest = await waitUntil(async () => {
    const events = await afterFirstModelCall(handle);
    return events?.some((e) => e.workflowTaskCompletedEventAttributes) ? events : undefined;
  }, 'the workflow took the model result');
  assert.equal(
    rest.filter((e) => e.activityTaskScheduledEventAttributes).length,
    0,
    'nothing scheduled while paused',
  );
  const status = await handle.query(statusQuery);
  assert.deepEqual([status.paused, status.phase, status.round, status.actions], [true, 'main', 1, 0]);
  assert.equal(fake.requests.length, 1, 'no further model request while paused');
  assert.equal(await toolResults(handle.workflowId), 0, 'no tool call while paused');
  assert.equal(await todos(), todosBefore, 'nothing written to the product while paused');

  // What a paused schedule guarantees is that it takes no scheduled actions (a manual trigger or
  // backfill still starts a tick: Temporal lets explicit requests through). `schedules sync`
  // keeps the pause, because the database says so.
  await waitUntil(async () => {
    const listed = await listPersonaSchedules(client);
    return listed.length === 2 && listed.every((s) => s.paused);
  }, 'the schedule list showed both schedules paused');
  const resynced = await syncSchedules(client, await livePersonas(db), { taskQueue: env.taskQueue });
  assert.deepEqual(
    resynced.map((c) => c.action),
    ['unchanged', 'unchanged'],
  );
  for (const id of ids) assert.equal((await describe(id)).state.paused, true);
  assert.deepEqual(
    (await runningTicks(client)).map((t) => t.workflowId),
    [handle.workflowId],
    'no new tick',
  );

  const resumed = await setPaused(client, db, false);
  assert.deepEqual(resumed, { personas: 2, schedules: 2, ticksSignalled: 1 });
  assert.deepEqual(await pausedFlags(), [false, false]);
  for (const id of ids) {
    const d = await describe(id);
    assert.equal(d.state.paused, false, `schedule of ${id} unpaused`);
    assert.equal(d.state.note, 'resumed with personas resume');
  }
  const result = await handle.result();
  assert.equal(result.status, 'completed');
  assert.equal(result.actions, 1);
  assert.equal(fake.exhausted, false, 'the fake Messages API ran out of script');
  assert.equal(fake.remaining, 0, 'the tick made every scripted call');
  assert.equal(fake.requests.length, 3, 'main turn, its end, and the rating turn');
  assert.equal(await todos(), todosBefore + 1);
  const [row] = await env.query<{ status: string; tool_calls: number }>(
    'SELECT status, tool_calls FROM persona_ticks WHERE id = $1',
    [handle.workflowId],
  );
  assert.deepEqual(row, { status: 'completed', tool_calls: 1 });
});
