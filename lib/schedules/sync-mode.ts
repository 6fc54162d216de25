import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import { mapLimit } from '../concurrency.ts';
import type { SchedulablePersona } from './persona-schedule.ts';
import { listSlotSchedules, syncSlotSchedules } from './slot-sync.ts';
import { listPersonaSchedules, syncSchedules, type SyncChange, type SyncOptions } from './sync.ts';

/**
 * How personas are scheduled (SCHEDULE_MODE): a Temporal Schedule per persona, or one per (cadence,
 * timezone, minute) slot whose runs start that slot's personas (README "Schedules" has the costs).
 */
export const SCHEDULE_MODES = ['per-persona', 'per-slot'] as const;
export type ScheduleMode = (typeof SCHEDULE_MODES)[number];

/**
 * Makes Temporal match the database in the given mode, and deletes the other mode's schedules (so
 * switching SCHEDULE_MODE and syncing never leaves a persona driven twice). `firstTicks` counts the
 * first ticks per-slot sync started itself (per-persona schedules fire theirs on creation).
 */
export async function syncForMode(
  mode: ScheduleMode,
  client: Client,
  personas: readonly (SchedulablePersona & { lastActiveAt?: Date | null })[],
  opts: SyncOptions,
): Promise<{ changes: SyncChange[]; firstTicks: number }> {
  const { changes, firstTicks } =
    mode === 'per-slot'
      ? await syncSlotSchedules(client, personas, opts)
      : { changes: await syncSchedules(client, personas, opts), firstTicks: 0 };
  const others =
    mode === 'per-slot'
      ? (await listPersonaSchedules(client)).map((s) => ({ scheduleId: s.scheduleId, persona: s.persona }))
      : (await listSlotSchedules(client)).map((s) => ({ scheduleId: s.scheduleId, persona: '' }));
  const detail = `a ${mode === 'per-slot' ? 'per-persona' : 'per-slot'} schedule (SCHEDULE_MODE is ${mode})`;
  const deletes: SyncChange[] = others.map((o) => ({ action: 'delete', ...o, detail }));
  if (!opts.dryRun)
    await mapLimit(deletes, opts.concurrency ?? 16, (c) =>
      client.schedule
        .getHandle(c.scheduleId)
        .delete()
        .catch((err: unknown) => {
          if (!(err instanceof ScheduleNotFoundError)) throw err;
        }),
    );
  return { changes: [...changes, ...deletes], firstTicks };
}
