import { createHash } from 'node:crypto';
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { scheduledTickWorkflowId, tickStartOptions } from '../../workflows/tick-contract.ts';
import type { Cadence } from '../../schema/vocabulary.ts';
import { cadenceSpec } from './cadence.ts';

export const SCHEDULE_PREFIX = 'persona-';
export const scheduleIdFor = (personaId: string) => `${SCHEDULE_PREFIX}${personaId}`;
const PERSONA_SCHEDULE_ID = new RegExp(
  `^${SCHEDULE_PREFIX}[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`,
  'i',
);
/**
 * Whether a schedule id is one sync manages: the prefix and a persona id (a UUID), nothing more,
 * so a schedule someone made by hand (`persona-<id>-cli`, `persona-digest`) is never taken for an
 * orphan and deleted.
 */
export const isPersonaScheduleId = (scheduleId: string) => PERSONA_SCHEDULE_ID.test(scheduleId);
/** Missed runs older than this (worker or server down) are skipped rather than caught up. */
export const CATCHUP_WINDOW = '15m';

export interface SchedulablePersona {
  personaId: string;
  email: string;
  /** Shown in the Web UI (schedule and ticks); the email stands in when absent. */
  displayName?: string;
  archetype: string;
  cadence: Cadence;
  timezone: string;
  paused: boolean;
}

/** A hash of everything sync compares, stored in the schedule's memo, so a diff needs no describe. */
export function scheduleFingerprint(p: SchedulablePersona, taskQueue: string): string {
  const spec = cadenceSpec(p);
  return createHash('sha256')
    .update(
      JSON.stringify([
        spec.cron,
        spec.timezone,
        spec.jitter,
        taskQueue,
        p.archetype,
        p.cadence,
        CATCHUP_WINDOW,
        p.displayName ?? null,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
}

/** The Temporal Schedule that drives one persona: its cadence, overlap skip, bounded catch-up. */
export function personaScheduleOptions(
  p: SchedulablePersona,
  taskQueue: string,
  triggerImmediately: boolean,
): ScheduleOptions {
  const spec = cadenceSpec(p);
  return {
    scheduleId: scheduleIdFor(p.personaId),
    spec: { cronExpressions: [spec.cron], timezone: spec.timezone, jitter: spec.jitter },
    action: {
      type: 'startWorkflow',
      ...tickStartOptions(p, taskQueue, {}, { kind: 'schedule' }),
      workflowId: scheduledTickWorkflowId(p.personaId),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
    memo: {
      persona: p.email,
      name: p.displayName ?? p.email,
      fingerprint: scheduleFingerprint(p, taskQueue),
    },
    state: {
      paused: p.paused,
      note: p.paused ? 'paused with personas pause' : `${p.cadence} in ${p.timezone}`,
      triggerImmediately: triggerImmediately && !p.paused,
    },
  };
}
