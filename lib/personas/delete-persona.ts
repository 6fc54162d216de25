import { and, eq } from 'drizzle-orm';
import { anyOf } from '../db/any-of.ts';
import { users } from '../../schema/index.ts';
import type { DbOrTx } from '../db/client.ts';
import { PersonaRunnerError } from '../errors.ts';

/** Thrown when an admin path tries to delete a user that is not a persona. */
export class NotAPersonaError extends PersonaRunnerError {
  override readonly code = 'NOT_A_PERSONA';
  constructor(
    readonly email: string,
    readonly kind: string,
  ) {
    super(`${email} is a ${kind} account, not a persona; refusing to delete it`);
  }
}

/**
 * Hard-deletes persona users (and, by cascade, their persona rows, spaces, product data, ticks).
 * The `kind = 'persona'` condition sits in the DELETE itself, so no code path can remove a human.
 * Returns the emails deleted; throws NotAPersonaError if any id names a non-persona.
 */
export async function deletePersonaUsers(db: DbOrTx, userIds: readonly string[]): Promise<string[]> {
  if (!userIds.length) return [];
  const found = await db
    .select({ id: users.id, email: users.email, kind: users.kind })
    .from(users)
    .where(anyOf(users.id, userIds));
  const other = found.find((u) => u.kind !== 'persona');
  if (other) throw new NotAPersonaError(other.email, other.kind);
  const deleted = await db
    .delete(users)
    .where(and(anyOf(users.id, userIds), eq(users.kind, 'persona')))
    .returning({ email: users.email });
  return deleted.map((d) => d.email);
}
