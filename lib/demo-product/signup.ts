import { and, eq } from 'drizzle-orm';
import { spaceMemberships, spaces, users, vaultKeys, type User } from '../../schema/index.ts';
import type { Db, Tx } from '../db/client.ts';
import { createVault, newVaultRow } from './vault.ts';
import { hashPassword, type PasswordScheme } from './passwords.ts';

export interface SignupInput {
  email: string;
  password?: string;
  /** How to hash the password; `sha256` only for high-entropy derived secrets (see passwords.ts). */
  passwordScheme?: PasswordScheme;
  kind?: User['kind'];
  tier?: User['tier'];
  zeroKnowledge?: boolean;
  destructiveOptIn?: boolean;
}

export interface SignupResult {
  user: User;
  personalSpaceId: string;
  created: boolean;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The one signup path, for humans and personas alike. Idempotent: signing up an existing email
 * returns that user unchanged; the personal space and vault are created if missing, never twice
 * (the partial unique index on spaces enforces it even under concurrent signups).
 */
export async function signupUser(db: Db, kek: Buffer, input: SignupInput): Promise<SignupResult> {
  const email = normaliseEmail(input.email);
  const row = await userRow(input);
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values(row)
      .onConflictDoNothing({ target: users.email })
      .returning();
    const user = inserted[0] ?? (await tx.select().from(users).where(eq(users.email, email)))[0];
    if (!user) throw new Error(`signup of ${email} found no user after insert`);
    const personalSpaceId = await ensurePersonalSpace(tx as unknown as Db, user);
    await createVault(tx, kek, user.id, input.zeroKnowledge ?? false);
    return { user, personalSpaceId, created: inserted.length > 0 };
  });
}

/** The users row a signup writes (email normalised, password hashed; never the password itself). */
async function userRow(input: SignupInput) {
  return {
    email: normaliseEmail(input.email),
    passwordHash: input.password ? await hashPassword(input.password, input.passwordScheme) : null,
    kind: input.kind ?? ('human' as const),
    tier: input.tier ?? ('free' as const),
    destructiveOptIn: input.destructiveOptIn ?? false,
  };
}

const personalSpaceRow = (ownerId: string) => ({ name: 'Personal', type: 'personal' as const, ownerId });

/**
 * signupUser for many new users at once, inside the caller's transaction: per user exactly the rows
 * signupUser writes for a new email (the user, its personal space, the owner membership, the vault),
 * with one multi-row INSERT per table instead of one transaction per user — for seeding thousands of
 * personas. An email that already exists is skipped (ON CONFLICT DO NOTHING, as in signupUser) and
 * left out of the result: sign those up one by one with signupUser, which also repairs a missing
 * personal space or vault.
 */
export async function signupNewUsers(
  tx: Tx,
  kek: Buffer,
  inputs: readonly SignupInput[],
): Promise<Map<string, SignupResult>> {
  const out = new Map<string, SignupResult>();
  if (!inputs.length) return out;
  const rows = await Promise.all(inputs.map(userRow));
  const inserted = await tx
    .insert(users)
    .values(rows)
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!inserted.length) return out;
  const created = await tx
    .insert(spaces)
    .values(inserted.map((u) => personalSpaceRow(u.id)))
    .onConflictDoNothing()
    .returning({ id: spaces.id, ownerId: spaces.ownerId });
  // Brand-new users cannot have a personal space yet; if one did, this is not a new user after all.
  if (created.length !== inserted.length)
    throw new Error('signupNewUsers: a new user already had a personal space');
  await tx
    .insert(spaceMemberships)
    .values(created.map((s) => ({ spaceId: s.id, userId: s.ownerId, role: 'owner' as const })))
    .onConflictDoNothing();
  const zeroKnowledge = new Map(inputs.map((i) => [normaliseEmail(i.email), i.zeroKnowledge ?? false]));
  await tx
    .insert(vaultKeys)
    .values(inserted.map((u) => newVaultRow(kek, u.id, zeroKnowledge.get(u.email) ?? false)))
    .onConflictDoNothing();
  const spaceOf = new Map(created.map((s) => [s.ownerId, s.id]));
  for (const user of inserted)
    out.set(user.email, { user, personalSpaceId: spaceOf.get(user.id)!, created: true });
  return out;
}

async function ensurePersonalSpace(tx: Db, user: User): Promise<string> {
  const [created] = await tx
    .insert(spaces)
    .values(personalSpaceRow(user.id))
    .onConflictDoNothing()
    .returning({ id: spaces.id });
  const spaceId =
    created?.id ??
    (
      await tx
        .select({ id: spaces.id })
        .from(spaces)
        .where(and(eq(spaces.ownerId, user.id), eq(spaces.type, 'personal')))
    )[0]?.id;
  if (!spaceId) throw new Error(`no personal space for ${user.email}`);
  await tx.insert(spaceMemberships).values({ spaceId, userId: user.id, role: 'owner' }).onConflictDoNothing();
  return spaceId;
}
