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

/**
 * The schedule of one persona, in its own timezone: hourly at a persona-specific minute; daily and
 * weekdays (Mon–Fri) at a persona-specific time between 08:00 and 19:59 local. Temporal adds up to
 * `jitter` on top, so even personas sharing a slot do not fire in lockstep.
 */
export function cadenceSpec(p: { personaId: string; cadence: Cadence; timezone: string }): CadenceSpec {
  const minute = slot(p.personaId, 'minute', 60);
  const hour = 8 + slot(p.personaId, 'hour', 12);
  return { ...CADENCE_RULES[p.cadence](minute, hour), timezone: p.timezone };
}

/** Each cadence's cron (at a persona's minute and hour) and jitter; the vocabulary lists the cadences. */
const CADENCE_RULES: Record<Cadence, (minute: number, hour: number) => Omit<CadenceSpec, 'timezone'>> = {
  hourly: (minute) => ({ cron: `${minute} * * * *`, jitter: '5m' }),
  daily: (minute, hour) => ({ cron: `${minute} ${hour} * * *`, jitter: '20m' }),
  weekdays: (minute, hour) => ({ cron: `${minute} ${hour} * * 1-5`, jitter: '20m' }),
};
