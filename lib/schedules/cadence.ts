import { createHash } from 'node:crypto';

import type { Cadence } from '../vocabulary.ts';

export type { Cadence };

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
  switch (p.cadence) {
    case 'hourly':
      return { cron: `${minute} * * * *`, timezone: p.timezone, jitter: '5m' };
    case 'daily':
      return { cron: `${minute} ${hour} * * *`, timezone: p.timezone, jitter: '20m' };
    case 'weekdays':
      return { cron: `${minute} ${hour} * * 1-5`, timezone: p.timezone, jitter: '20m' };
  }
}
