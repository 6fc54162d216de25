import { createHash } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import { personas, personaTicks, users } from '../../schema/index.ts';
import { JITTER_SECONDS, personaClock } from '../../lib/schedules/cadence.ts';
import type { SlotMember, SlotMembers, SlotMembersInput } from '../../workflows/slot-contract.ts';
import type { ActivityDeps } from '../deps.ts';

/**
 * A tick still marked running after this long is taken as dead (its worker lost, its workflow
 * terminated) and no longer holds its persona back; a live tick ends well before (its budgets).
 */
const RUNNING_TICK_HORIZON = '2 hours';

/** The hour (0–23) of `at` on the wall clock of `timezone`. */
function localHour(at: Date, timezone: string): number {
  const hour = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: 'numeric', hourCycle: 'h23' })
    .formatToParts(at)
    .find((p) => p.type === 'hour')!.value;
  return Number(hour);
}

/**
 * A persona's start offset within its cadence's jitter for one fire time: stable for that pair (a
 * retried run starts the tick at the same moment), different from one fire to the next.
 */
export function jitterOffset(personaId: string, at: string, jitterSeconds: number): number {
  return createHash('sha256').update(`jitter:${personaId}:${at}`).digest().readUInt32LE(0) % jitterSeconds;
}

/**
 * Who a slot run starts: the personas of its cadence and timezone whose own minute is the slot's
 * (and, daily and weekdays, whose own hour it is at the fire time), read fresh from the database —
 * minus the paused ones and those whose previous tick is still running (the per-persona schedule's
 * overlap policy "skip"). Sorted by jitter offset.
 */
export function createSlotMembers(deps: ActivityDeps) {
  return async function slotMembers(input: SlotMembersInput): Promise<SlotMembers> {
    const at = new Date(input.at);
    if (Number.isNaN(at.getTime()))
      throw ApplicationFailure.nonRetryable(
        `at is not a timestamp: ${JSON.stringify(input.at)}`,
        'InvalidSlot',
      );
    const { cadence, timezone, minute } = input.slot;
    const hour = localHour(at, timezone);
    const running = deps.db
      .select({ one: sql`1` })
      .from(personaTicks)
      .where(
        and(
          eq(personaTicks.personaId, personas.id),
          eq(personaTicks.status, 'running'),
          gt(personaTicks.startedAt, sql`now() - ${RUNNING_TICK_HORIZON}::interval`),
        ),
      );
    const rows = await deps.db
      .select({
        personaId: personas.id,
        email: users.email,
        displayName: personas.displayName,
        archetype: personas.archetype,
        cadence: personas.cadence,
        timezone: personas.timezone,
        moduleMix: personas.moduleMix,
        paused: personas.paused,
        running: sql<boolean>`exists (${running})`,
      })
      .from(personas)
      .innerJoin(users, eq(users.id, personas.userId))
      .where(and(eq(personas.cadence, cadence), eq(personas.timezone, timezone)));
    const members = rows.filter((r) => {
      const clock = personaClock(r.personaId);
      return clock.minute === minute && (cadence === 'hourly' || clock.hour === hour);
    });
    const due: SlotMember[] = members
      .filter((r) => !r.paused && !r.running)
      .map(({ paused: _p, running: _r, ...subject }) => ({
        subject,
        offsetSeconds: jitterOffset(subject.personaId, input.at, JITTER_SECONDS[cadence]),
      }))
      .sort(
        (a, b) => a.offsetSeconds - b.offsetSeconds || a.subject.personaId.localeCompare(b.subject.personaId),
      );
    return {
      due,
      paused: members.filter((r) => r.paused).length,
      running: members.filter((r) => !r.paused && r.running).length,
    };
  };
}
