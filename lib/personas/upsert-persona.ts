import { isDeepStrictEqual } from 'node:util';
import { eq } from 'drizzle-orm';
import { personas, users } from '../../schema/index.ts';
import type { Db } from '../db/client.ts';
import type { Cadence } from '../../schema/vocabulary.ts';
import { hashPassword, verifyPassword } from '../demo-product/passwords.ts';
import { normaliseEmail, signupNewUsers, signupUser } from '../demo-product/signup.ts';
import type { Goal } from './goals.ts';
import { derivePersonaPassword } from './password.ts';

export interface PersonaDefinition {
  email: string;
  displayName: string;
  archetype: string;
  systemPrompt: string;
  moduleMix: Record<string, number>;
  cadence: Cadence;
  timezone: string;
  /** What the persona sets out to do (lib/personas/goals.ts); none when absent. */
  goals?: Goal[];
  /** Goals per tick, sampled by the trial seed; all when absent. */
  goalsPerTick?: number;
  /**
   * Whether the persona's account is opted into destructive tools (the policy gate), set at seed as
   * `personas token --destructive` sets it. A catalog always says (absent there means false); a
   * definition built in code without it leaves the account as it is.
   */
  destructive?: boolean;
}

/** Whether the account's destructive opt-in differs from what the definition asks for. */
export const optInDiffers = (current: boolean, def: PersonaDefinition) =>
  def.destructive !== undefined && def.destructive !== current;

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

const sameMix = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** The personas row of a definition: what upsertPersona inserts, or updates to. */
const personaRow = (userId: string, def: PersonaDefinition) => ({
  userId,
  displayName: def.displayName,
  archetype: def.archetype,
  systemPrompt: def.systemPrompt,
  moduleMix: def.moduleMix,
  cadence: def.cadence,
  timezone: def.timezone,
  goals: def.goals ?? [],
  goalsPerTick: def.goalsPerTick ?? null,
});

/** Whether a stored persona already says what its definition says (nothing to update). */
export function samePersona(existing: typeof personas.$inferSelect, def: PersonaDefinition): boolean {
  return (
    existing.displayName === def.displayName &&
    existing.archetype === def.archetype &&
    existing.systemPrompt === def.systemPrompt &&
    existing.cadence === def.cadence &&
    existing.timezone === def.timezone &&
    sameMix(existing.moduleMix, def.moduleMix) &&
    isDeepStrictEqual(existing.goals, def.goals ?? []) &&
    existing.goalsPerTick === (def.goalsPerTick ?? null)
  );
}

/**
 * Creates or updates a persona by email: a real user signed up through the same path as humans,
 * stamped kind='persona', with a password derived from the seed secret (never stored).
 */
export async function upsertPersona(
  db: Db,
  kek: Buffer,
  seedSecret: string,
  def: PersonaDefinition,
): Promise<{ outcome: UpsertOutcome; personaId: string; userId: string }> {
  const password = derivePersonaPassword(seedSecret, def.email);
  const { user, created } = await signupUser(db, kek, {
    email: def.email,
    password,
    passwordScheme: 'sha256',
    kind: 'persona',
    destructiveOptIn: def.destructive,
  });
  if (!created && user.kind !== 'persona') {
    throw new Error(`${def.email} already belongs to a ${user.kind} account; a persona cannot take it over`);
  }
  let passwordChanged = false;
  if (!created && !(await verifyPassword(password, user.passwordHash))) {
    // The seed secret changed since this persona was created: re-derive so the worker can log in.
    await db
      .update(users)
      .set({ passwordHash: await hashPassword(password, 'sha256') })
      .where(eq(users.id, user.id));
    passwordChanged = true;
  }
  let optInChanged = false;
  if (!created && optInDiffers(user.destructiveOptIn, def)) {
    await db.update(users).set({ destructiveOptIn: def.destructive }).where(eq(users.id, user.id));
    optInChanged = true;
  }
  const values = personaRow(user.id, def);
  const [existing] = await db.select().from(personas).where(eq(personas.userId, user.id));
  if (!existing) {
    const [row] = await db.insert(personas).values(values).returning({ id: personas.id });
    return { outcome: 'created', personaId: row!.id, userId: user.id };
  }
  const same = samePersona(existing, def);
  if (same)
    return {
      outcome: passwordChanged || optInChanged ? 'updated' : 'unchanged',
      personaId: existing.id,
      userId: user.id,
    };
  await db.update(personas).set(values).where(eq(personas.id, existing.id));
  return { outcome: 'updated', personaId: existing.id, userId: user.id };
}

/**
 * upsertPersona for many personas whose email has no user yet, in one transaction per `batchSize`:
 * signed up with signupNewUsers (the multi-user form of the same signup path: the same user,
 * personal space, owner membership and vault rows, kind 'persona', the derived password's hash)
 * and given their personas row in the same transaction. Returns what it created, by normalised
 * email; an email signed up by someone else meanwhile is left out, for upsertPersona to handle.
 */
export async function createNewPersonas(
  db: Db,
  kek: Buffer,
  seedSecret: string,
  defs: readonly PersonaDefinition[],
  opts: { batchSize?: number; onBatch?: (created: number) => void } = {},
): Promise<Map<string, { personaId: string; userId: string }>> {
  const out = new Map<string, { personaId: string; userId: string }>();
  const size = opts.batchSize ?? 500;
  for (let i = 0; i < defs.length; i += size) {
    const batch = defs.slice(i, i + size);
    const created = await db.transaction(async (tx) => {
      const signedUp = await signupNewUsers(
        tx,
        kek,
        batch.map((def) => ({
          email: def.email,
          password: derivePersonaPassword(seedSecret, def.email),
          passwordScheme: 'sha256' as const,
          kind: 'persona' as const,
          destructiveOptIn: def.destructive,
        })),
      );
      const paired = new Set<string>();
      const rows = batch.flatMap((def) => {
        const email = normaliseEmail(def.email);
        const s = signedUp.get(email);
        // A second definition with the same email is not new any more: upsertPersona's job.
        if (!s || paired.has(email)) return [];
        paired.add(email);
        return [personaRow(s.user.id, def)];
      });
      if (!rows.length) return [];
      const inserted = await tx
        .insert(personas)
        .values(rows)
        .returning({ id: personas.id, userId: personas.userId });
      const emailOf = new Map([...signedUp.values()].map((r) => [r.user.id, r.user.email]));
      return inserted.map((r) => ({ email: emailOf.get(r.userId)!, personaId: r.id, userId: r.userId }));
    });
    for (const c of created) out.set(c.email, { personaId: c.personaId, userId: c.userId });
    opts.onBatch?.(created.length);
  }
  return out;
}
