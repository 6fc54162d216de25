import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { eq } from 'drizzle-orm';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleDescription } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { livePersonas, type LivePersona } from '../../lib/personas/live-personas.ts';
import { upsertPersona, type PersonaDefinition } from '../../lib/personas/upsert-persona.ts';
import { cadenceSpec } from '../../lib/schedules/cadence.ts';
import type { Cadence } from '../../schema/vocabulary.ts';
import { CATCHUP_WINDOW, scheduleFingerprint, scheduleIdFor } from '../../lib/schedules/persona-schedule.ts';
import { listPersonaSchedules, syncSchedules, type SyncChange } from '../../lib/schedules/sync.ts';
import { ARCHETYPE, CADENCE, PERSONA_ID } from '../../workflows/tick-contract.ts';
import { TICK_WORKFLOW } from '../../workflows/tick-contract.ts';
import { personas } from '../../schema/index.ts';
import { freshDatabase } from '../support/database.ts';
import { waitUntil } from '../support/wait.ts';
import { freshNamespace } from '../support/schedules.ts';
import { TEST_SEED_SECRET, TEST_KEK } from '../support/secrets.ts';

// Real Temporal Schedules on the test dev server, in a namespace of this file's own, for personas
// in a database of its own. The task queue has no worker: ticks the schedules start just wait.
const database = await freshDatabase();
const db = database.db;
const { client } = await freshNamespace();
const taskQueue = `schedules-${randomUUID()}`;
const kek = TEST_KEK;

const persona = (email: string, cadence: Cadence, timezone: string): PersonaDefinition => ({
  email,
  displayName: email.split('@')[0]!,
  archetype: `${cadence}-person`,
  systemPrompt: 'You are a test persona.',
  moduleMix: { todos: 1 },
  cadence,
  timezone,
});
const seed = async (def: PersonaDefinition) =>
  (await upsertPersona(db, kek, TEST_SEED_SECRET, def)).personaId;

const hourlyId = await seed(persona('hana@personas.test', 'hourly', 'Asia/Tokyo'));
const dailyId = await seed(persona('nate@personas.test', 'daily', 'America/New_York'));
const weekdaysId = await seed(persona('berta@personas.test', 'weekdays', 'Europe/Berlin'));

const live = () => livePersonas(db);
const byId = async (id: string): Promise<LivePersona> => (await live()).find((p) => p.personaId === id)!;
const describe = (id: string) => client.schedule.getHandle(scheduleIdFor(id)).describe();
const sync = async (opts: { dryRun?: boolean } = {}) =>
  syncSchedules(client, await live(), { taskQueue, concurrency: 4, ...opts });
const count = (changes: SyncChange[]) =>
  Object.fromEntries(
    (['create', 'update', 'delete', 'unchanged'] as const).map((a) => [
      a,
      changes.filter((c) => c.action === a).length,
    ]),
  );

/** Ticks (personaTick workflows) of one persona, found through its PersonaId search attribute. */
async function ticksOf(personaId: string): Promise<Array<{ workflowId: string; scheduledBy: unknown }>> {
  const out = [];
  for await (const wf of client.workflow.list({
    query: `WorkflowType = '${TICK_WORKFLOW}' AND PersonaId = '${personaId}'`,
  }))
    out.push({ workflowId: wf.workflowId, scheduledBy: wf.searchAttributes.TemporalScheduledById?.[0] });
  return out;
}

/**
 * Listing schedules goes through visibility, which Temporal updates asynchronously: sync decides
 * from that list, so before asserting "nothing to do" wait until it shows what the database says.
 */
async function listingMatchesDatabase(): Promise<void> {
  const want = await live();
  await waitUntil(async () => {
    const have = new Map((await listPersonaSchedules(client)).map((s) => [s.scheduleId, s]));
    return (
      have.size === want.length &&
      want.every((p) => {
        const s = have.get(scheduleIdFor(p.personaId));
        return s && s.fingerprint === scheduleFingerprint(p, taskQueue) && s.paused === p.paused;
      })
    );
  }, 'the schedule list showed every persona with its current fingerprint');
}

