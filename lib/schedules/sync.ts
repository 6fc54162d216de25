import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import { mapLimit } from '../concurrency.ts';
import {
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

/** Every persona schedule Temporal has, with what sync compares (from the list call alone). */
export async function listPersonaSchedules(client: Client): Promise<ExistingSchedule[]> {
  const out: ExistingSchedule[] = [];
  for await (const s of client.schedule.list({ pageSize: 1000 })) {
    if (!s.scheduleId.startsWith(SCHEDULE_PREFIX)) continue;
    out.push({
      scheduleId: s.scheduleId,
      fingerprint: typeof s.memo?.fingerprint === 'string' ? s.memo.fingerprint : undefined,
      paused: s.state.paused,
      persona: typeof s.memo?.persona === 'string' ? s.memo.persona : '?',
    });
  }
  return out;
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

async function upsert(client: Client, opts: ScheduleOptions): Promise<'created' | 'updated'> {
  try {
    await client.schedule.create(opts);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    // Listing is eventually consistent: a schedule created moments ago may not have been listed.
    const handle = client.schedule.getHandle(opts.scheduleId);
    await handle.update((prev) => ({
      ...prev,
      spec: opts.spec,
      action: opts.action as typeof prev.action,
      policies: { ...prev.policies, ...opts.policies },
    }));
    await (opts.state?.paused ? handle.pause(opts.state.note) : handle.unpause(opts.state?.note));
    return 'updated';
  }
}

/**
 * Makes Temporal match the database: creates missing schedules (a new persona's first tick fires
 * right away unless `triggerNew` is false), updates changed ones, deletes orphans.
 */
export async function syncSchedules(
  client: Client,
  personas: readonly SchedulablePersona[],
  opts: {
    taskQueue: string;
    dryRun?: boolean;
    triggerNew?: boolean;
    concurrency?: number;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<SyncChange[]> {
  const changes = diffSchedules(personas, await listPersonaSchedules(client), opts.taskQueue);
  if (opts.dryRun) return changes;
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
      const result = await upsert(
        client,
        personaScheduleOptions(p, opts.taskQueue, c.action === 'create' && opts.triggerNew !== false),
      );
      if (result === 'updated' && c.action === 'create') c.action = 'update';
    }
    opts.onProgress?.(++done, work.length);
  });
  return changes;
}
