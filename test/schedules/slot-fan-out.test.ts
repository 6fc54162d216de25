import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { createSlotMembers, jitterOffset } from '../../activities/schedules/slot-members.ts';
import { livePersonas } from '../../lib/personas/live-personas.ts';
import { upsertPersona } from '../../lib/personas/upsert-persona.ts';
import { JITTER_SECONDS, personaClock } from '../../lib/schedules/cadence.ts';
import { setPaused } from '../../lib/schedules/control.ts';
import { listPersonaSchedules } from '../../lib/schedules/sync.ts';
import { slotOf, slotScheduleId } from '../../lib/schedules/slot-schedule.ts';
import { desiredSlots, listSlotSchedules } from '../../lib/schedules/slot-sync.ts';
import { syncForMode } from '../../lib/schedules/sync-mode.ts';
import type { personaSlot } from '../../workflows/persona-slot.ts';
import { SLOT_WORKFLOW, slotTickWorkflowId, type SlotKey } from '../../workflows/slot-contract.ts';
import { PERSONA_ID } from '../../workflows/tick-contract.ts';
import { runCli } from '../support/cli.ts';
import { DEFAULT_PERSONA } from '../support/fixtures.ts';
import { freshNamespace } from '../support/schedules.ts';
import { TEST_KEK, TEST_SEED_SECRET } from '../support/secrets.ts';
import { requireTemporalAddress } from '../support/temporal.ts';
import { startTickEnv } from '../support/tick-env.ts';
import { startTickWorker } from '../support/tick-worker.ts';
import { waitUntil } from '../support/wait.ts';

// SCHEDULE_MODE=per-slot on the dev server: slot schedules synced from the database, a slot run
// (the real personaSlot workflow and slotMembers activity) starting real ticks (scripted persona,
// real gateway and worker) as children. Slot runs are started by hand with a past fire time, so every
// persona's jitter offset has passed and no run waits; what the offsets are is checked directly.
const env = await startTickEnv({ noWorker: true });
const { namespace, client } = await freshNamespace();
const db = env.gw.database.db;
const native = await NativeConnection.connect({ address: requireTemporalAddress() });
const worker = await startTickWorker({
  native,
  namespace,
  db,
  gatewayUrl: env.gw.url,
  taskQueue: env.taskQueue,
});
after(async () => {
  await worker.stop();
  await native.close();
});

/** A persona id whose own minute is `minute` (ids are random; the slot comes from the id). */
function idAtMinute(minute: number): string {
  for (;;) {
    const id = randomUUID();
    if (personaClock(id).minute === minute) return id;
  }
}

/** Seeds a persona, then gives it an id at `minute` (no row refers to a fresh persona yet). */
async function seedAt(name: string, minute: number): Promise<string> {
  const { personaId } = await upsertPersona(db, TEST_KEK, TEST_SEED_SECRET, {
    ...DEFAULT_PERSONA,
    email: `${name.toLowerCase()}@personas.test`,
    displayName: name,
    cadence: 'hourly',
    timezone: 'Asia/Tokyo',
  });
  const id = idAtMinute(minute);
  await env.query('UPDATE personas SET id = $2 WHERE id = $1', [personaId, id]);
  return id;
}

const MINUTE = 17;
const anna = await seedAt('Anna', MINUTE);
const ben = await seedAt('Ben', MINUTE);
const cleo = await seedAt('Cleo', MINUTE);
await env.query('UPDATE personas SET paused = true WHERE id = $1', [cleo]);
const sam = env.personaId; // daily, Europe/Berlin
const tokyo: SlotKey = { cadence: 'hourly', timezone: 'Asia/Tokyo', minute: MINUTE };

const sync = async (mode: 'per-slot' | 'per-persona' = 'per-slot') =>
  (await syncForMode(mode, client, await livePersonas(db), { taskQueue: env.taskQueue, triggerNew: false }))
    .changes;
