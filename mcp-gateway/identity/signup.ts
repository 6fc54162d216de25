import { and, eq } from 'drizzle-orm';
import { spaceMemberships, spaces, users, type User } from '../../schema/index.ts';
import type { Db } from '../../lib/db/client.ts';
import { createVault } from '../crypto/vault.ts';
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
  const passwordHash = input.password ? await hashPassword(input.password, input.passwordScheme) : null;
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(users)
      .values({
        email,
        passwordHash,
        kind: input.kind ?? 'human',
        tier: input.tier ?? 'free',
        destructiveOptIn: input.destructiveOptIn ?? false,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    const user = inserted[0] ?? (await tx.select().from(users).where(eq(users.email, email)))[0];
    if (!user) throw new Error(`signup of ${email} found no user after insert`);
    const personalSpaceId = await ensurePersonalSpace(tx as unknown as Db, user);
    await createVault(tx, kek, user.id, input.zeroKnowledge ?? false);
    return { user, personalSpaceId, created: inserted.length > 0 };
  });
}

async function ensurePersonalSpace(tx: Db, user: User): Promise<string> {
  const [created] = await tx
    .insert(spaces)
    .values({ name: 'Personal', type: 'personal', ownerId: user.id })
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
