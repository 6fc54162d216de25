import { createHash } from 'node:crypto';

import type { Cadence } from '../../schema/vocabulary.ts';

/** Stable small integers from a persona id, so personas spread over the clock instead of all at :00. */
function slot(personaId: string, salt: string, modulo: number): number {
  return createHash('sha256').update(`${salt}:${personaId}`).digest().readUInt32LE(0) % modulo;
}

export interface CadenceSpec {
  cron: string;
  timezone: string;
  jitter: string;
}

/** A persona's own minute of the hour and (daily, weekdays) local hour 08–19, from its id. */
export function personaClock(personaId: string): { minute: number; hour: number } {
  return { minute: slot(personaId, 'minute', 60), hour: 8 + slot(personaId, 'hour', 12) };
}

/**
 * The schedule of one persona, in its own timezone: hourly at a persona-specific minute; daily and
 * weekdays (Mon–Fri) at a persona-specific time between 08:00 and 19:59 local. Temporal adds up to
 * `jitter` on top, so even personas sharing a slot do not fire in lockstep.
 */
export function cadenceSpec(p: { personaId: string; cadence: Cadence; timezone: string }): CadenceSpec {
  const { minute, hour } = personaClock(p.personaId);
  return { ...CADENCE_RULES[p.cadence](minute, hour), timezone: p.timezone };
}

/** Each cadence's cron (at a persona's minute and hour) and jitter; the vocabulary lists the cadences. */
const CADENCE_RULES: Record<Cadence, (minute: number, hour: number) => Omit<CadenceSpec, 'timezone'>> = {
  hourly: (minute) => ({ cron: `${minute} * * * *`, jitter: `${JITTER_SECONDS.hourly / 60}m` }),
  daily: (minute, hour) => ({ cron: `${minute} ${hour} * * *`, jitter: `${JITTER_SECONDS.daily / 60}m` }),
  weekdays: (minute, hour) => ({
    cron: `${minute} ${hour} * * 1-5`,
    jitter: `${JITTER_SECONDS.weekdays / 60}m`,
  }),
};

/** The jitter of a cadence in seconds (the per-slot fan-out spreads each persona's start over it). */
export const JITTER_SECONDS: Record<Cadence, number> = { hourly: 300, daily: 1200, weekdays: 1200 };

/**
 * The cron of a per-slot schedule (one per cadence, timezone and minute): every hour at that minute
 * for hourly personas, every hour 08–19 (Mon–Fri for weekdays) otherwise — a run then starts the
 * slot's personas whose own hour it is.
 */
export function slotCron(cadence: Cadence, minute: number): string {
  return { hourly: `${minute} * * * *`, daily: `${minute} 8-19 * * *`, weekdays: `${minute} 8-19 * * 1-5` }[
    cadence
  ];
}