/** The described schedule's calendar, written back as the 5-field cron it was created from. */
function cronOf(d: ScheduleDescription): string {
  assert.equal(d.spec.calendars?.length, 1, 'one calendar (from one cron expression)');
  const cal = d.spec.calendars[0]!;
  const one = (
    r: Array<{ start: unknown; end: unknown; step: unknown }> | undefined,
    all: [unknown, unknown],
  ) => {
    assert.equal(r?.length, 1);
    const { start, end, step } = r[0]!;
    assert.equal(step, 1);
    if (start === all[0] && end === all[1]) return '*';
    if (start === end) return String(start);
    return `${String(start)}-${String(end)}`;
  };
  const dow = one(cal.dayOfWeek as never, ['SUNDAY', 'SATURDAY']).replace('MONDAY-FRIDAY', '1-5');
  return `${one(cal.minute as never, [0, 59])} ${one(cal.hour as never, [0, 23])} ${one(cal.dayOfMonth as never, [1, 31])} ${one(cal.month as never, ['JANUARY', 'DECEMBER'])} ${dow}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** A moment seen on the wall clock of `timeZone`: day number, weekday, milliseconds into the day. */
function wallClock(t: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      fractionalSecondDigits: 3,
    })
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  const n = (k: string) => Number(parts[k]);
  return {
    day: Date.UTC(n('year'), n('month') - 1, n('day')) / 86_400_000,
    weekday: WEEKDAYS.indexOf(parts.weekday!),
    msOfDay: ((n('hour') * 60 + n('minute')) * 60 + n('second')) * 1000 + n('fractionalSecond'),
  };
}

const MIN = 60_000;
/** Cron minute and hour of a persona (hour undefined for hourly). */
const slotOf = (p: LivePersona) => {
  const [minute, hour] = cadenceSpec(p).cron.split(' ');
  return { minute: Number(minute), hour: hour === '*' ? undefined : Number(hour) };
};
const jitterMs = (p: LivePersona) => parseInt(cadenceSpec(p).jitter, 10) * MIN;

/** Hourly: one action per consecutive local hour, each within the jitter after the cadence minute. */
function assertHourly(times: Date[], p: LivePersona): void {
  const { minute } = slotOf(p);
  const nominal = times.map((t) => {
    const { msOfDay } = wallClock(t, p.timezone);
    const late = ((((msOfDay % (60 * MIN)) - minute * MIN) % (60 * MIN)) + 60 * MIN) % (60 * MIN);
    assert.ok(late <= jitterMs(p), `${t.toISOString()} is ${late / MIN} min after :${minute} local`);
    return t.getTime() - late;
  });
  for (let i = 1; i < nominal.length; i++)
    assert.equal(nominal[i]! - nominal[i - 1]!, 60 * MIN, `consecutive hours at ${times[i]!.toISOString()}`);
}

/** Daily / weekdays: the persona's local time (within jitter) on consecutive (week)days. */
function assertDaysAt(times: Date[], p: LivePersona, weekdaysOnly: boolean): void {
  const { minute, hour } = slotOf(p);
  assert.ok(hour !== undefined);
  const local = times.map((t) => wallClock(t, p.timezone));
  local.forEach((l, i) => {
    const late = l.msOfDay - (hour * 60 + minute) * MIN;
    assert.ok(
      late >= 0 && late <= jitterMs(p),
      `${times[i]!.toISOString()} is ${late / MIN} min after ${hour}:${minute} in ${p.timezone}`,
    );
    if (weekdaysOnly) assert.ok(l.weekday >= 1 && l.weekday <= 5, `${times[i]!.toISOString()} is Mon–Fri`);
  });
  for (let i = 1; i < local.length; i++) {
    const gap = local[i]!.day - local[i - 1]!.day;
    const expected = weekdaysOnly && local[i - 1]!.weekday === 5 ? 3 : 1;
    assert.equal(gap, expected, `next local day after ${times[i - 1]!.toISOString()}`);
  }
}

function assertFollowsCadence(d: ScheduleDescription, p: LivePersona): void {
  const times = d.info.nextActionTimes;
  assert.ok(times.length >= 5, `at least 5 upcoming actions, got ${times.length}`);
  assert.ok(times[0]!.getTime() > Date.now() - MIN, 'upcoming, not past');
  if (p.cadence === 'hourly') assertHourly(times, p);
  else assertDaysAt(times, p, p.cadence === 'weekdays');
}

test('dry run changes nothing', async () => {
  const changes = await sync({ dryRun: true });
  assert.deepEqual(count(changes), { create: 3, update: 0, delete: 0, unchanged: 0 });
  assert.deepEqual(await listPersonaSchedules(client), []);
  await assert.rejects(describe(hourlyId), ScheduleNotFoundError);
});

test('sync creates one schedule per persona, and each fires a first tick right away', async () => {
  const changes = await sync();
  assert.deepEqual(count(changes), { create: 3, update: 0, delete: 0, unchanged: 0 });
  for (const id of [hourlyId, dailyId, weekdaysId]) {
    const ticks = await waitUntil(async () => {
      const t = await ticksOf(id);
      return t.length ? t : undefined;
    }, `a first tick of ${id} appeared`);
    assert.equal(ticks.length, 1);
    assert.equal(ticks[0]!.scheduledBy, scheduleIdFor(id), 'started by the persona schedule');
    assert.ok(ticks[0]!.workflowId.startsWith(`tick-${id}-`), ticks[0]!.workflowId);
  }
});

test('upcoming actions follow each cadence in the persona timezone', async () => {
  for (const id of [hourlyId, dailyId, weekdaysId]) {
    const p = await byId(id);
    const d = await describe(id);
    assert.equal(cronOf(d), cadenceSpec(p).cron);
    assert.equal(d.spec.timezone, p.timezone);
    assert.equal(d.spec.jitter, jitterMs(p));
    assertFollowsCadence(d, p);
  }
});

test('policies, action and memo of a persona schedule', async () => {
  for (const id of [hourlyId, dailyId, weekdaysId]) {
    const p = await byId(id);
    const d = await describe(id);
    assert.equal(d.policies.overlap, ScheduleOverlapPolicy.SKIP);
    assert.equal(d.policies.catchupWindow, 15 * MIN);
    assert.equal(CATCHUP_WINDOW, '15m');
    assert.equal(d.policies.pauseOnFailure, false);
    assert.equal(d.action.type, 'startWorkflow');
    assert.equal(d.action.workflowType, TICK_WORKFLOW);
    assert.equal(d.action.taskQueue, taskQueue);
    assert.equal(d.action.workflowId, `tick-${id}`);
    assert.deepEqual(d.action.args, [{ personaId: id }]);
    const sa = d.action.typedSearchAttributes;
    assert.ok(sa instanceof TypedSearchAttributes);
    assert.deepEqual([sa.get(PERSONA_ID), sa.get(ARCHETYPE), sa.get(CADENCE)], [id, p.archetype, p.cadence]);
    assert.deepEqual(d.memo, {
      persona: p.email,
      name: p.displayName,
      fingerprint: scheduleFingerprint(p, taskQueue),
    });
    assert.equal(d.action.staticSummary, `${p.displayName} (${p.archetype}) · ${p.cadence} tick`);
    assert.equal(d.state.paused, false);
    assert.equal(d.state.note, `${p.cadence} in ${p.timezone}`);
  }
});

test('a second sync finds nothing to do and starts no tick', async () => {
  await listingMatchesDatabase();
  const changes = await sync();
  assert.deepEqual(count(changes), { create: 0, update: 0, delete: 0, unchanged: 3 });
  for (const id of [hourlyId, dailyId, weekdaysId]) assert.equal((await ticksOf(id)).length, 1);
});

test('schedules sync did not make (e.g. the README’s hand-made persona-<id>-cli) are left alone', async () => {
  const foreign = [`${scheduleIdFor(hourlyId)}-cli`, 'persona-digest'];
  for (const scheduleId of foreign)
    await client.schedule.create({
      scheduleId,
      spec: { cronExpressions: ['0 9 * * *'] },
      action: {
        type: 'startWorkflow',
        workflowType: TICK_WORKFLOW,
        taskQueue,
        args: [{ personaId: hourlyId }],
      },
      state: { paused: true },
    });
  // Sync decides from the list: only once it shows them does "left alone" mean anything.
  await waitUntil(async () => {
    const listed = new Set<string>();
    for await (const s of client.schedule.list()) listed.add(s.scheduleId);
    return foreign.every((f) => listed.has(f));
  }, 'the hand-made schedules were listed');
  assert.deepEqual(count(await sync({ dryRun: true })), { create: 0, update: 0, delete: 0, unchanged: 3 });
  assert.deepEqual(count(await sync()), { create: 0, update: 0, delete: 0, unchanged: 3 });
  for (const scheduleId of foreign) {
    await client.schedule.getHandle(scheduleId).describe();
    await client.schedule.getHandle(scheduleId).delete();
  }
});

test('a changed cadence is exactly one update, and the schedule follows it', async () => {
  await db.update(personas).set({ cadence: 'weekdays' }).where(eq(personas.id, hourlyId));
  const dry = await sync({ dryRun: true });
  assert.deepEqual(count(dry), { create: 0, update: 1, delete: 0, unchanged: 2 });
  assert.equal(
    cronOf(await describe(hourlyId)),
    cadenceSpec({ ...(await byId(hourlyId)), cadence: 'hourly' }).cron,
  );

  const changes = await sync();
  assert.deepEqual(count(changes), { create: 0, update: 1, delete: 0, unchanged: 2 });
  const updated = changes.find((c) => c.action === 'update')!;
  assert.equal(updated.scheduleId, scheduleIdFor(hourlyId));
  assert.equal(updated.detail, 'now weekdays in Asia/Tokyo');

  const p = await byId(hourlyId);
  const d = await describe(hourlyId);
  assert.equal(cronOf(d), cadenceSpec(p).cron);
  assert.match(cronOf(d), /^\d+ \d+ \* \* 1-5$/);
  assertFollowsCadence(d, p);
  const sa = d.action.typedSearchAttributes;
  assert.ok(sa instanceof TypedSearchAttributes);
  assert.equal(sa.get(CADENCE), 'weekdays');
  assert.equal(d.state.paused, false);
  assert.equal((await ticksOf(hourlyId)).length, 1, 'an update fires no first tick');

  // Sync compares what it last wrote (the fingerprint), so the change must be recorded: the
  // next sync has nothing left to do.
  await listingMatchesDatabase();
  assert.deepEqual(count(await sync()), { create: 0, update: 0, delete: 0, unchanged: 3 });
});

test('a paused persona: sync pauses its schedule, and keeps it paused', async () => {
  await db.update(personas).set({ paused: true }).where(eq(personas.id, dailyId));
  const changes = await sync();
  assert.deepEqual(count(changes), { create: 0, update: 1, delete: 0, unchanged: 2 });
  assert.equal(changes.find((c) => c.action === 'update')!.detail, 'pause');
  assert.equal((await describe(dailyId)).state.paused, true);
  await listingMatchesDatabase();
  assert.deepEqual(count(await sync()), { create: 0, update: 0, delete: 0, unchanged: 3 });
  assert.equal((await describe(dailyId)).state.paused, true);
});

test('a new persona gets a schedule and a first tick right away; the others get none', async () => {
  const newId = await seed(persona('olu@personas.test', 'daily', 'Africa/Lagos'));
  const changes = await sync();
  assert.deepEqual(count(changes), { create: 1, update: 0, delete: 0, unchanged: 3 });
  assert.equal(changes.find((c) => c.action === 'create')!.scheduleId, scheduleIdFor(newId));
  const ticks = await waitUntil(async () => {
    const t = await ticksOf(newId);
    return t.length ? t : undefined;
  }, 'the new persona got a first tick');
  assert.equal(ticks.length, 1);
  assert.equal(ticks[0]!.scheduledBy, scheduleIdFor(newId));
  assertFollowsCadence(await describe(newId), await byId(newId));
  for (const id of [hourlyId, dailyId, weekdaysId]) assert.equal((await ticksOf(id)).length, 1);
});

test('a deleted persona: sync deletes its schedule', async () => {
  await listingMatchesDatabase();
  await db.delete(personas).where(eq(personas.id, weekdaysId));
  const dry = await sync({ dryRun: true });
  assert.deepEqual(count(dry), { create: 0, update: 0, delete: 1, unchanged: 3 });
  await describe(weekdaysId); // a dry run deletes nothing

  const changes = await sync();
  assert.deepEqual(count(changes), { create: 0, update: 0, delete: 1, unchanged: 3 });
  assert.deepEqual(
    changes.find((c) => c.action === 'delete'),
    {
      action: 'delete',
      scheduleId: scheduleIdFor(weekdaysId),
      persona: 'berta@personas.test',
      detail: 'persona no longer in the database',
    },
  );
  await assert.rejects(describe(weekdaysId), ScheduleNotFoundError);
  await describe(hourlyId);
});
