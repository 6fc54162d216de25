import { createHash } from 'node:crypto';
import { ScheduleOverlapPolicy, type ScheduleOptions } from '@temporalio/client';
import { CADENCES, type Cadence } from '../../schema/vocabulary.ts';
import { SLOT_WORKFLOW, type SlotInput, type SlotKey } from '../../workflows/slot-contract.ts';
import { personaClock, slotCron } from './cadence.ts';
import { CATCHUP_WINDOW } from './persona-schedule.ts';

export const SLOT_SCHEDULE_PREFIX = 'persona-slot-';
const SLOT_SCHEDULE_ID = new RegExp(`^${SLOT_SCHEDULE_PREFIX}(${CADENCES.join('|')})-(.+)-(\\d{2})$`);

/** The slot a persona's ticks start from: its cadence, its timezone, its own minute of the hour. */
export function slotOf(p: { personaId: string; cadence: Cadence; timezone: string }): SlotKey {
  return { cadence: p.cadence, timezone: p.timezone, minute: personaClock(p.personaId).minute };
}

const mm = (minute: number) => String(minute).padStart(2, '0');
/** `persona-slot-hourly-Asia/Tokyo-07`: readable in the Web UI's schedule list. */
export const slotScheduleId = (s: SlotKey) =>
  `${SLOT_SCHEDULE_PREFIX}${s.cadence}-${s.timezone}-${mm(s.minute)}`;
export const slotKeyString = (s: SlotKey) => `${s.cadence}/${s.timezone}/${mm(s.minute)}`;

/** Whether a schedule id is a slot schedule sync manages (not one made by hand). */
export function parseSlotScheduleId(scheduleId: string): SlotKey | undefined {
  const m = SLOT_SCHEDULE_ID.exec(scheduleId);
  if (!m) return undefined;
  const minute = Number(m[3]);
  return minute < 60 ? { cadence: m[1] as Cadence, timezone: m[2]!, minute } : undefined;
}

/** A hash of everything sync compares, kept in the schedule's memo (Temporal cannot update a memo). */
export function slotFingerprint(s: SlotKey, taskQueue: string): string {
  return createHash('sha256')
    .update(
      JSON.stringify([SLOT_WORKFLOW, slotCron(s.cadence, s.minute), s.timezone, taskQueue, CATCHUP_WINDOW]),
    )
    .digest('hex')
    .slice(0, 16);
}

/**
 * The Temporal Schedule of one slot: no jitter of its own (each persona's tick gets its own offset
 * in the run), overlap skip (a run lasts at most the cadence's jitter), the same catch-up window as
 * a persona schedule. Paused only when every persona in it is.
 */
export function slotScheduleOptions(
  s: SlotKey,
  taskQueue: string,
  opts: { paused: boolean; personas: number },
): ScheduleOptions {
  return {
    scheduleId: slotScheduleId(s),
    spec: { cronExpressions: [slotCron(s.cadence, s.minute)], timezone: s.timezone },
    action: {
      type: 'startWorkflow',
      workflowType: SLOT_WORKFLOW,
      taskQueue,
      args: [{ slot: s } satisfies SlotInput],
      workflowId: `slot-${s.cadence}-${s.timezone}-${mm(s.minute)}`,
      staticSummary: `${s.cadence} personas of ${s.timezone} at :${mm(s.minute)}`,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: CATCHUP_WINDOW, pauseOnFailure: false },
    memo: { slot: slotKeyString(s), fingerprint: slotFingerprint(s, taskQueue) },
    state: {
      paused: opts.paused,
      note: opts.paused
        ? 'every persona of this slot is paused'
        : `${s.cadence} in ${s.timezone} at :${mm(s.minute)} (${opts.personas} personas when created)`,
    },
  };
}
