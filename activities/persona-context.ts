import { and, eq, sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import { personas, spaces, users } from '../schema/index.ts';
import type { Db } from '../lib/db/client.ts';
import { TICK_FAILURES } from '../workflows/tick-contract.ts';

export type PersonaRow = typeof personas.$inferSelect & { email: string; hasPersonalSpace: boolean };

/** The persona with its user's email and whether its personal space exists: one query. */
export async function loadPersona(db: Db, personaId: string): Promise<PersonaRow> {
  const [row] = await db
    .select({
      persona: personas,
      email: users.email,
      hasPersonalSpace: sql<boolean>`exists (${db
        .select({ one: sql`1` })
        .from(spaces)
        .where(and(eq(spaces.ownerId, personas.userId), eq(spaces.type, 'personal')))})`,
    })
    .from(personas)
    .innerJoin(users, eq(users.id, personas.userId))
    .where(eq(personas.id, personaId));
  if (!row)
    throw ApplicationFailure.nonRetryable(
      `persona ${personaId} does not exist (deleted, or never seeded)`,
      TICK_FAILURES.personaNotFound.type,
    );
  return { ...row.persona, email: row.email, hasPersonalSpace: row.hasPersonalSpace };
}

/**
 * Persona rows as the worker's activities see them during a tick. Login reads the row fresh (the
 * paused flag must be current) and every later step of the tick — each model call, the rating, a
 * re-login — reuses it for `ttlMs`, instead of reading the same row once per round. Per-worker
 * memory, bounded by `maxEntries` (oldest first out).
 */
export class PersonaCache {
  private readonly rows = new Map<string, { row: PersonaRow; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly opts: { ttlMs: number; maxEntries: number } = { ttlMs: 5 * 60_000, maxEntries: 2000 },
  ) {}

  async get(personaId: string, opts: { fresh?: boolean } = {}): Promise<PersonaRow> {
    const hit = this.rows.get(personaId);
    if (!opts.fresh && hit && Date.now() - hit.at < this.opts.ttlMs) return hit.row;
    const row = await loadPersona(this.db, personaId);
    this.rows.delete(personaId);
    this.rows.set(personaId, { row, at: Date.now() });
    if (this.rows.size > this.opts.maxEntries) this.rows.delete(this.rows.keys().next().value!);
    return row;
  }
}
