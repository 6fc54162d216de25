// The per-slot schedule's workflow contract (SCHEDULE_MODE=per-slot): one Temporal Schedule per
// (cadence, timezone, minute) runs `personaSlot`, which asks the database who is due and starts each
// of those personas' ticks as a child at the persona's own jitter offset. Imported by the workflow,
// its activity and the schedule sync; side-effect free.
import type { Cadence } from '../schema/vocabulary.ts';
import type { TickSubject } from './tick-web-ui.ts';

export const SLOT_WORKFLOW = 'personaSlot';

/** Which personas a slot holds: same cadence, same timezone, same own minute of the hour. */
export interface SlotKey {
  cadence: Cadence;
  timezone: string;
  minute: number;
}

export interface SlotInput {
  slot: SlotKey;
  /** Set by a hand-started run; a scheduled run uses the time its schedule fired. */
  at?: string;
}

export interface SlotMembersInput {
  slot: SlotKey;
  /** The slot's fire time (ISO); daily and weekdays members are those whose own hour it is, there. */
  at: string;
}

/** A persona due in this run, and how long after the fire time its tick starts (its jitter). */
export interface SlotMember {
  subject: TickSubject;
  offsetSeconds: number;
}

export interface SlotMembers {
  due: SlotMember[];
  /** Members left out because they are paused or their previous tick is still running. */
  paused: number;
  running: number;
}

export interface SlotResult {
  at: string;
  started: number;
  /** Already started for this fire time (a re-run of the same slot run). */
  alreadyStarted: number;
  paused: number;
  running: number;
}

/** A slot-started tick's id: unique per persona and fire time, so a re-run never starts it twice. */
export const slotTickWorkflowId = (personaId: string, at: string) => `tick-${personaId}-${at}`;
