// Transcript retention end to end on the dev server: the worker's start creates the purge schedule,
// the schedule's run deletes old parts in bounded batches and keeps recent ones; a long purge
// continues as new; a row another transaction holds is skipped, not waited for.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { upsertPersona } from '../../lib/personas/upsert-persona.ts';
import { ensurePurgeSchedule } from '../../lib/schedules/purge-schedule.ts';
import { resolveTemporal } from '../../lib/temporal/connect.ts';
import { loadWorkerConfig } from '../../workers/config.ts';
import { startWorker } from '../../workers/main.ts';
import {
  PURGE_WORKFLOW,
  purgeScheduleId,
  type PurgeInput,
  type PurgeResult,
} from '../../workflows/purge-contract.ts';
import { freshDatabase, testLogger } from '../support/database.ts';
// tick-env also installs the SDK runtime with quiet logging, before the worker below starts.
import { DEFAULT_PERSONA } from '../support/fixtures.ts';
import { TEST_SEED_SECRET, TEST_KEK, TEST_SECRET_ENV } from '../support/secrets.ts';

const database = await freshDatabase();
const pool = database.pool;
const taskQueue = `test-purge-${randomUUID()}`;
const config = loadWorkerConfig({
  ...TEST_SECRET_ENV,
  TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
  TEMPORAL_TASK_QUEUE: taskQueue,
  WORKER_METRICS_PORT: '0',
  LOG_LEVEL: 'silent',
  TRANSCRIPT_RETENTION_DAYS: '30',
  TRANSCRIPT_PURGE_BATCH_SIZE: '10',
});
const target = await resolveTemporal(config.temporal, { dataDir: config.dataDir, logger: testLogger });
const connection = await Connection.connect(target.connectionOptions);
const client = new Client({ connection, namespace: target.namespace });
// The worker as `personas worker` starts it: this is what creates the purge schedule.
const worker = await startWorker(config, testLogger, database, target);
after(async () => {
  await client.schedule
    .getHandle(purgeScheduleId(taskQueue))
    .delete()
    .catch(() => {});
  await worker.stop();
  await connection.close();
});

const { personaId } = await upsertPersona(database.db, TEST_KEK, TEST_SEED_SECRET, {
  ...DEFAULT_PERSONA,
});

/** A tick with `parts` transcript parts, all created `daysAgo` days ago; returns the tick id. */
async function tickWithParts(parts: number, daysAgo: number): Promise<string> {
  const tickId = `tick-purge-${randomUUID()}`;
  await pool.query('INSERT INTO persona_ticks (id, persona_id) VALUES ($1, $2)', [tickId, personaId]);
  await pool.query(
    `INSERT INTO persona_transcript (tick_id, round, part, content, created_at)
     SELECT $1, r, 'assistant', '{"sealed":"enc:1:x","key":"vault"}', now() - make_interval(days => $2::int)
       FROM generate_series(0, $3::int - 1) AS r`,
    [tickId, daysAgo, parts],
  );
  return tickId;
}
const partsOf = async (tickId: string) =>
  (
    await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM persona_transcript WHERE tick_id = $1', [
      tickId,
    ])
  ).rows[0]!.n;

/** Results of the purge's batch activities in a run's history, in order. */
function batchResults(history: temporal.api.history.v1.IHistory): number[] {
  return (history.events ?? []).flatMap((e) => {
    const payload = e.activityTaskCompletedEventAttributes?.result?.payloads?.[0];
    return payload ? [defaultPayloadConverter.fromPayload<{ deleted: number }>(payload).deleted] : [];
  });
}