/** Schedule listing is eventually consistent: waits until it shows `n` of a kind. */
const listed = (list: typeof listSlotSchedules | typeof listPersonaSchedules, n: number) =>
  waitUntil(async () => (await list(client)).length === n, `${n} schedules listed`);
const actions = (changes: Array<{ action: string }>) => changes.map((c) => c.action).sort();

/** A past fire time (whole minute) at the slot's minute; `hour` in `timezone` when given. */
function pastFireTime(slot: SlotKey, hour?: number): string {
  const t = new Date(Date.now() - 2 * 3600_000);
  t.setUTCSeconds(0, 0);
  for (;;) {
    const local = new Intl.DateTimeFormat('en-US', {
      timeZone: slot.timezone,
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    }).formatToParts(t);
    const h = Number(local.find((p) => p.type === 'hour')!.value);
    const m = Number(local.find((p) => p.type === 'minute')!.value);
    if (m === slot.minute && (hour === undefined || h === hour)) return t.toISOString();
    t.setTime(t.getTime() - 60_000);
  }
}

const samSlotKey = async () => slotOf((await livePersonas(db)).find((p) => p.personaId === sam)!);
const runSlot = (slot: SlotKey, at: string) =>
  client.workflow.execute<typeof personaSlot>(SLOT_WORKFLOW, {
    taskQueue: env.taskQueue,
    workflowId: `slot-test-${randomUUID()}`,
    args: [{ slot, at }],
  });

test('sync makes one schedule per (cadence, timezone, minute) slot, and a second sync changes nothing', async () => {
  const personas = await livePersonas(db);
  const expected = desiredSlots(personas);
  assert.equal(expected.size, 2, 'Anna, Ben and Cleo share one slot; Sam has his own');
  const first = await sync();
  assert.deepEqual(actions(first), ['create', 'create']);
  const d = await client.schedule.getHandle(slotScheduleId(tokyo)).describe();
  assert.equal(d.spec.timezone, 'Asia/Tokyo');
  assert.equal(d.spec.jitter, undefined, 'no schedule-wide jitter: each persona gets its own offset');
  assert.equal(d.state.paused, false, 'Cleo is paused, Anna and Ben are not');
  assert.equal(d.action.type, 'startWorkflow');
  assert.equal(d.action.type === 'startWorkflow' && d.action.workflowType, SLOT_WORKFLOW);
  assert.equal((await listPersonaSchedules(client)).length, 0, 'no per-persona schedules');

  await listed(listSlotSchedules, 2);
  const second = await sync();
  assert.deepEqual(actions(second), ['unchanged', 'unchanged']);
});

test("a slot run starts each due persona's tick as a child, skips the paused one, and a re-run starts none twice", async () => {
  const at = pastFireTime(tokyo);
  const run = await runSlot(tokyo, at);
  assert.deepEqual(
    { started: run.started, alreadyStarted: run.alreadyStarted, paused: run.paused, running: run.running },
    { started: 2, alreadyStarted: 0, paused: 1, running: 0 },
  );
  for (const id of [anna, ben]) {
    const handle = client.workflow.getHandle(slotTickWorkflowId(id, at));
    const result = (await handle.result()) as { status: string };
    assert.equal(result.status, 'completed', `${id}'s tick completed`);
    const info = await handle.describe();
    assert.equal(info.typedSearchAttributes.get(PERSONA_ID), id, 'the Web UI finds it by PersonaId');
    assert.ok(info.parentExecution?.workflowId?.startsWith('slot-test-'), 'a child of the slot run');
  }
  const cleoTicks = await env.count('SELECT count(*)::int AS n FROM persona_ticks WHERE persona_id = $1', [
    cleo,
  ]);
  assert.equal(cleoTicks, 0, 'the paused persona got no tick');
  assert.equal(
    await env.count(
      'SELECT count(*)::int AS n FROM persona_ticks WHERE persona_id = ANY($1) AND status = $2',
      [[anna, ben], 'completed'],
    ),
    2,
  );

  const again = await runSlot(tokyo, at);
  assert.deepEqual([again.started, again.alreadyStarted], [0, 2], 'same fire time: the same tick ids');
});

