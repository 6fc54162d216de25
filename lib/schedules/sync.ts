import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import { mapLimit } from '../concurrency.ts';
import {
  isPersonaScheduleId,
  personaScheduleOptions,
  SCHEDULE_PREFIX,
  scheduleFingerprint,
  type SchedulablePersona,
} from './persona-schedule.ts';

export type SyncAction = 'create' | 'update' | 'delete' | 'unchanged';

export interface SyncChange {
  action: SyncAction;
  scheduleId: string;
  persona: string;
  detail: string;
}

interface ExistingSchedule {
  scheduleId: string;
  fingerprint: string | undefined;
  paused: boolean;
  persona: string;
}

/** What a sync is asked to do (either mode: per-persona or per-slot schedules). */
export interface SyncOptions {
  taskQueue: string;
  dryRun?: boolean;
  triggerNew?: boolean;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

/** A schedule as sync compares it, from the list call alone (no describe per schedule). */
export interface ListedSchedule {
  scheduleId: string;
  fingerprint: string | undefined;
  paused: boolean;
  memo: Record<string, unknown> | undefined;
}

/** Every schedule Temporal has whose id `accepts`, with its fingerprint, pause state and memo. */
export async function listSchedules(
  client: Client,
  accepts: (id: string) => boolean,
): Promise<ListedSchedule[]> {
  const out: ListedSchedule[] = [];
  for await (const s of client.schedule.list({ pageSize: 1000 })) {
    if (!accepts(s.scheduleId)) continue;
    out.push({
      scheduleId: s.scheduleId,
      fingerprint: typeof s.memo?.fingerprint === 'string' ? s.memo.fingerprint : undefined,
      paused: s.state.paused,
      memo: s.memo,
    });
  }
  return out;
}

/** Every persona schedule Temporal has, with what sync compares. */
export async function listPersonaSchedules(client: Client): Promise<ExistingSchedule[]> {
  return (await listSchedules(client, isPersonaScheduleId)).map(({ memo, ...s }) => ({
    ...s,
    persona: typeof memo?.persona === 'string' ? memo.persona : '?',
  }));
}

/** The changes that make Temporal's persona schedules match the database. */
export function diffSchedules(
  desired: readonly SchedulablePersona[],
  existing: readonly ExistingSchedule[],
  taskQueue: string,
): SyncChange[] {
  const have = new Map(existing.map((s) => [s.scheduleId, s]));
  const changes: SyncChange[] = [];
  for (const p of desired) {
    const id = `${SCHEDULE_PREFIX}${p.personaId}`;
    const cur = have.get(id);
    have.delete(id);
    if (!cur) {
      changes.push({
        action: 'create',
        scheduleId: id,
        persona: p.email,
        detail: `${p.cadence} in ${p.timezone}${p.paused ? ' (paused)' : ''}`,
      });
    } else if (cur.fingerprint !== scheduleFingerprint(p, taskQueue) || cur.paused !== p.paused) {
      const what =
        cur.fingerprint !== scheduleFingerprint(p, taskQueue) ? `now ${p.cadence} in ${p.timezone}` : '';
      const pause = cur.paused !== p.paused ? (p.paused ? 'pause' : 'unpause') : '';
      changes.push({
        action: 'update',
        scheduleId: id,
        persona: p.email,
        detail: [what, pause].filter(Boolean).join(', '),
      });
    } else {
      changes.push({ action: 'unchanged', scheduleId: id, persona: p.email, detail: '' });
    }
  }
  for (const orphan of have.values()) {
    changes.push({
      action: 'delete',
      scheduleId: orphan.scheduleId,
      persona: orphan.persona,
      detail: 'persona no longer in the database',
    });
  }
  return changes;
}

/**
 * Applies one create or update. Temporal cannot update a schedule's memo, which holds the
 * fingerprint sync compares, so a schedule whose fingerprint changed is replaced (deleted and
 * created again, with no first tick) rather than updated in place: an in-place update would leave
 * the old fingerprint behind and every later sync would report (and redo) the same update.
 * A change of the paused flag alone is a pause / unpause.
 */
async function apply(
  client: Client,
  change: SyncChange,
  opts: ScheduleOptions,
  fingerprint: string,
  listedFingerprint: string | undefined,
): Promise<void> {
  const handle = client.schedule.getHandle(opts.scheduleId);
  if (change.action === 'create') {
    try {
      await client.schedule.create(opts);
      return;
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      // Listing is eventually consistent: a schedule created moments ago may not have been listed.
      change.action = 'update';
      listedFingerprint = (await handle.describe()).memo?.fingerprint as string | undefined;
    }
  }
  if (listedFingerprint !== fingerprint) {
    await handle.delete().catch((err: unknown) => {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    });
    await client.schedule.create({ ...opts, state: { ...opts.state, triggerImmediately: false } });
    return;
  }
  await (opts.state?.paused ? handle.pause(opts.state.note) : handle.unpause(opts.state?.note));
}

/**
 * Makes Temporal match the database: creates missing schedules (a new persona's first tick fires
 * right away unless `triggerNew` is false), updates changed ones, deletes orphans.
 */
export async function syncSchedules(
  client: Client,
  personas: readonly SchedulablePersona[],
  opts: SyncOptions,
): Promise<SyncChange[]> {
  const existing = await listPersonaSchedules(client);
  const changes = diffSchedules(personas, existing, opts.taskQueue);
  if (opts.dryRun) return changes;
  const fingerprints = new Map(existing.map((s) => [s.scheduleId, s.fingerprint]));
  const byId = new Map(personas.map((p) => [`${SCHEDULE_PREFIX}${p.personaId}`, p]));
  const work = changes.filter((c) => c.action !== 'unchanged');
  let done = 0;
  await mapLimit(work, opts.concurrency ?? 16, async (c) => {
    if (c.action === 'delete') {
      await client.schedule
        .getHandle(c.scheduleId)
        .delete()
        .catch((err: unknown) => {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        });
    } else {
      const p = byId.get(c.scheduleId)!;
      await apply(
        client,
        c,
        personaScheduleOptions(p, opts.taskQueue, c.action === 'create' && opts.triggerNew !== false),
        scheduleFingerprint(p, opts.taskQueue),
        fingerprints.get(c.scheduleId),
      );
    }
    opts.onProgress?.(++done, work.length);
  });
  return changes;
}