test('the worker’s start creates the purge schedule; its run deletes old parts in batches and keeps recent ones', async () => {
  const schedule = client.schedule.getHandle(purgeScheduleId(taskQueue));
  const described = await schedule.describe();
  assert.equal(described.action.type, 'startWorkflow');
  assert.equal(described.action.type === 'startWorkflow' && described.action.workflowType, PURGE_WORKFLOW);
  assert.deepEqual(described.action.type === 'startWorkflow' && described.action.args, [
    { retentionDays: 30, batchSize: 10 },
  ]);
  assert.equal(described.spec.intervals?.[0]?.every, 60 * 60 * 1000);
  // Paused, so the hourly run cannot start in the middle of the test; a trigger still runs it.
  await schedule.pause('paused by the test');

  const old = await tickWithParts(25, 40);
  const edge = await tickWithParts(3, 29);
  const recent = await tickWithParts(5, 1);
  await schedule.trigger();
  let started: { workflowId: string; firstExecutionRunId: string } | undefined;
  for (let i = 0; !started; i++) {
    assert.ok(i < 200, 'the schedule started no purge');
    const action = (await schedule.describe()).info.recentActions[0]?.action;
    started = action?.workflow;
    if (!started) await sleep(100);
  }
  const run = client.workflow.getHandle<(i: PurgeInput) => Promise<PurgeResult>>(
    started.workflowId,
    started.firstExecutionRunId,
  );
  const result = await run.result();
  assert.equal(result.deleted, 25);
  assert.equal(result.batches, 3);
  assert.deepEqual(batchResults(await run.fetchHistory()), [10, 10, 5], 'batches of at most 10');
  assert.equal(await partsOf(old), 0);
  assert.equal(await partsOf(edge), 3, 'parts younger than 30 days are kept');
  assert.equal(await partsOf(recent), 5);
  assert.ok(Date.parse(result.cutoff) < Date.now() - 29.9 * 24 * 3600 * 1000);
});

test('ensuring the schedule is idempotent, and a new setting updates it in place', async () => {
  const settings = { retentionDays: 30, batchSize: 10 };
  assert.equal(await ensurePurgeSchedule(client, taskQueue, settings), 'unchanged');
  const schedule = client.schedule.getHandle(purgeScheduleId(taskQueue));
  assert.equal((await schedule.describe()).state.paused, true, 'paused by the first test');
  assert.equal(await ensurePurgeSchedule(client, taskQueue, { retentionDays: 7, batchSize: 500 }), 'updated');
  const described = await schedule.describe();
  assert.deepEqual(described.action.type === 'startWorkflow' && described.action.args, [
    { retentionDays: 7, batchSize: 500 },
  ]);
  assert.equal(described.state.paused, true, 'an operator’s pause survives the update');
  assert.equal(
    await ensurePurgeSchedule(client, taskQueue, { retentionDays: 7, batchSize: 500 }),
    'unchanged',
  );
  assert.equal(await ensurePurgeSchedule(client, taskQueue, settings), 'updated');
});

test('a long purge continues as new, keeping its cutoff and totals', async () => {
  const old = await tickWithParts(8, 45);
  const handle = await client.workflow.start(PURGE_WORKFLOW, {
    taskQueue,
    workflowId: `purge-long-${randomUUID()}`,
    args: [{ retentionDays: 30, batchSize: 3, batchesPerRun: 2 } satisfies PurgeInput],
  });
  const result = (await handle.result()) as PurgeResult;
  assert.deepEqual({ deleted: result.deleted, batches: result.batches }, { deleted: 8, batches: 3 });
  assert.equal(await partsOf(old), 0);
  const first = await client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).fetchHistory();
  assert.ok(
    first.events?.some((e) => e.workflowExecutionContinuedAsNewEventAttributes),
    'the first run continued as new after 2 batches',
  );
});

test('a part another transaction holds is skipped, not waited for, and purged by a later run', async () => {
  const old = await tickWithParts(4, 50);
  const holder = await pool.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM persona_transcript WHERE tick_id = $1 AND round = 0 FOR UPDATE', [old]);
    const first = await client.workflow.execute(PURGE_WORKFLOW, {
      taskQueue,
      workflowId: `purge-locked-${randomUUID()}`,
      args: [{ retentionDays: 30, batchSize: 10 } satisfies PurgeInput],
    });
    assert.equal((first as PurgeResult).deleted, 3);
    assert.equal(await partsOf(old), 1, 'the held row is still there');
  } finally {
    await holder.query('COMMIT');
    holder.release();
  }
  await client.workflow.execute(PURGE_WORKFLOW, {
    taskQueue,
    workflowId: `purge-after-${randomUUID()}`,
    args: [{ retentionDays: 30, batchSize: 10 } satisfies PurgeInput],
  });
  assert.equal(await partsOf(old), 0);
});

test('a purge started by hand with a retention of 0 days is refused, deleting nothing', async () => {
  const recent = await tickWithParts(2, 0);
  await assert.rejects(
    client.workflow.execute(PURGE_WORKFLOW, {
      taskQueue,
      workflowId: `purge-bad-${randomUUID()}`,
      args: [{ retentionDays: 0, batchSize: 10 }],
    }),
    (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof ApplicationFailure);
      assert.equal(err.cause.type, 'PurgeInvalidInput');
      assert.match(err.cause.message, /retentionDays/);
      return true;
    },
  );
  assert.equal(await partsOf(recent), 2);
});
