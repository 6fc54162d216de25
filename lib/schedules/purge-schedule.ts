import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleOptions,
} from '@temporalio/client';
import {
  PURGE_EVERY_MS,
  purgeScheduleId,
  purgeStartOptions,
  type PurgeInput,
} from '../../workflows/purge-contract.ts';

export interface RetentionSettings {
  retentionDays: number;
  batchSize: number;
}

/** The Temporal Schedule that runs the transcript purge for one task queue's ticks. */
export function purgeScheduleOptions(taskQueue: string, settings: RetentionSettings): ScheduleOptions {
  const input: PurgeInput = { retentionDays: settings.retentionDays, batchSize: settings.batchSize };
  return {
    scheduleId: purgeScheduleId(taskQueue),
    spec: { intervals: [{ every: PURGE_EVERY_MS }], jitter: '5m' },
    action: {
      type: 'startWorkflow',
      ...purgeStartOptions(taskQueue, input),
      workflowId: purgeScheduleId(taskQueue),
    },
    // A purge still running when the next is due is left to finish; a missed one is simply the
    // next one's work, so nothing is caught up.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m', pauseOnFailure: false },
    state: {
      note: `deletes transcript parts older than ${settings.retentionDays} days (TRANSCRIPT_RETENTION_DAYS)`,
    },
  };
}

export type EnsureOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates the purge schedule, or brings an existing one to these settings (in place: a pause by an
 * operator is kept). Idempotent, and safe when several workers start at once: every worker of a
 * task queue should run with the same settings (the last one started wins).
 */
export async function ensurePurgeSchedule(
  client: Client,
  taskQueue: string,
  settings: RetentionSettings,
): Promise<EnsureOutcome> {
  const opts = purgeScheduleOptions(taskQueue, settings);
  try {
    await client.schedule.create(opts);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const handle = client.schedule.getHandle(opts.scheduleId);
  const current = await handle.describe();
  const action = current.action.type === 'startWorkflow' ? current.action : undefined;
  const same =
    action?.workflowType === opts.action.workflowType &&
    action.taskQueue === taskQueue &&
    JSON.stringify(action.args) === JSON.stringify(opts.action.args) &&
    current.spec.intervals?.length === 1 &&
    current.spec.intervals[0]!.every === PURGE_EVERY_MS;
  if (same) return 'unchanged';
  await handle.update((prev) => ({
    ...prev,
    spec: opts.spec,
    action: opts.action,
    policies: opts.policies!,
    state: { ...prev.state, note: opts.state!.note },
  }));
  return 'updated';
}
