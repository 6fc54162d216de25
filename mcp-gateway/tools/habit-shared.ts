import { z } from 'zod';
import type { habits } from '../../schema/index.ts';
import { iso } from './common.ts';

export const habitOut = z.object({
  id: z.string(),
  space_id: z.string(),
  name: z.string(),
  cadence: z.enum(['daily', 'weekly']),
  target_per_period: z.number().int(),
  archived_at: z.string().nullable(),
  created_at: z.string(),
});

export function toHabitOut(h: typeof habits.$inferSelect): z.infer<typeof habitOut> {
  return {
    id: h.id,
    space_id: h.spaceId,
    name: h.name,
    cadence: h.cadence,
    target_per_period: h.targetPerPeriod,
    archived_at: iso(h.archivedAt),
    created_at: h.createdAt.toISOString(),
  };
}

export const cadenceField = z
  .enum(['daily', 'weekly'], { error: 'expected "daily" or "weekly"' })
  .describe('How often the habit is meant to happen.');
export const targetField = z
  .number({ error: 'expected a whole number' })
  .int({ error: 'expected a whole number' })
  .min(1, { error: 'must be at least 1' })
  .max(100, { error: 'must be at most 100' })
  .describe('How many times per period.');
