import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { spaceMemberships } from '../../schema/index.ts';
import type { DbOrTx } from '../../lib/db/client.ts';
import { ToolInputError } from './tool-errors.ts';

export const spaceIdField = z
  .uuid({ error: 'expected a space id (uuid) from space_list' })
  .optional()
  .describe('Space to act in; defaults to your personal space. Ids come from space_list.');

export const isoDate = z.iso.date({ error: 'expected a date as YYYY-MM-DD' });

export const idField = (what: string, listTool: string) =>
  z
    .uuid({ error: `expected a ${what} id (uuid) from ${listTool}` })
    .describe(`Id of the ${what}, from ${listTool}.`);

/**
 * A result-count limit. Each check carries its own message: a schema-level `error` alone would also
 * replace the range messages, telling a model that sent 0 it had to send "a number".
 */
export const limitField = (max: number, fallback: number) =>
  z
    .number({ error: `expected limit as a whole number from 1 to ${max}` })
    .int({ error: `limit must be a whole number from 1 to ${max}` })
    .min(1, { error: `limit must be from 1 to ${max}` })
    .max(max, { error: `limit must be from 1 to ${max}` })
    .default(fallback);

/** Free text the product stores; bounded so a runaway model cannot store megabytes. */
export const text = (max: number, what: string) =>
  z
    .string({ error: `expected ${what} as a string` })
    .trim()
    .min(1, { error: `${what} must not be empty` })
    .max(max, { error: `${what} must be at most ${max} characters` });

export async function assertMember(tx: DbOrTx, userId: string, spaceId: string): Promise<void> {
  const [m] = await tx
    .select({ role: spaceMemberships.role })
    .from(spaceMemberships)
    .where(and(eq(spaceMemberships.spaceId, spaceId), eq(spaceMemberships.userId, userId)));
  if (!m) throw new ToolInputError('space_id', `no space ${spaceId} that you belong to; call space_list`);
}

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
