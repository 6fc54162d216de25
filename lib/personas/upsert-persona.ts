import { eq } from 'drizzle-orm';
import { personas, users } from '../../schema/index.ts';
import type { Db } from '../db/client.ts';
import { hashPassword, verifyPassword } from '../../mcp-gateway/identity/passwords.ts';
import { signupUser } from '../../mcp-gateway/identity/signup.ts';
import { derivePersonaPassword } from './password.ts';

export interface PersonaDefinition {
  email: string;
  displayName: string;
  archetype: string;
  systemPrompt: string;
  moduleMix: Record<string, number>;
  cadence: 'hourly' | 'daily' | 'weekdays';
  timezone: string;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

const sameMix = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

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
  const values = {
    userId: user.id,
    displayName: def.displayName,
    archetype: def.archetype,
    systemPrompt: def.systemPrompt,
    moduleMix: def.moduleMix,
    cadence: def.cadence,
    timezone: def.timezone,
  };
  const [existing] = await db.select().from(personas).where(eq(personas.userId, user.id));
  if (!existing) {
    const [row] = await db.insert(personas).values(values).returning({ id: personas.id });
    return { outcome: 'created', personaId: row!.id, userId: user.id };
  }
  const same =
    existing.displayName === def.displayName &&
    existing.archetype === def.archetype &&
    existing.systemPrompt === def.systemPrompt &&
    existing.cadence === def.cadence &&
    existing.timezone === def.timezone &&
    sameMix(existing.moduleMix, def.moduleMix);
  if (same)
    return { outcome: passwordChanged ? 'updated' : 'unchanged', personaId: existing.id, userId: user.id };
  await db.update(personas).set(values).where(eq(personas.id, existing.id));
  return { outcome: 'updated', personaId: existing.id, userId: user.id };
}