test('each persona keeps its own jitter: stable per fire time, spread over the cadence, different next time', async () => {
  const members = createSlotMembers({ db } as Parameters<typeof createSlotMembers>[0]);
  const at = pastFireTime(tokyo);
  const one = await members({ slot: tokyo, at });
  const two = await members({ slot: tokyo, at });
  assert.deepEqual(one, two, 'a retried activity gives the same offsets');
  const offsets = one.due.map((m) => m.offsetSeconds);
  for (const o of offsets) assert.ok(o >= 0 && o < JITTER_SECONDS.hourly, `${o} within the hourly jitter`);
  assert.deepEqual(
    offsets,
    [...offsets].sort((a, b) => a - b),
    'sorted: the run starts them in offset order',
  );
  assert.deepEqual(
    one.due.map((m) => m.offsetSeconds),
    one.due.map((m) => jitterOffset(m.subject.personaId, at, JITTER_SECONDS.hourly)),
  );
  // Over a day of fires, a persona's offset moves (as Temporal's own jitter does per fire).
  const annaOffsets = new Set(
    Array.from({ length: 24 }, (_, h) =>
      jitterOffset(anna, new Date(Date.parse(at) - h * 3600_000).toISOString(), JITTER_SECONDS.hourly),
    ),
  );
  assert.ok(annaOffsets.size > 12, `${annaOffsets.size} distinct offsets over 24 fires`);
});

test('daily slots start only the personas whose own hour it is; a persona with a running tick is skipped', async () => {
  const samSlot = await samSlotKey();
  const { hour } = personaClock(sam);
  const wrongHour = await runSlot(samSlot, pastFireTime(samSlot, hour === 8 ? 9 : 8));
  assert.equal(wrongHour.started, 0, "not Sam's hour");
  // Sam's previous tick still running (its row says so): the slot skips him, as overlap "skip" does.
  await env.query("INSERT INTO persona_ticks (id, persona_id, status) VALUES ($1, $2, 'running')", [
    `tick-${sam}-still-running`,
    sam,
  ]);
  const busy = await runSlot(samSlot, pastFireTime(samSlot, hour));
  assert.deepEqual([busy.started, busy.running], [0, 1]);
  await env.query("UPDATE persona_ticks SET status = 'completed' WHERE id = $1", [
    `tick-${sam}-still-running`,
  ]);
  const at = pastFireTime(samSlot, hour);
  const due = await runSlot(samSlot, at);
  assert.deepEqual([due.started, due.running], [1, 0]);
  assert.equal(
    ((await client.workflow.getHandle(slotTickWorkflowId(sam, at)).result()) as { status: string }).status,
    'completed',
  );
});

test('pause --all pauses every slot schedule and resume unpauses them; a slot whose personas are all paused is paused by sync', async () => {
  const paused = await setPaused(client, db, true, undefined, 'per-slot');
  assert.equal(paused.schedules, 2);
  for (const id of [slotScheduleId(tokyo), slotScheduleId(await samSlotKey())])
    assert.equal((await client.schedule.getHandle(id).describe()).state.paused, true, id);
  await waitUntil(
    async () => (await listSlotSchedules(client)).every((s) => s.paused),
    'the listing shows the pauses',
  );
  assert.deepEqual(actions(await sync()), ['unchanged', 'unchanged'], 'sync keeps the kill switch');
  await setPaused(client, db, false, undefined, 'per-slot');
  await waitUntil(
    async () => (await listSlotSchedules(client)).every((s) => !s.paused),
    'the listing shows the resumes',
  );
  await env.query('UPDATE personas SET paused = true WHERE id = $1', [sam]);
  const changes = await sync();
  const samSlot = changes.find((c) => c.action === 'update')!;
  assert.equal(samSlot.detail, 'pause', "Sam's slot holds only Sam");
  assert.equal((await client.schedule.getHandle(samSlot.scheduleId).describe()).state.paused, true);
  await env.query('UPDATE personas SET paused = false WHERE id = $1', [sam]);
  await sync();
});

