import { and, eq, inArray, ne } from 'drizzle-orm';
import { personas, users } from '../../schema/index.ts';
import type { Db } from '../db/client.ts';
import { mapLimit } from '../concurrency.ts';
import { verifyPassword } from '../../mcp-gateway/identity/passwords.ts';
import { derivePersonaPassword } from './password.ts';
import { upsertPersona, type PersonaDefinition, type UpsertOutcome } from './upsert-persona.ts';

export interface SeedResult {
  email: string;
  outcome: UpsertOutcome;
  personaId: string | undefined;
}

export interface SeedSummary {
  dryRun: boolean;
  created: number;
  updated: number;
  unchanged: number;
  results: SeedResult[];
}

const sameMix = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** What seeding would do for each persona, without writing (for --dry-run). */
async function plan(db: Db, seedSecret: string, defs: readonly PersonaDefinition[]): Promise<SeedResult[]> {
  const rows = await db
    .select({ user: users, persona: personas })
    .from(users)
    .leftJoin(personas, eq(personas.userId, users.id))
    .where(
      inArray(
        users.email,
        defs.map((d) => d.email),
      ),
    );
  const byEmail = new Map(rows.map((r) => [r.user.email, r]));
  return Promise.all(
    defs.map(async (def): Promise<SeedResult> => {
      const row = byEmail.get(def.email);
      if (!row?.persona) {
        if (row && row.user.kind !== 'persona')
          throw new Error(
            `${def.email} already belongs to a ${row.user.kind} account; a persona cannot take it over`,
          );
        return { email: def.email, outcome: 'created', personaId: undefined };
      }
      const p = row.persona;
      const same =
        p.displayName === def.displayName &&
        p.archetype === def.archetype &&
        p.systemPrompt === def.systemPrompt &&
        p.cadence === def.cadence &&
        p.timezone === def.timezone &&
        sameMix(p.moduleMix, def.moduleMix) &&
        (await verifyPassword(derivePersonaPassword(seedSecret, def.email), row.user.passwordHash));
      return { email: def.email, outcome: same ? 'unchanged' : 'updated', personaId: p.id };
    }),
  );
}

/**
 * Refuses the whole seed, before anything is written, when a catalog email belongs to a human (or
 * system) account: checked per persona only, the other personas seeded in parallel would already be
 * committed when the refusal comes.
 */
async function refuseTakenEmails(db: Db, defs: readonly PersonaDefinition[]): Promise<void> {
  if (!defs.length) return;
  const taken = await db
    .select({ email: users.email, kind: users.kind })
    .from(users)
    .where(
      and(
        inArray(
          users.email,
          defs.map((d) => d.email.trim().toLowerCase()),
        ),
        ne(users.kind, 'persona'),
      ),
    )
    .orderBy(users.email);
  if (taken.length)
    throw new Error(
      `${taken.map((t) => `${t.email} already belongs to a ${t.kind} account`).join('; ')}; ` +
        'a persona cannot take it over (nothing was seeded)',
    );
}

/**
 * Idempotent create-or-update by email through the same signup path as humans. Runs `concurrency`
 * personas at a time (each in its own transactions); `onProgress` is called after each one.
 */
export async function seedPersonas(
  db: Db,
  kek: Buffer,
  seedSecret: string,
  defs: readonly PersonaDefinition[],
  opts: { dryRun?: boolean; concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<SeedSummary> {
  let done = 0;
  await refuseTakenEmails(db, defs);
  const results = opts.dryRun
    ? await plan(db, seedSecret, defs)
    : await mapLimit(defs, opts.concurrency ?? 8, async (def) => {
        const r = await upsertPersona(db, kek, seedSecret, def);
        opts.onProgress?.(++done, defs.length);
        return { email: def.email, outcome: r.outcome, personaId: r.personaId };
      });
  const count = (o: UpsertOutcome) => results.filter((r) => r.outcome === o).length;
  return {
    dryRun: Boolean(opts.dryRun),
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    results,
  };
}
