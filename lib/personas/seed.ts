import { and, eq, inArray, ne } from 'drizzle-orm';
import { anyOf } from '../db/any-of.ts';
import { personas, spaceMemberships, spaces, users, vaultKeys } from '../../schema/index.ts';
import type { Db } from '../db/client.ts';
import { mapLimit } from '../concurrency.ts';
import { verifyPassword } from '../demo-product/passwords.ts';
import { derivePersonaPassword } from './password.ts';
import {
  createNewPersonas,
  optInDiffers,
  samePersona,
  upsertPersona,
  type PersonaDefinition,
  type UpsertOutcome,
} from './upsert-persona.ts';

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
      anyOf(
        users.email,
        defs.map((d) => d.email),
      ),
    );
  const byEmail = new Map(rows.map((r) => [r.user.email, r]));
  return Promise.all(
    defs.map(async (def): Promise<SeedResult> => {
      const row = byEmail.get(def.email);
      // Emails of human or system accounts were refused before planning (refuseTakenEmails).
      if (!row?.persona) {
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
        !optInDiffers(row.user.destructiveOptIn, def) &&
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
        anyOf(
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

const normalise = (email: string) => email.trim().toLowerCase();

interface Existing {
  persona: typeof personas.$inferSelect | null;
  passwordHash: string | null;
  destructiveOptIn: boolean;
  /** The personal space, its owner membership and the vault row, as signup leaves them. */
  complete: boolean;
}

/** Every catalog email that already has a user, with what upsertPersona would look at. */
async function existingUsers(db: Db, emails: readonly string[]): Promise<Map<string, Existing>> {
  const out = new Map<string, Existing>();
  for (let i = 0; i < emails.length; i += 5000) {
    const rows = await db
      .select({
        email: users.email,
        passwordHash: users.passwordHash,
        destructiveOptIn: users.destructiveOptIn,
        persona: personas,
        spaceId: spaces.id,
        member: spaceMemberships.userId,
        vault: vaultKeys.userId,
      })
      .from(users)
      .leftJoin(personas, eq(personas.userId, users.id))
      .leftJoin(spaces, and(eq(spaces.ownerId, users.id), eq(spaces.type, 'personal')))
      .leftJoin(
        spaceMemberships,
        and(eq(spaceMemberships.spaceId, spaces.id), eq(spaceMemberships.userId, users.id)),
      )
      .leftJoin(vaultKeys, eq(vaultKeys.userId, users.id))
      .where(inArray(users.email, emails.slice(i, i + 5000)));
    for (const r of rows) {
      out.set(r.email, {
        persona: r.persona,
        passwordHash: r.passwordHash,
        destructiveOptIn: r.destructiveOptIn,
        complete: Boolean(r.spaceId && r.member && r.vault),
      });
    }
  }
  return out;
}

/**
 * Idempotent create-or-update by email through the same signup path as humans; `onProgress` is called
 * as personas are done. One query first finds which catalog emails already have a user:
 * - a brand-new email is created in batches (createNewPersonas: signupNewUsers, the multi-user form of
 *   the signup path, and the persona row, one transaction per 500) — the same rows, ~10× faster than
 *   one persona at a time;
 * - a persona that is already exactly as defined (fields, password, personal space, membership,
 *   vault) is reported unchanged without a write — upsertPersona would conclude the same, also
 *   without writing anything;
 * - everything else (updates, repairs, emails taken meanwhile, repeated emails) goes through
 *   upsertPersona, `concurrency` at a time, as before.
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
  const results = opts.dryRun ? await plan(db, seedSecret, defs) : await seed();
  const count = (o: UpsertOutcome) => results.filter((r) => r.outcome === o).length;
  return {
    dryRun: Boolean(opts.dryRun),
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    results,
  };

  async function seed(): Promise<SeedResult[]> {
    const out = new Array<SeedResult | undefined>(defs.length);
    const progress = (n: number) => {
      done += n;
      if (n) opts.onProgress?.(done, defs.length);
    };
    const existing = await existingUsers(db, [...new Set(defs.map((d) => normalise(d.email)))]);

    // Brand-new emails (first occurrence only), in batches.
    const fresh = new Map<string, number>();
    defs.forEach((d, i) => {
      const email = normalise(d.email);
      if (!existing.has(email) && !fresh.has(email)) fresh.set(email, i);
    });
    const created = await createNewPersonas(
      db,
      kek,
      seedSecret,
      [...fresh.values()].map((i) => defs[i]!),
      { onBatch: progress },
    );
    for (const [email, i] of fresh) {
      const c = created.get(email);
      if (c) out[i] = { email: defs[i]!.email, outcome: 'created', personaId: c.personaId };
    }

    // Already exactly as defined: nothing to write. The password check is the one upsertPersona makes.
    await mapLimit(defs, opts.concurrency ?? 8, async (def, i) => {
      const e = existing.get(normalise(def.email));
      if (out[i] || !e?.persona || !e.complete || !samePersona(e.persona, def)) return;
      if (optInDiffers(e.destructiveOptIn, def)) return;
      if (!(await verifyPassword(derivePersonaPassword(seedSecret, def.email), e.passwordHash))) return;
      out[i] = { email: def.email, outcome: 'unchanged', personaId: e.persona.id };
      progress(1);
    });

    // Everything else: one at a time through upsertPersona, as ever.
    const rest = defs.flatMap((def, i) => (out[i] ? [] : [i]));
    await mapLimit(rest, opts.concurrency ?? 8, async (i) => {
      const r = await upsertPersona(db, kek, seedSecret, defs[i]!);
      out[i] = { email: defs[i]!.email, outcome: r.outcome, personaId: r.personaId };
      progress(1);
    });
    return out as SeedResult[];
  }
}