test('switching SCHEDULE_MODE and syncing replaces one kind of schedule with the other', async () => {
  const toPersona = await sync('per-persona');
  assert.equal(toPersona.filter((c) => c.action === 'create').length, 4, 'a schedule per persona');
  assert.equal(toPersona.filter((c) => c.action === 'delete').length, 2, 'the slot schedules');
  await listed(listSlotSchedules, 0);
  await listed(listPersonaSchedules, 4);
  const back = await sync('per-slot');
  assert.deepEqual(
    [back.filter((c) => c.action === 'create').length, back.filter((c) => c.action === 'delete').length],
    [2, 4],
  );
});

test("the slot schedule's own run asks for the personas due at the time it fired, then waits for their offsets", async () => {
  const handle = client.schedule.getHandle(slotScheduleId(tokyo));
  await handle.trigger();
  const run = await waitUntil(
    async () => (await handle.describe()).info.recentActions[0],
    'the schedule ran',
  );
  const wf = client.workflow.getHandle(
    run.action.workflow.workflowId,
    run.action.workflow.firstExecutionRunId,
  );
  try {
    const askedAt = await waitUntil(async () => {
      const events = (await wf.fetchHistory()).events ?? [];
      const scheduled = events.find(
        (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'slotMembers',
      );
      const input = scheduled?.activityTaskScheduledEventAttributes?.input?.payloads?.[0];
      return input && (defaultPayloadConverter.fromPayload(input) as { at: string }).at;
    }, 'the run asked who is due');
    // The search attribute keeps whole seconds (a cron fire time is a whole minute anyway).
    const fired = new Date(Math.floor(run.scheduledAt.getTime() / 1000) * 1000).toISOString();
    assert.equal(askedAt, fired, 'the fire time, from TemporalScheduledStartTime');
    const due = await createSlotMembers({ db } as Parameters<typeof createSlotMembers>[0])({
      slot: tokyo,
      at: askedAt,
    });
    if (due.due.some((m) => m.offsetSeconds > 0))
      await waitUntil(
        async () => ((await wf.fetchHistory()).events ?? []).some((e) => e.timerStartedEventAttributes),
        'the run waits (a timer) for the first offset',
      );
  } finally {
    await wf.terminate('test over');
  }
});

test('the CLI follows SCHEDULE_MODE: `schedules sync` reports per-slot changes, `schedules list` names each persona’s slot', async () => {
  await listed(listSlotSchedules, 2);
  // resume --all above cleared every persona's flag; Cleo is paused again.
  await env.query('UPDATE personas SET paused = true WHERE id = $1', [cleo]);
  const cliEnv = {
    DATABASE_URL: env.gw.database.url,
    TEMPORAL_ADDRESS: requireTemporalAddress(),
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: env.taskQueue,
    SCHEDULE_MODE: 'per-slot',
  };
  const r = await runCli(['schedules', 'sync', '--json', '--no-first-tick'], cliEnv);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { mode: string; counts: Record<string, number> };
  assert.equal(out.mode, 'per-slot');
  assert.deepEqual(out.counts, { create: 0, update: 0, delete: 0, unchanged: 2 });
  const l = await runCli(['schedules', 'list', '--json'], cliEnv);
  assert.equal(l.code, 0, l.stderr);
  const rows = JSON.parse(l.stdout) as Array<{ persona: string; scheduleId: string; paused: boolean }>;
  const cleoRow = rows.find((x) => x.persona === 'cleo@personas.test')!;
  assert.equal(cleoRow.scheduleId, slotScheduleId(tokyo));
  assert.equal(cleoRow.paused, true, 'her own pause, though her slot runs for Anna and Ben');
  assert.equal(rows.find((x) => x.persona === 'anna@personas.test')!.paused, false);
});
